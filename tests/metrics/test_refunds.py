"""售后 (SPEC §6 after-sales metrics, §8 audit): definitions, window edges, watchlist, simulation.

T = 2026-11-20: refunds count when completed on T−30 … T−1 = 2026-10-21 … 2026-11-19, and
the as-of instant is 2026-11-20 23:59:59. Every expected number is worked out by hand.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

import polars as pl
import pytest

from tmallcli.config import load_config
from tmallcli.metrics.refunds import (
    NEEDS_ORDERS,
    NO_ORDERS_PAID,
    RULE_CONDITION_UNKNOWN,
    RefundRules,
    RefundsResult,
    compute_refunds,
)
from tmallcli.timeframe import resolve_as_of

AS_OF = resolve_as_of("2026-11-20")
INSTANT = datetime(2026, 11, 20, 23, 59, 59)
DT = pl.Datetime("us")
SCHEMA: dict[str, Any] = {
    "refund_id": pl.String,
    "order_id": pl.String,
    "applied_at": DT,
    "amount": pl.Int64,
    "refund_type": pl.String,
    "reason": pl.String,
    "status": pl.String,
    "stage": pl.String,
    "shipped": pl.Boolean,
    "merchant_agreed_at": DT,
    "buyer_returned_at": DT,
    "completed_at": DT,
    "platform_intervened": pl.Boolean,
    "ruling": pl.String,
    "signed_at": DT,
}
ORDER_SCHEMA: dict[str, Any] = {"order_id": pl.String, "paid_at": DT}
ONLY, RETURN = "仅退款", "退货退款"
DONE, CLOSED, WAITING = "退款成功", "退款关闭", "待卖家处理"


def exactly(value: float) -> Any:
    """Hours in full precision (SPEC §14), to the last bits of a float: Polars divides by a
    constant through its reciprocal, a unit in the last place away from Python's division."""
    return pytest.approx(value, rel=1e-14, abs=1e-14)


def d(text: str) -> datetime:
    return datetime.fromisoformat(text)


def refund(refund_id: str, applied: str, **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "refund_id": refund_id,
        "order_id": kw.pop("order_id", f"o{refund_id}"),
        "applied_at": d(applied),
        "amount": kw.pop("amount", 1000),
        "refund_type": kw.pop("refund_type", ONLY),
        "reason": kw.pop("reason", "质量问题"),
        "status": kw.pop("status", DONE),
        "stage": kw.pop("stage", "售中"),
        "shipped": kw.pop("shipped", True),
        "platform_intervened": kw.pop("intervened", False),
        "ruling": kw.pop("ruling", None),
    }
    for key, column in (
        ("agreed", "merchant_agreed_at"),
        ("returned", "buyer_returned_at"),
        ("completed", "completed_at"),
        ("signed", "signed_at"),
    ):
        value = kw.pop(key, None)
        row[column] = None if value is None else d(value)
    assert not kw, kw
    return row


def frame(rows: list[dict[str, Any]]) -> pl.LazyFrame:
    return pl.DataFrame(rows, schema=SCHEMA).lazy()


def orders_frame(paid: list[str | None]) -> pl.LazyFrame:
    return pl.DataFrame(
        {"order_id": [f"p{i}" for i in range(len(paid))], "paid_at": [p and d(p) for p in paid]},
        schema=ORDER_SCHEMA,
    ).lazy()


@pytest.fixture(scope="module")
def rules() -> RefundRules:
    return RefundRules.from_config(load_config())


def compute(
    rows: list[dict[str, Any]],
    rules: RefundRules,
    orders: list[str | None] | None = None,
) -> RefundsResult:
    return compute_refunds(
        frame(rows), None if orders is None else orders_frame(orders), rules, AS_OF
    )


# --------------------------------------------------------------------------- config


def test_rules_from_config(rules: RefundRules) -> None:
    # Full-width commas in config compare equal to the reader's normalised text.
    assert "买家已经退货,等待卖家确认收货" in rules.waiting_statuses
    assert "待卖家确认收货" in rules.waiting_statuses
    assert rules.intervention_after_hours == 72
    assert rules.completed_statuses is None
    assert rules.auto_minutes == 1
    assert [(r.name, r.action) for r in rules.auto_rules] == [
        ("未发货仅退款自动退款", "auto_refund"),
        ("签收7天内退货退款自动同意", "auto_agree"),
        ("售后小额仅退款自动退款", "auto_refund"),
    ]
    assert RefundRules.from_config(load_config(), slowest_limit=3).slowest_limit == 3


