"""Load one kind of export from any number of files into one typed Polars frame.

Every file becomes a UTF-8 CSV (:mod:`tmallcli.exports.opening`; a GB18030 one is read as
it is when only ASCII columns of it are read, :meth:`ExportReader._read_lossily`), its
headers are mapped to canonical names (:mod:`tmallcli.exports.headers`), only the columns
the command needs are scanned, and each value is parsed by an expression
(:mod:`tmallcli.exports.values`).
A bad value is an :class:`~tmallcli.errors.InputError` naming file, line, column and
value, or with ``skip_bad_rows`` a dropped and counted row.
"""

from __future__ import annotations

import csv
import io
import threading
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from tmallcli.errors import InputError
from tmallcli.exports.decoding import header_line, transcoded, verify_source
from tmallcli.exports.headers import ColumnMapping, describe_missing, map_columns
from tmallcli.exports.kinds import KINDS, KindSpec, ValueType
from tmallcli.exports.opening import open_source
from tmallcli.exports.paths import expand_paths
from tmallcli.exports.source import Source
from tmallcli.exports.structure import (
    SHEET_ENCODINGS,
    check_last_record,
    ends_in_quoted_field,
    named_width,
    ragged_error,
    record_fields,
)
from tmallcli.exports.values import FAST_FORMS, PARSERS, clean, fast_parse, form_of, null_tokens
from tmallcli.render.progress import progress

POLARS_TYPES: dict[ValueType, pl.DataType] = {
    ValueType.MONEY: pl.Int64(),
    ValueType.DATETIME: pl.Datetime("us"),
    ValueType.BOOL: pl.Boolean(),
    ValueType.SHIPPED: pl.Boolean(),
    ValueType.INTERVENED: pl.Boolean(),
    ValueType.SCORE: pl.Int8(),
}
# Columns that tell two otherwise equal rows apart (two items of one order are not duplicates).
IDENTITY_COLUMNS: dict[str, tuple[str, ...]] = {
    "orders": ("sub_order_id", "item_id"),
    "reviews": ("item_id",),
    "refunds": ("refund_id",),
    "complaints": ("complaint_id",),
    # Two buyers can give one agent the same score and tag in the same second (a 1M-order
    # shop's ratings have a few such pairs): with a 买家 column they stay two ratings.
    "cs_ratings": ("buyer",),
}


# A fold of a kind's rows applied while they stream in (ExportReader.load ``reduce``). It must
# give the same result on its own output (files are folded one by one, then together), on
# any split of the rows, and whether or not exact duplicate rows are there: those are not
# counted for a reduced kind. It is hashable and compared by value (the load is cached).
# ``reduce(rows, apart)`` folds rows that differ in a column of ``apart`` apart and keeps
# rows where those are filled: the reader passes ``("_bad",)`` so that the bad rows of a file
# fold on their own, in the same single query (a second query sharing the scan makes
# Polars' streaming engine buffer the whole file for it: 7.3 GB instead of 2.7 GB for the
# 10 M-order shop's tracking export).
Reduce = Callable[[pl.LazyFrame, tuple[str, ...]], pl.LazyFrame]
# What ExportReader._collect runs over a file: (source, fast) → the queries, run together.
Queries = Callable[[Source, bool], list[pl.LazyFrame]]
T = TypeVar("T")


def polars_type(value_type: ValueType) -> pl.DataType:
    return POLARS_TYPES.get(value_type, pl.String())


@dataclass
class ReadOptions:
    encoding: str | None = None
    sheet: str | None = None
    skip_bad_rows: bool = False


@dataclass
class LoadedExport:
    """One kind of export, parsed: canonical column names, typed values."""

    kind: str
    frame: pl.DataFrame
    sources: list[Source]
    present: set[str]  # canonical columns that at least one file carries
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def lazy(self) -> pl.LazyFrame:
        return self.frame.lazy()

    def has(self, column: str) -> bool:
        return column in self.present


def read_headers(source: Source) -> list[str]:
    """The file's column names as Polars gives them (a ``lossy`` source's decoded first)."""
    try:
        if source.lossy:
            return pl.read_csv(io.BytesIO(header_line(source)), infer_schema=False).columns
        return pl.scan_csv(source.csv_path, infer_schema=False, glob=False).collect_schema().names()
    except pl.exceptions.PolarsError as exc:
        raise InputError(
            source.display, f"cannot read the header row ({_first_line(exc)})"
        ) from None


