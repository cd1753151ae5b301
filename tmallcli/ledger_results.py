"""What the payout ledger hands back: the open list, a run's report, the listing; and the
small steps of a run between the computation and the SQL (SPEC §5.1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tmallcli.metrics.compensation import Proposal, Settlement

# (kind, buyer, group, order, fen): a regrouped group's extra money, on one of its orders.
Adjustment = tuple[str, "str | None", str, str, int]


@dataclass
class OpenPayout:
    """One red packet still to send: the owed lines of one group recorded by one run."""

    kind: str
    buyer: str | None
    group_id: str
    run_id: str | None  # None: a dry run's new money, not recorded
    recorded_at: str | None
    line_ids: list[int]
    order_ids: list[str]
    amount_fen: int
    new: bool  # recorded by this run (or, dry, what it would record)
    age_days: int  # days since it was recorded (0: today)
    adjustment: bool = False  # a regrouping's extra money (SPEC §5.1)
    reason: str | None = None  # as printed the day it was new
    state: str = "owed"


@dataclass
class LedgerReport:
    """What a run did to the ledger (the JSON ``ledger`` block) and the open list after it."""

    path: str
    run_id: str | None  # None: dry run, nothing recorded
    dry_run: bool
    recorded_lines: int
    recorded_fen: int
    previously_paid_fen: int  # what the ledger already held for the orders of this run's groups
    existed: bool
    since: date | None = None  # orders paid before it are left out (--since, kept in the ledger)
    adjustment_lines: int = 0
    # A first run without --since: its new lines for orders paid before the last 30 days.
    first_run_older_lines: int = 0
    first_run_older_fen: int = 0
    older_than: date | None = None
    open: list[OpenPayout] = field(default_factory=list)

    @property
    def open_total_fen(self) -> int:
        return sum(p.amount_fen for p in self.open)

    @property
    def new_total_fen(self) -> int:
        return sum(p.amount_fen for p in self.open if p.new)


@dataclass
class LedgerEntry:
    kind: str
    order_id: str
    buyer: str | None
    group_id: str
    amount_fen: int
    run_id: str
    recorded_at: str
    line_id: int = 0
    state: str = "paid"
    adjustment: bool = False
    settled_at: str | None = None
    note: str | None = None


@dataclass
class LedgerListing:
    path: str
    since: date | None
    buyer: str | None
    run_id: str | None = None
    entries: list[LedgerEntry] = field(default_factory=list)
    state: str | None = None

    @property
    def total_fen(self) -> int:
        return sum(e.amount_fen for e in self.entries)

    def state_fen(self, state: str) -> int:
        return sum(e.amount_fen for e in self.entries if e.state == state)


def adjustments_of(proposal: Proposal, settlement: Settlement) -> list[Adjustment]:
    """Each regrouped group's extra money, on the group's last order in payment order."""
    import polars as pl

    if not settlement.unattributed:
        return []
    wanted = pl.DataFrame(
        [(u.kind, u.group_id) for u in settlement.unattributed],
        schema={"kind": pl.String, "group_id": pl.String},
        orient="row",
    )
    last = (
        proposal.lines.join(wanted, on=["kind", "group_id"], how="semi")
        .sort("kind", "group_id", "paid_at", "order_id", nulls_last=True)
        .group_by("kind", "group_id", maintain_order=True)
        .agg(pl.col("order_id").last())
    )
    orders = {(k, g): o for k, g, o in last.iter_rows()}
    return [
        (u.kind, u.buyer, u.group_id, orders[(u.kind, u.group_id)], u.amount_fen)
        for u in settlement.unattributed
        if (u.kind, u.group_id) in orders
    ]


def since_lines(proposal: Proposal, since: date | None) -> Proposal:
    """Only the lines of orders paid on or after ``since`` (an order without a payment time
    is kept: nothing says it is older)."""
    if since is None:
        return proposal
    import dataclasses

    import polars as pl

    start = datetime.combine(since, datetime.min.time())
    kept = proposal.lines.filter(pl.col("paid_at").is_null() | (pl.col("paid_at") >= start))
    return dataclasses.replace(proposal, lines=kept)


def would_be_new(
    settlement: Settlement,
    adjustments: Sequence[Adjustment],
) -> list[OpenPayout]:
    """A dry run's new money as the open list would show it (no line ids, no run)."""
    new = [
        OpenPayout(
            p.kind,
            p.buyer,
            p.group_id,
            None,
            None,
            [],
            [line.order_id for line in p.lines if line.pay_fen > 0],
            p.amount_fen,
            True,
            0,
        )
        for p in settlement.payouts
    ]
    new += [
        OpenPayout(kind, buyer, group_id, None, None, [], [order_id], fen, True, 0, adjustment=True)
        for kind, buyer, group_id, order_id, fen in adjustments
    ]
    return new


def reaching_back(settlement: Settlement, before: date) -> tuple[int, int]:
    """The new lines (and fen) for orders paid before ``before``."""
    start = datetime.combine(before, datetime.min.time())
    lines = [
        line
        for payout in settlement.payouts
        for line in payout.lines
        if line.pay_fen > 0 and line.paid_at is not None and line.paid_at < start
    ]
    return len(lines), sum(line.pay_fen for line in lines)