# --------------------------------------------------------------------------- refund_only_hours


def test_refund_only_hours_counts_success_and_buyer_closed_not_intervened(
    rules: RefundRules,
) -> None:
    rows = [
        refund("r1", "2026-11-10 10:00", completed="2026-11-10 12:00"),  # 2 h
        refund("r2", "2026-11-11 08:00", completed="2026-11-11 13:00", status=CLOSED),  # 5 h
        # 小二介入: 96 h, excluded
        refund("r3", "2026-11-12 00:00", completed="2026-11-16 00:00", intervened=True),
        refund("r4", "2026-11-13 00:00", status=WAITING),  # not completed
    ]
    result = compute(rows, rules)
    assert result.refund_only_hours == 3.5  # (2 + 5) / 2
    assert result.counts["refund_only"] == 2
    assert result.counts["intervened_excluded"] == 1
    assert result.counts["completed_in_window"] == 3
    assert result.return_refund_hours is None
    # Only 退款成功 when the config says so: r1 alone.
    strict = dataclasses.replace(rules, completed_statuses=("退款成功",))
    only_success = compute(rows, strict)
    assert only_success.refund_only_hours == 2.0
    assert only_success.counts["refund_only"] == 1


def test_other_after_sales_types_are_in_neither_metric(rules: RefundRules) -> None:
    rows = [
        refund("x1", "2026-11-10 10:00", completed="2026-11-10 12:00", refund_type="换货"),
        # no 售后类型 and no return: typed 仅退款 from the row (SPEC §2.1), never left out: 2 h
        refund("x2", "2026-11-10 10:00", completed="2026-11-10 12:00", refund_type=None),
        refund("x3", "2026-11-10 10:00", completed="2026-11-10 14:00"),  # 4 h
    ]
    result = compute(rows, rules)
    assert result.counts["other_type_excluded"] == 1  # 换货: type_values maps it to null
    assert (result.refund_only_hours, result.return_refund_hours) == (3.0, None)  # (2 + 4) / 2
    [notice] = [w for w in result.warnings if w.code == "unrecognised_refund_type"]
    assert "(empty) (1)" in notice.message


# --------------------------------------------------------------------------- return_refund_hours


RETURNS = [
    # elapsed 72 h, buyer 24 h (agreed 11-01 12:00 → uploaded 11-02 12:00): seller 48 h
    refund(
        "b1",
        "2026-11-01 10:00",
        refund_type=RETURN,
        agreed="2026-11-01 12:00",
        returned="2026-11-02 12:00",
        completed="2026-11-04 10:00",
        amount=20000,
    ),
    # elapsed 24 h, buyer 6 h: seller 18 h
    refund(
        "b2",
        "2026-11-05 00:00",
        refund_type=RETURN,
        agreed="2026-11-05 06:00",
        returned="2026-11-05 12:00",
        completed="2026-11-06 00:00",
        amount=5000,
        reason="不想要了",
    ),
    # the buyer never uploaded: the return timed out
    refund(
        "b3",
        "2026-11-05 00:00",
        refund_type=RETURN,
        agreed="2026-11-05 02:00",
        completed="2026-11-12 02:00",
        status=CLOSED,
    ),
    # 小二介入
    refund(
        "b4",
        "2026-11-06 00:00",
        refund_type=RETURN,
        agreed="2026-11-06 01:00",
        returned="2026-11-06 02:00",
        completed="2026-11-16 00:00",
        intervened=True,
    ),
    # an upload but no agreement time (the classic export has none): the agreement is taken
    # at the application (SPEC §2.1), buyer 11-07 00:00 → 11-08 00:00 = 24 h of 48 h: seller 24 h
    refund(
        "b5",
        "2026-11-07 00:00",
        refund_type=RETURN,
        returned="2026-11-08 00:00",
        completed="2026-11-09 00:00",
    ),
]


