"""``tmall compensate late-orders`` and ``tmall compensate ledger``: 延迟发货赔付 (SPEC §5)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tmallcli.i18n import N_, tr
from tmallcli.runs.context import Exports, Run, RunContext
from tmallcli.runs.memo import remembered

if TYPE_CHECKING:
    import polars as pl

    from tmallcli.exports.inputs import Inputs, Read
    from tmallcli.exports.reader import LoadedExport
    from tmallcli.ledger import LedgerListing, LedgerReport
    from tmallcli.ledger_marks import MarkResult
    from tmallcli.metrics.compensation import CompensationRules, Payout, Proposal, Settlement
    from tmallcli.metrics.pickup import Notice

NO_SHIP_TIME = N_(
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


@dataclass
class Proposed:
    """What ``compensate late-orders`` computes from the exports, before any ledger: the part
    of its run a later run on the same inputs reads back (:mod:`tmallcli.runs.memo`)."""

    proposal: Proposal
    notices: list[Notice]
    sources: list[str]  # the files read, as the ledger's run record names them
    reads: list[Read]
    warnings: list[dict[str, Any]]
    ignored: list[str]  # what --dir left out
    # The payouts due when no ledger is read (a run with a ledger settles against it: None).
    settlement: Settlement | None = None


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
    exports: Exports,
    ctx: RunContext,
    *,
    ledger: Path | None = None,
    dry_run: bool = False,
    since: date | None = None,
    describe: Callable[[Payout, CompensationRules], str] | None = None,
) -> Run[LateOrdersRun]:
    """The payouts owed; with ``ledger`` settled against it, recorded as owed (unless
    ``dry_run``) and the open list read. ``since``: leave out orders paid before it (SPEC
    §5.1); ``describe``: each new payout's reason, stored with its lines."""
    from tmallcli import __version__
    from tmallcli.errors import UsageError
    from tmallcli.ledger import FIRST_RUN_DAYS, RunInfo, pay
    from tmallcli.metrics.compensation import (
        EVENT_COLUMNS,
        ORDERS_COLUMNS,
        REFUND_COLUMNS,
        REPEATED_TEXTS,
        CompensationRules,
        PackagePickups,
        settle_payouts,
    )
    from tmallcli.money import yuan
    from tmallcli.runs.freshness import freshness_of
    from tmallcli.runs.orders import (
        NEEDS_PAID_AMOUNT,
        can_compensate,
        paid_without_status,
        with_buyers,
    )
    from tmallcli.timeframe import now_shanghai

    if since is not None and ledger is None:
        raise UsageError(tr("--since needs --ledger FILE (it sets where the ledger starts)"))
    rules = CompensationRules.from_config(ctx.config)

    def compute(files: Inputs) -> Proposed:
        # The tracking events are folded first, so the fold's working memory is not
        # needed beside the whole orders frame (10 M orders: 5.5 → 3.8 GB at that step).
        events = files.maybe("logistics", EVENT_COLUMNS, PackagePickups(rules.words))
        orders = files.load("orders", ORDERS_COLUMNS, categories=REPEATED_TEXTS)
        refunds = files.maybe("refunds", REFUND_COLUMNS)
        if not can_tell_shipping(orders, events):
            raise UsageError(tr("{reason}; give --logistics FILE", reason=tr(NO_SHIP_TIME)))
        if not can_compensate(orders):
            raise UsageError(tr(NEEDS_PAID_AMOUNT))
        orders, notices = paid_without_status(orders)
        orders, more = with_buyers(orders, files)
        notices += more
        proposal = proposal_of(orders, events, refunds, rules, ctx)
        used = [orders, events, refunds]
        sources = [s.display for loaded in used if loaded is not None for s in loaded.sources]
        # Without a ledger the settlement is the exports' alone: kept with the proposal.
        settled = settle_payouts(proposal) if ledger is None else None
        return Proposed(
            proposal, notices, sources, files.reads(), files.warnings, files.notes(), settled
        )

    with exports.open(ctx) as files:
        # The ledger is settled after the cache: what it holds is read on every run.
        proposed = remembered("late-orders", files, exports, ctx, None, lambda: compute(files))
        proposal, notices, sources = proposed.proposal, proposed.notices, proposed.sources
        reads, warnings, ignored = proposed.reads, proposed.warnings, proposed.ignored
        cached = files.cache_notes()
    report = None
    if ledger is None:
        settlement = proposed.settlement
        if settlement is None:  # kept by a run with a ledger
            settlement = settle_payouts(proposal)
    else:
        now = now_shanghai()
        info = RunInfo.new(ctx.as_of.date, sources, now, dry_run=dry_run, tool_version=__version__)
        words = None if describe is None else _reasons(describe, rules)
        settlement, report = pay(ledger, proposal, info, now=now, since=since, reasons=words)
    notes = ignored + [n.message for n in notices]
    if report is None:
        notes += [
            tr(
                "group {group} is owed {fen} fen more, but every order of it is already in the "
                "ledger: pay it by hand",
                group=gap.group_id,
                fen=gap.amount_fen,
            )
            for gap in settlement.unattributed
        ]
    elif report.first_run_older_lines:
        notes.append(
            tr(
                "first run on this ledger: {lines} line(s), {yuan} yuan are for orders paid "
                "before {day} (more than {days} days back); give --since DATE to leave older "
                "orders out (try it with --dry-run first)",
                lines=report.first_run_older_lines,
                yuan=yuan(report.first_run_older_fen),
                day=report.older_than,
                days=FIRST_RUN_DAYS,
            )
        )
    result = LateOrdersRun(proposal, settlement, rules, report, notices)
    return Run(result, reads, warnings, notes + cached, freshness_of(reads, ctx))