def mapping_for(kind: KindSpec, source: Source, headers: list[str]) -> ColumnMapping:
    mapping = map_columns(kind, headers)
    if mapping.missing_required:
        missing = ", ".join(describe_missing(kind, name) for name in mapping.missing_required)
        raise InputError(
            source.display,
            f"{kind.name} export ({kind.label}) is missing required column {missing}",
            hint=f"columns found: {', '.join(h.strip() for h in headers)}",
        )
    return mapping


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def record_lines(source: Source, rows: Iterable[int]) -> dict[int, int]:
    """The text-editor lines (header = 1) on which data records ``rows`` (0-based) start.

    A quoted field may span lines (a buyer's comment with a line break), so the line is
    counted by the csv module (:func:`record_fields`), on the error path only.
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
                        f"ragged row: {len(record)} fields where the header has {width}",
                        line=start,
                    )
                start = reader.line_num + 1
        except csv.Error as err:
            return InputError(
                source.display,
                f"broken CSV ({err}); the file may be truncated in a quoted field",
                line=start,
            )
    return InputError(source.display, f"cannot parse the file ({_first_line(exc)})")


def _lazy_csv(source: Source, reading: Iterable[str]) -> pl.LazyFrame:
    """The file's records, every column split, the columns ``reading`` (Polars' names) as text.

    Polars counts a record's fields only when it reads every column (:data:`EVERY_COLUMN`):
    with the projection pushed into the scan, a row with one field too many (an unquoted comma
    in a title shifts every later cell) would pass unseen. The columns not read are typed
    Boolean with parse errors ignored: split and counted, never built as strings (10 M
    orders, 2 of 21 columns read: 5.5 s → 3.3 s; the two columns alone, unchecked: 2.8 s).
    Polars still rejects invalid UTF-8 anywhere in the file. A quote broken in a column not
    read is no error here, so the reader reads the file with ``source.all_text`` when its
    last line holds an odd number of quotes (:meth:`ExportReader._collect`) or when Polars
    warns that its quoting is broken (:func:`_collect_checked`).
    """
    return pl.scan_csv(
        source.csv_path,
        glob=False,
        row_index_name="_row",
        raise_if_empty=False,
        **_csv_options(source, reading),
    )


def _csv_options(source: Source, reading: Iterable[str] | None = None) -> dict[str, Any]:
    """The options of a Polars CSV read of ``source`` with every cell as text and the columns
    named as :func:`read_headers` names them: a ``lossy`` source's from its decoded header,
    by place, its bytes read as ``utf8-lossy``. With ``reading`` (and not ``all_text``), the
    other columns are typed Boolean with parse errors ignored (see :func:`_lazy_csv`); a
    column read as text has no parse error to ignore."""
    kept = None if reading is None or source.all_text else set(reading)
    options: dict[str, Any] = {"infer_schema": False}
    names = read_headers(source) if source.lossy or kept is not None else []
    unread = [] if kept is None else [name for name in names if name not in kept]
    if source.lossy:
        schema = {name: pl.Boolean if name in unread else pl.String for name in names}
        options |= {"has_header": False, "skip_rows": 1, "encoding": "utf8-lossy", "schema": schema}
    elif unread:
        options["schema_overrides"] = dict.fromkeys(unread, pl.Boolean)
    if unread:
        # Only where a column is typed away: the option costs a quarter of a read of text
        # (10 M-order reviews, every column read: 1.5 s instead of 1.2 s).
        options["ignore_errors"] = True
    return options


EVERY_COLUMN = pl.QueryOptFlags(projection_pushdown=False)


class BrokenQuoting(pl.exceptions.ComputeError):
    """Polars warned that a file's quoting is broken where it did not read it as text."""


