"""基础服务考核分 → JSON contract (SPEC §6), tables, diagnosis and the target plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tmallcli.metrics.service_score import round2
from tmallcli.render.document import BAD, GOOD, WARN, Cell, Column, Document, Section, cell
from tmallcli.render.labels import ZH
from tmallcli.render.serialise import many
from tmallcli.render.verdicts import (
    coverage_json,
    coverage_mark,
    illustrative_note,
    marked,
    partial_line,
)

if TYPE_CHECKING:
    from tmallcli.config.origins import ServiceSources
    from tmallcli.metrics.service_score import ServiceScore, TargetPlan
    from tmallcli.render.labels import Labels
    from tmallcli.timeframe import AsOf

LABELS: dict[str, tuple[str, str]] = {
    "title": ("基础服务考核分", "Basic service assessment score"),
    "product": ("商品体验", "Product experience"),
    "logistics": ("物流体验", "Logistics experience"),
    "after_sales": ("售后体验", "After-sales experience"),
    "consultation": ("咨询体验", "Consultation experience"),
    "disputes": ("纠纷投诉", "Disputes and complaints"),
    "item_review_score": ("商品评价 (描述相符)", "Item reviews (as described)"),
    "pickup_24h_rate": ("24小时揽收及时率", "24h pickup rate"),
    "logistics_review_score": ("物流评价 (物流服务)", "Logistics reviews"),
    "refund_only_hours": ("仅退款自主完结时长", "Refund-only completion time"),
    "return_refund_hours": ("退货退款自主完结时长", "Return-and-refund completion time"),
    "response_rate": ("旺旺响应率", "Wangwang response rate"),
    "response_3min_rate": ("3分钟人工响应率", "3-minute human response rate"),
    "human_response_seconds": ("人工平均响应时长", "Mean human response time"),
    "dispute_refund_rate": ("纠纷退款率", "Dispute refund rate"),
    "complaint_rate": ("投诉成立率", "Established complaint rate"),
    "metric": ("指标", "Metric"),
    "dimension": ("维度", "Dimension"),
    "value": ("数值", "Value"),
    "score": ("得分", "Score"),
    "weight": ("权重", "Weight"),
    "points_lost": ("失分", "Points lost"),
    "status": ("状态", "Status"),
    "evidence": ("原因 / 证据", "Evidence"),
    "status.ok": ("", ""),
    "status.unavailable": ("缺少数据", "no export"),
    "status.no_data": ("窗口内无数据", "no data in window"),
    "status.what_if": ("假设值", "what-if"),
    "status.off": ("不考核", "off"),
    "status.approximate": ("近似值", "approximate"),
    "status.stale": ("数据过期", "stale data"),
    "threshold": ("活动门槛", "threshold"),
    "passed": ("达标", "passed"),
    "failed": ("未达标", "below the threshold"),
    "diagnosis": ("诊断: 失分最多的指标", "Diagnosis: where the points are lost"),
    "plan": ("提分计划", "Plan"),
    "plan.alone": ("单独达到目标所需数值", "Value that alone reaches the target"),
    "plan.cannot": ("单独无法达到", "cannot reach alone"),
    "plan.step": ("组合方案 (先易后难)", "Combination (cheapest first)"),
    "plan.from": ("当前", "now"),
    "plan.to": ("目标值", "to"),
    "plan.gain": ("加分", "gain"),
    "plan.reached": ("已达到目标", "already at the target"),
    "plan.unreachable": (
        "所有指标满分也无法达到该目标",
        "not reachable even with every metric at its best",
    ),
    "category": ("类目", "Category"),
    "as_of": ("统计日期", "As of"),
    "total": ("总分", "Total"),
}
RATES = {"pickup_24h_rate", "response_rate", "response_3min_rate"}
SMALL_RATES = {"dispute_refund_rate", "complaint_rate"}
HOURS = {"refund_only_hours", "return_refund_hours"}
SECONDS = {"human_response_seconds"}


def format_value(key: str, value: float | None, labels: Labels = ZH) -> str:
    if value is None:
        return "—"
    if key in RATES:
        return f"{value:.2%}"
    if key in SMALL_RATES:
        return f"{value * 100:.3f}%"
    if key in HOURS:
        return f"{value:.1f} {labels.either('小时', 'h')}"
    if key in SECONDS:
        return f"{value:.0f} {labels.either('秒', 's')}"
    return f"{value:.2f}"


# The precision each kind of value is shown with, in its own unit (a rate of 97.33 % is 0.9733).
_SHOWN_STEP = {
    **dict.fromkeys(RATES, "0.0001"),
    **dict.fromkeys(SMALL_RATES, "0.00001"),
    **dict.fromkeys(HOURS, "0.1"),
    **dict.fromkeys(SECONDS, "1"),
}


def plan_value(key: str, value: float, higher_is_better: bool) -> float:
    """A plan value as shown: rounded to the shown precision towards the better side (up for
    a rate, down for hours), so that the value a seller reads off the table and types back
    with --set still reaches the target."""
    from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

    step = Decimal(_SHOWN_STEP.get(key, "0.01"))
    rounding = ROUND_CEILING if higher_is_better else ROUND_FLOOR
    return float(Decimal(repr(value)).quantize(step, rounding=rounding))


def evidence_text(metric: str, e: dict[str, Any], labels: Labels) -> str:
    zh = not labels.en
    kind, key, value, count = e.get("kind"), e.get("key"), e.get("value"), e.get("count")
    if kind == "item":
        return (
            f"{key} 描述相符 {value:.2f} ({count} 条, ≤3分 {e['low_share']:.0%})"
            if zh
            else f"{key}: {value:.2f} over {count} ratings, {e['low_share']:.0%} ≤ 3"
        )
    if kind in ("carrier", "warehouse", "pay_hour"):
        name = f"{key}:00" if kind == "pay_hour" else (key or ("(未知)" if zh else "(unknown)"))
        label = {
            "carrier": ("物流公司", "carrier"),
            "warehouse": ("发货仓", "warehouse"),
            "pay_hour": ("付款时段", "paid at"),
        }[kind]
        return (
            f"{label[0]} {name}: {value:.1%} ({count} 单, {e['untimely']} 单未及时揽收)"
            if zh
            else f"{label[1]} {name}: {value:.1%} of {count}, {e['untimely']} untimely"
        )
    if kind == "refund":
        return (
            f"退款 {key} (订单 {e['order_id']}): {value:.1f} 小时, {e.get('reason') or ''}"
            if zh
            else f"refund {key} (order {e['order_id']}): {value:.1f} h, {e.get('reason') or ''}"
        )
    if kind == "disputes":
        return (
            f"卖家责任纠纷退款 {value} 笔 / 付款订单 {count}"
            if zh
            else f"{value} seller-liable dispute refunds / {count} orders"
        )
    if kind == "hour" and metric == "response_rate":
        return (
            f"{key}:00 时段: 漏回 {e['missed']} / {count} 个咨询 (响应率 {value:.1%})"
            if zh
            else f"{key}:00: {e['missed']} of {count} consultations missed ({value:.1%})"
        )
    if kind == "hour":
        return (
            f"{key}:00 时段: 3分钟响应 {value:.1%} ({count} 轮)"
            if zh
            else f"{key}:00: {value:.1%} within 3 min ({count} turns)"
        )
    if kind == "account":
        return (
            f"{key}: 人工平均 {value:.0f} 秒 ({count} 次)"
            if zh
            else f"{key}: {value:.0f} s on average ({count})"
        )
    if kind == "complaint":
        return (
            f"投诉 {key} (订单 {e['order_id']}, {e.get('type') or ''})"
            if zh
            else f"complaint {key} (order {e['order_id']}, {e.get('type') or ''})"
        )
    return str(e)


@dataclass
class ServiceReport:
    result: ServiceScore
    as_of: AsOf
    plan: TargetPlan | None = None
    notes: list[str] = field(default_factory=list)
    # What the exports lacked and how the metrics made do (SPEC §2.1): code and message each.
    warnings: list[Any] = field(default_factory=list)
    # Where the threshold, weights and scales come from (※ on the placeholders, SPEC §14).
    sources: ServiceSources | None = None
    # --allow-partial: --check judges a total from part of the metrics like a whole one.
    allow_partial: bool = False

    @property
    def failed(self) -> bool:
        """--check: below the threshold, or a partial total (unless --allow-partial)."""
        return self.result.passed is False or self.partial_failed

    @property
    def partial_failed(self) -> bool:
        return self.result.coverage.partial and not self.allow_partial

    def _source(self, kind: str, key: str) -> str | None:
        if self.sources is None:
            return None
        return (self.sources.weights if kind == "weight" else self.sources.scales).get(key)

    def to_json(self) -> dict[str, Any]:
        r = self.result
        data: dict[str, Any] = {
            "as_of": self.as_of.date,
            "category": r.category,
            "total": r.total,
            "total_display": None if r.total is None else f"{round2(r.total):.2f}",
            "threshold": r.threshold,
            "passed": r.passed,
            "dimensions": {
                k: {
                    "score": d.score,
                    "weight": d.weight,
                    "configured_weight": d.configured_weight,
                }
                for k, d in r.dimensions.items()
            },
            "metrics": {
                k: {
                    "value": m.value,
                    "score": m.score,
                    "weight": m.weight,
                    "configured_weight": m.configured_weight,
                    "points_lost": m.points_lost,
                    "status": m.status,
                    "evidence": m.evidence,
                    **({"approximate": True} if m.approximate else {}),
                    **({"stale": True} if m.stale else {}),
                    **({"note": m.note} if m.note else {}),
                }
                for k, m in r.metrics.items()
            },
            "worst": r.worst,
            "notes": r.notes + self.notes,
            "warnings": many(self.warnings),
            # SPEC §14: what the total rests on.
            "coverage": coverage_json(r.coverage),
            "partial": r.coverage.partial,
        }
        if self.sources is not None:
            data["threshold_source"] = self.sources.threshold
            for k, metric in data["metrics"].items():
                metric["weight_source"] = self.sources.weights.get(k)
                metric["scale_source"] = self.sources.scales.get(k)
        if self.plan is not None:
            p = self.plan
            data["plan"] = {
                "target": p.target,
                "reached": p.reached,
                # Full precision: a plan value given back through --set reaches the target
                # (rounded to 4 places it could fall short by a hair).
                "alone": dict(p.alone),
                "combination": [
                    {
                        "metric": s.key,
                        "value_from": s.value_from,
                        "value_to": s.value_to,
                        "score_from": s.score_from,
                        "score_to": s.score_to,
                        "points_gained": s.points_gained,
                    }
                    for s in p.combination
                ],
                "combination_reaches": p.combination_reaches,
            }
        return data

    def document(self, labels: Labels) -> Document:
        r = self.result
        t = labels.of(LABELS)
        doc = Document(t("title"))
        total = "—" if r.total is None else f"{round2(r.total):.2f}"
        coverage = r.coverage
        if coverage.partial:
            total = f"{total} {coverage_mark(coverage, labels)}"
        threshold = marked(
            f"{r.threshold:.2f}", None if self.sources is None else self.sources.threshold
        )
        verdict = "—" if r.passed is None else t("passed") if r.passed else t("failed")
        doc.line(
            f"{t('total')} {total} / 5  ·  {t('threshold')} {threshold}  ·  {verdict}",
            None if r.passed is None else WARN if coverage.partial else GOOD if r.passed else BAD,
        )
        doc.line(f"{t('as_of')} {self.as_of.date}  ·  {t('category')} {r.category}", "dim")
        if coverage.partial:
            doc.line(partial_line(coverage, labels, t), WARN)
        for note in r.notes + self.notes:
            doc.line(note, WARN)
        for warning in self.warnings:
            doc.line(warning.message, WARN)
        rows = []
        for key, m in r.metrics.items():
            status = t(f"status.{m.status}")
            if m.approximate:
                status = " ".join(x for x in (status, t("status.approximate")) if x)
            if m.stale:  # its window runs past its export's data (SPEC §14)
                status = " ".join(x for x in (status, t("status.stale")) if x)
            rows.append(
                [
                    Cell(t(m.dimension), raw=m.dimension),
                    Cell(t(key), raw=key),
                    Cell(format_value(key, m.value, t), raw=m.value),
                    Cell(
                        "—"
                        if m.score is None
                        else marked(f"{m.score:.2f}", self._source("scale", key)),
                        BAD if m.score is not None and m.score < 3 else None,
                        m.score,
                    ),
                    Cell(
                        marked(f"{m.weight:.0%}", self._source("weight", key)) if m.weight else "—",
                        raw=m.weight,
                    ),
                    Cell(
                        f"{m.points_lost:.2f}",
                        BAD if m.points_lost >= 0.25 else None,
                        m.points_lost,
                    ),
                    Cell(status, WARN if status else None, m.status),
                ]
            )
        doc.sections.append(
            Section(
                "metrics",
                t("title"),
                [
                    Column("dimension", t("dimension")),
                    Column("metric", t("metric")),
                    Column("value", t("value"), numeric=True),
                    Column("score", t("score"), numeric=True),
                    Column("weight", t("weight"), numeric=True),
                    Column("points_lost", t("points_lost"), numeric=True),
                    Column("status", t("status")),
                ],
                rows,
                [illustrative_note(labels)] if self.sources and self.sources.illustrative else [],
            )
        )
        diagnosis = []
        for rank, key in enumerate(r.worst, start=1):
            m = r.metrics[key]
            if m.points_lost <= 0:
                continue
            evidence = "; ".join(evidence_text(key, e, t) for e in m.evidence) or "—"
            diagnosis.append(
                [
                    cell(rank),
                    Cell(t(key), raw=key),
                    Cell(f"{m.points_lost:.2f}", raw=m.points_lost),
                    Cell(evidence),
                ]
            )
        if diagnosis:
            doc.sections.append(
                Section(
                    "diagnosis",
                    t("diagnosis"),
                    [
                        Column("rank", "#", numeric=True),
                        Column("metric", t("metric")),
                        Column("points_lost", t("points_lost"), numeric=True),
                        Column("evidence", t("evidence")),
                    ],
                    diagnosis,
                )
            )
        if self.plan is not None:
            doc.sections.extend(self._plan_sections(t))
        return doc

    def _shown(self, key: str, value: float | None) -> float | None:
        if value is None or (self.plan is not None and self.plan.reached):
            return value
        return plan_value(key, value, self.result.metrics[key].scale.higher_is_better)

    def _plan_sections(self, t: Labels) -> list[Section]:
        p = self.plan
        assert p is not None
        notes = (
            [t("plan.reached")]
            if p.reached
            else []
            if p.combination_reaches
            else [t("plan.unreachable")]
        )
        alone_rows = [
            [
                Cell(t(key), raw=key),
                Cell(
                    format_value(key, self.result.metrics[key].value, t),
                    raw=self.result.metrics[key].value,
                ),
                Cell(
                    format_value(key, self._shown(key, value), t)
                    if value is not None
                    else t("plan.cannot"),
                    None if value is not None else "dim",
                    value,
                ),
            ]
            for key, value in p.alone.items()
            if self.result.metrics[key].score is not None and self.result.metrics[key].weight > 0
        ]
        steps = [
            [
                Cell(t(s.key), raw=s.key),
                Cell(format_value(s.key, s.value_from, t), raw=s.value_from),
                Cell(format_value(s.key, self._shown(s.key, s.value_to), t), raw=s.value_to),
                Cell(f"+{s.points_gained:.2f}", raw=s.points_gained),
            ]
            for s in p.combination
        ]
        title = f"{t('plan')} → {p.target:.2f}"
        return [
            Section(
                "plan_alone",
                f"{title}: {t('plan.alone')}",
                [
                    Column("metric", t("metric")),
                    Column("now", t("plan.from"), numeric=True),
                    Column("needed", t("plan.to"), numeric=True),
                ],
                alone_rows,
                notes,
            ),
            Section(
                "plan_combination",
                f"{title}: {t('plan.step')}",
                [
                    Column("metric", t("metric")),
                    Column("from", t("plan.from"), numeric=True),
                    Column("to", t("plan.to"), numeric=True),
                    Column("gain", t("plan.gain"), numeric=True),
                ],
                steps,
            ),
        ]
