"""``tmall score service``: 基础服务考核分 — the total against the category threshold, why, and what to fix."""

from __future__ import annotations

from typing import Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.run import Outcome, run, warn

Target = Annotated[
    float | None,
    typer.Option(
        "--target",
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
        help="What-if: recompute with a hypothetical metric value, e.g. --set pickup_24h_rate=0.97 (repeatable).",
        rich_help_panel=o.RULES,
    ),
]
Strict = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="A weighted metric whose export is missing is an error instead of being left out.",
        rich_help_panel=o.RULES,
    ),
]


def parse_what_if(values: list[str] | None, known: list[str]) -> dict[str, float]:
    from tmallcli.errors import UsageError

    what_if: dict[str, float] = {}
    for item in values or []:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or key not in known:
            raise UsageError(
                f"--set: expected METRIC=VALUE with METRIC one of {', '.join(known)} (got {item!r})"
            )
        try:
            what_if[key] = float(text)
        except ValueError:
            raise UsageError(f"--set {key}: not a number (got {text!r})") from None
    return what_if


def service(
    orders: o.Orders = None,
    logistics: o.Logistics = None,
    reviews: o.Reviews = None,
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
    fmt: o.Format = o.OutputFormat.table,
    output: o.OutputFile = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    encoding: o.Encoding = None,
    sheet: o.Sheet = None,
    skip_bad_rows: o.SkipBadRows = False,
    debug: o.Debug = False,
) -> None:
    """基础服务考核分: five dimensions scored 0–5 against the category's activity threshold.

    Every metric the given exports allow is computed (DSR, 24h pickup, refund times, 旺旺
    response, disputes and complaints); a metric without its export is left out and the
    weights renormalised (or an error with --strict). The diagnosis ranks the metrics by
    points lost, with the carriers, hours, staff, refunds or items behind each.

    Example: tmall score service --dir exports/ --category 女装 --target 4.5 --set pickup_24h_rate=0.97
    """
    inputs = o.inputs(
        orders=orders,
        logistics=logistics,
        reviews=reviews,
        refunds=refunds,
        chats=chats,
        complaints=complaints,
        directory=directory,
        encoding=encoding,
        sheet=sheet,
        skip_bad_rows=skip_bad_rows,
    )
    rules = o.RuleOptions(as_of=as_of, config=config, category=category, check=check)
    out = o.OutputOptions(format=fmt, output=output, bom=not no_bom, lang=lang)

    def program() -> Outcome:
        from tmallcli.assessment import compute_components, metric_inputs, missing_inputs
        from tmallcli.commands.common import context, open_inputs
        from tmallcli.errors import UsageError
        from tmallcli.metrics.service_score import plan_target, score_service
        from tmallcli.render.service import ServiceReport

        ctx = context(rules)
        what_if = parse_what_if(set_values, list(ctx.category.active_metrics))
        with open_inputs(inputs) as files:
            if not any(
                files.has(k) for k in ("orders", "reviews", "refunds", "chats", "complaints")
            ):
                raise UsageError(
                    "give at least one export: --orders, --logistics, --reviews, --refunds, --chats, "
                    "--complaints, or --dir DIR"
                )
            parts = compute_components(files, ctx.config, ctx.category, ctx.as_of)
            warnings = files.warnings
        values = metric_inputs(parts)
        missing = {
            k: v for k, v in missing_inputs(ctx.category, values).items() if k not in what_if
        }
        if strict and missing:
            needs = sorted(
                {f"--{n.replace('_', '-')}" for options in missing.values() for n in options}
            )
            raise UsageError(
                f"--strict: metrics without their export: {', '.join(missing)} (give {', '.join(needs)})"
            )
        result = score_service(ctx.category, values, what_if)
        for note in result.notes + parts.notes:
            warn(note)
        plan = None if target is None else plan_target(result, target)
        report = ServiceReport(result, ctx.as_of, plan, parts.notes)
        return Outcome(report, check_failed=check and report.failed, input_warnings=warnings)

    run(program, out, debug=debug)
