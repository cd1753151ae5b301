"""``tmall score dsr``: 店铺动态评分 — the three DSR scores, flags and what it takes to lift them."""

from __future__ import annotations

from tmallcli.commands import options as o
from tmallcli.commands.run import Outcome, run
from tmallcli.commands.score import app


@app.command("dsr")
def dsr(
    reviews: o.Reviews = None,
    directory: o.ExportDir = None,
    as_of: o.AsOf = None,
    config: o.ConfigFile = None,
    category: o.Category = None,
    check: o.Check = False,
    fmt: o.Format = None,
    output: o.OutputFile = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    encoding: o.Encoding = None,
    sheet: o.Sheet = None,
    skip_bad_rows: o.SkipBadRows = False,
    debug: o.Debug = False,
) -> None:
    """店铺动态评分 (DSR): the three ratings over 180 days, flags, 5-star ratings needed, roll-off.

    Counts one rating per order, at most 3 per buyer per calendar month, rated in the
    180 days before the as-of instant and shown 30 minutes after rating.

    Example: tmall score dsr --reviews reviews.csv --as-of 2026-11-20 --category 女装 --check
    """
    opts = o.bundle(locals())

    def program() -> Outcome:
        from tmallcli.render.dsr import DsrReport
        from tmallcli.runs.dsr import run_dsr

        ctx = opts.rules.context()
        done = run_dsr(opts.exports, ctx)
        report = DsrReport(done.result, ctx.as_of, ctx.category_name)
        return Outcome.of(report, done, check_failed=check and report.flagged)

    run(program, opts.output, debug=debug)
