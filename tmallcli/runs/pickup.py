"""``tmall audit pickup``: 24小时揽收及时率 (SPEC §4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tmallcli.i18n import N_, tr
from tmallcli.runs.context import Exports, Run, RunContext, finish, run_once

if TYPE_CHECKING:
    import polars as pl

    from tmallcli.exports.inputs import Inputs
    from tmallcli.exports.reader import LoadedExport
    from tmallcli.metrics.pickup import EventsFor, PickupResult, PickupRules
    from tmallcli.metrics.shipping import PickupWords

NEEDS_PICKUP_TIME = N_(
    "pickup_24h_rate needs the pickup time: --logistics (tracking events) or a 揽收时间 "
    "column (发货时间 is the seller's click, not a pickup)"
)


@dataclass
class PickupOrders:
    """What the pickup rate reads of the orders export: the orders in its window or old enough
    to watch (about a sixth of a 180-day export), so the rest can go before the tracking events
    are read (10 M orders: ~2.5 GB)."""

    candidates: pl.DataFrame
    has_pickup_column: bool  # the export has 揽收时间


def pickup_orders(orders: LoadedExport, rules: PickupRules, ctx: RunContext) -> PickupOrders:
    from tmallcli.metrics.pickup import pickup_candidates

    candidates = pickup_candidates(
        orders.lazy(), rules, as_of=ctx.as_of.date, instant=ctx.as_of.instant
    )
    return PickupOrders(candidates, orders.has("picked_up_at"))


def tracking_events(files: Inputs, words: PickupWords) -> EventsFor | None:
    """The logistics export for :func:`~tmallcli.metrics.pickup.compute_pickup`: None without
    one; the whole fold when the run loaded it already (the report, for compensation too); else
    loaded folded for the packages asked for."""
    from tmallcli.metrics.shipping import EVENT_COLUMNS, PackagePickups

    if not files.has("logistics"):
        return None
    whole = PackagePickups(words)
    if files.loaded("logistics", EVENT_COLUMNS, whole):
        events = files.load("logistics", EVENT_COLUMNS, whole).lazy()
        return lambda packages: events.filter(packages.named())
    return lambda packages: files.load(
        "logistics", EVENT_COLUMNS, PackagePickups(words, packages)
    ).lazy()


def pickup_of(
    orders: PickupOrders,
    events: EventsFor | None,
    rules: PickupRules,
    ctx: RunContext,
    *,
    pickups: pl.DataFrame | None = None,
    have_events: bool | None = None,
) -> PickupResult:
    """``pickups``: (order_id, pickup_at) of every order, when the run has them already;
    ``have_events`` then says whether tracking events gave them."""
    from tmallcli.metrics.pickup import compute_pickup

    return compute_pickup(
        orders.candidates.lazy(),
        events,
        rules,
        as_of=ctx.as_of.date,
        instant=ctx.as_of.instant,
        orders_have_pickup_column=orders.has_pickup_column,
        pickups=pickups,
        have_events=have_events,
    )


def pickup_rules(
    ctx: RunContext, *, preset: str | None = None, limit: int | None = None
) -> PickupRules:
    """The rules of the config, or of one of its presets (e.g. taobao_48h); an unknown preset
    is a usage error."""
    from tmallcli.errors import UsageError
    from tmallcli.metrics.pickup import PickupRules

    presets = ctx.config.pickup.presets
    if preset is not None and preset not in presets:
        known = ", ".join(presets) or "none"
        raise UsageError(
            tr("--preset: unknown preset {preset!r} (known: {known})", preset=preset, known=known)
        )
    return PickupRules.from_config(ctx.config, preset=preset, limit=limit)


def run_pickup(
    exports: Exports, ctx: RunContext, *, preset: str | None = None, limit: int | None = None
) -> Run[PickupResult]:
    from tmallcli.metrics.shipping import ORDER_COLUMNS

    rules = pickup_rules(ctx, preset=preset, limit=limit)
    from tmallcli.runs.orders import paid_without_status, without_paid_amount

    def compute(files: Inputs) -> Run[PickupResult]:
        loaded, notices = paid_without_status(files.load("orders", ORDER_COLUMNS))
        notices += without_paid_amount(loaded)
        orders = pickup_orders(loaded, rules, ctx)
        del loaded
        files.release("orders", ORDER_COLUMNS)
        result = pickup_of(orders, tracking_events(files, rules.words), rules, ctx)
        result.warnings.extend(notices)
        return finish(result, files, [n.message for n in result.warnings], ctx=ctx)

    return run_once("pickup", exports, ctx, (preset, limit), compute)
