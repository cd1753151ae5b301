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
from tmallcli.exports.dsr_summary import is_dsr_summary
from tmallcli.exports.headers import classify, map_columns
from tmallcli.exports.kinds import KINDS, OPTION_NAMES
from tmallcli.exports.paths import expand_paths
from tmallcli.exports.reader import ExportReader, LoadedExport, ReadOptions, Reduce
from tmallcli.i18n import tr


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
        # The shop's DSR page written down (SPEC §3), found in --dir by its headers: not an
        # export of rows, read by exports/dsr_summary.py.
        self.dsr_summaries: list[str] = []
        # An ignored file (or sheet, ``book.xlsx#发货报表``) → why, in one line.
        self.ignored_reasons: dict[str, str] = {}
        self._items_stand_in: bool | None = None
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
            raise InputError(str(directory), tr("no such folder"))
        explicit = set(self.files)
        for path in expand_paths([str(directory)]):
            # Each sheet of a workbook of several is classified like a file (SPEC §2.1).
            for candidate in self.reader.sheets(path):
                try:
                    # Headers only: a GB18030 file is transcoded when a command reads it,
                    # and not at all when none does (or reads only ASCII columns of it).
                    headers = self.reader.headers(candidate)
                except InputError as exc:
                    self._ignore(candidate, exc.message)
                    continue
                classified = classify(headers, self.reader.options.mapping)
                if classified.mapping is None and is_dsr_summary(headers):
                    self.dsr_summaries.append(str(candidate))
                    continue
                if classified.mapping is None:
                    self._ignore(candidate, classified.verdict())
                    continue
                name = classified.mapping.kind.name
                # An explicit option for a kind wins over what the folder holds; every file
                # of a kind the options do not name is read (a folder of daily exports).
                if name not in explicit:
                    self.files.setdefault(name, []).append(str(candidate))
        if not any(self.files.values()) and not self.dsr_summaries:
            raise InputError(
                str(directory), tr("folder holds no seller-center export recognised by its headers")
            )

    def _ignore(self, path: Path, reason: str) -> None:
        self.ignored.append(str(path))
        self.ignored_reasons[str(path)] = reason

    def notes(self) -> list[str]:
        """What ``--dir`` left out and why, one line each (printed on stderr)."""
        return [
            tr("ignored {path} ({reason})", path=path, reason=reason)
            for path, reason in self.ignored_reasons.items()
        ]

    def cache_notes(self) -> list[str]:
        """What the parsed-export cache had to say in this run (an entry it could not read
        or write), one line each: said after the run's own notes, and never kept with a
        result (:mod:`tmallcli.runs.memo`), since a later run's cache is another story."""
        cache = self.reader.cache
        return [] if cache is None else list(cache.notes)

    def has(self, kind: str) -> bool:
        if kind == "orders" and not self.files.get("orders"):
            return self.items_stand_in()
        return bool(self.files.get(kind))

    def items_stand_in(self) -> bool:
        """Without an orders export, can the item-detail export (order_items) be read as the
        orders? Yes when it carries the orders' indispensable columns (2022: 买家实际支付金额,
        订单付款时间); its rows are then folded per 主订单编号 / 订单编号 (SPEC §2.1)."""
        if self.files.get("orders") or not self.files.get("order_items"):
            return False
        if self._items_stand_in is None:
            orders = KINDS["orders"]
            paths = expand_paths(self.files["order_items"], kind="order_items")
            self._items_stand_in = all(
                map_columns(orders, self.reader.headers(p)).complete for p in paths
            )
        return self._items_stand_in

    def _paths(self, kind: str) -> list[str]:
        """The files a load of ``kind`` reads: the orders are the item-detail export's rows
        when it stands in for them (:meth:`items_stand_in`)."""
        if kind == "orders" and not self.files.get("orders"):
            return self.files["order_items"]
        return self.files[kind]

    def _with_items(self, loaded: LoadedExport, columns: Iterable[str] | None) -> LoadedExport:
        """The orders with the item IDs and titles they lack taken from the item-detail
        export of the run (SPEC §2.1: e.g. compensation's severe orders name their item)."""
        if loaded.kind != "orders" or not self.files.get("order_items"):
            return loaded
        asked = {"item_id", "item_title"} if columns is None else set(columns)
        lacking = [c for c in ("item_id", "item_title") if c in asked and not loaded.has(c)]
        if not lacking:
            return loaded
        import polars as pl

        items = self.load("order_items", ("order_id", "item_id", "outer_id", "item_title"))
        # The item's 商品ID, else the seller's 商家编码; the titles of an order's items in
        # their order, each once, joined by "；" (a seller reads them as one line).
        per_order = (
            items.frame.lazy()
            .with_columns(pl.coalesce("item_id", "outer_id").alias("item_id"))
            .group_by("order_id", maintain_order=True)
            .agg(
                pl.col("item_id").drop_nulls().first(),
                pl.col("item_title").drop_nulls().unique(maintain_order=True).str.join("；"),
            )
            .with_columns(pl.col("item_title").replace("", None))
            .select("order_id", *lacking)
            .collect()
        )
        frame = loaded.frame
        types = {c: frame.schema[c] for c in lacking if c in frame.columns}
        joined = (
            frame.drop(list(types))
            .join(per_order, on="order_id", how="left", maintain_order="left")
            .with_columns(pl.col(c).cast(t) for c, t in types.items())
            .select(frame.columns)
        )
        return LoadedExport(
            loaded.kind, joined, loaded.sources, loaded.present | set(lacking), loaded.warnings
        )

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
            loaded = self.reader.load(kind, self._paths(kind), columns, reduce, categories)
            self._record(loaded)
            self._loaded[key] = self._with_items(loaded, columns)
        return self._loaded[key]

    def _prepare(self, kind: str) -> None:
        """Before ``kind`` is read: it must be given; the other exports of the run are opened
        (a GB18030 one transcoded) meanwhile — a bad path is said when that kind is read, as
        without the prefetch."""
        if kind not in KINDS:
            raise KeyError(kind)
        if not self.has(kind):
            needed = tr(
                "this command needs the {kind} export: give {option} FILE or --dir DIR",
                kind=kind,
                option=OPTION_NAMES[kind],
            )
            if kind == "orders" and self.files.get("order_items"):
                needed = tr(
                    "{needed} (the {option} export has no 买家实际支付金额 / 订单付款时间 columns "
                    "to stand in for it)",
                    needed=needed,
                    option=OPTION_NAMES["order_items"],
                )
            raise UsageError(needed)
        for other, paths in self.files.items():
            if other != kind and paths != self._paths(kind):
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
            parts = self.reader.load_parts(kind, self._paths(kind), list(column_sets), categories)
            for key, columns, part in zip(keys, column_sets, parts, strict=True):
                self._record(part)
                self._loaded[key] = self._with_items(part, columns)
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
            times = loaded.frame.get_column(column)
            until = self.reader.options.happened_by
            newest = (times if until is None else times.filter(times <= until)).max()
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
