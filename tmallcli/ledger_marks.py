"""Marking ledger lines paid or void (SPEC §5.1: ``mark-paid``, ``void``).

One marking is one ``BEGIN IMMEDIATE`` transaction, like a computing run: it waits for a run
that holds the ledger, and a crash before ``COMMIT`` leaves every line as it was. Marking is
idempotent: a line already in the wanted state is reported under ``already`` and nothing is
written for it; a line in the other final state (a void line to mark paid, a paid line to
void) is reported under ``unmatched`` and left alone. Computing never counts a line twice
whatever its state: new owed money is what a group is owed less owed + paid + void.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tmallcli.ledger import BUSY_TIMEOUT_SECONDS, TIME_FORMAT, Ledger

if TYPE_CHECKING:
    from tmallcli.payout_file import PaidFile, PaidRow

PAID, VOID = "paid", "void"


@dataclass(frozen=True)
class Selection:
    """Which lines: every filter given must hold (``--run`` and ``--buyer`` together: that
    buyer's lines of that run)."""

    run_id: str | None = None
    line_ids: tuple[int, ...] = ()
    buyer: str | None = None
    order_ids: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.run_id or self.line_ids or self.buyer or self.order_ids)

    def describe(self) -> str:
        parts = []
        if self.run_id:
            parts.append(f"--run {self.run_id}")
        parts += [f"--line {i}" for i in self.line_ids]
        if self.buyer:
            parts.append(f"--buyer {self.buyer}")
        parts += [f"--order {o}" for o in self.order_ids]
        return " ".join(parts)


@dataclass
class MarkedLine:
    line_id: int
    kind: str
    buyer: str | None
    order_id: str
    amount_fen: int
    run_id: str
    state: str  # before the marking


@dataclass
class MarkResult:
    """What a ``mark-paid`` / ``void`` did: the JSON ``matched`` / ``already`` / ``unmatched``."""

    path: str
    action: str  # paid | void
    source: str
    reason: str | None
    mark_id: str | None  # None: nothing changed, nothing written
    matched: list[MarkedLine] = field(default_factory=list)
    already: list[MarkedLine] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    not_paid: list[dict[str, Any]] = field(default_factory=list)  # rows the file says not sent

    @property
    def matched_fen(self) -> int:
        return sum(line.amount_fen for line in self.matched)


_COLUMNS = "line_id, kind, buyer, order_id, amount_fen, run_id, state"


def _select(ledger: Ledger, selection: Selection) -> list[MarkedLine]:
    assert ledger.conn is not None
    query = f"SELECT {_COLUMNS} FROM payouts WHERE 1 = 1"
    params: list[object] = []
    if selection.run_id:
        query += " AND run_id = ?"
        params.append(selection.run_id)
    if selection.buyer:
        query += " AND buyer = ?"
        params.append(selection.buyer)
    if selection.line_ids:
        query += f" AND line_id IN ({', '.join('?' * len(selection.line_ids))})"
        params += list(selection.line_ids)
    if selection.order_ids:
        query += f" AND order_id IN ({', '.join('?' * len(selection.order_ids))})"
        params += list(selection.order_ids)
    query += " ORDER BY line_id"
    return [MarkedLine(*row) for row in ledger.conn.execute(query, params)]


def _sort(result: MarkResult, lines: list[MarkedLine], seen: set[int]) -> None:
    """Each line into matched / already / unmatched, once."""
    for line in lines:
        if line.line_id in seen:
            continue
        seen.add(line.line_id)
        if line.state == "owed":
            result.matched.append(line)
        elif line.state == result.action:
            result.already.append(line)
        else:
            result.unmatched.append({"line_id": line.line_id, "why": f"the line is {line.state}"})


def _by_selection(ledger: Ledger, result: MarkResult, selection: Selection) -> None:
    lines = _select(ledger, selection)
    _sort(result, lines, set())
    found = {line.line_id for line in lines}
    missing = [i for i in selection.line_ids if i not in found]
    result.unmatched += [{"line_id": i, "why": "no such line"} for i in missing]
    if not lines and not missing:
        result.unmatched.append({"selection": selection.describe(), "why": "no line matches"})


