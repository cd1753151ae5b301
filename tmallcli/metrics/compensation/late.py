"""延迟发货: which orders shipped late and how a buyer's late orders are grouped (SPEC §5)."""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl

from tmallcli.frames import scattered
from tmallcli.metrics.compensation.rules import CompensationRules
from tmallcli.metrics.shipping import (
    PickupWords,
    item_amount_fen,
    with_pickup_times,
)
from tmallcli.money import compensation_fen


def _seconds(later: pl.Expr, earlier: pl.Expr) -> pl.Expr:
    return (later - earlier).dt.total_seconds()


def order_pickups(
    orders: pl.LazyFrame, events: pl.LazyFrame | None, words: PickupWords
) -> pl.DataFrame:
    """``pickup_at`` and ``has_pickup_info`` of each order (:func:`with_pickup_times`), row for
    row beside ``orders`` (a frame in memory). ``tmall report`` computes them once for its
    compensation and its pickup rate."""
    return with_pickup_times(orders, events, words).select("pickup_at", "has_pickup_info").collect()


def with_pickups(
    orders: pl.LazyFrame,
    events: pl.LazyFrame | None,
    words: PickupWords,
    pickups: pl.DataFrame | None = None,
) -> pl.LazyFrame:
    """``orders`` with ``pickup_at`` and ``has_pickup_info`` (:func:`order_pickups`, unless
    ``pickups`` gives them already).

    The two columns are computed once and set beside the orders in memory: the late rule and
    the 缺货 rule both read them, and a plan two queries share is materialised whole (every
    column of 10 M orders, 1.1 GB) where these two take 90 MB.
    """
    if pickups is None:
        pickups = order_pickups(orders, events, words)
    return pl.concat([orders.collect(), pickups], how="horizontal").lazy()


def assess_late(
    orders: pl.LazyFrame,
    refunds: pl.LazyFrame | None,
    rules: CompensationRules,
    as_of: datetime,
) -> pl.LazyFrame:
    """Every order (with its pickup, :func:`with_pickups`) with its ship-by deadline, the
    instant it stopped waiting, and ``late``.

    Ship time: the pickup (揽收) as in §4; only when nothing at all is known about an order's
    pickup, ``shipped_at``. Times after the as-of instant have not happened yet as of then.
    An order closed (交易关闭) is judged at its close time: without ``--refunds`` the close
    time is unknown and a closed order that never shipped is given the benefit of the doubt;
    with ``--refunds`` the order closed when its last refund completed, so a refund completed
    after the deadline means it was still open, unshipped, past the deadline: late. A closed
    order that shipped after the deadline was open at the deadline: late too.
    """
    as_of_lit = pl.lit(as_of, pl.Datetime("us"))
    frame = orders
    closed = pl.col("status").is_in(list(rules.closed_statuses)).fill_null(False)
    if refunds is not None:
        closes = refunds.group_by("order_id").agg(pl.col("completed_at").max().alias("_close_at"))
        # Looked up for the closed orders alone (their close time is read nowhere else; 10 M
        # orders: 0.8 M closed) and set into their rows by row number, beside the orders in
        # their row order (see with_pickup_times; ``orders`` is a frame in memory): a join of
        # the wide frame would copy every column, and one of every order number took 1.3 s
        # where this takes 0.3 s.
        found = (
            orders.select("order_id", closed.alias("_closed"))
            .with_row_index("_row")
            .filter(pl.col("_closed"))
            .join(closes, on="order_id", how="inner")
            .select("_row", "_close_at")
            .collect()
        )
        height = orders.select(pl.len()).collect().item()
        close_times = scattered(found.get_column("_close_at"), found.get_column("_row"), height)
        frame = pl.concat([frame, close_times.to_frame().lazy()], how="horizontal")
    else:
        frame = frame.with_columns(pl.lit(None, pl.Datetime("us")).alias("_close_at"))

    recorded = (
        pl.when(pl.col("has_pickup_info").fill_null(False))
        .then(pl.col("pickup_at"))
        .otherwise(pl.col("shipped_at"))
    )
    source = (
        pl.when(pl.col("has_pickup_info").fill_null(False))
        .then(_end_kind("pickup"))
        .otherwise(_end_kind("shipped"))
    )
    ship_at = pl.when(recorded <= as_of_lit).then(recorded)
    close_at = pl.min_horizontal(pl.col("_close_at"), as_of_lit)
    deadline = pl.coalesce(
        pl.col("promised_ship_by"),
        pl.col("paid_at") + pl.duration(hours=rules.ship_within_hours),
    )
    amount = compensation_fen(item_amount_fen(), rules.rate_percent, rules.minimum_fen)
    # When the order stopped waiting, and why: the same three conditions give both columns.
    shipped = pl.col("_ship_at").is_not_null()
    closed_known = pl.col("closed") & pl.col("_close_at").is_not_null()
    end_at = (
        pl.when(shipped)
        .then(pl.col("_ship_at"))
        .when(closed_known)
        .then(close_at)
        .when(~pl.col("closed"))
        .then(as_of_lit)
    )
    end_kind = (
        pl.when(shipped)
        .then(source)
        .when(closed_known)
        .then(_end_kind("closed"))
        .when(~pl.col("closed"))
        .then(_end_kind("open"))
    )
    return (
        frame.with_columns(
            ship_at.alias("_ship_at"),
            closed.alias("closed"),
            deadline.alias("deadline"),
            pl.col("promised_ship_by").is_not_null().alias("promised"),
            amount.cast(pl.Int64).alias("amount_fen"),
        )
        .with_columns(end_at.alias("end_at"), end_kind.alias("end_kind"))
        .with_columns(
            (
                pl.col("paid_at").is_not_null()
                & (pl.col("paid_at") <= as_of_lit)
                & pl.col("end_at").is_not_null()
                & (pl.col("end_at") > pl.col("deadline"))
            )
            .fill_null(False)
            .alias("late"),
            _seconds(pl.col("end_at"), pl.col("deadline")).alias("late_seconds"),
        )
        .drop("_ship_at", "_close_at")
    )


