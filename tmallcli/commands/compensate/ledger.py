"""``tmall compensate ledger``: what a payout ledger recorded."""

from __future__ import annotations

from typing import Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.compensate import LEDGER, LedgerFile, app
from tmallcli.commands.run import Outcome, run
from tmallcli.i18n import tr

Since = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="DATE",
        help="Only payouts recorded on or after this date (YYYY-MM-DD).",
        rich_help_panel=LEDGER,
    ),
]

Buyer = Annotated[
    str | None,
    typer.Option(
        "--buyer",
        metavar="BUYER",
        help="Only this buyer's payouts (买家会员名).",
        rich_help_panel=LEDGER,
    ),
]

RunId = Annotated[
    str | None,
    typer.Option(
        "--run",
        metavar="RUN",
        help="Only the payouts of this run (the run id a late-orders run prints).",
        rich_help_panel=LEDGER,
    ),
]


@app.command("ledger")
def ledger_list(
    ledger: LedgerFile = None,
    since: Since = None,
    buyer: Buyer = None,
    run_id: RunId = None,
    fmt: o.Format = None,
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
    opts = o.bundle(locals())

    def program() -> Outcome:
        from tmallcli.errors import UsageError
        from tmallcli.render.compensation import LedgerListingReport
        from tmallcli.runs.compensation import run_ledger_listing
        from tmallcli.timeframe import parse_day

        if ledger is None:
            raise UsageError(tr("give the ledger to list: --ledger FILE"))
        day = None if since is None else parse_day("--since", since)
        found = run_ledger_listing(ledger, since=day, buyer=buyer, run_id=run_id)
        return Outcome(LedgerListingReport(found))

    run(program, opts.output, debug=debug)
