"""``tmall compensate late-orders`` and ``tmall compensate ledger``: 延迟发货赔付 (SPEC §5)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tmallcli.runs.context import Exports, Run, RunContext

if TYPE_CHECKING:
    import polars as pl

    from tmallcli.exports.reader import LoadedExport
    from tmallcli.ledger import LedgerListing, LedgerReport
    from tmallcli.metrics.compensation import CompensationRules, Proposal, Settlement
    from tmallcli.metrics.pickup import Notice

NO_SHIP_TIME = (
    "cannot tell which orders shipped: the orders export has neither 揽收时间 "
    "(picked_up_at) nor 发货时间 (shipped_at)"
)


@dataclass
class LateOrdersRun:
    """What is owed (``proposal``), what is still to pay (``settlement``) and, with a ledger,
    what this run recorded."""

    proposal: Proposal
    settlement: Settlement
    rules: CompensationRules
    ledger: LedgerReport | None = None
    # What the orders export lacked and how the run made do (SPEC §2.1; JSON ``warnings``).
    warnings: list[Notice] = field(default_factory=list)


def can_tell_shipping(orders: LoadedExport, events: LoadedExport | None) -> bool:
    """Is there any ship time at all: tracking events, 揽收时间 or 发货时间?"""
    return events is not None or orders.has("picked_up_at") or orders.has("shipped_at")


def proposal_of(
    orders: LoadedExport,
    events: LoadedExport | None,
    refunds: LoadedExport | None,
    rules: CompensationRules,
    ctx: RunContext,
    *,
    pickups: pl.DataFrame | None = None,
) -> Proposal:
    """Every payout line the exports justify as of T (no ledger involved); ``pickups``: each
    order's pickup time, row for row, when the run has them already."""
    from tmallcli.metrics.compensation import propose

    return propose(
        orders.lazy(),
        None if events is None else events.lazy(),
        None if refunds is None else refunds.lazy(),
        rules,
        ctx.as_of.instant,
        platform_column=orders.has("auto_compensation"),
        pickups=pickups,
    )


def run_late_orders(
    exports: Exports, ctx: RunContext, *, ledger: Path | None = None, dry_run: bool = False
) -> Run[LateOrdersRun]:
    """The payouts owed; with ``ledger`` settled against it and recorded (unless ``dry_run``)."""
    from tmallcli import __version__
    from tmallcli.errors import UsageError
    from tmallcli.ledger import RunInfo, pay
    from tmallcli.metrics.compensation import (
        EVENT_COLUMNS,
        ORDERS_COLUMNS,
        REFUND_COLUMNS,
        REPEATED_TEXTS,
        CompensationRules,
        PackagePickups,
        settle_payouts,
    )
    from tmallcli.runs.freshness import freshness_of
    from tmallcli.runs.orders import (
        NEEDS_PAID_AMOUNT,
        can_compensate,
        paid_without_status,
        with_buyers,
    )
    from tmallcli.timeframe import now_shanghai

    rules = CompensationRules.from_config(ctx.config)
    with exports.open(ctx) as files:
        # The tracking events are folded first, so the fold's working memory is not
        # needed beside the whole orders frame (10 M orders: 5.5 → 3.8 GB at that step).
        events = files.maybe("logistics", EVENT_COLUMNS, PackagePickups(rules.words))
        orders = files.load("orders", ORDERS_COLUMNS, categories=REPEATED_TEXTS)
        refunds = files.maybe("refunds", REFUND_COLUMNS)
        if not can_tell_shipping(orders, events):
            raise UsageError(f"{NO_SHIP_TIME}; give --logistics FILE")
        if not can_compensate(orders):
            raise UsageError(NEEDS_PAID_AMOUNT)
        orders, notices = paid_without_status(orders)
        orders, more = with_buyers(orders, files)
        notices += more
        proposal = proposal_of(orders, events, refunds, rules, ctx)
        used = [orders, events, refunds]
        sources = [s.display for loaded in used if loaded is not None for s in loaded.sources]
        reads, warnings, ignored = files.reads(), files.warnings, files.notes()
    report = None
    if ledger is None:
        settlement = settle_payouts(proposal)
    else:
        now = now_shanghai()
        info = RunInfo.new(ctx.as_of.date, sources, now, dry_run=dry_run, tool_version=__version__)
        settlement, report = pay(ledger, proposal, info, now=now)
    notes = (
        ignored
        + [n.message for n in notices]
        + [
            f"group {gap.group_id} is owed {gap.amount_fen} fen more, but every order of it "
            "is already in the ledger: pay it by hand"
            for gap in settlement.unattributed
        ]
    )
    result = LateOrdersRun(proposal, settlement, rules, report, notices)
    return Run(result, reads, warnings, notes, freshness_of(reads, ctx))


def run_ledger_listing(
    ledger: Path, *, since: date | None = None, buyer: str | None = None, run_id: str | None = None
) -> LedgerListing:
    """What a ledger recorded (reads only)."""
    from tmallcli.ledger import listing

    return listing(ledger, since=since, buyer=buyer, run_id=run_id)
