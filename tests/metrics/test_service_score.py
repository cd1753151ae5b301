"""基础服务考核分 arithmetic (SPEC §6): scales, weights, renormalisation, target plan."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmallcli.config import load_config
from tmallcli.metrics.service_score import (
    NO_DATA,
    OK,
    UNAVAILABLE,
    MetricInput,
    Scale,
    plan_target,
    round2,
    score_service,
)

CATEGORY = load_config().category("默认")
UP = Scale.of([[0.80, 0], [0.90, 2], [0.95, 3.5], [0.99, 5]])
DOWN = Scale.of([[1, 5], [12, 4], [24, 3], [48, 1], [72, 0]])


def ok(value: float) -> MetricInput:
    return MetricInput(value, OK)


ALL = {
    "item_review_score": ok(4.65),  # between 4.5 (2.5) and 4.8 (4.5): 2.5 + 2·0.15/0.3 = 3.5
    "pickup_24h_rate": ok(0.92),  # between 0.90 (2) and 0.95 (3.5): 2 + 1.5·0.4 = 2.6
    "refund_only_hours": ok(18),  # between 12 (4) and 24 (3): 3.5
    "return_refund_hours": ok(60),  # between 48 (4) and 72 (3): 3.5
    "response_rate": ok(0.96),  # between 0.95 (3) and 0.98 (4): 3 + 1/3
    "human_response_seconds": ok(25),  # between 20 (4) and 30 (3): 3.5
    "dispute_refund_rate": ok(0.0),  # 5
    "complaint_rate": ok(0.002),  # between 0.001 (3) and 0.003 (1): 2
}


def test_scale_interpolates_and_clamps_both_directions() -> None:
    assert UP.score(0.92) == pytest.approx(2.6)
    assert UP.score(0.5) == 0 and UP.score(1.0) == 5
    assert DOWN.score(18) == pytest.approx(3.5)
    assert DOWN.score(0.5) == 5 and DOWN.score(100) == 0
    assert UP.higher_is_better and not DOWN.higher_is_better


def test_inverse_of_the_scale() -> None:
    assert UP.value_for(2.6) == pytest.approx(0.92)
    assert DOWN.value_for(3.5) == pytest.approx(18)
    assert DOWN.value_for(5) == 1  # the largest value that still scores 5
    assert UP.value_for(5.1) is None


@given(st.floats(min_value=0.80, max_value=0.99))
@settings(max_examples=200)
def test_inverse_of_score_is_the_value_inside_the_range(value: float) -> None:
    assert UP.value_for(UP.score(value)) == pytest.approx(value, abs=1e-9)


@given(st.floats(min_value=0, max_value=100), st.floats(min_value=0, max_value=100))
def test_scores_are_monotone(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert DOWN.score(low) >= DOWN.score(high)
    assert UP.score(low / 100) <= UP.score(high / 100)


def test_total_by_hand_with_the_default_category() -> None:
    result = score_service(CATEGORY, ALL)
    # product 0.30·3.5 + logistics 0.25·2.6 + after-sales 0.20·3.5 + consultation 0.15·(0.5·(3+1/3) + 0.5·3.5)
    # + disputes 0.10·(0.5·5 + 0.5·2)
    expected = (
        0.30 * 3.5 + 0.25 * 2.6 + 0.20 * 3.5 + 0.15 * (0.5 * (10 / 3) + 0.5 * 3.5) + 0.10 * 3.5
    )
    assert result.total == pytest.approx(expected)
    assert round2(result.total) == 3.26  # 1.05 + 0.65 + 0.70 + 0.5125 + 0.35 = 3.2625
    assert result.passed is False  # threshold 4.0
    assert result.metrics["pickup_24h_rate"].points_lost == pytest.approx((5 - 2.6) * 0.25)
    assert result.worst[:2] == [
        "pickup_24h_rate",
        "item_review_score",
    ]  # 2.4·0.25 = 0.60, 1.5·0.30 = 0.45
    assert result.total == pytest.approx(
        5 - math.fsum(m.points_lost for m in result.metrics.values())
    )
    assert "logistics_review_score" not in result.metrics  # the category uses the pickup rate


def test_unavailable_metric_gives_its_weight_to_its_dimension() -> None:
    inputs = dict(ALL, refund_only_hours=MetricInput(None, UNAVAILABLE))
    result = score_service(CATEGORY, inputs)
    assert result.metrics["refund_only_hours"].status == UNAVAILABLE
    assert result.metrics["refund_only_hours"].weight == 0
    assert result.metrics["return_refund_hours"].weight == pytest.approx(0.20)
    assert result.dimensions["after_sales"].score == pytest.approx(3.5)
    assert any("refund_only_hours (unavailable)" in note for note in result.notes)


def test_whole_dimension_missing_renormalises_the_dimensions() -> None:
    inputs = dict(
        ALL,
        response_rate=MetricInput(None, UNAVAILABLE),
        human_response_seconds=MetricInput(None, NO_DATA),
    )
    result = score_service(CATEGORY, inputs)
    assert result.dimensions["consultation"].weight == 0
    assert result.dimensions["product"].weight == pytest.approx(0.30 / 0.85)
    assert math.fsum(m.weight for m in result.metrics.values()) == pytest.approx(1.0)
    expected = (0.30 * 3.5 + 0.25 * 2.6 + 0.20 * 3.5 + 0.10 * 3.5) / 0.85
    assert result.total == pytest.approx(expected)


@given(
    st.fixed_dictionaries(
        {
            "item_review_score": st.floats(3.5, 5),
            "pickup_24h_rate": st.floats(0.5, 1),
            "refund_only_hours": st.floats(0, 100),
            "return_refund_hours": st.floats(0, 200),
            "response_rate": st.floats(0.5, 1),
            "human_response_seconds": st.floats(0, 120),
            "dispute_refund_rate": st.floats(0, 0.01),
            "complaint_rate": st.floats(0, 0.01),
        }
    ),
    st.sets(st.sampled_from(sorted(ALL)), max_size=4),
)
@settings(max_examples=150, deadline=None)
def test_total_is_five_minus_points_lost(values: dict[str, float], missing: set[str]) -> None:
    inputs = {
        k: MetricInput(None, UNAVAILABLE) if k in missing else ok(v) for k, v in values.items()
    }
    result = score_service(CATEGORY, inputs)
    total = result.total
    assert total is not None
    assert 0 <= total <= 5
    assert total == pytest.approx(5 - math.fsum(m.points_lost for m in result.metrics.values()))
    assert math.fsum(m.weight for m in result.metrics.values()) == pytest.approx(1.0)


def test_what_if_overrides_a_value() -> None:
    result = score_service(CATEGORY, ALL, what_if={"pickup_24h_rate": 0.99})
    assert result.metrics["pickup_24h_rate"].status == "what_if"
    assert result.metrics["pickup_24h_rate"].score == 5
    base = score_service(CATEGORY, ALL).total
    assert result.total == pytest.approx(base + (5 - 2.6) * 0.25)


def test_target_plan_alone_and_combination_reach_the_target() -> None:
    result = score_service(CATEGORY, ALL)
    plan = plan_target(result, 3.5)
    gap = 3.5 - result.total
    # Pickup alone: its score must rise by gap / 0.25.
    needed = 2.6 + gap / 0.25
    assert plan.alone["pickup_24h_rate"] == pytest.approx(
        Scale.of([[0.80, 0], [0.90, 2], [0.95, 3.5], [0.99, 5]]).value_for(needed)
    )
    # Dispute refunds are already at 5: cannot reach alone.
    assert plan.alone["dispute_refund_rate"] is None
    assert plan.combination_reaches
    what_if = {s.key: s.value_to for s in plan.combination}
    assert score_service(CATEGORY, ALL, what_if=what_if).total == pytest.approx(3.5, abs=1e-6)
    for key, value in plan.alone.items():
        if value is not None:
            assert score_service(CATEGORY, ALL, what_if={key: value}).total >= 3.5 - 1e-6


def test_target_out_of_reach() -> None:
    result = score_service(CATEGORY, ALL)
    plan = plan_target(result, 5.0)
    assert plan.combination_reaches  # every metric to its best reaches 5
    assert plan_target(result, 5.01).combination_reaches is False


# --------------------------------------------------------------------------- every configured scale

_CONFIG = load_config()
CONFIGURED_SCALES = {
    f"{name}.{key}": Scale.of(metric.points)
    for name in _CONFIG.service_score.categories
    for key, metric in _CONFIG.category(name).metrics.items()
}


@pytest.mark.parametrize("name", sorted(CONFIGURED_SCALES))
@given(a=st.floats(-1e4, 1e4), b=st.floats(-1e4, 1e4))
@settings(max_examples=40, deadline=None)
def test_every_configured_scale_is_monotone_and_bounded(name: str, a: float, b: float) -> None:
    scale = CONFIGURED_SCALES[name]
    low, high = sorted((a, b))
    lowest = min(s for _, s in scale.points)
    assert 0 <= lowest <= scale.score(low) <= scale.best <= 5
    if scale.higher_is_better:
        assert scale.score(low) <= scale.score(high)
    else:
        assert scale.score(low) >= scale.score(high)


@pytest.mark.parametrize("name", sorted(CONFIGURED_SCALES))
@given(fraction=st.floats(0, 1), target=st.floats(0, 5))
@settings(max_examples=40, deadline=None)
def test_every_configured_scale_is_invertible(name: str, fraction: float, target: float) -> None:
    scale = CONFIGURED_SCALES[name]
    first, last = scale.points[0][0], scale.points[-1][0]
    value = first + fraction * (last - first)
    # The inverse of a score gives a value with that very score (the least demanding one).
    back = scale.value_for(scale.score(value))
    assert back is not None
    assert scale.score(back) == pytest.approx(scale.score(value), abs=1e-9)
    # Any reachable target: value_for reaches it, and a less demanding value does not.
    found = scale.value_for(target)
    if target > scale.best:
        assert found is None
        return
    assert found is not None
    assert scale.score(found) >= target - 1e-9
    easier = (
        found - 1e-6 * (last - first) if scale.higher_is_better else found + 1e-6 * (last - first)
    )
    lowest = min(s for _, s in scale.points)
    if target > lowest + 1e-6:
        assert scale.score(easier) < target + 1e-9


# ------------------------------------------------------------- plan values round trip
# Issue 23 item 8: a plan value given back through --set must reach the target. One metric
# of each kind: a rate, hours, seconds, a review score.
ROUND_TRIP = (
    "pickup_24h_rate",
    "return_refund_hours",
    "human_response_seconds",
    "item_review_score",
)


@pytest.mark.parametrize("key", ROUND_TRIP)
@given(rise=st.floats(min_value=1e-6, max_value=0.3))
@settings(max_examples=150, deadline=None)
def test_a_plan_value_given_back_reaches_the_target(key: str, rise: float) -> None:
    from tmallcli.render.service import plan_value

    before = score_service(CATEGORY, ALL)
    assert before.total is not None
    target = before.total + rise
    plan = plan_target(before, target)
    value = plan.alone[key]
    if value is None:  # out of reach for this metric alone
        return
    after = score_service(CATEGORY, ALL, {key: value})
    assert after.total is not None and after.total >= target
    assert plan_target(after, target).reached
    # The value as the table shows it (rounded towards the better side) reaches it too.
    shown = plan_value(key, value, before.metrics[key].scale.higher_is_better)
    again = score_service(CATEGORY, ALL, {key: shown})
    assert again.total is not None and again.total >= target


@given(rise=st.floats(min_value=1e-6, max_value=1.5))
@settings(max_examples=150, deadline=None)
def test_the_combination_given_back_reaches_the_target(rise: float) -> None:
    before = score_service(CATEGORY, ALL)
    assert before.total is not None
    target = min(before.total + rise, 5.0)
    plan = plan_target(before, target)
    if not plan.combination_reaches:
        return
    values = {s.key: s.value_to for s in plan.combination if s.value_to is not None}
    after = score_service(CATEGORY, ALL, values)
    assert after.total is not None and after.total >= target


def test_plan_values_shown_round_towards_the_better_side() -> None:
    from tmallcli.render.service import plan_value

    assert plan_value("pickup_24h_rate", 0.973312, True) == 0.9734  # 97.34 %, not 97.33 %
    assert plan_value("return_refund_hours", 58.000153, False) == 58.0  # 58.0 h, down
    assert plan_value("human_response_seconds", 21.4, False) == 21.0
    assert plan_value("item_review_score", 4.6333, True) == 4.64
    assert plan_value("complaint_rate", 0.0012345, False) == 0.00123
