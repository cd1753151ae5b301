"""Write a command result as table, JSON, CSV or Markdown, to stdout or atomically to a file."""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import tempfile
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tmallcli.errors import OutputError
from tmallcli.i18n import tr
from tmallcli.render.labels import Labels

if TYPE_CHECKING:
    from tmallcli.render.document import Document, Renderable, Section
    from tmallcli.runs.freshness import Freshness

BOM = "\ufeff"


def _json_default(value: Any) -> Any:
    """What orjson leaves to us: times as the seller center writes them, exact fractions."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json_bytes(
    result: Renderable,
    input_warnings: list[dict[str, Any]],
    freshness: Freshness | None = None,
) -> bytes:
    """The result as indented JSON: dataclasses as objects, enums as their values, times as
    ``2026-11-20 09:30:00``, dates ISO 8601, exact fractions as floats.

    orjson walks dataclasses, enums and containers in Rust: a 1 M-order compensation run's
    17 MB of JSON took ~3 s through a Python walk and :mod:`json`. The UTF-8 bytes are written
    as they are (a 10 M-order run's 170 MB decoded to text and encoded again cost 1-2 s).
    """
    import orjson

    payload = result.to_json()
    payload["input_warnings"] = input_warnings
    if freshness is not None:
        from tmallcli.render.freshness import freshness_json

        payload.update(freshness_json(freshness))
    options = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
    return orjson.dumps(payload, default=_json_default, option=options) + b"\n"


def _excel_text(value: Any) -> Any:
    """A long number kept as text for Excel: ``="123456789012345678"`` (the wrapper the seller
    center itself uses). Excel shows 12+ digit numbers as 1.23457E+17 and keeps 15 digits."""
    if isinstance(value, str) and len(value) >= 12 and value.isdigit():
        return f'="{value}"'
    return value


def section_csv(section: Section, labels: Labels, *, excel: bool = False) -> str:
    """The section as CSV, its values plain (:mod:`tmallcli.render.plain`) in the language of
    ``labels``; ``excel`` protects order and tracking numbers from Excel."""
    from tmallcli.render.plain import plain_table

    table = plain_table(section, labels)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.labels)
    for row in table.rows:
        values = ["" if p.value is None else p.value if p.text is None else p.text for p in row]
        writer.writerow([_excel_text(v) for v in values] if excel else values)
    return buffer.getvalue()


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def document_markdown(doc: Document) -> str:
    out = [f"# {doc.title}", ""]
    out.extend(f"- {_md_escape(text)}" for text, _ in doc.lines)
    for section in doc.sections:
        out += ["", f"## {section.title}", ""]
        out.append("| " + " | ".join(_md_escape(c.label) for c in section.columns) + " |")
        out.append(
            "| " + " | ".join("---:" if c.numeric else "---" for c in section.columns) + " |"
        )
        out.extend(
            "| " + " | ".join(_md_escape(c.text) for c in row) + " |" for row in section.rows
        )
        out.extend(f"\n{_md_escape(note)}" for note in section.notes)
    return "\n".join(out) + "\n"


# A cell that must never be cut or folded: an order / refund / tracking number, a time, an
# amount, a count, a rate (digits and the signs they come with; a date and its time).
_UNBREAKABLE = re.compile(
    r"^[¥￥+\-]?[0-9A-Za-z][0-9A-Za-z.,:/%+\-_#]*(?: [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?$"
)
_NARROWEST_TEXT = 4  # the least a text column folds down to


def _unbreakable_width(section: Section, index: int) -> int | None:
    """The width a column needs to show each of its cells whole, when every cell is an ID,
    a time or a number (None: a text column, which may fold)."""
    from rich.cells import cell_len

    widest = 0
    for row in section.rows:
        text = row[index].text
        if text in ("", "—"):
            continue
        if any(c.isdigit() for c in text) and _UNBREAKABLE.match(text):
            widest = max(widest, cell_len(text))
        else:
            return None
    return widest or None


def print_rich(doc: Document, file: Any) -> None:
    """The document as Rich tables. An ID, time or money column never shrinks (SPEC §14: a
    19-digit order number is never shown as ``3205…``): text columns fold instead, and a
    table that cannot fit the width even so is drawn wider than it (the terminal scrolls)."""
    import os

    from rich.console import Console
    from rich.text import Text

    console = Console(file=file, soft_wrap=False, highlight=False)
    if not console.is_terminal and not os.environ.get("COLUMNS", "").strip().isdigit():
        # A pipe or a file: do not squeeze tables into 80 columns (unless COLUMNS says so).
        console.width = max(console.width, 160)
    console.print(Text(doc.title, style="bold"))
    for text, style in doc.lines:
        console.print(Text(text, style=style or ""))
    for section in doc.sections:
        console.print()
        _print_section(console, section)


def _print_section(console: Any, section: Section) -> None:
    """One section as a table: ID, time and money columns at their full width, the text
    columns sharing what is left (folded, each at least a few characters wide)."""
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    widths = [_unbreakable_width(section, i) for i in range(len(section.columns))]
    texts = sum(w is None for w in widths)
    fixed = 1 + sum(w + 3 for w in widths if w is not None) + 3 * texts
    natural = sum(
        max([cell_len(column.label)] + [cell_len(row[i].text) for row in section.rows])
        for i, column in enumerate(section.columns)
        if widths[i] is None
    )
    # Only when the text does not fit beside the IDs does each text column get an even share.
    share = None
    if texts and fixed + natural > console.width:
        share = max(_NARROWEST_TEXT, (console.width - fixed) // texts)
    table = Table(title=section.title, title_justify="left", title_style="bold")
    for column, width in zip(section.columns, widths, strict=True):
        justify: Literal["left", "right"] = "right" if column.numeric else "left"
        if width is None:
            table.add_column(column.label, justify=justify, overflow="fold", max_width=share)
        else:
            table.add_column(column.label, justify=justify, no_wrap=True, min_width=width)
    for row in section.rows:
        table.add_row(*(Text(c.text, style=c.style or "") for c in row))
    width = console.width
    console.width = max(width, fixed + (share or 0) * texts)  # wider than the screen: it scrolls
    try:
        console.print(table)
    finally:
        console.width = width
    for note in section.notes:
        console.print(Text(note, style="dim"))


def write_atomic(path: Path, data: bytes) -> None:
    """Temp file in the same folder + rename: a reader never sees half a report.

    A target that exists and is not a regular file (``/dev/null``, a pipe, ``/dev/stdout``)
    is written in place: renaming over it would replace the device itself.
    """
    if path.exists() and not path.is_file():
        try:
            with path.open("wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise OutputError(
                tr("{path}: cannot write the output ({strerror})", path=path, strerror=exc.strerror)
            ) from None
        return
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(
            tr("{path}: cannot write the output ({strerror})", path=path, strerror=exc.strerror)
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp creates 0600; a report or a payout list gets the mode any new file would.
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(
            tr("{path}: cannot write the output ({strerror})", path=path, strerror=exc.strerror)
        ) from None


def emit(
    result: Renderable,
    *,
    fmt: str,
    output: Path | None,
    bom: bool,
    lang: str,
    input_warnings: list[dict[str, Any]],
    freshness: Freshness | None = None,
    table: str | None = None,
) -> None:
    """Write ``result`` as ``fmt``; ``table`` (``--table NAME``) keeps one of its tables."""
    if fmt == "json":
        data = to_json_bytes(result, input_warnings, freshness)
        if output is None:
            write_stdout(data)
        else:
            write_atomic(output, data)
        return
    from tmallcli.render.plain import named_tables, only, pick_table

    labels = Labels(lang)  # made once here, handed to the document
    if fmt == "yaml":  # `tmall config show`: the YAML its result writes
        _write_text(result.yaml(), output)  # type: ignore[attr-defined]
        return
    doc = result.document(labels)
    chosen = None if table is None else pick_table(result, doc, labels, table)
    if fmt == "xlsx":
        from tmallcli.render.excel import workbook_bytes

        tables = {table: chosen} if table and chosen else named_tables(result, doc, labels)
        assert output is not None  # resolved_format refuses a workbook to stdout
        write_atomic(output, workbook_bytes(tables, labels))
        return
    if chosen is not None:
        doc = only(doc, chosen)
    if fmt == "csv":
        # A CSV file with a BOM is meant for Excel on Chinese Windows: protect long IDs too.
        for_excel = output is not None and bom
        text = section_csv(doc.sections[0], labels, excel=for_excel) if doc.sections else ""
        if for_excel:
            text = BOM + text
    elif fmt == "md":
        text = document_markdown(doc)
    else:
        if output is None:
            print_rich(doc, sys.stdout)
            return
        buffer = io.StringIO()
        print_rich(doc, buffer)
        text = buffer.getvalue()
    _write_text(text, output)


def _write_text(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomic(output, text.encode("utf-8"))


def write_stdout(data: bytes) -> None:
    """UTF-8 bytes to stdout, past the text layer when there is one to go past."""
    sys.stdout.flush()
    raw = getattr(sys.stdout, "buffer", None)
    if raw is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        raw.write(data)
        raw.flush()
