"""When an order was picked up (揽收), shared by §4 and §5: tracking events, packages, money."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmallcli.config import load_config
from tmallcli.errors import InputError
from tmallcli.exports.inputs import Inputs
from tmallcli.metrics.shipping import (
    EVENT_COLUMNS,
    PACKAGE_COLUMNS,
    PackagePickups,
    Packages,
    PickupWords,
    is_pickup_event,
    item_amount_fen,
    package_pickups,
    with_pickup_times,
)

DT = pl.Datetime("us")


def pickup_times(
    orders: pl.LazyFrame, events: pl.LazyFrame | None, words: PickupWords
) -> pl.LazyFrame:
    """One row per order: its pickup_at and has_pickup_info (what the rules add)."""
    return with_pickup_times(orders, events, words).select(
        "order_id", "pickup_at", "has_pickup_info"
    )


WORDS = PickupWords.from_config(load_config().pickup)


def orders(*rows: tuple[str, str | None, datetime | None]) -> pl.LazyFrame:
    """(order_id, tracking_no, picked_up_at) rows."""
    return pl.LazyFrame(
        rows,
        schema={"order_id": pl.String, "tracking_no": pl.String, "picked_up_at": DT},
        orient="row",
    )


def events(*rows: tuple[str | None, str | None, datetime, str]) -> pl.LazyFrame:
    """(tracking_no, order_id, event_at, event) rows."""
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


def pickups(order_frame: pl.LazyFrame, event_frame: pl.LazyFrame | None) -> dict[str, datetime]:
    frame = pickup_times(order_frame, event_frame, WORDS).collect()
    return dict(zip(frame["order_id"], frame["pickup_at"], strict=True))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute)


def pickup_flags(words: PickupWords, texts: list[str | None]) -> list[bool]:
    """:func:`is_pickup_event` of each tracking text."""
    frame = pl.DataFrame({"event": texts}, schema={"event": pl.String})
    return frame.select(is_pickup_event(words)).to_series().to_list()


@pytest.mark.parametrize(
    ("text", "is_pickup"),
    [
        ("【杭州市】中通快递 萧山网点 快递员 吴昊 已揽收", True),
        ("【杭州市】圆通速递 萧山网点 已揽件", True),
        ("顺丰速运 已收件", True),
        ("揽收成功", True),
        # 菜鸟 warehouses: the states after 包裹已出库 are the pickup; 出库 itself is not.
        ("【菜鸟嘉兴仓】包裹已出库", False),
        ("【嘉兴市】正在发往分拨中心", True),
        ("已进入分拨中心", True),
        ("已完成分拨集包", True),
        ("已从分拨中心发出", True),
        # 等待揽件 contains 揽件 but means the courier has not come.
        ("商家已发货，等待揽件", False),
        ("包裹等待揽收", False),
        ("揽件失败：快递员未上门", False),
        ("卖家已发货", False),
        (None, False),
    ],
)
def test_pickup_words(text: str | None, is_pickup: bool) -> None:
    assert pickup_flags(WORDS, [text]) == [is_pickup]


def test_pickup_words_are_literal_text_not_patterns() -> None:
    # The words are matched as one regex of escaped literals: "." or "(" is that character.
    words = PickupWords(pickup=("已揽收(上门)", "a.b"), cainiao=("[仓]",), not_pickup=("*失败",))
    texts: list[str | None] = [
        "已揽收(上门)",
        "已揽收上门",
        "a.b",
        "axb",
        "[仓]",
        "仓",
        "*失败 已揽收(上门)",
        "失败",
    ]
    assert pickup_flags(words, texts) == [
        True,
        False,
        True,
        False,
        True,
        False,
        False,
        False,
    ]


def test_pickup_words_match_either_comma() -> None:
    """Tracking texts are free text, kept as written: a word with a comma matches the text
    written with the other comma (SPEC §2), and a comma-less word is unchanged."""
    words = PickupWords(pickup=("揽收，成功",), cainiao=("分拨,中心",), not_pickup=("取消，揽收",))
    texts: list[str | None] = [
        "揽收,成功",
        "揽收，成功",
        "揽收成功",
        "到达分拨，中心",
        "揽收,成功 取消,揽收",
        "揽收;成功",
    ]
    assert pickup_flags(words, texts) == [
        True,
        True,
        False,
        True,
        False,
        False,
    ]


def test_picked_up_at_of_the_orders_export_wins_over_events() -> None:
    result = pickups(
        orders(("1", "A", at(1, 9))),
        events(("A", "1", at(1, 8), "已揽收")),
    )
    assert result == {"1": at(1, 9)}


def test_without_events_the_orders_export_is_the_only_source() -> None:
    result = pickups(orders(("1", "A", at(1, 9)), ("2", "B", None)), None)
    assert result == {"1": at(1, 9), "2": None}


def test_earliest_pickup_event_of_a_package() -> None:
    result = pickups(
        orders(("1", "A", None)),
        events(
            ("A", "1", at(1, 8), "商家已发货，等待揽件"),
            ("A", "1", at(1, 12), "已揽件"),
            ("A", "1", at(1, 10), "已揽收"),
            ("A", "1", at(1, 20), "已进入分拨中心"),
        ),
    )
    assert result == {"1": at(1, 10)}


def test_waiting_for_pickup_is_not_a_pickup() -> None:
    result = pickups(orders(("1", "A", None)), events(("A", "1", at(1, 8), "等待揽件")))
    assert result == {"1": None}


def test_cainiao_states_after_outbound_count() -> None:
    result = pickups(
        orders(("1", "C1", None), ("2", "C2", None)),
        events(
            ("C1", "1", at(1, 8), "【菜鸟嘉兴仓】包裹已出库"),
            ("C1", "1", at(1, 11), "正在发往分拨中心"),
            ("C1", "1", at(1, 15), "已从分拨中心发出"),
            ("C2", "2", at(1, 8), "【菜鸟嘉兴仓】包裹已出库"),
        ),
    )
    assert result == {"1": at(1, 11), "2": None}


def test_order_is_picked_up_when_its_last_package_is() -> None:
    result = pickups(
        orders(("1", "A,B", None), ("2", "C,D", None)),
        events(
            ("A", "1", at(1, 9), "已揽收"),
            ("B", "1", at(2, 15), "已揽收"),
            ("C", "2", at(1, 9), "已揽收"),
            ("D", "2", at(1, 9), "等待揽件"),
        ),
    )
    # one package never picked makes the whole order not picked
    assert result == {"1": at(2, 15), "2": None}


def test_events_without_tracking_number_are_keyed_by_order() -> None:
    result = pickups(
        orders(("1", None, None), ("2", None, None)),
        events((None, "1", at(1, 9), "已揽收"), (None, "2", at(1, 9), "等待揽收")),
    )
    assert result == {"1": at(1, 9), "2": None}


def test_packages_named_only_by_the_events() -> None:
    # The orders export has no tracking number; the events name two packages of order 1.
    result = pickups(
        orders(("1", None, None)),
        events(("A", "1", at(1, 9), "已揽收"), ("B", "1", at(1, 18), "已揽件")),
    )
    assert result == {"1": at(1, 18)}


def test_has_pickup_info_tells_unknown_from_not_picked() -> None:
    frame = (
        pickup_times(
            orders(("1", "A", None), ("2", "B", None), ("3", None, at(1, 9))),
            events(("A", "1", at(1, 8), "等待揽件")),
            WORDS,
        )
        .collect()
        .sort("order_id")
    )
    assert frame["has_pickup_info"].to_list() == [True, False, True]


def test_item_amount_excludes_postage() -> None:
    frame = pl.DataFrame(
        {"paid_amount": [4335, 3335, 500], "shipping_fee": [1000, None, 800]},
        schema={"paid_amount": pl.Int64, "shipping_fee": pl.Int64},
    )
    assert frame.select(item_amount_fen()).to_series().to_list() == [3335, 3335, 0]


# ------------------------------------------------------- events folded while they stream in

EVENT_TEXTS = [
    "【杭州市】中通快递 萧山网点 已揽收",
    "包裹已出库",
    "正在发往分拨中心",
    "运输中",
    "已签收",
]
event_rows = st.lists(
    st.tuples(
        st.sampled_from(["T1", "T2", "T3", None]),
        st.sampled_from(["A", "B", "C", None]),
        st.integers(0, 72).map(lambda h: datetime(2026, 11, 1) + timedelta(hours=h)),
        st.sampled_from(EVENT_TEXTS),
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(event_rows, st.integers(0, 25), st.booleans())
def test_folding_events_by_file_changes_no_pickup(
    rows: list[tuple[str | None, str | None, datetime, str]], cut: int, twice: bool
) -> None:
    """The reader folds each file, then the files together (and a row may come twice): the
    pickup times are those of the raw events."""
    order_frame = orders(
        ("A", "T1,T2", None), ("B", None, None), ("C", "T3", None), ("D", None, None)
    )
    if twice and rows:
        rows = [*rows, rows[0]]
    raw = events(*rows)
    first, second = events(*rows[:cut]), events(*rows[cut:])
    folded = package_pickups(
        pl.concat([package_pickups(first, WORDS), package_pickups(second, WORDS)]), WORDS
    )
    assert set(folded.collect_schema().names()) == set(PACKAGE_COLUMNS)
    by_raw = pickup_times(order_frame, raw, WORDS).sort("order_id").collect()
    by_fold = pickup_times(order_frame, folded, WORDS).sort("order_id").collect()
    assert by_fold.equals(by_raw)


def test_the_reader_folds_each_file_and_then_the_files(tmp_path: Path) -> None:
    header = "物流单号,订单编号,时间,物流状态\n"
    (tmp_path / "a.csv").write_text(
        header
        + "T1,A,2026-11-02 09:00:00,运输中\n"
        + "T1,A,2026-11-01 20:00:00,【杭州市】中通快递 已揽收\n"
        + "T2,A,2026-11-01 08:00:00,运输中\n",
        encoding="utf-8",
    )
    (tmp_path / "b.csv").write_text(
        header
        + "T1,A,2026-11-01 18:00:00,【杭州市】中通快递 已揽收\n"
        + "T1,A,2026-11-01 18:00:00,【杭州市】中通快递 已揽收\n"
        + ",B,2026-11-03 10:00:00,正在发往分拨中心\n",
        encoding="utf-8",
    )
    with Inputs({"logistics": [str(tmp_path / "a.csv"), str(tmp_path / "b.csv")]}) as files:
        loaded = files.load("logistics", EVENT_COLUMNS, PackagePickups(WORDS))
        assert loaded.warnings == []  # a repeated event is folded, not reported
        frame = loaded.frame.sort("tracking_no", "order_id", nulls_last=True)
    # pickup_at: the earliest pickup event; event_at: the newest event (SPEC §14 data_through).
    assert frame.rows() == [
        ("T1", "A", datetime(2026, 11, 1, 18), datetime(2026, 11, 2, 9)),
        ("T2", "A", None, datetime(2026, 11, 1, 8)),
        (None, "B", datetime(2026, 11, 3, 10), datetime(2026, 11, 3, 10)),
    ]
    assert files.reads()[0].data_through == datetime(2026, 11, 3, 10)


def test_the_reader_folds_only_the_packages_asked_for(tmp_path: Path) -> None:
    """PackagePickups(words, only=...) in the reader gives the whole fold's rows for those
    packages (by tracking number, or by order for events without one) and nothing else; a
    bad row elsewhere is still an error."""
    header = "物流单号,订单编号,时间,物流状态\n"
    path = tmp_path / "l.csv"
    path.write_text(
        header
        + "T1,A,2026-11-01 20:00:00,已揽收\n"
        + "T2,B,2026-11-01 21:00:00,已揽收\n"
        + "T3,C,2026-11-01 22:00:00,已揽收\n"
        + ",C,2026-11-02 08:00:00,已揽收\n"
        + ",D,2026-11-02 09:00:00,已揽收\n",
        encoding="utf-8",
    )
    wanted = pl.DataFrame({"order_id": ["A", "C"], "tracking_no": ["T1", None]})
    only = Packages.of(wanted)
    with Inputs({"logistics": [str(path)]}) as files:
        whole = files.load("logistics", EVENT_COLUMNS, PackagePickups(WORDS)).frame
        some = files.load("logistics", EVENT_COLUMNS, PackagePickups(WORDS, only)).frame
    key = ["tracking_no", "order_id"]
    expected = whole.filter(pl.col("order_id").is_in(["A", "C"])).sort(key, nulls_last=True)
    assert some.sort(key, nulls_last=True).equals(expected)
    assert expected.height == 3  # T1/A, T3/C (named by its order), C untracked
    path.write_text(
        header + "T1,A,2026-11-01 20:00:00,已揽收\nT9,Z,yesterday,x\n", encoding="utf-8"
    )
    with Inputs({"logistics": [str(path)]}) as files, pytest.raises(InputError) as caught:
        files.load("logistics", EVENT_COLUMNS, PackagePickups(WORDS, only))
    assert ":3: column 时间 (event_at)" in str(caught.value)


def reference_pickups(
    order_rows: list[tuple[str, str | None, datetime | None]],
    event_rows_: list[tuple[str | None, str | None, datetime, str]],
) -> dict[str, tuple[datetime | None, bool]]:
    """The rule of with_pickup_times written out order by order: (pickup_at, has_pickup_info)."""
    texts = [text for _t, _o, _a, text in event_rows_]
    flags = pl.DataFrame({"event": texts}, schema={"event": pl.String}).select(
        is_pickup_event(WORDS)
    )
    picked = [
        (tracking, order, at)
        for (tracking, order, at, _text), flag in zip(event_rows_, flags.to_series(), strict=True)
        if flag
    ]
    by_tracking: dict[str, datetime | None] = {}
    for tracking, _order, _at, _text in event_rows_:
        if tracking is not None:
            by_tracking.setdefault(tracking, None)
    for tracking, _order, at in picked:
        if tracking is not None:
            seen = by_tracking.get(tracking)
            by_tracking[tracking] = at if seen is None else min(seen, at)

    def untracked(order: str) -> datetime | None:
        times = [at for tracking, o, at in picked if tracking is None and o == order]
        return min(times) if times else None

    result = {}
    for order, tracking_no, picked_up_at in order_rows:
        packages = [p for p in (tracking_no or "").split(",") if p]
        if not packages:
            packages = sorted({t for t, o, _a, _x in event_rows_ if t is not None and o == order})
        own = untracked(order)
        times = [by_tracking.get(p) or own for p in packages]
        known = any(p in by_tracking for p in packages) or (bool(packages) and own is not None)
        last = max(times) if times and all(t is not None for t in times) else None  # type: ignore[type-var]
        pickup = picked_up_at or last or own
        result[order] = (pickup, picked_up_at is not None or known or own is not None)
    return result


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([None, "", "T1", "T3", "T1,T2", "T2,T3", "T4"]),
            st.sampled_from([None, datetime(2026, 11, 2, 9)]),
        ),
        min_size=1,
        max_size=6,
    ),
    event_rows,
)
def test_pickup_times_follow_the_rule_for_one_package_or_several(
    order_specs: list[tuple[str | None, datetime | None]],
    rows: list[tuple[str | None, str | None, datetime, str]],
) -> None:
    """One package per order is looked up directly, several (or none named) are folded per
    order: both give what the rule says, order by order."""
    order_rows = [
        (name, tracking, picked)
        for name, (tracking, picked) in zip("ABCDEF", order_specs, strict=False)
    ]
    expected = reference_pickups(order_rows, rows)
    frame = pickup_times(orders(*order_rows), events(*rows), WORDS).collect()
    assert frame["order_id"].to_list() == [name for name, _t, _p in order_rows]  # row order kept
    got = {r[0]: (r[1], r[2]) for r in frame.iter_rows()}
    assert got == expected


def test_a_hash_that_finds_another_number_is_not_taken_for_it() -> None:
    """The one-package lookup joins on the numbers' hashes and compares what it found: with
    a hash under which T1 and T2 collide, the order of T2 is not told T1's pickup (the
    lookup gives up and the caller joins the text), nor are two packages merged."""
    from tmallcli.metrics.shipping import _lookup_by_hash

    def collide(number: pl.Expr) -> pl.Expr:
        return number.str.len_bytes().cast(pl.UInt64)

    picked = datetime(2026, 11, 2, 9)
    tracked = pl.DataFrame(
        {"tracking_no": ["T1"], "pickup_at": [picked]},
        schema={"tracking_no": pl.String, "pickup_at": DT},
    )
    assert _lookup_by_hash(orders(("A", "T2", None), ("B", None, None)), tracked, collide) is None
    two = pl.DataFrame(
        {"tracking_no": ["T1", "T2"], "pickup_at": [picked, None]},
        schema={"tracking_no": pl.String, "pickup_at": DT},
    )
    assert _lookup_by_hash(orders(("A", "T1", None)), two, collide) is None
    found = _lookup_by_hash(
        orders(("A", "T1", None), ("B", "T2", None), ("C", None, None)), tracked
    )
    assert found is not None
    assert found.rows() == [(picked, True), (None, False), (None, False)]
    assert found.columns == ["pickup_at", "_seen"]


def test_without_the_hash_lookup_the_text_join_gives_the_same_pickups(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When a hash found another number, the numbers are joined as text: same rule."""
    from tmallcli.metrics import shipping

    order_rows = [
        ("A", "T1", None),
        ("B", "T2,T3", None),
        ("C", None, None),
        ("D", "T4", datetime(2026, 11, 3, 8)),
        ("E", "T9", None),
    ]
    event_rows_ = [
        ("T1", "A", datetime(2026, 11, 2, 9), "已揽收"),
        ("T2", "B", datetime(2026, 11, 2, 10), "已揽收"),
        ("T3", "B", datetime(2026, 11, 2, 12), "已揽收"),
        ("T5", "C", datetime(2026, 11, 2, 13), "已揽收"),
        ("T9", "E", datetime(2026, 11, 2, 14), "运输中"),
    ]
    expected = reference_pickups(order_rows, event_rows_)
    fast = pickup_times(orders(*order_rows), events(*event_rows_), WORDS).collect()
    monkeypatch.setattr(shipping, "_lookup_by_hash", lambda *_: None)
    slow = pickup_times(orders(*order_rows), events(*event_rows_), WORDS).collect()
    assert fast.equals(slow)
    assert {r[0]: (r[1], r[2]) for r in slow.iter_rows()} == expected
    assert expected["A"] == (datetime(2026, 11, 2, 9), True)
    assert expected["B"] == (datetime(2026, 11, 2, 12), True)
    assert expected["C"] == (datetime(2026, 11, 2, 13), True)
    assert expected["E"] == (None, True)
