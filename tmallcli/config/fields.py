"""The config's building blocks: value checks, field types and the base models.

Every check raises :func:`fail` with the problem in the user's words; :mod:`.errors` turns it
into the one-line ``config: <key path>: <problem>``. No Polars, no Rich here.
"""

from __future__ import annotations

import itertools
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from tmallcli.i18n import tr
from tmallcli.text import config_text

WEIGHT_SUM_TOLERANCE = 1e-9

# The five dimensions of the 基础服务考核分 (SPEC §6), in the platform's order.
DIMENSIONS: tuple[str, ...] = ("product", "logistics", "after_sales", "consultation", "disputes")
Dimension = Literal["product", "logistics", "after_sales", "consultation", "disputes"]
LogisticsMetric = Literal["pickup_24h_rate", "logistics_review_score"]


# --------------------------------------------------------------------------- helpers


def show(value: Any) -> str:
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
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def fail(problem: str, at: str | None = None) -> PydanticCustomError:
    """A validation error whose text is ``problem`` verbatim.

    ``at`` extends the key path below the model that raised it (a model validator
    otherwise reports at the model's own path).
    """
    context: dict[str, Any] = {"problem": problem}
    if at is not None:
        context["at"] = at
    return PydanticCustomError("tmall_config", "{problem}", context)


def fmt_num(x: float | int) -> str:
    """A number without a spurious ``.0`` (YAML ``6`` arrives here as ``6.0``)."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return str(x)


def between(low: float, high: float) -> AfterValidator:
    def check(value: float) -> float:
        if not low <= value <= high:
            raise fail(
                tr(
                    "must be between {low} and {high} (got {value})",
                    low=fmt_num(low),
                    high=fmt_num(high),
                    value=fmt_num(value),
                )
            )
        return value

    return AfterValidator(check)


def greater_than(bound: float) -> AfterValidator:
    def check(value: float) -> float:
        if not value > bound:
            raise fail(
                tr(
                    "must be greater than {bound} (got {value})",
                    bound=fmt_num(bound),
                    value=fmt_num(value),
                )
            )
        return value

    return AfterValidator(check)


def at_least(bound: float) -> AfterValidator:
    def check(value: float) -> float:
        if not value >= bound:
            raise fail(
                tr(
                    "must be at least {bound} (got {value})",
                    bound=fmt_num(bound),
                    value=fmt_num(value),
                )
            )
        return value

    return AfterValidator(check)


def _non_empty_text(value: str) -> str:
    if not value.strip():
        raise fail(tr("must not be empty"))
    return value


def _percent(value: Any) -> int | Decimal:
    """0–100, kept exact: an int stays an int, ``12.5`` becomes ``Decimal("12.5")``."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise fail(tr("must be a percentage between 0 and 100 (got {value})", value=show(value)))
    try:
        number = Decimal(str(value).strip().removesuffix("%"))
    except InvalidOperation:
        raise fail(
            tr("must be a percentage between 0 and 100 (got {value})", value=show(value))
        ) from None
    if not number.is_finite() or not 0 <= number <= 100:
        raise fail(tr("must be a percentage between 0 and 100 (got {value})", value=show(value)))
    return int(number) if number == number.to_integral_value() else number


def money_fen(value: Any) -> int:
    # Money in config is integer fen; ``5.0`` is refused so that nobody writes yuan by mistake.
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(
            tr("must be a whole number of fen, 1 yuan = 100 fen (got {value})", value=show(value)),
        )
    if value < 0:
        raise fail(tr("must not be negative (got {value})", value=show(value)))
    return value


_CLOCK = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$")


def _clock(value: str) -> str:
    if not _CLOCK.match(value):
        raise fail(
            tr("must be a time of day HH:MM, 00:00 to 24:00 (got {value})", value=show(value))
        )
    return value


def minutes_of(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


Text = Annotated[str, AfterValidator(_non_empty_text)]
# Text that names an export's text (a status, a reason, a service): brought to the form the
# reader gives a cell (trimmed, ， read as ,) once, here, so that metrics compare it as it is.
Word = Annotated[str, AfterValidator(_non_empty_text), AfterValidator(config_text)]
Unit = Annotated[float, between(0, 1)]  # weights
DsrScore = Annotated[float, between(1, 5)]
PositiveInt = Annotated[int, greater_than(0)]
NonNegativeInt = Annotated[int, at_least(0)]
Hours = Annotated[int, greater_than(0)]
Fen = Annotated[int, BeforeValidator(money_fen)]
Percent = Annotated[int | Decimal, BeforeValidator(_percent)]
Clock = Annotated[str, AfterValidator(_clock)]


class Model(BaseModel):
    # strict: YAML already gives native types, so "1.5" for a number or 5.0 for a count
    # is a mistake worth reporting, not coercing.
    model_config = ConfigDict(extra="forbid", strict=True)


class Keyed(Model):
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


def non_empty_list(value: list[Any]) -> list[Any]:
    if not value:
        raise fail(tr("must list at least one entry"))
    return value


def _scale_points(value: Any) -> list[tuple[float, float]]:
    """Turn YAML ``[[v, s], …]`` into checked (value, score) pairs, in the order written."""
    if not isinstance(value, list):
        raise fail(tr("must be a list of [value, score] points (got {value})", value=show(value)))
    points: list[tuple[float, float]] = []
    for index, point in enumerate(value, start=1):
        if (
            not isinstance(point, list | tuple)
            or len(point) != 2
            or any(isinstance(x, bool) or not isinstance(x, int | float) for x in point)
        ):
            raise fail(
                tr(
                    "point {index} must be [value, score], two numbers (got {point})",
                    index=index,
                    point=show(point),
                )
            )
        if not all(math.isfinite(x) for x in point):
            raise fail(
                tr(
                    "point {index} must be finite numbers (got {point})",
                    index=index,
                    point=show(point),
                )
            )
        points.append((float(point[0]), float(point[1])))
    if len(points) < 2:
        raise fail(
            tr("must have at least 2 points [value, score] (got {n_points})", n_points=len(points))
        )
    values = [v for v, _ in points]
    steps = [b - a for a, b in itertools.pairwise(values)]
    if not (all(step > 0 for step in steps) or all(step < 0 for step in steps)):
        raise fail(
            tr(
                "values must be strictly increasing or strictly decreasing (got {value})",
                value=", ".join(fmt_num(v) for v in values),
            )
        )
    for index, (_, score) in enumerate(points, start=1):
        if not 0 <= score <= 5:
            raise fail(
                tr(
                    "scores must be between 0 and 5 (got {score} at point {index})",
                    score=fmt_num(score),
                    index=index,
                )
            )
    return points


Scale = Annotated[list[tuple[float, float]], BeforeValidator(_scale_points)]
