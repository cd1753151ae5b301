"""Load one kind of export from any number of files into one typed Polars frame.

Every file becomes a UTF-8 CSV (:mod:`tmallcli.exports.opening`; a GB18030 one is read as
it is when only ASCII columns of it are read, :meth:`ExportReader._read_lossily`), its
headers are mapped to canonical names (:mod:`tmallcli.exports.headers`), only the columns
the command needs are scanned (:mod:`tmallcli.exports.csv_scan`), and each value is parsed
by an expression (:mod:`tmallcli.exports.values`).
A bad value is an :class:`~tmallcli.errors.InputError` naming file, line, column and
value (:mod:`tmallcli.exports.diagnosis`), or with ``skip_bad_rows`` a dropped and counted
row. The rows of all files are then de-duplicated and folded (:mod:`tmallcli.exports.folding`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from tmallcli.errors import InputError
from tmallcli.exports.csv_scan import (
    BrokenQuoting,
    Queries,
    Runner,
    collect_checked,
    fast_or_tolerant,
    read_headers,
    typed_rows,
    typed_scan,
)
from tmallcli.exports.decoding import transcoded, verify_source
from tmallcli.exports.diagnosis import diagnose_structure, handle_problems
from tmallcli.exports.folding import derive, distinct, without_repeats
from tmallcli.exports.headers import ColumnMapping, classify, mapping_for
from tmallcli.exports.kinds import KINDS, KindSpec, ValueType, columns_read
from tmallcli.exports.opening import open_source
from tmallcli.exports.parsed_cache import (
    Entry,
    ParsedCache,
    Slot,
    read_entry,
    sink_file,
    typed_as_held,
)
from tmallcli.exports.paths import expand_paths, sheet_path, split_sheet
from tmallcli.exports.read_options import (
    LoadedExport,
    ReadOptions,
    Reduce,
    reads_whole,
)
from tmallcli.exports.source import Source
from tmallcli.exports.structure import check_last_record, ends_in_quoted_field
from tmallcli.exports.workbook import sheet_names
from tmallcli.i18n import tr

T = TypeVar("T")


class ExportReader:
    """Reads exports for one command run; transcoded copies live in ``workdir``."""

    def __init__(self, workdir: Path, options: ReadOptions) -> None:
        self.workdir = workdir
        self.options = options
        self._sources: dict[Path, Source] = {}
        self._opening: dict[Path, Future[Source]] = {}
        self._background: ThreadPoolExecutor | None = None
        self._stop = threading.Event()
        self.cache = None
        if options.cache is not None:
            # What changes a file's typed rows besides the file itself (the kind is added
            # per entry); the order-status folding runs after the cache.
            fingerprint = repr((options.encoding, options.sheet, options.mapping))
            self.cache = ParsedCache(options.cache, fingerprint)

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
            source = self._open_file(path, transcode=not lossy)
            if source.lossy and not _header_decodes(source):
                source = transcoded(source, workdir=self.workdir)
        self._sources[key] = source
        return source

    def headers(self, path: Path) -> list[str]:
        """The file's column names: from its cache entry when it has one (a workbook is then
        not converted to tell its kind), else read from its head."""
        cached = None if self.cache is None else self.cache.headers(path)
        return cached if cached is not None else read_headers(self.source(path, lossy=True))

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
            if self.cache is not None and self.cache.has_file(path):
                continue  # likely read from the cache: transcoding it would be work thrown away
            if self._background is None:
                self._background = ThreadPoolExecutor(1, thread_name_prefix="tmall-open")
            self._opening[key] = self._background.submit(self._open_file, path, stop=self._stop)

    def _open_file(
        self, path: Path, *, transcode: bool = True, stop: threading.Event | None = None
    ) -> Source:
        """:func:`open_source` of ``path``; a sheet named in the path (``book.xlsx#订单报表``,
        :func:`~tmallcli.exports.paths.split_sheet`) is that workbook's sheet."""
        file, sheet = split_sheet(path)
        source = open_source(
            file,
            encoding=self.options.encoding,
            sheet=sheet if sheet is not None else self.options.sheet,
            workdir=self.workdir,
            display=str(path),
            stop=stop,
            transcode=transcode,
        )
        return source if sheet is None else replace(source, path=path)

    def sheets(self, path: Path) -> list[Path]:
        """Each sheet of a workbook of several as its own path (``book.xlsx#订单报表``), or
        the path itself: a file, one sheet named in the path, a workbook of one sheet, or
        any workbook when ``--sheet`` names the sheet to read."""
        if self.options.sheet is not None or split_sheet(path)[1] is not None:
            return [path]
        names = sheet_names(path)
        return [sheet_path(path, name) for name in names] if len(names) > 1 else [path]

    def sheets_of_kind(self, kind: KindSpec, paths: list[Path]) -> list[Path]:
        """The files, a workbook of several sheets replaced by its sheets of ``kind`` (SPEC
        §2.1: every sheet is classified by its headers; the first is not assumed)."""
        found: list[Path] = []
        for path in paths:
            sheets = self.sheets(path)
            if sheets == [path]:
                found.append(path)
                continue
            verdicts = []
            for sheet in sheets:
                classified = classify(self.headers(sheet))
                if classified.mapping is not None and classified.mapping.kind is kind:
                    found.append(sheet)
                name = split_sheet(sheet)[1]
                verdicts.append(f"{name}: {classified.verdict()}")
            if not any(split_sheet(f)[0] == path for f in found):
                raise InputError(
                    str(path),
                    tr(
                        "no sheet of the workbook is a {name} export ({label})",
                        name=kind.name,
                        label=kind.label,
                    ),
                    hint=tr(
                        "{verdicts} (--sheet NAME reads one sheet as it is)",
                        verdicts="; ".join(verdicts),
                    ),
                )
        return found

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
        columns = None if columns is None else tuple(columns)  # read twice below
        if reduce is not None:
            if categories:
                raise ValueError("categories apply to a plain load, not to a reduced one")
            sources, mappings, present, slots = self._open(kind, args, columns)
            wanted = columns_read(kind, columns, present)
            return self._load_reduced(kind, sources, mappings, slots, present, wanted, reduce)
        return self.load_parts(kind_name, args, [columns], categories)[0]

    def load_parts(
        self,
        kind_name: str,
        args: list[str] | list[Path],
        column_sets: list[tuple[str, ...] | None],
        categories: Iterable[str] = (),
    ) -> list[LoadedExport]:
        """One :meth:`load` per column set, from one read of the files with the union of the
        columns: what ``tmall report`` does, whose sections read different columns of one
        export. Each part judges duplicate rows (and folds orders) on its own columns, as its
        command's own load would; a bad value in any column read stops the read (with
        ``--skip-bad-rows``, drops its row from every part)."""
        kind = KINDS[kind_name]
        union = (
            None
            if any(c is None for c in column_sets)
            else tuple(dict.fromkeys(c for cs in column_sets for c in cs or ()))
        )
        sources, mappings, present, slots = self._open(kind, args, union)
        wanted = columns_read(kind, union, present)
        held = frozenset(categories)
        types = typed_as_held(kind, wanted, held)

        def read(index: int) -> tuple[Source, list[pl.DataFrame]]:
            slot, mapping = slots[index], mappings[index]
            if slot.entry is not None and slot.entry.covers(wanted):
                frame = self._from_cache(
                    slot.entry, lambda e: read_entry(e, wanted, types).collect()
                )
                if frame is not None:
                    return sources[index], [frame]
            # Parsed from the export; with the cache on, with the columns its entry held too
            # (then the entry covers both loads' columns), kept when no cell is bad.
            both = slot.widened(wanted)
            source, (frame,) = self._parse(
                self._real(slot, sources[index]), typed_rows(kind, mapping, both, held)
            )
            if (
                self.cache is not None
                and slot.name is not None
                and frame.get_column("_bad").null_count() == frame.height
            ):
                self.cache.write(slot.name, frame, ParsedCache.metadata(source, slot.headers, both))
            return source, [frame if both == wanted else frame.select("_row", *wanted, "_bad")]

        results = self._read_files(kind, sources, read)
        frames = [
            frame.with_columns(pl.lit(index, pl.UInt32).alias("_file"))
            for index, (frame,) in enumerate(results)
        ]
        frame = pl.concat(frames, how="vertical") if frames else pl.DataFrame()
        warnings: list[dict[str, Any]] = []
        bad = frame.filter(pl.col("_bad").is_not_null()).select("_file", "_row", "_bad")
        skip = self.options.skip_bad_rows
        handle_problems(kind, bad, sources, mappings, wanted, warnings, skip_bad_rows=skip)
        frame = frame.filter(pl.col("_bad").is_null()) if bad.height else frame
        frame = derive(kind, frame.drop("_bad"), present, warnings)
        parts = []
        # Orders each in one row have nothing to drop or fold in any part: told once, from
        # the order numbers every part shares (10 M orders: 0.5 s a part).
        whole = kind.name == "orders" and "sub_order_id" not in present
        whole = whole and distinct(frame, "order_id")
        for columns in column_sets:
            own = columns_read(kind, columns, present)
            part = frame if own == wanted else frame.select(*own, "_row", "_file")
            part_warnings = list(warnings)
            if not whole:
                part = without_repeats(
                    kind, part, own, present, part_warnings, self.options.order_statuses
                )
            parts.append(
                LoadedExport(kind.name, part.drop("_row", "_file"), sources, present, part_warnings)
            )
        return parts

    def _open(
        self, kind: KindSpec, args: list[str] | list[Path], columns: tuple[str, ...] | None
    ) -> tuple[list[Source], list[ColumnMapping], set[str], list[Slot]]:
        """The kind's files as sources, their column mappings, the columns they carry and
        their places in the parsed-export cache. A file with an entry is not opened: its
        headers and encoding come from the entry."""
        paths = self.sheets_of_kind(kind, expand_paths([str(a) for a in args], kind=kind.name))
        lossy = _ascii_read(kind, columns)
        user = self.options.mapping
        sources, mappings, slots = [], [], []
        for path in paths:
            name = None if self.cache is None else self.cache.name(path, kind.name)
            entry = None if self.cache is None or name is None else self.cache.lookup(name)
            source = entry.source(path) if entry is not None else self.source(path, lossy=lossy)
            headers = entry.headers if entry is not None else read_headers(source)
            sources.append(source)
            mappings.append(mapping_for(kind, source, headers, user))
            slots.append(Slot(path, lossy, headers, name, entry))
        present = set().union(*(m.found for m in mappings))
        return sources, mappings, present, slots

    def _real(self, slot: Slot, source: Source) -> Source:
        """The file opened, where ``source`` is only an entry's account of it."""
        return source if slot.entry is None else self.source(slot.path, lossy=slot.lossy)

    def _from_cache(self, entry: Entry, read: Callable[[Entry], T]) -> T | None:
        """``read(entry)``; None (and a warning) when the entry turns out unreadable."""
        try:
            return read(entry)
        except (Exception, pl.exceptions.PanicException) as exc:
            if self.cache is not None:
                self.cache.unreadable(entry.path, exc)
            return None

    def scan(
        self,
        kind: KindSpec,
        source: Source,
        mapping: ColumnMapping,
        wanted: list[str],
        select: Callable[[pl.LazyFrame], pl.LazyFrame],
    ) -> tuple[Source, pl.DataFrame]:
        """``select`` of the typed rows of one file (see :func:`~tmallcli.exports.csv_scan.typed_scan`;
        it must keep ``_bad``),
        and the source it was read from: ``tmall data check`` keeps a few columns per row
        where the whole typed file would not fit in memory.

        A large file taken as UTF-8 from its first bytes is checked in full only when Polars
        rejects it (then it is damaged UTF-8, or GB18030 to transcode and read again).
        """
        source, (frame,) = self._collect(
            source, lambda src, fast: [select(typed_scan(kind, src, mapping, wanted, fast=fast))]
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
            typed_scan(kind, source, mapping, wanted)
            .filter(pl.col("_row").is_in(rows.implode()))
            .select("_row", *wanted)
            .collect(engine="streaming")
        )

    def _read_files(
        self,
        kind: KindSpec,
        sources: list[Source],
        read: Callable[[int], tuple[Source, list[pl.DataFrame]]],
    ) -> list[list[pl.DataFrame]]:
        """Each file's results (``read(index)``: from the cache or :meth:`_parse`) with the
        progress shown; ``sources`` is updated in place where a file was transcoded."""
        results = []
        with self.options.progress(f"{kind.name}", len(sources)) as step:
            for index in range(len(sources)):
                source, frames = read(index)
                sources[index] = source
                results.append(frames)
                step.advance(f"{kind.name}: {source.display}")
        return results

    def _parse(
        self, source: Source, queries: Queries, run: Runner = fast_or_tolerant
    ) -> tuple[Source, list[pl.DataFrame]]:
        """:meth:`_collect` of one file, whose last record is then checked."""
        source, frames = self._collect(source, queries, run)
        check_last_record(source)
        return source, frames

    def _collect(
        self, source: Source, queries: Queries, run: Runner = fast_or_tolerant
    ) -> tuple[Source, list[pl.DataFrame]]:
        """Run ``queries(source, fast)`` over one file in one streaming pass (see
        :func:`~tmallcli.exports.csv_scan.fast_or_tolerant`). ``source`` may come back transcoded (a large file that
        turned out not to be UTF-8).

        Polars memory-maps the file and reads ahead a bounded number of chunks, so the memory
        is that of the results (a query's own state aside) — as long as each scan feeds one
        query: a second query over the same scan makes it keep the whole file for the slower
        one (see :data:`Reduce`).
        """

        def read(src: Source) -> list[pl.DataFrame]:
            if not src.all_text and ends_in_quoted_field(src):
                src = replace(src, all_text=True)
            return run(lambda fast: queries(src, fast))

        if source.lossy and run is fast_or_tolerant:
            frames = self._read_lossily(source, queries)
            if frames is not None:
                return source, frames
        if source.lossy:
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
            frames = collect_checked(queries(source, True))
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
        slots: list[Slot],
        present: set[str],
        wanted: list[str],
        reduce: Reduce,
    ) -> LoadedExport:
        """:meth:`load` with ``reduce`` applied to each file's rows as they stream in, and
        once more to the files' results together. Bad rows fold apart in the same query
        (:data:`Reduce`); only a file that has some is read again, for their numbers.

        With the cache on, a file not in it is streamed into its entry first (the rows are
        never held whole) and folded from there: folding while parsing would need a second
        query over the scan, which holds the whole file (see :data:`Reduce`)."""
        types = typed_as_held(kind, wanted, frozenset())

        def folded(entry: Entry) -> list[pl.DataFrame]:
            rows = read_entry(entry, wanted, types, rows=False)
            return [reduce(rows, ("_bad",)).collect(engine="streaming")]

        def build(source: Source, fast: bool, mapping: ColumnMapping) -> list[pl.LazyFrame]:
            rows = typed_scan(kind, source, mapping, wanted, fast=fast)
            return [reduce(rows.select(*wanted, "_bad"), ("_bad",))]

        def read(index: int) -> tuple[Source, list[pl.DataFrame]]:
            slot, mapping = slots[index], mappings[index]
            entry = slot.entry if slot.entry is not None and slot.entry.covers(wanted) else None
            # A partial fold reads the CSV as without the cache (see reads_whole).
            whole = reads_whole(reduce)
            if entry is None and self.cache is not None and slot.name is not None and whole:
                source = self._real(slot, sources[index])
                columns = slot.widened(wanted)
                source, entry = sink_file(
                    self.cache,
                    slot,
                    source,
                    columns,
                    lambda src, fast: typed_scan(kind, src, mapping, columns, fast=fast),
                    self._parse,
                )
                sources[index] = source
            frames = None if entry is None else self._from_cache(entry, folded)
            if frames is not None:
                return sources[index], frames
            source, frames = self._parse(
                self._real(slot, sources[index]), lambda src, fast: build(src, fast, mapping)
            )
            if self.cache is not None:
                self.cache.settle()
            return source, frames

        parts, bads = [], []
        results = self._read_files(kind, sources, read)
        for index, (part,) in enumerate(results):
            if part.get_column("_bad").null_count() < part.height:
                bad = (
                    typed_scan(kind, sources[index], mappings[index], wanted)
                    .filter(pl.col("_bad").is_not_null())
                    .select("_row", "_bad")
                    .collect(engine="streaming")
                )
                bads.append(bad.with_columns(pl.lit(index, pl.UInt32).alias("_file")))
                part = part.filter(pl.col("_bad").is_null())
            parts.append(part.drop("_bad"))
        warnings: list[dict[str, Any]] = []
        if bads:
            bad = pl.concat(bads)
            skip = self.options.skip_bad_rows
            handle_problems(kind, bad, sources, mappings, wanted, warnings, skip_bad_rows=skip)
        frame = parts[0] if len(parts) == 1 else reduce(pl.concat(parts).lazy(), ()).collect()
        return LoadedExport(kind.name, frame, sources, present, warnings)


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
    return all(kind.column(c).type in ASCII_TYPES for c in columns_read(kind, columns, every))


def _header_decodes(source: Source) -> bool:
    try:
        read_headers(source)
    except (InputError, UnicodeDecodeError):
        return False
    return True
