"""Which files hold which kind of export for one command run: explicit options or ``--dir``."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from tmallcli.errors import InputError, UsageError
from tmallcli.exports.csv_scan import read_headers
from tmallcli.exports.headers import detect_kind
from tmallcli.exports.kinds import KINDS, OPTION_NAMES
from tmallcli.exports.paths import expand_paths
from tmallcli.exports.reader import ExportReader, LoadedExport, ReadOptions, Reduce


# A load of one kind: its columns (None: all), its fold and its Categorical columns.
@dataclass(frozen=True)
class Read:
    """One kind of export a run read (SPEC §14 freshness builds on it)."""

    kind: str
    files: tuple[str, ...]
    rows: int  # rows of the largest load (after duplicates dropped and orders folded)
    data_through: datetime | None  # the newest row's time (the kind's date column)


LoadKey = tuple[str, frozenset[str] | None, Reduce | None, frozenset[str]]


def _key(
    kind: str, columns: Iterable[str] | None, reduce: Reduce | None, categories: Iterable[str]
) -> LoadKey:
    return (
        kind,
        frozenset(columns) if columns is not None else None,
        reduce,
        frozenset(categories),
    )


class Inputs:
    """The exports of one run. Use as a context manager: transcoded copies are removed after."""

    def __init__(
        self,
        files: dict[str, list[str]],
        *,
        directory: Path | None = None,
        options: ReadOptions | None = None,
    ) -> None:
        self._workdir = Path(tempfile.mkdtemp(prefix="tmall-"))
        self.reader = ExportReader(self._workdir, options or ReadOptions())
        self.files: dict[str, list[str]] = {k: list(v) for k, v in files.items() if v}
        self.ignored: list[str] = []
        self._loaded: dict[LoadKey, LoadedExport] = {}
        self._released_warnings: list[dict[str, Any]] = []
        self._reads: dict[str, Read] = {}
        if directory is not None:
            self._discover(directory)

    def __enter__(self) -> Inputs:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.reader.close()
        shutil.rmtree(self._workdir, ignore_errors=True)

    def _discover(self, directory: Path) -> None:
        if not directory.is_dir():
            raise InputError(str(directory), "no such folder")
        explicit = set(self.files)
        for path in expand_paths([str(directory)]):
            try:
                # Headers only: a GB18030 file is transcoded when a command reads it, and
                # not at all when none does (or reads only ASCII columns of it).
                headers = read_headers(self.reader.source(path, lossy=True))
                mapping = detect_kind(headers, self.reader.options.mapping)
            except InputError:
                mapping = None
            if mapping is None:
                self.ignored.append(str(path))
                continue
            # An explicit option for a kind wins over what the folder holds; every file of a
            # kind the options do not name is read (a folder of daily exports).
            if mapping.kind.name not in explicit:
                self.files.setdefault(mapping.kind.name, []).append(str(path))
        if not any(self.files.values()):
            raise InputError(
                str(directory), "folder holds no seller-center export recognised by its headers"
            )

    def has(self, kind: str) -> bool:
        return bool(self.files.get(kind))

    def load(
        self,
        kind: str,
        columns: Iterable[str] | None = None,
        reduce: Reduce | None = None,
        *,
        categories: Iterable[str] = (),
    ) -> LoadedExport:
        """The kind's rows (:meth:`ExportReader.load`), read once per run for each request."""
        key = _key(kind, columns, reduce, categories)
        if key not in self._loaded:
            self._prepare(kind)
            loaded = self.reader.load(kind, self.files[kind], columns, reduce, categories)
            self._loaded[key] = loaded
            self._record(loaded)
        return self._loaded[key]

    def _prepare(self, kind: str) -> None:
        """Before ``kind`` is read: it must be given; the other exports of the run are opened
        (a GB18030 one transcoded) meanwhile — a bad path is said when that kind is read, as
        without the prefetch."""
        if kind not in KINDS:
            raise KeyError(kind)
        if not self.has(kind):
            raise UsageError(
                f"this command needs the {kind} export: give {OPTION_NAMES[kind]} FILE or --dir DIR"
            )
        for other, paths in self.files.items():
            if other != kind:
                with contextlib.suppress(InputError):
                    self.reader.prefetch(expand_paths(paths, kind=other))

    def load_parts(
        self, kind: str, column_sets: list[tuple[str, ...]], *, categories: Iterable[str] = ()
    ) -> list[LoadedExport]:
        """One load per column set from one read of the kind's files (``tmall report``: its
        sections read different columns of one export). Each part is then what :meth:`load`
        of its columns gives, and asking :meth:`load` for it costs nothing."""
        keys = [_key(kind, columns, None, categories) for columns in column_sets]
        if any(key not in self._loaded for key in keys):
            self._prepare(kind)
            parts = self.reader.load_parts(kind, self.files[kind], list(column_sets), categories)
            for key, part in zip(keys, parts, strict=True):
                self._loaded[key] = part
                self._record(part)
        return [self._loaded[key] for key in keys]

    def release_kind(self, kind: str) -> None:
        """Forget every load of ``kind`` (see :meth:`release`)."""
        for key in [key for key in self._loaded if key[0] == kind]:
            self._released_warnings.extend(self._loaded.pop(key).warnings)

    def _record(self, loaded: LoadedExport) -> None:
        """Note what a load read: the kind's files, rows and newest row time."""
        column = KINDS[loaded.kind].date_column
        newest = None
        if column is not None and column in loaded.frame.columns:
            newest = loaded.frame.get_column(column).max()
        before = self._reads.get(loaded.kind)
        if before is not None:
            newest = max((t for t in (newest, before.data_through) if t is not None), default=None)
        self._reads[loaded.kind] = Read(
            loaded.kind,
            tuple(s.display for s in loaded.sources),
            max(loaded.frame.height, 0 if before is None else before.rows),
            newest,  # type: ignore[arg-type]
        )

    def reads(self) -> list[Read]:
        """What the run read, one record per kind, in the order of first reading."""
        return list(self._reads.values())

    def loaded(
        self,
        kind: str,
        columns: Iterable[str] | None = None,
        reduce: Reduce | None = None,
        *,
        categories: Iterable[str] = (),
    ) -> bool:
        """Was this load done already (so asking for it again costs nothing)?"""
        return _key(kind, columns, reduce, categories) in self._loaded

    def release(
        self,
        kind: str,
        columns: Iterable[str] | None = None,
        reduce: Reduce | None = None,
        *,
        categories: Iterable[str] = (),
    ) -> None:
        """Forget a load's rows once nothing will read them again, so their memory goes back
        before the next export is read; what the load dropped is still reported."""
        loaded = self._loaded.pop(_key(kind, columns, reduce, categories), None)
        if loaded is not None:
            self._released_warnings.extend(loaded.warnings)

    def maybe(
        self, kind: str, columns: Iterable[str] | None = None, reduce: Reduce | None = None
    ) -> LoadedExport | None:
        return self.load(kind, columns, reduce) if self.has(kind) else None

    @property
    def warnings(self) -> list[dict[str, Any]]:
        """What every load dropped. A kind read twice (two column sets) reports each problem
        once, with the larger count: the same rows were dropped, not twice as many."""
        merged: dict[tuple[Any, ...], dict[str, Any]] = {}
        held = [w for loaded in self._loaded.values() for w in loaded.warnings]
        for warning in self._released_warnings + held:
            key = tuple(warning.get(k) for k in ("kind", "file", "column", "problem"))
            if key not in merged or warning["rows_dropped"] > merged[key]["rows_dropped"]:
                merged[key] = warning
        return list(merged.values())
