"""The SQLite payout ledger (SPEC §5): nothing is ever paid twice, whatever happens."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tmallcli import ledger as ledger_module
from tmallcli.config import load_config
from tmallcli.ledger import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Ledger,
    LedgerError,
    RunInfo,
    listing,
    pay,
)
from tmallcli.metrics.compensation import ORDERS_COLUMNS, CompensationRules, Proposal, propose

AS_OF = datetime(2026, 11, 20, 23, 59, 59)
T0 = datetime(2026, 11, 1, 10, 0, 0)
H = timedelta(hours=1)
NOW = datetime(2026, 11, 21, 8, 0, 0)
RULES = CompensationRules.from_config(load_config())


def proposal(
    orders: Sequence[tuple[str, str, float, int]], *, auto: dict[str, int] | None = None
) -> Proposal:
    """Late orders (id, buyer, paid hours after T0, paid fen), never shipped."""
    auto = auto or {}
    data: dict[str, list[Any]] = {c: [] for c in ORDERS_COLUMNS}
    for oid, buyer, hours, fen in orders:
        row = {
            "order_id": oid,
            "buyer": buyer,
            "paid_amount": fen,
            "status": "买家已付款,等待卖家发货",
            "paid_at": T0 + hours * H,
            "auto_compensation": auto.get(oid),
        }
        for c in ORDERS_COLUMNS:
            data[c].append(row.get(c))
    schema = {
        c: pl.Int64
        if c in ("paid_amount", "shipping_fee", "auto_compensation")
        else pl.Datetime("us")
        if c.endswith("_at") or c == "promised_ship_by"
        else pl.Boolean
        if c == "promise_broken"
        else pl.String
        for c in ORDERS_COLUMNS
    }
    frame = pl.DataFrame(data, schema=schema).lazy()
    return propose(frame, None, None, RULES, AS_OF, platform_column=bool(auto))


def run(path: Path, p: Proposal, *, dry_run: bool = False, timeout: float = 5.0) -> Any:
    info = RunInfo.new(AS_OF.date(), ["orders.csv"], NOW, dry_run=dry_run)
    return pay(path, p, info, now=NOW, timeout=timeout)


def contents(path: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as conn:
        payouts = conn.execute(
            "SELECT kind, order_id, buyer, group_id, amount_fen, run_id, recorded_at, state "
            "FROM payouts ORDER BY kind, order_id, adjustment"
        ).fetchall()
        runs = conn.execute("SELECT * FROM runs ORDER BY run_id").fetchall()
    return payouts, runs


def paid(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT order_id, amount_fen FROM payouts").fetchall())


TWO = [("A", "amy", 0, 10_000), ("B", "amy", 1, 10_000)]


# --------------------------------------------------------------------------- paying once


def test_first_run_records_every_line_and_the_run(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    settlement, report = run(path, proposal(TWO))
    assert settlement.total_fen == 6000
    assert report.recorded_lines == 2
    assert report.previously_paid_fen == 0
    assert paid(path) == {"A": 3000, "B": 3000}
    payouts, runs = contents(path)
    assert payouts[0][:5] == ("late_shipment", "A", "amy", "amy:A", 3000)
    assert [line[-1] for line in payouts] == ["owed", "owed"]  # computed is owed, not sent
    assert len(runs) == 1
    assert runs[0][0] == report.run_id
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_rerun_pays_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    run(path, proposal(TWO))
    before = paid(path)
    settlement, report = run(path, proposal(TWO))
    assert settlement.payouts == []
    assert report.recorded_lines == 0
    assert report.previously_paid_fen == 6000
    assert paid(path) == before
    assert len(contents(path)[1]) == 2  # both runs are recorded


def test_a_grown_export_pays_only_the_difference(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    run(path, proposal(TWO))
    grown = [*TWO, ("C", "amy", 2, 10_000)]  # the group grew from 2 to 3 orders
    settlement, _ = run(path, proposal(grown))
    (payout,) = settlement.payouts
    assert payout.group_id == "amy:A"
    assert payout.amount_fen == 3000
    assert payout.ledger_fen == 6000
    assert [(line.order_id, line.pay_fen) for line in payout.lines if line.pay_fen] == [("C", 3000)]
    assert paid(path) == {"A": 3000, "B": 3000, "C": 3000}


def test_a_grown_capped_group_pays_up_to_the_cap_only(tmp_path: Path) -> None:
    # 600.00-yuan items: 180.00 each. Run 1: A + B = 360.00. Run 2 adds C:
    # min(500.00, 540.00) − 360.00 = 140.00, attributed to C.
    path = tmp_path / "ledger.db"
    two = [("A", "amy", 0, 60_000), ("B", "amy", 1, 60_000)]
    run(path, proposal(two))
    settlement, _ = run(path, proposal([*two, ("C", "amy", 2, 60_000)]))
    assert settlement.total_fen == 14_000
    assert paid(path) == {"A": 18_000, "B": 18_000, "C": 14_000}
    assert sum(paid(path).values()) == 50_000
    # and a third order later on the same day still pays nothing more
    settlement, _ = run(path, proposal([*two, ("C", "amy", 2, 60_000), ("D", "amy", 3, 60_000)]))
    assert settlement.payouts == []


def test_platform_payments_count_as_paid_in_the_ledger_too(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    p = proposal(TWO, auto={"A": 3000})
    settlement, _ = run(path, p)
    assert settlement.total_fen == 3000
    assert paid(path) == {"B": 3000}
    assert run(path, p)[0].payouts == []


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    missing = tmp_path / "new.db"
    settlement, report = run(missing, proposal(TWO), dry_run=True)
    assert settlement.total_fen == 6000
    assert report.run_id is None
    assert not missing.exists()

    run(path, proposal(TWO))
    before_bytes = path.read_bytes()
    grown = proposal([*TWO, ("C", "amy", 2, 10_000)])
    settlement, report = run(path, grown, dry_run=True)
    assert settlement.total_fen == 3000  # computed against the ledger
    assert report.recorded_lines == 0
    assert path.read_bytes() == before_bytes
    # the dry run changed nothing: the real run pays the same
    assert run(path, grown)[0].total_fen == 3000


# --------------------------------------------------------------------------- failures


def test_a_crash_mid_run_leaves_the_ledger_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ledger.db"
    run(path, proposal(TWO))
    before = contents(path)
    original = Ledger._insert_payouts

    def crash(self: Ledger, lines: list[tuple[object, ...]]) -> None:
        original(self, lines)  # the lines are in, the transaction is not committed
        raise RuntimeError("power cut")

    monkeypatch.setattr(Ledger, "_insert_payouts", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        run(path, proposal([*TWO, ("C", "amy", 2, 10_000), ("D", "bob", 0, 10_000)]))
    assert contents(path) == before


def test_a_crash_on_the_very_first_run_leaves_no_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ledger.db"

    def crash(self: Ledger, lines: list[tuple[object, ...]]) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(Ledger, "_insert_payouts", crash)
    with pytest.raises(RuntimeError):
        run(path, proposal(TWO))
    monkeypatch.undo()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    assert run(path, proposal(TWO))[0].total_fen == 6000


KILLED_CHILD = """
import sys, time
from tmallcli import ledger

