"""§5 compensation rules on small in-memory frames, with hand-computed numbers."""

from __future__ import annotations

import dataclasses
import random
from datetime import datetime, timedelta
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tmallcli.config import load_config
from tmallcli.metrics.compensation import (
    ORDERS_COLUMNS,
    REFUND_COLUMNS,
    CompensationRules,
    Proposal,
    group_late_orders,
    propose,
    settle_payouts,
)
from tmallcli.money import compensation_fen

AS_OF = datetime(2026, 11, 20, 23, 59, 59)
T0 = datetime(2026, 11, 1, 10, 0, 0)
H = timedelta(hours=1)
RULES = CompensationRules.from_config(load_config())

MONEY = ("paid_amount", "shipping_fee", "auto_compensation", "amount")
DATETIMES = ("paid_at", "shipped_at", "picked_up_at", "promised_ship_by", "delivered_at")


def _dtype(name: str) -> pl.DataType:
    if name in MONEY:
        return pl.Int64()
    if name in DATETIMES or name.endswith("_at"):
        return pl.Datetime("us")
    if name in ("promise_broken", "shipped"):
        return pl.Boolean()
    return pl.String()


def frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pl.LazyFrame:
    """Rows as the reader would give them: every wanted column, absent ones as nulls."""
    data = {c: [r.get(c) for r in rows] for c in columns}
    return pl.DataFrame(data, schema={c: _dtype(c) for c in columns}).lazy()


def order(order_id: str, paid_h: float | None = 0, **values: Any) -> dict[str, Any]:
    """An order paid ``paid_h`` hours after T0, 100.00 yuan, not closed."""
    row: dict[str, Any] = {
        "order_id": order_id,
        "buyer": "buyer",
        "paid_amount": 10_000,
        "status": "卖家已发货,等待买家确认",
        "paid_at": None if paid_h is None else T0 + paid_h * H,
    }
    row.update(values)
    return row


def compute(
    orders: list[dict[str, Any]],
    *,
    events: list[dict[str, Any]] | None = None,
    refunds: list[dict[str, Any]] | None = None,
    rules: CompensationRules = RULES,
    as_of: datetime = AS_OF,
    platform: bool = False,
) -> Proposal:
    return propose(
        frame(orders, ORDERS_COLUMNS),
        None if events is None else frame(events, ("tracking_no", "order_id", "event_at", "event")),
        None if refunds is None else frame(refunds, REFUND_COLUMNS),
        rules,
        as_of,
        platform_column=platform,
    )


def late_amounts(proposal: Proposal) -> dict[str, int]:
    lines = proposal.lines.filter(pl.col("kind") == "late_shipment")
    return dict(zip(lines["order_id"], lines["amount_fen"], strict=True))


def payouts_of(proposal: Proposal, kind: str) -> dict[str, int]:
    return {p.group_id: p.amount_fen for p in settle_payouts(proposal).payouts if p.kind == kind}


# --------------------------------------------------------------------------- amounts


def test_minimum_five_yuan() -> None:
    # 10.00 yuan × 30% = 3.00 → the 5-yuan minimum
    p = compute([order("1", paid_amount=1000, shipped_at=T0 + 50 * H)])
    assert late_amounts(p) == {"1": 500}


def test_thirty_percent_rounds_half_up_to_the_fen() -> None:
    # 33.35 yuan × 30% = 10.005 → 10.01
    p = compute([order("1", paid_amount=3335, shipped_at=T0 + 50 * H)])
    assert late_amounts(p) == {"1": 1001}


def test_postage_is_not_part_of_the_item_amount() -> None:
    # paid 110.00 including 10.00 postage: 30% × 100.00 = 30.00 (not 33.00)
    p = compute([order("1", paid_amount=11_000, shipping_fee=1000, shipped_at=T0 + 50 * H)])
    assert late_amounts(p) == {"1": 3000}


# --------------------------------------------------------------------------- lateness


def test_exactly_48_hours_is_on_time_one_second_more_is_late() -> None:
    p = compute(
        [
            order("on-time", buyer="a", shipped_at=T0 + 48 * H),
            order("late", buyer="b", shipped_at=T0 + 48 * H + timedelta(seconds=1)),
        ]
    )
    assert set(late_amounts(p)) == {"late"}


