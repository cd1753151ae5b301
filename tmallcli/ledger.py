"""The SQLite payout ledger: a buyer is never paid twice (SPEC §5 Ledger, §5.1 the loop).

cron runs ``tmall compensate late-orders --ledger FILE`` daily on exports that overlap and
grow. Every payout line is recorded per order (``UNIQUE(kind, order_id)`` for order lines)
with its amount, group, run and time, as money **owed**; ``mark-paid`` turns lines
``paid``, ``void`` turns them ``void`` (:mod:`tmallcli.ledger_marks`). One run is one
transaction::

    BEGIN IMMEDIATE            -- a second run waits here (busy timeout), or fails cleanly
    read what the ledger already holds (owed + paid + void) for the computed groups' orders
    new owed per group = min(cap, Σ amounts) − already held (ledger + platform), ≥ 0
    insert every new line (a regrouping's extra money as one adjustment line) and the run
    read the open list (every line still owed)
    COMMIT                     -- a crash before this leaves the ledger as it was

``--dry-run`` does the same reads in a read transaction and rolls back: nothing is written,
and a ledger file that does not exist yet is not created.

The schema is created and versioned by the tool (``PRAGMA user_version``). A newer version
than this tmall knows is refused; an older one is upgraded by :data:`MIGRATIONS` inside the
first writing transaction (:class:`~tmallcli.sqlite_file.SqliteFile` does the opening,
checking, upgrading and transactions for the ledger and the history alike).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from tmallcli.errors import TmallError
from tmallcli.ledger_results import (
    Adjustment,
    LedgerEntry,
    LedgerListing,
    LedgerReport,
    OpenPayout,
    adjustments_of,
    reaching_back,
    since_lines,
    would_be_new,
)
from tmallcli.ledger_schema import MIGRATIONS, STATES, TABLES, V1_NOTE
from tmallcli.sqlite_file import BUSY_TIMEOUT_SECONDS, SqliteFile

__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STATES",
    "TABLES",
    "TIME_FORMAT",
    "V1_NOTE",
    "Ledger",
    "LedgerEntry",
    "LedgerError",
    "LedgerListing",
    "LedgerReport",
    "OpenPayout",
    "RunInfo",
    "listing",
    "pay",
]

if TYPE_CHECKING:
    import polars as pl

    from tmallcli.metrics.compensation import Proposal, Settlement

SCHEMA_VERSION = 2
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class LedgerError(TmallError):
    """The ledger file cannot be used (not a ledger, too new, busy, unwritable)."""


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


class Ledger(SqliteFile):
    """An open ledger file (:meth:`open`, then :meth:`transaction`): opening, the schema
    version check and upgrade, transactions and their errors are :class:`SqliteFile`'s."""

    NOUN = "ledger"
    ERROR = LedgerError
    TABLES = TABLES
    MIGRATIONS = MIGRATIONS

    def schema_version(self) -> int:
        return SCHEMA_VERSION

    # ---------------------------------------------------------------- reads and writes

    @property
    def lines_table(self) -> str:
        """The payout lines as a v2 table; a schema-1 ledger read without upgrading (a dry
        run, a listing) shows its lines as paid, as the upgrade would record them."""
        if self.version >= 2:
            return "payouts"
        return (
            "(SELECT rowid AS line_id, kind, order_id, buyer, group_id, amount_fen, run_id, "
            "recorded_at, 0 AS adjustment, 'paid' AS state, NULL AS reason, "
            f"recorded_at AS settled_at, NULL AS mark_id, '{V1_NOTE}' AS note FROM payouts)"
        )

    def paid_for(self, keys: pl.DataFrame) -> pl.DataFrame:
        """What the ledger holds for each (kind, order_id) of ``keys``, owed, paid or void
        (voided money is never owed again): kind, order_id, ledger_fen."""
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

    def has_lines(self) -> bool:
        if self.empty:
            return False
        assert self.conn is not None
        return self.conn.execute("SELECT 1 FROM payouts LIMIT 1").fetchone() is not None

    def record(
        self,
        settlement: Settlement,
        run: RunInfo,
        recorded_at: datetime,
        *,
        reasons: dict[tuple[str, str], str] | None = None,
        adjustments: Sequence[Adjustment] = (),
    ) -> int:
        """Insert the run, every line of ``settlement`` with a positive amount, owed, and one
        adjustment line (kind, buyer, group, order, fen) per regrouped group."""
        at = recorded_at.strftime(TIME_FORMAT)
        reasons = reasons or {}
        lines = [
            (
                payout.kind,
                line.order_id,
                payout.buyer,
                payout.group_id,
                line.pay_fen,
                run.run_id,
                at,
                0,
                reasons.get((payout.kind, payout.group_id)),
            )
            for payout in settlement.payouts
            for line in payout.lines
            if line.pay_fen > 0
        ]
        lines += [
            (kind, order_id, buyer, group_id, fen, run.run_id, at, 1, None)
            for kind, buyer, group_id, order_id, fen in adjustments
            if fen > 0
        ]
        total_fen = settlement.total_fen + sum(fen for *_, fen in adjustments if fen > 0)
        self._insert_run(run, len(lines), total_fen)
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
            "recorded_at, adjustment, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            lines,
        )

    def mark_lines(
        self,
        mark_id: str,
        action: str,
        line_ids: Sequence[int],
        at: str,
        *,
        source: str,
        reason: str | None,
        total_fen: int,
    ) -> None:
        """Record the marking and turn the owed ``line_ids`` ``paid`` or ``void``."""
        assert self.conn is not None
        self.conn.execute(
            "INSERT INTO marks (mark_id, marked_at, action, source, reason, lines, total_fen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (mark_id, at, action, source, reason, len(line_ids), total_fen),
        )
        self.conn.executemany(
            "UPDATE payouts SET state = ?, settled_at = ?, mark_id = ?, note = ? "
            "WHERE line_id = ? AND state = 'owed'",
            [(action, at, mark_id, reason, line_id) for line_id in line_ids],
        )

    # ---------------------------------------------------------------- the start date

    def since(self) -> date | None:
        """The ledger's start date (the last --since given): older orders are left out."""
        if self.empty or self.version < 2:
            return None
        assert self.conn is not None
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'since'").fetchone()
        return None if row is None else date.fromisoformat(row[0])

    def keep_since(self, day: date) -> None:
        assert self.conn is not None
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('since', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (day.isoformat(),),
        )

    # ---------------------------------------------------------------- the open list

    def open_payouts(self, today: date, *, new_run: str | None = None) -> list[OpenPayout]:
        """Every line still owed, one payout per (group, run): ``new_run``'s first, then the
        older ones, oldest first, with their age in days."""
        if self.empty:
            return []
        assert self.conn is not None
        rows = self.conn.execute(
            "SELECT line_id, kind, order_id, buyer, group_id, amount_fen, run_id, recorded_at, "
            f"adjustment, reason FROM {self.lines_table} WHERE state = 'owed' "
            "ORDER BY recorded_at, run_id, kind, group_id, adjustment, line_id"
        ).fetchall()
        payouts: dict[tuple[str, str, str, bool], OpenPayout] = {}
        for line_id, kind, order_id, buyer, group_id, fen, run_id, at, adjustment, why in rows:
            key = (run_id, kind, group_id, bool(adjustment))
            payout = payouts.get(key)
            if payout is None:
                recorded = datetime.strptime(at, TIME_FORMAT).date()
                payout = payouts[key] = OpenPayout(
                    kind=kind,
                    buyer=buyer,
                    group_id=group_id,
                    run_id=run_id,
                    recorded_at=at,
                    line_ids=[],
                    order_ids=[],
                    amount_fen=0,
                    new=run_id == new_run,
                    age_days=max((today - recorded).days, 0),
                    adjustment=bool(adjustment),
                    reason=why,
                )
            payout.line_ids.append(int(line_id))
            payout.order_ids.append(order_id)
            payout.amount_fen += int(fen)
        listed = list(payouts.values())
        return [p for p in listed if p.new] + [p for p in listed if not p.new]

    # ---------------------------------------------------------------- listing

    def entries(
        self,
        *,
        since: date | None = None,
        buyer: str | None = None,
        run_id: str | None = None,
        state: str | None = None,
    ) -> list[LedgerEntry]:
        if self.empty:
            return []
        assert self.conn is not None
        query = (
            "SELECT kind, order_id, buyer, group_id, amount_fen, run_id, recorded_at, line_id, "
            f"state, adjustment, settled_at, note FROM {self.lines_table} WHERE 1 = 1"
        )
        params: list[str] = []
        for column, value in (("recorded_at >=", since), ("buyer =", buyer), ("run_id =", run_id)):
            if value is not None:
                query += f" AND {column} ?"
                params.append(value.isoformat() if isinstance(value, date) else value)
        if state is not None:
            query += " AND state = ?"
            params.append(state)
        query += " ORDER BY recorded_at, run_id, kind, group_id, line_id"
        return [
            LedgerEntry(
                kind=kind,
                order_id=order_id,
                buyer=buyer,
                group_id=group_id,
                amount_fen=int(fen),
                run_id=run,
                recorded_at=at,
                line_id=int(line_id),
                state=state,
                adjustment=bool(adjustment),
                settled_at=settled_at,
                note=note,
            )
            for (
                kind,
                order_id,
                buyer,
                group_id,
                fen,
                run,
                at,
                line_id,
                state,
                adjustment,
                settled_at,
                note,
            ) in self.conn.execute(query, params)
        ]


