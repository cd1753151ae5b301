"""Folding per-item rows into orders (SPEC §2.1): each rule by a hand-computed case, and the
same orders whatever the row order (hypothesis), for a sub-order export and for an item
export that repeats the order number without 子订单编号."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from tmallcli.exports.folding import OrderStatuses, default_statuses, fold_orders
from tmallcli.exports.inputs import Inputs

STATUSES = default_statuses()
SHIPPED = "卖家已发货,等待买家确认"  # as the reader gives it: ， read as ,
WAITING = "买家已付款,等待卖家发货"
DONE = "交易成功"
CLOSED = "交易关闭"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute)


COLUMNS: dict[str, Any] = {
    "_file": pl.UInt32,
    "_row": pl.UInt32,
    "order_id": pl.String,
    "sub_order_id": pl.String,
    "buyer": pl.String,
    "paid_amount": pl.Int64,
    "shipping_fee": pl.Int64,
    "auto_compensation": pl.Int64,
    "status": pl.String,
    "paid_at": pl.Datetime("us"),
    "created_at": pl.Datetime("us"),
    "promised_ship_by": pl.Datetime("us"),
    "shipped_at": pl.Datetime("us"),
    "picked_up_at": pl.Datetime("us"),
    "tracking_no": pl.String,
    "carrier": pl.String,
}


def items(*rows: dict[str, Any], sub_orders: bool = True) -> pl.DataFrame:
    """Item rows of one file, in the order given (``_row`` numbers them)."""
    filled = [
        {c: row.get(c) for c in COLUMNS} | {"_file": row.get("_file", 0), "_row": n}
        for n, row in enumerate(rows)
    ]
    frame = pl.DataFrame(filled, schema=COLUMNS)
    return frame if sub_orders else frame.drop("sub_order_id")


def fold(frame: pl.DataFrame, statuses: OrderStatuses = STATUSES) -> dict[str, dict[str, Any]]:
    present = set(frame.columns) - {"_file", "_row"}
    folded = fold_orders(frame, present, [], statuses)
    return {r["order_id"]: r for r in folded.drop("_file", "_row").to_dicts()}


def item(order: str, sub: str, **values: Any) -> dict[str, Any]:
    return {"order_id": order, "sub_order_id": sub, **values}


# ------------------------------------------------------------------ each rule, by hand


def test_money_summed_and_a_repeated_platform_payment_counted_once() -> None:
    orders = fold(
        items(
            # A: 59.00 + 41.00 = 100.00 paid; postage 6.00 + 0 = 6.00; the platform's 30.00
            # is on both rows: one payment of 30.00, not 60.00.
            item("A", "A1", paid_amount=5900, shipping_fee=600, auto_compensation=3000),
            item("A", "A2", paid_amount=4100, shipping_fee=0, auto_compensation=3000),
            # B: a payment on one row only: 5.00 + nothing = 5.00.
            item("B", "B1", paid_amount=1000, auto_compensation=500),
            item("B", "B2", paid_amount=1000),
            # C: different amounts are two payments: 5.00 + 7.00 = 12.00.
            item("C", "C1", paid_amount=1000, auto_compensation=500),
            item("C", "C2", paid_amount=1000, auto_compensation=700),
            # D: no amount on any row stays unknown, not 0.
            item("D", "D1"),
            item("D", "D2"),
        )
    )
    assert (orders["A"]["paid_amount"], orders["A"]["shipping_fee"]) == (10000, 600)
    assert orders["A"]["auto_compensation"] == 3000
    assert orders["B"]["auto_compensation"] == 500
    assert orders["C"]["auto_compensation"] == 1200
    assert orders["D"]["paid_amount"] is None and orders["D"]["auto_compensation"] is None


def test_earliest_payment_creation_and_promise() -> None:
    orders = fold(
        items(
            item("A", "A1", paid_at=at(5, 10, 2), created_at=at(5, 9), promised_ship_by=at(8, 10)),
            item("A", "A2", paid_at=at(5, 10), created_at=at(5, 9, 30), promised_ship_by=at(7, 10)),
        )
    )
    assert orders["A"]["paid_at"] == at(5, 10)
    assert orders["A"]["created_at"] == at(5, 9)
    assert orders["A"]["promised_ship_by"] == at(7, 10)  # the strictest promise


def test_status_closed_only_when_every_item_is_else_the_most_advanced_open_one() -> None:
    orders = fold(
        items(
            item("A", "A1", status=CLOSED),
            item("A", "A2", status=CLOSED),
            item("B", "B1", status=CLOSED),
            item("B", "B2", status=WAITING),
            item("C", "C1", status=WAITING),
            item("C", "C2", status=DONE),
            item("C", "C3", status=SHIPPED),
            item("D", "D1", status="某个新状态"),  # not ranked: below every ranked status
            item("D", "D2", status=WAITING),
            item("E", "E1", status=CLOSED),
            item("E", "E2", status="交易被淘宝关闭"),  # closed too; the first listed names it
        )
    )
    assert orders["A"]["status"] == CLOSED
    assert orders["B"]["status"] == WAITING
    assert orders["C"]["status"] == DONE
    assert orders["D"]["status"] == WAITING
    assert orders["E"]["status"] == CLOSED


def test_status_order_comes_from_the_config() -> None:
    reversed_order = OrderStatuses(tuple(reversed(STATUSES.ranked)), STATUSES.closed)
    frame = items(item("C", "C1", status=WAITING), item("C", "C2", status=DONE))
    assert fold(frame, reversed_order)["C"]["status"] == WAITING


def test_pickup_and_ship_times_latest_over_open_items_missing_when_one_has_none() -> None:
    orders = fold(
        items(
            # A: both picked up: the later one (an order is picked up with its last package).
            item("A", "A1", status=SHIPPED, picked_up_at=at(5, 12), shipped_at=at(5, 11)),
            item("A", "A2", status=SHIPPED, picked_up_at=at(5, 16), shipped_at=at(5, 15)),
            # B: one open item never picked up: the order is not picked up.
            item("B", "B1", status=SHIPPED, picked_up_at=at(5, 12), shipped_at=at(5, 11)),
            item("B", "B2", status=WAITING),
            # C: the closed item (refunded before shipping) does not hold the order back.
            item("C", "C1", status=CLOSED),
            item("C", "C2", status=SHIPPED, picked_up_at=at(6, 8), tracking_no="ZT4"),
            # D: every item closed: the latest time any item has.
            item("D", "D1", status=CLOSED, shipped_at=at(6, 9)),
            item("D", "D2", status=CLOSED),
        )
    )
    assert (orders["A"]["picked_up_at"], orders["A"]["shipped_at"]) == (at(5, 16), at(5, 15))
    assert (orders["B"]["picked_up_at"], orders["B"]["shipped_at"]) == (None, None)
    assert orders["B"]["pickup_known"] is True and orders["B"]["unshipped_item"] is True
    assert orders["C"]["picked_up_at"] == at(6, 8) and orders["C"]["tracking_no"] == "ZT4"
    assert orders["C"]["unshipped_item"] is False
    assert orders["D"]["shipped_at"] == at(6, 9)


def test_packages_of_the_open_items_each_once() -> None:
    orders = fold(
        items(
            item("A", "A1", status=SHIPPED, tracking_no="YT2"),
            item("A", "A2", status=SHIPPED, tracking_no="YT1,YT2"),
            item("A", "A3", status=CLOSED, tracking_no="YT9"),
        )
    )
    assert orders["A"]["tracking_no"] == "YT1,YT2"


def test_item_export_without_sub_order_numbers_folds_the_same_way() -> None:
    orders = fold(
        items(
            {"order_id": "A", "paid_amount": 5900, "status": SHIPPED, "picked_up_at": at(5, 12)},
            {"order_id": "A", "paid_amount": 4100, "status": WAITING},
            sub_orders=False,
        )
    )
    assert orders["A"]["paid_amount"] == 10000  # not "the last row wins" (4100)
    assert orders["A"]["status"] == SHIPPED
    assert orders["A"]["picked_up_at"] is None


def test_across_files_the_last_file_wins_after_each_file_is_folded() -> None:
    yesterday = [
        item("A", "A1", _file=0, status=WAITING, paid_amount=5900, buyer="tb_小林"),
        item("A", "A2", _file=0, status=WAITING, paid_amount=4100, buyer="tb_小林"),
    ]
    today = [
        item("A", "A1", _file=1, status=SHIPPED, paid_amount=5900, picked_up_at=at(5, 12)),
        item("A", "A2", _file=1, status=SHIPPED, paid_amount=4100, picked_up_at=at(5, 14)),
    ]
    warnings: list[dict[str, Any]] = []
    frame = items(*yesterday, *today)
    folded = fold_orders(frame, set(frame.columns), warnings, STATUSES).to_dicts()
    assert len(folded) == 1
    order = folded[0]
    # Today's state (100.00, not 200.00); the buyer only yesterday's file names is kept.
    assert (order["status"], order["paid_amount"]) == (SHIPPED, 10000)
    assert order["picked_up_at"] == at(5, 14)
    assert order["buyer"] == "tb_小林"
    assert warnings[0]["problem"] == "order in several rows"


# ------------------------------------------------------------------ row order never decides

ORDER_IDS = ["A", "B", "C"]
STATUS_CHOICES = [None, WAITING, SHIPPED, DONE, CLOSED, "某个新状态"]
TIMES = [None, at(5, 8), at(5, 12), at(6, 9)]
MONEY = [None, 0, 500, 990, 3000]


@st.composite
def item_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 8))
    rows = []
    for n in range(count):
        order = draw(st.sampled_from(ORDER_IDS))
        rows.append(
            {
                "order_id": order,
                "sub_order_id": f"{order}-{n}",
                "buyer": draw(st.sampled_from([None, "tb_a", "tb_b"])),
                "paid_amount": draw(st.sampled_from(MONEY)),
                "shipping_fee": draw(st.sampled_from(MONEY)),
                "auto_compensation": draw(st.sampled_from(MONEY)),
                "status": draw(st.sampled_from(STATUS_CHOICES)),
                "paid_at": draw(st.sampled_from(TIMES)),
                "created_at": draw(st.sampled_from(TIMES)),
                "promised_ship_by": draw(st.sampled_from(TIMES)),
                "shipped_at": draw(st.sampled_from(TIMES)),
                "picked_up_at": draw(st.sampled_from(TIMES)),
                "tracking_no": draw(st.sampled_from([None, "SF1", "SF2", "SF1,YT3"])),
                "carrier": draw(st.sampled_from([None, "顺丰速运", "圆通速递"])),
            }
        )
    return rows


def _canonical(orders: dict[str, dict[str, Any]], sub_orders: bool) -> dict[str, Any]:
    # 子订单编号 of the folded order is one of its items' (the smallest): not a rule value.
    return {
        k: {c: v for c, v in row.items() if c != "sub_order_id"} for k, row in orders.items()
    } | {"_sub": sub_orders}


@settings(max_examples=60, deadline=None)
@given(item_rows(), st.randoms(use_true_random=False))
def test_sub_order_fold_ignores_row_order(rows: list[dict[str, Any]], rnd: Any) -> None:
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert _canonical(fold(items(*rows)), True) == _canonical(fold(items(*shuffled)), True)


@settings(max_examples=60, deadline=None)
@given(item_rows(), st.randoms(use_true_random=False))
def test_item_fold_without_sub_orders_ignores_row_order(
    rows: list[dict[str, Any]], rnd: Any
) -> None:
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    first = fold(items(*rows, sub_orders=False))
    again = fold(items(*shuffled, sub_orders=False))
    assert first == again


# ------------------------------------------------------------------ through the reader


def test_real_per_item_layouts_fold_to_the_same_orders() -> None:
    """The fixture files (tests/data/layouts/fold.py): the per-item export with 子订单编号
    (UTF-8 BOM) and the same rows repeating 订单编号 (GBK) give the same orders."""
    here = Path(__file__).resolve().parents[1] / "data" / "layouts" / "files" / "fold"
    folded = []
    for name in ("per_item_orders.csv", "repeated_order_items.csv"):
        with Inputs({"orders": [str(here / name)]}) as inputs:
            frame = inputs.load("orders").frame
        folded.append(
            {r["order_id"]: r for r in frame.drop("sub_order_id", strict=False).to_dicts()}
        )
    per_item, repeated = folded
    assert per_item == repeated
    a = per_item["4100000000000000001"]
    assert a["paid_amount"] == 5900 + 4100
    assert a["status"] == SHIPPED  # 卖家已发货 beats 买家已付款 (both open)
    assert a["shipped_at"] is None and a["unshipped_item"] is True
    e = per_item["4100000000000000005"]
    assert (e["paid_amount"], e["auto_compensation"]) == (8000 + 2000, 3000)
    assert e["tracking_no"] == "ZT300000001"
    assert per_item["4100000000000000004"]["status"] == CLOSED
