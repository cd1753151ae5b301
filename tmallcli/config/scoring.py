"""The 基础服务考核分 part of the config (SPEC §6): metrics, their scales and weights, the
categories and their thresholds."""

from __future__ import annotations

import itertools
import math
from typing import Annotated, ClassVar

from pydantic import (
    PrivateAttr,
    field_validator,
    model_validator,
)

from tmallcli.config.fields import (
    DIMENSIONS,
    WEIGHT_SUM_TOLERANCE,
    Dimension,
    DsrScore,
    Keyed,
    LogisticsMetric,
    Model,
    Scale,
    Text,
    Unit,
    between,
    fail,
    fmt_num,
    greater_than,
)
from tmallcli.i18n import tr


class MetricConfig(Model):
    """One metric of the 基础服务考核分: its dimension, weight in it, and value→score scale.

    The scale is linear between points and clamped at the ends (SPEC §6). ``points`` are
    sorted by value; ``higher_is_better`` says which way the scores run.
    """

    # Which way the scale must run; the subclasses fix it per kind of metric.
    HIGHER_IS_BETTER: ClassVar[bool] = True
    VALUE_RANGE: ClassVar[tuple[float, float | None]] = (0.0, None)
    VALUE_KIND: ClassVar[str] = "value"

    dimension: Dimension
    weight: Unit
    scale: Scale

    @field_validator("scale")
    @classmethod
    def _scale_direction(cls, points: list[tuple[float, float]]) -> list[tuple[float, float]]:
        low, high = cls.VALUE_RANGE
        for value, _ in points:
            if value < low or (high is not None and value > high):
                if high is None:
                    problem = tr(
                        "values are {kind}s and must be at least {low} (got {value})",
                        kind=cls.VALUE_KIND,
                        low=fmt_num(low),
                        value=fmt_num(value),
                    )
                else:
                    problem = tr(
                        "values are {kind}s and must be between {low} and {high} (got {value})",
                        kind=cls.VALUE_KIND,
                        low=fmt_num(low),
                        high=fmt_num(high),
                        value=fmt_num(value),
                    )
                raise fail(problem)
        ordered = sorted(points)
        scores = [s for _, s in ordered]
        rising = all(b >= a for a, b in itertools.pairwise(scores))
        falling = all(b <= a for a, b in itertools.pairwise(scores))
        shown = ", ".join(f"[{fmt_num(v)}, {fmt_num(s)}]" for v, s in ordered)
        if cls.HIGHER_IS_BETTER and not (rising and scores[-1] > scores[0]):
            raise fail(
                tr(
                    "scores must rise as the value rises: higher is better (got {shown})",
                    shown=shown,
                )
            )
        if not cls.HIGHER_IS_BETTER and not (falling and scores[-1] < scores[0]):
            raise fail(
                tr(
                    "scores must fall as the value rises: lower is better (got {shown})",
                    shown=shown,
                )
            )
        return points

    @property
    def points(self) -> list[tuple[float, float]]:
        """(value, score) pairs sorted by value, ascending."""
        return sorted(self.scale)

    @property
    def higher_is_better(self) -> bool:
        ordered = self.points
        return ordered[-1][1] > ordered[0][1]


class RateMetric(MetricConfig):
    """A share 0…1 where more is better (揽收及时率, 响应率)."""

    VALUE_RANGE = (0.0, 1.0)
    VALUE_KIND = "rate"


class BadRateMetric(MetricConfig):
    """A share 0…1 of bad things (纠纷退款率, 投诉成立率): lower is better."""

    HIGHER_IS_BETTER = False
    VALUE_RANGE = (0.0, 1.0)
    VALUE_KIND = "rate"


class ReviewScoreMetric(MetricConfig):
    """A DSR-style 1…5 score where more is better."""

    VALUE_RANGE = (0.0, 5.0)
    VALUE_KIND = "score"


class DurationMetric(MetricConfig):
    """Hours or seconds: lower is better."""

    HIGHER_IS_BETTER = False
    VALUE_KIND = "duration"


