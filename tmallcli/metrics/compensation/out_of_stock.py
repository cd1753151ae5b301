"""缺货: a refund of an order not yet shipped pays a share of the refund (SPEC §5)."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from tmallcli.metrics.compensation.rules import CompensationRules
from tmallcli.money import compensation_fen


def stock_lines(
    refunds: pl.LazyFrame, orders: pl.LazyFrame, rules: CompensationRules, as_of: datetime
) -> pl.LazyFrame:
    """缺货 refunds on orders not yet shipped: 30% of the refunded amount, at least 5 yuan.

    Not shipped: the refund says 未发货; when it says nothing, the order had no ship time
    (发货 or 揽收, whichever came first) when the refund was applied for — when the orders
    export holds the order; else it is taken as not shipped. Several refunds of one order
    are summed into one payout.
    """
    as_of_lit = pl.lit(as_of, pl.Datetime("us"))
    reason = pl.col("reason").fill_null("").str.contains_any(list(rules.stock_reason_keywords))
    chosen = reason & (pl.col("applied_at") <= as_of_lit)
    if rules.stock_refund_statuses:
        chosen = chosen & pl.col("status").is_in(list(rules.stock_refund_statuses)).fill_null(False)
    picked = refunds.filter(chosen)
    # The orders of those refunds first (a semi join reads each order number once; the left
    # join below then holds a few orders, not all 10 M of a big shop: 0.4 → 0.1 s).
    order_ship = orders.join(picked.select("order_id"), on="order_id", how="semi").select(
        "order_id",
        "buyer",
        "paid_at",
        pl.min_horizontal("shipped_at", "pickup_at").alias("_first_ship"),
        pl.lit(True).alias("_known"),
    )
    not_shipped = (
        pl.when(pl.col("shipped").is_not_null())
        .then(~pl.col("shipped"))
        .when(pl.col("_known").fill_null(False))
        .then(pl.col("_first_ship").is_null() | (pl.col("_first_ship") > pl.col("applied_at")))
        .otherwise(pl.lit(True))
    )
    per_order = (
        picked.join(order_ship, on="order_id", how="left")
        .filter(not_shipped)
        .group_by("order_id")
        .agg(
            pl.col("buyer").drop_nulls().first(),
            pl.col("paid_at").min(),
            pl.col("amount").sum().alias("refund_fen"),
            pl.col("refund_id").sort().alias("refund_ids"),
        )
    )
    amount = compensation_fen(
        pl.col("refund_fen"), rules.stock_rate_percent, rules.stock_minimum_fen
    )
    return per_order.select(
        pl.lit("out_of_stock").alias("kind"),
        pl.col("order_id").alias("group_id"),
        "buyer",
        "order_id",
        "paid_at",
        amount.cast(pl.Int64).alias("amount_fen"),
        pl.lit(None, pl.Int64).alias("cap_fen"),
        pl.lit(0, pl.Int64).alias("platform_fen"),
        "refund_fen",
        "refund_ids",
    )
