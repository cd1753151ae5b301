"""售后 result → JSON contract (SPEC §8) and labelled tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tmallcli.metrics.refunds import (
    HOURS_METRICS,
    NEEDS_ORDERS,
    NO_ORDERS_PAID,
    REFUND_ONLY_HOURS,
    RETURN_REFUND_HOURS,
)
from tmallcli.money import yuan
from tmallcli.render.document import (
    BAD,
    GOOD,
    WARN,
    Cell,
    Column,
    Document,
    Rows,
    Section,
    cell,
    percent,
    time_cell,
)
from tmallcli.render.serialise import Shape, many, to_json

if TYPE_CHECKING:
    from tmallcli.metrics.refunds import Breakdown, RefundsResult, Simulation
    from tmallcli.render.labels import Labels

LABELS: dict[str, tuple[str, str]] = {
    "title": ("售后 · 退款", "After-sales: refunds"),
    "window": ("退款完结日期", "Completed on"),
    "refund_only_hours": ("仅退款自主完结时长", "Refund-only completion time"),
    "return_refund_hours": ("退货退款自主完结时长", "Return-and-refund completion time"),
    "dispute_refund_rate": ("纠纷退款率", "Dispute refund rate"),
    "hours_unit": ("小时", "h"),
    "refunds_unit": ("笔", "refunds"),
    "no_value": ("无完结退款", "no completed refund"),
    "no_rate": ("需要 --orders 作为分母", "needs --orders for the denominator"),
    "no_orders_paid": ("窗口内无付款订单", "no orders paid in the window"),
    "excluded": ("不计入", "Not counted"),
    "excluded.intervened": ("小二介入", "platform intervened"),
    "excluded.never_returned": ("买家未退货", "buyer never returned"),
    "excluded.other_type": ("其他售后类型", "other after-sales type"),
    "watch.summary": (
        "待卖家处理 {waiting} 笔 · 超过{hours}小时（买家可申请客服介入）{risk} 笔",
        "waiting for the seller {waiting} · past {hours} h (buyer may ask the platform) {risk}",
    ),
    "watch.clear": (
        "没有超过{hours}小时未处理的退款",
        "no refund has waited for the seller past {hours} h",
    ),
    "warning": ("注意", "Warning"),
    "waiting": ("待处理退款", "Refunds waiting for the seller"),
    "slowest": ("完结最慢的退款", "Slowest refunds"),
    "by_type": ("按售后类型", "By type"),
    "by_reason": ("按退款原因", "By reason"),
    "auto_refund": ("自动退款策略模拟", "Auto-refund strategy simulation"),
    "auto_refund.note": (
        "假设命中策略的退款在申请后 {minutes} 分钟内自动处理（小二介入的除外）；笔数与金额为 {start} … {end} 申请的退款",
        "as if matching refunds were decided {minutes} min after application (platform-"
        "intervened ones aside); count and amount: refunds applied on {start} … {end}",
    ),
    "combined": ("全部策略合计", "All rules combined"),
    "refund_id": ("退款编号", "Refund"),
    "order_id": ("订单编号", "Order"),
    "refund_type": ("售后类型", "Type"),
    "reason": ("退款原因", "Reason"),
    "status": ("退款状态", "Status"),
    "applied_at": ("申请时间", "Applied at"),
    "completed_at": ("完结时间", "Completed at"),
    "waiting_since": ("等待起点", "Waiting since"),
    "hours": ("卖家时长(小时)", "Seller hours"),
    "buyer_hours": ("买家退货时长(小时)", "Buyer hours"),
    "waited": ("已等待(小时)", "Waiting (h)"),
    "intervention_at": ("可申请介入时间", "Escalation possible at"),
    "intervention_risk": ("介入风险", "Escalation risk"),
    "risk": ("可申请客服介入", "buyer may escalate"),
    "platform_intervened": ("已小二介入", "Platform intervened"),
    "yes": ("是", "yes"),
    "amount": ("金额(元)", "Amount (yuan)"),
    "count": ("笔数", "Refunds"),
    "mean_hours": ("平均时长(小时)", "Mean hours"),
    "rule": ("策略", "Rule"),
    "action": ("动作", "Action"),
    "action.auto_refund": ("自动退款", "auto refund"),
    "action.auto_agree": ("自动同意退货", "auto agree"),
    "intervened": ("小二介入", "Intervened"),
    "before_after": ("{label} 前→后", "{label} before→after"),
    "unknown": ("(未知)", "(unknown)"),
}


def _hours_cell(value: float | None) -> Cell:
    return cell(None) if value is None else Cell(f"{value:.2f}", raw=value)


def _money(fen: int) -> Cell:
    return Cell(yuan(fen), raw=yuan(fen))


# JSON shapes (SPEC §8): money as fen and yuan; a simulation names its rule unless combined.
BY_REASON = Shape(rename={"key": "reason"}, money=("amount_fen",))
BY_TYPE = Shape(rename={"key": "refund_type"}, money=("amount_fen",))
REFUND = Shape(money=("amount_fen",))
SIMULATION = Shape(
    keys=(
        "name",
        "action",
        "count",
        "amount_fen",
        "intervened",
        "before",
        "after",
        "change",
        "counted_after",
    ),
    money=("amount_fen",),
    only_if={"name": "name", "action": "name"},
)
AUTO_REFUND = Shape(nested={"rules": SIMULATION, "combined": SIMULATION})


@dataclass
class RefundsReport:
    result: RefundsResult
    threshold_source: str | None = None  # of intervention_after_hours (SPEC §14)

    @property
    def intervention_risk(self) -> bool:
        """A refund has waited for the seller past the 72 h after which the buyer may escalate."""
        return bool(self.result.at_risk)

    def to_json(self) -> dict[str, Any]:
        r = self.result
        return {
            "as_of": r.as_of,
            "as_of_instant": r.instant,
            "window": {"start": r.window_start, "end": r.window_end},
            "refund_only_hours": r.refund_only_hours,
            "return_refund_hours": r.return_refund_hours,
            "dispute_refund_rate": r.dispute_refund_rate,
            "intervention_after_hours": r.rules.intervention_after_hours,
            "threshold_source": self.threshold_source,
            "counts": r.counts,
            "by_reason": many(r.by_reason, BY_REASON),
            "by_type": many(r.by_type, BY_TYPE),
            "slowest": many(r.slowest, REFUND),
            "waiting": many(r.waiting, REFUND),
            "auto_refund": to_json(r.auto_refund, AUTO_REFUND),
            "warnings": many(r.warnings),
            "approximate": r.approximate,
        }

    def document(self, labels: Labels) -> Document:
        t = labels.of(LABELS)
        r = self.result
        doc = Document(t("title"))
        doc.line(f"{t('as_of')} {r.as_of}  ·  {t('window')} {r.window_start} … {r.window_end}")
        hours_unit, unit = t("hours_unit"), t("refunds_unit")
        for key in HOURS_METRICS:
            value = getattr(r, key)
            count = r.counts[key.removesuffix("_hours")]
            text = (
                f"{value:.2f} {hours_unit} ({count} {unit})" if value is not None else t("no_value")
            )
            doc.line(f"{t(key)}: {text}", "bold")
        if r.dispute_refund_rate is not None:
            rate = (
                f"{percent(r.dispute_refund_rate, 3)} "
                f"({r.counts['disputes']}/{r.counts['orders_paid']})"
            )
        elif r.counts.get("orders_paid") is None:
            rate = t("no_rate")
        else:
            rate = t("no_orders_paid")
        doc.line(f"{t('dispute_refund_rate')}: {rate}", "bold")
        excluded = " · ".join(
            f"{t('excluded.' + reason)} {r.counts[f'{reason}_excluded']}"
            for reason in ("intervened", "never_returned", "other_type")
        )
        doc.line(f"{t('excluded')}: {excluded}", "dim")
        hours = r.rules.intervention_after_hours
        risk = len(r.at_risk)
        if risk:
            doc.line(
                "⚠ " + t("watch.summary").format(waiting=len(r.waiting), hours=hours, risk=risk),
                BAD,
            )
        else:
            doc.line("✓ " + t("watch.clear").format(hours=hours), GOOD)
        for warning in r.warnings:
            if warning.code not in (NEEDS_ORDERS, NO_ORDERS_PAID):  # the rate line says it
                doc.line(f"{t('warning')}: {warning.message}", WARN)
        # First section: the refunds to handle today (CSV output carries the first section only).
        doc.sections.append(self._waiting_section(t))
        doc.sections.append(self._slowest_section(t))
        doc.sections.append(self._breakdown_section("by_type", "refund_type", r.by_type, t))
        doc.sections.append(self._breakdown_section("by_reason", "reason", r.by_reason, t))
        doc.sections.append(self._auto_refund_section(t))
        return doc

    def _waiting_section(self, t: Labels) -> Section:
        keys = (
            "refund_id",
            "order_id",
            "refund_type",
            "reason",
            "status",
            "applied_at",
            "waiting_since",
            "waited",
            "intervention_at",
            "intervention_risk",
            "platform_intervened",
            "amount",
        )
        columns = [Column(k, t(k), numeric=k in ("waited", "amount")) for k in keys]
        # Made as they are read: the HTML page shows the first rows of thousands (1 M orders).
        rows = Rows(
            self.result.waiting,
            lambda w: [
                cell(w.refund_id),
                cell(w.order_id),
                cell(w.refund_type),
                cell(w.reason),
                cell(w.status),
                time_cell(w.applied_at),
                time_cell(w.waiting_since),
                Cell(f"{w.hours:.2f}", BAD if w.intervention_risk else None, w.hours),
                time_cell(w.intervention_at),
                Cell(t("risk"), BAD, True) if w.intervention_risk else Cell("—", None, False),
                Cell(t("yes"), WARN, True) if w.platform_intervened else Cell("—", None, False),
                _money(w.amount_fen),
            ],
        )
        return Section("waiting", t("waiting"), columns, rows)

    def _slowest_section(self, t: Labels) -> Section:
        keys = (
            "refund_id",
            "order_id",
            "refund_type",
            "reason",
            "status",
            "applied_at",
            "completed_at",
            "hours",
            "buyer_hours",
            "amount",
        )
        numeric = ("hours", "buyer_hours", "amount")
        columns = [Column(k, t(k), numeric=k in numeric) for k in keys]
        rows = [
            [
                cell(s.refund_id),
                cell(s.order_id),
                cell(s.refund_type),
                cell(s.reason),
                cell(s.status),
                time_cell(s.applied_at),
                time_cell(s.completed_at),
                _hours_cell(s.hours),
                _hours_cell(s.buyer_hours),
                _money(s.amount_fen),
            ]
            for s in self.result.slowest
        ]
        return Section("slowest", t("slowest"), columns, rows)

    def _breakdown_section(
        self, key: str, key_name: str, rows_in: list[Breakdown], t: Labels
    ) -> Section:
        columns = [
            Column(key_name, t(key_name)),
            Column("count", t("count"), numeric=True),
            Column("hours", t("mean_hours"), numeric=True),
            Column("amount", t("amount"), numeric=True),
        ]
        rows = [
            [
                cell(b.key) if b.key is not None else Cell(t("unknown"), raw=""),
                cell(b.count),
                _hours_cell(b.hours),
                _money(b.amount_fen),
            ]
            for b in rows_in
        ]
        return Section(key, t(key), columns, rows)

    def _auto_refund_section(self, t: Labels) -> Section:
        r = self.result
        columns = [
            Column("rule", t("rule")),
            Column("action", t("action")),
            Column("count", t("count"), numeric=True),
            Column("amount", t("amount"), numeric=True),
            Column("intervened", t("intervened"), numeric=True),
            *(
                Column(key, t("before_after").format(label=t(key)), numeric=True)
                for key in (REFUND_ONLY_HOURS, RETURN_REFUND_HOURS)
            ),
        ]
        rows = []
        for sim in [*r.auto_refund.rules, r.auto_refund.combined]:
            name = sim.name if sim.name is not None else t("combined")
            action = t(f"action.{sim.action}") if sim.action is not None else "—"
            rows.append(
                [
                    Cell(name, "bold" if sim.name is None else None, name),
                    Cell(action, raw=sim.action or ""),
                    cell(sim.count),
                    _money(sim.amount_fen),
                    cell(sim.intervened),
                    *(self._before_after(sim, key) for key in HOURS_METRICS),
                ]
            )
        note = t("auto_refund.note").format(
            minutes=r.auto_refund.auto_minutes, start=r.window_start, end=r.window_end
        )
        return Section("auto_refund", t("auto_refund"), columns, rows, [note])

    @staticmethod
    def _before_after(sim: Simulation, key: str) -> Cell:
        before, after = sim.before[key], sim.after[key]

        def show(value: float | None) -> str:
            return "—" if value is None else f"{value:.2f}"

        improved = before is not None and after is not None and after < before
        return Cell(f"{show(before)} → {show(after)}", GOOD if improved else None, after)
