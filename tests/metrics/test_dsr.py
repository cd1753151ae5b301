"""DSR rules (SPEC §3) on small hand-built frames, with hand-computed numbers."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from fractions import Fraction

import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.conftest import default_config
from tmallcli.metrics.dsr import DsrRules, compute_dsr, five_star_needed, rating_events

AS_OF = datetime(2026, 11, 20, 23, 59, 59)
RULES = replace(
    DsrRules.from_config(default_config(), default_config().category()), item_min_ratings=2
)


def reviews(rows: list[tuple]) -> pl.LazyFrame:
    """rows: (order_id, buyer, rated_at, description, service, logistics[, item_id])"""
    data = [r if len(r) == 7 else (*r, "item-1") for r in rows]
    return (
        pl.DataFrame(
            data,
            schema={
                "order_id": pl.String,
                "buyer": pl.String,
                "rated_at": pl.Datetime("us"),
                "dsr_description": pl.Int8,
                "dsr_service": pl.Int8,
                "dsr_logistics": pl.Int8,
                "item_id": pl.String,
            },
            orient="row",
        )
        .with_columns(item_title=pl.lit("宝贝"))
        .lazy()
    )


def day(n: int) -> datetime:
    return AS_OF - timedelta(days=n)


def test_seed_example_50_raters_scores_4_82() -> None:
    # Seed: 50 raters, 45×5, 3×4, 1×3, 1×1 → (225+12+3+1)/50 = 4.82
    stars = [5] * 45 + [4] * 3 + [3] + [1]
    rows = [(f"o{i}", f"b{i}", day(1 + i % 100), s, 5, 5) for i, s in enumerate(stars)]
    result = compute_dsr(reviews(rows), RULES, AS_OF)
    description = result.dimensions["description"]
    assert description.count == 50
    assert description.total == 241
    assert description.score == 4.82
    assert description.flags == []
    assert result.dimensions["service"].score == 5.0


def test_one_rating_per_order_keeps_the_earliest() -> None:
    rows = [
        ("o1", "b1", day(3), 1, 1, 1, "item-a"),
        ("o1", "b1", day(5), 5, 5, 5, "item-b"),  # earlier: this one is the rating event
        ("o2", "b2", day(4), 3, 3, 3),
    ]
    result = compute_dsr(reviews(rows), RULES, AS_OF)
    assert result.excluded["duplicate_order"] == 1
    assert result.dimensions["description"].total == 8
    assert result.dimensions["description"].count == 2
    assert result.dimensions["description"].score == 4.0


def test_monthly_cap_three_per_buyer_per_calendar_month() -> None:
    nov = [datetime(2026, 11, d, 10) for d in (2, 3, 4, 5, 6)]
    rows = [(f"o{i}", "same-buyer", t, 1, 1, 1) for i, t in enumerate(nov)]
    rows.append(("o9", "same-buyer", datetime(2026, 10, 31, 10), 5, 5, 5))  # October: own cap
    result = compute_dsr(reviews(rows), RULES, AS_OF)
    assert result.excluded["over_monthly_cap"] == 2
    assert result.dimensions["description"].count == 4
    assert result.dimensions["description"].total == 1 + 1 + 1 + 5


def test_cap_is_decided_before_the_window() -> None:
    # Window starts 2026-05-24 23:59:59. The buyer's first three May ratings are outside the
    # window, so the fourth (inside the window) is still the 4th of May: not counted.
    may = [
        datetime(2026, 5, 10),
        datetime(2026, 5, 12),
        datetime(2026, 5, 20),
        datetime(2026, 5, 28),
    ]
    rows = [(f"o{i}", "b", t, 1, 1, 1) for i, t in enumerate(may)]
    rows.append(("ok", "other", day(2), 5, 5, 5))
    result = compute_dsr(reviews(rows), RULES, AS_OF)
    assert result.excluded == {"duplicate_order": 0, "over_monthly_cap": 1, "outside_window": 3}
    assert result.dimensions["description"].count == 1
    assert result.dimensions["description"].score == 5.0


def test_window_edges_180_days_and_30_minutes() -> None:
    rows = [
        ("edge-start", "b1", AS_OF - timedelta(days=180), 1, 1, 1),  # excluded: window is open here
        ("in-start", "b2", AS_OF - timedelta(days=180) + timedelta(seconds=1), 5, 5, 5),
        ("edge-end", "b3", AS_OF - timedelta(minutes=30), 3, 3, 3),  # shown exactly now: counted
        ("too-new", "b4", AS_OF - timedelta(minutes=29), 1, 1, 1),  # not shown yet
    ]
    result = compute_dsr(reviews(rows), RULES, AS_OF)
    assert result.excluded["outside_window"] == 2
    assert result.dimensions["description"].count == 2
    assert result.dimensions["description"].total == 8


def test_missing_dimension_value_is_left_out_of_that_mean_only() -> None:
    rows = [("o1", "b1", day(1), 5, None, 4), ("o2", "b2", day(1), 3, 2, None)]
    result = compute_dsr(reviews(rows), RULES, AS_OF)
    assert result.dimensions["description"].count == 2
    assert result.dimensions["service"].count == 1
    assert result.dimensions["service"].score == 2.0
    assert result.dimensions["logistics"].score == 4.0


def test_flags_and_industry_comparison() -> None:
    # 4.5: below 4.6 (activity) but not below 4.4 (search)
    rows = [("o1", "b1", day(1), 5, 4, 4), ("o2", "b2", day(1), 4, 4, 4)]
    result = compute_dsr(reviews(rows), RULES, AS_OF)
    description = result.dimensions["description"]
    assert description.flags == ["activity_ineligible"]
    assert result.dimensions["service"].flags == ["search_demotion", "activity_ineligible"]
    assert description.vs_industry_percent == -6.25  # (4.5 − 4.8) / 4.8
    assert description.five_star_needed == {"4.4": 0, "4.6": 1}


def test_five_star_needed_lands_exactly_on_the_threshold() -> None:
    # 3 ratings averaging 4.0: (4.4·3 − 12) / (5 − 4.4) = 1.2 / 0.6 = 2 exactly.
    # In floats this is 2.0000000000000018 and ceil would say 3.
    assert five_star_needed(12, 3, Fraction("4.4")) == 2
    assert Fraction(12 + 5 * 2, 3 + 2) == Fraction("4.4")
    assert five_star_needed(43, 10, Fraction("4.4")) == 2  # 1/0.6 = 1.67 → 2
    assert five_star_needed(46, 10, Fraction("4.6")) == 0
    assert five_star_needed(0, 0, Fraction("4.6")) == 1


@given(
    total_minus=st.integers(min_value=0, max_value=400),
    count=st.integers(min_value=1, max_value=100),
    threshold=st.sampled_from(
        [Fraction("4.4"), Fraction("4.6"), Fraction("4.75"), Fraction("3.9")]
    ),
)
@settings(max_examples=300, deadline=None)
def test_five_star_needed_is_the_least_n(total_minus: int, count: int, threshold: Fraction) -> None:
    total = max(count, 5 * count - total_minus)  # every rating is 1..5
    n = five_star_needed(total, count, threshold)
    assert Fraction(total + 5 * n, count + n) >= threshold
    if n > 0:
        assert Fraction(total + 5 * (n - 1), count + n - 1) < threshold


def test_rolloff_forecast_without_new_ratings() -> None:
    rows = [
        ("old", "b1", AS_OF - timedelta(days=178), 1, 1, 1),  # leaves within 7 days
        ("mid", "b2", AS_OF - timedelta(days=160), 3, 3, 3),  # leaves within 30 days
        ("new", "b3", AS_OF - timedelta(days=10), 5, 5, 5),
        ("pending", "b4", AS_OF - timedelta(minutes=5), 5, 5, 5),  # not shown yet, will be
    ]
    result = compute_dsr(reviews(rows), RULES, AS_OF)
    assert result.dimensions["description"].score == 3.0
    by_days = {r.days: r for r in result.rolloff}
    assert by_days[7].leaving == 1
    assert by_days[7].scores["description"] == (3 + 5 + 5) / 3
    assert by_days[30].leaving == 2
    assert by_days[30].scores["description"] == 5.0
    assert by_days[30].counts["description"] == 2


def test_item_drilldown_lowest_description_first_with_low_share() -> None:
    rows = [
        ("o1", "b1", day(1), 2, 5, 5, "bad-item"),
        ("o2", "b2", day(1), 4, 5, 5, "bad-item"),
        ("o3", "b3", day(1), 5, 5, 5, "good-item"),
        ("o4", "b4", day(1), 5, 5, 5, "good-item"),
        ("o5", "b5", day(1), 1, 5, 5, "rare-item"),  # below item_min_ratings = 2
    ]
    result = compute_dsr(reviews(rows), RULES, AS_OF)
    assert [i.item_id for i in result.items] == ["bad-item", "good-item"]
    assert result.items[0].description == 3.0
    assert result.items[0].low_share == 0.5


def test_every_item_row_of_a_counted_order_is_evidence_for_its_item() -> None:
    """o1 rated two items in two rows: both rows count for their items (the order's event is
    its earliest row); o8 and o9, b1's fourth and fifth orders of the month, are over the
    monthly cap and count for no item."""
    rows = [
        ("o1", "b1", day(1), 2, 5, 5, "bad-item"),
        ("o1", "b1", day(1) + timedelta(hours=1), 4, 5, 5, "good-item"),
        ("o2", "b2", day(2), 4, 5, 5, "bad-item"),
        ("o3", "b3", day(2), 5, 5, 5, "good-item"),
        *((f"o{n}", "b1", day(1) + timedelta(minutes=n), 1, 1, 1, "cap-item") for n in (6, 7, 8)),
        ("o9", "b1", day(1) + timedelta(hours=2), 1, 1, 1, "good-item"),
    ]
    result = compute_dsr(reviews(rows), RULES, AS_OF)
    assert result.excluded["over_monthly_cap"] == 2
    items = {i.item_id: (i.count, i.description) for i in result.items}
    assert items == {"cap-item": (2, 1.0), "bad-item": (2, 3.0), "good-item": (2, 4.5)}


def test_orders_taken_for_several_rows_by_a_shared_hash_give_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows whose order numbers share a hash take the exact way (sorted, unique by the text):
    were every row such, the result would be the same."""
    from tmallcli.metrics import dsr

    rows = [
        ("o1", "b1", day(1), 2, 5, 5, "bad-item"),
        ("o1", "b1", day(1) + timedelta(hours=1), 4, 5, 5, "good-item"),
        ("o2", "b2", day(2), 4, 3, 5, "bad-item"),
        ("o3", "b3", day(2), 5, 5, 4, "good-item"),
        *((f"o{n}", "b1", day(1) + timedelta(minutes=n), 1, 1, 1, "cap-item") for n in (6, 7, 8)),
    ]
    expected = compute_dsr(reviews(rows), RULES, AS_OF)
    monkeypatch.setattr(dsr, "rated_in_several_rows", lambda: pl.lit(True))
    assert compute_dsr(reviews(rows), RULES, AS_OF) == expected
    assert expected.events == 5  # o8: b1's fourth order of the month
    assert [i.item_id for i in expected.items] == ["cap-item", "bad-item", "good-item"]


