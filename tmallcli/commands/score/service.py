"""``tmall score service``: 基础服务考核分 — the total against the category threshold, why, and what to fix."""

from __future__ import annotations

from typing import Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.run import Outcome, run
from tmallcli.commands.score import app

Target = Annotated[
    float | None,
    typer.Option(
        "--target",
        metavar="SCORE",
        min=0.0,
        max=5.0,
        help="Plan for this total: the value each metric alone would need, and a cheapest-first combination.",
        rich_help_panel=o.RULES,
    ),
]
SetValue = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="METRIC=VALUE",
        help="What-if: recompute with a hypothetical metric value, e.g. --set pickup_24h_rate=0.97 (repeatable).",
        rich_help_panel=o.RULES,
    ),
]
Strict = Annotated[
    bool,
    typer.Option(
        "--strict",
        metavar="",
        help="A weighted metric whose export is missing is an error instead of being left out.",
        rich_help_panel=o.RULES,
    ),
]


@app.command("service")
def service(
    orders: o.Orders = None,
    order_items: o.OrderItems = None,
    logistics: o.Logistics = None,
    reviews: o.Reviews = None,
    stars: o.Stars = None,
    summary: o.DsrSummary = None,
    refunds: o.Refunds = None,
    chats: o.Chats = None,
    complaints: o.Complaints = None,
    directory: o.ExportDir = None,
    as_of: o.AsOf = None,
    config: o.ConfigFile = None,
    category: o.Category = None,
    target: Target = None,
    set_values: SetValue = None,
    strict: Strict = False,
    check: o.Check = False,
    allow_partial: o.AllowPartial = False,
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
    """基础服务考核分: five dimensions scored 0–5 against the category's activity threshold.

    Every metric the given exports allow is computed (DSR, 24h pickup, refund times, 旺旺
    response, disputes and complaints); a metric without its export is left out and the
    weights renormalised (or an error with --strict), and the total is marked partial
    (6/8 项): --check exits 1 on a partial total unless --allow-partial. The diagnosis ranks the metrics by
    points lost, with the carriers, hours, staff, refunds or items behind each.

    Example: tmall score service --dir exports/ --category 女装 --target 4.5 --set pickup_24h_rate=0.97
    """
    opts = o.bundle(locals())

    def program() -> Outcome:
        from tmallcli.render.service import ServiceReport
        from tmallcli.render.verdicts import partial_check_reason
        from tmallcli.runs.dsr import StarOptions
        from tmallcli.runs.service import run_service

        ctx = opts.rules.context()
        done = run_service(
            opts.exports,
            ctx,
            set_values=set_values,
            strict=strict,
            target=target,
            stars=StarOptions.of(stars, summary),
        )
        service = done.result
        report = ServiceReport(
            service.score,
            ctx.as_of,
            service.plan,
            service.notes,
            service.warnings,
            service.sources,
            allow_partial,
        )
        # --check: below the threshold, a partial total (report.failed), or a stale export.
        outcome = Outcome.of(report, done, check_failed=check and (report.failed or done.stale))
        if check and report.partial_failed:
            outcome.notes.append(partial_check_reason(service.score.coverage))
        from tmallcli.commands.recording import recorded

        return recorded(outcome, opts, done.result, ctx)

    run(program, opts.output, debug=debug)
