"""Workbooks as CSV: ``.xlsx`` and real BIFF ``.xls`` via python-calamine, and XML
Spreadsheet 2003 files saved as ``.xls``. Every cell is written as the seller sees it in
Excel (:func:`excel_text`), one CSV line per sheet row."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from tmallcli.errors import InputError
from tmallcli.exports.decoding import TextPlan, decoded
from tmallcli.exports.paths import os_problem
from tmallcli.exports.source import Source, converted, text_writer
from tmallcli.i18n import tr

# Excel keeps 15 significant digits: an integer of 16+ digits stored as a number (an
# 18/19-digit 订单编号 typed or pasted into Excel) has lost its last digits and cannot
# be recovered. Such cells are written as Excel shows them (1.23457E+18) so the ID
# check downstream rejects them instead of joining on a wrong ID.
EXCEL_EXACT_INT_LIMIT = 10**15


ZIP_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
SPREADSHEET_ML_NS = "urn:schemas-microsoft-com:office:spreadsheet"


def open_workbook(
    path: Path, head: bytes, *, sheet: str | None, workdir: Path, display: str
) -> Source:
    import python_calamine

    is_zip = head.startswith(ZIP_SIGNATURE)
    suffix_fits = (path.suffix.lower() in (".xlsx", ".xlsm")) == is_zip
    try:
        if suffix_fits:
            workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        else:  # an .xlsx saved as .xls or the reverse: let calamine sniff the bytes
            with path.open("rb") as handle:
                workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
        names = list(workbook.sheet_names)
        if not names:
            raise InputError(display, tr("the workbook holds no sheet"))
        name = _pick_sheet(workbook, names, sheet, display)
        worksheet = workbook.get_sheet_by_name(name)
        rows = worksheet.iter_rows()
        leading = 0

        def write(out: IO[bytes]) -> None:
            nonlocal leading
            writer, close = text_writer(out)
            try:
                written, leading = write_sheet_rows(writer, rows)
            finally:
                close()
            if written == 0:
                raise InputError(display, tr("empty sheet {name!r} (no header row)", name=name))

        csv_path = converted(path, workdir, write)
    except python_calamine.PasswordError:
        raise InputError(display, tr("the workbook is password-protected")) from None
    except python_calamine.CalamineError as exc:
        hint = "an encrypted .xlsx is stored this way" if not is_zip else None
        raise InputError(
            display, tr("cannot read the Excel workbook: {exc}", exc=exc), hint=hint
        ) from None
    except OSError as exc:
        raise InputError(display, os_problem(exc)) from None
    return Source(
        display=display,
        path=path,
        csv_path=csv_path,
        encoding="xlsx" if is_zip else "xls",
        line_offset=leading,
    )


def sheet_names(path: Path) -> list[str]:
    """The visible sheets of a workbook, in order ([] for a file that is not one, or cannot
    be read: opening it says why). A hidden sheet is a lookup table, not an export."""
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        return []
    import python_calamine

    try:
        with path.open("rb") as handle:
            if not handle.read(8).startswith((ZIP_SIGNATURE, OLE2_SIGNATURE)):
                return []
        return visible_sheets(python_calamine.CalamineWorkbook.from_path(str(path)))
    except (OSError, python_calamine.CalamineError):
        return []


def visible_sheets(workbook: Any) -> list[str]:
    """The names of an open workbook's visible sheets, in order."""
    import python_calamine

    shown = python_calamine.SheetVisibleEnum.Visible
    return [meta.name for meta in workbook.sheets_metadata if meta.visible == shown]


def _pick_sheet(workbook: Any, names: list[str], sheet: str | None, display: str) -> str:
    if sheet is None:
        # The first visible sheet: a hidden first sheet is a lookup table, not the export.
        import python_calamine

        shown = python_calamine.SheetVisibleEnum.Visible
        visible = [meta.name for meta in workbook.sheets_metadata if meta.visible == shown]
        return visible[0] if visible else names[0]
    if sheet in names:
        return sheet
    loose = [name for name in names if name.strip().casefold() == sheet.strip().casefold()]
    if len(loose) == 1:
        return loose[0]
    listed = ", ".join(repr(name) for name in names)
    raise InputError(
        display, tr("no sheet named {sheet!r} (sheets: {listed})", sheet=sheet, listed=listed)
    )


