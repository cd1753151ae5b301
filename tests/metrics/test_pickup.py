"""24小时揽收及时率 (SPEC §4): population, deadline, outcomes, lists, breakdowns, watchlist.

T = 2026-11-20, so the window T−32 … T−3 is paid on 2026-10-19 … 2026-11-17 and the as-of
instant is 2026-11-20 23:59:59. Every expected number below is worked out by hand.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmallcli.config import load_config
from tmallcli.exports.inputs import Inputs
from tmallcli.metrics.pickup import (
    SOURCE_BOTH,
    SOURCE_EVENTS,
    SOURCE_NONE,
    SOURCE_ORDERS,
    PickupResult,
    PickupRules,
    compute_pickup,
)

T = date(2026, 11, 20)
INSTANT = datetime(2026, 11, 20, 23, 59, 59)
DT = pl.Datetime("us")
ORDER_SCHEMA: dict[str, Any] = {
    "order_id": pl.String,
    "buyer": pl.String,
    "paid_amount": pl.Int64,
    "shipping_fee": pl.Int64,
    "status": pl.String,
    "paid_at": DT,
    "shipped_at": DT,
    "picked_up_at": DT,
    "promised_ship_by": DT,
    "tracking_no": pl.String,
    "carrier": pl.String,
    "warehouse": pl.String,
}
PAID = "买家已付款,等待卖家发货"
SHIPPED = "卖家已发货,等待买家确认"


def order(
    order_id: str, paid_at: datetime | None, picked: datetime | None = None, **kw: Any
) -> dict:
    row = {
        "order_id": order_id,
        "buyer": kw.pop("buyer", f"buyer{order_id}"),
        "paid_amount": kw.pop("paid_amount", 10000),
        "shipping_fee": kw.pop("shipping_fee", None),
        "status": kw.pop("status", SHIPPED),
        "paid_at": paid_at,
        "shipped_at": kw.pop("shipped_at", None),
        "picked_up_at": picked,
        "promised_ship_by": kw.pop("promise", None),
        "tracking_no": kw.pop("tracking_no", None),
        "carrier": kw.pop("carrier", "中通快递"),
        "warehouse": kw.pop("warehouse", "杭州仓"),
    }
    assert not kw, kw
    return row


def frame(*rows: dict) -> pl.LazyFrame:
    return pl.LazyFrame(list(rows), schema=ORDER_SCHEMA)


def events(*rows: tuple[str | None, str | None, datetime, str]) -> pl.LazyFrame:
    return pl.LazyFrame(
        rows,
        schema={
            "tracking_no": pl.String,
            "order_id": pl.String,
            "event_at": DT,
            "event": pl.String,
        },
        orient="row",
    )


def rules(**changes: Any) -> PickupRules:
    return dataclasses.replace(PickupRules.from_config(load_config()), **changes)


def compute(
    orders: pl.LazyFrame,
    event_frame: pl.LazyFrame | None = None,
    pickup_rules: PickupRules | None = None,
    **kw: Any,
) -> PickupResult:
    return compute_pickup(
        orders, event_frame, pickup_rules or rules(), as_of=T, instant=INSTANT, **kw
    )


def paid(month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second)


def outcomes(result: PickupResult) -> tuple[int, int, int, int]:
    return result.population, result.timely, result.late, result.not_picked


# --------------------------------------------------------------------------- population


def test_window_edges() -> None:
    result = compute(
        frame(
            order("in_first", paid(10, 19, 0, 0), paid(10, 19, 5)),  # T−32 00:00: in
            order("out_before", paid(10, 18, 23, 59), paid(10, 19, 5)),  # T−33 23:59: out
            order("in_last", paid(11, 17, 23, 59), paid(11, 18, 5)),  # T−3 23:59: in
            order("out_after", paid(11, 18, 0, 0), paid(11, 18, 5)),  # T−2: out
        )
    )
    assert (result.window_start, result.window_end) == (date(2026, 10, 19), date(2026, 11, 17))
    assert outcomes(result) == (2, 2, 0, 0)
    assert result.rate == 1.0


def test_excluded_status_and_missing_payment_are_not_assessed() -> None:
    result = compute(
        frame(
            order("closed", paid(11, 1), None, status="交易关闭"),
            order("unpaid", None, None, status="等待买家付款"),
            order("no_status", paid(11, 1), paid(11, 1, 12), status=None),
            order("ok", paid(11, 1), paid(11, 1, 12)),
        )
    )
    assert outcomes(result) == (2, 2, 0, 0)


def test_config_statuses_match_with_either_comma() -> None:
    config = load_config(overrides={"pickup": {"exclude_statuses": ["买家已付款，等待卖家发货"]}})
    result = compute(
        frame(order("1", paid(11, 1), None, status=PAID), order("2", paid(11, 1), None)),
        pickup_rules=PickupRules.from_config(config),
    )
    assert outcomes(result) == (1, 0, 0, 1)
    assert result.untimely[0].order_id == "2"


def test_empty_population_has_no_rate() -> None:
    result = compute(frame(order("late_paid", paid(11, 19), None)))
    assert outcomes(result) == (0, 0, 0, 0)
    assert result.rate is None
    assert result.below("0.95") is False
    assert result.untimely == [] and result.by_carrier == [] and result.by_pay_hour == []
    assert len(result.daily) == 30
    assert all(day.population == 0 and day.rate is None for day in result.daily)


# --------------------------------------------------------------------------- deadline


def test_exactly_24_hours_is_timely_one_minute_more_is_late() -> None:
    result = compute(
        frame(
            order("exact", paid(11, 1, 10), paid(11, 2, 10)),
            order("minute", paid(11, 1, 10), paid(11, 2, 10, 1)),
        )
    )
    assert outcomes(result) == (2, 1, 1, 0)
    (late,) = result.untimely
    assert late.order_id == "minute"
    assert late.status == "late"
    assert late.hours == 86_460 / 3600  # 24 h 1 min = 24.0167 h, in full (SPEC §14)
    assert late.deadline == paid(11, 2, 10)
    assert late.picked_up_at == paid(11, 2, 10, 1)


def test_a_shorter_promise_is_assessed_against_the_promise() -> None:
    result = compute(
        frame(
            # promised to ship by 18:00 the same day: a pickup at 20:00 is late, though < 24 h
            order("promise", paid(11, 1, 10), paid(11, 1, 20), promise=paid(11, 1, 18)),
            # a promise later than 24 h does not extend the 24 h rule
            order("long", paid(11, 1, 10), paid(11, 2, 12), promise=paid(11, 3, 10)),
            order("kept", paid(11, 1, 10), paid(11, 1, 17), promise=paid(11, 1, 18)),
        )
    )
    assert outcomes(result) == (3, 1, 2, 0)
    deadlines = {o.order_id: (o.deadline, o.hours) for o in result.untimely}
    assert deadlines == {"promise": (paid(11, 1, 18), 10.0), "long": (paid(11, 2, 10), 26.0)}


def test_shipped_but_not_picked_up_is_not_picked() -> None:
    # 发货 clicked 1 h after payment, but the courier never recorded a pickup.
    result = compute(
        frame(
            order("1", paid(11, 1, 10), None, shipped_at=paid(11, 1, 11), tracking_no="A"),
        ),
        events(("A", "1", paid(11, 1, 11), "商家已发货，等待揽件")),
        orders_have_pickup_column=False,
    )
    assert outcomes(result) == (1, 0, 0, 1)
    (untimely,) = result.untimely
    assert untimely.status == "not_picked"
    assert untimely.picked_up_at is None
    # hours waited until the as-of instant: 11-01 10:00 → 11-20 23:59:59 = 469.9997 h
    assert untimely.hours == (470 * 3600 - 1) / 3600


def test_pickup_after_the_as_of_instant_had_not_happened_yet() -> None:
    result = compute(frame(order("1", paid(11, 17, 10), INSTANT + timedelta(seconds=1))))
    assert outcomes(result) == (1, 0, 0, 1)


def test_multi_package_orders() -> None:
    result = compute(
        frame(
            order("one_late", paid(11, 1, 10), None, tracking_no="P1,P2"),
            order("one_never", paid(11, 1, 10), None, tracking_no="P3,P4"),
            order("both_in_time", paid(11, 1, 10), None, tracking_no="P5,P6"),
        ),
        events(
            ("P1", "one_late", paid(11, 1, 12), "已揽收"),
            ("P2", "one_late", paid(11, 2, 16), "已揽收"),  # 30 h after payment
            ("P3", "one_never", paid(11, 1, 12), "已揽收"),
            ("P4", "one_never", paid(11, 1, 12), "等待揽件"),
            ("P5", "both_in_time", paid(11, 1, 12), "已揽收"),
            ("P6", "both_in_time", paid(11, 2, 9), "已揽件"),
        ),
    )
    assert outcomes(result) == (3, 1, 1, 1)
    by_id = {o.order_id: o for o in result.untimely}
    assert by_id["one_late"].status == "late" and by_id["one_late"].hours == 30.0
    assert by_id["one_never"].status == "not_picked"


def test_cainiao_states_after_outbound_count_as_pickup() -> None:
    result = compute(
        frame(
            order("cainiao", paid(11, 1, 10), None, tracking_no="C1"),
            order("only_out", paid(11, 1, 10), None, tracking_no="C2"),
        ),
        events(
            ("C1", "cainiao", paid(11, 1, 20), "【菜鸟嘉兴仓】包裹已出库"),
            ("C1", "cainiao", paid(11, 1, 23), "正在发往分拨中心"),
            ("C2", "only_out", paid(11, 1, 20), "【菜鸟嘉兴仓】包裹已出库"),
        ),
    )
    assert outcomes(result) == (2, 1, 0, 1)
    assert [o.order_id for o in result.untimely] == ["only_out"]


def test_waiting_for_pickup_does_not_count() -> None:
    result = compute(
        frame(order("1", paid(11, 1, 10), None, tracking_no="A")),
        events(("A", "1", paid(11, 1, 12), "等待揽件"), ("A", "1", paid(11, 2, 16), "已揽件")),
    )
    assert outcomes(result) == (1, 0, 1, 0)
    assert result.untimely[0].hours == 30.0


# --------------------------------------------------------------------------- untimely list


def untimely_orders() -> pl.LazyFrame:
    return frame(
        order("np_new", paid(10, 25, 10), None),
        order("np_old", paid(10, 20, 10), None),
        order("late30_b", paid(11, 1, 10), paid(11, 2, 16)),
        order("late50", paid(11, 1, 10), paid(11, 3, 12)),
        order("late30_a", paid(11, 5, 10), paid(11, 6, 16)),
        order("timely", paid(11, 5, 10), paid(11, 5, 16)),
    )


def test_untimely_order_not_picked_oldest_first_then_latest_first() -> None:
    result = compute(untimely_orders())
    assert [(o.order_id, o.hours) for o in result.untimely] == [
        ("np_old", (758 * 3600 - 1) / 3600),  # 10-20 10:00 → 11-20 23:59:59 = 757.9997 h
        ("np_new", (638 * 3600 - 1) / 3600),  # 637.9997 h
        ("late50", 50.0),
        ("late30_a", 30.0),  # tie on hours: by order_id
        ("late30_b", 30.0),
    ]
    assert outcomes(result) == (6, 1, 3, 2)
    assert result.rate == pytest.approx(1 / 6)


def test_untimely_limit() -> None:
    result = compute(untimely_orders(), pickup_rules=rules(limit=3))
    assert [o.order_id for o in result.untimely] == ["np_old", "np_new", "late50"]
    assert result.late + result.not_picked == 5
    assert len(compute(untimely_orders(), pickup_rules=rules(limit=0)).untimely) == 5


# --------------------------------------------------------------------------- breakdowns


def test_breakdowns() -> None:
    result = compute(
        frame(
            order("z1", paid(11, 1, 9), paid(11, 1, 15), carrier="中通快递", warehouse="A仓"),
            order("z2", paid(11, 1, 9), paid(11, 1, 15), carrier="中通快递", warehouse="A仓"),
            order("z3", paid(11, 1, 22), paid(11, 3, 9), carrier="中通快递", warehouse="B仓"),
            order("y1", paid(11, 2, 22), paid(11, 3, 9), carrier="圆通速递", warehouse="B仓"),
            order("y2", paid(11, 2, 22), None, carrier="圆通速递", warehouse=None),
            order("u1", paid(11, 2, 9, 30), paid(11, 2, 15), carrier=None, warehouse="A仓"),
        )
    )
    assert outcomes(result) == (6, 4, 1, 1)
    assert [(t.key, t.population, t.timely, t.late, t.not_picked) for t in result.by_carrier] == [
        ("圆通速递", 2, 1, 0, 1),  # 50 %
        ("中通快递", 3, 2, 1, 0),  # 66.7 %
        (None, 1, 1, 0, 0),  # 100 %
    ]
    assert [(t.key, t.population, t.timely) for t in result.by_warehouse] == [
        (None, 1, 0),  # 0 %
        ("B仓", 2, 1),  # 50 %
        ("A仓", 3, 3),  # 100 %
    ]
    assert [(t.key, t.population, t.timely, t.late) for t in result.by_pay_hour] == [
        (9, 3, 3, 0),
        (22, 3, 1, 1),
    ]
    assert result.by_pay_hour[1].rate == pytest.approx(1 / 3)
    daily = {t.key: (t.population, t.timely, t.late, t.not_picked, t.rate) for t in result.daily}
    assert len(daily) == 30
    assert min(daily) == date(2026, 10, 19) and max(daily) == date(2026, 11, 17)
    assert daily[date(2026, 11, 1)] == (3, 2, 1, 0, pytest.approx(2 / 3))
    assert daily[date(2026, 11, 2)] == (3, 2, 0, 1, pytest.approx(2 / 3))
    assert daily[date(2026, 11, 3)] == (0, 0, 0, 0, None)


def test_carriers_with_equal_rate_bigger_first() -> None:
    result = compute(
        frame(
            order("a1", paid(11, 1), None, carrier="A"),
            order("b1", paid(11, 1), None, carrier="B"),
            order("b2", paid(11, 1), None, carrier="B"),
        )
    )
    assert [t.key for t in result.by_carrier] == ["B", "A"]


# --------------------------------------------------------------------------- watchlist


def test_watchlist_levels_and_compensation() -> None:
    result = compute(
        frame(
            # 24 h 59 min 59 s waiting: follow up; 30% × 33.35 = 10.005 → 10.01 yuan
            order("follow", paid(11, 19, 23), None, paid_amount=3335, status=PAID),
            # 59 h 59 min 59 s: late-shipment risk; 30% × 10.00 = 3.00 → minimum 5.00
            order("risk", paid(11, 18, 12), None, paid_amount=1000, shipped_at=paid(11, 18, 13)),
            # postage is not part of the item amount: 43.35 − 10.00 = 33.35 → 10.01
            order("postage", paid(11, 18, 13), None, paid_amount=4335, shipping_fee=1000),
            # exactly 24 h / exactly 48 h before the instant
            order("exact24", paid(11, 19, 23, 59, 59), None),
            order("exact48", paid(11, 18, 23, 59, 59), None),
            # not yet 24 h
            order("young", paid(11, 20, 0), None),
            # picked up, received, closed: nothing to chase
            order("picked", paid(11, 1), paid(11, 1, 12)),
            order("done", paid(11, 1), None, status="交易成功"),
            order("closed", paid(11, 1), None, status="交易关闭"),
            order("unpaid", None, None, status="等待买家付款"),
            # picked up only after the as-of instant: still waiting at T
            order("later", paid(11, 10, 8), INSTANT + timedelta(hours=1), paid_amount=9999),
        )
    )
    watch = {w.order_id: (w.level, w.hours, w.compensation_fen) for w in result.watchlist}
    assert watch == {
        # waiting until the instant 23:59:59: one second short of the whole hours
        "later": ("late_shipment_risk", (256 * 3600 - 1) / 3600, 3000),  # 30% × 99.99 → 30.00
        "risk": ("late_shipment_risk", (60 * 3600 - 1) / 3600, 500),
        "postage": ("late_shipment_risk", (59 * 3600 - 1) / 3600, 1001),
        "exact48": ("follow_up", 48.0, 3000),
        "follow": ("follow_up", (25 * 3600 - 1) / 3600, 1001),
    }
    # oldest payment first
    assert [w.order_id for w in result.watchlist] == [
        "later",
        "risk",
        "postage",
        "exact48",
        "follow",
    ]
    assert result.watchlist[1].shipped_at == paid(11, 18, 13)
    assert result.watchlist[-1].order_status == PAID


# --------------------------------------------------------------------------- presets, sources


def test_taobao_48h_preset() -> None:
    preset = PickupRules.from_config(load_config(), preset="taobao_48h")
    assert (preset.hours, preset.preset) == (48, "taobao_48h")
    result = compute(
        frame(
            order("first_day", paid(10, 18, 0), paid(10, 19, 23)),  # T−33: in, 47 h: timely
            order("before", paid(10, 17, 23, 59), paid(10, 18, 1)),  # T−34: out
            order("last_day", paid(11, 16, 23, 59), paid(11, 19, 0)),  # T−4: in, 48.02 h: late
            order("after", paid(11, 17, 0), paid(11, 17, 1)),  # T−3: out under the 48 h rule
        ),
        pickup_rules=preset,
    )
    assert (result.window_start, result.window_end) == (date(2026, 10, 18), date(2026, 11, 16))
    assert outcomes(result) == (2, 1, 1, 0)
    assert result.untimely[0].deadline == paid(11, 18, 23, 59)
    assert len(result.daily) == 30


def test_unknown_preset_is_a_config_error() -> None:
    from tmallcli.errors import ConfigError

    with pytest.raises(ConfigError, match="known: taobao_48h"):
        PickupRules.from_config(load_config(), preset="nope")


def test_pickup_source_and_warning() -> None:
    orders = frame(order("1", paid(11, 1), paid(11, 1, 12)))
    assert compute(orders).pickup_source == SOURCE_ORDERS
    assert compute(orders, events()).pickup_source == SOURCE_BOTH
    with_events = compute(orders, events(), orders_have_pickup_column=False)
    assert with_events.pickup_source == SOURCE_EVENTS and with_events.warnings == []
    none = compute(frame(order("1", paid(11, 1), None)), orders_have_pickup_column=False)
    assert none.pickup_source == SOURCE_NONE
    assert outcomes(none) == (1, 0, 0, 1)
    assert [w.code for w in none.warnings] == ["no_pickup_source"]
    assert "shipped_at" in none.warnings[0].message


def test_missing_optional_columns_are_null() -> None:
    orders = pl.LazyFrame(
        {
            "order_id": ["1"],
            "buyer": ["b"],
            "paid_amount": [100],
            "status": [SHIPPED],
            "paid_at": [paid(11, 1)],
        },
        schema_overrides={"paid_at": DT},
    )
    result = compute(orders, orders_have_pickup_column=False)
    assert outcomes(result) == (1, 0, 0, 1)
    assert result.by_carrier[0].key is None


def test_rate_comparison_is_exact() -> None:
    rows = [order(str(i), paid(11, 1), paid(11, 1, 12)) for i in range(19)]
    rows.append(order("19", paid(11, 1), None))
    result = compute(frame(*rows))
    assert result.rate == 0.95
    assert result.below("0.95") is False
    assert result.below(0.96) is True


# --------------------------------------------------------------------------- invariants

_STATUSES = [SHIPPED, PAID, "交易成功", "交易关闭", None]
_CARRIERS = ["中通快递", "圆通速递", None]


@st.composite
def shops(draw: st.DrawFn) -> list[dict]:
    rows = []
    for i in range(draw(st.integers(0, 25))):
        paid_at = datetime(2026, 10, 10) + timedelta(minutes=draw(st.integers(0, 60 * 24 * 42)))
        lag = draw(st.none() | st.integers(0, 60 * 24 * 4))
        promise = draw(st.none() | st.integers(0, 60 * 48))
        rows.append(
            order(
                str(i),
                draw(st.none() | st.just(paid_at)),
                None if lag is None else paid_at + timedelta(minutes=lag),
                status=draw(st.sampled_from(_STATUSES)),
                carrier=draw(st.sampled_from(_CARRIERS)),
                promise=None if promise is None else paid_at + timedelta(minutes=promise),
                paid_amount=draw(st.integers(0, 100_000)),
            )
        )
    return rows


@given(shops())
@settings(max_examples=60, deadline=None)
def test_counts_add_up(rows: list[dict]) -> None:
    result = compute(frame(*rows) if rows else pl.LazyFrame(schema=ORDER_SCHEMA))
    assert result.timely + result.late + result.not_picked == result.population
    for breakdown in (result.by_carrier, result.by_warehouse, result.by_pay_hour, result.daily):
        assert sum(t.population for t in breakdown) == result.population
        assert sum(t.timely for t in breakdown) == result.timely
    assert len(result.untimely) == min(result.late + result.not_picked, 100)
    assert all(o.status in ("late", "not_picked") for o in result.untimely)
    assert all(w.compensation_fen >= 500 for w in result.watchlist)
    assert all(w.hours > 24 for w in result.watchlist)
    if result.population:
        assert result.rate == result.timely / result.population


@given(shops(), st.data())
@settings(max_examples=60, deadline=None)
def test_rate_is_a_share_and_an_earlier_pickup_never_lowers_it(
    rows: list[dict], data: st.DataObject
) -> None:
    def run(rs: list[dict]) -> PickupResult:
        return compute(frame(*rs) if rs else pl.LazyFrame(schema=ORDER_SCHEMA))

    before = run(rows)
    assert before.rate is None or 0 <= before.rate <= 1
    assert (before.rate is None) == (before.population == 0)
    candidates = [i for i, row in enumerate(rows) if row["paid_at"] is not None]
    if not candidates:
        return
    i = data.draw(st.sampled_from(candidates))
    row = rows[i]
    # Picked up earlier than it was (or at all), but never before payment.
    latest = row["picked_up_at"] or INSTANT + timedelta(days=3)
    span = int((latest - row["paid_at"]).total_seconds() // 60)
    if span <= 0:
        return
    earlier = row["paid_at"] + timedelta(minutes=data.draw(st.integers(0, span - 1)))
    after = run([*rows[:i], {**row, "picked_up_at": earlier}, *rows[i + 1 :]])
    assert after.population == before.population
    assert after.timely >= before.timely
    assert after.rate is None or before.rate is None or after.rate >= before.rate


def sample_shop() -> Inputs:
    """The bundled sample shop's orders and tracking exports (608 orders in the window)."""
    sample = Path(__file__).resolve().parents[2] / "sample_data"
    return Inputs(
        {
            "orders": [str(sample / "ExportOrderList20261120.csv")],
            "logistics": [str(sample / "logistics.csv")],
        }
    )


