"""Ragged rows: records with fewer fields than the header.

Polars pads a short record with nulls and has no option to refuse it, and counting the
fields of every record costs a second tokenising pass over the file (the csv module reads
about 100 MB/s: it would double a large run). So short records are found where they matter,
without that pass (docs/DECISIONS.md, "Ragged rows"):

* the last record of a file, read from its tail: a download cut off mid-row is the usual
  source of a short row, and its empty cells would silently read as "not shipped yet";
* any record that already has a problem (a key cell missing, a bad value): on that error
  path the csv module walks to it anyway, and "ragged row" is the truer message.

A short record elsewhere whose missing cells are all optional is read with those cells
empty. Records with more fields than the header are always an error (Polars refuses them).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from tmallcli.errors import InputError
from tmallcli.exports.source import Source
from tmallcli.i18n import tr

# Converted sheets are written by the reader itself, one full row per sheet row.
SHEET_ENCODINGS = ("xlsx", "xls", "xml-xls", "html-xls")

# How much of a file's end is read to find its last record.
TAIL_SIZE = 64 << 10
# A line holding only these is an empty row (Excel writes ",,,," for emptied rows).
_BLANK = b" \t\r,"


def named_width(source: Source) -> int:
    """The header's field count, leaving out empty names at its end (a trailing comma)."""
    try:
        with source.csv_path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
            header = next(csv.reader(handle), [])
    except csv.Error:  # a header the csv module cannot split: Polars' own checks stand
        return 0
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    return width


def ragged_error(source: Source, fields: int, width: int, line: int) -> InputError:
    return InputError(
        source.display,
        tr("ragged row: {fields} fields where the header has {width}", fields=fields, width=width),
        line=line,
        hint=tr("the file may be truncated or damaged: export it again"),
    )


def short_last_record(source: Source) -> tuple[int, int, int] | None:
    """(line, fields, header width) when the file's last record is shorter than its header."""
    if source.encoding in SHEET_ENCODINGS:
        return None
    last = _last_record(source.csv_path)
    if last is None:
        return None
    offset, fields = last
    width = named_width(source)
    if fields >= width:
        return None
    return _line_of(source.csv_path, offset), fields, width


def check_last_record(source: Source) -> None:
    """Raise when the file's last record is shorter than its header (a truncated file)."""
    short = short_last_record(source)
    if short is not None:
        line, fields, width = short
        raise ragged_error(source, fields, width, line)


def record_fields(source: Source, rows: Iterable[int]) -> dict[int, tuple[int, int]]:
    """(text-editor line, field count) of each data record of ``rows`` (0-based).

    Walks the file with the csv module up to the last of them: the error path only.
    Empty for a converted sheet (its rows are whole by construction).
    """
    wanted = set(rows)
    found: dict[int, tuple[int, int]] = {}
    if source.encoding in SHEET_ENCODINGS or not wanted:
        return found
    last = max(wanted)
    with source.csv_path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        reader = csv.reader(handle)
        start = 1
        try:
            for index, record in enumerate(reader):
                if index - 1 in wanted:
                    found[index - 1] = (start, len(record))
                if index - 1 >= last:
                    break
                start = reader.line_num + 1
        except csv.Error:  # past a record the csv module cannot read, nothing is known
            pass
    return found


def _last_line(path: Path) -> tuple[int, bytes] | None:
    """(byte offset, bytes) of the last non-empty line, empty lines and lines of commas at the
    end skipped. None when there is no data line, or the line starts before the tail read."""
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        start = max(0, size - TAIL_SIZE)
        handle.seek(start)
        tail = handle.read()
    lines = tail.split(b"\n")
    end = len(lines)
    while end and not lines[end - 1].strip(_BLANK):
        end -= 1
    if end <= 1:
        return None  # the header alone, or a last line that starts before the tail
    return start + sum(len(part) + 1 for part in lines[: end - 1]), lines[end - 1]


def _last_record(path: Path) -> tuple[int, int] | None:
    """(byte offset, field count) of the last non-empty line when it is a whole record.

    The last line is a record of its own exactly when it holds an even number of quotes:
    with an odd number it closes a quoted field (a comment with a line break) opened on an
    earlier line, and is skipped. None also when the line is too long to read from the tail.
    """
    last = _last_line(path)
    if last is None:
        return None
    offset, line = last
    if line.count(b'"') % 2:
        return None
    try:
        record = next(csv.reader([line.decode("utf-8", "replace")]), [])
    except csv.Error:  # e.g. a bare carriage return inside a field: cannot tell
        return None
    return offset, len(record)


def ends_in_quoted_field(source: Source) -> bool:
    """Does the file's last line hold an odd number of quotes? Then it either closes a quoted
    field opened on an earlier line or leaves one open (a download cut inside a quoted
    field), which Polars reports only in a column it reads as text. A line too long for the
    tail counts as one."""
    if source.encoding in SHEET_ENCODINGS:
        return False
    last = _last_line(source.csv_path)
    if last is None:
        return source.csv_path.stat().st_size > TAIL_SIZE
    return last[1].count(b'"') % 2 == 1


def _line_of(path: Path, offset: int) -> int:
    """The text-editor line of the byte at ``offset`` (UTF-8: no character holds 0x0A)."""
    lines = 1
    remaining = offset
    with path.open("rb") as handle:
        while remaining > 0:
            chunk = handle.read(min(1 << 20, remaining))
            if not chunk:
                break
            lines += chunk.count(b"\n")
            remaining -= len(chunk)
    return lines
