"""One file's typed rows as a lazy Polars scan: the CSV options, the parse of each column, and
the two ways to read it (fast, then tolerant when a cell is not in the usual form).

The file is a UTF-8 CSV (:mod:`tmallcli.exports.opening`), its headers mapped to canonical
names (:mod:`tmallcli.exports.headers`); only the columns the command needs are parsed, each
by an expression (:mod:`tmallcli.exports.values`).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import polars as pl

from tmallcli.errors import InputError
from tmallcli.exports.decoding import header_line
from tmallcli.exports.headers import ColumnMapping
from tmallcli.exports.kinds import KindSpec, ValueType
from tmallcli.exports.source import Source
from tmallcli.exports.values import FAST_FORMS, PARSERS, clean, fast_parse, form_of, null_tokens
from tmallcli.i18n import N_, tr

POLARS_TYPES: dict[ValueType, pl.DataType] = {
    ValueType.MONEY: pl.Int64(),
    ValueType.DATETIME: pl.Datetime("us"),
    ValueType.BOOL: pl.Boolean(),
    ValueType.SHIPPED: pl.Boolean(),
    ValueType.INTERVENED: pl.Boolean(),
    ValueType.SCORE: pl.Int8(),
}

# What ExportReader._collect runs over a file: (source, fast) → the queries, run together.
Queries = Callable[[Source, bool], list[pl.LazyFrame]]


def polars_type(value_type: ValueType) -> pl.DataType:
    return POLARS_TYPES.get(value_type, pl.String())


def read_headers(source: Source) -> list[str]:
    """The file's column names as Polars gives them (a ``lossy`` source's decoded first)."""
    try:
        if source.lossy:
            return pl.read_csv(io.BytesIO(header_line(source)), infer_schema=False).columns
        return pl.scan_csv(source.csv_path, infer_schema=False, glob=False).collect_schema().names()
    except pl.exceptions.PolarsError as exc:
        raise InputError(
            source.display,
            tr("cannot read the header row ({first_line})", first_line=first_line(exc)),
        ) from None


def first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _lazy_csv(source: Source, reading: Iterable[str]) -> pl.LazyFrame:
    """The file's records, every column split, the columns ``reading`` (Polars' names) as text.

    Polars counts a record's fields only when it reads every column (:data:`EVERY_COLUMN`):
    with the projection pushed into the scan, a row with one field too many (an unquoted comma
    in a title shifts every later cell) would pass unseen. The columns not read are typed
    Boolean with parse errors ignored: split and counted, never built as strings (10 M
    orders, 2 of 21 columns read: 5.5 s → 3.3 s; the two columns alone, unchecked: 2.8 s).
    Polars still rejects invalid UTF-8 anywhere in the file. A quote broken in a column not
    read is no error here, so the reader reads the file with ``source.all_text`` when its
    last line holds an odd number of quotes (:meth:`~tmallcli.exports.reader.ExportReader._collect`) or when Polars
    warns that its quoting is broken (:func:`collect_checked`).
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


def collect_checked(queries: list[pl.LazyFrame]) -> list[pl.DataFrame]:
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


def fast_or_tolerant(build: Callable[[bool], list[pl.LazyFrame]]) -> list[pl.DataFrame]:
    """``build(fast)``'s queries in one streaming pass, the fast way first; the first result's
    ``_bad`` column says whether the fast path read every cell, else the tolerant way runs."""
    frames = collect_checked(build(True))
    if frames[0].get_column("_bad").null_count() == frames[0].height:
        return frames
    # Some cell is not in the usual form (or is bad): read it the tolerant way.
    return collect_checked(build(False))


def parsed(
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
    problem, and :func:`fast_or_tolerant` then reads the file again the tolerant way.
    """
    present = [name for name in wanted if name in mapping.found]
    forms = _forms(kind, source, mapping, present) if fast else {}
    user_values = dict(mapping.values)
    stage_text = [pl.col("_row")]
    for i, name in enumerate(present):
        spec = kind.column(name)
        raw = pl.col(mapping.found[name])
        text = raw if fast else clean(raw, null_tokens(spec.type))
        if name in user_values:
            # The user's value mapping (tmall.yaml ``values:``): an export's text becomes the
            # canonical value before it is parsed (很满意 → 5).
            texts, canonical = zip(*user_values[name], strict=True)
            text = text.replace(list(texts), list(canonical))
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
                pl.when(pl.col(f"_v{i}").is_null()).then(
                    pl.lit(N_("missing value in a key column"))
                ),
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


def typed_scan(
    kind: KindSpec,
    source: Source,
    mapping: ColumnMapping,
    wanted: list[str],
    *,
    fast: bool = False,
) -> pl.LazyFrame:
    """Typed columns plus ``_bad``: the index of the row's first bad (present) column.

    The hot path carries only a small integer per row; the wording of a problem and its raw
    value are gathered afterwards, for the bad rows alone (:func:`~tmallcli.exports.diagnosis.describe`).
    """
    lazy, present = parsed(kind, source, mapping, wanted, fast=fast)
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


def typed_rows(
    kind: KindSpec, mapping: ColumnMapping, wanted: list[str], categories: frozenset[str]
) -> Queries:
    """The one query of a plain load: the typed rows with ``_bad`` (:func:`typed_scan`), the
    ``categories`` columns held as Categorical as they stream in (see :meth:`~tmallcli.exports.reader.ExportReader.load`)."""
    cast = [pl.col(name).cast(pl.Categorical) for name in wanted if name in categories]

    def query(source: Source, fast: bool) -> list[pl.LazyFrame]:
        rows = typed_scan(kind, source, mapping, wanted, fast=fast)
        return [rows.with_columns(cast) if cast else rows]

    return query
