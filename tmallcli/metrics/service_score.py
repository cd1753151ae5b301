"""基础服务考核分: metric values → 0–5 scores → the weighted total (SPEC §6).

Seed 003: 基础服务考核得分 = Σ 各单项得分 × 单项权重, over five dimensions (商品体验, 物流体验,
售后体验, 咨询体验, 纠纷投诉); weights, scales and the activity threshold differ per category
and change over time, so they all come from the config.

This module is pure arithmetic over plain numbers: the metric values are computed by the
metric modules (dsr, pickup, refunds, response, disputes) and handed in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from tmallcli.i18n import tr

DIMENSIONS = ("product", "logistics", "after_sales", "consultation", "disputes")

# Why a metric has no score.
OK = "ok"
UNAVAILABLE = "unavailable"  # its export was not given
NO_DATA = "no_data"  # its export was given but holds nothing in the metric's window
WHAT_IF = "what_if"  # --set gave a hypothetical value
OFF = "off"  # weight 0 in this category (e.g. the optional 3-minute response rate)


@dataclass(frozen=True)
class Scale:
    """Piecewise-linear (value, score) points, clamped at the ends (either direction)."""

    points: tuple[tuple[float, float], ...]  # sorted by value, ascending

    @classmethod
    def of(cls, points: Sequence[Sequence[float]]) -> Scale:
        ordered = tuple(sorted((float(v), float(s)) for v, s in points))
        if len(ordered) < 2:
            raise ValueError("a scale needs at least two points")
        return cls(ordered)

    @property
    def higher_is_better(self) -> bool:
        return self.points[-1][1] > self.points[0][1]

    @property
    def best(self) -> float:
        return max(s for _, s in self.points)

    def score(self, value: float) -> float:
        pts = self.points
        if value <= pts[0][0]:
            return pts[0][1]
        if value >= pts[-1][0]:
            return pts[-1][1]
        for (v0, s0), (v1, s1) in pairwise(pts):
            if v0 <= value <= v1:
                if v1 == v0:
                    return max(s0, s1)
                return s0 + (s1 - s0) * (value - v0) / (v1 - v0)
        raise AssertionError("unreachable: value inside the scale")  # pragma: no cover

    def value_for(self, target: float) -> float | None:
        """The least demanding value whose score is at least ``target``; None when out of reach.

        Higher-is-better: the smallest such value; lower-is-better: the largest.
        """
        if target > self.best + 1e-12:
            return None
        pts = self.points if self.higher_is_better else tuple(reversed(self.points))
        if target <= pts[0][1]:
            return pts[0][0]
        for (v0, s0), (v1, s1) in pairwise(pts):
            if s0 < target <= s1 + 1e-12:
                if s1 == s0:
                    return v1
                return v0 + (v1 - v0) * (min(target, s1) - s0) / (s1 - s0)
        return pts[-1][0]

    @property
    def span(self) -> float:
        return self.points[-1][0] - self.points[0][0]


@dataclass
class MetricScore:
    key: str
    dimension: str
    value: float | None
    status: str
    score: float | None
    weight: float  # effective: dimension weight × metric weight, after renormalisation
    configured_weight: float  # as configured, before renormalisation
    scale: Scale
    evidence: list[dict[str, Any]] = field(default_factory=list)
    approximate: bool = False  # the value is an approximation (its export lacks a column)
    note: str | None = None  # why the value is missing or approximate, when the status does not say
    stale: bool = False  # its window runs past its export's data (SPEC §14)
    missing_reason: str | None = None  # why there is no value (SPEC §14 coverage)

    @property
    def points_lost(self) -> float:
        if self.score is None:
            return 0.0
        return (5.0 - self.score) * self.weight


@dataclass
class DimensionScore:
    key: str
    weight: float  # after renormalisation
    configured_weight: float
    score: float | None  # weighted mean of its metrics' scores


@dataclass(frozen=True)
class MissingMetric:
    metric: str
    reason: str


@dataclass(frozen=True)
class Coverage:
    """How many of the category's assessed metrics the total rests on (SPEC §14): a total
    from part of them is *partial* — the platform's own total counts them all."""

    metrics_used: int
    metrics_total: int
    missing: tuple[MissingMetric, ...]

    @property
    def partial(self) -> bool:
        return self.metrics_used < self.metrics_total


