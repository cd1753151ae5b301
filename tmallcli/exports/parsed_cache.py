"""The parsed-export cache (SPEC §15 "Parsing once"): each export file, once read and checked,
kept as Parquet, so the next run of the day reads columns instead of parsing CSV again.

An entry is one file's typed rows exactly as the reader's scan gives them (``_row``, the
canonical columns parsed, ``_bad``) — before duplicates are dropped, orders folded or a
``reduce`` applied, so every load of the file (any command, any fold) runs its usual steps
over the same rows and gives the same numbers and the same warnings. Only files without a
bad cell are kept: a file with one is read from the CSV every time, so its error or its
dropped-row warnings name the lines and values as they always do.

The entry's name is its key: the file's resolved path, size and modification time (ns),
then :data:`READER_VERSION`, the package and Polars versions, the kind, ``--encoding``,
``--sheet`` and the user's column/value mapping (tmall.yaml), which all change the rows.
The order-status folding config is not in it: folding runs after the cache, on every read.
The entry's Parquet metadata holds what a run needs without opening the file (its headers,
encoding, line offset) and the columns it covers; a load wanting more parses the file once
with both sets and rewrites the entry.

Writes go to a temporary file in the cache folder and ``os.replace`` it into place: two runs
filling one entry both succeed (the last one's identical copy stays). The folder is bounded
(``cache.max_gb``): after a write, the least recently used entries go (a read touches its
entry's modification time). An entry that cannot be read is a one-line warning, removed,
and the file is read from the CSV again (and rewritten).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from tmallcli.exports.csv_scan import Queries, Runner, collect_checked, first_line, polars_type
from tmallcli.exports.kinds import KINDS, KindSpec
from tmallcli.exports.paths import os_problem, split_sheet
from tmallcli.exports.source import Source
from tmallcli.i18n import tr

# Bump when the parse of a cell, the columns' types or an entry's layout change: every entry
# written before is then a miss (and is evicted in time).
READER_VERSION = 1

DEFAULT_MAX_GB = 5.0
ENV_DIR = "TMALL_CACHE_DIR"
_META_KEY = "tmallcli"
# How an entry is written: LZ4 costs little CPU to write and read; no statistics (a load
# reads whole columns, never filters row groups).
WRITE_OPTIONS: dict[str, Any] = {"compression": "lz4", "statistics": False}
_SUFFIX = ".parquet"
# A run's whole result (tmallcli.runs.memo): kept in the same folder, within the same bound.
BLOB_SUFFIX = ".pickle"
_PART = ".part-"
# A temporary file older than this is left over by a run that died while writing it.
_STALE_PART_SECONDS = 3600


def default_cache_dir() -> Path:
    """``TMALL_CACHE_DIR``, else the user cache folder: %LOCALAPPDATA%\\tmallcli\\Cache on
    Windows, ~/Library/Caches/tmallcli on macOS, $XDG_CACHE_HOME/tmallcli (~/.cache/tmallcli)
    elsewhere — where platformdirs would put it, without the dependency."""
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return (Path(local) if local else home / "AppData" / "Local") / "tmallcli" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "tmallcli"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".cache"
    return base / "tmallcli"


@dataclass(frozen=True)
class CacheSettings:
    directory: Path
    max_bytes: int

    @classmethod
    def of(cls, directory: Path | None, max_gb: float = DEFAULT_MAX_GB) -> CacheSettings:
        return cls(directory or default_cache_dir(), int(max_gb * 1024**3))


@dataclass(frozen=True)
class Entry:
    """One cached file: the Parquet and what a run reads from its metadata."""

    path: Path
    headers: list[str]
    encoding: str
    line_offset: int
    columns: tuple[str, ...]  # the canonical columns it holds (absent ones as nulls)

    def covers(self, wanted: Iterable[str]) -> bool:
        return set(wanted) <= set(self.columns)

    def source(self, path: Path) -> Source:
        """The file as a run names it, not opened: a hit never reads the export itself."""
        return Source(str(path), path, path, self.encoding, self.line_offset)


def _digest(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclass
class ParsedCache:
    """The cache of one run; ``notes`` are its warnings (printed with the run's notes)."""

    settings: CacheSettings
    fingerprint: str  # the reader's options that change the rows (see module docstring)
    notes: list[str] = field(default_factory=list)
    # Why the last entry streamed in (:func:`sink_file`) failed; the reader says it (as a
    # folder it cannot write) once the file itself proves readable.
    failed: OSError | None = None
    _writable: bool | None = None

    @property
    def directory(self) -> Path:
        return self.settings.directory

    @staticmethod
    def file_id(path: Path) -> str | None:
        """The file's part of an entry's name, from what identifies its content: resolved
        path, size, modification time in ns (a file rewritten in the same second with the
        same size is still a new file)."""
        file, sheet = split_sheet(path)
        try:
            resolved = file.resolve()
            stat = resolved.stat()
        except OSError:
            return None
        return _digest(str(resolved), sheet, stat.st_size, stat.st_mtime_ns)[:32]

    def name(self, path: Path, kind: str) -> str | None:
        file_id = self.file_id(path)
        if file_id is None:
            return None
        from tmallcli import __version__

        rest = _digest(READER_VERSION, __version__, pl.__version__, kind, self.fingerprint)
        return f"{file_id}-{rest[:16]}{_SUFFIX}"

    def has_file(self, path: Path) -> bool:
        """Is some entry of this file (any kind, any options) there? (The reader then does
        not open it in the background: a run may well read it from here.)"""
        file_id = self.file_id(path)
        return file_id is not None and any(self.directory.glob(f"{file_id}-*{_SUFFIX}"))

    def headers(self, path: Path) -> list[str] | None:
        """The file's headers as an entry of it (any kind, read with the same options: an
        ``--encoding`` decodes the headers too) keeps them; None without one."""
        for kind in KINDS:
            name = self.name(path, kind)
            entry = None if name is None else self.lookup(name)
            if entry is not None:
                return entry.headers
        return None

    def lookup(self, name: str) -> Entry | None:
        """The entry of that name, touched as used now; None when there is none, or when it
        cannot be read (a warning, and it is removed)."""
        path = self.directory / name
        if not path.is_file():
            return None
        try:
            info = json.loads(pl.read_parquet_metadata(path)[_META_KEY])
            entry = Entry(
                path,
                [str(h) for h in info["headers"]],
                str(info["encoding"]),
                int(info["line_offset"]),
                tuple(str(c) for c in info["columns"]),
            )
        except Exception as exc:  # any damage: the cache must never stop a run
            self.unreadable(path, exc)
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # least recently used: reading is using
        return entry

    def unreadable(self, path: Path, exc: BaseException) -> None:
        """A damaged entry: said once, removed; the caller reads the CSV again."""
        if not path.exists():
            return  # evicted by another run meanwhile: nothing is wrong
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        self.notes.append(
            tr(
                "parsed-export cache entry {path} is unreadable ({reason}): read from the "
                "export again",
                path=path,
                reason=reason[:120],
            )
        )
        with contextlib.suppress(OSError):
            path.unlink()

    def temp_path(self) -> Path | None:
        """A fresh temporary file in the cache folder for an entry being written (None when
        the folder cannot be written: said once, and the run goes on without the cache)."""
        if self._writable is False:
            return None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=_PART, suffix=_SUFFIX, dir=self.directory)
            os.close(handle)
        except OSError as exc:
            self._cannot_write(exc)
            return None
        self._writable = True
        return Path(name)

    def settle(self) -> None:
        """The file whose entry failed was read well without the cache: the entry could
        not be written."""
        if self.failed is not None:
            self._cannot_write(self.failed)
            self.failed = None

    def _cannot_write(self, exc: OSError) -> None:
        if self._writable is not False:
            self.notes.append(
                tr(
                    "cannot write the parsed-export cache in {folder} ({problem}): exports are "
                    "parsed again on every run (--cache-dir DIR, or --no-cache)",
                    folder=self.directory,
                    problem=os_problem(exc),
                )
            )
        self._writable = False

    @staticmethod
    def metadata(source: Source, headers: list[str], columns: Iterable[str]) -> dict[str, str]:
        info = {
            "version": READER_VERSION,
            "headers": headers,
            "encoding": source.encoding,
            "line_offset": source.line_offset,
            "columns": list(columns),
        }
        return {_META_KEY: json.dumps(info, ensure_ascii=False)}

    def write(self, name: str, frame: pl.DataFrame, metadata: dict[str, str]) -> None:
        """Keep ``frame`` (a file's typed rows) as the entry ``name``."""
        temp = self.temp_path()
        if temp is None:
            return
        try:
            frame.write_parquet(temp, metadata=metadata, **WRITE_OPTIONS)
        except Exception as exc:  # a full disk, a folder gone: the run goes on without
            temp.unlink(missing_ok=True)
            self._cannot_write(exc if isinstance(exc, OSError) else OSError(first_line(exc)))
            return
        self.publish(temp, name)

    def read_blob(self, name: str) -> bytes | None:
        """The bytes kept under ``name`` (a :data:`BLOB_SUFFIX` file), touched as used now;
        None when there are none or they cannot be read."""
        path = self.directory / name
        try:
            data = path.read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)
        return data

    def write_blob(self, name: str, data: bytes) -> None:
        """Keep ``data`` under ``name``, atomically and within the folder's bound."""
        temp = self.temp_path()
        if temp is None:
            return
        try:
            temp.write_bytes(data)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            self._cannot_write(exc)
            return
        self.publish(temp, name)

    def publish(self, temp: Path, name: str) -> bool:
        """Move a written temporary file into place (atomic: a reader sees the old entry or
        the new one, never half of one), then keep the folder within its bound."""
        try:
            os.replace(temp, self.directory / name)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            if not (self.directory / name).is_file():
                # (Windows refuses to replace a file another run holds open: that run's
                # entry, the same rows, stays.)
                self._cannot_write(exc)
                return False
            return True
        self.evict(keep=name)
        return True

    def evict(self, keep: str | None = None) -> None:
        """Remove the least recently used entries until the folder is within ``max_bytes``
        (never ``keep``, the entry just written), and temporary files of runs that died."""
        entries = []
        now = time.time()
        try:
            listed = list(os.scandir(self.directory))
        except OSError:
            return
        for item in listed:
            try:
                stat = item.stat()
            except OSError:
                continue  # removed meanwhile by another run
            if item.name.startswith(_PART):
                if now - stat.st_mtime > _STALE_PART_SECONDS:
                    Path(item.path).unlink(missing_ok=True)
                continue
            if item.name.endswith((_SUFFIX, BLOB_SUFFIX)):
                entries.append((stat.st_mtime_ns, stat.st_size, item.name))
        total = sum(size for _, size, _ in entries)
        for _, size, name in sorted(entries):
            if total <= self.settings.max_bytes:
                break
            if name == keep:
                continue
            try:
                (self.directory / name).unlink()
            except OSError:
                continue
            total -= size