def test_promised_ship_by_replaces_the_48_hours() -> None:
    p = compute(
        [
            # promised 24 h, picked up at 30 h: late although within 48 h
            order("short", buyer="a", promised_ship_by=T0 + 24 * H, picked_up_at=T0 + 30 * H),
            # promised 72 h (presale), picked up at 60 h: on time although past 48 h
            order("long", buyer="b", promised_ship_by=T0 + 72 * H, picked_up_at=T0 + 60 * H),
        ]
    )
    assert set(late_amounts(p)) == {"short"}
    line = settle_payouts(p).payouts[0].lines[0]
    assert line.deadline == T0 + 24 * H
    assert line.promised is True


def test_no_ship_time_is_late_once_the_as_of_instant_passes_the_deadline() -> None:
    rows = [order("1")]
    assert late_amounts(compute(rows, as_of=T0 + 48 * H)) == {}
    assert set(late_amounts(compute(rows, as_of=T0 + 48 * H + timedelta(seconds=1)))) == {"1"}


def test_shipped_at_only_counts_when_nothing_is_known_about_the_pickup() -> None:
    events = [
        {"tracking_no": "T1", "order_id": "picked", "event_at": T0 + 40 * H, "event": "已揽收"},
        {
            "tracking_no": "T2",
            "order_id": "late-pickup",
            "event_at": T0 + 50 * H,
            "event": "已揽收",
        },
        {"tracking_no": "T4", "order_id": "waiting", "event_at": T0 + 2 * H, "event": "等待揽收"},
    ]
    p = compute(
        [
            # the pickup (40 h) wins over a late 发货 click (50 h)
            order("picked", buyer="a", tracking_no="T1", shipped_at=T0 + 50 * H),
            # an early click (10 h) does not hide a late pickup (50 h)
            order("late-pickup", buyer="b", tracking_no="T2", shipped_at=T0 + 10 * H),
            # no pickup information at all: the click (50 h) is the ship time
            order("click-only", buyer="c", shipped_at=T0 + 50 * H),
            # tracked but never picked up: not shipped, whatever the click says
            order("waiting", buyer="d", tracking_no="T4", shipped_at=T0 + 10 * H),
        ],
        events=events,
    )
    assert set(late_amounts(p)) == {"late-pickup", "click-only", "waiting"}
    kinds = {
        line.order_id: line.end_kind
        for payout in settle_payouts(p).payouts
        for line in payout.lines
    }
    assert kinds == {"late-pickup": "pickup", "click-only": "shipped", "waiting": "open"}


def test_closed_orders() -> None:
    closed = "交易关闭"
    refunds = [
        {"refund_id": "R2", "order_id": "closed-after", "applied_at": T0 + H,
         "completed_at": T0 + 50 * H, "amount": 10_000, "status": "退款成功", "reason": "不想要了"},
        {"refund_id": "R3", "order_id": "closed-before", "applied_at": T0 + H,
         "completed_at": T0 + 5 * H, "amount": 10_000, "status": "退款成功", "reason": "不想要了"},
    ]  # fmt: skip
    rows = [
        order("closed-unknown", buyer="a", status=closed),
        order("closed-after", buyer="b", status=closed),
        order("closed-before", buyer="c", status=closed),
        # shipped late, then refunded and closed: it was open at the deadline
        order("shipped-late", buyer="d", status=closed, shipped_at=T0 + 60 * H),
    ]
    # Without --refunds a closed order's close time is unknown: not late unless it shipped late.
    assert set(late_amounts(compute(rows))) == {"shipped-late"}
    with_refunds = compute(rows, refunds=refunds)
    assert set(late_amounts(with_refunds)) == {"closed-after", "shipped-late"}
    line = next(
        p.lines[0] for p in settle_payouts(with_refunds).payouts if p.order_ids == ["closed-after"]
    )
    assert line.end_kind == "closed"
    assert line.end_at == T0 + 50 * H


def test_closed_statuses_match_with_full_width_commas() -> None:
    rules = dataclasses.replace(RULES, closed_statuses=("已关闭,退款成功",))
    p = compute([order("1", status="已关闭,退款成功")], rules=rules)
    assert late_amounts(p) == {}


def test_unpaid_orders_and_orders_paid_after_the_as_of_instant_are_never_late() -> None:
    p = compute([order("unpaid", paid_h=None), order("future", paid_h=24 * 30)])
    assert late_amounts(p) == {}


