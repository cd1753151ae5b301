"""The payout ledger's SQLite schema and its upgrades (SPEC §5, §5.1).

:data:`MIGRATIONS` ``[n]`` upgrades a ledger at schema version n to n + 1 inside the first
writing transaction (:class:`tmallcli.ledger.Ledger`); version 0 is a new, empty file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


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


STATES = ("owed", "paid", "void")
# Lines recorded before the payout loop (schema 1) were "paid" the day they were listed:
# that tmall printed each payout once and never again, so the person sending red packets
# sent it then. Upgraded as owed, the whole history would come back as open.
V1_NOTE = "recorded before the payout loop (ledger schema 1): taken as paid"


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """Line states (owed / paid / void), line ids, adjustment lines, the marks, the start date."""
    conn.execute("ALTER TABLE payouts RENAME TO payouts_v1")
    conn.execute(
        """
        CREATE TABLE payouts (
            line_id     INTEGER PRIMARY KEY,   -- what mark-paid / void name (stable: not rowid)
            kind        TEXT NOT NULL,         -- late_shipment | promise_broken | out_of_stock
            order_id    TEXT NOT NULL,
            buyer       TEXT,
            group_id    TEXT NOT NULL,         -- one 红包: buyer:first order, or the order
            amount_fen  INTEGER NOT NULL CHECK (amount_fen >= 0),
            run_id      TEXT NOT NULL REFERENCES runs(run_id),
            recorded_at TEXT NOT NULL,
            adjustment  INTEGER NOT NULL DEFAULT 0,  -- 1: a regrouping's extra money
            state       TEXT NOT NULL DEFAULT 'owed' CHECK (state IN ('owed', 'paid', 'void')),
            reason      TEXT,                  -- why it is owed, as printed the day it was new
            settled_at  TEXT,                  -- when it was marked paid / void
            mark_id     TEXT REFERENCES marks(mark_id),
            note        TEXT                   -- the void reason, or how it became paid
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE marks (
            mark_id   TEXT PRIMARY KEY,
            marked_at TEXT NOT NULL,
            action    TEXT NOT NULL CHECK (action IN ('paid', 'void')),
            source    TEXT NOT NULL,           -- the selection: --run / --line / --buyer / --file
            reason    TEXT,
            lines     INTEGER NOT NULL,
            total_fen INTEGER NOT NULL
        )
        """
    )
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(
        "INSERT INTO payouts (kind, order_id, buyer, group_id, amount_fen, run_id, recorded_at, "
        "state, settled_at, note) SELECT kind, order_id, buyer, group_id, amount_fen, run_id, "
        "recorded_at, 'paid', recorded_at, ? FROM payouts_v1 ORDER BY rowid",
        (V1_NOTE,),
    )
    conn.execute("DROP TABLE payouts_v1")
    # An order is owed once per kind; a group's adjustments sit beside its orders' lines.
    conn.execute(
        "CREATE UNIQUE INDEX payouts_order ON payouts(kind, order_id) WHERE adjustment = 0"
    )
    conn.execute("CREATE INDEX payouts_group ON payouts(kind, group_id)")
    conn.execute("CREATE INDEX payouts_buyer ON payouts(buyer)")
    conn.execute("CREATE INDEX payouts_recorded_at ON payouts(recorded_at)")
    conn.execute("CREATE INDEX payouts_state ON payouts(state)")
    conn.execute("CREATE INDEX payouts_run ON payouts(run_id)")


# A ledger written by schema 1 (before the payout loop) upgrades on its next writing run.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {0: _create_v1, 1: _v1_to_v2}
TABLES = {"runs", "payouts"}
