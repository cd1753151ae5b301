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


State = Annotated[
    str | None,
    typer.Option(
        "--state",
        metavar="STATE",
        help="Only lines in this state: owed (not yet sent), paid or void.",
        rich_help_panel=LEDGER,
    ),
]


@app.command("ledger")
def ledger_list(
    ledger: LedgerFile = None,
    since: Since = None,
    buyer: Buyer = None,
    run_id: RunId = None,
    state: State = None,
    fmt: o.Format = None,
    output: o.OutputFile = None,
    table: o.TableName = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    debug: o.Debug = False,
) -> None:
    """赔付账本: the payout lines recorded in a ledger, their state and the totals.

    Lists line ID, state (owed / paid / void), kind, buyer, order, amount, group, run and
    time of every recorded line, oldest first, with the totals owed, paid and void and per
    kind. Reads only: the ledger is never modified. ``--run`` re-prints what one run
    recorded (e.g. when its report was lost); ``--state owed`` is the open list line by line.

    Example: tmall compensate ledger --ledger payouts.db --state owed --since 2026-11-01
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
        if state is not None and state not in ("owed", "paid", "void"):
            raise UsageError(f"--state: one of owed, paid, void (got {state!r})")
        found = run_ledger_listing(ledger, since=day, buyer=buyer, run_id=run_id, state=state)
        return Outcome(LedgerListingReport(found))

    run(program, opts.output, debug=debug)