def read_entry(
    entry: Entry, wanted: list[str], types: dict[str, pl.DataType], *, rows: bool = True
) -> pl.LazyFrame:
    """The entry's rows as the reader's scan gives them: ``_row`` (when ``rows``), ``wanted``
    typed as ``types`` says (a Categorical column as the load holds it), ``_bad``."""
    lazy = pl.scan_parquet(entry.path)
    schema = lazy.collect_schema()
    columns = [pl.col("_row")] if rows else []
    for name in wanted:
        column = pl.col(name)
        columns.append(column if schema[name] == types[name] else column.cast(types[name]))
    return lazy.select(*columns, pl.col("_bad"))


@dataclass(frozen=True)
class Slot:
    """One file of a load and its place in the cache: the entry's ``name`` (None: no cache,
    or the file cannot be stat'ed), the ``entry`` found there, and what the reader knows of
    the file (its headers; whether it may read it ``lossy``)."""

    path: Path
    lossy: bool
    headers: list[str]
    name: str | None = None
    entry: Entry | None = None

    def widened(self, wanted: list[str]) -> list[str]:
        """The columns to parse: ``wanted``, and those the file's entry held already (the
        rewritten entry then serves both loads)."""
        held = () if self.entry is None else self.entry.columns
        return [*wanted, *(c for c in held if c not in wanted)]


