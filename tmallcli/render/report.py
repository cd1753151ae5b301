"""The shop report (SPEC §11): one screen of scores, the worst factors and today's to-do list,
and JSON with every section exactly as its own command gives it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from tmallcli.render.document import BAD, GOOD, WARN, Cell, Column, Document, Section
from tmallcli.render.labels import ZH
from tmallcli.render.serialise import Shape, many, to_json
from tmallcli.render.todo import todo as todo_of
from tmallcli.render.todo import todo_lines, todo_section
from tmallcli.render.verdicts import (
    ILLUSTRATIVE,
    coverage_json,
    coverage_mark,
    illustrative_note,
    marked,
    partial_line,
)

if TYPE_CHECKING:
    from tmallcli.render.document import Renderable
    from tmallcli.render.labels import Labels
    from tmallcli.runs.freshness import Freshness
    from tmallcli.runs.report import ShopReport

# The order of the sections in the report, and the name of each in JSON.
SECTIONS = ("service", "dsr", "pickup", "response", "refunds", "compensation", "cs", "triage")

LABELS: dict[str, tuple[str, str]] = {
    "title": ("店铺体检报告", "Shop health report"),
    "as_of": ("统计日期", "As of"),
    "category": ("类目", "Category"),
    "files": ("已读取 {n} 个导出文件", "{n} export file(s) read"),
    "ignored": ("忽略 {n} 个文件", "{n} file(s) ignored"),
    "all_passed": ("✓ 全部达标", "✓ every check passed"),
    "some_failed": ("✗ {n} 项未达标: {names}", "✗ {n} check(s) failed: {names}"),
    "skipped": ("未生成 {name}: {reason}", "no {name}: {reason}"),
    "scores": ("评分与考核", "Scores and checks"),
    "item": ("项目", "Item"),
    "value": ("数值", "Value"),
    "score": ("得分", "Score"),
    "threshold": ("门槛", "Threshold"),
    "result": ("结果", "Result"),
    "passed": ("✓ 达标", "✓ pass"),
    "failed": ("✗ 未达标", "✗ fail"),
    "worst": ("失分最多的 3 项", "The 3 factors costing the most"),
    "metric": ("指标", "Metric"),
    "points_lost": ("失分", "Points lost"),
    "evidence": ("原因 / 证据", "Evidence"),
    "service_total": ("基础服务考核分", "Basic service score"),
    "cs_average": (
        "客服评价 人工平均分 (近{days}天)",
        "CS rating, human average (last {days} days)",
    ),
    "good_rate": ("好评率 (近180天)", "Positive rate (180 days)"),
    "refunds_72h": ("超72小时待处理退款", "Refunds waiting past 72 h"),
    "reviews_overdue": ("超时未回复中差评", "Overdue unanswered bad reviews"),
    "section.service": ("基础服务考核分", "basic service score"),
    "section.dsr": ("店铺动态评分", "DSR"),
    "section.pickup": ("24小时揽收及时率", "24h pickup"),
    "section.response": ("旺旺响应", "Wangwang response"),
    "section.refunds": ("售后退款", "refunds"),
    "section.compensation": ("延迟发货赔付", "compensation"),
    "section.cs": ("客服评价", "CS ratings"),
    "section.triage": ("中差评", "bad reviews"),
}

# The service-score metrics listed with their value and score (the DSR has its own rows).
SERVICE_ROWS = (
    "pickup_24h_rate",
    "logistics_review_score",
    "refund_only_hours",
    "return_refund_hours",
    "response_rate",
    "response_3min_rate",
    "human_response_seconds",
    "dispute_refund_rate",
    "complaint_rate",
)
WORST = 3
# JSON shapes: the DSR trend's points by date; an ignored file by its path.
TREND = Shape(
    keys=("first_rating", "complete_from", "points"),
    nested={"points": Shape(rename={"day": "date"})},
)
IGNORED = Shape(rename={"path": "file"})


@dataclass
class ScoreLine:
    """One row of the summary: a score, its value and, when it has one, its threshold."""

    key: str
    label: str
    value: Any
    display: str
    threshold: Any = None
    threshold_display: str = "—"
    passed: bool | None = None  # None: no threshold of its own (or nothing to judge)
    score: float | None = None  # 0–5 on the service score's scale
    points_lost: float | None = None
    check: bool = False  # counts for --check
    stale: bool = False  # its window runs past its export's data (SPEC §14)
    # SPEC §14: where the threshold comes from (platform / illustrative / config), where the
    # score's scale does, and whether the value rests on part of its inputs (the service total).
    threshold_source: str | None = None
    score_source: str | None = None
    partial: bool = False


@dataclass
class ShopSummary:
    report: ShopReport
    # How far each export reaches, which are stale (SPEC §14): the header and its banner.
    freshness: Freshness | None = None
    # --allow-partial: --check judges a partial service total like a whole one (SPEC §14).
    allow_partial: bool = False
    # --history: each figure's recorded days (tmallcli.history.Point), for the HTML's trends.
    trends: dict[str, list[Any]] = field(default_factory=dict)

    def title(self, labels: Labels = ZH) -> str:
        """店铺体检报告 · the shop's name (when known) · the category (SPEC §14)."""
        t = labels.of(LABELS)
        r = self.report
        return " · ".join(x for x in (t("title"), r.shop, r.category) if x)

    # ------------------------------------------------------------------ sections

    @cached_property
    def sections(self) -> dict[str, Renderable | None]:
        """Each section as its own command's report object (None: not computed)."""
        from tmallcli.render.compensation import CompensationReport
        from tmallcli.render.cs_ratings import CsReport
        from tmallcli.render.dsr import DsrReport
        from tmallcli.render.pickup import PickupReport
        from tmallcli.render.refunds import RefundsReport
        from tmallcli.render.response import ResponseReport
        from tmallcli.render.reviews import TriageReport
        from tmallcli.render.service import ServiceReport

        r = self.report
        run = r.compensation
        source = r.threshold_sources.get
        return {
            "service": None
            if r.service is None
            else ServiceReport(
                r.service,
                r.as_of,
                None,
                r.service_notes,
                r.service_warnings,
                r.service_sources,
                self.allow_partial,
            ),
            "dsr": None if r.dsr is None else DsrReport(r.dsr, r.as_of, r.category, source("dsr")),
            "pickup": None if r.pickup is None else PickupReport(r.pickup),
            "response": None if r.response is None else ResponseReport(r.response),
            "refunds": None if r.refunds is None else RefundsReport(r.refunds, source("refunds")),
            "compensation": None
            if run is None
            else CompensationReport(
                run.proposal, run.settlement, r.as_of, run.rules, run.ledger, run.warnings
            ),
            "cs": None if r.cs is None else CsReport(r.cs, r.as_of, r.cs_min_average, source("cs")),
            "triage": None
            if r.triage is None
            else TriageReport(r.triage, r.as_of, source("triage")),
        }

    # ------------------------------------------------------------------ summary

    def score_lines(self, labels: Labels = ZH) -> list[ScoreLine]:
        from tmallcli.metrics.dsr import format_threshold
        from tmallcli.metrics.service_score import round2
        from tmallcli.render.service import LABELS as SERVICE_LABELS
        from tmallcli.render.service import format_value

        t, service = labels.of(LABELS), labels.of(SERVICE_LABELS)
        r = self.report
        source = r.threshold_sources.get
        scales = {} if r.service_sources is None else r.service_sources.scales
        lines: list[ScoreLine] = []
        s = r.service
        if s is not None:
            total = s.total
            coverage = s.coverage
            shown = "—" if total is None else f"{round2(total):.2f}"
            lines.append(
                ScoreLine(
                    "service_total",
                    t("service_total"),
                    total,
                    f"{shown} {coverage_mark(coverage, labels)}" if coverage.partial else shown,
                    s.threshold,
                    marked(f"≥ {s.threshold:.2f}", source("service")),
                    s.passed,
                    check=True,
                    threshold_source=source("service"),
                    partial=coverage.partial,
                )
            )
        if r.dsr is not None:
            for key, d in r.dsr.dimensions.items():
                top = max(d.thresholds.values(), default=None)
                lines.append(
                    ScoreLine(
                        f"dsr.{key}",
                        t(f"dsr.{key}"),
                        d.score,
                        "—" if d.score is None else f"{d.score:.2f}",
                        None if top is None else float(top),
                        "—" if top is None else marked(f"≥ {format_threshold(top)}", source("dsr")),
                        None if d.exact is None else not d.flags,
                        check=True,
                        threshold_source=source("dsr"),
                    )
                )
        if s is not None:
            for key in SERVICE_ROWS:
                m = s.metrics.get(key)
                if m is None or m.value is None or m.weight <= 0:
                    continue  # not given, or not assessed in this category
                lines.append(
                    ScoreLine(
                        key,
                        service(key),
                        m.value,
                        format_value(key, m.value, t),
                        score=m.score,
                        points_lost=m.points_lost,
                        score_source=scales.get(key),
                    )
                )
        if r.cs is not None:
            average = r.cs.human.exact
            target = r.cs_min_average
            lines.append(
                ScoreLine(
                    "cs_average",
                    t("cs_average", days=r.cs.period.days),
                    r.cs.human.average,
                    "—" if r.cs.human.average is None else f"{r.cs.human.average:.2f}",
                    None if target is None else float(target),
                    "—" if target is None else marked(f"≥ {float(target):.2f}", source("cs")),
                    None if target is None or average is None else not average < target,
                    check=True,
                    threshold_source=None if target is None else source("cs"),
                )
            )
        if r.triage is not None:
            rate = r.triage.good_rate
            lines.append(
                ScoreLine(
                    "good_rate",
                    t("good_rate"),
                    rate,
                    "—" if rate is None else f"{rate:.2%}",
                )
            )
        if r.refunds is not None:
            late = len(r.refunds.at_risk)
            lines.append(
                ScoreLine(
                    "refunds_72h",
                    t("refunds_72h"),
                    late,
                    str(late),
                    0,
                    marked("0", source("refunds")),
                    late == 0,
                    check=True,
                    threshold_source=source("refunds"),
                )
            )
        if r.triage is not None:
            overdue = r.triage.overdue
            lines.append(
                ScoreLine(
                    "reviews_overdue",
                    t("reviews_overdue"),
                    overdue,
                    str(overdue),
                    0,
                    marked("0", source("triage")),
                    overdue == 0,
                    check=True,
                    threshold_source=source("triage"),
                )
            )
        if self.freshness is not None:
            from tmallcli.render.freshness import mark_stale_lines

            mark_stale_lines(lines, r, self.freshness)
        return lines

    def failed_checks(self, labels: Labels = ZH) -> list[ScoreLine]:
        """--check: the service score below its threshold or partial (unless --allow-partial),
        a DSR flag, the human CS average below cs.min_average, a refund waiting past 72 h, an
        overdue bad review."""
        return [
            line
            for line in self.score_lines(labels)
            if line.check and (line.passed is False or (line.partial and not self.allow_partial))
        ]

    @property
    def partial_failed(self) -> bool:
        """--check trips on a partial service total (SPEC §14)."""
        s = self.report.service
        return s is not None and s.coverage.partial and not self.allow_partial

    @property
    def failed(self) -> bool:
        return bool(self.failed_checks())

    def worst(self, labels: Labels = ZH) -> list[dict[str, Any]]:
        from tmallcli.render.service import LABELS as SERVICE_LABELS
        from tmallcli.render.service import evidence_text

        service = labels.of(SERVICE_LABELS)
        s = self.report.service
        if s is None:
            return []
        rows = []
        for key in s.worst:
            m = s.metrics[key]
            if m.points_lost <= 0:
                continue
            rows.append(
                {
                    "metric": key,
                    "label": service(key),
                    "points_lost": m.points_lost,
                    "value": m.value,
                    "evidence": [evidence_text(key, e, labels) for e in m.evidence],
                    "evidence_rows": m.evidence,
                }
            )
        return rows[:WORST]

    def todo(self) -> dict[str, Any]:
        """Today's to-do list (JSON ``todo``): :func:`tmallcli.render.todo.todo`."""
        return todo_of(self.report)

    # ------------------------------------------------------------------ JSON

    def to_json(self) -> dict[str, Any]:
        r = self.report
        lines = self.score_lines(ZH)
        failed = [line.key for line in self.failed_checks(ZH)]
        service = r.service
        data: dict[str, Any] = {
            "as_of": r.as_of.date,
            "category": r.category,
            "title": self.title(ZH),
            "shop": r.shop,
            "shop_source": r.shop_source,
            "files": r.files,
            "ignored": many(r.ignored, IGNORED),
            "skipped": r.skipped,
            "summary": {
                "passed": not failed,
                "failed": failed,
                "scores": [
                    {
                        "key": line.key,
                        "label": line.label,
                        "value": line.value,
                        "display": line.display,
                        "threshold": line.threshold,
                        "passed": line.passed,
                        "score": line.score,
                        "points_lost": line.points_lost,
                        "check": line.check,
                        "threshold_source": line.threshold_source,
                        **({"stale": True} if line.stale else {}),
                    }
                    for line in lines
                ],
                # SPEC §14: the service total from part of its metrics.
                "partial": service is not None and service.coverage.partial,
                "coverage": None if service is None else coverage_json(service.coverage),
                "worst": self.worst(ZH),
            },
            "todo": self.todo(),
            "dsr_trend": None if r.dsr_trend is None else to_json(r.dsr_trend, TREND),
            "warnings": many(r.warnings),
        }
        for key in SECTIONS:
            section = self.sections[key]
            data[key] = None if section is None else section.to_json()
        return data

    # ------------------------------------------------------------------ one screen

    def document(self, labels: Labels) -> Document:
        t = labels.of(LABELS)
        r = self.report
        doc = Document(self.title(t))
        used = sum(len(paths) for paths in r.files.values())
        head = (
            f"{t('as_of')} {r.as_of.date}  ·  {t('category')} {r.category}  ·  {t('files', n=used)}"
        )
        if r.ignored:
            head += f"  ·  {t('ignored', n=len(r.ignored))}"
        doc.line(head, "dim")
        failed = self.failed_checks(labels)
        if failed:
            names = ", ".join(
                f"{line.label} {coverage_mark(r.service.coverage, labels)}"
                if line.partial and r.service is not None
                else line.label
                for line in failed
            )
            doc.line(t("some_failed", n=len(failed), names=names), BAD)
        else:
            doc.line(t("all_passed"), GOOD)
        if self.freshness is not None:
            from tmallcli.render.freshness import data_through_line, stale_banner

            banner = stale_banner(self.freshness, labels)
            if banner is not None:
                doc.line(banner, BAD)
            doc.line(data_through_line(self.freshness, labels), "dim")
        if r.service is not None and r.service.coverage.partial:
            from tmallcli.render.service import LABELS as SERVICE_LABELS

            doc.line(partial_line(r.service.coverage, labels, labels.of(SERVICE_LABELS)), WARN)
        for section, reason in r.skipped.items():
            doc.line(
                t("skipped", name=t(f"section.{section}"), reason=reason),
                WARN,
            )
        doc.sections.append(self._scores_section(t))
        worst = self.worst(t)
        if worst:
            doc.sections.append(
                Section(
                    "worst",
                    t("worst"),
                    [
                        Column("rank", "#", numeric=True),
                        Column("metric", t("metric")),
                        Column("points_lost", t("points_lost"), numeric=True),
                        Column("evidence", t("evidence")),
                    ],
                    [
                        [
                            Cell(str(rank), raw=rank),
                            Cell(w["label"], raw=w["metric"]),
                            Cell(f"{w['points_lost']:.2f}", BAD, w["points_lost"]),
                            Cell("; ".join(w["evidence"]) or "—"),
                        ]
                        for rank, w in enumerate(worst, start=1)
                    ],
                )
            )
        doc.sections.append(self._todo_section(labels))
        return doc

    def _scores_section(self, t: Labels) -> Section:
        rows = []
        lines = self.score_lines(t)
        for line in lines:
            verdict = (
                Cell("—", raw="")
                if line.passed is None
                else Cell(t("passed"), GOOD, True)
                if line.passed
                else Cell(t("failed"), BAD, False)
            )
            score = (
                Cell("—", raw="")
                if line.score is None
                else Cell(
                    marked(f"{line.score:.2f}", line.score_source),
                    BAD if line.score < 3 else None,
                    line.score,
                )
            )
            if line.stale:  # the value's window runs past its export's data (SPEC §14)
                from tmallcli.render.freshness import LABELS as FRESHNESS

                mark = t.of(FRESHNESS)("stale.metric").strip(" （）()")
                text = mark if verdict.raw == "" else f"{verdict.text} {mark}"
                verdict = Cell(text, WARN if verdict.raw == "" else verdict.style, verdict.raw)
            rows.append(
                [
                    Cell(line.label, raw=line.key),
                    Cell(
                        line.display,
                        BAD if line.passed is False else WARN if line.partial else None,
                        line.value,
                    ),
                    score,
                    Cell(line.threshold_display, raw=line.threshold),
                    verdict,
                ]
            )
        placeholders = any(
            ILLUSTRATIVE in (line.threshold_source, line.score_source) for line in lines
        )
        return Section(
            "scores",
            t("scores"),
            [
                Column("item", t("item")),
                Column("value", t("value"), numeric=True),
                Column("score", t("score"), numeric=True),
                Column("threshold", t("threshold"), numeric=True),
                Column("result", t("result")),
            ],
            rows,
            [illustrative_note(t)] if placeholders else [],
        )

    def todo_lines(self, labels: Labels) -> list[tuple[str, str, int, str, bool]]:
        """(key, task, count, detail, urgent) for each to-do the exports allow."""
        return todo_lines(self.todo(), labels)

    def _todo_section(self, labels: Labels) -> Section:
        return todo_section(self.todo(), labels)