def test_return_refund_hours_subtracts_buyer_time(rules: RefundRules) -> None:
    result = compute(RETURNS, rules)
    assert result.return_refund_hours == 30.0  # (48 + 18 + 24) / 3
    counts = result.counts
    assert counts["return_refund"] == 3
    assert counts["never_returned_excluded"] == 1
    assert counts["intervened_excluded"] == 1
    assert counts["agreement_approximated"] == 1  # b5
    assert result.approximate == {"return_refund_hours": 1}
    assert "agreement_time_approximated" in [w.code for w in result.warnings]
    assert result.refund_only_hours is None
    assert [(s.refund_id, s.hours, s.buyer_hours) for s in result.slowest] == [
        ("b1", 48.0, 24.0),
        ("b5", 24.0, 24.0),
        ("b2", 18.0, 6.0),
    ]


def test_a_return_uploaded_before_the_agreement_gives_the_buyer_no_time(
    rules: RefundRules,
) -> None:
    rows = [
        refund(
            "b1",
            "2026-11-01 00:00",
            refund_type=RETURN,
            agreed="2026-11-01 10:00",
            returned="2026-11-01 08:00",
            completed="2026-11-02 00:00",
        )
    ]
    assert compute(rows, rules).return_refund_hours == 24.0


# --------------------------------------------------------------------------- window edges

EDGES = [
    ("2026-10-20 23:59:59", False),  # T−31: out
    ("2026-10-21 00:00:00", True),  # T−30: in
    ("2026-11-19 23:59:59", True),  # T−1: in
    ("2026-11-20 00:00:00", False),  # T: out
]


def test_window_edges_refund_only(rules: RefundRules) -> None:
    rows = [
        refund(f"e{i}", str(d(done) - timedelta(hours=i + 1)), completed=done)
        for i, (done, _) in enumerate(EDGES)
    ]
    result = compute(rows, rules)
    assert result.counts["refund_only"] == 2
    assert result.refund_only_hours == 2.5  # 2 h (T−30) and 3 h (T−1)


def test_window_edges_return_refund(rules: RefundRules) -> None:
    rows = []
    for i, (done, _) in enumerate(EDGES):
        applied = d(done) - timedelta(hours=10 * (i + 1) + 5)
        agreed = applied + timedelta(hours=1)
        rows.append(
            refund(
                f"e{i}",
                str(applied),
                refund_type=RETURN,
                agreed=str(agreed),
                returned=str(agreed + timedelta(hours=5)),  # 5 h of buyer time
                completed=done,
            )
        )
    result = compute(rows, rules)
    assert result.counts["return_refund"] == 2
    assert result.return_refund_hours == 25.0  # 20 h (T−30) and 30 h (T−1)


def test_dispute_rate_numerator_and_denominator_window(rules: RefundRules) -> None:
    rows = [
        refund(f"e{i}", "2026-10-10 00:00", completed=done, intervened=True, ruling="卖家责任")
        for i, (done, _) in enumerate(EDGES)
    ]
    rows += [
        # intervened, ruled against the buyer: not a dispute refund against the seller
        refund(
            "x1", "2026-11-01 00:00", completed="2026-11-02", intervened=True, ruling="买家责任"
        ),
        # 卖家责任 without intervention does not count
        refund("x2", "2026-11-01 00:00", completed="2026-11-02", ruling="卖家责任"),
        # not completed yet
        refund("x3", "2026-11-01 00:00", status=WAITING, intervened=True, ruling="卖家责任"),
    ]
    paid = [
        "2026-10-20 23:59:59",  # T−31: out
        "2026-10-21 00:00:00",  # in
        "2026-11-05 12:00:00",  # in
        "2026-11-10 12:00:00",  # in
        "2026-11-19 23:59:59",  # in
        "2026-11-20 00:00:00",  # T: out
        None,  # never paid
    ]
    result = compute(rows, rules, paid)
    assert result.counts["disputes"] == 2
    assert result.counts["orders_paid"] == 4
    assert result.dispute_refund_rate == 0.5
    assert result.metrics["dispute_refund_rate"] == 0.5
    assert not {NEEDS_ORDERS, NO_ORDERS_PAID} & {w.code for w in result.warnings}


def test_dispute_rate_needs_orders(rules: RefundRules) -> None:
    rows = [refund("x", "2026-11-01", completed="2026-11-02", intervened=True, ruling="卖家责任")]
    result = compute(rows, rules)
    assert result.dispute_refund_rate is None
    assert result.counts["disputes"] == 1
    assert result.counts["orders_paid"] is None
    notices = {w.code: w.message for w in result.warnings}
    assert "needs --orders for the denominator" in notices[NEEDS_ORDERS]
    assert NO_ORDERS_PAID not in notices

    none_paid = compute(rows, rules, ["2026-09-01 10:00"])
    assert none_paid.dispute_refund_rate is None
    assert none_paid.counts["orders_paid"] == 0
    codes = {w.code for w in none_paid.warnings}
    assert NO_ORDERS_PAID in codes and NEEDS_ORDERS not in codes