def _by_payout_csv(ledger: Ledger, result: MarkResult, rows: list[PaidRow]) -> None:
    seen: set[int] = set()
    for row in rows:
        if not row.paid:
            result.not_paid.append(row.describe())
            continue
        if not row.line_ids:
            result.unmatched.append({**row.describe(), "why": "no line IDs (a dry run's row?)"})
            continue
        lines = _select(ledger, Selection(line_ids=tuple(row.line_ids)))
        found = {line.line_id for line in lines}
        missing = [i for i in row.line_ids if i not in found]
        if missing:
            result.unmatched.append({**row.describe(), "why": f"no such line: {missing}"})
        _sort(result, lines, seen)


def _open_payouts(ledger: Ledger, buyer: str, state: str) -> list[list[MarkedLine]]:
    """The buyer's payouts (a group's lines of one run) in ``state``, oldest first."""
    assert ledger.conn is not None
    rows = ledger.conn.execute(
        f"SELECT {_COLUMNS}, group_id, adjustment FROM payouts WHERE buyer = ? AND state = ? "
        "ORDER BY recorded_at, run_id, kind, group_id, adjustment, line_id",
        (buyer, state),
    ).fetchall()
    payouts: dict[tuple[object, ...], list[MarkedLine]] = {}
    for row in rows:
        payouts.setdefault((row[5], row[1], row[7], row[8]), []).append(MarkedLine(*row[:7]))
    return list(payouts.values())


def _by_record(ledger: Ledger, result: MarkResult, rows: list[PaidRow]) -> None:
    """A red-packet record: each sent packet pays the buyer's oldest open payout of exactly
    that amount, or, failing that, all the buyer's open payouts when they add up to it."""
    claimed: set[int] = set()
    for row in rows:
        if not row.paid:
            result.not_paid.append(row.describe())
            continue
        buyer, fen = row.buyer or "", row.amount_fen or 0

        def free(payouts: list[list[MarkedLine]]) -> list[list[MarkedLine]]:
            return [p for p in payouts if not any(line.line_id in claimed for line in p)]

        owed = free(_open_payouts(ledger, buyer, "owed"))
        exact = [p for p in owed if sum(line.amount_fen for line in p) == fen]
        if exact:
            chosen = exact[0]
        elif owed and sum(line.amount_fen for p in owed for line in p) == fen:
            chosen = [line for p in owed for line in p]
        else:
            paid = free(_open_payouts(ledger, buyer, PAID))
            same = [p for p in paid if sum(line.amount_fen for line in p) == fen]
            if same:
                claimed.update(line.line_id for line in same[0])
                result.already += same[0]
            else:
                why = "no open payout of this buyer for this amount"
                result.unmatched.append({**row.describe(), "why": why})
            continue
        claimed.update(line.line_id for line in chosen)
        result.matched += chosen


def mark(
    path: Path,
    action: str,
    *,
    now: datetime,
    selection: Selection | None = None,
    paid_file: PaidFile | None = None,
    reason: str | None = None,
    timeout: float = BUSY_TIMEOUT_SECONDS,
) -> MarkResult:
    """Mark the selected lines ``paid`` or ``void`` in one transaction."""
    path = Path(path)
    source = paid_file.path if paid_file is not None else (selection or Selection()).describe()
    result = MarkResult(str(path), action, source, reason, None)
    with (
        Ledger.open_existing(path, timeout=timeout) as ledger,
        ledger.transaction(write=True),
    ):
        if paid_file is None:
            _by_selection(ledger, result, selection or Selection())
        elif paid_file.kind == "payout_csv":
            _by_payout_csv(ledger, result, paid_file.rows)
        else:
            _by_record(ledger, result, paid_file.rows)
        if result.matched:
            result.mark_id = f"{now:%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}"
            ledger.mark_lines(
                result.mark_id,
                action,
                [line.line_id for line in result.matched],
                now.strftime(TIME_FORMAT),
                source=source,
                reason=reason,
                total_fen=result.matched_fen,
            )
    return result