def test_a_pickup_after_the_as_of_instant_has_not_happened_yet() -> None:
    as_of = T0 + 60 * H
    p = compute([order("1", picked_up_at=T0 + 70 * H)], as_of=as_of)
    line = settle_payouts(p).payouts[0].lines[0]
    assert line.end_kind == "open"
    assert line.end_at == as_of


# --------------------------------------------------------------------------- grouping


def test_orders_within_24_hours_of_the_group_start_are_one_payout() -> None:
    # paid at 0 h, 10 h and 23:59:59 → one group; a 4th paid exactly 24 h after the first
    # starts a new group.
    rows = [
        order("A", paid_h=0),
        order("B", paid_h=10),
        order("C", paid_at=T0 + 24 * H - timedelta(seconds=1)),
        order("D", paid_h=24),
    ]
    p = compute(rows)
    assert p.late_orders == 4
    assert p.late_groups == 2
    assert payouts_of(p, "late_shipment") == {"buyer:A": 9000, "buyer:D": 3000}
    first = settle_payouts(p).payouts[0]
    assert first.order_ids == ["A", "B", "C"]


def test_a_group_is_anchored_at_its_start_not_chained() -> None:
    # 0 h, 20 h, 30 h: 30 h is 10 h after the 20-h order but 30 h after the start → new group
    p = compute([order("A", paid_h=0), order("B", paid_h=20), order("C", paid_h=30)])
    assert payouts_of(p, "late_shipment") == {"buyer:A": 6000, "buyer:C": 3000}


def test_different_buyers_are_never_merged() -> None:
    p = compute([order("A", buyer="x"), order("B", buyer="y", paid_h=1)])
    assert payouts_of(p, "late_shipment") == {"x:A": 3000, "y:B": 3000}


def test_group_cap_500_yuan_attributed_in_payment_order() -> None:
    # three items of 600.00 yuan: 3 × 180.00 = 540.00 → capped at 500.00,
    # attributed 180.00 + 180.00 + 140.00 in payment order.
    rows = [order(x, paid_h=h, paid_amount=60_000) for x, h in (("A", 0), ("B", 1), ("C", 2))]
    settlement = settle_payouts(compute(rows))
    (payout,) = settlement.payouts
    assert payout.order_total_fen == 54_000
    assert payout.amount_fen == 50_000
    assert payout.capped
    assert [(line.order_id, line.pay_fen) for line in payout.lines] == [
        ("A", 18_000),
        ("B", 18_000),
        ("C", 14_000),
    ]
    assert sum(line.pay_fen for line in payout.lines) == 50_000


def test_severe_orders_are_listed_with_their_items() -> None:
    rows = [
        order("slow", buyer="a", picked_up_at=T0 + (48 + 73) * H, item_id="I9", item_title="T恤"),
        order("late", buyer="b", picked_up_at=T0 + (48 + 72) * H),  # exactly 72 h: not severe
    ]
    p = compute(rows)
    assert [(s.order_id, s.late_seconds, s.item_id) for s in p.severe] == [
        ("slow", 73 * 3600, "I9")
    ]


# --------------------------------------------------------------------------- promises


def test_promise_broken_per_service() -> None:
    def promised(oid: str, service: str, delivered_h: float | None, **kw: Any) -> dict[str, Any]:
        delivered = None if delivered_h is None else T0 + delivered_h * H
        return order(oid, buyer=oid, service_promise=service, delivered_at=delivered,
                     picked_up_at=T0 + H, **kw)  # fmt: skip

    # T0 is 10:00: +13 h is the next day 01:00, +37 h the day after at 23:00.
    rows = [
        promised("same-ok", "当日达", 8),
        promised("same-late", "当日达", 15),
        promised("next-ok", "次日达", 37),
        promised("next-late", "次日达", 39),
        promised("door-late-no-flag", "送货上门", 100),
        promised("door-flag", "送货上门", 20, promise_broken=True),
        promised("same-flag", "当日达", 8, promise_broken=True),
        promised("same-unknown", "当日达", None),
        promised("next-unknown", "次日达", None),
    ]
    p = compute(rows)
    assert payouts_of(p, "promise_broken") == {
        "same-late": 1000,
        "next-late": 1000,
        "door-flag": 1000,
        "same-flag": 1000,
    }
    assert p.undecided_promises == ["next-unknown", "same-unknown"]


