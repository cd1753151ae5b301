"""Freshness (SPEC §14) as the output shows it: JSON ``inputs`` / ``stale`` for every command,
and the report's 数据截至 line and stale banner (text and HTML)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from tmallcli.render.serialise import many

if TYPE_CHECKING:
    from datetime import datetime

    from tmallcli.render.labels import Labels
    from tmallcli.render.report import ScoreLine
    from tmallcli.runs.freshness import Freshness
    from tmallcli.runs.report import ShopReport

LABELS: dict[str, tuple[str, str]] = {
    "data_through": ("数据截至", "Data through"),
    "no_time": ("无时间", "no time"),
    "stale.banner": (
        "【数据过期】以下导出的最新一行早于统计日期 {as_of} 超过 {max} 天，相关结论可能已过时 — {kinds}",
        "[STALE DATA] These exports end more than {max} days before the as-of date {as_of}; "
        "their figures may be out of date — {kinds}",
    ),
    "stale.kind": ("{kind} 截至 {through}（{days} 天前）", "{kind} ends {through} ({days} days)"),
    "stale.metric": ("（数据过期）", " (stale data)"),
}


def freshness_json(freshness: Freshness) -> dict[str, Any]:
    """``inputs``: each export read with its files, rows and newest row; ``stale``: the
    exports too old for T (an empty list when every one is fresh)."""
    return {"inputs": many(freshness.inputs), "stale": many(freshness.stale)}


def kind_label(kind: str, labels: Labels) -> str:
    """An export kind as the seller calls it (订单报表), or its English key."""
    from tmallcli.exports.kinds import KINDS

    spec = KINDS.get(kind)
    return kind if labels.en or spec is None else spec.label


def _when(moment: datetime | None, t: Labels) -> str:
    return t("no_time") if moment is None else f"{moment:%Y-%m-%d %H:%M}"


def data_through_line(freshness: Freshness, labels: Labels) -> str:
    """数据截至: 订单报表 2026-11-20 23:00 · 物流详情 2026-11-20 23:53 · …"""
    t = labels.of(LABELS)
    parts = [f"{kind_label(r.kind, t)} {_when(r.data_through, t)}" for r in freshness.inputs]
    return f"{t('data_through')}: {' · '.join(parts)}"


def stale_banner(freshness: Freshness, labels: Labels) -> str | None:
    """The report's banner: every stale export with its newest row, against T (None: fresh)."""
    if not freshness.stale:
        return None
    t = labels.of(LABELS)
    kinds = " · ".join(
        t(
            "stale.kind",
            kind=kind_label(s.kind, t),
            through=_when(s.data_through, t),
            days=freshness.days_behind(s.data_through),
        )
        for s in freshness.stale
    )
    return t("stale.banner", as_of=freshness.as_of, max=freshness.max_lag_days, kinds=kinds)


def freshness_html(freshness: Freshness | None, labels: Labels) -> str:
    """The report page's stale banner (top of the page) and 数据截至 line."""
    if freshness is None:
        return ""
    text = stale_banner(freshness, labels)
    banner = "" if text is None else f'<div class="stale-banner" role="alert">{escape(text)}</div>'
    through = escape(data_through_line(freshness, labels))
    return f'{banner}<p class="meta data-through">{through}</p>'


def mark_stale_lines(lines: list[ScoreLine], report: ShopReport, freshness: Freshness) -> None:
    """Mark the report's score lines whose window runs past their export's data: the service
    metrics as the score marked them, the total when a weighted metric is stale, the others
    by their own window's last day (T for the DSR, the good rate and today's waiting lists)."""
    r = report
    metrics = {} if r.service is None else r.service.metrics
    day = r.as_of.date
    windows = {
        "cs_average": (("cs_ratings",), None if r.cs is None else r.cs.period.end),
        "good_rate": (("reviews",), day),
        "refunds_72h": (("refunds",), day),
        "reviews_overdue": (("reviews",), day),
    }
    for line in lines:
        if line.key == "service_total":
            line.stale = any(m.stale and m.weight > 0 for m in metrics.values())
        elif line.key in metrics:
            line.stale = metrics[line.key].stale
        elif line.key.startswith("dsr."):  # the page's figures have no window of rows
            line.stale = freshness.window_stale(("reviews",), getattr(r.dsr, "window_end", None))
        elif line.key in windows:
            line.stale = freshness.window_stale(*windows[line.key])
