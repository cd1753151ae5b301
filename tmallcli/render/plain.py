"""A table's cells as plain values for a file (CSV, Excel), and the tables a command can write.

SPEC §14: a CSV or a workbook carries what the table shows, in the table's language, without
the table's decorations — the number as shown (its precision, its sign), the label of a coded
value (未揽收 for ``not_picked``), 是/否 for a yes/no — and never less than the table: a time
keeps its seconds, an order number its 19 digits.

Rates: a value shown as a percentage (``90.95%``, ``+0.18pp``) is written as that percentage
(``90.95``) and its column is named with ``(%)``; a column whose rows have different units (the
service score's values: a score, a rate, hours) gets a unit column beside it. The renderers
stay as they are: what a cell is follows from what it shows (``text``) and what it holds
(``raw``), which every renderer already gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tmallcli.errors import UsageError
from tmallcli.render.document import Section

if TYPE_CHECKING:
    from tmallcli.render.document import Cell, Document, Renderable
    from tmallcli.render.labels import Labels

LABELS: dict[str, tuple[str, str]] = {
    "unit": ("单位", "unit"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
}

# A value the JSON writes as a code (``not_picked``, ``late_shipment_risk``, ``dsr.service``,
# ``product,service``): the table shows its label instead.
_CODE = re.compile(r"^[a-z][a-z0-9_.]*(?:[,;] ?[a-z][a-z0-9_.]*)*$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?$")
_NUMBER = re.compile(r"\d+(?:\.(\d+))?")
# Signs and words around a shown number that are not its unit (≥ 4.00, 约 12, 低于1.30%), and
# the placeholder mark (4.08※: the number is the value; JSON says where it came from).
_DECORATION = "≥≤<>=+-~约 ※"
_MAX_UNIT = 6  # 小时, 秒, hours: a unit is a short word


@dataclass(frozen=True)
class Plain:
    """One cell as a file carries it: ``value`` (a str, int, float, Decimal, date, datetime or
    None), the ``unit`` it is in (``%`` for a percentage), and the ``digits`` the table shows
    (numbers only; None: as it is)."""

    value: Any
    unit: str = ""
    digits: int | None = None
    text: str | None = None  # the number as the table shows it, signed (CSV writes this)


def _shown(raw: float, text: str) -> Plain | None:
    """The number ``text`` shows for ``raw``: the one that ``raw`` (or ``raw`` × 100 when the
    text is a percentage) rounds to, with its decimals and the sign of ``raw``; None when the
    text shows no such number or shows several (``5.94 → 5.82`` is kept as it is shown)."""
    numbers = list(_NUMBER.finditer(text))
    if len(numbers) != 1:
        return None
    match = numbers[0]
    digits = len(match.group(1) or "")
    shown = float(match.group())
    percent = "%" in text or text.endswith("pp")
    for scale in (100, 1) if percent else (1,):
        value = raw * scale
        # Within half a unit of the last decimal shown (renderers round half up or to even).
        if abs(abs(value) - shown) <= 0.5 * 10**-digits * (1 + 1e-9) + 1e-12:
            signed = ("-" if value < 0 and shown != 0 else "") + match.group()
            unit = "%" if percent else _unit_word(text, match)
            return Plain(value, unit, digits, signed)
    return None


def _unit_word(text: str, match: re.Match[str]) -> str:
    """The word after (or before) a shown number that names its unit: 小时, 秒, h."""
    rest = (text[: match.start()] + text[match.end() :]).strip(_DECORATION)
    if rest and len(rest) <= _MAX_UNIT and not any(c.isdigit() or c.isspace() for c in rest):
        return rest
    return ""


def plain(cell: Cell, labels: Labels, *, numeric: bool = False) -> Plain:
    """What a file carries for ``cell`` (see the module's docstring)."""
    t = labels.of(LABELS)
    raw, text = cell.raw, cell.text
    if raw is None:
        return Plain(None if text in ("", "—") else text)
    if isinstance(raw, bool):
        return Plain(t("yes") if raw else t("no")) if t.lang == "zh" else Plain(raw)
    if isinstance(raw, datetime | date | int):
        return Plain(raw)
    if isinstance(raw, float | Decimal):
        if text in ("", "—"):
            return Plain(None)
        if len(_NUMBER.findall(text)) > 1:
            return Plain(text)  # a pair shown together (before → after): as the table shows it
        return _shown(float(raw), text) or Plain(raw)
    if isinstance(raw, str):
        if raw == "":
            return Plain(None)
        if t.lang == "zh" and text != raw and _CODE.match(raw):
            return Plain(None if text in ("", "—") else text)
        if _TIME.match(raw):
            return Plain(datetime.fromisoformat(raw))  # a time the result holds as text
        if numeric and _is_decimal(raw):
            digits = len(raw.partition(".")[2])
            return Plain(Decimal(raw), "", digits, raw)  # money in yuan: "39.90"
    return Plain(raw)


def _is_decimal(text: str) -> bool:
    body = text.removeprefix("-")
    whole, dot, part = body.partition(".")
    return whole.isdigit() and (not dot or part.isdigit()) and len(whole) < 12


@dataclass
class PlainTable:
    """A section as plain columns: each column's label (with its unit when all its rows share
    one), then the rows; a column whose rows differ in unit is followed by a unit column."""

    name: str
    title: str
    labels: list[str]
    rows: list[list[Plain]]
    formats: list[int | None]  # the decimals each number column shows (one for the column)


def plain_table(section: Section, labels: Labels, name: str | None = None) -> PlainTable:
    t = labels.of(LABELS)
    cells = [
        [plain(c, labels, numeric=col.numeric) for c, col in zip(row, section.columns, strict=True)]
        for row in section.rows
    ]
    headers: list[str] = []
    formats: list[int | None] = []
    plan: list[tuple[int, bool]] = []  # (column index, is the unit column after it)
    for i, column in enumerate(section.columns):
        filled = [row[i] for row in cells if row[i].value is not None]
        units = {p.unit for p in filled}
        digits = {p.digits for p in filled if p.digits is not None}
        label = column.label
        (unit,) = units if len(units) == 1 else ("",)
        if unit and f"({unit})" not in label.replace(" ", ""):
            label = f"{label} ({unit})"
        headers.append(label)
        formats.append(digits.pop() if len(digits) == 1 else None)
        plan.append((i, False))
        if len(units) > 1:
            headers.append(f"{column.label} {t('unit')}")
            formats.append(None)
            plan.append((i, True))
    rows = [
        [Plain(row[i].unit or None) if unit_column else row[i] for i, unit_column in plan]
        for row in cells
    ]
    return PlainTable(name or section.key, section.title, headers, rows, formats)


# ---------------------------------------------------------------- which tables


def named_tables(result: Renderable, doc: Document, labels: Labels) -> dict[str, Section]:
    """Every table ``result`` shows, by name: its document's sections, and for the shop
    report each section's own tables as ``pickup.watchlist`` (the report's page shows them)."""
    tables: dict[str, Section] = {}
    for section in doc.sections:
        tables[_unique(tables, section.key)] = section
    reports = _section_reports(result)
    for part, report in reports.items():
        for section in report.document(labels).sections:
            tables[_unique(tables, f"{part}.{section.key}")] = section
    return tables


def _section_reports(result: Renderable) -> dict[str, Renderable]:
    from tmallcli.render.report import ShopSummary

    if not isinstance(result, ShopSummary):
        return {}
    return {key: report for key, report in result.sections.items() if report is not None}


def _unique(taken: dict[str, Section], name: str) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    return candidate


def pick_table(result: Renderable, doc: Document, labels: Labels, name: str) -> Section:
    """The table ``--table NAME`` names; exit 2 listing the names when there is none."""
    for section in doc.sections:
        if section.key == name:
            return section
    tables = named_tables(result, doc, labels)
    if name in tables:
        return tables[name]
    raise UsageError(f"--table {name}: no such table here; the tables are: {', '.join(tables)}")


def only(doc: Document, section: Section) -> Document:
    """``doc`` with one table: its title and lines, then ``section``."""
    return replace(doc, sections=[section])