original = ledger.Ledger._insert_payouts

def stall(self, lines):
    original(self, lines)
    print("inserted", flush=True)
    time.sleep(120)

ledger.Ledger._insert_payouts = stall
from tmallcli.cli import app
app(sys.argv[1:], prog_name="tmall")
"""

ORDERS_HEADER = "订单编号,买家会员名,买家实际支付金额,订单状态,订单付款时间,发货时间\n"


def orders_csv(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """(order id, buyer, paid yuan, paid at) — none shipped."""
    body = "".join(f"{o},{b},{y},买家已付款，等待卖家发货,{t},\n" for o, b, y, t in rows)
    path.write_text(ORDERS_HEADER + body, encoding="utf-8")
    return path


CSV_ROWS = [
    ("A", "amy", "100.00", "2026-11-01 10:00:00"),
    ("B", "amy", "100.00", "2026-11-01 11:00:00"),
    ("C", "bob", "20.00", "2026-11-02 09:00:00"),
]


def cli_args(orders: Path, ledger: Path, *extra: str) -> list[str]:
    return [
        "compensate",
        "late-orders",
        "--orders",
        str(orders),
        "--ledger",
        str(ledger),
        "--as-of",
        "2026-11-20",
        "-f",
        "json",
        *extra,
    ]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_run_leaves_the_ledger_unchanged(tmp_path: Path) -> None:
    orders = orders_csv(tmp_path / "orders.csv", CSV_ROWS[:2])
    path = tmp_path / "ledger.db"
    first = subprocess.run(
        [sys.executable, "-m", "tmallcli", *cli_args(orders, path)], capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    before = contents(path)
    grown = orders_csv(tmp_path / "grown.csv", CSV_ROWS)
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_CHILD, *cli_args(grown, path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "inserted"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert contents(path) == before
    # the next run rolls the hot journal back and pays bob, once
    settlement, _ = run(path, proposal([("A", "amy", 0, 10_000), ("C", "bob", 23, 2000)]))
    assert [(p.buyer, p.amount_fen) for p in settlement.payouts] == [("bob", 600)]


def test_two_runs_at_the_same_time_pay_once(tmp_path: Path) -> None:
    orders = orders_csv(tmp_path / "orders.csv", CSV_ROWS)
    path = tmp_path / "ledger.db"
    # Hold the write lock so that both runs compute and then queue for it.
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tmallcli", *cli_args(orders, path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    time.sleep(3)
    holder.execute("ROLLBACK")
    holder.close()
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in results]
    totals = sorted(json.loads(out)["new_total_fen"] for out, _ in results)
    # amy: 2 × 30% × 100.00 = 60.00; bob: 30% × 20.00 = 6.00
    assert totals == [0, 6600]
    # and both print the same open list: owed until marked paid (SPEC §5.1)
    assert [json.loads(out)["total_fen"] for out, _ in results] == [6600, 6600]
    assert paid(path) == {"A": 3000, "B": 3000, "C": 600}
    assert len(contents(path)[1]) == 2


def test_a_busy_ledger_fails_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    run(path, proposal(TWO))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(LedgerError, match=r"ledger is busy \(another tmall run holds it\)"):
            run(path, proposal([*TWO, ("C", "amy", 2, 10_000)]), timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert paid(path) == {"A": 3000, "B": 3000}


def test_a_newer_ledger_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    run(path, proposal(TWO))
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    for dry_run in (False, True):
        with pytest.raises(LedgerError, match="newer than this tmall supports"):
            run(path, proposal(TWO), dry_run=dry_run)
    with pytest.raises(LedgerError, match="newer"):
        listing(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_ledger_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "orders.csv"
    text.write_text("订单编号,买家会员名\n" * 200, encoding="utf-8")
    before = text.read_bytes()
    with pytest.raises(LedgerError, match="not a tmall ledger"):
        run(text, proposal(TWO))
    assert text.read_bytes() == before

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE customers (name TEXT)")
    with pytest.raises(LedgerError, match=r"not a tmall ledger.*customers"):
        run(other, proposal(TWO))

    with pytest.raises(LedgerError, match="folder"):
        run(tmp_path, proposal(TWO))


def test_an_empty_file_becomes_a_ledger(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    path.touch()
    assert run(path, proposal(TWO), dry_run=True)[0].total_fen == 6000
    assert path.read_bytes() == b""
    assert run(path, proposal(TWO))[0].total_fen == 6000


def test_the_migration_hook_upgrades_an_older_ledger(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sorted(MIGRATIONS) == list(range(SCHEMA_VERSION))
    path = tmp_path / "ledger.db"
    run(path, proposal(TWO))
    current = SCHEMA_VERSION

    def to_next(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE payouts ADD COLUMN future TEXT")

    monkeypatch.setattr(ledger_module, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(MIGRATIONS, current, to_next)
    run(path, proposal(TWO), dry_run=True)  # a dry run reads an older ledger, does not upgrade
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == current
    run(path, proposal(TWO))
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == current + 1
        columns = [row[1] for row in conn.execute("PRAGMA table_info(payouts)")]
    assert "future" in columns


# --------------------------------------------------------------------------- listing


def test_listing_filters_by_date_and_buyer(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    info = RunInfo.new(AS_OF.date(), [], datetime(2026, 11, 10, 8))
    pay(path, proposal(TWO), info, now=datetime(2026, 11, 10, 8))
    later = proposal([*TWO, ("C", "bob", 0, 2000)])
    pay(path, later, RunInfo.new(AS_OF.date(), [], NOW), now=NOW)
    everything = listing(path)
    assert [(e.order_id, e.amount_fen) for e in everything.entries] == [
        ("A", 3000),
        ("B", 3000),
        ("C", 600),
    ]
    assert everything.total_fen == 6600
    assert [e.order_id for e in listing(path, since=date(2026, 11, 11)).entries] == ["C"]
    assert [e.order_id for e in listing(path, buyer="amy").entries] == ["A", "B"]
    with pytest.raises(LedgerError, match="no such ledger"):
        listing(tmp_path / "missing.db")


# --------------------------------------------------------------------------- properties

order_spec = st.tuples(
    st.sampled_from(["amy", "bob"]),
    st.integers(min_value=0, max_value=3 * 24 * 60),
    st.integers(min_value=1, max_value=300_000),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(order_spec, min_size=1, max_size=15), st.integers(min_value=0, max_value=15))
def test_rerunning_is_idempotent_and_growth_never_pays_twice(
    tmp_path_factory: pytest.TempPathFactory, specs: list[tuple[str, int, int]], cut: int
) -> None:
    # A grown export: yesterday's export held the orders paid first, today's holds them all.
    ordered = sorted(enumerate(specs), key=lambda item: (item[1][1], item[0]))
    rows = [(f"o{i:02d}", b, m / 60, fen) for i, (b, m, fen) in ordered]
    full = proposal(rows)
    path = tmp_path_factory.mktemp("ledger") / "ledger.db"
    if cut:
        run(path, proposal(rows[:cut]))
    run(path, full)
    assert run(path, full)[0].payouts == []  # re-running pays nothing

    # Paid in two steps = paid in one; no group above the cap.
    once, _ = run(tmp_path_factory.mktemp("fresh") / "ledger.db", full, dry_run=True)
    recorded = paid(path)
    assert sum(recorded.values()) == once.total_fen
    for payout in once.payouts:
        assert sum(recorded.get(o, 0) for o in payout.order_ids) == payout.amount_fen
        assert payout.amount_fen <= RULES.group_cap_fen


# --------------------------------------------------------------------------- processes

STAGED_CHILD = """
import os, sys, time
from tmallcli import ledger

