"""投诉: complaints about late shipment, 虚假发货 and the items of quality refunds, and the
complaints export."""

from __future__ import annotations

import numpy as np
import polars as pl

from tmallcli.sample.columns import lookup, timestamp, yes_no
from tmallcli.sample.draws import Counters, Shop, between, cut_future, scrambled_ids
from tmallcli.sample.world import COMPLAINT_TYPES, DAY, HOUR, R_BROKEN, R_MISMATCH, R_QUALITY


def plan_complaints(
    rng: np.random.Generator,
    shop: Shop,
    n: int,
    late_shipment: np.ndarray,
    shipped_on_paper: np.ndarray,
    deadline: np.ndarray,
    refunds: dict[str, np.ndarray],
    pick_last: np.ndarray,
    counters: Counters,
) -> dict[str, np.ndarray]:
    """Complaints of one chunk: about late shipment (虚假发货 when the seller clicked 发货
    before the courier came), about the items of quality refunds, and a few others."""
    end = shop.end
    reason = refunds["reason"]
    quality = refunds["rows"] & np.isin(reason, [R_QUALITY, R_MISMATCH, R_BROKEN])
    about_late = late_shipment & (rng.random(n) < 0.25)
    about_item = quality & (rng.random(n) < 0.15)
    other = (pick_last >= 0) & (rng.random(n) < 0.003)
    kind = np.select(
        [about_late, about_item, other],
        [
            np.where(shipped_on_paper & (rng.random(n) < 0.6), 1, 0),
            np.where(reason == R_MISMATCH, 3, 2),
            rng.choice([4, 5, 6], n),
        ],
        -1,
    )
    reference = np.select([kind <= 1, kind <= 3], [deadline, refunds["applied"]], pick_last)
    created = reference + between(rng, n, 2 * HOUR, 5 * DAY)
    rows = (kind >= 0) & (created <= end)
    judged = cut_future(created + between(rng, n, DAY, 7 * DAY), end)
    established_p = np.array([0.6, 0.7, 0.3, 0.3, 0.2, 0.3, 0.25])[np.maximum(kind, 0)]
    intervened = rng.random(n) < 0.85
    established = (
        (judged >= 0) & (rng.random(n) < established_p) & (intervened | (rng.random(n) < 0.3))
    )
    complaint_no = counters.complaint + np.cumsum(rows) - 1
    counters.complaint += int(rows.sum())
    return {
        "rows": rows,
        "complaint_id": 500_000_000_000 + scrambled_ids(complaint_no, 11, 3),
        "created": created,
        "judged": judged,
        "established": established,
        "intervened": intervened,
        "kind": kind,
    }


def complaints_frame(orders: pl.DataFrame, complaints: dict[str, np.ndarray]) -> pl.DataFrame:
    rows = complaints["rows"]
    keys = ("complaint_id", "created", "judged", "established", "intervened", "kind")
    frame = pl.DataFrame(
        {"order_id": orders.get_column("order_id").to_numpy()[rows]}
        | {key: complaints[key][rows] for key in keys}
    )
    return frame.sort("created", "complaint_id", descending=True).select(
        pl.col("complaint_id").cast(pl.String).alias("投诉编号"),
        pl.col("order_id").cast(pl.String).alias("订单编号"),
        timestamp("created").alias("投诉时间"),
        timestamp("judged").alias("判定时间"),
        yes_no("established").alias("是否成立"),
        yes_no("intervened").alias("是否小二介入"),
        lookup(COMPLAINT_TYPES, "kind").alias("投诉类型"),
    )
