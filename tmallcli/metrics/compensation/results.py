"""What a compensation run returns: the proposal, the payouts and their lines, the
reconciliation with the platform's own automatic payouts."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cached_property
from typing import Any, overload

import polars as pl


@dataclass
class SevereOrder:
    """A late order beyond ``severe_after_hours``: 情节严重, its item goes to 下架 review."""

    order_id: str
    buyer: str | None
    paid_at: datetime
    deadline: datetime
    late_seconds: int
    item_id: str | None
    item_title: str | None


@dataclass
class ReconciledOrder:
    order_id: str
    buyer: str | None
    computed_fen: int  # this order's share of its group's capped compensation (0: not late)
    platform_fen: int  # what the platform paid automatically

    @property
    def difference_fen(self) -> int:
        return self.computed_fen - self.platform_fen


@dataclass
class Reconciliation:
    """This command's late-shipment compensation side by side with the platform's own."""

    computed_total_fen: int  # Σ over late groups of min(cap, Σ order amounts)
    platform_total_fen: int  # Σ 延迟发货自动赔付金额 over the orders considered
    platform_orders: int  # orders the platform paid anything for
    matched: int  # late orders the platform paid exactly this command's amount for
    not_late: list[ReconciledOrder]  # the platform paid, this command finds no late shipment
    different: list[ReconciledOrder]  # late, the platform paid a different amount
    unpaid_late_orders: int  # late orders the platform paid nothing for

    @property
    def difference_fen(self) -> int:
        return self.computed_total_fen - self.platform_total_fen


@dataclass
class Proposal:
    """Everything the files justify, before the ledger says what was already paid."""

    as_of: datetime
    lines: pl.DataFrame  # LINE_SCHEMA, one row per (kind, order) owed something
    late_orders: int
    late_groups: int
    severe: list[SevereOrder]
    reconciliation: Reconciliation | None
    undecided_promises: list[str]  # promise orders without 签收时间 and no 违约 flag


@dataclass
class PayoutLine:
    """One order's share of a payout."""

    order_id: str
    order_fen: int  # the order's own compensation (before cap and deductions)
    pay_fen: int  # its share of this payout
    already_fen: int  # ledger + platform, paid before for this order
    paid_at: datetime | None = None
    deadline: datetime | None = None
    end_at: datetime | None = None
    end_kind: str | None = None
    promised: bool | None = None
    service: str | None = None
    delivered_at: datetime | None = None
    flagged: bool | None = None
    refund_fen: int | None = None
    refund_ids: list[str] = field(default_factory=list)


@dataclass
class Payout:
    """One red packet (红包) to one buyer: a late-shipment group, or one order."""

    kind: str
    buyer: str | None
    group_id: str
    order_ids: list[str]  # every order of the group, in payment order
    amount_fen: int  # new: to pay now
    group_fen: int  # min(cap, Σ order amounts)
    order_total_fen: int  # Σ order amounts (before the cap)
    ledger_fen: int  # already paid, by earlier runs (ledger)
    platform_fen: int  # already paid, by the platform automatically
    lines: list[PayoutLine]

    @property
    def capped(self) -> bool:
        return self.group_fen < self.order_total_fen


@dataclass
class Unattributed:
    """A group still owed money whose every order is already in the ledger (a regrouping)."""

    kind: str
    buyer: str | None
    group_id: str
    amount_fen: int


# A payout's own fields (its lines are a run of consecutive line rows: ``_start``, ``_n``).
PAYOUT_COLUMNS = (
    "kind",
    "group_id",
    "_start",
    "_n",
    "buyer",
    "amount_fen",
    "group_fen",
    "order_total_fen",
    "ledger_fen",
    "platform_fen",
)
LINE_FIELDS = tuple(f.name for f in fields(PayoutLine))


def payouts_from_columns(lines: pl.DataFrame, payouts: pl.DataFrame) -> list[Payout]:
    """The payouts, made from whole columns: ``lines`` has a column per :class:`PayoutLine`
    field, ``payouts`` the :data:`PAYOUT_COLUMNS`, each payout's lines a run of ``lines``.
    A 10 M-order shop owes 180 k payouts: a dict per row made and read again took 12 s
    where this takes a few."""
    values = [column.to_list() for column in lines.select(LINE_FIELDS).get_columns()]
    with no_cycle_collection():
        return _made(values, payouts)


