"""Result dataclasses → JSON objects, in one walk: each renderer declares a :class:`Shape`
(which keys, in which order, under which name) as data next to it, instead of a hand-written
function per dataclass.

The key order is part of the JSON contract (SPEC §1): a shape keeps the dataclass's field
order unless it lists its keys. Money is integer fen followed by its yuan string
(``amount_fen`` then ``amount``); dates, times and exact fractions are left to the JSON writer
(:func:`tmallcli.render.writers.to_json_bytes`), which writes them the same way everywhere.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from tmallcli.money import yuan

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

# (attribute, JSON key, only-if attribute, derive, nested shape, yuan key) for each key.
_Plan = tuple[
    tuple[str, str, "str | None", "Callable[[Any], Any] | None", "Shape | None", "str | None"], ...
]


@dataclass(frozen=True)
class Shape:
    """How one result dataclass is written as a JSON object.

    ``keys``: attribute names (fields or properties) in JSON order; None: the dataclass's
    fields in order, less ``omit``, then ``then``. ``rename``: attribute → JSON key.
    ``money``: fen attributes, each followed by its yuan text under the key without ``_fen``.
    ``derive``: keys computed from the whole object. ``only_if``: keys present only when the
    named attribute is not None. ``nested``: the shape of a dataclass (or list of them) held
    in an attribute.
    """

    keys: tuple[str, ...] | None = None
    omit: tuple[str, ...] = ()
    then: tuple[str, ...] = ()
    rename: Mapping[str, str] = field(default_factory=dict)
    money: tuple[str, ...] = ()
    derive: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    only_if: Mapping[str, str] = field(default_factory=dict)
    nested: Mapping[str, Shape] = field(default_factory=dict)
    # The walk per class, made once: a 10 M-order compensation run writes 180 k payouts.
    plans: dict[type, _Plan] = field(default_factory=dict, compare=False, repr=False)

    def names(self, obj: Any) -> Iterable[str]:
        if self.keys is not None:
            return self.keys
        fields = (f.name for f in dataclasses.fields(obj) if f.name not in self.omit)
        return (*fields, *self.then)


PLAIN = Shape()

# Values written as they are (the writer knows them): the common case, checked first.
_AS_IS = frozenset({str, int, float, bool, type(None), date, datetime, Fraction})


def value(item: Any, shape: Shape | None = None) -> Any:
    """One value as JSON wants it: a dataclass through its shape, containers walked, a
    Decimal as a float; dates, times and fractions as they are (the writer writes them)."""
    if type(item) in _AS_IS:
        return item
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return to_json(item, shape or PLAIN)
    if isinstance(item, list | tuple):
        return [value(v, shape) for v in item]
    if isinstance(item, dict):
        return {k: value(v, shape) for k, v in item.items()}
    if isinstance(item, Decimal):
        return float(item)
    return item


def _plan(obj: Any, shape: Shape) -> _Plan:
    plan = shape.plans.get(type(obj))
    if plan is None:
        steps = []
        for name in shape.names(obj):
            key = shape.rename.get(name, name)
            money = key.removesuffix("_fen") if name in shape.money else None
            steps.append(
                (
                    name,
                    key,
                    shape.only_if.get(name),
                    shape.derive.get(name),
                    shape.nested.get(name),
                    money,
                )
            )
        plan = shape.plans[type(obj)] = tuple(steps)
    return plan


def to_json(obj: Any, shape: Shape = PLAIN) -> dict[str, Any]:
    """``obj`` as a JSON object, as ``shape`` says."""
    data: dict[str, Any] = {}
    for name, key, when, derive, nested, money in _plan(obj, shape):
        if when is not None and getattr(obj, when) is None:
            continue
        raw = derive(obj) if derive is not None else getattr(obj, name)
        data[key] = value(raw, nested)
        if money is not None:
            data[money] = yuan(raw)
    return data


def many(items: Iterable[Any], shape: Shape = PLAIN) -> list[dict[str, Any]]:
    """A list of result dataclasses as JSON objects."""
    return [to_json(item, shape) for item in items]
