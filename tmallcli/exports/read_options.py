"""What a read is given and gives back: its options (encoding, sheet, bad rows, the user's
mapping, the cache, progress), a fold applied while the rows stream in, and the loaded export.
Kept apart from :mod:`tmallcli.exports.reader` (the reading itself), which imports them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import polars as pl

from tmallcli.exports.folding import OrderStatuses
from tmallcli.exports.parsed_cache import CacheSettings
from tmallcli.exports.source import Source
from tmallcli.exports.user_mapping import NO_MAPPING, UserMapping

# A fold of a kind's rows applied while they stream in (ExportReader.load ``reduce``). It must
# give the same result on its own output (files are folded one by one, then together), on
# any split of the rows, and whether or not exact duplicate rows are there: those are not
# counted for a reduced kind. It is hashable and compared by value (the load is cached).
# ``reduce(rows, apart)`` folds rows that differ in a column of ``apart`` apart and keeps
# rows where those are filled: the reader passes ``("_bad",)`` so that the bad rows of a file
# fold on their own, in the same single query (a second query sharing the scan makes
# Polars' streaming engine buffer the whole file for it: 7.3 GB instead of 2.7 GB for the
# 10 M-order shop's tracking export). A fold keeps the kind's date column as each group's newest
# time, so that the run still knows the export's newest row (SPEC §14 data_through).
Reduce = Callable[[pl.LazyFrame, tuple[str, ...]], pl.LazyFrame]


def reads_whole(reduce: Reduce) -> bool:
    """Does ``reduce`` keep what every row says (a reduce may say ``whole = False``: e.g. the
    tracking events of some orders' packages)? Only a whole read writes the file's rows into the
    parsed-export cache: a load that keeps a sliver would pay for writing every row on each new
    export (score service at 1 M: 42 % on a first run) to save a parse it rarely repeats."""
    return bool(getattr(reduce, "whole", True))


class Step(Protocol):
    """Where a long read has got to: one file of a kind read, ``label`` saying which."""

    def advance(self, label: str) -> None: ...


# How a read shows its progress: called with what is read and how many files, it gives a
# context manager whose Step advances once a file. The library shows nothing; the CLI passes
# its bar on stderr (tmallcli.render.progress), which is shown only on a terminal.
Progress = Callable[[str, int], AbstractContextManager[Step]]


class _Silent:
    def advance(self, label: str) -> None:
        return None


@contextmanager
def no_progress(description: str, total: int) -> Iterator[Step]:
    yield _Silent()


@dataclass
class ReadOptions:
    encoding: str | None = None
    sheet: str | None = None
    skip_bad_rows: bool = False
    progress: Progress = no_progress
    # The user's own header and value mapping (tmall.yaml ``columns:`` / ``values:``).
    mapping: UserMapping = NO_MAPPING
    # How an order's items fold into the order (config ``orders``); None: the shipped config's.
    order_statuses: OrderStatuses | None = None
    # The parsed-export cache (SPEC §15, :mod:`tmallcli.exports.parsed_cache`); None: off.
    cache: CacheSettings | None = None
    # A row after this instant has not happened yet on T: it does not move how far the export
    # reaches (SPEC §14 data_through). None: every row counts.
    happened_by: datetime | None = None


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
