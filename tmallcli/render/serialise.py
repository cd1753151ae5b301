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
    # The writer per class, made once: a 10 M-order compensation run writes 180 k payouts.
    writers: dict[type, Callable[[Any], dict[str, Any]]] = field(
        default_factory=dict, compare=False, repr=False
    )

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
    kind = type(item)
    if kind in _AS_IS:
        return item
    shape = shape or PLAIN
    writer = shape.writers.get(kind)  # a class written before: no need to ask what it is
    if writer is not None:
        return writer(item)
    if isinstance(item, list | tuple):
        return [v if type(v) in _AS_IS else value(v, shape) for v in item]
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return to_json(item, shape)
    if isinstance(item, dict):
        return {k: value(v, shape) for k, v in item.items()}
    if isinstance(item, Decimal):
        return float(item)
    return item


def _writer(obj: Any, shape: Shape) -> Callable[[Any], dict[str, Any]]:
    """The function that writes ``obj``'s class as ``shape`` says, made once per class.

    It is compiled from source, as :mod:`dataclasses` makes its ``__init__``: one line per
    key, the attribute read by name, a value the JSON writer takes as it is tested inline.
    A loop over the keys that looks each attribute up by ``getattr`` took 0.7 s for the 18 k
    payouts (and their lines) of a 1 M-order compensation run, most of its warm run.
    """
    writer = shape.writers.get(type(obj))
    if writer is not None:
        return writer
    scope: dict[str, Any] = {"value": value, "yuan": yuan, "AS_IS": _AS_IS}
    lines = ["def write(obj):", "    data = {}"]
    for index, name in enumerate(shape.names(obj)):
        if not name.isidentifier():
            raise ValueError(f"not an attribute name: {name!r}")
        key = shape.rename.get(name, name)
        indent = "    "
        when = shape.only_if.get(name)
        if when is not None:
            if not when.isidentifier():
                raise ValueError(f"not an attribute name: {when!r}")
            lines.append(f"    if obj.{when} is not None:")
            indent = "        "
        derive = shape.derive.get(name)
        if derive is not None:
            scope[f"derive{index}"] = derive
            lines.append(f"{indent}raw = derive{index}(obj)")
        else:
            lines.append(f"{indent}raw = obj.{name}")
        scope[f"nested{index}"] = shape.nested.get(name)
        lines.append(
            f"{indent}data[{key!r}] = raw if type(raw) in AS_IS else value(raw, nested{index})"
        )
        if name in shape.money:
            lines.append(f"{indent}data[{key.removesuffix('_fen')!r}] = yuan(raw)")
    lines.append("    return data")
    exec("\n".join(lines), scope)  # the names checked above, the keys written as literals
    writer = shape.writers[type(obj)] = scope["write"]
    return writer


def to_json(obj: Any, shape: Shape = PLAIN) -> dict[str, Any]:
    """``obj`` as a JSON object, as ``shape`` says."""
    return _writer(obj, shape)(obj)


def many(items: Iterable[Any], shape: Shape = PLAIN) -> list[dict[str, Any]]:
    """A list of result dataclasses as JSON objects."""
    return [to_json(item, shape) for item in items]