def test_the_three_ways_to_give_tracking_events_give_the_same_rate() -> None:
    """Raw events, the whole fold already loaded (the report), and a load of only the
    candidates' packages (audit pickup, score service): the same result on the sample shop,
    and the report's way loads nothing more."""
    from tmallcli.metrics.shipping import EVENT_COLUMNS, ORDER_COLUMNS, PackagePickups
    from tmallcli.runs.pickup import tracking_events

    pickup_rules = rules()
    with sample_shop() as inputs:
        orders = inputs.load("orders", ORDER_COLUMNS).lazy()
        raw = inputs.load("logistics").lazy()
        by_raw = compute(orders, raw, pickup_rules)
        only = tracking_events(inputs, pickup_rules.words)
        by_packages = compute(orders, only, pickup_rules)
        whole = PackagePickups(pickup_rules.words)
        inputs.load("logistics", EVENT_COLUMNS, whole)
        loads = len(inputs._loaded)
        by_whole = compute(orders, tracking_events(inputs, pickup_rules.words), pickup_rules)
        assert len(inputs._loaded) == loads
    assert outcomes(by_raw) == outcomes(by_packages) == outcomes(by_whole) == (608, 553, 46, 9)
    assert by_raw.watchlist == by_packages.watchlist == by_whole.watchlist


