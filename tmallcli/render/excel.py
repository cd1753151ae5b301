"""Every table of a command as an Excel workbook, one sheet each (SPEC §14, ``-o FILE.xlsx``).

The people who send the red packets work in Excel: an order number must stay the 19 digits it
is (text, never 3.20517E+17), an amount a number they can sum (two decimals shown), a time a
real Excel date they can filter. The cells are the CSV's plain values
(:mod:`tmallcli.render.plain`), typed: Polars' ``write_excel`` writes them through XlsxWriter,
a number keeping its full value with the table's decimals as its number format.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

    from tmallcli.render.document import Section
    from tmallcli.render.labels import Labels
    from tmallcli.render.plain import Plain

SHEET_NAME_MAX = 31  # Excel's limit
_NOT_IN_SHEET_NAMES = str.maketrans({c: "_" for c in "[]:*?/\\"})
DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def sheet_names(names: list[str]) -> list[str]:
    """The table names as sheet names: Excel's forbidden characters replaced, cut to 31
    characters, made unique (a cut name that collides gets ``~2``, ``~3`` …)."""
    taken: set[str] = set()
    out = []
    for name in names:
        base = name.translate(_NOT_IN_SHEET_NAMES)[:SHEET_NAME_MAX] or "table"
        candidate, n = base, 2
        while candidate.lower() in taken:
            suffix = f"~{n}"
            candidate, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
        taken.add(candidate.lower())
        out.append(candidate)
    return out


def _column(values: list[Plain]) -> tuple[str, Any]:
    """(kind, Polars dtype) of one column: dates, times and numbers typed when every filled
    cell is one; text otherwise (an ID is a str and stays text)."""
    import polars as pl

    filled = [p.value for p in values if p.value is not None]
    if filled and all(isinstance(v, datetime) for v in filled):
        return "time", pl.Datetime("us")
    if filled and all(isinstance(v, date) and not isinstance(v, datetime) for v in filled):
        return "date", pl.Date
    numbers = (int, float, Decimal)
    if filled and all(isinstance(v, numbers) and not isinstance(v, bool) for v in filled):
        if all(isinstance(v, int) for v in filled):
            return "int", pl.Int64
        return "number", pl.Float64
    return "text", pl.String


def _cell(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "number":
        return float(value)
    if kind == "text":
        return value if isinstance(value, str) else str(value)
    return value


def sheet_frame(section: Section, labels: Labels) -> tuple[pl.DataFrame, dict[str, str]]:
    """One table as a frame and the number format of each column."""
    import polars as pl

    from tmallcli.render.plain import plain_table

    table = plain_table(section, labels)
    columns: dict[str, Any] = {}
    formats: dict[str, str] = {}
    for i, label in enumerate(table.labels):
        name = label if label not in columns else f"{label} ({i + 1})"
        values = [row[i] for row in table.rows]
        kind, dtype = _column(values)
        columns[name] = pl.Series(name, [_cell(p.value, kind) for p in values], dtype=dtype)
        digits = table.formats[i]
        if kind == "number":
            formats[name] = "0" if digits == 0 else "0." + "0" * digits if digits else "General"
        elif kind == "time":
            formats[name] = TIME_FORMAT
        elif kind == "date":
            formats[name] = DATE_FORMAT
    return pl.DataFrame(list(columns.values())), formats


def workbook_bytes(tables: dict[str, Section], labels: Labels) -> bytes:
    """The tables as an .xlsx workbook, one sheet per table named as ``--table`` names it."""
    try:
        from xlsxwriter import Workbook
    except ImportError:  # an install made before xlsxwriter became a dependency
        from tmallcli.errors import OutputError

        raise OutputError(
            "writing .xlsx needs the xlsxwriter package: reinstall tmall (pip install -e .) "
            "or pip install xlsxwriter"
        ) from None

    buffer = io.BytesIO()
    # strings_to_numbers off (the default): an order number written as a str stays text.
    with Workbook(buffer, {"in_memory": True}) as book:
        for name, section in zip(sheet_names(list(tables)), tables.values(), strict=True):
            frame, formats = sheet_frame(section, labels)
            frame.write_excel(
                workbook=book,
                worksheet=name,
                column_formats=formats or None,  # type: ignore[arg-type]
                autofit=True,
                autofilter=bool(frame.height),
                freeze_panes=(1, 0),
            )
    return buffer.getvalue()
