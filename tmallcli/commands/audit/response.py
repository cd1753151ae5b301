"""``tmall audit response``: 旺旺 consultation experience — 响应率, 人工响应时长, misses to staff for."""

from __future__ import annotations

from tmallcli.commands import options as o
from tmallcli.commands.audit import app
from tmallcli.commands.run import Outcome, run
from tmallcli.i18n import tr


@app.command("response")
def response(
    chats: o.Chats = None,
    directory: o.ExportDir = None,
    as_of: o.AsOf = None,
    config: o.ConfigFile = None,
    category: o.Category = None,
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
    """旺旺响应率 and 人工平均响应时长 over T−30 … T−1, with the misses and who to staff.

    A consultation is a buyer's day (buyer, date) with a message; it is answered when a valid
    reply follows the buyer's first message that same day before 24:00 (asked 23:59, answered
    00:01 = not answered). 千牛 auto-replies and quick replies are not valid; 店小蜜 is (config
    response.assistant_counts). Also 3分钟人工响应率 over turns in service hours, the daily
    trend, misses by hour and by sub-account (排班分析), the unanswered list, the questions
    answered only after midnight, and when each missed day leaves the 30-day window.

    Example: tmall audit response --chats chats.csv --as-of 2026-11-20 --check --min-rate 0.95
    """
    opts = o.bundle(locals())

    def program() -> Outcome:
        from tmallcli.errors import UsageError

        if check and min_rate is None and history is None:
            raise UsageError(
                tr(
                    "--check needs --min-rate R: the response rate to alert below (e.g. --min-rate 0.95)"
                )
            )
        from tmallcli.render.response import ResponseReport
        from tmallcli.runs.response import run_response

        done = run_response(opts.exports, opts.rules.context(), limit=limit)
        report = ResponseReport(done.result, min_rate)
        from tmallcli.commands.recording import recorded

        failed = report.below_min_rate or done.stale
        return recorded(
            Outcome.of(report, done, check_failed=check and failed),
            opts,
            done.result,
        )

    run(program, opts.output, debug=debug)
