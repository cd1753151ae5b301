"""``tmall compensate …``: what is owed to buyers (延迟发货赔付), paid exactly once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.run import Outcome, check_writable, run, warn

app = typer.Typer(
    help="Compensation owed to buyers, with an SQLite payout ledger.", no_args_is_help=True
)

LEDGER = "Ledger"

LedgerFile = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        help="SQLite payout ledger: record what is paid, print only what is new "
        "(created on first use).",
        rich_help_panel=LEDGER,
    ),
]
DryRun = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="Compute against the ledger without writing to it.",
        rich_help_panel=LEDGER,
    ),
]
Since = Annotated[
    str | None,
    typer.Option(
        "--since",
        help="Only payouts recorded on or after this date (YYYY-MM-DD).",
        rich_help_panel=LEDGER,
    ),
]
Buyer = Annotated[
    str | None,
    typer.Option("--buyer", help="Only this buyer's payouts (买家会员名).", rich_help_panel=LEDGER),
]
RunId = Annotated[
    str | None,
    typer.Option(
        "--run",
        help="Only the payouts of this run (the run id a late-orders run prints).",
        rich_help_panel=LEDGER,
    ),
]


@app.command("late-orders")
def late_orders(
    orders: o.Orders = None,
    logistics: o.Logistics = None,
    refunds: o.Refunds = None,
    directory: o.ExportDir = None,
    ledger: LedgerFile = None,
    dry_run: DryRun = False,
    as_of: o.AsOf = None,
    config: o.ConfigFile = None,
    category: o.Category = None,
    check: o.Check = False,
    fmt: o.Format = o.OutputFormat.table,
    output: o.OutputFile = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    encoding: o.Encoding = None,
    sheet: o.Sheet = None,
    skip_bad_rows: o.SkipBadRows = False,
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
    anything an earlier run recorded. --check exits 1 when any payout is due.

    Example: tmall compensate late-orders --orders ExportOrderList.csv --logistics logistics.csv --refunds refunds.csv --ledger payouts.db --as-of 2026-11-20 -f csv -o 红包.csv
    """
    inputs = o.inputs(
        orders=orders,
        logistics=logistics,
        refunds=refunds,
        directory=directory,
        encoding=encoding,
        sheet=sheet,
        skip_bad_rows=skip_bad_rows,
    )
    rules = o.RuleOptions(as_of=as_of, config=config, category=category, check=check)
    out = o.OutputOptions(format=fmt, output=output, bom=not no_bom, lang=lang)

    def program() -> Outcome:
        from tmallcli import __version__
        from tmallcli.commands.common import context, open_inputs
        from tmallcli.errors import UsageError
        from tmallcli.ledger import RunInfo, pay
        from tmallcli.metrics.compensation import (
            EVENT_COLUMNS,
            ORDERS_COLUMNS,
            REFUND_COLUMNS,
            REPEATED_TEXTS,
            CompensationRules,
            PackagePickups,
            propose,
            settle_payouts,
        )
        from tmallcli.render.compensation import CompensationReport
        from tmallcli.timeframe import now_shanghai

        if dry_run and ledger is None:
            raise UsageError("--dry-run needs --ledger FILE (without a ledger nothing is written)")
        if ledger is not None and not dry_run:
            # The ledger commits before the report is written: refuse an --output that
            # cannot be written now rather than record payouts nobody gets to see.
            check_writable(output)
        ctx = context(rules)
        comp_rules = CompensationRules.from_config(ctx.config)
        with open_inputs(inputs) as files:
            # The tracking events are folded first, so the fold's working memory is not
            # needed beside the whole orders frame (10 M orders: 5.5 → 3.8 GB at that step).
            events = files.maybe("logistics", EVENT_COLUMNS, PackagePickups(comp_rules.words))
            order_export = files.load("orders", ORDERS_COLUMNS, categories=REPEATED_TEXTS)
            refund_export = files.maybe("refunds", REFUND_COLUMNS)
            if events is None and not (
                order_export.has("picked_up_at") or order_export.has("shipped_at")
            ):
                raise UsageError(
                    "cannot tell which orders shipped: the orders export has neither 揽收时间 "
                    "(picked_up_at) nor 发货时间 (shipped_at); give --logistics FILE"
                )
            proposal = propose(
                order_export.lazy(),
                None if events is None else events.lazy(),
                None if refund_export is None else refund_export.lazy(),
                comp_rules,
                ctx.as_of.instant,
                platform_column=order_export.has("auto_compensation"),
            )
            warnings = files.warnings
            used = [order_export, events, refund_export]
            sources = [s.display for loaded in used if loaded is not None for s in loaded.sources]
        ledger_report = None
        if ledger is None:
            settlement = settle_payouts(proposal)
        else:
            now = now_shanghai()
            run_info = RunInfo.new(
                ctx.as_of.date, sources, now, dry_run=dry_run, tool_version=__version__
            )
            settlement, ledger_report = pay(ledger, proposal, run_info, now=now)
        for gap in settlement.unattributed:
            warn(
                f"group {gap.group_id} is owed {gap.amount_fen} fen more, but every order of it "
                "is already in the ledger: pay it by hand"
            )
        report = CompensationReport(proposal, settlement, ctx.as_of, comp_rules, ledger_report)
        return Outcome(report, check_failed=check and report.due, input_warnings=warnings)

    run(program, out, debug=debug)


@app.command("ledger")
def ledger_list(
    ledger: LedgerFile = None,
    since: Since = None,
    buyer: Buyer = None,
    run_id: RunId = None,
    fmt: o.Format = o.OutputFormat.table,
    output: o.OutputFile = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    debug: o.Debug = False,
) -> None:
    """赔付账本: the payouts recorded in a ledger, with totals per kind.

    Lists kind, buyer, order, amount, group, run and time of every recorded payout line,
    oldest first. Reads only: the ledger is never modified. ``--run`` re-prints what one
    run recorded (e.g. when its report was lost).

    Example: tmall compensate ledger --ledger payouts.db --since 2026-11-01 --buyer tb_r7x5v
    """
    out = o.OutputOptions(format=fmt, output=output, bom=not no_bom, lang=lang)

    def program() -> Outcome:
        from tmallcli.errors import UsageError
        from tmallcli.ledger import listing
        from tmallcli.render.compensation import LedgerListingReport
        from tmallcli.timeframe import parse_day

        if ledger is None:
            raise UsageError("give the ledger to list: --ledger FILE")
        day = None if since is None else parse_day("--since", since)
        found = listing(ledger, since=day, buyer=buyer, run_id=run_id)
        return Outcome(LedgerListingReport(found))

    run(program, out, debug=debug)