def _reasons(
    describe: Callable[[Payout, CompensationRules], str], rules: CompensationRules
) -> Callable[[Settlement], dict[tuple[str, str], str]]:
    def words(settlement: Settlement) -> dict[tuple[str, str], str]:
        return {(p.kind, p.group_id): describe(p, rules) for p in settlement.payouts}

    return words


def run_ledger_listing(
    ledger: Path,
    *,
    since: date | None = None,
    buyer: str | None = None,
    run_id: str | None = None,
    state: str | None = None,
) -> LedgerListing:
    """What a ledger recorded (reads only)."""
    from tmallcli.ledger import listing

    return listing(ledger, since=since, buyer=buyer, run_id=run_id, state=state)


def run_mark(
    ledger: Path,
    action: str,
    *,
    run_id: str | None = None,
    line_ids: list[int] | None = None,
    buyer: str | None = None,
    order_ids: list[str] | None = None,
    paid_file: Path | None = None,
    reason: str | None = None,
) -> MarkResult:
    """``mark-paid`` / ``void``: the selected lines, or the rows of a handed-back file, turned
    ``paid`` or ``void`` in one transaction (SPEC §5.1)."""
    from tmallcli.errors import UsageError
    from tmallcli.ledger_marks import Selection, mark
    from tmallcli.payout_file import read_paid_file
    from tmallcli.timeframe import now_shanghai

    selection = Selection(run_id, tuple(line_ids or ()), buyer, tuple(order_ids or ()))
    if paid_file is not None and not selection.empty:
        raise UsageError(
            tr("--file marks what the file says: give it without --run/--line/--buyer")
        )
    if paid_file is None and selection.empty:
        raise UsageError(
            tr("say which lines: --run ID, --line ID, --buyer NICK, --order ID or --file")
        )
    loaded = None if paid_file is None else read_paid_file(paid_file)
    return mark(
        ledger,
        action,
        now=now_shanghai(),
        selection=None if loaded is not None else selection,
        paid_file=loaded,
        reason=reason,
    )


def with_open_list(done: LateOrdersRun, ledger: Path, ctx: RunContext) -> LateOrdersRun:
    """``done`` (a dry computation, as the report's) settled against ``ledger`` without
    writing: what the ledger still owes and what it would record now (SPEC §5.1)."""
    from dataclasses import replace

    from tmallcli.ledger import LedgerError, RunInfo, pay
    from tmallcli.timeframe import now_shanghai

    if not Path(ledger).is_file():
        raise LedgerError(tr("{path}: no such ledger file", path=ledger))
    now = now_shanghai()
    info = RunInfo.new(ctx.as_of.date, [], now, dry_run=True)
    settlement, report = pay(ledger, done.proposal, info, now=now)
    return replace(done, settlement=settlement, ledger=report)