@dataclass
class ServiceScore:
    category: str
    threshold: float
    metrics: dict[str, MetricScore]
    dimensions: dict[str, DimensionScore]
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> float | None:
        scored = [m for m in self.metrics.values() if m.score is not None and m.weight > 0]
        if not scored:
            return None
        return math.fsum(m.score * m.weight for m in scored if m.score is not None)

    @property
    def passed(self) -> bool | None:
        # The exact total is compared: 3.996 shows as 4.00 but is below a 4.0 threshold.
        total = self.total
        return None if total is None else total >= self.threshold - 1e-12

    @property
    def coverage(self) -> Coverage:
        """The metrics weighted in the category (configured weight > 0), those with a value
        (measured or a what-if) and why each of the others has none."""
        assessed = [m for m in self.metrics.values() if m.configured_weight > 0]
        used = [m for m in assessed if m.score is not None]
        missing = tuple(
            MissingMetric(m.key, m.missing_reason or m.note or m.status)
            for m in assessed
            if m.score is None
        )
        return Coverage(len(used), len(assessed), missing)

    @property
    def worst(self) -> list[str]:
        ranked = [m for m in self.metrics.values() if m.score is not None and m.weight > 0]
        ranked.sort(key=lambda m: (-m.points_lost, m.key))
        return [m.key for m in ranked]


def round2(value: float) -> float:
    """Scores are shown with two decimals, rounded half up (2.865 → 2.87)."""
    return math.floor(value * 100 + 0.5 + 1e-9) / 100


@dataclass(frozen=True)
class MetricInput:
    value: float | None
    status: str  # OK, UNAVAILABLE or NO_DATA
    evidence: tuple[dict[str, Any], ...] = ()
    approximate: bool = False
    note: str | None = None
    stale: bool = False  # its window runs past its export's data (SPEC §14)
    missing_reason: str | None = None  # why there is no value (no chats export, …)


def score_service(
    category: Any, inputs: Mapping[str, MetricInput], what_if: Mapping[str, float] | None = None
) -> ServiceScore:
    """Score every active metric of ``category`` and weigh them.

    A metric without a value (unavailable or no data) is left out: the other metrics of its
    dimension share its weight, and a dimension with no scored metric is left out with the
    other dimensions sharing its weight. So the effective weights always sum to 1 and
    total = 5 − Σ points lost.
    """
    what_if = dict(what_if or {})
    metrics: dict[str, MetricScore] = {}
    notes: list[str] = []
    for key, config in category.active_metrics.items():
        scale = Scale.of(config.points)
        given = inputs.get(key, MetricInput(None, UNAVAILABLE))
        value, status = given.value, given.status
        if key in what_if:
            value, status = what_if[key], WHAT_IF
        if config.weight == 0 or float(category.weights[config.dimension]) == 0:
            status = OFF if value is None else status
        score = None if value is None else scale.score(value)
        metrics[key] = MetricScore(
            key,
            config.dimension,
            value,
            status,
            score,
            0.0,
            category.effective_weight(key),
            scale,
            list(given.evidence),
            given.approximate and key not in what_if,
            None if key in what_if else given.note,
            given.stale and key not in what_if,
            None if key in what_if else given.missing_reason,
        )
    dimensions: dict[str, DimensionScore] = {}
    live: dict[str, float] = {}
    for dimension in DIMENSIONS:
        members = [m for m in metrics.values() if m.dimension == dimension]
        configured = float(category.weights[dimension])
        weights = {
            m.key: category.active_metrics[m.key].weight for m in members if m.score is not None
        }
        total_weight = math.fsum(weights.values())
        if configured > 0 and total_weight > 0:
            live[dimension] = configured
        dimensions[dimension] = DimensionScore(dimension, 0.0, configured, None)
        for m in members:
            m.weight = weights.get(m.key, 0.0) / total_weight if total_weight > 0 else 0.0
    live_total = math.fsum(live.values())
    for dimension, dim in dimensions.items():
        dim.weight = live[dimension] / live_total if dimension in live else 0.0
        members = [m for m in metrics.values() if m.dimension == dimension and m.score is not None]
        if dimension in live:
            dim.score = math.fsum((m.score or 0.0) * m.weight for m in members)
        for m in metrics.values():
            if m.dimension == dimension:
                m.weight *= dim.weight
    missing = [
        m.key
        for m in metrics.values()
        if m.status in (UNAVAILABLE, NO_DATA) and m.configured_weight > 0
    ]
    if missing:
        notes.append(
            tr(
                "left out and the other weights renormalised: {metrics}",
                metrics=", ".join(f"{k} ({metrics[k].status})" for k in missing),
            )
        )
    return ServiceScore(category.name, float(category.threshold), metrics, dimensions, notes)


@dataclass
class TargetStep:
    key: str
    value_from: float | None
    value_to: float | None
    score_from: float | None
    score_to: float
    points_gained: float


