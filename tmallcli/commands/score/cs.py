"""``tmall score cs``: 客服评价, the customer-service ratings page (SPEC §9)."""

from __future__ import annotations

from typing import Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.run import Outcome, run
from tmallcli.commands.score import app

PERIOD = "Period"

Day = Annotated[
    str | None,
    typer.Option(
        "--day",
        metavar="DATE",
        help="One day (某个单天), YYYY-MM-DD.",
        rich_help_panel=PERIOD,
        show_default=False,
    ),
]
Last = Annotated[
    int | None,
    typer.Option(
        "--last",
        metavar="DAYS",
        min=1,
        help="The last N days ending yesterday, T−N … T−1 (最近7天: --last 7, 最近30天: --last 30).",
        rich_help_panel=PERIOD,
        show_default=False,
    ),
]
From = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="DATE",
        help="First day of a range (with --to), YYYY-MM-DD.",
        rich_help_panel=PERIOD,
    ),
]
To = Annotated[
    str | None,
    typer.Option(
        "--to",
        metavar="DATE",
        help="Last day of a range (with --from), at most the report date; at most 90 days in all.",
        rich_help_panel=PERIOD,
    ),
]
Account = Annotated[
    str | None,
    typer.Option(
        "--account",
        metavar="ACCOUNT",
        help="Only this sub-account (客服子账号): the full name 店铺:小王, or 小王 when unique.",
        rich_help_panel=o.RULES,
    ),
]
MinAverage = Annotated[
    float | None,
    typer.Option(
        "--min-average",
        metavar="SCORE",
        min=1.0,
        max=5.0,
        help="Target human average 1–5 (default: config cs.min_average, 4.5): below it "
        "--check exits 1.",
        rich_help_panel=o.RULES,
    ),
]


@app.command("cs")
def cs(
    cs_ratings: o.CsRatings = None,
    directory: o.ExportDir = None,
    day: Day = None,
    last: Last = None,
    date_from: From = None,
    date_to: To = None,
    account: Account = None,
    as_of: o.AsOf = None,
    config: o.ConfigFile = None,
    min_average: MinAverage = None,
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
    """客服评价: human (人工客服) and bot (服务助手) ratings, per sub-account with tags.

    Period: --day D, --last N (T−N … T−1), or --from A --to B; at most 90 days
    (最长可显示3个月); default: yesterday. Human ratings count 平台自动邀评, 客服邀评 and
    消费者自主评价 (config cs.human_sources); the bot only 消费者自主评价. 服务助手 is listed
    first; an account with ratings but no tags shows 暂无标签评价. The diagnosis ranks the
    lowest-rated accounts and the tags of low ratings; several days add a daily trend.

    Example: tmall score cs --cs-ratings cs_ratings.csv --as-of 2026-11-20 --last 30 --check
    """
    opts = o.bundle(locals())

    def program() -> Outcome:
        from tmallcli.render.cs_ratings import CsReport
        from tmallcli.runs.cs import CsPeriod, run_cs
        from tmallcli.runs.verdicts import threshold_source
        from tmallcli.timeframe import parse_day

        ctx = opts.rules.context()
        period = CsPeriod(
            day=None if day is None else parse_day("--day", day),
            last=last,
            start=None if date_from is None else parse_day("--from", date_from),
            end=None if date_to is None else parse_day("--to", date_to),
        )
        done = run_cs(
            opts.exports, ctx, period, account=account, min_average=min_average, check=check
        )
        source = threshold_source(ctx, "cs", given=min_average is not None)
        report = CsReport(done.result.result, ctx.as_of, done.result.min_average, source)
        from tmallcli.commands.recording import recorded

        failed = report.below_min_average or done.stale
        return recorded(
            Outcome.of(report, done, check_failed=check and failed),
            opts,
            done.result,
            ctx,
        )

    run(program, opts.output, debug=debug)