# --------------------------------------------------------------------------- breakdowns


def test_breakdowns_by_type_and_reason(rules: RefundRules) -> None:
    rows = [
        refund("r1", "2026-11-10 10:00", completed="2026-11-10 12:00", amount=1234),  # 2 h
        refund(
            "r2", "2026-11-11 08:00", completed="2026-11-11 13:00", amount=100, reason="不想要了"
        ),  # 5 h
        *RETURNS,
    ]
    result = compute(rows, rules)
    assert [(b.key, b.count, b.hours, b.amount_fen) for b in result.by_type] == [
        (RETURN, 3, 30.0, 26000),  # b1 48 h, b2 18 h, b5 24 h (agreement approximated)
        (ONLY, 2, 3.5, 1334),
    ]
    # by count, then slower first
    assert [(b.key, b.count, b.hours, b.amount_fen) for b in result.by_reason] == [
        ("质量问题", 3, exactly(74 / 3), 22234),  # r1 2 h, b1 48 h, b5 24 h: 74 / 3
        ("不想要了", 2, 11.5, 5100),  # r2 5 h, b2 18 h
    ]
    limited = compute(rows, dataclasses.replace(rules, slowest_limit=4))
    assert [(s.refund_id, s.hours) for s in limited.slowest] == [
        ("b1", 48.0),
        ("b5", 24.0),
        ("b2", 18.0),
        ("r2", 5.0),
    ]
    assert limited.slowest[3].buyer_hours is None


# --------------------------------------------------------------------------- watchlist


def test_watchlist_flags_past_72_hours(rules: RefundRules) -> None:
    rows = [
        refund("w1", str(INSTANT - timedelta(hours=71, minutes=59)), status=WAITING),
        refund("w2", str(INSTANT - timedelta(hours=72, seconds=1)), status=WAITING),
        refund("w3", str(INSTANT - timedelta(hours=72)), status="卖家拒绝退款"),  # exactly 72 h
        # goods on the way back: the seller's clock starts at the upload
        refund(
            "w4",
            "2026-11-10 00:00",
            refund_type=RETURN,
            status="买家已经退货,等待卖家确认收货",
            agreed="2026-11-10 01:00",
            returned="2026-11-20 12:00",
        ),
        refund("w5", "2026-11-01 00:00", status=DONE, completed="2026-11-02"),  # done
        refund("w6", "2026-11-01 00:00", status="待买家退货", refund_type=RETURN),  # buyer's turn
        refund("w7", "2026-11-21 01:00", status=WAITING),  # after the as-of instant
        refund(
            "w8", "2026-11-01 00:00", status=WAITING, intervened=True, amount=4990
        ),  # 19 days 23:59:59 = 479.9997 h
    ]
    result = compute(rows, rules)
    assert [(w.refund_id, w.hours, w.intervention_risk) for w in result.waiting] == [
        ("w8", exactly(480 - 1 / 3600), True),
        ("w2", exactly(72 + 1 / 3600), True),
        ("w3", 72.0, False),
        ("w1", exactly(71 + 59 / 60), False),
        ("w4", exactly(12 - 1 / 3600), False),
    ]
    w4 = result.waiting[-1]
    assert w4.waiting_since == d("2026-11-20 12:00")
    assert w4.intervention_at == d("2026-11-23 12:00")
    assert result.waiting[0].platform_intervened and result.waiting[0].amount_fen == 4990
    assert [w.refund_id for w in result.at_risk] == ["w8", "w2"]
    assert (result.counts["waiting"], result.counts["intervention_risk"]) == (5, 2)


# --------------------------------------------------------------------------- auto-refund rules

