"""纠纷投诉: the 投诉成立率 (complaint rate) of the service score (SPEC §6).

A ruling counts 5 days after it is made, so the window is T−34 … T−5 by the judging date;
complaints the merchant settled without the platform (no 小二介入) do not count. The
denominator is the orders paid in the same window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from tmallcli.timeframe import AsOf

COMPLAINT_WINDOW = (34, 5)  # T−34 … T−5
COLUMNS = (
    "complaint_id",
    "order_id",
    "created_at",
    "judged_at",
    "established",
    "platform_intervened",
    "type",
)


@dataclass
class ComplaintRate:
    window: tuple[date, date]
    established: int  # the numerator
    orders_paid: int | None  # the denominator; None without the orders export
    complaints: list[dict[str, object]] = field(default_factory=list)  # the counted ones (evidence)
    settled_without_platform: int = 0

    @property
    def rate(self) -> float | None:
        if not self.orders_paid:
            return None
        return self.established / self.orders_paid


def paid_in(orders: pl.LazyFrame, start: date, end: date) -> pl.Expr:
    return pl.col("paid_at").dt.date().is_between(start, end)


def compute_complaint_rate(
    complaints: pl.LazyFrame, orders: pl.LazyFrame | None, as_of: AsOf
) -> ComplaintRate:
    start, end = as_of.window(*COMPLAINT_WINDOW)
    judged = complaints.filter(
        pl.col("established").fill_null(False)
        & pl.col("judged_at").dt.date().is_between(start, end)
    )
    counted, settled = pl.collect_all(
        [
            judged.filter(pl.col("platform_intervened").fill_null(True))
            .select("complaint_id", "order_id", "created_at", "judged_at", "type")
            .sort("judged_at", "complaint_id"),
            judged.filter(~pl.col("platform_intervened").fill_null(True)).select(pl.len()),
        ]
    )
    orders_paid = None
    if orders is not None:
        orders_paid = int(
            orders.filter(paid_in(orders, start, end)).select(pl.len()).collect().item()
        )
    return ComplaintRate(
        (start, end), counted.height, orders_paid, counted.to_dicts(), int(settled.item())
    )