FIRST_RUN_DAYS = 30


def pay(
    path: Path,
    proposal: Proposal,
    run: RunInfo,
    *,
    now: datetime,
    since: date | None = None,
    reasons: Callable[[Settlement], dict[tuple[str, str], str]] | None = None,
    timeout: float = BUSY_TIMEOUT_SECONDS,
) -> tuple[Settlement, LedgerReport]:
    """Settle ``proposal`` against the ledger, record the new owed lines and read the open
    list, in one transaction. ``since`` (else the ledger's kept start date) leaves older
    orders out; a new ``since`` is kept. ``reasons``: each new payout's words, stored with
    its lines. With ``run.dry_run`` nothing is written. Returns what is new and the report.
    """
    from tmallcli.metrics.compensation import settle_payouts

    path = Path(path)
    existed = path.exists()
    with (
        Ledger.open(path, create=not run.dry_run, timeout=timeout) as ledger,
        ledger.transaction(write=not run.dry_run),
    ):
        kept = ledger.since()
        effective = since if since is not None else kept
        first_run = not ledger.has_lines()
        proposal = since_lines(proposal, effective)
        keys = proposal.lines.select("kind", "order_id").unique()
        paid = ledger.paid_for(keys)
        settlement = settle_payouts(proposal, paid)
        adjustments = adjustments_of(proposal, settlement)
        recorded = 0
        if not run.dry_run:
            if since is not None and since != kept:
                ledger.keep_since(since)
            words = reasons(settlement) if reasons is not None else None
            recorded = ledger.record(settlement, run, now, reasons=words, adjustments=adjustments)
        open_list = ledger.open_payouts(now.date(), new_run=None if run.dry_run else run.run_id)
    if run.dry_run:
        open_list = would_be_new(settlement, adjustments) + open_list
    older_than = run.as_of - timedelta(days=FIRST_RUN_DAYS)
    older_lines, older_fen = 0, 0
    if first_run and effective is None:
        older_lines, older_fen = reaching_back(settlement, older_than)
    adjusted = sum(fen for *_, fen in adjustments)
    report = LedgerReport(
        path=str(path),
        run_id=None if run.dry_run else run.run_id,
        dry_run=run.dry_run,
        recorded_lines=recorded,
        recorded_fen=0 if run.dry_run else settlement.total_fen + adjusted,
        previously_paid_fen=int(paid.get_column("ledger_fen").sum() or 0),
        existed=existed,
        since=effective,
        adjustment_lines=len(adjustments),
        first_run_older_lines=older_lines,
        first_run_older_fen=older_fen,
        older_than=older_than,
        open=open_list,
    )
    return settlement, report


def listing(
    path: Path,
    *,
    since: date | None = None,
    buyer: str | None = None,
    run_id: str | None = None,
    state: str | None = None,
    timeout: float = BUSY_TIMEOUT_SECONDS,
) -> LedgerListing:
    """The recorded lines (``tmall compensate ledger``), read in a read transaction."""
    path = Path(path)
    with Ledger.open_existing(path, timeout=timeout) as ledger, ledger.transaction(write=False):
        entries = ledger.entries(since=since, buyer=buyer, run_id=run_id, state=state)
    return LedgerListing(str(path), since, buyer, run_id=run_id, entries=entries, state=state)