MATCHING = [
    # rule 1 未发货仅退款自动退款: 仅退款, not shipped, reason in 多拍 / 拍错 / …
    refund("a1", "2026-11-01 10:00", shipped=False, reason="多拍", amount=5000),
    refund("a2", "2026-11-01 10:00", shipped=True, reason="多拍"),  # shipped
    refund("a3", "2026-11-01 10:00", shipped=None, reason="拍错"),  # shipping state unknown
    refund("a4", "2026-11-01 10:00", shipped=False, reason="缺货"),  # reason not listed
    refund("a5", "2026-11-01 10:00", shipped=False, reason="多拍", refund_type=RETURN),
    # rule 2 签收7天内退货退款自动同意: 退货退款 within 7 days of signing
    refund(
        "b1",
        "2026-11-08 10:00",
        refund_type=RETURN,
        reason="7天无理由",
        signed="2026-11-01 10:00",  # exactly 7 days: within
        amount=20000,
    ),
    refund(
        "b2", "2026-11-08 10:01", refund_type=RETURN, reason="7天无理由", signed="2026-11-01 10:00"
    ),
    refund("b3", "2026-11-08 10:00", refund_type=RETURN, reason="不想要了"),  # never signed
    refund(
        "b4", "2026-11-03 10:00", refund_type=RETURN, reason="质量问题", signed="2026-11-01 10:00"
    ),
    # rule 3 售后小额仅退款自动退款: 仅退款, 售后, reason 退运费 / 协商一致 / 其他, below 10 yuan
    refund("c1", "2026-11-02 10:00", stage="售后", reason="退运费", amount=999),
    refund("c2", "2026-11-02 10:00", stage="售后", reason="退运费", amount=1000),  # not below
    refund("c3", "2026-11-02 10:00", stage="售中", reason="退运费", amount=500),
    refund("c4", "2026-11-02 10:00", stage="售后", reason="质量问题", amount=500),
    refund("c5", "2026-11-02 10:00", stage="售后", reason="其他原因", amount=500),  # contains 其他
    # rules 1 and 3 both: counted once in the combination
    refund("d1", "2026-11-03 10:00", stage="售后", shipped=False, reason="协商一致", amount=600),
    # matches rule 1 but applied before T−30: not in the period's count
    refund("z1", "2026-10-20 10:00", shipped=False, reason="多拍"),
]


def test_each_default_rule_matches_and_misses(rules: RefundRules) -> None:
    result = compute(MATCHING, rules)
    by_name = {s.name: s for s in result.auto_refund.rules}
    first, second, third = (by_name[r.name] for r in rules.auto_rules)
    assert (first.count, first.amount_fen) == (2, 5600)  # a1, d1
    assert (second.count, second.amount_fen) == (1, 20000)  # b1
    assert (third.count, third.amount_fen) == (3, 2099)  # c1, c5, d1
    combined = result.auto_refund.combined
    assert (combined.name, combined.count, combined.amount_fen) == (None, 5, 27099)
    assert RULE_CONDITION_UNKNOWN not in {w.code for w in result.warnings}


def test_a_rule_on_a_column_the_export_lacks_warns(rules: RefundRules) -> None:
    rows = [refund("a1", "2026-11-01 10:00", shipped=None, reason="多拍")]
    result = compute(rows, rules)
    assert result.auto_refund.rules[0].count == 0
    unknown = [w.message for w in result.warnings if w.code == RULE_CONDITION_UNKNOWN]
    # rule 1 reads 是否已发货, rule 2 签收时间; rule 3's 售中或售后 is filled
    assert len(unknown) == 2
    assert "未发货仅退款自动退款" in unknown[0] and "是否已发货" in unknown[0]
    assert "签收7天内退货退款自动同意" in unknown[1] and "签收时间" in unknown[1]


SIMULATED = [
    # rule 1: 10 h → 1 minute
    refund("s1", "2026-11-10 10:00", shipped=False, reason="多拍", completed="2026-11-10 20:00"),
    refund("s2", "2026-11-11 10:00", reason="质量问题", completed="2026-11-11 12:00"),  # 2 h
    # rule 2: agreed after 10 h, buyer 24 h, seller confirms 24 h after the upload: 34 h
    refund(
        "s3",
        "2026-11-02 00:00",
        refund_type=RETURN,
        reason="7天无理由",
        signed="2026-11-01 00:00",
        agreed="2026-11-02 10:00",
        returned="2026-11-03 10:00",
        completed="2026-11-04 10:00",
    ),
    # no rule: elapsed 26 h, buyer 12 h: 14 h
    refund(
        "s4",
        "2026-11-05 00:00",
        refund_type=RETURN,
        agreed="2026-11-05 02:00",
        returned="2026-11-05 14:00",
        completed="2026-11-06 02:00",
    ),
    # rule 1, still waiting for the seller: completes 1 minute after application
    refund("s5", "2026-11-15 00:00", shipped=False, reason="不想要了", status=WAITING),
    # rule 1 but 小二介入: left as it was
    refund(
        "s6",
        "2026-11-12 00:00",
        shipped=False,
        reason="多拍",
        completed="2026-11-14 00:00",
        intervened=True,
    ),
]