def _collect_checked(queries: list[pl.LazyFrame]) -> list[pl.DataFrame]:
    """The queries run together over every column (:data:`EVERY_COLUMN`). Polars' warning
    that a chunk's records did not come out as its quotes said (a quote left open in a
    column typed away by :func:`_lazy_csv`), or a panic of its reader, is raised as
    :class:`BrokenQuoting`."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frames = pl.collect_all(queries, engine="streaming", optimizations=EVERY_COLUMN)
        except pl.exceptions.PanicException as exc:
            # Polars 2.1 can panic on a quote broken in a column it types away (a fuzzed
            # UTF-16 file): read as text, where its own checks name the problem.
            raise BrokenQuoting(f"CSV malformed: {exc}") from None
    for warning in caught:
        if str(warning.message).startswith("CSV malformed"):
            raise BrokenQuoting(str(warning.message))
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return frames


# The bytes of a file's start whose records tell the forms of its columns (a few hundred rows).
HEAD_BYTES = 1 << 16


def _forms(
    kind: KindSpec, source: Source, mapping: ColumnMapping, present: list[str]
) -> dict[str, str]:
    """The form (:func:`~tmallcli.exports.values.form_of`) of each present money and time
    column in this file, from the records in its first 64 KB. A head that does not parse as
    CSV (it may end inside a quoted cell) leaves the usual forms: the fast path then finds
    any other form a problem and the file is read the tolerant way, as before."""
    typed = [name for name in present if kind.column(name).type in FAST_FORMS]
    if not typed:
        return {}
    try:
        with source.csv_path.open("rb") as file:
            head = file.read(HEAD_BYTES)
        head = head[: head.rfind(b"\n") + 1]
        columns = [mapping.found[n] for n in typed]
        sample = pl.scan_csv(io.BytesIO(head), **_csv_options(source)).select(columns).collect()
    except (OSError, InputError, pl.exceptions.PolarsError):
        return {}
    found = {
        name: form_of(sample.get_column(mapping.found[name]), kind.column(name).type)
        for name in typed
    }
    by_type: dict[ValueType, list[str]] = {}
    for name, form in found.items():
        if form is not None:
            by_type.setdefault(kind.column(name).type, []).append(form)
    # A column empty in the head (no return shipped yet) takes the form its file writes the
    # other columns of its type in; with none, the usual form (fast_parse's default).
    forms: dict[str, str] = {}
    for name, form in found.items():
        others = by_type.get(kind.column(name).type, [])
        if form is None and others:
            form = max(others, key=others.count)
        if form is not None:
            forms[name] = form
    return forms


def _fast_or_tolerant(build: Callable[[bool], list[pl.LazyFrame]]) -> list[pl.DataFrame]:
    """``build(fast)``'s queries in one streaming pass, the fast way first; the first result's
    ``_bad`` column says whether the fast path read every cell, else the tolerant way runs."""
    frames = _collect_checked(build(True))
    if frames[0].get_column("_bad").null_count() == frames[0].height:
        return frames
    # Some cell is not in the usual form (or is bad): read it the tolerant way.
    return _collect_checked(build(False))


def _parsed(
    kind: KindSpec,
    source: Source,
    mapping: ColumnMapping,
    wanted: list[str],
    *,
    fast: bool = False,
) -> tuple[pl.LazyFrame, list[str]]:
    """Every wanted column typed, plus ``_p<i>`` (problem text or null) and ``_r<i>`` (raw cell)
    for each present column ``i``; returns the frame and the present columns' names.

    Built in stages (raw → cleaned text → value and problem) so each cell is cleaned once:
    an expression tree that repeats the cleaning for every use costs ten times as much.
    ``fast`` parses the raw cells without cleaning them, each type in its usual form
    (:func:`~tmallcli.exports.values.fast_parse`; money and times in the form the file's
    first records use, :func:`_forms`); a cell in another form, or bad, is a
    problem, and :func:`_fast_or_tolerant` then reads the file again the tolerant way.
    """
    present = [name for name in wanted if name in mapping.found]
    forms = _forms(kind, source, mapping, present) if fast else {}
    stage_text = [pl.col("_row")]
    for i, name in enumerate(present):
        spec = kind.column(name)
        raw = pl.col(mapping.found[name])
        text = raw if fast else clean(raw, null_tokens(spec.type))
        stage_text += [raw.alias(f"_r{i}"), text.alias(f"_t{i}")]
    stage_value: list[pl.Expr] = [pl.col("_row"), *(pl.col(f"_r{i}") for i in range(len(present)))]
    stage_final: list[pl.Expr] = [pl.col("_row"), *(pl.col(f"_r{i}") for i in range(len(present)))]
    for name in wanted:
        spec = kind.column(name)
        if name not in mapping.found:
            stage_final.append(pl.lit(None, polars_type(spec.type)).alias(name))
            continue
        i = present.index(name)
        value, problem = (
            fast_parse(pl.col(f"_t{i}"), spec.type, forms.get(name))
            if fast
            else PARSERS[spec.type](pl.col(f"_t{i}"))
        )
        if source.lossy:
            # Read as UTF-8 from GB18030 bytes: a cell is its true text only when ASCII (a
            # non-ASCII byte reads as a character of its own); else the file is transcoded.
            raw_i = pl.col(f"_r{i}")
            problem = pl.coalesce(
                problem,
                pl.when(raw_i.str.len_bytes() != raw_i.str.len_chars()).then(pl.lit("not ASCII")),
            )
        stage_value += [value.cast(polars_type(spec.type)).alias(f"_v{i}"), problem.alias(f"_p{i}")]
        # A value is kept only where its cell has no problem; the value and its problem are
        # materialised first so neither expression is evaluated twice.
        final_problem = pl.col(f"_p{i}")
        if spec.not_null:
            final_problem = pl.coalesce(
                final_problem,
                pl.when(pl.col(f"_v{i}").is_null()).then(pl.lit("missing value in a key column")),
            )
        # (The fast path's result is used only when no cell has a problem: no mask needed.)
        value = pl.col(f"_v{i}")
        stage_final += [
            (value if fast else pl.when(pl.col(f"_p{i}").is_null()).then(value)).alias(name),
            final_problem.alias(f"_p{i}"),
        ]
    lazy = _lazy_csv(source, [mapping.found[name] for name in present]).select(stage_text)
    if present and not fast:
        # An empty line, or a row of empty cells (",,,," that Excel leaves), is no record.
        # Only the tolerant path drops them: every kind has a key column, so such a row is
        # a problem on the fast path, which sends the file here.
        lazy = lazy.filter(
            pl.any_horizontal(pl.col(f"_r{i}").is_not_null() for i in range(len(present)))
        )
    lazy = lazy.select(stage_value).select(stage_final)
    return lazy, present


def _scan(
    kind: KindSpec,
    source: Source,
    mapping: ColumnMapping,
    wanted: list[str],
    *,
    fast: bool = False,
) -> pl.LazyFrame:
    """Typed columns plus ``_bad``: the index of the row's first bad (present) column.

    The hot path carries only a small integer per row; the wording of a problem and its raw
    value are gathered afterwards, for the bad rows alone (:func:`_describe`).
    """
    lazy, present = _parsed(kind, source, mapping, wanted, fast=fast)
    first_bad: Any = None
    for i in range(len(present)):
        condition = pl.col(f"_p{i}").is_not_null()
        first_bad = (pl.when(condition) if first_bad is None else first_bad.when(condition)).then(
            pl.lit(i, pl.Int16)
        )
    bad = (
        pl.lit(None, pl.Int16) if first_bad is None else first_bad.otherwise(pl.lit(None, pl.Int16))
    )
    return lazy.select("_row", *wanted, bad.alias("_bad"))


def _typed_rows(
    kind: KindSpec, mapping: ColumnMapping, wanted: list[str], categories: frozenset[str]
) -> Queries:
    """The one query of a plain load: the typed rows with ``_bad`` (:func:`_scan`), the
    ``categories`` columns held as Categorical as they stream in (see :meth:`ExportReader.load`)."""
    cast = [pl.col(name).cast(pl.Categorical) for name in wanted if name in categories]

    def query(source: Source, fast: bool) -> list[pl.LazyFrame]:
        rows = _scan(kind, source, mapping, wanted, fast=fast)
        return [rows.with_columns(cast) if cast else rows]

    return query


def _describe(
    kind: KindSpec,
    source: Source,
    mapping: ColumnMapping,
    wanted: list[str],
    rows: pl.Series | None = None,
) -> pl.DataFrame:
    """One row per bad cell: ``_row``, ``column``, ``problem``, ``value`` (every bad cell of a row,
    in column order). ``rows`` limits the work to those records (the reader's error path)."""
    lazy, present = _parsed(kind, source, mapping, wanted)
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


class ExportReader:
    """Reads exports for one command run; transcoded copies live in ``workdir``."""

    def __init__(self, workdir: Path, options: ReadOptions) -> None:
        self.workdir = workdir
        self.options = options
        self._sources: dict[Path, Source] = {}
        self._opening: dict[Path, Future[Source]] = {}
        self._background: ThreadPoolExecutor | None = None
        self._stop = threading.Event()

    def source(self, path: Path, *, lossy: bool = False) -> Source:
        """The file as UTF-8 CSV; transcoded or converted once per run, however often asked.

        ``lossy``: a GB18030/GBK CSV not transcoded yet may stay so (:attr:`Source.lossy`),
        for a read of ASCII columns (:meth:`_read_lossily`) or of its headers."""
        key = path.resolve()
        cached = self._sources.get(key)
        if cached is not None and (lossy or not cached.lossy):
            return cached
        opening = self._opening.pop(key, None)
        if opening is not None:
            source = opening.result()
        elif cached is not None:
            source = transcoded(cached, workdir=self.workdir)
        else:
            source = open_source(
                path,
                encoding=self.options.encoding,
                sheet=self.options.sheet,
                workdir=self.workdir,
                transcode=not lossy,
            )
            if source.lossy and not _header_decodes(source):
                source = transcoded(source, workdir=self.workdir)
        self._sources[key] = source
        return source

    def prefetch(self, paths: Iterable[Path]) -> None:
        """Open (transcode) these files in the background, one after another, while the run
        reads others: a GB18030 copy is written at the disk's pace (the 10 M-order shop's
        3.2 GB tracking export: ~12 s), time the CPU spends parsing the orders meanwhile.
        :meth:`source` then waits for the file if it is not ready; its errors come from there,
        as they would have. Cheap for UTF-8 files (only their head is read)."""
        for path in paths:
            key = path.resolve()
            if key in self._sources or key in self._opening:
                continue
            if self._background is None:
                self._background = ThreadPoolExecutor(1, thread_name_prefix="tmall-open")
            self._opening[key] = self._background.submit(
                open_source,
                path,
                encoding=self.options.encoding,
                sheet=self.options.sheet,
                workdir=self.workdir,
                stop=self._stop,
            )

    def close(self) -> None:
        """Stop what is still being opened in the background (at most one chunk more)."""
        self._stop.set()
        if self._background is not None:
            self._background.shutdown(wait=True, cancel_futures=True)

    def load(
        self,
        kind_name: str,
        args: list[str] | list[Path],
        columns: Iterable[str] | None = None,
        reduce: Reduce | None = None,
        categories: Iterable[str] = (),
    ) -> LoadedExport:
        """The kind's rows from every file, typed, checked, de-duplicated (orders: folded).

        With ``reduce`` the rows are folded while each file streams in and never held whole
        (see :data:`Reduce`): a kind with tens of millions of rows costs the memory of its
        result, not of its rows.

        ``categories``: text columns of a few values repeated over every row (20 items, 5
        statuses over 10 M orders), held as Categorical from the read on: 4 bytes a row
        instead of a string, and the strings are never held whole (10 M orders: 0.8 GB less
        at the read's peak than casting the loaded frame). Equality, ``is_in`` and reading a
        row's value work as on the strings; ``str`` functions need a cast back.
        """
        kind = KINDS[kind_name]
        paths = expand_paths([str(a) for a in args], kind=kind_name)
        columns = None if columns is None else tuple(columns)  # read twice below
        lossy = _ascii_read(kind, columns)
        sources = [self.source(p, lossy=lossy) for p in paths]
        mappings = [mapping_for(kind, s, read_headers(s)) for s in sources]
        present = set().union(*(m.found for m in mappings))
        wanted = self._wanted(kind, columns, present)
        if reduce is not None:
            if categories:
                raise ValueError("categories apply to a plain load, not to a reduced one")
            return self._load_reduced(kind, sources, mappings, present, wanted, reduce)
        held = frozenset(categories)
        results = self._read_files(
            kind, sources, mappings, lambda mapping: _typed_rows(kind, mapping, wanted, held)
        )
        frames = [
            frame.with_columns(pl.lit(index, pl.UInt32).alias("_file"))
            for index, (frame,) in enumerate(results)
        ]
        frame = pl.concat(frames, how="vertical") if frames else pl.DataFrame()
        warnings: list[dict[str, Any]] = []
        bad = frame.filter(pl.col("_bad").is_not_null()).select("_file", "_row", "_bad")
        self._handle_problems(kind, bad, sources, mappings, wanted, warnings)
        frame = frame.filter(pl.col("_bad").is_null()) if bad.height else frame
        frame = _derive(kind, frame.drop("_bad"), present)
        if kind.name == "orders" and "sub_order_id" not in present and _distinct(frame, "order_id"):
            # Each order in one row: no row repeats another and there is nothing to fold (one
            # hash of one column instead of a hash of every row and the order numbers' set).
            pass
        else:
            frame = _drop_duplicates(kind, frame, wanted, warnings)
            if kind.name == "orders":
                frame = _fold_orders(frame, present, warnings)
        return LoadedExport(kind.name, frame.drop("_row", "_file"), sources, present, warnings)

    def scan(
        self,
        kind: KindSpec,
        source: Source,
        mapping: ColumnMapping,
        wanted: list[str],
        select: Callable[[pl.LazyFrame], pl.LazyFrame],
    ) -> tuple[Source, pl.DataFrame]:
        """``select`` of the typed rows of one file (see :func:`_scan`; it must keep ``_bad``),
        and the source it was read from: ``tmall data check`` keeps a few columns per row
        where the whole typed file would not fit in memory.

        A large file taken as UTF-8 from its first bytes is checked in full only when Polars
        rejects it (then it is damaged UTF-8, or GB18030 to transcode and read again).
        """
        source, (frame,) = self._collect(
            source, lambda src, fast: [select(_scan(kind, src, mapping, wanted, fast=fast))]
        )
        return source, frame

    def rows(
        self,
        kind: KindSpec,
        source: Source,
        mapping: ColumnMapping,
        wanted: list[str],
        rows: pl.Series,
    ) -> pl.DataFrame:
        """The typed values (read the tolerant way) of records ``rows`` (0-based) of a file
        already scanned, with ``_row``."""
        return (
            _scan(kind, source, mapping, wanted)
            .filter(pl.col("_row").is_in(rows.implode()))
            .select("_row", *wanted)
            .collect(engine="streaming")
        )

    def _read_files(
        self,
        kind: KindSpec,
        sources: list[Source],
        mappings: list[ColumnMapping],
        queries: Callable[[ColumnMapping], Queries],
    ) -> list[list[pl.DataFrame]]:
        """Each file's results (see :meth:`_collect`) with the progress shown; ``sources``
        is updated in place where a file was transcoded; each file's last record is checked."""
        results = []
        with progress(f"{kind.name}", len(sources)) as step:
            for index, (source, mapping) in enumerate(zip(sources, mappings, strict=True)):
                source, frames = self._collect(source, queries(mapping))
                check_last_record(source)
                sources[index] = source
                results.append(frames)
                step.advance(f"{kind.name}: {source.display}")
        return results

    def _collect(self, source: Source, queries: Queries) -> tuple[Source, list[pl.DataFrame]]:
        """Run ``queries(source, fast)`` over one file in one streaming pass (see
        :func:`_fast_or_tolerant`). ``source`` may come back transcoded (a large file that
        turned out not to be UTF-8).

        Polars memory-maps the file and reads ahead a bounded number of chunks, so the memory
        is that of the results (a query's own state aside) — as long as each scan feeds one
        query: a second query over the same scan makes it keep the whole file for the slower
        one (see :data:`Reduce`).
        """

        def read(src: Source) -> list[pl.DataFrame]:
            if not src.all_text and ends_in_quoted_field(src):
                src = replace(src, all_text=True)
            return _fast_or_tolerant(lambda fast: queries(src, fast))

        if source.lossy:
            frames = self._read_lossily(source, queries)
            if frames is not None:
                return source, frames
            source = self.source(source.path)  # transcoded: read as every file is
        try:
            try:
                return self._transcoding(source, read)
            except BrokenQuoting:
                # Read as Polars checks it: a broken file fails below, as broken files do.
                return self._transcoding(replace(self.source(source.path), all_text=True), read)
        except pl.exceptions.PolarsError as exc:
            raise diagnose_structure(self.source(source.path), exc) from None

    @staticmethod
    def _read_lossily(source: Source, queries: Queries) -> list[pl.DataFrame] | None:
        """The fast path over a GB18030/GBK file read as UTF-8 with ``utf8-lossy``, without
        transcoding it: right when every cell read is ASCII, whose bytes are the same in both
        (so are the commas, quotes and line ends). None when some cell is not ASCII or has a
        problem, or the file's end or quoting needs a look: the caller transcodes the file and
        reads it as any other, which names every problem as before."""
        if ends_in_quoted_field(source):
            return None
        try:
            frames = _collect_checked(queries(source, True))
            if frames[0].get_column("_bad").null_count() < frames[0].height:
                return None
            check_last_record(source)
        except (InputError, pl.exceptions.PolarsError):
            return None
        return frames

    def _transcoding(self, source: Source, read: Callable[[Source], T]) -> tuple[Source, T]:
        """``read(source)``; when Polars refuses a large file taken as UTF-8 from its first
        bytes for its bytes, the file is checked in full (damaged UTF-8 is an error, GB18030
        is transcoded) and read again."""
        try:
            return source, read(source)
        except pl.exceptions.PolarsError as exc:
            if source.verified or "utf-8" not in str(exc).lower():
                raise
        source = self._transcoded(source)
        return source, read(source)

    def _transcoded(self, source: Source) -> Source:
        source = verify_source(source, workdir=self.workdir)
        self._sources[source.path.resolve()] = source
        return source

    def _load_reduced(
        self,
        kind: KindSpec,
        sources: list[Source],
        mappings: list[ColumnMapping],
        present: set[str],
        wanted: list[str],
        reduce: Reduce,
    ) -> LoadedExport:
        """:meth:`load` with ``reduce`` applied to each file's rows as they stream in, and
        once more to the files' results together. Bad rows fold apart in the same query
        (:data:`Reduce`); only a file that has some is read again, for their numbers."""

        def queries(mapping: ColumnMapping) -> Queries:
            def build(source: Source, fast: bool) -> list[pl.LazyFrame]:
                rows = _scan(kind, source, mapping, wanted, fast=fast)
                return [reduce(rows.select(*wanted, "_bad"), ("_bad",))]

            return build

        parts, bads = [], []
        results = self._read_files(kind, sources, mappings, queries)
        for index, (part,) in enumerate(results):
            if part.get_column("_bad").null_count() < part.height:
                bad = (
                    _scan(kind, sources[index], mappings[index], wanted)
                    .filter(pl.col("_bad").is_not_null())
                    .select("_row", "_bad")
                    .collect(engine="streaming")
                )
                bads.append(bad.with_columns(pl.lit(index, pl.UInt32).alias("_file")))
                part = part.filter(pl.col("_bad").is_null())
            parts.append(part.drop("_bad"))
        warnings: list[dict[str, Any]] = []
        if bads:
            self._handle_problems(kind, pl.concat(bads), sources, mappings, wanted, warnings)
        frame = parts[0] if len(parts) == 1 else reduce(pl.concat(parts).lazy(), ()).collect()
        return LoadedExport(kind.name, frame, sources, present, warnings)

    @staticmethod
    def _wanted(kind: KindSpec, columns: Iterable[str] | None, present: set[str]) -> list[str]:
        """The columns read as values: those asked for (every one when ``None``), the kind's
        key columns (a row without one is no record), identity columns and stand-ins.

        A required column the command does not use is not read (SPEC §12: only the columns a
        command needs): its header must be there, its cells are split but not checked, so a
        bad 买家实付金额 does not stop ``audit refunds``, which counts orders by number and
        payment time. ``tmall data check`` reads every column."""
        if columns is None:
            names = {c.name for c in kind.columns}
        else:
            names = set(columns) | {c.name for c in kind.columns if c.not_null}
            names |= {c for c in IDENTITY_COLUMNS.get(kind.name, ()) if c in present}
            # Inputs that stand in for another column (SPEC §2: derived when absent).
            names |= {alt for col, alt in kind.alternatives if col in names}
            if kind.name == "refunds" and "shipped" in names:
                names.add("shipping_info")
        return [c.name for c in kind.columns if c.name in names]

    def _handle_problems(
        self,
        kind: KindSpec,
        bad: pl.DataFrame,
        sources: list[Source],
        mappings: list[ColumnMapping],
        wanted: list[str],
        warnings: list[dict[str, Any]],
    ) -> None:
        """``bad`` (``_file``, ``_row``, ``_bad``): the first one is an error, or with
        ``skip_bad_rows`` every one is counted into ``warnings`` by column and problem."""
        if bad.height == 0:
            return
        if not self.options.skip_bad_rows:
            index, row_index = bad.sort("_file", "_row").select("_file", "_row").row(0)
            source = sources[index]
            cells = _describe(kind, source, mappings[index], wanted, pl.Series([row_index]))
            name, problem, value = cells.row(0)[1:]
            header = mappings[index].found.get(name, kind.column(name).aliases[0]).strip()
            record = record_fields(source, [row_index]).get(row_index)
            if record is not None and record[1] < (width := named_width(source)):
                # Cells missing because the row is short: say so, not "missing value".
                raise ragged_error(source, record[1], width, record[0])
            raise InputError(
                source.display,
                problem,
                line=record_line(source, row_index) if record is None else record[0],
                column=f"{header} ({name})",
                value=value,
                hint=f"{bad.height} row(s) with bad values in {kind.name}; --skip-bad-rows drops such rows and reports them",
            )
        for index in bad.get_column("_file").unique().sort().to_list():
            rows = bad.filter(pl.col("_file") == index).get_column("_row")
            display = sources[index].display
            cells = _describe(kind, sources[index], mappings[index], wanted, rows)
            # A row is dropped once, under its first bad column (the one _bad names).
            per_row = cells.group_by("_row").agg(
                pl.col("column").first(), pl.col("problem").first()
            )
            counts = per_row.group_by("column", "problem").len().sort("column", "problem")
            for row in counts.iter_rows(named=True):
                warnings.append(
                    {
                        "kind": kind.name,
                        "file": display,
                        "column": row["column"],
                        "problem": row["problem"],
                        "rows_dropped": row["len"],
                        "message": f"{display}: dropped {row['len']} row(s): column {row['column']}: {row['problem']}",
                    }
                )


# Types whose fast parsers read ASCII cells only: a read of these alone may take a GB18030
# file as it is (:meth:`ExportReader._read_lossily`); text columns would need transcoding.
ASCII_TYPES = frozenset(
    {ValueType.ID, ValueType.IDS, ValueType.DATETIME, ValueType.MONEY, ValueType.SCORE}
)


def _ascii_read(kind: KindSpec, columns: Iterable[str] | None) -> bool:
    """Are the columns a load of ``columns`` reads all of :data:`ASCII_TYPES`?"""
    if columns is None:
        return False
    every = {c.name for c in kind.columns}
    return all(
        kind.column(c).type in ASCII_TYPES for c in ExportReader._wanted(kind, columns, every)
    )


def _header_decodes(source: Source) -> bool:
    try:
        read_headers(source)
    except (InputError, UnicodeDecodeError):
        return False
    return True


def _derive(kind: KindSpec, frame: pl.DataFrame, present: set[str]) -> pl.DataFrame:
    if kind.name == "refunds":
        if "refund_type" in frame.columns and "needs_return" in frame.columns:
            # SPEC §2: 售后类型 derived from 是否需要退货 (是 → 退货退款, 否 → 仅退款).
            frame = frame.with_columns(
                pl.coalesce(
                    pl.col("refund_type"),
                    pl.when(pl.col("needs_return"))
                    .then(pl.lit("退货退款"))
                    .when(pl.col("needs_return").not_())
                    .then(pl.lit("仅退款")),
                ).alias("refund_type")
            )
        if (
            "shipped" in frame.columns
            and "shipping_info" in frame.columns
            and "shipping_info" in present
        ):
            frame = frame.with_columns(
                pl.coalesce(
                    pl.col("shipped"), pl.when(pl.col("shipping_info").is_not_null()).then(True)
                ).alias("shipped")
            )
    if kind.name == "complaints" and "platform_intervened" in frame.columns:
        frame = frame.with_columns(pl.col("platform_intervened").fill_null(True))
    return frame


def repeats(hashes: pl.Series) -> pl.Series:
    """True where the hash occurs more than once. Found by sorting (10 M hashes: 0.2 s;
    is_duplicated's hash table takes 1.3 s): the repeated values are few, and a lookup of
    those is cheap."""
    ordered = hashes.sort()
    twice = ordered.filter(ordered == ordered.shift(1)).unique()
    return hashes.is_in(twice.implode())


def _distinct(frame: pl.DataFrame, column: str) -> bool:
    """Are the column's values all different? Proven by distinct hashes; should two hashes
    be equal (two equal values, or a collision) the answer is no, and the caller goes the
    long way, which compares values."""
    return not repeats(frame.get_column(column).hash()).any()


def _drop_duplicates(
    kind: KindSpec, frame: pl.DataFrame, wanted: list[str], warnings: list[dict[str, Any]]
) -> pl.DataFrame:
    """Every row that repeats an earlier one exactly (files in order) is dropped.

    Only rows whose hash repeats can repeat: usually none (the hash proves it at a third of
    the cost of unique()); otherwise those few are compared by value and the later copies
    dropped, without sorting the whole frame.
    """
    if frame.height == 0:
        return frame
    repeated = repeats(frame.select(wanted).hash_rows())
    if not repeated.any():
        return frame
    # The frame holds the files in order, each in its order: a row's place is its record's.
    candidates = frame.with_row_index("_at").filter(repeated)
    first = candidates.unique(subset=wanted, keep="first", maintain_order=True)
    dropped = candidates.height - first.height
    if not dropped:
        return frame
    later = candidates.filter(~pl.col("_at").is_in(first["_at"].implode()))["_at"]
    frame = frame.filter(pl.repeat(True, frame.height, eager=True).scatter(later, False))
    warnings.append(
        {
            "kind": kind.name,
            "problem": "duplicate rows",
            "rows_dropped": dropped,
            "message": f"{kind.name}: dropped {dropped} exact duplicate row(s)",
        }
    )
    return frame


def _fold_orders(
    frame: pl.DataFrame, present: set[str], warnings: list[dict[str, Any]]
) -> pl.DataFrame:
    """One row per order.

    A sub-order export (子订单编号) has one row per item: rows of one 主订单编号 are one order,
    amounts summed. When several exports hold the same order (yesterday's and today's), the
    file given last wins: it is the newer state of the order.
    """
    money = [c for c in ("paid_amount", "shipping_fee", "auto_compensation") if c in frame.columns]
    if "sub_order_id" in present:
        keys = ["_file", "order_id"]
        earliest = [c for c in ("paid_at", "created_at") if c in frame.columns]
        latest = [c for c in ("shipped_at", "picked_up_at", "delivered_at") if c in frame.columns]
        aggs: list[pl.Expr] = [pl.col("_row").min()]
        aggs += [pl.col(c).sum() for c in money if c != "shipping_fee"]
        if "shipping_fee" in money:
            aggs.append(pl.col("shipping_fee").sum())
        aggs += [pl.col(c).min() for c in earliest]
        aggs += [pl.col(c).max() for c in latest]
        if "tracking_no" in frame.columns:
            aggs.append(
                pl.col("tracking_no")
                .str.split(",")
                .list.explode(keep_nulls=False, empty_as_null=False)
                .unique(maintain_order=True)
                .str.join(",")
                .alias("tracking_no")
            )
        done = set(keys) | {"_row", "tracking_no"} | set(money) | set(earliest) | set(latest)
        aggs += [pl.col(c).drop_nulls().first() for c in frame.columns if c not in done]
        frame = frame.group_by(keys, maintain_order=True).agg(aggs)
        frame = (
            frame.with_columns(pl.col("tracking_no").replace("", None))
            if "tracking_no" in frame.columns
            else frame
        )
    before = frame.height
    if frame.get_column("order_id").n_unique() == before:
        return frame
    frame = frame.sort("_file", "_row").unique(
        subset=["order_id"], keep="last", maintain_order=True
    )
    replaced = before - frame.height
    if replaced:
        warnings.append(
            {
                "kind": "orders",
                "problem": "order in several rows",
                "rows_dropped": replaced,
                "message": f"orders: {replaced} order(s) appear more than once; the last file's row is used",
            }
        )
    return frame
