"""A file Polars could not read, or a cell that is not a value, said as the seller can find it:
the file, the line an editor shows, the column and the value.

Only the error path comes here: the hot path carries a small integer per row (``_bad``, the
row's first bad column) and the wording and the raw cells are gathered afterwards, for the
bad rows alone.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

import polars as pl

from tmallcli.errors import InputError
from tmallcli.exports.csv_scan import first_line, parsed
from tmallcli.exports.headers import ColumnMapping
from tmallcli.exports.kinds import KindSpec
from tmallcli.exports.source import Source
from tmallcli.exports.structure import SHEET_ENCODINGS, named_width, ragged_error, record_fields
from tmallcli.i18n import tr


def record_lines(source: Source, rows: Iterable[int]) -> dict[int, int]:
    """The text-editor lines (header = 1) on which data records ``rows`` (0-based) start.

    A quoted field may span lines (a buyer's comment with a line break), so the line is
    counted by the csv module (:func:`~tmallcli.exports.structure.record_fields`), on the error path only.
    """
    wanted = set(rows)
    if source.encoding in SHEET_ENCODINGS or not wanted:
        # A sheet converted to CSV: the sheet row, counting the empty rows above the header.
        return {row: row + 2 + source.line_offset for row in wanted}
    found = record_fields(source, wanted)
    # Past a record the csv module cannot read (a field over its size limit): count rows.
    return {row: found[row][0] if row in found else row + 2 for row in wanted}


def record_line(source: Source, row: int) -> int:
    return record_lines(source, [row])[row]


def diagnose_structure(source: Source, exc: BaseException) -> InputError:
    """Polars could not parse the file: find the first broken record with the csv module."""
    with source.csv_path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        reader = csv.reader(handle, strict=True)
        width = None
        start = 1
        try:
            for record in reader:
                if width is None:
                    width = len(record)
                elif len(record) > width:
                    return InputError(
                        source.display,
                        tr(
                            "ragged row: {fields} fields where the header has {width}",
                            fields=len(record),
                            width=width,
                        ),
                        line=start,
                    )
                start = reader.line_num + 1
        except csv.Error as err:
            return InputError(
                source.display,
                tr("broken CSV ({err}); the file may be truncated in a quoted field", err=err),
                line=start,
            )
    return InputError(
        source.display, tr("cannot parse the file ({first_line})", first_line=first_line(exc))
    )


def describe(
    kind: KindSpec,
    source: Source,
    mapping: ColumnMapping,
    wanted: list[str],
    rows: pl.Series | None = None,
) -> pl.DataFrame:
    """One row per bad cell: ``_row``, ``column``, ``problem``, ``value`` (every bad cell of a row,
    in column order). ``rows`` limits the work to those records (the reader's error path)."""
    lazy, present = parsed(kind, source, mapping, wanted)
    if rows is not None:
        lazy = lazy.filter(pl.col("_row").is_in(rows.implode()))
    parts = [
        lazy.select(
            "_row",
            pl.lit(name).alias("column"),
            pl.col(f"_p{i}").alias("problem"),
            pl.col(f"_r{i}").fill_null("").alias("value"),
            pl.lit(i, pl.Int16).alias("_check"),
        ).filter(pl.col("problem").is_not_null())
        for i, name in enumerate(present)
    ]
    if not parts:
        return pl.DataFrame(
            schema={
                "_row": pl.UInt32,
                "column": pl.String,
                "problem": pl.String,
                "value": pl.String,
            }
        )
    return pl.concat(parts).collect().sort("_row", "_check").drop("_check")


def handle_problems(
    kind: KindSpec,
    bad: pl.DataFrame,
    sources: list[Source],
    mappings: list[ColumnMapping],
    wanted: list[str],
    warnings: list[dict[str, Any]],
    *,
    skip_bad_rows: bool,
) -> None:
    """``bad`` (``_file``, ``_row``, ``_bad``): the first one is an error, or with
    ``skip_bad_rows`` every one is counted into ``warnings`` by column and problem."""
    if bad.height == 0:
        return
    if not skip_bad_rows:
        index, row_index = bad.sort("_file", "_row").select("_file", "_row").row(0)
        source = sources[index]
        cells = describe(kind, source, mappings[index], wanted, pl.Series([row_index]))
        name, problem, value = cells.row(0)[1:]
        header = mappings[index].found.get(name, kind.column(name).aliases[0]).strip()
        record = record_fields(source, [row_index]).get(row_index)
        if record is not None and record[1] < (width := named_width(source)):
            # Cells missing because the row is short: say so, not "missing value".
            raise ragged_error(source, record[1], width, record[0])
        raise InputError(
            source.display,
            tr(problem),
            line=record_line(source, row_index) if record is None else record[0],
            column=f"{header} ({name})",
            value=value,
            hint=tr(
                "{height} row(s) with bad values in {name}; --skip-bad-rows drops such rows and reports them",
                height=bad.height,
                name=kind.name,
            ),
        )
    for index in bad.get_column("_file").unique().sort().to_list():
        rows = bad.filter(pl.col("_file") == index).get_column("_row")
        display = sources[index].display
        cells = describe(kind, sources[index], mappings[index], wanted, rows)
        # A row is dropped once, under its first bad column (the one _bad names).
        per_row = cells.group_by("_row").agg(pl.col("column").first(), pl.col("problem").first())
        counts = per_row.group_by("column", "problem").len().sort("column", "problem")
        for row in counts.iter_rows(named=True):
            warnings.append(
                {
                    "kind": kind.name,
                    "file": display,
                    "column": row["column"],
                    "problem": row["problem"],
                    "rows_dropped": row["len"],
                    "message": tr(
                        "{file}: dropped {rows} row(s): column {column}: {problem}",
                        file=display,
                        rows=row["len"],
                        column=row["column"],
                        problem=tr(row["problem"]),
                    ),
                }
            )
