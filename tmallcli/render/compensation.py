"""Compensation payouts → JSON contract (SPEC §5), the red-packet table and the reasons in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial
from typing import TYPE_CHECKING, Any

from tmallcli.metrics.compensation import KINDS
from tmallcli.metrics.compensation.results import Payouts
from tmallcli.money import yuan
from tmallcli.render.document import BAD, WARN, Cell, Column, Document, Rows, Section, cell
from tmallcli.render.labels import ZH
from tmallcli.render.serialise import Shape, many, to_json

if TYPE_CHECKING:
    from datetime import datetime

    from tmallcli.ledger import LedgerReport
    from tmallcli.metrics.compensation import (
        CompensationRules,
        Payout,
        PayoutLine,
        Proposal,
        Settlement,
    )
    from tmallcli.render.labels import Labels
    from tmallcli.timeframe import AsOf

LABELS: dict[str, tuple[str, str]] = {
    "title": ("买家赔付清单 (延迟发货 / 时效承诺 / 缺货)", "Compensation owed to buyers"),
    "kind.late_shipment": ("延迟发货", "late shipment"),
    "kind.promise_broken": ("时效承诺未履约", "delivery promise broken"),
    "kind.out_of_stock": ("缺货", "out of stock"),
    "kind": ("类型", "Kind"),
    "buyer": ("买家", "Buyer"),
    "order_ids": ("订单编号", "Orders"),
    "order_id": ("订单编号", "Order"),
    "amount": ("金额(元)", "Amount (yuan)"),
    "reason": ("原因", "Reason"),
    "payouts": ("待发红包", "Payouts to send"),
    "summary": ("汇总", "Summary"),
    "count": ("笔数", "Payouts"),
    "orders": ("订单数", "Orders"),
    "total": ("合计(元)", "Total (yuan)"),
    "all": ("合计", "All"),
    "severe": (
        "情节严重: 超时超过 {h} 小时, 商品需下架审查",
        "Severe: over {h} h late, items for delisting review",
    ),
    "hours_late": ("超时(小时)", "Hours late"),
    "paid_at": ("付款时间", "Paid at"),
    "deadline": ("最晚发货", "Ship by"),
    "item_id": ("宝贝ID", "Item ID"),
    "item_title": ("宝贝标题", "Item title"),
    "recon.not_late": ("平台已自动赔付, 本次未判定延迟", "Paid by the platform, not late here"),
    "recon.different": ("平台赔付金额不同", "Platform paid a different amount"),
    "computed": ("应赔(元)", "Computed (yuan)"),
    "platform": ("平台已赔(元)", "Platform paid (yuan)"),
    "difference": ("差额(元)", "Difference (yuan)"),
    "line.as_of": ("统计截至 {instant}", "As of {instant}"),
    "line.total": ("本次应付 {n} 笔, 合计 {total} 元", "{n} payout(s) due, {total} yuan in all"),
    "line.late": (
        "延迟发货订单 {orders} 笔, 合并为 {groups} 组",
        "{orders} late order(s) in {groups} group(s)",
    ),
    "line.ledger": (
        "账本 {path}: 本次记录 {lines} 行, {total} 元 (运行 {run}); 这些订单此前已记账 {before} 元",
        "Ledger {path}: recorded {lines} line(s), {total} yuan (run {run}); these orders held "
        "{before} yuan before",
    ),
    "line.ledger_dry": (
        "账本 {path}: 试运行, 未写入; 这些订单此前已记账 {before} 元",
        "Ledger {path}: dry run, nothing written; these orders held {before} yuan before",
    ),
    "line.recon": (
        "对账 (延迟发货自动赔付): 本工具应赔 {computed} 元, 平台已赔 {platform} 元 ({orders} 单), 差额 {diff} 元; "
        "一致 {matched} 单, 平台未赔的延迟订单 {unpaid} 单",
        "Reconciliation (platform auto compensation): computed {computed} yuan, platform paid "
        "{platform} yuan ({orders} orders), difference {diff} yuan; {matched} match, "
        "{unpaid} late order(s) not paid by the platform",
    ),
    "line.undecided": (
        "{n} 笔当日达/次日达订单没有签收时间, 无法判断是否违约, 未计入",
        "{n} same-day / next-day order(s) have no delivery time: cannot tell, not paid",
    ),
    "line.unattributed": (
        "注意: 组 {group} 还应补付 {amount} 元, 但其订单都已在账本中, 无法记录; 请人工处理",
        "Note: group {group} is owed {amount} yuan more but all its orders are already in the "
        "ledger; handle it by hand",
    ),
    # reasons
    "r.late": ("延迟发货", "late shipment"),
    "r.pickup": ("付款后 {h} 小时揽收", "picked up {h} h after payment"),
    "r.shipped": (
        "付款后 {h} 小时发货 (无揽收记录)",
        "shipped {h} h after payment (no pickup record)",
    ),
    "r.open": ("付款后 {h} 小时仍未揽收", "not picked up {h} h after payment"),
    "r.closed": ("付款后 {h} 小时关闭订单, 未发货", "closed unshipped {h} h after payment"),
    "r.promise": ("承诺 {h} 小时", "promised {h} h"),
    "r.promised_by": ("承诺 {h} 小时 (最晚发货时间 {at})", "promised {h} h (ship by {at})"),
    "r.group": ("{n} 单 24 小时内付款, 合并计算", "{n} orders paid within 24 h, merged"),
    "r.capped": ("封顶 {cap} 元", "capped at {cap} yuan"),
    "r.already": ("扣除已赔付 {amount} 元{parts}", "less {amount} yuan already paid{parts}"),
    "r.platform": ("平台自动赔付 {amount}", "platform {amount}"),
    "r.ledger": ("此前运行 {amount}", "earlier runs {amount}"),
    "r.flagged": ("{service}未履约 (平台标记违约)", "{service} promise broken (platform flag)"),
    "r.signed": (
        "{service}未履约: {paid} 付款, {signed} 签收",
        "{service} promise broken: paid {paid}, delivered {signed}",
    ),
    "r.stock": (
        "缺货退款 (未发货): 退款 {refund} 元 × {rate}%",
        "out-of-stock refund before shipping: {rate}% of {refund} yuan",
    ),
    "r.minimum": ("最低 {amount} 元", "minimum {amount} yuan"),
}


def _tenths(seconds: int) -> int:
    """Hours in tenths, half up: floor(seconds / 360 + 1/2), in integers (53.25 h → 533)."""
    return (int(seconds) + 180) // 360


def hours_text(seconds: int | None) -> str:
    """Hours with one decimal, half up (53.2); whole hours without a decimal (48)."""
    if seconds is None:
        return "—"
    if int(seconds) % 3600 == 0:
        return str(int(seconds) // 3600)
    tenths = _tenths(seconds)
    return (
        f"{tenths // 10}.{tenths % 10}" if tenths >= 0 else f"-{(-tenths) // 10}.{(-tenths) % 10}"
    )


def hours_value(seconds: int | None) -> float | None:
    """Hours in full precision for JSON (SPEC §14); :func:`hours_text` is what tables show."""
    if seconds is None:
        return None
    return seconds / 3600


def _seconds(later: datetime | None, earlier: datetime | None) -> int | None:
    if later is None or earlier is None:
        return None
    return int((later - earlier).total_seconds())


def _late_reason(line: PayoutLine, t: Labels) -> str:
    after = hours_text(_seconds(line.end_at, line.paid_at))
    kind = line.end_kind or "open"
    what = t(f"r.{kind}", h=after)
    promise_h = hours_text(_seconds(line.deadline, line.paid_at))
    if line.promised and line.deadline is not None:
        promise = t("r.promised_by", h=promise_h, at=f"{line.deadline:%m-%d %H:%M}")
    else:
        promise = t("r.promise", h=promise_h)
    return f"{what}, {promise}"


def _promise_reason(line: PayoutLine, t: Labels) -> str:
    service = line.service or ""
    if line.delivered_at is not None and line.paid_at is not None and not line.flagged:
        return t(
            "r.signed",
            service=service,
            paid=f"{line.paid_at:%m-%d}",
            signed=f"{line.delivered_at:%m-%d}",
        )
    return t("r.flagged", service=service)


def _stock_reason(line: PayoutLine, rules: CompensationRules, t: Labels) -> str:
    refund = line.refund_fen or 0
    text = t("r.stock", refund=yuan(refund), rate=rules.stock_rate_percent)
    if (
        line.order_fen == rules.stock_minimum_fen
        and refund * Fraction(str(rules.stock_rate_percent)) / 100 < rules.stock_minimum_fen
    ):
        text += ", " + t("r.minimum", amount=yuan(rules.stock_minimum_fen))
    return text


def reason(payout: Payout, rules: CompensationRules, labels: Labels = ZH) -> str:
    """Why this payout is owed, in words the person sending the red packet can repeat."""
    t = labels.of(LABELS)
    sep = "; "
    if payout.kind == "late_shipment":
        head = t("r.late")
        if len(payout.order_ids) == 1:
            text = f"{head}: {_late_reason(payout.lines[0], t)}"
        else:
            parts = [f"{line.order_id} {_late_reason(line, t)}" for line in payout.lines]
            group = t("r.group", n=len(payout.order_ids))
            text = f"{head} ({group}): " + sep.join(parts)
        if payout.capped:
            text += sep + t("r.capped", cap=yuan(payout.group_fen))
    elif payout.kind == "promise_broken":
        text = _promise_reason(payout.lines[0], t)
    else:
        text = _stock_reason(payout.lines[0], rules, t)
    already = payout.ledger_fen + payout.platform_fen
    if already:
        parts = []
        if payout.platform_fen:
            parts.append(t("r.platform", amount=yuan(payout.platform_fen)))
        if payout.ledger_fen:
            parts.append(t("r.ledger", amount=yuan(payout.ledger_fen)))
        text += sep + t("r.already", amount=yuan(already), parts=f" ({', '.join(parts)})")
    return text


def _reason_in(payout: Payout, labels: Labels, *, rules: CompensationRules) -> str:
    return reason(payout, rules, labels)


# JSON shapes (SPEC §5). A line carries its late-shipment, promise and stock details only
# when it has them; money is fen and yuan.
LINE = Shape(
    keys=(
        "order_id",
        "order_fen",
        "pay_fen",
        "already_fen",
        "paid_at",
        "deadline",
        "promised",
        "end_kind",
        "end_at",
        "hours_after_payment",
        "hours_late",
        "service",
        "delivered_at",
        "flagged",
        "refund_fen",
        "refund_ids",
    ),
    rename={
        "order_fen": "order_amount_fen",
        "pay_fen": "amount_fen",
        "already_fen": "already_paid_fen",
    },
    money=("order_fen", "pay_fen", "refund_fen"),
    derive={
        "hours_after_payment": lambda line: hours_value(_seconds(line.end_at, line.paid_at)),
        "hours_late": lambda line: hours_value(_seconds(line.end_at, line.deadline)),
    },
    only_if={
        **dict.fromkeys(
            ("deadline", "promised", "end_kind", "end_at", "hours_after_payment", "hours_late"),
            "deadline",
        ),
        **dict.fromkeys(("service", "delivered_at", "flagged"), "service"),
        **dict.fromkeys(("refund_fen", "refund_ids"), "refund_fen"),
    },
)
PAYOUT_KEYS = (
    "kind",
    "buyer",
    "group_id",
    "order_ids",
    "amount_fen",
    "reason",
    "group_fen",
    "order_total_fen",
    "capped",
    "already_paid",
    "lines",
)
SEVERE = Shape(
    keys=("order_id", "buyer", "hours_late", "paid_at", "deadline", "item_id", "item_title"),
    derive={"hours_late": lambda o: hours_value(o.late_seconds)},
)
RECONCILED = Shape(
    then=("difference_fen",), money=("computed_fen", "platform_fen", "difference_fen")
)
RECONCILIATION = Shape(
    keys=(
        "computed_total_fen",
        "platform_total_fen",
        "difference_fen",
        "platform_orders",
        "matched",
        "unpaid_late_orders",
        "not_late",
        "different",
    ),
    money=("computed_total_fen", "platform_total_fen", "difference_fen"),
    nested={"not_late": RECONCILED, "different": RECONCILED},
)
LEDGER = Shape(omit=("existed", "open"))  # the open list is the payouts
UNATTRIBUTED = Shape(money=("amount_fen",))


def _payout_shape(rules: CompensationRules) -> Shape:
    """The payout's shape: its reason is worded (in Chinese) from the rules of the run."""
    return Shape(
        keys=PAYOUT_KEYS,
        rename={"group_fen": "group_amount_fen"},
        money=("amount_fen",),
        derive={
            "reason": lambda payout: reason(payout, rules, ZH),
            "already_paid": lambda payout: {
                "ledger_fen": payout.ledger_fen,
                "platform_fen": payout.platform_fen,
            },
        },
        nested={"lines": LINE},
    )


