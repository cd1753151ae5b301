"""Today's to-do list of the shop report (SPEC §11): the orders to chase, the payouts due, the
bad reviews to answer and the refunds waiting — JSON ``todo``, and the report's table of them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tmallcli.money import yuan
from tmallcli.render.document import BAD, Cell, Column, Section

if TYPE_CHECKING:
    from tmallcli.render.labels import Labels
    from tmallcli.runs.report import ShopReport

LABELS: dict[str, tuple[str, str]] = {
    "todo": ("今日待办", "To do today"),
    "task": ("事项", "Task"),
    "count": ("数量", "Count"),
    "detail": ("说明", "Detail"),
    "todo.orders_to_chase": ("待跟进揽收订单", "Orders to chase (not picked up)"),
    "todo.orders_detail": (
        "超48小时 {risk} 单 · 若延迟发货约赔 {money} 元",
        "{risk} past 48 h · would cost {money} yuan if late",
    ),
    "todo.payouts_due": ("待发延迟发货赔付", "Compensation payouts due"),
    "todo.payouts_detail": ("合计 {money} 元 (未对账本去重)", "{money} yuan in all (no ledger)"),
    "todo.payouts_open": (
        "未发放 {money} 元 (账本), 今日新增 {new} 笔",
        "{money} yuan not yet sent (ledger), {new} new today",
    ),
    "todo.reviews_to_answer": ("待回复中差评", "Bad reviews to answer"),
    "todo.reviews_detail": ("超{hours}小时 {overdue} 条", "{overdue} older than {hours} h"),
    "todo.refunds_waiting": ("待处理退款", "Refunds waiting for the seller"),
    "todo.refunds_detail": ("超72小时 {late} 笔", "{late} past 72 h"),
}


def todo(r: ShopReport) -> dict[str, Any]:
    """What the exports say needs doing today: the orders to chase before they are late, the
    payouts due (the ledger's open list when it is read), the bad reviews to answer and the
    refunds waiting for the seller; a section the report skipped has none."""
    from tmallcli.metrics.pickup import LATE_SHIPMENT_RISK

    todo: dict[str, Any] = {}
    if r.pickup is not None:
        watch = r.pickup.watchlist
        cost = sum(w.compensation_fen for w in watch)
        todo["orders_to_chase"] = {
            "count": len(watch),
            "late_shipment_risk": sum(1 for w in watch if w.level == LATE_SHIPMENT_RISK),
            "compensation_fen": cost,
            "compensation": yuan(cost),
        }
    if r.compensation is not None and r.compensation.ledger is not None:
        ledger = r.compensation.ledger  # the open list (SPEC §5.1)
        todo["payouts_due"] = {
            "count": len(ledger.open),
            "total_fen": ledger.open_total_fen,
            "total": yuan(ledger.open_total_fen),
            "new_today": sum(1 for p in ledger.open if p.new or p.age_days == 0),
            "ledger": ledger.path,
        }
    elif r.compensation is not None:
        settlement = r.compensation.settlement
        todo["payouts_due"] = {
            "count": len(settlement.payouts),
            "total_fen": settlement.total_fen,
            "total": yuan(settlement.total_fen),
        }
    if r.triage is not None:
        todo["reviews_to_answer"] = {
            "count": r.triage.unanswered,
            "overdue": r.triage.overdue,
            "reply_within_hours": r.triage.reply_within_hours,
        }
    if r.refunds is not None:
        todo["refunds_waiting"] = {
            "count": len(r.refunds.waiting),
            "past_72h": len(r.refunds.at_risk),
        }
    return todo


def todo_lines(todo: dict[str, Any], labels: Labels) -> list[tuple[str, str, int, str, bool]]:
    """(key, task, count, detail, urgent) for each to-do of :func:`todo`."""
    t = labels.of(LABELS)
    lines = []
    for key, item in todo.items():
        if key == "orders_to_chase":
            detail = t(
                "todo.orders_detail",
                risk=item["late_shipment_risk"],
                money=item["compensation"],
            )
            urgent = item["late_shipment_risk"] > 0
        elif key == "payouts_due" and "ledger" in item:
            detail = t("todo.payouts_open", money=item["total"], new=item["new_today"])
            urgent = item["count"] > 0
        elif key == "payouts_due":
            detail = t("todo.payouts_detail", money=item["total"])
            urgent = item["count"] > 0
        elif key == "reviews_to_answer":
            detail = t(
                "todo.reviews_detail",
                hours=item["reply_within_hours"],
                overdue=item["overdue"],
            )
            urgent = item["overdue"] > 0
        else:
            detail = t("todo.refunds_detail", late=item["past_72h"])
            urgent = item["past_72h"] > 0
        lines.append((key, t(f"todo.{key}"), item["count"], detail, urgent))
    return lines


def todo_section(todo: dict[str, Any], labels: Labels) -> Section:
    """The to-do list as the report's table (summary, HTML, xlsx)."""
    t = labels.of(LABELS)
    rows = [
        [
            Cell(task, raw=key),
            Cell(str(count), BAD if urgent else None, count),
            Cell(detail, BAD if urgent else None),
        ]
        for key, task, count, detail, urgent in todo_lines(todo, labels)
    ]
    return Section(
        "todo",
        t("todo"),
        [
            Column("task", t("task")),
            Column("count", t("count"), numeric=True),
            Column("detail", t("detail")),
        ],
        rows,
    )
