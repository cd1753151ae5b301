"""物流详情: one row per package (tracking number) of a chunk, and its tracking events with
each carrier's pickup wording and the 菜鸟 warehouses' 包裹已出库 first (SPEC §4)."""

from __future__ import annotations

import numpy as np
import polars as pl

from tmallcli.sample.columns import lookup, timestamp, tracking_number
from tmallcli.sample.draws import cut_future
from tmallcli.sample.world import (
    CARRIERS,
    COURIERS,
    HOUR,
    MINUTE,
    NA,
    PROVINCES,
    SIGNERS,
    WAREHOUSES,
)


def plan_packages(
    rng: np.random.Generator,
    arrays: dict[str, np.ndarray],
    has_tracking: np.ndarray,
    second: np.ndarray,
    carrier: np.ndarray,
    warehouse: np.ndarray,
    province: np.ndarray,
    cainiao: np.ndarray,
    *,
    click: np.ndarray,
    out1: np.ndarray,
    out2: np.ndarray,
    pick1: np.ndarray,
    pick2: np.ndarray,
    delivered1: np.ndarray,
    delivered: np.ndarray,
    end: int,
) -> dict[str, np.ndarray]:
    """One row per package (tracking number), first packages then second ones."""
    first_rows = np.flatnonzero(has_tracking)
    second_rows = np.flatnonzero(second)
    order_row = np.concatenate([first_rows, second_rows])
    m = len(order_row)
    tracking = np.concatenate([arrays["tracking1"][first_rows], arrays["tracking2"][second_rows]])
    pick = np.concatenate([pick1[first_rows], pick2[second_rows]])
    out = np.concatenate([out1[first_rows], out2[second_rows]])
    deliv = np.concatenate([delivered1[first_rows], delivered[second_rows]])
    deliv = np.where(pick >= 0, deliv, NA)
    clicked = click[order_row]
    is_cainiao = cainiao[order_row]
    span = np.where(deliv >= 0, deliv - pick, 10 * HOUR)
    # about 3 events a package (SPEC §12: 10 M orders, 30 M tracking events)
    in_transit = (pick >= 0) & (is_cainiao | (rng.random(m) < 0.8))
    transit_at = cut_future(
        np.where(in_transit, pick + (span * rng.uniform(0.1, 0.4, m)).astype(np.int64), NA), end
    )
    out_for_delivery = np.where(
        (deliv >= 0) & (rng.random(m) < 0.2),
        deliv - (span * rng.uniform(0.02, 0.08, m)).astype(np.int64) - 5 * MINUTE,
        NA,
    )
    packed = np.where(~is_cainiao & (clicked >= 0) & (rng.random(m) < 0.1), clicked, NA)
    return {
        "order_row": order_row,
        "tracking": tracking,
        "second": np.arange(m) >= len(first_rows),
        "carrier": carrier[order_row],
        "warehouse": warehouse[order_row],
        "province": province[order_row],
        "cainiao": is_cainiao,
        "packed": packed,
        "out": np.where(is_cainiao, out, NA),
        "pick": pick,
        "transit": transit_at,
        "out_for_delivery": out_for_delivery,
        "delivered": deliv,
        "courier": rng.integers(0, len(COURIERS), m),
        "courier2": rng.integers(0, len(COURIERS), m),
        "signer": rng.integers(0, len(SIGNERS), m),
        "phone": rng.integers(1000, 10000, m),
    }


def logistics_frame(orders: pl.DataFrame, packages: dict[str, np.ndarray]) -> pl.DataFrame:
    # order rank as in the orders file, so events follow the orders' order
    rank = np.empty(len(orders), dtype=np.int64)
    created = orders.get_column("created").to_numpy()
    order_id = orders.get_column("order_id").to_numpy()
    rank[np.lexsort((-order_id, -created))] = np.arange(len(orders))

    origin = pl.concat_str(
        pl.lit("【"), lookup([w[3] for w in WAREHOUSES], "warehouse"), pl.lit("】")
    )
    destination = lookup([p[1] for p in PROVINCES], "province")
    carrier = lookup([c[0] for c in CARRIERS], "carrier")
    # The pickup wording differs by carrier; 菜鸟 warehouses report 包裹已出库 first and the
    # pickup as the move to the sorting centre (SPEC §4).
    texts = {
        "packed": pl.concat_str(origin, pl.lit("您的包裹已打包，等待快递上门")),
        "out": pl.concat_str(origin, pl.lit("包裹已出库")),
        "pick": pl.when(pl.col("cainiao"))
        .then(pl.concat_str(origin, pl.lit("正在发往分拨中心")))
        .otherwise(
            pl.concat_str(
                origin, carrier, pl.lit(" "), lookup([w[4] for w in WAREHOUSES], "warehouse"),
                pl.lit("网点 快递员 "), lookup(COURIERS, "courier"), pl.lit(" "),
                lookup([c[5] for c in CARRIERS], "carrier"),
            )
        ),
        "transit": pl.when(pl.col("cainiao"))
        .then(pl.concat_str(origin, pl.lit("已从分拨中心发出，发往 "), destination))
        .otherwise(pl.concat_str(origin, pl.lit("快件已发往 "), destination, pl.lit("转运中心"))),
        "out_for_delivery": pl.concat_str(
            pl.lit("【"), destination, pl.lit("】派送中，快递员 "), lookup(COURIERS, "courier2"),
            pl.lit("，电话 138****"), pl.col("phone").cast(pl.String),
        ),
        "delivered": pl.concat_str(
            pl.lit("【"), destination, pl.lit("】已签收，签收人："), lookup(SIGNERS, "signer"),
            pl.lit("，感谢使用"), carrier,
        ),
    }  # fmt: skip
    parts = []
    for slot, (name, text) in enumerate(texts.items()):
        row = np.flatnonzero(packages[name] >= 0)
        order_row = packages["order_row"][row]
        part = pl.DataFrame(
            {
                "rank": rank[order_row],
                "second": packages["second"][row],
                "slot": np.full(len(row), slot),
                "at": packages[name][row],
                "order_id": order_id[order_row],
                **{key: packages[key][row] for key in
                   ("tracking", "carrier", "warehouse", "province", "cainiao", "courier",
                    "courier2", "signer", "phone")},
            }
        )  # fmt: skip
        parts.append(
            part.select("rank", "second", "slot", "at", "order_id", "tracking", "carrier",
                        text.alias("text"))
        )  # fmt: skip
    return (
        pl.concat(parts)
        .sort("rank", "second", "at", "slot")
        .select(
            tracking_number("tracking", "carrier").alias("物流单号"),
            pl.col("order_id").cast(pl.String).alias("订单编号"),
            timestamp("at").alias("时间"),
            pl.col("text").alias("物流状态"),
        )
    )
