"""退款: the refunds of one chunk (before shipping for the cancelled orders, after shipping
for some of the rest) and the refunds export, dates as Excel re-saves them."""

from __future__ import annotations

import numpy as np
import polars as pl

from tmallcli.sample.columns import lookup, timestamp, yes_no, yuan
from tmallcli.sample.draws import (
    Counters,
    Shop,
    between,
    cut_future,
    draw_reasons,
    lognormal,
    scrambled_ids,
)
from tmallcli.sample.world import (
    BEFORE_SHIPPING_REASONS,
    DAY,
    HOUR,
    MINUTE,
    NA,
    NOT_DELIVERED_REASONS,
    R_LOST,
    R_MISSING,
    R_NO_REASON,
    R_POSTAGE,
    R_QUALITY,
    REFUND_ONLY_REASONS,
    REFUND_REASONS,
    REFUND_STATUS,
    RETURN_REASONS,
    RF_BUYER_RETURN,
    RF_CLOSED,
    RF_OK,
    RF_SELLER,
    RF_SELLER_RECEIVE,
    RULINGS,
    SLASH,
)


def plan_refunds(
    rng: np.random.Generator,
    shop: Shop,
    n: int,
    *,
    paid: np.ndarray,
    paid_fen: np.ndarray,
    item_fen: np.ndarray,
    cancel: np.ndarray,
    cancel_at: np.ndarray,
    protect: np.ndarray,
    pick_last: np.ndarray,
    delivered: np.ndarray,
    confirmed: np.ndarray,
    counters: Counters,
) -> dict[str, np.ndarray]:
    """Refunds, per order (at most one each): before shipping for the cancelled orders,
    after shipping for some of the rest."""
    end = shop.end

    # --- before shipping: 仅退款, 售中, nothing shipped
    before_reason = draw_reasons(rng, n, BEFORE_SHIPPING_REASONS)
    before_done = cancel_at + np.where(
        rng.random(n) < 0.65,
        between(rng, n, 10, 5 * MINUTE),  # refunded at once (极速退款)
        np.clip(lognormal(rng, n, 3 * HOUR, 1.2), 5 * MINUTE, 6 * DAY),
    )
    cancel_done = before_done <= end

    # --- after shipping
    after = (pick_last >= 0) & ~cancel & ~protect & (rng.random(n) < 0.07)
    has_delivery = delivered >= 0
    returns = has_delivery & (rng.random(n) < 0.55)  # 退货退款, else 仅退款
    reason = np.select(
        [returns, has_delivery],
        [
            draw_reasons(rng, n, RETURN_REASONS),
            draw_reasons(rng, n, REFUND_ONLY_REASONS),
        ],
        draw_reasons(rng, n, NOT_DELIVERED_REASONS),
    )
    applied = np.where(
        has_delivery,
        delivered
        + np.where(
            reason == R_NO_REASON,
            between(rng, n, HOUR, 6.5 * DAY),
            between(rng, n, HOUR, 12 * DAY),
        ),
        pick_last + between(rng, n, DAY, 4 * DAY),
    )
    after &= applied <= end - 5 * MINUTE

    amount = np.select(
        [
            reason == R_POSTAGE,
            (reason == R_QUALITY) & ~returns,
            reason == R_MISSING,
            reason == R_LOST,
        ],
        [
            rng.choice([500, 600, 800, 1000, 1200], n),
            item_fen * rng.integers(20, 51, n) // 100,
            item_fen * rng.integers(15, 41, n) // 100,
            paid_fen,
        ],
        item_fen,
    )
    amount = np.clip(amount, 100, paid_fen)

    intervened = after & (rng.random(n) < 0.06)
    cancelled = rng.random(n) < np.where(returns, 0.05, 0.10)  # the buyer withdrew it
    never_returned = returns & ~cancelled & (rng.random(n) < 0.08)
    stuck = (
        after
        & ~intervened
        & (applied >= end - 8 * DAY)
        & (applied <= end - 3.5 * DAY)
        & (rng.random(n) < 0.5)
    )
    slow_extra = np.where(intervened, between(rng, n, 2 * DAY, 5 * DAY), 0)

    agreed = np.where(
        returns & ~cancelled,
        applied + np.clip(lognormal(rng, n, 4 * HOUR, 1.3), 5 * MINUTE, 6 * DAY),
        NA,
    )
    returned = np.where(
        (agreed >= 0) & ~never_returned,
        agreed + np.clip(lognormal(rng, n, 20 * HOUR, 0.8), 30 * MINUTE, 6.5 * DAY),
        NA,
    )
    done = np.select(
        [
            cancelled,
            never_returned,
            returns,
        ],
        [
            applied + between(rng, n, HOUR, 2 * DAY),
            agreed + 7 * DAY,  # the return timed out
            returned + np.clip(lognormal(rng, n, 60 * HOUR, 0.4), 20 * HOUR, 8 * DAY) + slow_extra,
        ],
        applied + np.clip(lognormal(rng, n, 5 * HOUR, 1.3), 2 * MINUTE, 10 * DAY) + slow_extra,
    )
    agreed = np.where(stuck, NA, agreed)
    returned = np.where(stuck, NA, returned)
    done = np.where(stuck, NA, done)

    # What the export shows at the as-of instant.
    agreed_seen = cut_future(agreed, end)
    returned_seen = cut_future(returned, end)
    done_seen = cut_future(done, end)
    after_status = np.select(
        [
            done_seen >= 0,
            returns & ~cancelled & (agreed_seen < 0),
            returns & ~cancelled & (returned_seen < 0),
            returns & ~cancelled,
        ],
        [
            np.where(cancelled | never_returned, RF_CLOSED, RF_OK),
            RF_SELLER,
            RF_BUYER_RETURN,
            RF_SELLER_RECEIVE,
        ],
        RF_SELLER,
    )
    stage_after_sale = (confirmed >= 0) & (confirmed < applied)
    ruling = np.where(intervened & (done_seen >= 0), rng.choice(3, n, p=[0.55, 0.30, 0.15]), -1)
    closes_order = after & (after_status == RF_OK) & ~stage_after_sale & (amount >= item_fen)

    # --- one table over both kinds of refund
    before = cancel
    rows = before | after
    count = int(rows.sum())
    refund_no = counters.refund + np.cumsum(rows) - 1
    counters.refund += count
    refund_id = 10**17 + scrambled_ids(refund_no, 17, 2)
    before_status = np.where(cancel_done, RF_OK, RF_SELLER)
    return {
        "rows": rows,
        "refund_id": refund_id,
        "applied": np.where(before, cancel_at, applied),
        "amount": np.where(before, paid_fen, amount),
        "returns": np.where(before, False, returns),
        "reason": np.where(before, before_reason, reason),
        "status": np.where(before, before_status, after_status),
        "after_sale": np.where(before, False, stage_after_sale),
        "received": np.where(before, False, has_delivery),
        "shipped": ~before,
        "agreed": np.where(before, NA, agreed_seen),
        "returned": np.where(before, NA, returned_seen),
        "done": np.where(before, np.where(cancel_done, before_done, NA), done_seen),
        "intervened": np.where(before, False, intervened),
        "ruling": np.where(before, -1, ruling),
        "signed": np.where(before, NA, delivered),
        "yen": rng.random(n) < 0.25,
        "closes_order": closes_order,
        "cancel_done": cancel_done,
    }


