"""The neutral shape every command result is drawn into before a writer renders it.

A command result offers ``to_json()`` (the stable JSON contract of SPEC.md) and
``document(labels)`` (labelled sections for table / csv / md output, in the language of
``labels``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, overload

if TYPE_CHECKING:
    from datetime import datetime

    from tmallcli.render.labels import Labels

# Chinese colour convention (SPEC §1): above the industry is red (飘红), below is green (飘绿).
ABOVE = "red"
BELOW = "green"
BAD = "bold red"
GOOD = "green"
WARN = "yellow"


@dataclass
class Column:
    key: str
    label: str
    numeric: bool = False


@dataclass
class Cell:
    """One value: ``text`` is shown, ``raw`` (when set) is what CSV carries, ``style`` is a Rich style."""

    text: str
    style: str | None = None
    raw: Any = None


T = TypeVar("T")


class Rows(Sequence[list[Cell]], Generic[T]):
    """A table's rows made from ``items`` as they are read: the HTML page shows the first
    couple of hundred of a list of tens of thousands (1 M orders: 18 k payouts, 5 k
    watchlist orders), and drawing every row's cells would cost it most of a second."""

    def __init__(self, items: Sequence[T], make: Callable[[T], list[Cell]]) -> None:
        self._items = items
        self._make = make

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> list[Cell]: ...

    @overload
    def __getitem__(self, index: slice) -> list[list[Cell]]: ...

    def __getitem__(self, index: int | slice) -> list[Cell] | list[list[Cell]]:
        if isinstance(index, slice):
            return [self._make(item) for item in self._items[index]]
        return self._make(self._items[index])


@dataclass
class Section:
    key: str
    title: str
    columns: list[Column]
    rows: Sequence[list[Cell]]
    notes: list[str] = field(default_factory=list)


@dataclass
class Document:
    title: str
    lines: list[tuple[str, str | None]] = field(default_factory=list)  # (text, style)
    sections: list[Section] = field(default_factory=list)

    def line(self, text: str, style: str | None = None) -> None:
        self.lines.append((text, style))


class Renderable(Protocol):
    def to_json(self) -> dict[str, Any]: ...

    def document(self, labels: Labels) -> Document: ...


def percent(rate: float | None, digits: int = 2) -> str:
    """0.9095 → "90.95%"; None → an em dash."""
    return "—" if rate is None else f"{rate * 100:.{digits}f}%"


def time_cell(value: datetime | None, *, seconds: bool = False) -> Cell:
    if value is None:
        return cell(None)
    return Cell(f"{value:%Y-%m-%d %H:%M:%S}" if seconds else f"{value:%Y-%m-%d %H:%M}", raw=value)


def cell(value: Any, style: str | None = None) -> Cell:
    """A cell from a plain value: ``None`` shows as an em dash, numbers keep their raw value for CSV."""
    if isinstance(value, Cell):
        return value
    if value is None:
        return Cell("—", style, "")
    if isinstance(value, float):
        return Cell(f"{value:.2f}", style, value)
    return Cell(str(value), style, value)
