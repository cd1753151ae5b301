"""``tmall reviews …``: 中差评 handling — which medium and bad reviews to follow up today."""

from __future__ import annotations

from typing import Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.run import Outcome, run

app = typer.Typer(
    help="Reviews: 好评率 and the follow-up of medium and bad reviews (中差评).",
    no_args_is_help=True,
)

Days = Annotated[
    int | None,
    typer.Option(
        "--days",
        help="Triage the medium/bad reviews of the last N days (default: config reviews.days, 30).",
        rich_help_panel=o.RULES,
    ),
]
Limit = Annotated[
    int,
    typer.Option(
        "--limit", help="Rows of the follow-up queue shown (0 = all).", rich_help_panel=o.OUTPUT
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
    fmt: o.Format = o.OutputFormat.table,
    output: o.OutputFile = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    encoding: o.Encoding = None,
    sheet: o.Sheet = None,
    skip_bad_rows: o.SkipBadRows = False,
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
        from tmallcli.errors import UsageError
        from tmallcli.metrics.reviews import COLUMNS, TriageRules, compute_triage
        from tmallcli.render.reviews import TriageReport

        if days is not None and days < 1:
            raise UsageError(f"--days: must be at least 1 (got {days})")
        if limit < 0:
            raise UsageError(f"--limit: must be 0 (all) or more (got {limit})")
        ctx = context(rules)
        triage_rules = TriageRules.from_config(ctx.config, limit=limit)
        with open_inputs(inputs) as files:
            loaded = files.load("reviews", COLUMNS)
            result = compute_triage(loaded.lazy(), triage_rules, ctx.as_of, days)
            warnings = files.warnings
        report = TriageReport(result, ctx.as_of)
        return Outcome(report, check_failed=check and report.overdue, input_warnings=warnings)

    run(program, out, debug=debug)
