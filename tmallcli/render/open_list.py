"""The payout loop's open list (SPEC §5.1) → JSON and the red-packet table / CSV.

With ``--ledger`` the late-orders command prints every payout still owed, not only what this
run computed: the new ones first, then the older open ones with their age. The CSV carries
each payout's line IDs and run ID and an empty 已发放 column, so the person sending the red
packets fills it in and hands the same file back to ``tmall compensate mark-paid --file``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tmallcli.money import yuan
from tmallcli.render.compensation import LABELS as PAYOUT_LABELS
from tmallcli.render.document import BAD, WARN, Cell, Column, Document, Section, cell
from tmallcli.render.labels import ZH

if TYPE_CHECKING:
    from tmallcli.ledger import LedgerReport, OpenPayout
    from tmallcli.metrics.compensation import Payout, Settlement
    from tmallcli.render.labels import Labels

# The headers of the payout CSV that mark-paid --file reads back (both languages).
LINE_IDS = ("行号", "Line IDs")
RUN = ("运行", "Run")
PAID = ("已发放", "Paid")

LABELS: dict[str, tuple[str, str]] = {
    **PAYOUT_LABELS,
    "open.payouts": ("待发红包 (未发放)", "Open payouts (not yet sent)"),
    "open.state": ("状态", "State"),
    "open.new": ("新增", "new"),
    "open.age": ("未发 {n} 天", "open {n} d"),
    "open.today": ("今日已列出", "listed today"),
    "open.line_ids": LINE_IDS,
    "open.run": RUN,
    "open.paid": PAID,
    "line.open": (
        "待发 {n} 笔, 合计 {total} 元; 其中本次新增 {new} 笔, {new_total} 元",
        "{n} payout(s) open, {total} yuan in all; {new} new in this run, {new_total} yuan",
    ),
    "line.open_hint": (
        "发完红包后在「已发放」列填「是」, 再用 tmall compensate mark-paid --file 交回",
        "Fill the Paid column once sent, then hand the file to tmall compensate mark-paid --file",
    ),
    "line.since": (
        "账本起始日 {since}: 此前付款的订单不计",
        "The ledger starts on {since}: orders paid earlier are left out",
    ),
    "r.adjustment": (
        "重新合并后该组应付增加 (订单均已记入账本), 补付",
        "regrouping raised this group's amount (all its orders already recorded): the difference",
    ),
    "r.recorded": ("账本记录于 {at}", "recorded in the ledger on {at}"),
}


def state_text(payout: OpenPayout, t: Labels) -> str:
    if payout.new:
        return t("open.new")
    if payout.age_days == 0:
        return t("open.today")
    return t("open.age", n=payout.age_days)


def open_reason(payout: OpenPayout, labels: Labels = ZH) -> str:
    """The words of a payout recorded earlier: as stored the day it was new."""
    t = labels.of(LABELS)
    if payout.adjustment:
        return t("r.adjustment")
    if payout.reason:
        return payout.reason
    return t("r.recorded", at=payout.recorded_at or "—")


def _computed(settlement: Settlement) -> dict[tuple[str, str], Payout]:
    return {(p.kind, p.group_id): p for p in settlement.payouts}


def open_json(
    ledger: LedgerReport,
    settlement: Settlement,
    payout_json: Any,
) -> list[dict[str, Any]]:
    """Each open payout: a new one with every detail of this run's computation
    (``payout_json``), an older one as the ledger holds it; both with the loop's keys."""
    computed = _computed(settlement)
    listed = []
    for open_payout in ledger.open:
        payout = None if open_payout.adjustment else computed.get(_key(open_payout))
        if open_payout.new and payout is not None:
            data = payout_json(payout)
        else:
            data = {
                "kind": open_payout.kind,
                "buyer": open_payout.buyer,
                "group_id": open_payout.group_id,
                "order_ids": open_payout.order_ids,
                "amount_fen": open_payout.amount_fen,
                "amount": yuan(open_payout.amount_fen),
                "reason": open_reason(open_payout),
            }
        data.update(
            state=open_payout.state,
            new=open_payout.new,
            line_ids=open_payout.line_ids,
            run_id=open_payout.run_id,
            recorded_at=open_payout.recorded_at,
            age_days=open_payout.age_days,
            adjustment=open_payout.adjustment,
        )
        listed.append(data)
    return listed


def _key(payout: OpenPayout) -> tuple[str, str]:
    return (payout.kind, payout.group_id)


def open_summary(ledger: LedgerReport, kinds: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    summary = {}
    for kind in kinds:
        mine = [p for p in ledger.open if p.kind == kind]
        total = sum(p.amount_fen for p in mine)
        summary[kind] = {
            "count": len(mine),
            "orders": sum(len(p.order_ids) for p in mine),
            "total_fen": total,
            "total": yuan(total),
        }
    return summary


def open_lines(doc: Document, ledger: LedgerReport, labels: Labels) -> None:
    """The open list's totals, above the table."""
    t = labels.of(LABELS)
    new = [p for p in ledger.open if p.new]
    doc.line(
        t(
            "line.open",
            n=len(ledger.open),
            total=yuan(ledger.open_total_fen),
            new=len(new),
            new_total=yuan(ledger.new_total_fen),
        ),
        BAD if ledger.open else None,
    )
    if ledger.since is not None:
        doc.line(t("line.since", since=ledger.since), "dim")
    if ledger.open and not ledger.dry_run:
        doc.line(t("line.open_hint"), "dim")


def open_section(
    ledger: LedgerReport, settlement: Settlement, reason: Any, labels: Labels
) -> Section:
    """The red-packet table: the computed columns, then state, line IDs, run and 已发放."""
    t = labels.of(LABELS)
    computed = _computed(settlement)
    columns = [
        Column("kind", t("kind")),
        Column("buyer", t("buyer")),
        Column("order_ids", t("order_ids")),
        Column("amount", t("amount"), numeric=True),
        Column("reason", t("reason")),
        Column("state", t("open.state")),
        Column("line_ids", t("open.line_ids")),
        Column("run_id", t("open.run")),
        Column("paid", t("open.paid")),
    ]
    rows = []
    for p in ledger.open:
        payout = None if p.adjustment else computed.get(_key(p))
        words = reason(payout, t) if p.new and payout is not None else open_reason(p, labels)
        rows.append(
            [
                Cell(t(f"kind.{p.kind}")),
                cell(p.buyer),
                Cell(",".join(p.order_ids)),
                Cell(yuan(p.amount_fen), raw=yuan(p.amount_fen)),
                Cell(words),
                Cell(state_text(p, t), None if p.new or p.age_days == 0 else WARN),
                # ";": Excel reads "12,345" as a number, never "12;345".
                Cell(";".join(map(str, p.line_ids))),
                Cell(p.run_id or "—", raw=p.run_id or ""),
                Cell("", raw=""),
            ]
        )
    return Section("payouts", t("open.payouts"), columns, rows)
