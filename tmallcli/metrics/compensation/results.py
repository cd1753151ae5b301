"""What a compensation run returns: the proposal, the payouts and their lines, the
reconciliation with the platform's own automatic payouts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

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


@dataclass
class Settlement:
    payouts: list[Payout]
    unattributed: list[Unattributed]

    @cached_property
    def total_fen(self) -> int:
        return sum(p.amount_fen for p in self.payouts)