@pytest.mark.parametrize("n", [0])
def test_empty_reviews_give_no_score_and_no_flags(n: int) -> None:
    result = compute_dsr(reviews([]), RULES, AS_OF)
    assert result.dimensions["description"].score is None
    assert result.dimensions["description"].flags == []
    assert result.events == n


# --------------------------------------------------------------------------- invariants

_STARS = st.none() | st.integers(min_value=1, max_value=5)


@st.composite
def review_rows(draw: st.DrawFn) -> list[tuple]:
    """Reviews of up to 12 orders by 3 buyers over ~200 days, some orders with several items."""
    rows = []
    for i in range(draw(st.integers(0, 12))):
        rated = AS_OF - timedelta(minutes=draw(st.integers(0, 200 * 24 * 60)))
        buyer = draw(st.sampled_from(["b0", "b1", "b2"]))
        for item in range(draw(st.integers(1, 2))):
            stars = (draw(_STARS), draw(_STARS), draw(_STARS))
            rows.append((f"o{i:02d}", buyer, rated, *stars, f"item-{item}"))
    return rows


def summary(rows: list[tuple]) -> tuple:
    result = compute_dsr(reviews(rows), RULES, AS_OF)
    return (
        {k: (d.total, d.count) for k, d in result.dimensions.items()},
        result.events,
        result.excluded,
        [(r.days, r.leaving, r.counts, r.scores) for r in result.rolloff],
        sorted((i.item_id, i.count, i.description, i.low_share) for i in result.items),
    )


