"""``tmall score dsr``: 店铺动态评分 — the three DSR scores, flags and what it takes to lift them."""

from __future__ import annotations

from tmallcli.commands import options as o
from tmallcli.commands.run import Outcome, run


def dsr(
    reviews: o.Reviews = None,
    directory: o.ExportDir = None,
    as_of: o.AsOf = None,
    config: o.ConfigFile = None,
    category: o.Category = None,
    check: o.Check = False,
    fmt: o.Format = o.OutputFormat.table,
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
    inputs = o.inputs(
        reviews=reviews,
        directory=directory,
        encoding=encoding,
        sheet=sheet,
        skip_bad_rows=skip_bad_rows,
    )
    rules = o.RuleOptions(as_of=as_of, config=config, category=category, check=check)
    out = o.OutputOptions(format=fmt, output=output, bom=not no_bom, lang=lang)

    def program() -> Outcome:
        from tmallcli.commands.common import context, open_inputs
        from tmallcli.metrics.dsr import COLUMNS, DsrRules, compute_dsr
        from tmallcli.render.dsr import DsrReport

        ctx = context(rules)
        with open_inputs(inputs) as files:
            loaded = files.load("reviews", COLUMNS)
            result = compute_dsr(
                loaded.lazy(), DsrRules.from_config(ctx.config, ctx.category), ctx.as_of.instant
            )
            warnings = files.warnings
        report = DsrReport(result, ctx.as_of, ctx.category_name)
        return Outcome(report, check_failed=check and report.flagged, input_warnings=warnings)

    run(program, out, debug=debug)
