"""What a verdict rests on (SPEC §14): the coverage of a partial total (``2.95 (6/8 项)``) and
the ※ of a placeholder number, shared by ``score service`` and the report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tmallcli.metrics.service_score import Coverage
    from tmallcli.render.labels import Labels

MARK = "※"
ILLUSTRATIVE = "illustrative"

LABELS: dict[str, tuple[str, str]] = {
    "coverage": ("({used}/{total} 项)", "({used}/{total} metrics)"),
    "partial": (
        "部分计算: 总分仅依据 {used}/{total} 项指标, 未计入: {missing}",
        "Partial: the total rests on {used} of {total} metrics; not counted: {missing}",
    ),
    "illustrative_note": (
        "※ 示例值: set your category's published values in tmall.yaml",
        "※ illustrative value: set your category's published values in tmall.yaml",
    ),
}


def marked(text: str, source: str | None) -> str:
    """``text`` with ※ when its number is a shipped placeholder nobody replaced."""
    return f"{text}{MARK}" if source == ILLUSTRATIVE else text


def coverage_mark(coverage: Coverage, labels: Labels) -> str:
    """``(6/8 项)`` for a partial total, else nothing."""
    if not coverage.partial:
        return ""
    t = labels.of(LABELS)
    return t("coverage", used=coverage.metrics_used, total=coverage.metrics_total)


def partial_line(coverage: Coverage, labels: Labels, metric_label: Any) -> str:
    """One line saying which metrics the partial total leaves out and why."""
    t = labels.of(LABELS)
    missing = "; ".join(f"{metric_label(m.metric)} ({m.reason})" for m in coverage.missing)
    return t("partial", used=coverage.metrics_used, total=coverage.metrics_total, missing=missing)


def illustrative_note(labels: Labels) -> str:
    return labels.of(LABELS)("illustrative_note")


def coverage_json(coverage: Coverage) -> dict[str, Any]:
    """JSON ``coverage``: ``{"metrics_used", "metrics_total", "missing": [{"metric", "reason"}]}``."""
    return {
        "metrics_used": coverage.metrics_used,
        "metrics_total": coverage.metrics_total,
        "missing": [{"metric": m.metric, "reason": m.reason} for m in coverage.missing],
    }


def partial_check_reason(coverage: Coverage) -> str:
    """The stderr line of a ``--check`` tripped by a partial total (English: the runtime
    messages' catalogue translates it)."""
    missing = "; ".join(f"{m.metric}: {m.reason}" for m in coverage.missing)
    return (
        f"--check: the service score total is partial ({coverage.metrics_used}/"
        f"{coverage.metrics_total} metrics; not counted: {missing}): give the missing exports, "
        "or --allow-partial to judge the partial total"
    )