def test_pickup_times_computed_once_for_every_order_give_the_same_result() -> None:
    """The report computes each order's pickup time once (for compensation) and hands the
    pickup rate those times: the same result as folding the candidates' packages again."""
    from tmallcli.metrics.compensation import order_pickups
    from tmallcli.metrics.shipping import EVENT_COLUMNS, ORDER_COLUMNS, PackagePickups

    pickup_rules = rules()
    with sample_shop() as inputs:
        orders = inputs.load("orders", ORDER_COLUMNS).frame
        events = inputs.load("logistics", EVENT_COLUMNS, PackagePickups(pickup_rules.words))
        by_events = compute(orders.lazy(), events.lazy(), pickup_rules)
        times = order_pickups(orders.lazy(), events.lazy(), pickup_rules.words)
        known = orders.select("order_id").hstack(times.select("pickup_at"))
        by_times = compute(orders.lazy(), None, pickup_rules, pickups=known, have_events=True)
    assert outcomes(by_times) == outcomes(by_events) == (608, 553, 46, 9)
    assert by_times == by_events


def test_the_candidates_alone_give_the_same_result() -> None:
    """audit pickup and score service keep only pickup_candidates and let the other orders
    go: the rate, the breakdowns and the watchlist are those of the whole export, and the
    candidates filtered again are the same frame."""
    from tmallcli.metrics.pickup import pickup_candidates
    from tmallcli.metrics.shipping import ORDER_COLUMNS

    pickup_rules = rules()
    with sample_shop() as inputs:
        orders = inputs.load("orders", ORDER_COLUMNS).lazy()
        events = inputs.load("logistics").lazy()
        candidates = pickup_candidates(orders, pickup_rules, as_of=T, instant=INSTANT)
        again = pickup_candidates(candidates.lazy(), pickup_rules, as_of=T, instant=INSTANT)
        whole = compute(orders, events, pickup_rules)
        alone = compute(candidates.lazy(), events, pickup_rules)
        total = orders.select(pl.len()).collect().item()
    assert 0 < candidates.height < total
    assert again.equals(candidates)
    assert dataclasses.asdict(alone) == dataclasses.asdict(whole)
    assert outcomes(alone) == (608, 553, 46, 9)