def _summary(payouts: Payouts) -> dict[str, dict[str, Any]]:
    # From the columns: the page makes no payout it does not show.
    counts = dict.fromkeys(KINDS, 0)
    orders = dict.fromkeys(KINDS, 0)
    totals = dict.fromkeys(KINDS, 0)
    for kind, (n, kind_orders, fen) in payouts.by_kind().items():
        counts[kind], orders[kind], totals[kind] = n, kind_orders, fen
    summary = {}
    for kind in KINDS:
        summary[kind] = {
            "count": counts[kind],
            "orders": orders[kind],
            "total_fen": totals[kind],
            "total": yuan(totals[kind]),
        }
    return summary


@dataclass
class CompensationReport:
    proposal: Proposal
    settlement: Settlement
    as_of: AsOf
    rules: CompensationRules
    ledger: LedgerReport | None = None
    # What the orders export lacked (SPEC §2.1): code and message each.
    warnings: list[Any] = field(default_factory=list)

    @property
    def due(self) -> bool:
        if self.ledger is not None:  # money owed until it is marked paid (SPEC §5.1)
            return bool(self.ledger.open)
        return bool(self.settlement.payouts)

    def _loop_json(self) -> dict[str, Any]:
        """With a ledger: the open list and its totals (SPEC §5.1), ``total_fen`` = open."""
        from tmallcli.render.open_list import open_json, open_summary

        ledger = self.ledger
        assert ledger is not None
        shape = _payout_shape(self.rules)
        return {
            "payouts": open_json(ledger, self.settlement, lambda p: to_json(p, shape)),
            "total_fen": ledger.open_total_fen,
            "total": yuan(ledger.open_total_fen),
            "run_id": ledger.run_id,
            "open_total_fen": ledger.open_total_fen,
            "open_total": yuan(ledger.open_total_fen),
            "new_total_fen": ledger.new_total_fen,
            "new_total": yuan(ledger.new_total_fen),
            "summary": open_summary(ledger, KINDS),
        }

    def to_json(self) -> dict[str, Any]:
        p, s = self.proposal, self.settlement
        recon = p.reconciliation
        loop = {} if self.ledger is None else self._loop_json()
        return {
            "as_of": self.as_of.date,
            "as_of_instant": p.as_of,
            "payouts": many(s.payouts, _payout_shape(self.rules)),
            "total_fen": s.total_fen,
            "total": yuan(s.total_fen),
            **loop,
            "late_orders": p.late_orders,
            "late_groups": p.late_groups,
            "severe_after_hours": self.rules.severe_after_hours,
            "severe": many(p.severe, SEVERE),
            "summary": loop.get("summary") or _summary(s.payouts),
            "reconciliation": None if recon is None else to_json(recon, RECONCILIATION),
            "ledger": None if self.ledger is None else to_json(self.ledger, LEDGER),
            "undecided_promises": p.undecided_promises,
            "unattributed": many(s.unattributed, UNATTRIBUTED),
            "warnings": many(self.warnings),
        }

    def document(self, labels: Labels) -> Document:
        t = labels.of(LABELS)
        p, s = self.proposal, self.settlement
        doc = Document(t("title"))
        doc.line(t("line.as_of", instant=f"{p.as_of:%Y-%m-%d %H:%M:%S}"))
        if self.ledger is None:
            doc.line(
                t("line.total", n=len(s.payouts), total=yuan(s.total_fen)),
                BAD if s.payouts else None,
            )
        else:
            from tmallcli.render.open_list import open_lines

            open_lines(doc, self.ledger, labels)
        doc.line(t("line.late", orders=p.late_orders, groups=p.late_groups), "dim")
        if self.ledger is not None:
            before = yuan(self.ledger.previously_paid_fen)
            if self.ledger.dry_run:
                doc.line(
                    t("line.ledger_dry", path=self.ledger.path, before=before),
                    WARN,
                )
            else:
                doc.line(
                    t(
                        "line.ledger",
                        path=self.ledger.path,
                        lines=self.ledger.recorded_lines,
                        total=yuan(self.ledger.recorded_fen),
                        run=self.ledger.run_id,
                        before=before,
                    ),
                    "dim",
                )
        if p.undecided_promises:
            doc.line(t("line.undecided", n=len(p.undecided_promises)), WARN)
        for u in s.unattributed if self.ledger is None else []:  # else: adjustment lines
            doc.line(
                t("line.unattributed", group=u.group_id, amount=yuan(u.amount_fen)),
                BAD,
            )

        columns = [
            Column("kind", t("kind")),
            Column("buyer", t("buyer")),
            Column("order_ids", t("order_ids")),
            Column("amount", t("amount"), numeric=True),
            Column("reason", t("reason")),
        ]
        rows = Rows(
            s.payouts,
            lambda payout: [
                Cell(t(f"kind.{payout.kind}")),
                cell(payout.buyer),
                Cell(",".join(payout.order_ids)),
                Cell(yuan(payout.amount_fen), raw=yuan(payout.amount_fen)),
                Cell(reason(payout, self.rules, t)),
            ],
        )
        if self.ledger is None:
            doc.sections.append(Section("payouts", t("payouts"), columns, rows))
            summary = _summary(s.payouts)
            count, total = len(s.payouts), s.total_fen
        else:
            from tmallcli.render.open_list import open_section, open_summary

            words = partial(_reason_in, rules=self.rules)
            doc.sections.append(open_section(self.ledger, s, words, labels))
            summary = open_summary(self.ledger, KINDS)
            count, total = len(self.ledger.open), self.ledger.open_total_fen
        sum_columns = [
            Column("kind", t("kind")),
            Column("count", t("count"), numeric=True),
            Column("orders", t("orders"), numeric=True),
            Column("total", t("total"), numeric=True),
        ]
        sum_rows = [
            [
                Cell(t(f"kind.{kind}"), raw=kind),
                cell(v["count"]),
                cell(v["orders"]),
                Cell(v["total"], raw=v["total"]),
            ]
            for kind, v in summary.items()
        ]
        sum_rows.append(
            [
                Cell(t("all"), raw="all"),
                cell(count),
                cell(sum(v["orders"] for v in summary.values())),
                Cell(yuan(total), raw=yuan(total)),
            ]
        )
        doc.sections.append(Section("summary", t("summary"), sum_columns, sum_rows))

        if p.severe:
            severe_columns = [
                Column("order_id", t("order_id")),
                Column("buyer", t("buyer")),
                Column("hours_late", t("hours_late"), numeric=True),
                Column("paid_at", t("paid_at")),
                Column("deadline", t("deadline")),
                Column("item_id", t("item_id")),
                Column("item_title", t("item_title")),
            ]
            severe_rows = Rows(
                p.severe,
                lambda o: [
                    cell(o.order_id),
                    cell(o.buyer),
                    Cell(hours_text(o.late_seconds), BAD, hours_value(o.late_seconds)),
                    cell(f"{o.paid_at:%Y-%m-%d %H:%M}"),
                    cell(f"{o.deadline:%Y-%m-%d %H:%M}"),
                    cell(o.item_id),
                    cell(o.item_title),
                ],
            )
            title = t("severe").format(h=self.rules.severe_after_hours)
            doc.sections.append(Section("severe", title, severe_columns, severe_rows))

        recon = p.reconciliation
        if recon is not None:
            doc.line(
                t(
                    "line.recon",
                    computed=yuan(recon.computed_total_fen),
                    platform=yuan(recon.platform_total_fen),
                    orders=recon.platform_orders,
                    diff=yuan(recon.difference_fen),
                    matched=recon.matched,
                    unpaid=recon.unpaid_late_orders,
                ),
                WARN if recon.not_late or recon.different else "dim",
            )
            recon_columns = [
                Column("order_id", t("order_id")),
                Column("buyer", t("buyer")),
                Column("computed", t("computed"), numeric=True),
                Column("platform", t("platform"), numeric=True),
                Column("difference", t("difference"), numeric=True),
            ]
            for key, orders in (("not_late", recon.not_late), ("different", recon.different)):
                if not orders:
                    continue
                recon_rows = [
                    [
                        cell(o.order_id),
                        cell(o.buyer),
                        Cell(yuan(o.computed_fen), raw=yuan(o.computed_fen)),
                        Cell(yuan(o.platform_fen), raw=yuan(o.platform_fen)),
                        Cell(yuan(o.difference_fen), raw=yuan(o.difference_fen)),
                    ]
                    for o in orders
                ]
                doc.sections.append(
                    Section(
                        f"reconciliation_{key}",
                        t(f"recon.{key}"),
                        recon_columns,
                        recon_rows,
                    )
                )
        return doc


def __getattr__(name: str) -> Any:
    # The ledger listing moved to render/ledger.py; its old import path still works.
    if name == "LedgerListingReport":
        from tmallcli.render.ledger import LedgerListingReport

        return LedgerListingReport
    raise AttributeError(name)
