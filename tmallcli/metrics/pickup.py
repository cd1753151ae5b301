"""24小时揽收及时率: the share of orders the courier picked up within 24 h of payment (SPEC §4).

Seed 000: 揽收及时率 = 揽收及时的订单数 / 支付订单数, over orders paid on T−32 … T−3; an order is on
time when the logistics system records the pickup (揽收) no later than 24 h after payment, or
than the shorter ship-by time the shop promised (承诺发货时间). Taobao shops are assessed on a
48-hour rule over T−33 … T−4 (config preset ``taobao_48h``). A parcel that was never picked up
waits in the warehouse and counts as untimely. The pickup time itself comes from
:mod:`tmallcli.metrics.shipping`, shared with §5 compensation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

import polars as pl

from tmallcli.i18n import tr
from tmallcli.metrics.shipping import (
    FOLD_FLAGS,
    ORDER_COLUMNS,
    Packages,
    PickupWords,
    as_packages,
    item_amount_fen,
    with_pickup_times,
)
from tmallcli.money import compensation_fen

# The tracking events for some packages, folded (a load of the logistics export with
# PackagePickups(words, only=packages)): the watchlist and window are a sixth of a 180-day
# export, so their packages alone are folded, not 30 M events into 10 M packages.
EventsFor = Callable[[Packages], pl.LazyFrame]

TIMELY = "timely"
LATE = "late"  # 揽收超时
NOT_PICKED = "not_picked"  # 未揽收
FOLLOW_UP = "follow_up"  # > 24 h: 跟进仓库和快递
LATE_SHIPMENT_RISK = "late_shipment_risk"  # > 48 h: 延迟发货风险

# Where the pickup times came from (JSON ``pickup_source``).
SOURCE_ORDERS = "picked_up_at"
SOURCE_EVENTS = "tracking_events"
SOURCE_BOTH = "picked_up_at+tracking_events"
SOURCE_NONE = "none"
NO_PICKUP_SOURCE = "no_pickup_source"  # warning code

_DATETIME = pl.Datetime("us")
_COLUMN_TYPES: dict[str, pl.DataType] = {
    "paid_amount": pl.Int64(),
    "shipping_fee": pl.Int64(),
    "paid_at": _DATETIME,
    "shipped_at": _DATETIME,
    "picked_up_at": _DATETIME,
    "promised_ship_by": _DATETIME,
    "event_at": _DATETIME,
}


@dataclass(frozen=True)
class PickupRules:
    """The ``pickup`` section of the config and the §5 late-shipment amount (the numbers
    live in ``config/default.yaml``; :meth:`from_config` fills every field)."""

    words: PickupWords
    hours: int
    start_days_before: int
    end_days_before: int
    exclude_statuses: tuple[str, ...]
    done_statuses: tuple[str, ...]
    follow_up_hours: tuple[int, ...]
    limit: int  # untimely orders listed; 0 = all
    compensation_rate_percent: Any  # §5: 30% of the item amount …
    compensation_minimum_fen: int  # … at least 5 yuan
    preset: str | None

    @classmethod
    def from_config(
        cls, config: Any, *, preset: str | None = None, limit: int | None = None
    ) -> PickupRules:
        """Rules from the validated config; ``preset`` (e.g. taobao_48h) must be a known one."""
        pickup = config.pickup if preset is None else config.pickup.with_preset(preset)
        late = config.compensation.late_shipment
        return cls(
            words=PickupWords.from_config(pickup),
            hours=pickup.hours,
            start_days_before=pickup.window.start_days_before,
            end_days_before=pickup.window.end_days_before,
            exclude_statuses=tuple(pickup.exclude_statuses),
            done_statuses=tuple(pickup.done_statuses),
            follow_up_hours=tuple(sorted(pickup.follow_up_hours)),
            limit=pickup.limit if limit is None else limit,
            compensation_rate_percent=late.rate_percent,
            compensation_minimum_fen=late.minimum_fen,
            preset=pickup.preset,
        )


@dataclass(frozen=True)
class Notice:
    """A warning about the result (JSON ``warnings``); ``code`` is stable, ``message`` English."""

    code: str
    message: str


@dataclass
class Tally:
    """One row of a breakdown: who was assessed and how they fared."""

    key: Any  # carrier / warehouse (None = not in the export), hour 0–23, or payment date
    population: int
    timely: int
    late: int
    not_picked: int

    @property
    def rate(self) -> float | None:
        return self.timely / self.population if self.population else None


@dataclass
class UntimelyOrder:
    order_id: str
    buyer: str | None
    paid_at: datetime
    picked_up_at: datetime | None
    hours: float  # payment → pickup; not picked: payment → the as-of instant
    deadline: datetime
    status: str  # late / not_picked
    carrier: str | None
    tracking_no: str | None
    warehouse: str | None


@dataclass
class WatchOrder:
    """Paid, not closed, not received and not picked up at the as-of instant, for > 24 h."""

    order_id: str
    buyer: str | None
    paid_at: datetime
    hours: float  # waiting since payment
    level: str  # follow_up / late_shipment_risk
    order_status: str | None
    shipped_at: datetime | None  # 已点发货 but no pickup: chase the courier, not the warehouse
    carrier: str | None
    tracking_no: str | None
    warehouse: str | None
    compensation_fen: int  # §5 amount if it becomes a late shipment (per order, ungrouped)


@dataclass
class PickupResult:
    as_of: date
    instant: datetime
    window_start: date
    window_end: date
    rules: PickupRules
    pickup_source: str
    population: int
    timely: int
    late: int
    not_picked: int
    untimely: list[UntimelyOrder]
    by_carrier: list[Tally]
    by_warehouse: list[Tally]
    by_pay_hour: list[Tally]
    daily: list[Tally]
    watchlist: list[WatchOrder]
    warnings: list[Notice]

    @property
    def rate(self) -> float | None:
        """揽收及时率 = timely / population; None when nothing was paid in the window."""
        return self.timely / self.population if self.population else None

    @property
    def exact_rate(self) -> Fraction | None:
        return Fraction(self.timely, self.population) if self.population else None

    def below(self, min_rate: float | str) -> bool:
        """True when the rate is under ``min_rate`` (exactly: 0.95 means 95/100, not a float)."""
        rate = self.exact_rate
        return rate is not None and rate < Fraction(str(min_rate))


def pickup_source(orders_have_pickup_column: bool, have_events: bool) -> str:
    if orders_have_pickup_column and have_events:
        return SOURCE_BOTH
    if orders_have_pickup_column:
        return SOURCE_ORDERS
    return SOURCE_EVENTS if have_events else SOURCE_NONE


def _complete(
    frame: pl.LazyFrame, columns: tuple[str, ...], keep: list[str] | None = None
) -> pl.LazyFrame:
    """Every column the rules read; an export without an optional column has it all null.
    ``keep``: more columns kept as they are (the fold's flags of an item export)."""
    present = set(frame.collect_schema().names())
    missing = [c for c in columns if c not in present]
    return frame.with_columns(
        pl.lit(None, _COLUMN_TYPES.get(c, pl.String())).alias(c) for c in missing
    ).select(*columns, *(keep or []))


def _hours(duration: pl.Expr) -> pl.Expr:
    return duration.dt.total_seconds() / 3600  # full precision; tables show two decimals


def _tally(frame: pl.LazyFrame, key: pl.Expr | str) -> pl.LazyFrame:
    outcome = pl.col("outcome")
    return frame.group_by(key).agg(
        pl.len().cast(pl.Int64).alias("population"),
        (outcome == TIMELY).sum().cast(pl.Int64).alias("timely"),
        (outcome == LATE).sum().cast(pl.Int64).alias("late"),
        (outcome == NOT_PICKED).sum().cast(pl.Int64).alias("not_picked"),
    )


def _worst_first(tally: pl.LazyFrame, key: str) -> pl.LazyFrame:
    # The worst rows first show where to act: a courier that does not collect, a warehouse
    # that ships late. Ties: the bigger row first, then by name for a stable order.
    rate = pl.col("timely") / pl.col("population")
    return tally.sort(
        [rate, pl.col("population"), pl.col(key)],
        descending=[False, True, False],
        nulls_last=True,
    )


def compute_pickup(
    orders: pl.LazyFrame,
    events: pl.LazyFrame | EventsFor | None,
    rules: PickupRules,
    *,
    as_of: date,
    instant: datetime,
    orders_have_pickup_column: bool = True,
    pickups: pl.DataFrame | None = None,
    have_events: bool | None = None,
) -> PickupResult:
    """The 24h pickup rate of orders paid on T−32 … T−3, its breakdowns and the watchlist.

    ``events``: the tracking events (raw or folded), or a function that loads them folded for
    the packages it is given. ``pickups`` (``order_id``, ``pickup_at``): each order's pickup
    time as :func:`~tmallcli.metrics.shipping.with_pickup_times` gives it from these orders
    and events, when the caller computed it already for every order (``tmall report``, for
    compensation): a per-order value, so the candidates' rows of it are what folding their
    packages again would give; ``have_events`` then says whether tracking events gave them
    (``events`` is not read). Orders that carry ``pickup_at`` (:func:`pickup_candidates`)
    have theirs already, as ``pickups`` would give it.
    """
    window_start = as_of - timedelta(days=rules.start_days_before)
    window_end = as_of - timedelta(days=rules.end_days_before)
    source = pickup_source(
        orders_have_pickup_column, events is not None if have_events is None else have_events
    )

    paid = pl.col("paid_at")
    pickup = pl.col("pickup_seen")
    in_window, watch = _read_by_the_rate(rules, as_of, instant)
    # Materialised once: every breakdown and the watchlist read one frame.
    candidates = pickup_candidates(orders, rules, as_of=as_of, instant=instant)
    if "pickup_at" in candidates.columns:
        timed = candidates.lazy()
    elif pickups is not None:
        timed = candidates.lazy().join(
            pickups.lazy().select("order_id", "pickup_at"),
            on="order_id",
            how="left",
            maintain_order="left",
        )
    else:
        if events is not None:
            packages = Packages.of(candidates)
            if callable(events):
                events = events(packages)
            else:
                events = as_packages(events, rules.words).filter(packages.named())
        timed = with_pickup_times(candidates.lazy(), events, rules.words).drop("has_pickup_info")
    assessed = (
        timed.with_columns(
            # A pickup recorded after the as-of instant had not happened yet on T (a re-run on
            # a newer export reports what the seller saw then).
            pl.when(pl.col("pickup_at") <= instant).then(pl.col("pickup_at")).alias("pickup_seen"),
            in_window.alias("_in_window"),
            watch.alias("_watch"),
        )
        .collect()
        .lazy()
    )

    deadline = pl.min_horizontal(paid + timedelta(hours=rules.hours), pl.col("promised_ship_by"))
    population = (
        assessed.filter(pl.col("_in_window"))
        .with_columns(deadline.alias("deadline"))
        .with_columns(
            pl.when(pickup.is_null())
            .then(pl.lit(NOT_PICKED))
            .when(pickup <= pl.col("deadline"))
            .then(pl.lit(TIMELY))
            .otherwise(pl.lit(LATE))
            .alias("outcome"),
            (pl.coalesce(pickup, pl.lit(instant, _DATETIME)) - paid).alias("waited"),
        )
    )

    outcome = pl.col("outcome")
    summary = population.select(
        pl.len().cast(pl.Int64).alias("population"),
        *(
            (outcome == name).sum().cast(pl.Int64).alias(name)
            for name in (TIMELY, LATE, NOT_PICKED)
        ),
    )

    # Not picked first (the oldest payment has waited longest), then late by hours descending.
    untimely = population.filter(pl.col("outcome") != TIMELY).sort(
        [
            pl.col("outcome") != NOT_PICKED,
            pl.when(pl.col("outcome") == NOT_PICKED).then(paid),
            pl.when(pl.col("outcome") == LATE).then(pl.col("waited")),
            pl.col("order_id"),
        ],
        descending=[False, False, True, False],
        nulls_last=True,
    )
    if rules.limit > 0:
        untimely = untimely.head(rules.limit)
    untimely = untimely.select(
        "order_id",
        "buyer",
        "paid_at",
        pickup.alias("picked_up_at"),
        _hours(pl.col("waited")).alias("hours"),
        "deadline",
        pl.col("outcome").alias("status"),
        "carrier",
        "tracking_no",
        "warehouse",
    )

    by_carrier = _worst_first(_tally(population, "carrier"), "carrier")
    by_warehouse = _worst_first(_tally(population, "warehouse"), "warehouse")
    by_pay_hour = _tally(population, paid.dt.hour().cast(pl.Int64).alias("hour")).sort("hour")
    days = pl.LazyFrame(
        {"date": pl.date_range(window_start, window_end, "1d", eager=True)},
        schema={"date": pl.Date()},
    )
    daily = (
        days.join(_tally(population, paid.dt.date().alias("date")), on="date", how="left")
        .with_columns(pl.col("population", "timely", "late", "not_picked").fill_null(0))
        .sort("date")
    )

    watchlist = _watchlist(assessed, rules, instant)

    frames = pl.collect_all(
        [summary, untimely, by_carrier, by_warehouse, by_pay_hour, daily, watchlist]
    )
    summary_df, untimely_df, carrier_df, warehouse_df, hour_df, daily_df, watch_df = frames
    counts = summary_df.row(0, named=True)
    warnings = []
    if source == SOURCE_NONE:
        warnings.append(
            Notice(
                NO_PICKUP_SOURCE,
                tr(
                    "no pickup time: the orders export has no 揽收时间 column and no --logistics was given, so every order counts as not picked up; the rate cannot be computed from 发货时间 (shipped_at), which is the seller's click, not the courier's pickup"
                ),
            )
        )
    return PickupResult(
        as_of=as_of,
        instant=instant,
        window_start=window_start,
        window_end=window_end,
        rules=rules,
        pickup_source=source,
        population=int(counts["population"]),
        timely=int(counts["timely"]),
        late=int(counts["late"]),
        not_picked=int(counts["not_picked"]),
        untimely=[UntimelyOrder(**row) for row in untimely_df.iter_rows(named=True)],
        by_carrier=_tallies(carrier_df, "carrier"),
        by_warehouse=_tallies(warehouse_df, "warehouse"),
        by_pay_hour=_tallies(hour_df, "hour"),
        daily=_tallies(daily_df, "date"),
        watchlist=[WatchOrder(**row) for row in watch_df.iter_rows(named=True)],
        warnings=warnings,
    )


def _read_by_the_rate(
    rules: PickupRules, as_of: date, instant: datetime
) -> tuple[pl.Expr, pl.Expr]:
    """(paid in the rate's window, old enough for the watchlist): the orders it reads."""
    paid = pl.col("paid_at")
    excluded = pl.col("status").is_in(list(rules.exclude_statuses)).fill_null(False)
    in_window = (
        paid.is_not_null()
        & paid.dt.date().is_between(
            as_of - timedelta(days=rules.start_days_before),
            as_of - timedelta(days=rules.end_days_before),
            closed="both",
        )
        & ~excluded
    )
    return in_window, _watch_candidate(rules, instant, excluded)


def pickup_candidates(
    orders: pl.LazyFrame, rules: PickupRules, *, as_of: date, instant: datetime
) -> pl.DataFrame:
    """The orders :func:`compute_pickup` reads: paid in its window, or old enough to watch
    (about a sixth of a 180-day export); only these need a pickup time, only their packages'
    events. Filtering them again gives the same frame, so a caller can take them first and
    let the whole export go before the tracking events are read. Orders that carry their
    ``pickup_at`` already (``tmall report`` sets it beside them) keep it."""
    in_window, watch = _read_by_the_rate(rules, as_of, instant)
    names = orders.collect_schema().names()
    kept = [f for f in (*FOLD_FLAGS, "pickup_at") if f in names]
    return _complete(orders, ORDER_COLUMNS, kept).filter(in_window | watch).collect()


def _watch_candidate(rules: PickupRules, instant: datetime, excluded: pl.Expr) -> pl.Expr:
    """Paid more than follow_up_hours[0] (24 h) ago, not closed, not received; pickup aside."""
    if not rules.follow_up_hours:
        return pl.lit(False)
    paid = pl.col("paid_at")
    done = pl.col("status").is_in(list(rules.done_statuses)).fill_null(False)
    old_enough = paid < instant - timedelta(hours=rules.follow_up_hours[0])
    return paid.is_not_null() & old_enough & ~excluded & ~done


def _watchlist(assessed: pl.LazyFrame, rules: PickupRules, instant: datetime) -> pl.LazyFrame:
    """Orders to chase today, whatever the window: paid > 24 h ago and still not picked up."""
    waiting = pl.lit(instant, _DATETIME) - pl.col("paid_at")
    # follow_up_hours [24, 48]: past the first, follow up; past the second, late-shipment risk.
    level = pl.lit(FOLLOW_UP)
    if len(rules.follow_up_hours) > 1:
        level = (
            pl.when(waiting > timedelta(hours=rules.follow_up_hours[1]))
            .then(pl.lit(LATE_SHIPMENT_RISK))
            .otherwise(level)
        )
    compensation = compensation_fen(
        item_amount_fen(), rules.compensation_rate_percent, rules.compensation_minimum_fen
    )
    return (
        assessed.filter(pl.col("_watch") & pl.col("pickup_seen").is_null())
        .sort("paid_at", "order_id")
        .select(
            "order_id",
            "buyer",
            "paid_at",
            _hours(waiting).alias("hours"),
            level.alias("level"),
            pl.col("status").alias("order_status"),
            "shipped_at",
            "carrier",
            "tracking_no",
            "warehouse",
            compensation.cast(pl.Int64).alias("compensation_fen"),
        )
    )


def _tallies(frame: pl.DataFrame, key: str) -> list[Tally]:
    return [
        Tally(row[key], row["population"], row["timely"], row["late"], row["not_picked"])
        for row in frame.iter_rows(named=True)
    ]