@dataclass
class TargetPlan:
    target: float
    total: float | None
    reached: bool  # already at or above the target
    alone: dict[
        str, float | None
    ]  # the value each metric alone would need (None: cannot reach alone)
    combination: list[TargetStep]
    combination_reaches: bool


def plan_target(result: ServiceScore, target: float) -> TargetPlan:
    """What it takes to reach ``target``: per metric alone, and a cheapest-first combination.

    Alone: the metric's score must rise by (target − total) / its weight; its value comes from
    the inverse of its scale. Cheapest first: metrics are taken in the order of points gained
    per share of their scale's value range that must be crossed (the least change of the value
    for the most points), each raised just as far as needed, until the target is reached.
    """
    total = result.total
    scored = [m for m in result.metrics.values() if m.score is not None and m.weight > 0]
    if total is None:
        return TargetPlan(
            target, None, False, {m.key: None for m in result.metrics.values()}, [], False
        )
    gap = target - total
    alone: dict[str, float | None] = {}
    for m in result.metrics.values():
        if m.score is None or m.weight <= 0:
            alone[m.key] = None
            continue
        needed = m.score + max(gap, 0.0) / m.weight
        value = m.value if gap <= 0 else m.scale.value_for(needed) if needed <= 5 + 1e-9 else None
        if value is not None and gap > 0:
            value = reaching(result, {m.key: value}, m.key, target)
        alone[m.key] = value

    def efficiency(m: MetricScore) -> float:
        best_value = m.scale.value_for(m.scale.best)
        gain = (m.scale.best - (m.score or 0.0)) * m.weight
        if best_value is None or m.value is None or gain <= 0:
            return 0.0
        cost = abs(best_value - m.value) / m.scale.span if m.scale.span else 1.0
        return gain / max(cost, 1e-12)

    steps: list[TargetStep] = []
    remaining = gap
    for m in sorted(scored, key=lambda m: (-efficiency(m), m.key)):
        if remaining <= 1e-12:
            break
        room = (m.scale.best - (m.score or 0.0)) * m.weight
        if room <= 1e-12:
            continue
        gained = min(room, remaining)
        score_to = (m.score or 0.0) + gained / m.weight
        steps.append(
            TargetStep(m.key, m.value, m.scale.value_for(score_to), m.score, score_to, gained)
        )
        remaining -= gained
    reaches = remaining <= 1e-9
    if reaches and steps:
        # Every step's value given back with --set must reach the target: the last step
        # takes up a float's width the sum of the others may fall short by — or, when its
        # score is already at the top of its scale, the step before it, and so on.
        values = {s.key: s.value_to for s in steps if s.value_to is not None}
        for step in reversed(steps):
            if _reached(result, values, target):
                break
            if step.value_to is not None:
                step.value_to = values[step.key] = reaching(result, values, step.key, target)
        # Every step at the top of its scale and still a float's width short: the next metric
        # with room takes it (a step that gains next to nothing).
        for m in sorted(scored, key=lambda m: (-efficiency(m), m.key)):
            if _reached(result, values, target):
                break
            if m.key in values or m.value is None or (m.scale.best - (m.score or 0.0)) <= 0:
                continue
            values[m.key] = reaching(result, {**values, m.key: m.value}, m.key, target)
            score_to = m.scale.score(values[m.key])
            gained = (score_to - (m.score or 0.0)) * m.weight
            steps.append(TargetStep(m.key, m.value, values[m.key], m.score, score_to, gained))
        reaches = _reached(result, values, target)
    return TargetPlan(target, total, gap <= 0, alone, steps, reaches)


def _reached(result: ServiceScore, values: Mapping[str, float], target: float) -> bool:
    total = total_with(result, values)
    return total is not None and total >= target


def total_with(result: ServiceScore, values: Mapping[str, float]) -> float | None:
    """The total :func:`score_service` gives with ``values`` set (``--set``) for metrics it
    scored: the same scores and weights, summed the same way."""
    scored = [m for m in result.metrics.values() if m.score is not None and m.weight > 0]
    if not scored:
        return None
    return math.fsum(
        (m.scale.score(values[m.key]) if m.key in values else m.score or 0.0) * m.weight
        for m in scored
    )


def reaching(result: ServiceScore, values: Mapping[str, float], key: str, target: float) -> float:
    """``values[key]``, moved by the least floats in the metric's better direction until the
    total with ``values`` reaches ``target`` — so a plan value fed back through ``--set``
    reaches the target (the scale's inverse is exact but for a float's width)."""
    m = result.metrics[key]
    value = values[key]
    toward = math.inf if m.scale.higher_is_better else -math.inf
    for _ in range(1000):
        total = total_with(result, {**values, key: value})
        if total is None or total >= target:
            break
        value = math.nextafter(value, toward)
    return value