# Why an order stopped waiting (end_kind): an Enum, a byte a row where 10 M orders' strings
# would take 16 bytes each; the payout lines carry it as text (LINE_SCHEMA).
END_KINDS = pl.Enum(["pickup", "shipped", "closed", "open"])


def _end_kind(name: str) -> pl.Expr:
    return pl.lit(name, dtype=END_KINDS)


def group_late_orders(late: pl.DataFrame, window_hours: int) -> pl.DataFrame:
    """Adds ``group_id``: a buyer's late orders paid within ``window_hours`` of a group's first.

    Sort a buyer's late orders by ``paid_at`` (tie-break ``order_id``); a group starts at
    the earliest ungrouped order and takes every later one paid *less than* 24 h after
    that start. Done in rounds, each a Polars expression over all buyers at once: in a
    round every buyer's earliest ungrouped order starts a group and takes its orders, so
    the number of rounds is the largest number of groups of any one buyer. An order
    without a buyer nick is a group of its own. ``group_id`` is ``buyer:start order id``.
    """
    window = timedelta(hours=window_hours)
    key = pl.coalesce(pl.col("buyer"), pl.lit("\x00") + pl.col("order_id"))
    # Sorted once by buyer, then payment: each buyer's ungrouped orders are a run of rows
    # whose first is the next group's start, in every round (a window sorting each buyer's
    # orders, over 10 M orders' 200 k late ones, took 0.3 s a round).
    remaining = late.with_columns(key.alias("_buyer")).sort("_buyer", "paid_at", "order_id")
    grouped: list[pl.DataFrame] = []
    while remaining.height:
        first = pl.col("_buyer").ne_missing(pl.col("_buyer").shift()).fill_null(True)
        starts = remaining.with_columns(
            pl.when(first).then(pl.col("paid_at")).forward_fill().alias("_start_at"),
            pl.when(first).then(pl.col("order_id")).forward_fill().alias("_start"),
        )
        taken = pl.col("paid_at") < pl.col("_start_at") + window
        grouped.append(starts.filter(taken))
        remaining = starts.filter(~taken).drop("_start_at", "_start")
    if not grouped:
        return late.with_columns(pl.lit(None, pl.String).alias("group_id"))
    group_id = (
        pl.when(pl.col("buyer").is_null())
        .then(pl.col("_start"))
        .otherwise(pl.col("buyer") + pl.lit(":") + pl.col("_start"))
    )
    return (
        pl.concat(grouped)
        .with_columns(group_id.alias("group_id"))
        .drop("_buyer", "_start_at", "_start")
        .sort("group_id", "paid_at", "order_id")
    )


def late_lines(late: pl.DataFrame, rules: CompensationRules) -> pl.DataFrame:
    return late.select(
        pl.lit("late_shipment").alias("kind"),
        "group_id",
        "buyer",
        "order_id",
        "paid_at",
        "amount_fen",
        pl.lit(rules.group_cap_fen, pl.Int64).alias("cap_fen"),
        pl.col("auto_compensation").fill_null(0).alias("platform_fen"),
        "deadline",
        "end_at",
        "end_kind",
        "promised",
    )
