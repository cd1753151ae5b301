"""Load, merge and validate the YAML config (SPEC §1 "Config").

``config/default.yaml`` ships every weight, threshold, keyword list and scale; a user file
(``--config FILE``, else ``./tmall.yaml``) is deep-merged over it, then ``overrides``.
Dicts merge recursively; lists and scalars replace; an empty section (``dsr:`` with
nothing under it) changes nothing. Categories of the 基础服务考核分 live in
``service_score.categories`` and may ``inherit`` another category (recursively,
deep-merged). The merged result is validated with Pydantic models that forbid unknown
keys; every problem is one :class:`~tmallcli.errors.ConfigError` naming the key path::

    config: service_score.categories.女装.weights.product: must be between 0 and 1 (got 1.7)

No Polars, no Rich here: the config is read before any data is.
"""

from __future__ import annotations

import copy
import itertools
import math
import re
import types
import typing
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Union

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tmallcli.errors import ConfigError

__all__ = [
    "DIMENSIONS",
    "METRIC_KEYS",
    "CategoryConfig",
    "Config",
    "MetricConfig",
    "deep_merge",
    "default_config_path",
    "load_config",
]

USER_CONFIG_NAME = "tmall.yaml"
WEIGHT_SUM_TOLERANCE = 1e-9

# The five dimensions of the 基础服务考核分 (SPEC §6), in the platform's order.
DIMENSIONS: tuple[str, ...] = ("product", "logistics", "after_sales", "consultation", "disputes")
Dimension = Literal["product", "logistics", "after_sales", "consultation", "disputes"]
LogisticsMetric = Literal["pickup_24h_rate", "logistics_review_score"]


# --------------------------------------------------------------------------- helpers