class MetricsConfig(Keyed):
    item_review_score: ReviewScoreMetric  # 商品评价 (DSR 描述相符)
    pickup_24h_rate: RateMetric  # 24小时揽收及时率
    logistics_review_score: ReviewScoreMetric  # 物流评价 (DSR 物流服务)
    refund_only_hours: DurationMetric  # 仅退款自主完结时长
    return_refund_hours: DurationMetric  # 退货退款自主完结时长
    response_rate: RateMetric  # 旺旺响应率
    response_3min_rate: RateMetric  # 3分钟人工响应率
    human_response_seconds: DurationMetric  # 人工平均响应时长
    dispute_refund_rate: BadRateMetric  # 纠纷退款率
    complaint_rate: BadRateMetric  # 投诉成立率


METRIC_KEYS: tuple[str, ...] = tuple(MetricsConfig.model_fields)


class DsrIndustry(Keyed):
    """Industry average DSR per dimension for the category (shown as 飘红 / 飘绿)."""

    description: DsrScore
    service: DsrScore
    logistics: DsrScore


class DimensionWeights(Keyed):
    product: Unit
    logistics: Unit
    after_sales: Unit
    consultation: Unit
    disputes: Unit

    @model_validator(mode="after")
    def _sum_to_one(self) -> DimensionWeights:
        total = math.fsum(self.values())
        if abs(total - 1) > WEIGHT_SUM_TOLERANCE:
            raise fail(tr("must sum to 1 (got {total:g})", total=round(total, 12)))
        return self


class CategoryConfig(Model):
    """One category's 基础服务考核分 rules, with ``inherit`` already applied."""

    inherit: str | None = None  # the direct parent, for information; already merged in
    threshold: Annotated[float, greater_than(0), between(0, 5)]
    logistics_metric: LogisticsMetric
    dsr_industry: DsrIndustry
    weights: DimensionWeights
    metrics: MetricsConfig

    _name: str = PrivateAttr(default="")

    @property
    def name(self) -> str:
        return self._name

    @property
    def active_metrics(self) -> dict[str, MetricConfig]:
        """Metrics that take part in the total: all but the logistics metric not chosen."""
        unused = (
            "logistics_review_score"
            if self.logistics_metric == "pickup_24h_rate"
            else "pickup_24h_rate"
        )
        return {key: metric for key, metric in self.metrics.items() if key != unused}

    def dimension_metrics(self, dimension: str) -> dict[str, MetricConfig]:
        return {k: m for k, m in self.active_metrics.items() if m.dimension == dimension}

    def effective_weight(self, metric_key: str) -> float:
        """Dimension weight × metric weight: the metric's share of the 5-point total."""
        metric = self.active_metrics.get(metric_key)
        if metric is None:
            return 0.0
        return float(self.weights[metric.dimension]) * metric.weight

    @model_validator(mode="after")
    def _metric_weights_per_dimension(self) -> CategoryConfig:
        for dimension in DIMENSIONS:
            if self.weights[dimension] <= 0:
                continue
            members = self.dimension_metrics(dimension)
            total = math.fsum(m.weight for m in members.values())
            if abs(total - 1) > WEIGHT_SUM_TOLERANCE:
                listed = ", ".join(f"{k} {fmt_num(m.weight)}" for k, m in members.items())
                raise fail(
                    tr(
                        "weights of the {dimension} metrics ({value}) must sum to 1 (got {total:g})",
                        dimension=dimension,
                        value=listed or "none",
                        total=round(total, 12),
                    ),
                    at="metrics",
                )
        return self


class ServiceScoreConfig(Model):
    default_category: Text
    categories: dict[str, CategoryConfig]

    @model_validator(mode="after")
    def _known_default(self) -> ServiceScoreConfig:
        for name, category in self.categories.items():
            category._name = name
        if self.default_category not in self.categories:
            raise fail(
                tr(
                    "unknown category {default_category!r} (known: {value})",
                    default_category=self.default_category,
                    value=", ".join(self.categories),
                ),
                at="default_category",
            )
        return self


# --------------------------------------------------------------------------- §7 response
