"""``tmall audit pickup``: 24小时揽收及时率 — which orders were not picked up in time, and who to chase."""

from __future__ import annotations

from typing import Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.audit import app
from tmallcli.commands.run import Outcome, run
from tmallcli.i18n import tr

Preset = Annotated[
    str | None,
    typer.Option(
        "--preset",
        metavar="PRESET",
        help="A pickup rule preset of the config, e.g. taobao_48h (48 h, paid on T−33 … T−4).",
        rich_help_panel=o.RULES,
    ),
]


@app.command("pickup")
def pickup(
    orders: o.Orders = None,
    order_items: o.OrderItems = None,
    logistics: o.Logistics = None,
    directory: o.ExportDir = None,
    as_of: o.AsOf = None,
    config: o.ConfigFile = None,
    category: o.Category = None,
    preset: Preset = None,
    min_rate: o.MinRate = None,
    check: o.Check = False,
    history: o.HistoryFile = None,
    limit: o.Limit = None,
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
    """24小时揽收及时率: orders paid on T−32 … T−3 picked up within 24 h, and what to chase.

    An order is on time when the courier's pickup (揽收, from the orders export's 揽收时间 or
    the tracking events; never the seller's 发货 click) is no later than payment + 24 h, or
    than a shorter promised ship-by time. Lists the late and never-picked orders, the rate
    by carrier, warehouse, hour of payment and day, and a watchlist of orders still waiting
    after 24 h / 48 h with the compensation each would cost if shipped late.

    Example: tmall audit pickup --orders ExportOrderList.csv --logistics logistics.csv --as-of 2026-11-20 --check --min-rate 0.95
    """
    opts = o.bundle(locals())

    def program() -> Outcome:
        from tmallcli.errors import UsageError

        if check and min_rate is None and history is None:
            raise UsageError(
                tr("--check needs --min-rate R: the rate to alert below (e.g. --min-rate 0.95)")
            )
        from tmallcli.render.pickup import PickupReport
        from tmallcli.runs.pickup import run_pickup

        done = run_pickup(opts.exports, opts.rules.context(), preset=preset, limit=limit)
        report = PickupReport(done.result, min_rate)
        from tmallcli.commands.recording import recorded

        failed = report.below_min_rate or done.stale
        return recorded(
            Outcome.of(report, done, check_failed=check and failed),
            opts,
            done.result,
        )

    run(program, opts.output, debug=debug)