@given(review_rows(), st.randoms(use_true_random=False))
@settings(max_examples=60, deadline=None)
def test_dsr_counts_at_most_one_rating_per_order_and_ignores_row_order(
    rows: list[tuple], rnd: random.Random
) -> None:
    result = compute_dsr(reviews(rows), RULES, AS_OF)
    orders = {row[0] for row in rows}
    assert result.events <= len(orders) <= len(rows)
    for dimension in result.dimensions.values():
        assert dimension.count <= result.events
        assert dimension.score is None or 1 <= dimension.score <= 5
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    assert summary(shuffled) == summary(rows)


@given(review_rows(), st.data())
@settings(max_examples=60, deadline=None)
def test_another_row_of_a_rated_order_never_changes_the_scores(
    rows: list[tuple], data: st.DataObject
) -> None:
    assume(rows)
    order_id, buyer, *_ = data.draw(st.sampled_from(rows))
    earliest = min(row[2] for row in rows if row[0] == order_id)
    later = earliest + timedelta(seconds=data.draw(st.integers(1, 90 * 24 * 3600)))
    extra = (order_id, buyer, later, data.draw(_STARS), data.draw(_STARS), data.draw(_STARS), "x")
    before, after = summary(rows), summary([*rows, extra])
    assert after[:2] == before[:2]  # scores and counted events
    assert after[2]["over_monthly_cap"] == before[2]["over_monthly_cap"]