# --------------------------------------------------------------------------- out of stock


def refund(rid: str, oid: str, amount: int, **values: Any) -> dict[str, Any]:
    row = {"refund_id": rid, "order_id": oid, "applied_at": T0 + 5 * H, "amount": amount,
           "reason": "缺货", "status": "退款成功", "shipped": False}  # fmt: skip
    row.update(values)
    return row


def test_out_of_stock_refunds() -> None:
    rows = [order(x, buyer=x, picked_up_at=T0 + H) for x in "ABCDEFG"]
    refunds = [
        refund("r1", "A", 1000),  # 10.00 × 30% = 3.00 → minimum 5.00
        refund("r2", "B", 10_000),  # 30.00
        refund("r3", "C", 3000),  # one order, two refunds: 30% × 80.00 = 24.00
        refund("r4", "C", 5000, reason="卖家缺货"),
        refund("r5", "D", 10_000, shipped=True),  # already shipped: nothing
        refund("r6", "E", 10_000, status="退款关闭"),  # the refund did not go through
        refund("r7", "F", 10_000, reason="不想要了"),  # not out of stock
        # no 是否已发货: the order was picked up (1 h) before the refund (5 h) → shipped
        refund("r8", "G", 10_000, shipped=None),
        # not in the orders export and nothing said: taken as not shipped
        refund("r9", "Z", 2000, shipped=None),
    ]
    p = compute(rows, refunds=refunds)
    assert payouts_of(p, "out_of_stock") == {"A": 500, "B": 3000, "C": 2400, "Z": 600}
    c = next(x for x in settle_payouts(p).payouts if x.group_id == "C")
    assert c.lines[0].refund_fen == 8000
    assert c.lines[0].refund_ids == ["r3", "r4"]


# --------------------------------------------------------------------------- reconciliation


def test_reconciliation_with_the_platform_auto_compensation() -> None:
    rows = [
        # late, platform paid exactly 30.00: matched, nothing more to pay
        order("match", buyer="a", shipped_at=T0 + 50 * H, auto_compensation=3000),
        # late, platform paid only the 5.00 minimum: 25.00 still due
        order("short", buyer="b", shipped_at=T0 + 50 * H, auto_compensation=500),
        # on time, but the platform paid 5.00
        order("on-time", buyer="c", shipped_at=T0 + 10 * H, auto_compensation=500),
        # late, not paid by the platform
        order("unpaid", buyer="d", shipped_at=T0 + 50 * H),
    ]
    p = compute(rows, platform=True)
    recon = p.reconciliation
    assert recon is not None
    assert recon.computed_total_fen == 9000
    assert recon.platform_total_fen == 4000
    assert recon.difference_fen == 5000
    assert recon.matched == 1
    assert recon.unpaid_late_orders == 1
    assert [(o.order_id, o.computed_fen, o.platform_fen) for o in recon.not_late] == [
        ("on-time", 0, 500)
    ]
    assert [(o.order_id, o.difference_fen) for o in recon.different] == [("short", 2500)]
    # what the platform paid is never paid again
    assert payouts_of(p, "late_shipment") == {"b:short": 2500, "d:unpaid": 3000}


def test_platform_payment_counts_against_a_capped_group() -> None:
    # group of 3 × 180.00 capped at 500.00; the platform paid 180.00 for A → 320.00 due,
    # attributed to B (180.00) and C (140.00).
    rows = [
        order(x, paid_h=h, paid_amount=60_000, auto_compensation=a)
        for x, h, a in (("A", 0, 18_000), ("B", 1, None), ("C", 2, None))
    ]
    (payout,) = settle_payouts(compute(rows, platform=True)).payouts
    assert payout.amount_fen == 32_000
    assert payout.platform_fen == 18_000
    assert [(line.order_id, line.pay_fen) for line in payout.lines] == [
        ("A", 0),
        ("B", 18_000),
        ("C", 14_000),
    ]


def test_no_reconciliation_without_the_column() -> None:
    assert compute([order("1")]).reconciliation is None


# --------------------------------------------------------------------------- properties

late_order = st.tuples(
    st.sampled_from(["a", "b", "c"]),
    st.integers(min_value=0, max_value=4 * 24 * 60),  # paid, minutes after T0
    st.integers(min_value=1, max_value=400_000),  # paid amount in fen
)


