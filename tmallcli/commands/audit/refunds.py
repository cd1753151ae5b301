"""``tmall audit refunds``: 售后 — the after-sales metrics, refunds to handle, auto-refund what-if."""

from __future__ import annotations

from typing import Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.audit import app
from tmallcli.commands.run import Outcome, run

SlowestLimit = Annotated[
    int | None,
    typer.Option(
        "--limit",
        metavar="ROWS",
        min=1,
        help="How many of the slowest refunds to list (default: config refunds.slowest_limit, 20).",
        rich_help_panel=o.OUTPUT,
    ),
]


@app.command("refunds")
def refunds(
    refunds: o.Refunds = None,
    orders: o.Orders = None,
    order_items: o.OrderItems = None,
    directory: o.ExportDir = None,
    as_of: o.AsOf = None,
    config: o.ConfigFile = None,
    category: o.Category = None,
    check: o.Check = False,
    history: o.HistoryFile = None,
    limit: SlowestLimit = None,
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
    """售后: 仅退款 / 退货退款自主完结时长, 纠纷退款率, refunds waiting past 72 h, auto-refund what-if.

    Over refunds completed on T−30 … T−1 without platform intervention (小二介入): mean hours
    from application to completion, for 退货退款 minus the buyer's time from the seller's
    agreement to the return upload. The dispute refund rate (intervened, ruled 卖家责任)
    needs --orders for its denominator, orders paid on T−30 … T−1. Lists the slowest
    refunds, the refunds waiting for the seller (flagged past 72 h, when the buyer may ask
    for 客服介入), and what each 千牛 auto-refund strategy in config would have changed.
    --check exits 1 when a refund has waited past 72 h.

    Example: tmall audit refunds --refunds refunds.csv --orders ExportOrderList.csv --as-of 2026-11-20 --check
    """
    opts = o.bundle(locals())

    def program() -> Outcome:
        from tmallcli.render.refunds import RefundsReport
        from tmallcli.runs.refunds import run_refunds
        from tmallcli.runs.verdicts import threshold_source

        ctx = opts.rules.context()
        done = run_refunds(opts.exports, ctx, slowest_limit=limit)
        report = RefundsReport(done.result, threshold_source(ctx, "refunds"))
        from tmallcli.commands.recording import recorded

        failed = report.intervention_risk or done.stale
        return recorded(
            Outcome.of(report, done, check_failed=check and failed),
            opts,
            done.result,
        )

    run(program, opts.output, debug=debug)