stage = os.environ["TMALL_TEST_STALL"]

def stall():
    print(stage, flush=True)
    time.sleep(120)

if stage == "committed":  # the transaction is over, the report not yet written
    original_pay = ledger.pay

    def pay(*args, **kwargs):
        result = original_pay(*args, **kwargs)
        stall()
        return result

    ledger.pay = pay
else:  # inside the transaction, after the run row or after every payout line
    name = "_insert_run" if stage == "run_inserted" else "_insert_payouts"
    original = getattr(ledger.Ledger, name)

    def patched(self, *args):
        original(self, *args)
        stall()

    setattr(ledger.Ledger, name, patched)

from tmallcli.cli import app
app(sys.argv[1:], prog_name="tmall")
"""


def tmall(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tmallcli", *args], capture_output=True, text=True, timeout=120
    )


def runs_of(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(conn.execute("SELECT count(*) FROM runs").fetchone()[0])


@pytest.fixture
def paid_once(tmp_path: Path) -> tuple[Path, Path, dict[str, int], dict[str, int]]:
    """A ledger that paid amy's first order; the grown export; paid before and after it."""
    first = orders_csv(tmp_path / "first.csv", CSV_ROWS[:1])
    grown = orders_csv(tmp_path / "grown.csv", CSV_ROWS)
    path = tmp_path / "ledger.db"
    assert tmall(*cli_args(first, path)).returncode == 0
    reference = tmp_path / "reference.db"
    reference.write_bytes(path.read_bytes())
    assert tmall(*cli_args(grown, reference)).returncode == 0
    return path, grown, paid(path), paid(reference)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize(
    ("stage", "updated"),
    [("run_inserted", False), ("payouts_inserted", False), ("committed", True)],
)
def test_a_run_killed_at_any_stage_leaves_the_ledger_before_or_after_never_half(
    paid_once: tuple[Path, Path, dict[str, int], dict[str, int]], stage: str, updated: bool
) -> None:
    path, grown, before, after = paid_once
    assert before == {"A": 3000} and after == {"A": 3000, "B": 3000, "C": 600}
    child = subprocess.Popen(
        [sys.executable, "-c", STAGED_CHILD, *cli_args(grown, path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMALL_TEST_STALL": stage},
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == stage
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert paid(path) == (after if updated else before)
    assert runs_of(path) == (2 if updated else 1)
    # The next run pays what is still owed, and only that.
    rerun = tmall(*cli_args(grown, path))
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["new_total_fen"] == (0 if updated else 3600)
    assert json.loads(rerun.stdout)["total_fen"] == 6600  # A, B and C are all still owed
    assert paid(path) == after


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_run_killed_at_random_moments_never_leaves_half_a_payment(
    paid_once: tuple[Path, Path, dict[str, int], dict[str, int]], tmp_path: Path
) -> None:
    path, grown, before, after = paid_once
    base = path.read_bytes()
    seen = set()
    for delay in (0.5, 1.0, 1.8):
        copy = tmp_path / f"ledger-{delay}.db"
        copy.write_bytes(base)
        child = subprocess.Popen(
            [sys.executable, "-m", "tmallcli", *cli_args(grown, copy)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        state = paid(copy)
        assert state in (before, after), (delay, state)
        assert runs_of(copy) == (2 if state == after else 1)
        seen.add(state == after)
    assert seen  # at least one kill landed (either side of the commit)


def test_four_runs_at_once_on_overlapping_exports_pay_each_buyer_once(tmp_path: Path) -> None:
    exports = [
        orders_csv(tmp_path / f"export{i}.csv", rows)
        for i, rows in enumerate([CSV_ROWS[:1], CSV_ROWS[:2], CSV_ROWS, CSV_ROWS])
    ]
    path = tmp_path / "ledger.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # all four compute, then queue for the write lock
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tmallcli", *cli_args(export, path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for export in exports
    ]
    time.sleep(3)
    holder.execute("ROLLBACK")
    holder.close()
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [err for _, err in results]
    # Whatever order they ran in: amy 2 × 30.00, bob 6.00, each order once.
    assert paid(path) == {"A": 3000, "B": 3000, "C": 600}
    assert sum(json.loads(out)["new_total_fen"] for out, _ in results) == 6600
    assert runs_of(path) == 4
    with sqlite3.connect(path) as conn:
        per_buyer = dict(conn.execute("SELECT buyer, sum(amount_fen) FROM payouts GROUP BY buyer"))
    assert per_buyer == {"amy": 6000, "bob": 600}


# --------------------------------------------------------------------------- older ledgers

V1_LEDGER = """
CREATE TABLE runs (run_id TEXT PRIMARY KEY, started_at TEXT NOT NULL, as_of TEXT NOT NULL,
    dry_run INTEGER NOT NULL DEFAULT 0, files TEXT NOT NULL, tool_version TEXT,
    payouts INTEGER NOT NULL, total_fen INTEGER NOT NULL);
CREATE TABLE payouts (kind TEXT NOT NULL, order_id TEXT NOT NULL, buyer TEXT,
    group_id TEXT NOT NULL, amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    run_id TEXT NOT NULL REFERENCES runs(run_id), recorded_at TEXT NOT NULL,
    UNIQUE (kind, order_id));
INSERT INTO runs VALUES ('20261101080000-0a0b0c0d', '2026-11-01 08:00:00', '2026-10-31', 0,
    '["orders.csv"]', '0.1.0', 1, 3000);
INSERT INTO payouts VALUES ('late_shipment', 'A', 'amy', 'amy:A', 3000,
    '20261101080000-0a0b0c0d', '2026-11-01 08:00:00');
"""


def hand_written_ledger(path: Path, *, version: int) -> Path:
    """A ledger as an earlier tmall wrote it, built with plain SQL (no tmallcli code)."""
    with sqlite3.connect(path) as conn:
        conn.executescript(V1_LEDGER)
        conn.execute(f"PRAGMA user_version = {version}")
    return path


def test_a_ledger_written_by_tmall_0_1_is_read_and_never_pays_twice(tmp_path: Path) -> None:
    path = hand_written_ledger(tmp_path / "ledger.db", version=1)
    orders = orders_csv(tmp_path / "orders.csv", CSV_ROWS)
    done = tmall(*cli_args(orders, path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total_fen"] == 3600  # A was paid by the old version
    assert paid(path) == {"A": 3000, "B": 3000, "C": 600}
    listed = tmall("compensate", "ledger", "--ledger", str(path), "-f", "json")
    assert listed.returncode == 0, listed.stderr


def test_a_ledger_upgraded_by_a_newer_schema_through_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from tmallcli.cli import app

    path = hand_written_ledger(tmp_path / "ledger.db", version=1)
    orders = orders_csv(tmp_path / "orders.csv", CSV_ROWS)

    current = SCHEMA_VERSION

    def to_next(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE payouts ADD COLUMN future TEXT")

    monkeypatch.setattr(ledger_module, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(MIGRATIONS, current, to_next)
    runner = CliRunner()
    dry = runner.invoke(app, cli_args(orders, path, "--dry-run"))
    assert dry.exit_code == 0, dry.stderr
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1  # a dry run reads only
    real = runner.invoke(app, cli_args(orders, path))
    assert real.exit_code == 0, real.stderr
    assert json.loads(real.stdout)["total_fen"] == 3600
    with sqlite3.connect(path) as conn:  # 1 → 2 (the payout loop) → the hook's
        assert conn.execute("PRAGMA user_version").fetchone()[0] == current + 1
        assert "future" in [row[1] for row in conn.execute("PRAGMA table_info(payouts)")]
    assert paid(path) == {"A": 3000, "B": 3000, "C": 600}


@pytest.mark.parametrize(
    ("version", "problem"),
    [
        (0, "not a tmall ledger (an SQLite database with other tables: payouts, runs)"),
        (SCHEMA_VERSION + 1, "is newer than this tmall supports"),
    ],
)
def test_a_ledger_of_an_unknown_version_fails_with_one_clear_line(
    tmp_path: Path, version: int, problem: str
) -> None:
    path = hand_written_ledger(tmp_path / "ledger.db", version=version)
    before = path.read_bytes()
    orders = orders_csv(tmp_path / "orders.csv", CSV_ROWS)
    for args in (cli_args(orders, path), ["compensate", "ledger", "--ledger", str(path)]):
        done = tmall(*args)
        assert done.returncode == 2
        assert done.stdout == ""
        lines = done.stderr.splitlines()
        assert lines[0].startswith(f"tmall: error: {path}: ") and problem in lines[0], lines
        assert all(line.startswith("tmall: hint: ") for line in lines[1:]), lines
        assert "Traceback" not in done.stderr
    assert path.read_bytes() == before