def _show(value: Any) -> str:
    """A value as the user wrote it in YAML, for the ``(got …)`` part of a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _fail(problem: str, at: str | None = None) -> PydanticCustomError:
    """A validation error whose text is ``problem`` verbatim.

    ``at`` extends the key path below the model that raised it (a model validator
    otherwise reports at the model's own path).
    """
    context: dict[str, Any] = {"problem": problem}
    if at is not None:
        context["at"] = at
    return PydanticCustomError("tmall_config", "{problem}", context)


def _fmt_num(x: float | int) -> str:
    """A number without a spurious ``.0`` (YAML ``6`` arrives here as ``6.0``)."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return str(x)


def _between(low: float, high: float) -> AfterValidator:
    def check(value: float) -> float:
        if not low <= value <= high:
            raise _fail(
                f"must be between {_fmt_num(low)} and {_fmt_num(high)} (got {_fmt_num(value)})"
            )
        return value

    return AfterValidator(check)


def _greater_than(bound: float) -> AfterValidator:
    def check(value: float) -> float:
        if not value > bound:
            raise _fail(f"must be greater than {_fmt_num(bound)} (got {_fmt_num(value)})")
        return value

    return AfterValidator(check)


def _at_least(bound: float) -> AfterValidator:
    def check(value: float) -> float:
        if not value >= bound:
            raise _fail(f"must be at least {_fmt_num(bound)} (got {_fmt_num(value)})")
        return value

    return AfterValidator(check)


def _non_empty_text(value: str) -> str:
    if not value.strip():
        raise _fail("must not be empty")
    return value


def _percent(value: Any) -> int | Decimal:
    """0–100, kept exact: an int stays an int, ``12.5`` becomes ``Decimal("12.5")``."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise _fail(f"must be a percentage between 0 and 100 (got {_show(value)})")
    try:
        number = Decimal(str(value).strip().removesuffix("%"))
    except InvalidOperation:
        raise _fail(f"must be a percentage between 0 and 100 (got {_show(value)})") from None
    if not number.is_finite() or not 0 <= number <= 100:
        raise _fail(f"must be a percentage between 0 and 100 (got {_show(value)})")
    return int(number) if number == number.to_integral_value() else number


def _money_fen(value: Any) -> int:
    # Money in config is integer fen; ``5.0`` is refused so that nobody writes yuan by mistake.
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(
            f"must be a whole number of fen, 1 yuan = 100 fen (got {_show(value)})",
        )
    if value < 0:
        raise _fail(f"must not be negative (got {_show(value)})")
    return value


_CLOCK = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$")


def _clock(value: str) -> str:
    if not _CLOCK.match(value):
        raise _fail(f"must be a time of day HH:MM, 00:00 to 24:00 (got {_show(value)})")
    return value


def _minutes_of(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


Text = Annotated[str, AfterValidator(_non_empty_text)]
Unit = Annotated[float, _between(0, 1)]  # weights
DsrScore = Annotated[float, _between(1, 5)]
PositiveInt = Annotated[int, _greater_than(0)]
NonNegativeInt = Annotated[int, _at_least(0)]
Hours = Annotated[int, _greater_than(0)]
Fen = Annotated[int, BeforeValidator(_money_fen)]
Percent = Annotated[int | Decimal, BeforeValidator(_percent)]
Clock = Annotated[str, AfterValidator(_clock)]


class _Model(BaseModel):
    # strict: YAML already gives native types, so "1.5" for a number or 5.0 for a count
    # is a mistake worth reporting, not coercing.
    model_config = ConfigDict(extra="forbid", strict=True)


class _Keyed(_Model):
    """A section of fixed, named entries that also reads like a mapping.

    ``thresholds.search_demotion`` and ``thresholds["search_demotion"]`` are the same;
    ``items()`` walks the entries in the order of the model.
    """

    def __getitem__(self, key: str) -> Any:
        if key not in type(self).model_fields:
            raise KeyError(key)
        return getattr(self, key)

    def __contains__(self, key: object) -> bool:
        return key in type(self).model_fields

    def keys(self) -> list[str]:
        return list(type(self).model_fields)

    def values(self) -> list[Any]:
        return [getattr(self, key) for key in type(self).model_fields]

    def items(self) -> list[tuple[str, Any]]:
        return [(key, getattr(self, key)) for key in type(self).model_fields]

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key) if key in type(self).model_fields else default


# --------------------------------------------------------------------------- §3 DSR


class DsrThresholds(_Keyed):
    """Flag name (as in the JSON ``flags``) → the score below which it is raised."""

    search_demotion: DsrScore  # < 4.4: every item is demoted in search (搜索降权)
    activity_ineligible: DsrScore  # < 4.6: no official activities (不能报官方活动)


class DsrConfig(_Model):
    thresholds: DsrThresholds
    window_days: PositiveInt
    display_delay_minutes: NonNegativeInt
    monthly_cap: PositiveInt
    item_min_ratings: PositiveInt
    item_limit: PositiveInt
    rolloff_days: list[PositiveInt]


# --------------------------------------------------------------------------- §4 pickup


class DayWindow(_Model):
    """Calendar days T−start … T−end, both included."""

    start_days_before: NonNegativeInt
    end_days_before: NonNegativeInt

    @model_validator(mode="after")
    def _ordered(self) -> DayWindow:
        if self.start_days_before < self.end_days_before:
            raise _fail(
                f"start_days_before must be at least end_days_before "
                f"(got {self.start_days_before} and {self.end_days_before})"
            )
        return self


class PickupPreset(_Model):
    hours: Hours | None = None
    window: DayWindow | None = None


class PickupConfig(_Model):
    hours: Hours
    window: DayWindow
    exclude_statuses: list[Text]
    pickup_keywords: Annotated[list[Text], AfterValidator(lambda v: _non_empty_list(v))]
    cainiao_keywords: list[Text]
    cainiao_after: Text
    # Texts that contain a pickup word but say the opposite (等待揽件 contains 揽件).
    not_pickup_keywords: list[Text] = []
    # Statuses of orders that are done (received): never on the follow-up watchlist.
    done_statuses: list[Text] = []
    follow_up_hours: list[Hours]
    limit: PositiveInt
    presets: dict[str, PickupPreset] = {}
    # Name of a preset to apply (e.g. taobao_48h for a Taobao shop); hours/window then
    # hold the preset's values.
    preset: str | None = None

    @field_validator("preset")
    @classmethod
    def _known_preset(cls, value: str | None, info: ValidationInfo) -> str | None:
        presets = info.data.get("presets")
        if value is not None and presets is not None and value not in presets:
            known = ", ".join(presets) or "none"
            raise _fail(f"unknown preset {value!r} (known: {known})")
        return value

    @model_validator(mode="after")
    def _apply_preset(self) -> PickupConfig:
        if self.preset is not None:
            chosen = self.presets[self.preset]
            if chosen.hours is not None:
                self.hours = chosen.hours
            if chosen.window is not None:
                self.window = chosen.window
        return self

    def with_preset(self, name: str) -> PickupConfig:
        """This pickup rule with preset ``name`` applied (for a command-line switch)."""
        if name not in self.presets:
            known = ", ".join(self.presets) or "none"
            raise ConfigError("pickup.presets", f"unknown preset {name!r} (known: {known})")
        chosen = self.presets[name]
        update: dict[str, Any] = {"preset": name}
        if chosen.hours is not None:
            update["hours"] = chosen.hours
        if chosen.window is not None:
            update["window"] = chosen.window
        return self.model_copy(update=update)


def _non_empty_list(value: list[Any]) -> list[Any]:
    if not value:
        raise _fail("must list at least one entry")
    return value


# --------------------------------------------------------------------------- §5 compensation


def _percent_of(rate_percent: int | Decimal, amount_fen: int) -> int:
    """round_half_up(rate% × amount) in fen, exact (SPEC §1: money is integer fen)."""
    exact = Decimal(amount_fen) * Decimal(rate_percent) / 100
    return int(exact.to_integral_value(rounding="ROUND_HALF_UP"))


class LateShipmentConfig(_Model):
    ship_within_hours: Hours
    rate_percent: Percent
    minimum_fen: Fen
    group_cap_fen: Fen
    group_window_hours: Hours
    severe_after_hours: Hours
    closed_statuses: list[Text]

    @model_validator(mode="after")
    def _cap_above_minimum(self) -> LateShipmentConfig:
        if self.group_cap_fen < self.minimum_fen:
            raise _fail(
                f"must be at least minimum_fen ({self.minimum_fen}) (got {self.group_cap_fen})",
                at="group_cap_fen",
            )
        return self

    def amount_fen(self, item_amount_fen: int) -> int:
        """One late order's compensation: max(round_half_up(rate × amount), minimum)."""
        return max(_percent_of(self.rate_percent, item_amount_fen), self.minimum_fen)


class PromiseBrokenConfig(_Model):
    amount_fen: Fen
    services: list[Text]


class OutOfStockConfig(_Model):
    rate_percent: Percent
    minimum_fen: Fen
    reason_keywords: Annotated[list[Text], AfterValidator(lambda v: _non_empty_list(v))]
    # Only a refund that went through is owed compensation (a cancelled one is not).
    refund_statuses: list[Text] = []

    def amount_fen(self, refund_amount_fen: int) -> int:
        return max(_percent_of(self.rate_percent, refund_amount_fen), self.minimum_fen)


class CompensationConfig(_Model):
    late_shipment: LateShipmentConfig
    promise_broken: PromiseBrokenConfig
    out_of_stock: OutOfStockConfig


# --------------------------------------------------------------------------- §6 service score


def _scale_points(value: Any) -> list[tuple[float, float]]:
    """Turn YAML ``[[v, s], …]`` into checked (value, score) pairs, in the order written."""
    if not isinstance(value, list):
        raise _fail(f"must be a list of [value, score] points (got {_show(value)})")
    points: list[tuple[float, float]] = []
    for index, point in enumerate(value, start=1):
        if (
            not isinstance(point, list | tuple)
            or len(point) != 2
            or any(isinstance(x, bool) or not isinstance(x, int | float) for x in point)
        ):
            raise _fail(f"point {index} must be [value, score], two numbers (got {_show(point)})")
        if not all(math.isfinite(x) for x in point):
            raise _fail(f"point {index} must be finite numbers (got {_show(point)})")
        points.append((float(point[0]), float(point[1])))
    if len(points) < 2:
        raise _fail(f"must have at least 2 points [value, score] (got {len(points)})")
    values = [v for v, _ in points]
    steps = [b - a for a, b in itertools.pairwise(values)]
    if not (all(step > 0 for step in steps) or all(step < 0 for step in steps)):
        raise _fail(
            "values must be strictly increasing or strictly decreasing "
            f"(got {', '.join(_fmt_num(v) for v in values)})"
        )
    for index, (_, score) in enumerate(points, start=1):
        if not 0 <= score <= 5:
            raise _fail(f"scores must be between 0 and 5 (got {_fmt_num(score)} at point {index})")
    return points


Scale = Annotated[list[tuple[float, float]], BeforeValidator(_scale_points)]


class MetricConfig(_Model):
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
                what = (
                    f"at least {_fmt_num(low)}"
                    if high is None
                    else f"between {_fmt_num(low)} and {_fmt_num(high)}"
                )
                raise _fail(
                    f"values are {cls.VALUE_KIND}s and must be {what} (got {_fmt_num(value)})"
                )
        ordered = sorted(points)
        scores = [s for _, s in ordered]
        rising = all(b >= a for a, b in itertools.pairwise(scores))
        falling = all(b <= a for a, b in itertools.pairwise(scores))
        shown = ", ".join(f"[{_fmt_num(v)}, {_fmt_num(s)}]" for v, s in ordered)
        if cls.HIGHER_IS_BETTER and not (rising and scores[-1] > scores[0]):
            raise _fail(f"scores must rise as the value rises: higher is better (got {shown})")
        if not cls.HIGHER_IS_BETTER and not (falling and scores[-1] < scores[0]):
            raise _fail(f"scores must fall as the value rises: lower is better (got {shown})")
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


class MetricsConfig(_Keyed):
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


class DsrIndustry(_Keyed):
    """Industry average DSR per dimension for the category (shown as 飘红 / 飘绿)."""

    description: DsrScore
    service: DsrScore
    logistics: DsrScore


class DimensionWeights(_Keyed):
    product: Unit
    logistics: Unit
    after_sales: Unit
    consultation: Unit
    disputes: Unit

    @model_validator(mode="after")
    def _sum_to_one(self) -> DimensionWeights:
        total = math.fsum(self.values())
        if abs(total - 1) > WEIGHT_SUM_TOLERANCE:
            raise _fail(f"must sum to 1 (got {round(total, 12):g})")
        return self


class CategoryConfig(_Model):
    """One category's 基础服务考核分 rules, with ``inherit`` already applied."""

    inherit: str | None = None  # the direct parent, for information; already merged in
    threshold: Annotated[float, _greater_than(0), _between(0, 5)]
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
                listed = ", ".join(f"{k} {_fmt_num(m.weight)}" for k, m in members.items())
                raise _fail(
                    f"weights of the {dimension} metrics ({listed or 'none'}) "
                    f"must sum to 1 (got {round(total, 12):g})",
                    at="metrics",
                )
        return self


class ServiceScoreConfig(_Model):
    default_category: Text
    categories: dict[str, CategoryConfig]

    @model_validator(mode="after")
    def _known_default(self) -> ServiceScoreConfig:
        for name, category in self.categories.items():
            category._name = name
        if self.default_category not in self.categories:
            raise _fail(
                f"unknown category {self.default_category!r} (known: {', '.join(self.categories)})",
                at="default_category",
            )
        return self


# --------------------------------------------------------------------------- §7 response


class ServiceHours(_Model):
    start: Clock
    end: Clock

    @model_validator(mode="after")
    def _ordered(self) -> ServiceHours:
        if _minutes_of(self.start) >= _minutes_of(self.end):
            raise _fail(f"start must be before end (got {self.start}–{self.end})")
        return self

    @property
    def start_minutes(self) -> int:
        """Minutes after midnight (08:00 → 480)."""
        return _minutes_of(self.start)

    @property
    def end_minutes(self) -> int:
        return _minutes_of(self.end)


class ResponseConfig(_Model):
    service_hours: ServiceHours
    assistant_counts: bool
    fast_reply_seconds: PositiveInt
    # Consultations on T−30 … T−1 (旺旺响应率 is a 30-day figure).
    window: DayWindow = DayWindow(start_days_before=30, end_days_before=1)
    limit: NonNegativeInt = 100  # unanswered consultations listed; 0 = all


# --------------------------------------------------------------------------- §8 refunds


class AutoRefundRule(_Model):
    """A 千牛 auto-refund strategy (个性化退款策略) to simulate.

    A refund matches when every condition that is not null holds: ``refund_type`` equal,
    ``shipped`` equal, ``stage`` equal, the reason *contains* one of ``reasons``, the
    amount is below ``max_amount_fen`` (strictly: "below 10 yuan"), and it was applied
    within ``within_days_of_signed`` days of ``signed_at``.
    """

    name: Text
    refund_type: Text | None = None
    shipped: bool | None = None
    stage: Literal["售中", "售后"] | None = None
    reasons: Annotated[list[Text], AfterValidator(lambda v: _non_empty_list(v))]
    max_amount_fen: Annotated[
        int | None, BeforeValidator(lambda v: v if v is None else _money_fen(v))
    ] = None
    within_days_of_signed: PositiveInt | None = None
    action: Literal["auto_refund", "auto_agree"]


class AutoRefundConfig(_Model):
    auto_minutes: NonNegativeInt
    rules: list[AutoRefundRule]

    @field_validator("rules")
    @classmethod
    def _unique_names(cls, rules: list[AutoRefundRule]) -> list[AutoRefundRule]:
        seen: set[str] = set()
        for rule in rules:
            if rule.name in seen:
                raise _fail(f"rule names must be unique (got {rule.name!r} twice)")
            seen.add(rule.name)
        return rules


class RefundsConfig(_Model):
    waiting_statuses: Annotated[list[Text], AfterValidator(lambda v: _non_empty_list(v))]
    intervention_after_hours: Hours
    # None: every refund with a 退款完结时间 is completed; else only refunds in these statuses.
    completed_statuses: list[Text] | None = None
    slowest_limit: PositiveInt
    auto_refund: AutoRefundConfig


# --------------------------------------------------------------------------- §9 CS ratings


class CsConfig(_Model):
    human_sources: Annotated[list[Text], AfterValidator(lambda v: _non_empty_list(v))]
    bot_sources: Annotated[list[Text], AfterValidator(lambda v: _non_empty_list(v))]
    bot_account: Text
    no_tags_label: Text
    min_ratings: PositiveInt
    max_days: PositiveInt
    # A rating at or below this score is a low rating (diagnosis: its tags are the complaints).
    low_score: Annotated[int, _between(1, 5)] = 3
    diagnosis_limit: PositiveInt = 5
    # --check exits 1 when the human average is below this (null: no threshold).
    min_average: Annotated[float, _between(1, 5)] | None = None


# --------------------------------------------------------------------------- §10 reviews


class ReviewCause(_Model):
    label: Text
    keywords: list[Text]


class ReviewsConfig(_Model):
    good_rate_days: PositiveInt
    days: PositiveInt
    reply_within_hours: Hours
    unclassified_label: Text = "未分类"
    causes: dict[str, ReviewCause]
    actions: dict[str, Text]

    @model_validator(mode="after")
    def _action_per_cause(self) -> ReviewsConfig:
        if "unclassified" in self.causes:
            raise _fail("'unclassified' is reserved for reviews no rule matches", at="causes")
        wanted = [*self.causes, "unclassified"]
        for cause in wanted:
            if cause not in self.actions:
                raise _fail(f"missing the action for cause {cause!r}", at="actions")
        for cause in self.actions:
            if cause not in wanted:
                raise _fail(
                    f"unknown cause (known: {', '.join(wanted)})",
                    at=f"actions.{cause}",
                )
        return self


# --------------------------------------------------------------------------- the whole config


class Config(_Model):
    dsr: DsrConfig
    pickup: PickupConfig
    compensation: CompensationConfig
    service_score: ServiceScoreConfig
    response: ResponseConfig
    refunds: RefundsConfig
    cs: CsConfig
    reviews: ReviewsConfig

    _sources: list[Path] = PrivateAttr(default_factory=list)

    @property
    def sources(self) -> list[Path]:
        """The files merged into this config, default first."""
        return list(self._sources)

    @property
    def category_names(self) -> list[str]:
        return list(self.service_score.categories)

    def category(self, name: str | None = None) -> CategoryConfig:
        """The resolved category ``name`` (``--category``); None → the default category."""
        key = self.service_score.default_category if name is None else name
        try:
            return self.service_score.categories[key]
        except KeyError:
            raise ConfigError(
                "service_score.categories",
                f"unknown category {key!r} (known: {', '.join(self.service_score.categories)})",
                hint="pick one of the known categories, or add it to tmall.yaml "
                "(e.g. with `inherit: 默认`)",
            ) from None


# --------------------------------------------------------------------------- loading


def default_config_path() -> Path:
    """``tmallcli/data/default.yaml`` (installed), else ``<repo>/config/default.yaml``."""
    package_dir = Path(__file__).resolve().parent
    for candidate in (
        package_dir / "data" / "default.yaml",
        package_dir.parent / "config" / "default.yaml",
    ):
        if candidate.is_file():
            return candidate
    raise ConfigError(
        "default.yaml",
        "the shipped default config is missing",
        hint="reinstall tmallcli; it looks for tmallcli/data/default.yaml",
    )


_INT_NO_SEXAGESIMAL = re.compile(
    r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0[0-7_]+
    |[-+]?(?:0|[1-9][0-9_]*)
    |[-+]?0x[0-9a-fA-F_]+)$""",
    re.X,
)
_FLOAT_NO_SEXAGESIMAL = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)


# libyaml's parser where PyYAML has it (its wheels do): the bundled config parses in 3 ms
# instead of 25 ms, a tenth of a small run's start. Resolving and constructing stay in Python,
# so the rules below apply to both.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[misc]
    """SafeLoader without YAML 1.1 base-60 numbers (``23:00`` stays the text "23:00"),
    with every mapping key as text and duplicate keys refused."""

    # PyYAML's own per-class table, filled below.
    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}  # noqa: RUF012


for _first, _resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items():
    _Loader.yaml_implicit_resolvers[_first] = [
        (tag, regexp)
        for tag, regexp in _resolvers
        if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    ]
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", _INT_NO_SEXAGESIMAL, list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float", _FLOAT_NO_SEXAGESIMAL, list("-+0123456789.")
)


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int) -> None:
        super().__init__(key)
        self.key = key
        self.line = line


def _construct_mapping(
    loader: _Loader, node: yaml.MappingNode, deep: bool = False
) -> dict[str, Any]:
    loader.flatten_mapping(node)
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
        text = _show(key) if isinstance(key, bool | type(None)) else str(key)
        if text in mapping:
            raise _DuplicateKey(text, key_node.start_mark.line + 1)
        mapping[text] = loader.construct_object(value_node, deep=deep)  # type: ignore[no-untyped-call]
    return mapping


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def _read_yaml(path: Path) -> dict[str, Any]:
    """One YAML file as a dict (an empty file is an empty dict)."""
    if not path.exists():
        raise ConfigError(str(path), "file not found", hint="check the --config path")
    if path.is_dir():
        raise ConfigError(str(path), "is a folder, not a YAML file")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Notepad on Chinese Windows saves GBK; accept it rather than fail on 女装.
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise ConfigError(str(path), "not UTF-8 or GB18030 text") from None
    try:
        data = yaml.load(text, Loader=_Loader)
    except _DuplicateKey as exc:
        raise ConfigError(f"{path}:{exc.line}", f"duplicate key {exc.key!r}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise ConfigError(where, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), f"YAML syntax error: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(
            str(path),
            f"must be a mapping of sections such as dsr:, pickup: (got {type(data).__name__})",
        )
    return data


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` over ``base``: dicts merge recursively, lists and scalars replace.

    An empty (null) value over a dict keeps the dict: an empty ``dsr:`` section in a
    user file, with everything under it commented out, changes nothing.
    """
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merged[key] = deep_merge(current, value)
        elif isinstance(current, dict) and value is None:
            continue
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _resolve_categories(data: dict[str, Any]) -> None:
    """Apply ``inherit`` to every block of ``service_score.categories`` (in place).

    A child is deep-merged over its fully resolved parent; a cycle or an unknown parent
    is an error. Anything not shaped as expected is left for the models to report.
    """
    section = data.get("service_score")
    if not isinstance(section, dict) or not isinstance(section.get("categories"), dict):
        return
    raw: dict[str, Any] = section["categories"]
    resolved: dict[str, dict[str, Any]] = {}

    def resolve(name: str, chain: list[str]) -> dict[str, Any]:
        if name in resolved:
            return resolved[name]
        block = raw[name]
        if block is None:
            block = {}
        if not isinstance(block, dict):
            raise ConfigError(
                f"service_score.categories.{name}", f"must be a mapping (got {_show(block)})"
            )
        parent = block.get("inherit")
        if parent is None:
            result = copy.deepcopy(block)
        else:
            path = f"service_score.categories.{name}.inherit"
            if not isinstance(parent, str):
                raise ConfigError(path, f"must be a category name (got {_show(parent)})")
            if parent in chain or parent == name:
                loop = (
                    " → ".join([*chain[chain.index(parent) :], parent])
                    if parent in chain
                    else f"{name} → {name}"
                )
                raise ConfigError(path, f"inheritance cycle {loop}")
            if parent not in raw:
                raise ConfigError(path, f"unknown category {parent!r} (known: {', '.join(raw)})")
            result = deep_merge(resolve(parent, [*chain, parent]), block)
            result["inherit"] = parent
        resolved[name] = result
        return result

    for name in raw:
        resolve(name, [name])
    section["categories"] = {name: resolved[name] for name in raw}


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated / Optional / ClassVar wrappers down to the useful type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model class that holds the key at ``loc`` (to list the keys it does accept)."""
    current: Any = Config
    parts = list(loc[:-1])
    while parts:
        current = _unwrap(current)
        part = parts.pop(0)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif typing.get_origin(current) in (dict, list):
            current = typing.get_args(current)[-1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _key_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path or "(top level)"


_TYPE_WORDS = {
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be text",
    "list_type": "must be a list",
    "dict_type": "must be a mapping of keys",
    "model_type": "must be a mapping of keys",
    "model_attributes_type": "must be a mapping of keys",
    "decimal_type": "must be a number",
    "finite_number": "must be a finite number",
}


def _config_error(exc: ValidationError) -> ConfigError:
    """The first validation error as one ``config: <key path>: <problem>`` line."""
    error = exc.errors(include_url=False)[0]
    loc = tuple(error["loc"])
    kind = error["type"]
    context = error.get("ctx") or {}
    value = error.get("input")
    if kind == "tmall_config":
        at = context.get("at")
        if at:
            loc = (*loc, *at.split("."))
        return ConfigError(_key_path(loc), str(context["problem"]))
    if kind == "missing":
        hint = None
        if len(loc) >= 3 and loc[:2] == ("service_score", "categories"):
            hint = "a category without `inherit:` must set every key; add `inherit: 默认`"
        return ConfigError(_key_path(loc), "missing (required key)", hint=hint)
    if kind == "extra_forbidden":
        model = _model_at(loc)
        known = f" (known keys: {', '.join(model.model_fields)})" if model is not None else ""
        return ConfigError(_key_path(loc), f"unknown key{known}")
    if kind == "literal_error":
        expected = str(context.get("expected", "")).replace(" or ", ", ")
        return ConfigError(_key_path(loc), f"must be one of {expected} (got {_show(value)})")
    if kind in _TYPE_WORDS:
        return ConfigError(_key_path(loc), f"{_TYPE_WORDS[kind]} (got {_show(value)})")
    message = str(error["msg"])
    return ConfigError(_key_path(loc), f"{message[:1].lower()}{message[1:]} (got {_show(value)})")


def validate_config(data: Mapping[str, Any]) -> Config:
    """Validate an already merged config dict (categories not yet resolved)."""
    merged = copy.deepcopy(dict(data))
    _resolve_categories(merged)
    try:
        return Config.model_validate(merged)
    except ValidationError as exc:
        raise _config_error(exc) from None


def load_config(
    user_file: Path | None = None,
    *,
    cwd: Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> Config:
    """The default config, with the user file and ``overrides`` deep-merged over it.

    ``user_file`` is ``--config``; when None, ``tmall.yaml`` in ``cwd`` (default: the
    working directory) is used if present. Raises :class:`ConfigError` on any problem.
    """
    default_path = default_config_path()
    sources = [default_path]
    data = _read_yaml(default_path)
    if user_file is None:
        candidate = (cwd if cwd is not None else Path.cwd()) / USER_CONFIG_NAME
        if candidate.is_file():
            user_file = candidate
    if user_file is not None:
        user_file = Path(user_file)
        data = deep_merge(data, _read_yaml(user_file))
        sources.append(user_file)
    if overrides:
        data = deep_merge(data, overrides)
    config = validate_config(data)
    config._sources = sources
    return config
