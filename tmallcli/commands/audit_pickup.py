"""``tmall audit pickup``: 24小时揽收及时率 — which orders were not picked up in time, and who to chase."""

from __future__ import annotations

from typing import Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.run import Outcome, run, warn

Preset = Annotated[
    str | None,
    typer.Option(
        "--preset",
        help="A pickup rule preset of the config, e.g. taobao_48h (48 h, paid on T−33 … T−4).",
        rich_help_panel=o.RULES,
    ),
]


def pickup(
    orders: o.Orders = None,
    logistics: o.Logistics = None,
    directory: o.ExportDir = None,
    as_of: o.AsOf = None,
    config: o.ConfigFile = None,
    category: o.Category = None,
    preset: Preset = None,
    min_rate: o.MinRate = None,
    check: o.Check = False,
    limit: o.Limit = None,
    fmt: o.Format = o.OutputFormat.table,
    output: o.OutputFile = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    encoding: o.Encoding = None,
    sheet: o.Sheet = None,
    skip_bad_rows: o.SkipBadRows = False,
    debug: o.Debug = False,
) -> None:
    """24小时揽收及时率: orders paid on T−32 … T−3 picked up within 24 h, and what to chase.

    An order is on time when the courier's pickup (揽收, from the orders export's 揽收时间 or
    the tracking events; never the seller's 发货 click) is no later than payment + 24 h, or
    than a shorter promised ship-by time. Lists the late and never-picked orders, the rate
    by carrier, warehouse, hour of payment and day, and a watchlist of orders still waiting
    after 24 h / 48 h with the compensation each would cost if shipped late.

    Example: tmall audit pickup --orders ExportOrderList.csv --logistics logistics.csv --as-of 2026-11-20 --check --min-rate 0.95
    """
    inputs = o.inputs(
        orders=orders,
        logistics=logistics,
        directory=directory,
        encoding=encoding,
        sheet=sheet,
        skip_bad_rows=skip_bad_rows,
    )
    rules = o.RuleOptions(as_of=as_of, config=config, category=category, check=check)
    out = o.OutputOptions(format=fmt, output=output, bom=not no_bom, lang=lang)

    def program() -> Outcome:
        from tmallcli.errors import UsageError

        if check and min_rate is None:
            raise UsageError(
                "--check needs --min-rate R: the rate to alert below (e.g. --min-rate 0.95)"
            )
        from tmallcli.commands.common import context, open_inputs
        from tmallcli.metrics.pickup import (
            PickupRules,
            compute_pickup,
            pickup_candidates,
            tracking_events,
        )
        from tmallcli.metrics.shipping import ORDER_COLUMNS
        from tmallcli.render.pickup import PickupReport

        ctx = context(rules)
        presets = ctx.config.pickup.presets
        if preset is not None and preset not in presets:
            known = ", ".join(presets) or "none"
            raise UsageError(f"--preset: unknown preset {preset!r} (known: {known})")
        pickup_rules = PickupRules.from_config(ctx.config, preset=preset, limit=limit)
        with open_inputs(inputs) as files:
            loaded = files.load("orders", ORDER_COLUMNS)
            has_pickup_column = loaded.has("picked_up_at")
            # The orders the rate reads; the rest of the export goes back before the
            # tracking events are folded (10 M orders: ~2.5 GB).
            candidates = pickup_candidates(
                loaded.lazy(), pickup_rules, as_of=ctx.as_of.date, instant=ctx.as_of.instant
            )
            del loaded
            files.release("orders", ORDER_COLUMNS)
            result = compute_pickup(
                candidates.lazy(),
                tracking_events(files, pickup_rules.words),
                pickup_rules,
                as_of=ctx.as_of.date,
                instant=ctx.as_of.instant,
                orders_have_pickup_column=has_pickup_column,
            )
            warnings = files.warnings
        for notice in result.warnings:
            warn(notice.message)
        report = PickupReport(result, min_rate)
        return Outcome(
            report, check_failed=check and report.below_min_rate, input_warnings=warnings
        )

    run(program, out, debug=debug)