def typed_as_held(
    kind: KindSpec, wanted: list[str], categories: frozenset[str]
) -> dict[str, pl.DataType]:
    """Each column's type as a load holds it (:func:`~tmallcli.exports.csv_scan.typed_rows`)."""
    return {
        name: pl.Categorical() if name in categories else polars_type(kind.column(name).type)
        for name in wanted
    }


def has_bad(parquet: Path) -> bool:
    """Has the file parsed into ``parquet`` a row with a bad cell?"""
    bad = pl.scan_parquet(parquet).select(pl.col("_bad").is_not_null().any()).collect()
    return bool(bad.item())


# ExportReader._parse: one file's queries run by a Runner, its last record checked.
Parse = Callable[[Source, Queries, Runner], tuple[Source, list[pl.DataFrame]]]


def sink_file(
    cache: ParsedCache | None,
    slot: Slot,
    source: Source,
    columns: list[str],
    scan: Callable[[Source, bool], pl.LazyFrame],
    parse: Parse,
) -> tuple[Source, Entry | None]:
    """Parse one file straight into its entry, streaming (the rows are never held whole):
    ``scan(source, fast)`` is the file's typed rows, run as the reader runs them (the fast
    path first, the tolerant one when a cell is not in the usual form), through ``parse``
    (which transcodes, retries and checks the file as for any read). Returns the source read
    and the entry, or None when the folder cannot be written or a cell is bad (the caller
    then reads the file as without the cache, which names or counts the bad cells)."""
    if cache is None or slot.name is None:
        return source, None
    temp = cache.temp_path()
    if temp is None:
        return source, None

    def queries(src: Source, fast: bool) -> list[pl.LazyFrame]:
        metadata = ParsedCache.metadata(src, slot.headers, columns)
        return [scan(src, fast).sink_parquet(temp, lazy=True, metadata=metadata, **WRITE_OPTIONS)]

    def run(build: Callable[[bool], list[pl.LazyFrame]]) -> list[pl.DataFrame]:
        collect_checked(build(True))
        if has_bad(temp):
            collect_checked(build(False))
        return []

    try:
        source, _ = parse(source, queries, run)
        if has_bad(temp):
            temp.unlink(missing_ok=True)
            return source, None
    except Exception as exc:
        # A broken file, or the entry that could not be written (a full disk): the caller
        # reads the file as without the cache, which raises the file's own error again.
        temp.unlink(missing_ok=True)
        cache.failed = OSError(first_line(exc))
        return source, None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if not cache.publish(temp, slot.name):
        return source, None
    entry = Entry(
        cache.directory / slot.name,
        slot.headers,
        source.encoding,
        source.line_offset,
        tuple(columns),
    )
    return source, entry
