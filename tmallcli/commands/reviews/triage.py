"""``tmall reviews …``: 中差评 handling — which medium and bad reviews to follow up today."""

from __future__ import annotations

from typing import Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.reviews import app
from tmallcli.commands.run import Outcome, run

Days = Annotated[
    int | None,
    typer.Option(
        "--days",
        metavar="DAYS",
        help="Triage the medium/bad reviews of the last N days (default: config reviews.days, 30).",
        rich_help_panel=o.RULES,
    ),
]
Limit = Annotated[
    int,
    typer.Option(
        "--limit",
        metavar="ROWS",
        help="Rows of the follow-up queue shown (0 = all).",
        rich_help_panel=o.OUTPUT,
    ),
]


@app.command("triage")
def triage(
    reviews: o.Reviews = None,
    directory: o.ExportDir = None,
    days: Days = None,
    limit: Limit = 100,
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
    """中差评处理: 好评率 over 180 days and a follow-up queue of the last 30 days' 中评/差评.

    Each medium or bad review is classified by the comment's keywords (config) into
    商品问题, 服务问题, 物流问题, 买家原因 (several may match; none → 未分类) with the
    suggested action; unanswered reviews (no 解释内容) come first, oldest first. Also
    counts per cause and the items with the most medium/bad reviews. --check exits 1
    when an unanswered one is older than reviews.reply_within_hours (24 h).

    Example: tmall reviews triage --reviews reviews.csv --as-of 2026-11-20 --days 30 --check
    """
    opts = o.bundle(locals())

    def program() -> Outcome:
        from tmallcli.render.reviews import TriageReport
        from tmallcli.runs.triage import run_triage
        from tmallcli.runs.verdicts import threshold_source

        ctx = opts.rules.context()
        done = run_triage(opts.exports, ctx, limit=limit, days=days)
        report = TriageReport(done.result, ctx.as_of, threshold_source(ctx, "triage"))
        from tmallcli.commands.recording import recorded

        failed = report.overdue or done.stale
        return recorded(
            Outcome.of(report, done, check_failed=check and failed), opts, done.result, ctx
        )

    run(program, opts.output, debug=debug)
