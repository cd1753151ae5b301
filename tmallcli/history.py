"""The SQLite history of a shop's headline figures (SPEC §15 History).

Every run given ``--history FILE`` records its figures, one row per (shop, as-of date,
figure), so ``tmall history`` and the report's HTML show months of trend. A re-run of the
same day replaces that day's figures (the newest run of a day is the day's truth: a late
export corrected, a config fixed); the figures a run does not compute are left as they
were. One run is one transaction (:class:`~tmallcli.sqlite_file.SqliteFile`): a second run
at the same time waits for the first (busy timeout) instead of failing, a crash leaves the
file as it was, a newer or foreign file is refused in one line.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from tmallcli.errors import TmallError
from tmallcli.sqlite_file import BUSY_TIMEOUT_SECONDS, SqliteFile

SCHEMA_VERSION = 1
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class HistoryError(TmallError):
    """The history file cannot be used (not a history, too new, busy, unwritable)."""


def _create_v1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """
        CREATE TABLE figures (
            shop        TEXT NOT NULL,
            as_of       TEXT NOT NULL,         -- YYYY-MM-DD, the run's T
            metric      TEXT NOT NULL,         -- config/history.py: HISTORY_METRICS
            value       REAL NOT NULL,
            command     TEXT NOT NULL,         -- the command that recorded it (report, …)
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (shop, metric, as_of)
        ) WITHOUT ROWID
        """
    )


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {0: _create_v1}
TABLES = {"figures"}


class History(SqliteFile):
    """An open history file (:meth:`open`, then :meth:`transaction`)."""

    NOUN = "history"
    ERROR = HistoryError
    TABLES = TABLES
    MIGRATIONS = MIGRATIONS

    def schema_version(self) -> int:
        return SCHEMA_VERSION

    def record(
        self,
        shop: str,
        as_of: date,
        figures: Mapping[str, float],
        *,
        command: str,
        recorded_at: datetime,
    ) -> None:
        """Write ``figures`` for (shop, as_of), replacing what that day already held for them."""
        assert self.conn is not None
        self.conn.executemany(
            "INSERT OR REPLACE INTO figures (shop, as_of, metric, value, command, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    shop,
                    as_of.isoformat(),
                    metric,
                    float(value),
                    command,
                    recorded_at.strftime(TIME_FORMAT),
                )
                for metric, value in figures.items()
            ],
        )

    def previous(self, shop: str, before: date, metrics: list[str]) -> dict[str, Point]:
        """Each metric's last recorded value on a day before ``before``."""
        if self.empty or not metrics:
            return {}
        assert self.conn is not None
        found: dict[str, Point] = {}
        for metric in metrics:
            row = self.conn.execute(
                "SELECT as_of, value FROM figures WHERE shop = ? AND metric = ? AND as_of < ? "
                "ORDER BY as_of DESC LIMIT 1",
                (shop, metric, before.isoformat()),
            ).fetchone()
            if row is not None:
                found[metric] = Point(date.fromisoformat(row[0]), row[1])
        return found

    def shops(self) -> list[str]:
        if self.empty:
            return []
        assert self.conn is not None
        return [row[0] for row in self.conn.execute("SELECT DISTINCT shop FROM figures ORDER BY 1")]

    def series(
        self,
        shop: str,
        *,
        metrics: list[str] | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> dict[str, list[Point]]:
        """metric → its points, oldest first, within ``start`` … ``end`` (both included)."""
        if self.empty:
            return {}
        assert self.conn is not None
        query = "SELECT metric, as_of, value FROM figures WHERE shop = ?"
        params: list[str] = [shop]
        if metrics is not None:
            query += f" AND metric IN ({', '.join('?' * len(metrics))})"
            params += metrics
        if start is not None:
            query += " AND as_of >= ?"
            params.append(start.isoformat())
        if end is not None:
            query += " AND as_of <= ?"
            params.append(end.isoformat())
        found: dict[str, list[Point]] = {}
        for metric, as_of, value in self.conn.execute(query + " ORDER BY metric, as_of", params):
            found.setdefault(metric, []).append(Point(date.fromisoformat(as_of), value))
        return found


@dataclass(frozen=True)
class Point:
    as_of: date
    value: float


@dataclass
class Recorded:
    """What one run wrote (``previous``: each figure's last value before that day)."""

    path: str
    shop: str
    as_of: date
    figures: dict[str, float]
    previous: dict[str, Point] = field(default_factory=dict)


def record(
    path: Path,
    shop: str,
    as_of: date,
    figures: Mapping[str, float],
    *,
    command: str,
    now: datetime,
    timeout: float = BUSY_TIMEOUT_SECONDS,
) -> Recorded:
    """Record one day's ``figures`` in one transaction; with the values they follow."""
    with History.open(path, timeout=timeout) as history, history.transaction(write=True):
        previous = history.previous(shop, as_of, list(figures))
        history.record(shop, as_of, figures, command=command, recorded_at=now)
    return Recorded(str(path), shop, as_of, dict(figures), previous)


def record_days(
    path: Path,
    shop: str,
    days: Mapping[date, Mapping[str, float]],
    *,
    command: str,
    now: datetime,
    timeout: float = BUSY_TIMEOUT_SECONDS,
) -> None:
    """Record several days at once (``tmall history backfill``), in one transaction."""
    with History.open(path, timeout=timeout) as history, history.transaction(write=True):
        for as_of, figures in days.items():
            history.record(shop, as_of, figures, command=command, recorded_at=now)


def read_history(path: Path, *, timeout: float = BUSY_TIMEOUT_SECONDS) -> History:
    """An existing history, opened to read (the caller closes it)."""
    return History.open_existing(path, timeout=timeout)