@given(review_rows())
@settings(max_examples=60, deadline=None)
def test_a_buyer_has_at_most_three_counted_ratings_a_month(rows: list[tuple]) -> None:
    events = rating_events(reviews(rows), RULES.monthly_cap).collect()
    per_month = events.group_by("buyer", pl.col("rated_at").dt.truncate("1mo")).agg(
        pl.col("within_cap").sum().alias("counted"), pl.len().alias("orders")
    )
    for counted, orders in per_month.select("counted", "orders").iter_rows():
        assert counted == min(orders, RULES.monthly_cap)


@given(review_rows(), st.sampled_from(["too_old", "not_shown_yet"]), _STARS)
@settings(max_examples=60, deadline=None)
def test_a_rating_outside_the_window_never_counts(
    rows: list[tuple], where: str, stars: int | None
) -> None:
    # A new buyer's new order, so the monthly cap of the others is not touched.
    rated = (
        AS_OF - timedelta(days=RULES.window_days, seconds=1)
        if where == "too_old"
        else AS_OF - timedelta(minutes=RULES.display_delay_minutes - 1)
    )
    extra = ("new-order", "new-buyer", rated, stars, stars, stars, "item-0")
    before, after = summary(rows), summary([*rows, extra])
    assert after[0] == before[0]
    assert after[1] == before[1]
