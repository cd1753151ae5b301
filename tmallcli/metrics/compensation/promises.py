"""当日达 / 次日达 / 送货上门 not honoured: a fixed 违约金 per order (SPEC §5)."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from tmallcli.metrics.compensation.rules import NEXT_DAY, SAME_DAY, CompensationRules


def promise_candidates(
    orders: pl.LazyFrame, rules: CompensationRules, as_of: datetime
) -> pl.LazyFrame:
    """当日达 / 次日达 / 送货上门 not honoured: a fixed 违约金 per order.

    Broken when the platform's 违约 flag says so; else 当日达 when signed (签收) on a later
    date than the payment, 次日达 when signed after the day after payment; 送货上门 only by
    the flag. Without a 签收时间 (and no flag) a 当日达/次日达 order cannot be decided: not
    paid, listed in ``undecided``. A 签收时间 after the as-of instant has not happened yet.
    """
    as_of_lit = pl.lit(as_of, pl.Datetime("us"))
    service = pl.lit(None, pl.String)
    promise = pl.col("service_promise").cast(pl.String)  # (it may be held as Categorical)
    for word in reversed(rules.promise_services):
        service = (
            pl.when(promise.str.contains(word, literal=True)).then(pl.lit(word)).otherwise(service)
        )
    paid_day = pl.col("paid_at").dt.date()
    delivered = pl.when(pl.col("delivered_at") <= as_of_lit).then(pl.col("delivered_at"))
    signed_day = pl.col("_delivered").dt.date()
    date_rule = (
        pl.when(pl.col("service") == SAME_DAY)
        .then(signed_day > paid_day)
        .when(pl.col("service") == NEXT_DAY)
        .then(signed_day > paid_day + pl.duration(days=1))
    )
    return (
        orders.filter(
            pl.col("paid_at").is_not_null()
            & (pl.col("paid_at") <= as_of_lit)
            & pl.col("service_promise").is_not_null()
        )
        .with_columns(service.alias("service"), delivered.alias("_delivered"))
        .filter(pl.col("service").is_not_null())
        .with_columns(
            pl.col("promise_broken").fill_null(False).alias("flagged"),
            date_rule.alias("_date_rule"),
        )
        .with_columns(
            (pl.col("flagged") | pl.col("_date_rule").fill_null(False)).alias("_broken"),
            (
                ~pl.col("flagged")
                & pl.col("service").is_in([SAME_DAY, NEXT_DAY])
                & pl.col("_delivered").is_null()
            ).alias("_undecided"),
        )
        .filter(pl.col("_broken") | pl.col("_undecided"))
    )


def promise_lines(frame: pl.DataFrame, rules: CompensationRules) -> tuple[pl.DataFrame, list[str]]:
    undecided = frame.filter(pl.col("_undecided")).sort("order_id").get_column("order_id")
    lines = frame.filter(pl.col("_broken")).select(
        pl.lit("promise_broken").alias("kind"),
        pl.col("order_id").alias("group_id"),
        "buyer",
        "order_id",
        "paid_at",
        pl.lit(rules.promise_amount_fen, pl.Int64).alias("amount_fen"),
        pl.lit(None, pl.Int64).alias("cap_fen"),
        pl.lit(0, pl.Int64).alias("platform_fen"),
        "service",
        pl.col("_delivered").alias("delivered_at"),
        "flagged",
    )
    return lines, undecided.to_list()
