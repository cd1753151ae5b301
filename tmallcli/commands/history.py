"""``tmall history`` and ``tmall history backfill``: the shop's figures over time (SPEC §15)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.run import Outcome, run

# ``tmall history`` prints the series itself (the callback); ``backfill`` is its command.
app = typer.Typer(invoke_without_command=True)

HISTORY = "History"

HistoryPath = Annotated[
    Path | None,
    typer.Option(
        "--history",
        metavar="FILE",
        help="The SQLite history file (written by --history on report and the score / audit "
        "commands).",
        rich_help_panel=HISTORY,
    ),
]
Metric = Annotated[
    list[str] | None,
    typer.Option(
        "--metric",
        metavar="METRIC",
        help="Only this figure, e.g. service_total, pickup_24h_rate, dsr_description "
        "(repeatable; default: every recorded one).",
        rich_help_panel=HISTORY,
    ),
]
From = Annotated[
    str | None,
    typer.Option("--from", metavar="DATE", help="First day, YYYY-MM-DD.", rich_help_panel=HISTORY),
]
To = Annotated[
    str | None,
    typer.Option("--to", metavar="DATE", help="Last day, YYYY-MM-DD.", rich_help_panel=HISTORY),
]
Shop = Annotated[
    str | None,
    typer.Option(
        "--shop",
        metavar="SHOP",
        help="The shop whose figures to show, when the file holds several (a shop is its "
        "config's shop.name, else its exports folder's name).",
        rich_help_panel=HISTORY,
    ),
]


def _day(option: str, text: str | None) -> date | None:
    from tmallcli.timeframe import parse_day

    return None if text is None else parse_day(option, text)


@app.callback()
def history(
    context: typer.Context,
    history_file: HistoryPath = None,
    metric: Metric = None,
    date_from: From = None,
    date_to: To = None,
    shop: Shop = None,
    fmt: o.Format = None,
    output: o.OutputFile = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    debug: o.Debug = False,
) -> None:
    """历史走势: each recorded figure of the shop, day by day, oldest first.

    Every run of report or a score / audit command given --history FILE records its
    headline figures (基础服务考核分 and its metrics, DSR, 24h pickup, 客服评价, 好评率) for
    the shop and its as-of date; this prints them, one row per day (table, json, csv, md).
    `tmall history backfill` fills in past days from the exports already there.

    Example: tmall history --history history.db --metric service_total --from 2026-09-01 --to 2026-11-20 -f csv
    """
    if context.invoked_subcommand is not None:
        return
    opts = o.bundle(locals())

    def program() -> Outcome:
        from tmallcli.errors import UsageError
        from tmallcli.render.history import HistoryReport
        from tmallcli.runs.history import run_history

        if history_file is None:
            raise UsageError("give the history to show: --history FILE")
        start, end = _day("--from", date_from), _day("--to", date_to)
        found = run_history(history_file, shop=shop, metrics=metric, start=start, end=end)
        return Outcome(HistoryReport(found))

    run(program, opts.output, debug=debug)


@app.command("backfill")
def backfill(
    directory: o.ExportDir = None,
    date_from: From = None,
    date_to: To = None,
    history_file: HistoryPath = None,
    config: o.ConfigFile = None,
    category: o.Category = None,
    fmt: o.Format = None,
    output: o.OutputFile = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    encoding: o.Encoding = None,
    sheet: o.Sheet = None,
    skip_bad_rows: o.SkipBadRows = False,
    debug: o.Debug = False,
) -> None:
    """历史回填: each past day's figures computed from the exports already in --dir.

    Every rule is a function of the as-of date, so the exports give the figures of each day
    from --from to --to as `tmall report --as-of DAY --history FILE` would record them; the
    exports are read once, not once per day. A day already recorded has its figures
    replaced. The DSR page (--stars / a summary file) is today's, not a past day's: it is
    not used. Prints what was recorded, one row per day.

    Example: tmall history backfill --dir exports/ --from 2026-08-23 --to 2026-11-20 --history history.db
    """
    opts = o.bundle(locals())

    def program() -> Outcome:
        from tmallcli.errors import UsageError
        from tmallcli.render.history import BackfillReport
        from tmallcli.runs.backfill import run_backfill

        if directory is None:
            raise UsageError("give the folder of exports: --dir DIR")
        if history_file is None:
            raise UsageError("give the history to fill: --history FILE")
        if date_from is None or date_to is None:
            raise UsageError("give the days to compute: --from D1 --to D2")
        start, end = _day("--from", date_from), _day("--to", date_to)
        assert start is not None and end is not None
        done = run_backfill(opts.exports, opts.rules.context(), history_file, start, end)
        return Outcome.of(BackfillReport(done.result), done)

    run(program, opts.output, debug=debug)