def _rows(specs: list[tuple[str, int, int]]) -> list[dict[str, Any]]:
    return [
        order(f"o{i:03d}", buyer=b, paid_at=T0 + timedelta(minutes=m), paid_amount=fen)
        for i, (b, m, fen) in enumerate(specs)
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(late_order, min_size=1, max_size=25))
def test_no_group_above_the_cap_no_order_below_the_minimum(
    specs: list[tuple[str, int, int]],
) -> None:
    p = compute(_rows(specs))
    amounts = p.lines.filter(pl.col("kind") == "late_shipment")["amount_fen"].to_list()
    assert all(a >= RULES.minimum_fen for a in amounts)
    payouts = settle_payouts(p).payouts
    assert all(x.amount_fen <= RULES.group_cap_fen for x in payouts)
    assert all(sum(line.pay_fen for line in x.lines) == x.amount_fen for x in payouts)
    # every order of a group is paid less than 24 h after the group's first order
    for x in payouts:
        times = [line.paid_at for line in x.lines if line.paid_at is not None]
        assert max(times) - min(times) < timedelta(hours=RULES.group_window_hours)


@settings(max_examples=40, deadline=None)
@given(st.lists(late_order, min_size=1, max_size=25), st.randoms(use_true_random=False))
def test_grouping_does_not_depend_on_row_order(
    specs: list[tuple[str, int, int]], rnd: random.Random
) -> None:
    rows = _rows(specs)
    shuffled = rows[:]
    rnd.shuffle(shuffled)

    def groups(rs: list[dict[str, Any]]) -> list[tuple[str, tuple[str, ...], int]]:
        return sorted(
            (x.group_id, tuple(x.order_ids), x.amount_fen)
            for x in settle_payouts(compute(rs)).payouts
        )

    assert groups(rows) == groups(shuffled)


def test_grouping_rounds_handle_many_groups_per_buyer() -> None:
    # 30 orders of one buyer, one every 25 h: 30 rounds, 30 groups of one order each
    late = pl.DataFrame(
        {
            "order_id": [f"o{i:02d}" for i in range(30)],
            "buyer": ["b"] * 30,
            "paid_at": [T0 + i * 25 * H for i in range(30)],
        }
    )
    grouped = group_late_orders(late, 24)
    assert grouped["group_id"].n_unique() == 30


@pytest.mark.parametrize("buyer", [None])
def test_an_order_without_a_buyer_is_its_own_group(buyer: str | None) -> None:
    p = compute([order("A", buyer=buyer), order("B", buyer=buyer, paid_h=1)])
    assert payouts_of(p, "late_shipment") == {"A": 3000, "B": 3000}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(late_order, min_size=1, max_size=25))
def test_each_order_pays_the_rate_or_the_minimum_and_each_group_the_capped_sum(
    specs: list[tuple[str, int, int]],
) -> None:
    p = compute(_rows(specs))
    late = p.lines.filter(pl.col("kind") == "late_shipment")
    paid = {f"o{i:03d}": fen for i, (_, _, fen) in enumerate(specs)}
    for order_id, amount in late.select("order_id", "amount_fen").iter_rows():
        # 30 % of the item amount, half up to the fen, at least 5 yuan (SPEC §5).
        share = (paid[order_id] * 30 * 2 + 100) // 200
        assert amount == max(RULES.minimum_fen, share)
        assert amount == compensation_fen(paid[order_id], RULES.rate_percent, RULES.minimum_fen)
    for payout in settle_payouts(p).payouts:
        owed = late.filter(pl.col("order_id").is_in(payout.order_ids))["amount_fen"].sum()
        assert payout.amount_fen == min(RULES.group_cap_fen, owed)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(late_order, min_size=1, max_size=25))
def test_settling_against_a_ledger_that_paid_everything_pays_nothing(
    specs: list[tuple[str, int, int]],
) -> None:
    p = compute(_rows(specs))
    first = settle_payouts(p)
    ledger = pl.DataFrame(
        [(x.kind, line.order_id, line.pay_fen) for x in first.payouts for line in x.lines],
        schema={"kind": pl.String, "order_id": pl.String, "ledger_fen": pl.Int64},
        orient="row",
    )
    again = settle_payouts(p, ledger)
    assert again.payouts == []
    assert again.total_fen == 0
