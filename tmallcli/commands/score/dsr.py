"""``tmall score dsr``: 店铺动态评分 — the three DSR scores, flags and what it takes to lift them."""

from __future__ import annotations

from typing import Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.run import Outcome, run
from tmallcli.commands.score import app

AddStars = Annotated[
    list[str] | None,
    typer.Option(
        "--add",
        metavar="DIMENSION=COUNTS",
        help="What-if: new ratings on top of the page's counts, 5★ to 1★, e.g. "
        "description=0,0,0,0,3 (three more 1-star ratings); repeatable.",
        rich_help_panel=o.RULES,
    ),
]


@app.command("dsr")
def dsr(
    reviews: o.Reviews = None,
    stars: o.Stars = None,
    summary: o.DsrSummary = None,
    add: AddStars = None,
    directory: o.ExportDir = None,
    as_of: o.AsOf = None,
    config: o.ConfigFile = None,
    category: o.Category = None,
    check: o.Check = False,
    history: o.HistoryFile = None,
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
    """店铺动态评分 (DSR): the three ratings over 180 days, flags, 5-star ratings needed, roll-off.

    From the shop's DSR page (the ratings are anonymous: what a seller sees): --stars with the
    counts of 5 … 1 stars per dimension, or --summary FILE; --add tries new ratings. From a
    per-rating export (--reviews with DSR columns): one rating per order, at most 3 per buyer
    per calendar month, rated in the 180 days before the as-of instant and shown 30 minutes
    after rating. Given both, the page's score and the recomputed one are shown side by side.

    Example: tmall score dsr --stars description=30,10,5,3,2 --add description=0,0,0,0,3 --check
    """
    opts = o.bundle(locals())

    def program() -> Outcome:
        from tmallcli.render.dsr import DsrReport
        from tmallcli.runs.dsr import StarOptions, run_dsr
        from tmallcli.runs.verdicts import threshold_source

        ctx = opts.rules.context()
        done = run_dsr(opts.exports, ctx, StarOptions.of(stars, summary, add))
        report = DsrReport(done.result, ctx.as_of, ctx.category_name, threshold_source(ctx, "dsr"))
        from tmallcli.commands.recording import recorded

        failed = report.flagged or done.stale
        return recorded(
            Outcome.of(report, done, check_failed=check and failed), opts, done.result, ctx
        )

    run(program, opts.output, debug=debug)
