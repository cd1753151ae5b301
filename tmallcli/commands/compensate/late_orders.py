"""``tmall compensate late-orders``: 延迟发货赔付 — the red packets owed, each paid once."""

from __future__ import annotations

from typing import Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.compensate import LEDGER, LedgerFile, app
from tmallcli.commands.run import Outcome, check_writable, run
from tmallcli.i18n import tr

StartDate = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="DATE",
        help="Only orders paid on or after this date (YYYY-MM-DD); the ledger keeps it for "
        "later runs. Start a new ledger with it, or the first run lists the whole history.",
        rich_help_panel=LEDGER,
    ),
]

DryRun = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        metavar="",
        help="Compute against the ledger without writing to it.",
        rich_help_panel=LEDGER,
    ),
]


@app.command("late-orders")
def late_orders(
    orders: o.Orders = None,
    order_items: o.OrderItems = None,
    logistics: o.Logistics = None,
    refunds: o.Refunds = None,
    reviews: o.Reviews = None,
    directory: o.ExportDir = None,
    ledger: LedgerFile = None,
    dry_run: DryRun = False,
    since: StartDate = None,
    as_of: o.AsOf = None,
    config: o.ConfigFile = None,
    category: o.Category = None,
    check: o.Check = False,
    fmt: o.Format = None,
    output: o.OutputFile = None,
    table: o.TableName = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    encoding: o.Encoding = None,
    sheet: o.Sheet = None,
    skip_bad_rows: o.SkipBadRows = False,
    no_cache: o.NoCache = False,
    cache_dir: o.CacheDir = None,
    debug: o.Debug = False,
) -> None:
    """延迟发货赔付: the red packets owed for late shipment, broken delivery promises and 缺货.

    Late shipment: not picked up (揽收; else 发货 when no pickup is known) by the promised
    ship-by time, or payment + 48 h; 30% of the item amount (postage excluded), at least
    5 yuan; a buyer's late orders paid within 24 h of the group's first are one payout,
    at most 500 yuan. Closed orders are late only when they were still open after the
    deadline (shipped late, or a refund completed after it, with --refunds). 当日达 / 次日达 /
    送货上门 not honoured: 10 yuan per order. A 缺货 refund before shipping (--refunds):
    30% of the refund, at least 5 yuan. What the platform already paid automatically
    (延迟发货自动赔付金额) is reconciled and never paid again; with --ledger, neither is
    anything an earlier run recorded. With --ledger, computed money is recorded as owed and
    the output is the open list: this run's new payouts, then the older ones not yet marked
    paid (tmall compensate mark-paid) with their age; the CSV carries line and run IDs and a
    已发放 column to fill in and hand back. --check exits 1 when any payout is due (open). An orders
    export without a buyer column (the per-item export) takes each order's buyer from the
    --refunds or --reviews export given with it; else each order is its own payout.

    Example: tmall compensate late-orders --orders ExportOrderList.csv --logistics logistics.csv --refunds refunds.csv --ledger payouts.db --as-of 2026-11-20 -f csv -o 红包.csv
    """
    opts = o.bundle(locals())

    def program() -> Outcome:
        from tmallcli.errors import UsageError
        from tmallcli.render.compensation import CompensationReport, reason
        from tmallcli.runs.compensation import run_late_orders
        from tmallcli.timeframe import parse_day

        if dry_run and ledger is None:
            raise UsageError(
                tr("--dry-run needs --ledger FILE (without a ledger nothing is written)")
            )
        if ledger is not None and not dry_run:
            # The ledger commits before the report is written: refuse an --output that
            # cannot be written now rather than record payouts nobody gets to see.
            check_writable(output)
        ctx = opts.rules.context()
        start = None if since is None else parse_day("--since", since)
        done = run_late_orders(
            opts.exports, ctx, ledger=ledger, dry_run=dry_run, since=start, describe=reason
        )
        late = done.result
        report = CompensationReport(
            late.proposal, late.settlement, ctx.as_of, late.rules, late.ledger, late.warnings
        )
        return Outcome.of(report, done, check_failed=check and (report.due or done.stale))

    run(program, opts.output, debug=debug)
