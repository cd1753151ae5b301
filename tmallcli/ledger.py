"""The SQLite payout ledger: a buyer is never paid twice (SPEC §5 Ledger).

cron runs ``tmall compensate late-orders --ledger FILE`` daily on exports that overlap and
grow. Every payout line is recorded per order (``UNIQUE(kind, order_id)``) with its
amount, group, run and time. One run is one transaction::

    BEGIN IMMEDIATE            -- a second run waits here (busy timeout), or fails cleanly
    read what the ledger already paid for the orders of the computed groups
    new payout per group = min(cap, Σ amounts) − already paid (ledger + platform), ≥ 0
    insert every new line and the run
    COMMIT                     -- a crash before this leaves the ledger as it was

``--dry-run`` does the same reads in a read transaction and rolls back: nothing is written,
and a ledger file that does not exist yet is not created.

The schema is created and versioned by the tool (``PRAGMA user_version``). A newer version
than this tmall knows is refused; an older one is upgraded by :data:`MIGRATIONS` inside the
first writing transaction.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tmallcli.errors import TmallError
from tmallcli.i18n import tr

if TYPE_CHECKING:
    import polars as pl

    from tmallcli.metrics.compensation import Proposal, Settlement

SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 30.0
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class LedgerError(TmallError):
    """The ledger file cannot be used (not a ledger, too new, busy, unwritable)."""


def _create_v1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """
        CREATE TABLE runs (
            run_id       TEXT PRIMARY KEY,
            started_at   TEXT NOT NULL,
            as_of        TEXT NOT NULL,
            dry_run      INTEGER NOT NULL DEFAULT 0,
            files        TEXT NOT NULL,        -- JSON list of the input files
            tool_version TEXT,
            payouts      INTEGER NOT NULL,     -- lines recorded by this run
            total_fen    INTEGER NOT NULL
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE payouts (
            kind        TEXT NOT NULL,         -- late_shipment | promise_broken | out_of_stock
            order_id    TEXT NOT NULL,
            buyer       TEXT,
            group_id    TEXT NOT NULL,         -- one 红包: buyer:first order, or the order
            amount_fen  INTEGER NOT NULL CHECK (amount_fen >= 0),
            run_id      TEXT NOT NULL REFERENCES runs(run_id),
            recorded_at TEXT NOT NULL,
            UNIQUE (kind, order_id)
        )
        """
    )
    conn.execute("CREATE INDEX payouts_buyer ON payouts(buyer)")
    conn.execute("CREATE INDEX payouts_recorded_at ON payouts(recorded_at)")


# MIGRATIONS[n] upgrades a ledger at schema version n to n + 1, inside the writing
# transaction. Version 0 is a new, empty file. A future v2 adds ``1: _v1_to_v2`` here and
# bumps SCHEMA_VERSION; old ledgers upgrade on their next writing run.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {0: _create_v1}
TABLES = {"runs", "payouts"}


@dataclass(frozen=True)
class RunInfo:
    """What the ``runs`` table records about one run."""

    as_of: date
    files: list[str]
    started_at: datetime
    run_id: str = ""
    dry_run: bool = False
    tool_version: str | None = None

    @classmethod
    def new(
        cls,
        as_of: date,
        files: list[str],
        started_at: datetime,
        *,
        dry_run: bool = False,
        tool_version: str | None = None,
    ) -> RunInfo:
        run_id = f"{started_at:%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}"
        return cls(as_of, list(files), started_at, run_id, dry_run, tool_version)


@dataclass
class LedgerReport:
    """What a run did to the ledger (the JSON ``ledger`` block)."""

    path: str
    run_id: str | None  # None: dry run, nothing recorded
    dry_run: bool
    recorded_lines: int
    recorded_fen: int
    previously_paid_fen: int  # what the ledger already held for the orders of this run's groups
    existed: bool


@dataclass
class LedgerEntry:
    kind: str
    order_id: str
    buyer: str | None
    group_id: str
    amount_fen: int
    run_id: str
    recorded_at: str


@dataclass
class LedgerListing:
    path: str
    since: date | None
    buyer: str | None
    run_id: str | None = None
    entries: list[LedgerEntry] = field(default_factory=list)

    @property
    def total_fen(self) -> int:
        return sum(e.amount_fen for e in self.entries)


def _is_busy(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc)


class Ledger:
    """An open ledger file. Use :meth:`open` and the :meth:`transaction` context manager."""

    def __init__(self, conn: sqlite3.Connection | None, path: Path) -> None:
        self.conn = conn  # None: a dry run on a ledger that does not exist yet
        self.path = path
        self.version = 0

    @classmethod
    def open(
        cls, path: Path, *, create: bool = True, timeout: float = BUSY_TIMEOUT_SECONDS
    ) -> Ledger:
        path = Path(path)
        if path.is_dir():
            raise LedgerError(tr("{path}: is a folder, not a ledger file", path=path))
        if not path.exists():
            if not create:
                return cls(None, path)
            if not path.parent.exists():
                raise LedgerError(
                    tr(
                        "{path}: cannot create the ledger (no folder {parent})",
                        path=path,
                        parent=path.parent,
                    )
                )
        try:
            conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise LedgerError(
                tr("{path}: cannot open the ledger ({exc})", path=path, exc=exc)
            ) from None
        return cls(conn, path)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- transactions

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Ledger]:
        """``BEGIN IMMEDIATE`` … ``COMMIT`` to write; ``BEGIN`` … ``ROLLBACK`` to only read.

        Any exception inside rolls back, so a failed run leaves the ledger as it was.
        """
        conn = self.conn
        if conn is None:
            yield self
            return
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            self._prepare(write=write)
        except sqlite3.Error as exc:
            self._rollback()
            raise self._error(exc) from None
        except BaseException:
            self._rollback()
            raise
        try:
            yield self
            if write:
                conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise self._error(exc) from None
        except BaseException:
            self._rollback()
            raise
        else:
            self._rollback()

    def _rollback(self) -> None:
        conn = self.conn
        if conn is not None and conn.in_transaction:
            # A broken file may refuse even this; the error that brought us here is raised.
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")

    def _error(self, exc: sqlite3.Error) -> LedgerError:
        if _is_busy(exc):
            return LedgerError(
                tr("{path}: ledger is busy (another tmall run holds it)", path=self.path),
                hint=tr("try again when the other run has finished"),
            )
        text = str(exc)
        if "not a database" in text or "malformed" in text:
            return LedgerError(
                tr("{path}: not a tmall ledger (not an SQLite database)", path=self.path)
            )
        if "readonly" in text or "read-only" in text:
            return LedgerError(
                tr("{path}: the ledger is read-only ({text})", path=self.path, text=text)
            )
        return LedgerError(tr("{path}: ledger error ({text})", path=self.path, text=text))

    def _prepare(self, *, write: bool) -> None:
        """Check the schema version; upgrade an older ledger (writing runs only)."""
        assert self.conn is not None
        version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {
            row[0]
            for row in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        if version > SCHEMA_VERSION:
            raise LedgerError(
                tr(
                    "{path}: ledger schema version {version} is newer than this tmall supports ({supported})",
                    path=self.path,
                    version=version,
                    supported=SCHEMA_VERSION,
                ),
                hint=tr("upgrade tmall to use this ledger"),
            )
        if version == 0 and tables:
            raise LedgerError(
                tr(
                    "{path}: not a tmall ledger (an SQLite database with other tables: {tables})",
                    path=self.path,
                    tables=", ".join(sorted(tables)),
                )
            )
        if version > 0 and not tables >= TABLES:
            raise LedgerError(
                tr(
                    "{path}: not a tmall ledger (tables {tables} missing)",
                    path=self.path,
                    tables=", ".join(sorted(TABLES - tables)),
                )
            )
        if write:
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](self.conn)
                version += 1
                self.conn.execute(f"PRAGMA user_version = {version}")
        self.version = version

    @property
    def empty(self) -> bool:
        """No schema yet: a new file, or a dry run before the first writing run."""
        return self.conn is None or self.version == 0

    # ---------------------------------------------------------------- reads and writes

    def paid_for(self, keys: pl.DataFrame) -> pl.DataFrame:
        """What the ledger paid for each (kind, order_id) of ``keys``: kind, order_id, ledger_fen."""
        import polars as pl

        schema = {"kind": pl.String, "order_id": pl.String, "ledger_fen": pl.Int64}
        if self.empty or keys.height == 0:
            return pl.DataFrame(schema=schema)
        assert self.conn is not None
        self.conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS wanted "
            "(kind TEXT, order_id TEXT, PRIMARY KEY (kind, order_id)) WITHOUT ROWID"
        )
        self.conn.execute("DELETE FROM temp.wanted")
        self.conn.executemany(
            "INSERT OR IGNORE INTO temp.wanted VALUES (?, ?)",
            keys.select("kind", "order_id").iter_rows(),
        )
        rows = self.conn.execute(
            "SELECT p.kind, p.order_id, SUM(p.amount_fen) FROM payouts AS p "
            "JOIN temp.wanted AS w ON w.kind = p.kind AND w.order_id = p.order_id "
            "GROUP BY p.kind, p.order_id"
        ).fetchall()
        return pl.DataFrame(rows, schema=schema, orient="row")

    def record(self, settlement: Settlement, run: RunInfo, recorded_at: datetime) -> int:
        """Insert the run and every line of ``settlement`` with a positive amount."""
        lines = [
            (
                payout.kind,
                line.order_id,
                payout.buyer,
                payout.group_id,
                line.pay_fen,
                run.run_id,
                recorded_at.strftime(TIME_FORMAT),
            )
            for payout in settlement.payouts
            for line in payout.lines
            if line.pay_fen > 0
        ]
        self._insert_run(run, len(lines), sum(line[4] for line in lines))
        self._insert_payouts(lines)
        return len(lines)

    def _insert_run(self, run: RunInfo, count: int, total_fen: int) -> None:
        assert self.conn is not None
        self.conn.execute(
            "INSERT INTO runs (run_id, started_at, as_of, dry_run, files, tool_version, "
            "payouts, total_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run.run_id,
                run.started_at.strftime(TIME_FORMAT),
                run.as_of.isoformat(),
                int(run.dry_run),
                json.dumps(run.files, ensure_ascii=False),
                run.tool_version,
                count,
                total_fen,
            ),
        )

    def _insert_payouts(self, lines: Sequence[tuple[object, ...]]) -> None:
        assert self.conn is not None
        self.conn.executemany(
            "INSERT INTO payouts (kind, order_id, buyer, group_id, amount_fen, run_id, "
            "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            lines,
        )

    def entries(
        self, *, since: date | None = None, buyer: str | None = None, run_id: str | None = None
    ) -> list[LedgerEntry]:
        if self.empty:
            return []
        assert self.conn is not None
        query = (
            "SELECT kind, order_id, buyer, group_id, amount_fen, run_id, recorded_at "
            "FROM payouts WHERE 1 = 1"
        )
        params: list[str] = []
        if since is not None:
            query += " AND recorded_at >= ?"
            params.append(since.isoformat())
        if buyer is not None:
            query += " AND buyer = ?"
            params.append(buyer)
        if run_id is not None:
            query += " AND run_id = ?"
            params.append(run_id)
        query += " ORDER BY recorded_at, run_id, kind, group_id, order_id"
        return [LedgerEntry(*row) for row in self.conn.execute(query, params)]


def pay(
    path: Path,
    proposal: Proposal,
    run: RunInfo,
    *,
    now: datetime,
    timeout: float = BUSY_TIMEOUT_SECONDS,
) -> tuple[Settlement, LedgerReport]:
    """Settle ``proposal`` against the ledger and record the new payouts, in one transaction.

    With ``run.dry_run`` nothing is written. Returns only what is new.
    """
    from tmallcli.metrics.compensation import settle_payouts

    path = Path(path)
    existed = path.exists()
    with (
        Ledger.open(path, create=not run.dry_run, timeout=timeout) as ledger,
        ledger.transaction(write=not run.dry_run),
    ):
        keys = proposal.lines.select("kind", "order_id").unique()
        paid = ledger.paid_for(keys)
        settlement = settle_payouts(proposal, paid)
        recorded = 0
        if not run.dry_run:
            recorded = ledger.record(settlement, run, now)
    report = LedgerReport(
        path=str(path),
        run_id=None if run.dry_run else run.run_id,
        dry_run=run.dry_run,
        recorded_lines=recorded,
        recorded_fen=0 if run.dry_run else settlement.total_fen,
        previously_paid_fen=int(paid.get_column("ledger_fen").sum() or 0),
        existed=existed,
    )
    return settlement, report


def listing(
    path: Path,
    *,
    since: date | None = None,
    buyer: str | None = None,
    run_id: str | None = None,
    timeout: float = BUSY_TIMEOUT_SECONDS,
) -> LedgerListing:
    """The recorded payouts (``tmall compensate ledger``), read in a read transaction."""
    path = Path(path)
    if not path.exists():
        raise LedgerError(tr("{path}: no such ledger file", path=path))
    with (
        Ledger.open(path, create=False, timeout=timeout) as ledger,
        ledger.transaction(write=False),
    ):
        entries = ledger.entries(since=since, buyer=buyer, run_id=run_id)
    return LedgerListing(str(path), since, buyer, run_id=run_id, entries=entries)