def refunds_frame(orders: pl.DataFrame, refunds: dict[str, np.ndarray]) -> pl.DataFrame:
    rows = refunds["rows"]
    keys = ("refund_id", "applied", "amount", "returns", "reason", "status", "after_sale",
            "received", "shipped", "agreed", "returned", "done", "intervened", "ruling",
            "signed", "yen")  # fmt: skip
    frame = pl.DataFrame(
        {"order_id": orders.get_column("order_id").to_numpy()[rows]}
        | {key: refunds[key][rows] for key in keys}
    )
    return frame.sort("applied", "refund_id", descending=True).select(
        pl.col("refund_id").cast(pl.String).alias("退款编号"),
        pl.col("order_id").cast(pl.String).alias("订单编号"),
        timestamp("applied", SLASH).alias("退款的申请时间"),
        yuan("amount", yen="yen").alias("买家退款金额"),
        pl.when(pl.col("returns")).then(pl.lit("退货退款")).otherwise(pl.lit("仅退款")).alias("售后类型"),
        yes_no("returns").alias("是否需要退货"),
        lookup(REFUND_REASONS, "reason").alias("买家退款原因"),
        lookup(REFUND_STATUS, "status").alias("退款状态"),
        pl.when(pl.col("after_sale")).then(pl.lit("售后")).otherwise(pl.lit("售中")).alias("售中或售后"),
        pl.when(pl.col("received")).then(pl.lit("买家已收到货"))
        .otherwise(pl.lit("买家未收到货")).alias("货物状态"),
        yes_no("shipped").alias("是否已发货"),
        timestamp("agreed", SLASH).alias("卖家同意退货时间"),
        timestamp("returned", SLASH).alias("买家退货时间"),
        timestamp("done", SLASH).alias("退款完结时间"),
        pl.when(pl.col("intervened")).then(pl.lit("客服已介入"))
        .otherwise(pl.lit("不需要客服介入")).alias("客服介入状态"),
        lookup(RULINGS, "ruling").alias("责任方"),
        timestamp("signed", SLASH).alias("签收时间"),
    )  # fmt: skip