def test_simulation_before_and_after(rules: RefundRules) -> None:
    result = compute(SIMULATED, rules)
    before = {"refund_only_hours": 6.0, "return_refund_hours": 24.0}  # (10+2)/2, (34+14)/2
    assert result.metrics["refund_only_hours"] == 6.0
    assert result.metrics["return_refund_hours"] == 24.0
    first, second, third = result.auto_refund.rules
    assert first.before == before
    # s1 and s5 take 1 minute each, s2 2 h: (1/60 + 1/60 + 2) / 3 = 0.67778
    minutes = (1 / 60 + 1 / 60 + 2) / 3
    assert first.after == {"refund_only_hours": exactly(minutes), "return_refund_hours": 24.0}
    assert first.counted_after == {"refund_only_hours": 3, "return_refund_hours": 2}
    assert (first.count, first.intervened) == (3, 1)  # s1, s5, s6
    assert first.change == {"refund_only_hours": exactly(minutes - 6), "return_refund_hours": 0.0}
    # s3 agreed 1 minute after application: upload and completion 9 h 59 min earlier,
    # seller 48 h 01 min − 24 h = 24.0167 h; (24.0167 + 14) / 2 = 19.0083
    agreed = (24 + 1 / 60 + 14) / 2
    assert second.after == {"refund_only_hours": 6.0, "return_refund_hours": exactly(agreed)}
    assert second.count == 1
    assert third.after == before and third.count == 0
    combined = result.auto_refund.combined
    assert combined.after == {
        "refund_only_hours": exactly(minutes),
        "return_refund_hours": exactly(agreed),
    }
    assert (combined.count, combined.intervened) == (4, 1)


def test_simulation_moves_completions_across_the_window(rules: RefundRules) -> None:
    rows = [
        # completed on T (outside) after 30 h; auto-refunded it completes on T−1 (inside)
        refund(
            "m1", "2026-11-19 00:00", shipped=False, reason="多拍", completed="2026-11-20 06:00"
        ),
        refund("m2", "2026-11-10 00:00", completed="2026-11-10 04:00"),  # 4 h, no rule
    ]
    first = compute(rows, rules).auto_refund.rules[0]
    assert first.before["refund_only_hours"] == 4.0
    assert first.after["refund_only_hours"] == exactly((1 / 60 + 4) / 2)
    assert first.counted_after["refund_only_hours"] == 2


def test_auto_agree_never_slows_a_seller_who_agreed_at_once(rules: RefundRules) -> None:
    rules = dataclasses.replace(rules, auto_minutes=30)
    rows = [
        refund(
            "q1",
            "2026-11-02 00:00",
            refund_type=RETURN,
            reason="不想要了",
            signed="2026-11-01 00:00",
            agreed="2026-11-02 00:10",  # faster than the 30-minute strategy
            returned="2026-11-02 10:10",
            completed="2026-11-03 00:00",
        )
    ]
    second = compute(rows, rules).auto_refund.rules[1]
    assert second.count == 1
    assert second.before["return_refund_hours"] == 14.0  # 24 h − 10 h of buyer time
    assert second.after["return_refund_hours"] == 14.0


def test_missing_optional_columns_are_tolerated(rules: RefundRules) -> None:
    minimal = pl.DataFrame(
        {
            "refund_id": ["r1"],
            "order_id": ["o1"],
            "applied_at": [d("2026-11-10 10:00")],
            "amount": [1000],
            "refund_type": [ONLY],
            "reason": ["多拍"],
            "status": [DONE],
            "completed_at": [d("2026-11-10 13:00")],
        },
        schema_overrides={"applied_at": DT, "completed_at": DT},
    ).lazy()
    result = compute_refunds(minimal, None, rules, AS_OF)
    assert result.refund_only_hours == 3.0
    assert result.auto_refund.rules[0].count == 0  # 是否已发货 unknown