def _made(values: list[list[Any]], payouts: pl.DataFrame) -> list[Payout]:
    made = list(map(PayoutLine, *values))
    order_ids = values[LINE_FIELDS.index("order_id")]
    return [
        Payout(
            kind=kind,
            buyer=buyer,
            group_id=group_id,
            order_ids=order_ids[start : start + n],
            amount_fen=amount,
            group_fen=group_fen,
            order_total_fen=total,
            ledger_fen=ledger_fen,
            platform_fen=platform_fen,
            lines=made[start : start + n],
        )
        for kind, group_id, start, n, buyer, amount, group_fen, total, ledger_fen, platform_fen in (
            payouts.select(PAYOUT_COLUMNS).iter_rows()
        )
    ]


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused: the payouts and their lines hold no reference cycles,
    and the collector, run again and again while 300 k of them are made (10 M orders), walked
    every object alive each time (0.5-1 s of the report's 2 s for its payouts)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


class Payouts(Sequence[Payout]):
    """A settlement's payouts, held as their columns and made into objects as they are read.

    The report's page shows 200 of a list of tens of thousands (1 M orders: 18 k payouts, 10
    M: 180 k) and its summary counts them: those are read from the columns, and only the
    payouts shown are made (made, all 18 k took ~0.09 s of a 1 M-order report, ~1 s at 10
    M; again each time a kept report was read back). A walk over them (the JSON, the ledger)
    makes them all, once. ``lines`` has a column per :class:`PayoutLine` field; ``payouts``
    the :data:`PAYOUT_COLUMNS`, each payout's lines a run of ``lines`` (``_start``, ``_n``).
    """

    def __init__(self, lines: pl.DataFrame, payouts: pl.DataFrame) -> None:
        self.lines = lines.select(LINE_FIELDS)
        self.columns = payouts.select(PAYOUT_COLUMNS)
        self._made: list[Payout] | None = None

    def _all(self) -> list[Payout]:
        if self._made is None:
            self._made = payouts_from_columns(self.lines, self.columns)
        return self._made

    def __len__(self) -> int:
        return self.columns.height

    def __iter__(self) -> Iterator[Payout]:
        return iter(self._all())

    @overload
    def __getitem__(self, index: int) -> Payout: ...

    @overload
    def __getitem__(self, index: slice) -> list[Payout]: ...

    def __getitem__(self, index: int | slice) -> Payout | list[Payout]:
        if self._made is not None:
            return self._made[index]
        if isinstance(index, int):
            return self._some(range(len(self))[index : index + 1 or None])[0]
        return self._some(range(len(self))[index])

    def _some(self, rows: range) -> list[Payout]:
        """The payouts in ``rows`` (positions), made with their lines alone."""
        chosen = self.columns[list(rows)]
        lines = chosen.select(
            pl.int_ranges("_start", pl.col("_start") + pl.col("_n"), dtype=pl.UInt32)
            .explode()
            .drop_nulls()
        ).to_series()
        starts = chosen.select((pl.col("_n").cum_sum() - pl.col("_n")).alias("_start"))
        return payouts_from_columns(self.lines[lines], chosen.with_columns(starts))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Payouts({len(self)} payouts)"

    @property
    def total_fen(self) -> int:
        return int(self.columns.get_column("amount_fen").sum())

    def by_kind(self) -> dict[str, tuple[int, int, int]]:
        """kind → (payouts, orders, total fen), from the columns."""
        sums = self.columns.group_by("kind").agg(
            pl.len(), pl.col("_n").sum(), pl.col("amount_fen").sum()
        )
        return {kind: (int(n), int(orders), int(fen)) for kind, n, orders, fen in sums.iter_rows()}


def _settlement(lines: pl.DataFrame, payouts: pl.DataFrame, unattributed: Any) -> Settlement:
    return Settlement(Payouts(lines, payouts), unattributed)


@dataclass
class Settlement:
    payouts: Payouts
    unattributed: list[Unattributed]

    @cached_property
    def total_fen(self) -> int:
        return self.payouts.total_fen

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its payouts' two frames (the result cache): 1 M orders' 18 k payouts
        took 0.5 s to unpickle as objects, their columns a hundredth of that."""
        return (_settlement, (self.payouts.lines, self.payouts.columns, self.unattributed))
