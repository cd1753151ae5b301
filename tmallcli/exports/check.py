"""``tmall data check``: what a file is, how its columns map, and every problem in it."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl

from tmallcli.errors import InputError
from tmallcli.exports.csv_scan import read_headers
from tmallcli.exports.diagnosis import describe, diagnose_structure, record_lines
from tmallcli.exports.headers import (
    ColumnMapping,
    classify,
    describe_missing,
    map_columns,
    normalize_header,
)
from tmallcli.exports.kinds import KINDS, KindSpec
from tmallcli.exports.reader import ExportReader
from tmallcli.exports.source import Source
from tmallcli.exports.structure import named_width, record_fields, short_last_record
from tmallcli.exports.user_mapping import NO_MAPPING, UserMapping
from tmallcli.frames import repeats

EXAMPLES_PER_PROBLEM = 3


@dataclass
class ColumnCheck:
    name: str
    header: str | None
    required: bool


@dataclass
class Problem:
    column: str | None
    problem: str
    count: int
    examples: list[dict[str, object]] = field(default_factory=list)  # {"line", "value"}


@dataclass
class FileCheck:
    file: str
    encoding: str
    kind: str | None
    headers: list[str]
    columns: list[ColumnCheck]
    unmapped: list[str]
    rows: int
    date_range: tuple[datetime | None, datetime | None]
    problems: list[Problem]
    # Columns the kind's rules want that the file lacks: the commands fall back (SPEC §2.1).
    missing_expected: list[str] = field(default_factory=list)
    # Not recognised: the best-scoring kind (what the file lacks is in ``problems``).
    closest: str | None = None
    # A commented ``columns:`` block for tmall.yaml mapping the headers not mapped (or None).
    suggestion: str | None = None


def check_file(reader: ExportReader, path: Path, kind_name: str | None = None) -> FileCheck:
    check = _check_file(reader, path, kind_name)
    check.suggestion = columns_block(check, reader.options.mapping)
    return check


def _check_file(reader: ExportReader, path: Path, kind_name: str | None = None) -> FileCheck:
    source = reader.source(path)
    headers = read_headers(source)
    user = reader.options.mapping
    if kind_name is not None:
        mapping = map_columns(KINDS[kind_name], headers, user)
    else:
        classified = classify(headers, user)
        if classified.mapping is None:
            closest = classified.closest
            line = classified.closest_line()
            unrecognised = "kind not recognised from the headers" + (
                "" if line is None else f"; {line}"
            )
            unrecognised += " (give --kind)"
            return FileCheck(
                source.display,
                source.encoding,
                None,
                headers,
                [],
                headers,
                0,
                (None, None),
                [Problem(None, unrecognised, 1)],
                closest=None if closest is None else closest.kind.name,
            )
        mapping = classified.mapping
    kind = mapping.kind
    missing_expected = [
        describe_missing(kind, name) for name in kind.expected if name not in mapping.found
    ]
    columns = [ColumnCheck(c.name, mapping.found.get(c.name), c.required) for c in kind.columns]
    mapped = set(mapping.found.values())
    unmapped = [h for h in headers if h not in mapped and normalize_header(h)]
    problems = [
        Problem(name, f"missing required column ({' / '.join(kind.column(name).aliases)})", 1)
        for name in mapping.missing_required
    ]
    wanted = [c.name for c in kind.columns if c.name in mapping.found]
    date_column = kind.date_column if kind.date_column in wanted else None
    # Per record only its number, first bad column, date and a hash of its values: a 30 M-row
    # tracking export as 26 bytes a row instead of every typed cell.
    summary = [
        pl.col("_row"),
        pl.col("_bad"),
        pl.lit(None, pl.Datetime("us")) if date_column is None else pl.col(date_column),
        # (No column of the kind found: nothing to compare, every row is "distinct".)
        pl.struct(wanted).hash(0).alias("_hash") if wanted else pl.col("_row").alias("_hash"),
    ]
    try:
        source, frame = reader.scan(kind, source, mapping, wanted, lambda r: r.select(summary))
        bad = (
            describe(kind, source, mapping, wanted)
            if frame["_bad"].null_count() < frame.height
            else None
        )
    except (InputError, pl.exceptions.PolarsError) as exc:
        error = exc if isinstance(exc, InputError) else diagnose_structure(source, exc)
        problems.append(Problem(None, error.message, 1))
        return FileCheck(
            source.display,
            source.encoding,
            kind.name,
            headers,
            columns,
            unmapped,
            0,
            (None, None),
            problems,
            missing_expected,
        )
    if bad is None:
        bad = pl.DataFrame(
            schema={
                "_row": pl.UInt32,
                "column": pl.String,
                "problem": pl.String,
                "value": pl.String,
            }
        )
    date_range: tuple[datetime | None, datetime | None] = (None, None)
    if date_column is not None:
        dates = frame.get_column(date_column)
        date_range = (dates.min(), dates.max())  # type: ignore[assignment]
    bad_cells = bad
    # A row with cells missing because it is short is one ragged row, not bad values.
    width = named_width(source)
    records = record_fields(source, bad.get_column("_row").unique().to_list())
    short = sorted((line, fields) for line, fields in records.values() if fields < width)
    short_rows = [row for row, (_, fields) in records.items() if fields < width]
    bad = bad.filter(~pl.col("_row").is_in(short_rows))
    last = short_last_record(source)  # a truncated file's last row, bad values or not
    if last is not None and last[0] not in {line for line, _ in short}:
        short.append((last[0], last[1]))
    if short:
        problems.append(
            Problem(
                None,
                f"ragged row: fewer fields than the header ({width})",
                len(short),
                [
                    {"line": line, "value": f"{n} fields"}
                    for line, n in short[:EXAMPLES_PER_PROBLEM]
                ],
            )
        )
    groups = (
        bad.group_by("column", "problem")
        .agg(
            pl.len().alias("count"),
            pl.col("_row").head(EXAMPLES_PER_PROBLEM).alias("rows"),
            pl.col("value").head(EXAMPLES_PER_PROBLEM).alias("values"),
        )
        .sort(["count", "column", "problem"], descending=[True, False, False])
    )
    lines = record_lines(source, [r for rows in groups.get_column("rows").to_list() for r in rows])
    for g in groups.iter_rows(named=True):
        header = mapping.found.get(g["column"], g["column"])
        problems.append(
            Problem(
                f"{header.strip()} ({g['column']})",
                g["problem"],
                g["count"],
                [
                    {"line": lines[r], "value": v}
                    for r, v in zip(g["rows"], g["values"], strict=True)
                ],
            )
        )
    duplicates = _duplicates(reader, kind, source, mapping, wanted, frame, bad_cells)
    if duplicates:
        problems.append(Problem(None, "exact duplicate rows (dropped when read)", duplicates))
    return FileCheck(
        source.display,
        source.encoding,
        kind.name,
        headers,
        columns,
        unmapped,
        frame.height,
        date_range,
        problems,
        missing_expected,
    )


def _duplicates(
    reader: ExportReader,
    kind: KindSpec,
    source: Source,
    mapping: ColumnMapping,
    wanted: list[str],
    summary: pl.DataFrame,
    bad_cells: pl.DataFrame,
) -> int:
    """How many records repeat an earlier one exactly. Only records whose hash repeats can:
    those alone are read again and compared by value."""
    candidates = summary.filter(repeats(summary.get_column("_hash"))).get_column("_row")
    if candidates.is_empty():
        return 0
    rows = reader.rows(kind, source, mapping, wanted, candidates)
    # A bad cell reads as empty: its raw text keeps two different bad rows apart.
    raw = bad_cells.group_by("_row").agg(pl.col("value").str.join("\x1f").alias("_raw"))
    keyed = rows.join(raw, on="_row", how="left").select(*wanted, "_raw")
    return keyed.height - keyed.unique().height


def check_files(reader: ExportReader, paths: list[Path], kind_name: str | None) -> list[FileCheck]:
    """Each file checked; a workbook of several sheets is checked sheet by sheet (SPEC §2.1:
    every sheet is a candidate), unless ``--sheet`` names one."""
    checks = []
    for path in [sheet for given in paths for sheet in reader.sheets(given)]:
        try:
            checks.append(check_file(reader, path, kind_name))
        except InputError as exc:
            checks.append(
                FileCheck(
                    str(path),
                    "?",
                    kind_name,
                    [],
                    [],
                    [],
                    0,
                    (None, None),
                    [Problem(None, exc.message, 1)],
                )
            )
    return checks


def columns_block(check: FileCheck, user: UserMapping = NO_MAPPING) -> str | None:
    """A ``columns:`` block for tmall.yaml, every line commented, mapping the headers the file's
    kind (for a file not recognised: the kind it matches most columns of) could not map: a
    header whose characters are mostly those of an alias of a missing required field is put
    under that field, every other one under ``FIELD`` for the user to name. None when every
    header is mapped or every field found."""
    kind = KINDS[check.kind] if check.kind is not None else _closest(check.headers, user)
    if kind is None:
        return None
    found = map_columns(kind, check.headers, user).found
    mapped = set(found.values())
    headers = [h.strip() for h in check.headers if h not in mapped and h.strip()]
    missing = [c for c in sorted(kind.columns, key=lambda c: not c.required) if c.name not in found]
    if not missing or not headers:
        return None
    guessed: dict[str, str] = {}
    # Only a required field is guessed: the one the file cannot be read without.
    for column in (c for c in missing if c.required):
        best = max(
            (h for h in headers if h not in guessed.values()),
            key=lambda h: _shared(h, column.aliases),
            default=None,
        )
        if best is not None and _shared(best, column.aliases) >= max(2, len(best) / 2):
            guessed[column.name] = best
    lines = [
        "# For tmall.yaml (SPEC §2.1): the headers tmall could not map. Uncomment the lines you",
        "# need and put before each header the field it holds (a header per line):",
        "# columns:",
        f"#   {kind.name}:",
    ]
    for name, header in guessed.items():
        column = kind.column(name)
        need = "required" if column.required else "optional"
        lines.append(
            f"#     {name}: {_yaml_text(header)}  # {need}; built in: {' / '.join(column.aliases)}"
        )
    lines += [f"#     FIELD: {_yaml_text(h)}" for h in headers if h not in guessed.values()]
    still = [c.name for c in missing if c.name not in guessed]
    if still:
        lines += textwrap.wrap(
            f"fields without a header: {', '.join(still)}",
            width=90,
            initial_indent="# ",
            subsequent_indent="#   ",
        )
    return "\n".join(lines)


def _closest(headers: list[str], user: UserMapping) -> KindSpec | None:
    """The kind with the most columns found among ``headers`` (None when none is found)."""
    scored = [(len(map_columns(k, headers, user).found), k) for k in KINDS.values()]
    count, kind = max(scored, key=lambda pair: pair[0])
    return kind if count else None


def _shared(header: str, aliases: tuple[str, ...]) -> int:
    """How many characters of ``header`` the most similar alias has too."""
    return max((len(set(header) & set(alias)) for alias in aliases), default=0)


def _yaml_text(text: str) -> str:
    """``text`` as a YAML scalar: quoted (JSON style) when YAML would read it otherwise."""
    if (
        text[:1] in "!&*-?|>'\"%@`{[]}#,"
        or any(c in text for c in ":#{}[],")
        or text != text.strip()
    ):
        return json.dumps(text, ensure_ascii=False)
    return text