def write_sheet_rows(writer: Any, rows: Iterable[list[Any]]) -> tuple[int, int]:
    """Write every row as text; returns (rows written, empty rows skipped above the header).

    Empty rows above the header and after the last row are dropped; empty rows in
    between are kept so that a CSV line still maps to one sheet row.
    """
    text = excel_text
    written = 0
    leading = 0
    held_empty = 0
    width = 0
    for row in rows:
        cells = [value if type(value) is str else text(value) for value in row]
        if not any(cells):
            if written:
                held_empty += 1
            else:
                leading += 1
            continue
        if held_empty:
            writer.writerows([[""] * max(width, 1)] * held_empty)
            written += held_empty
            held_empty = 0
        width = len(cells)
        writer.writerow(cells)
        written += 1
    return written, leading


def excel_text(value: object) -> str:
    """A cell as the seller sees it in Excel, for the text parser downstream."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            return ""
        if number.is_integer():
            if abs(number) >= EXCEL_EXACT_INT_LIMIT:
                return f"{number:.5E}"
            return str(int(number))
        # 15 significant digits, as Excel shows: 0.30000000000000004 -> 0.3
        return format(number, ".15g")
    if isinstance(value, dt.datetime):
        if value.microsecond >= 500_000:
            value += dt.timedelta(microseconds=1_000_000 - value.microsecond)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
        sign = "-" if seconds < 0 else ""
        hours, rest = divmod(abs(seconds), 3600)
        return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"
    if value is None:
        return ""
    return str(value)


def convert_spreadsheet_ml(
    path: Path, plan: TextPlan, *, sheet: str | None, workdir: Path, display: str
) -> Source:
    """XML Spreadsheet 2003: ``<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">``."""
    names: list[str] = []

    def write(out: IO[bytes]) -> None:
        writer, close = text_writer(out)
        try:
            rows = _spreadsheet_ml_rows(decoded(path, plan, display), sheet, names)
            written, _ = write_sheet_rows(writer, rows)
        except (ET.ParseError, ValueError) as exc:
            raise InputError(
                display, tr("cannot read the XML spreadsheet: {exc}", exc=exc)
            ) from None
        finally:
            close()
        if sheet is not None and sheet not in names:
            listed = ", ".join(repr(name) for name in names)
            raise InputError(
                display,
                tr("no sheet named {sheet!r} (sheets: {listed})", sheet=sheet, listed=listed),
            )
        if written == 0:
            raise InputError(display, tr("empty sheet (no header row)"))

    csv_path = converted(path, workdir, write)
    return Source(display=display, path=path, csv_path=csv_path, encoding="xml-xls")


def _spreadsheet_ml_rows(
    chunks: Iterable[str], sheet: str | None, names: list[str]
) -> Iterator[list[str]]:
    """Rows of the first worksheet (or the one named ``sheet``); collects sheet names."""
    ns = "{" + SPREADSHEET_ML_NS + "}"
    parser: Any = ET.XMLPullParser(events=("start", "end"))
    in_sheet = False
    done = False
    row: list[str] = []
    row_number = 0  # 1-based number of the last row yielded
    for chunk in chunks:
        parser.feed(chunk)
        for event, elem in parser.read_events():
            tag = elem.tag
            if event == "start":
                if tag == ns + "Worksheet":
                    name = elem.get(ns + "Name", "")
                    names.append(name)
                    in_sheet = not done and (sheet is None or name == sheet)
                elif in_sheet and tag == ns + "Row":
                    index = int(elem.get(ns + "Index") or row_number + 1)
                    for _ in range(row_number + 1, index):  # rows skipped by ss:Index
                        yield [""]
                    row_number = index
                    row = []
                continue
            if not in_sheet:
                if tag == ns + "Row":
                    elem.clear()
                continue
            if tag == ns + "Cell":
                index = int(elem.get(ns + "Index") or len(row) + 1)
                row.extend([""] * (index - 1 - len(row)))
                row.append(_spreadsheet_ml_value(elem.find(ns + "Data")))
                elem.clear()
            elif tag == ns + "Row":
                yield row
                elem.clear()
            elif tag == ns + "Worksheet":
                in_sheet, done = False, True
    parser.close()


def _spreadsheet_ml_value(data: ET.Element | None) -> str:
    if data is None:
        return ""
    text = "".join(data.itertext())
    kind = data.get("{" + SPREADSHEET_ML_NS + "}Type", "String")
    if kind == "Number":
        try:
            return excel_text(float(text))
        except ValueError:
            return text
    if kind == "DateTime":
        try:
            return excel_text(dt.datetime.fromisoformat(text))
        except ValueError:
            return text
    if kind == "Boolean":
        return "true" if text.strip() in ("1", "true", "TRUE") else "false"
    return text
