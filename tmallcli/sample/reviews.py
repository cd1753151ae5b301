"""评价: ratings of completed orders (scores, verdict and comment agreeing, the planted power
rater and fresh rating) and the reviews export, one row per rated item."""

from __future__ import annotations

import numpy as np
import polars as pl

from tmallcli.sample.columns import lookup, nick, timestamp
from tmallcli.sample.draws import Shop, between, choose, rows_choice
from tmallcli.sample.world import (
    BAD_ITEM,
    CAUSE_COMMENTS,
    CAUSE_REPLIES,
    DAY,
    DEFAULT_GOOD,
    GOOD_COMMENTS,
    GOOD_REPLIES,
    HOUR,
    ITEMS,
    MINUTE,
    POWER_RATER,
    SUCCESS,
)


def plan_reviews(
    rng: np.random.Generator,
    shop: Shop,
    arrays: dict[str, np.ndarray],
    status: np.ndarray,
    confirmed: np.ndarray,
    troubled: np.ndarray,
    two_items: np.ndarray,
) -> dict[str, np.ndarray]:
    """Ratings of completed orders (one row per item); scores, verdict and comment agree."""
    end = shop.end
    n = len(status)
    eligible = (status == SUCCESS) & (confirmed >= 0)
    default = rng.random(n) < 0.08  # no rating within 15 days: 系统默认好评, no DSR scores
    rated_at = np.where(
        default,
        confirmed + 15 * DAY + between(rng, n, 0, HOUR),
        confirmed
        + np.where(
            rng.random(n) < 0.45,
            between(rng, n, 30, 2 * HOUR),
            between(rng, n, 2 * HOUR, 14 * DAY),
        ),
    )
    rated = eligible & (rng.random(n) < 0.42) & (rated_at <= end)

    item1 = arrays["item1"]
    bad_item = item1 == BAD_ITEM
    p_bad = 0.03 + 0.10 * troubled + 0.08 * bad_item
    p_mid = 0.04 + 0.05 * troubled + 0.04 * bad_item
    roll = rng.random(n)
    grade = np.where(roll < p_bad, 2, np.where(roll < p_bad + p_mid, 1, 0))  # 0 good 1 mid 2 bad
    grade = np.where(default, 0, grade)
    cause_p = np.where(
        troubled[:, None],
        np.array([0.10, 0.45, 0.40, 0.0, 0.05]),
        np.where(bad_item[:, None], np.array([0.7, 0.1, 0.1, 0.05, 0.05]),
                 np.array([0.35, 0.2, 0.2, 0.15, 0.1])),
    )  # fmt: skip
    cause = rows_choice(rng, cause_p)
    second_cause = np.where(
        (grade == 2) & (rng.random(n) < 0.25), (cause + 1 + rng.integers(0, 2, n)) % 3, -1
    )
    second_cause = np.where(cause >= 3, -1, second_cause)
    dimension_of = np.array([0, 1, 2, 0, 0])  # the DSR dimension each cause pulls down

    scores = np.where(rng.random((n, 3)) < 0.07, 4, 5)
    mid_others = np.where(rng.random((n, 3)) < 0.5, 4, 5)
    bad_others = rng.choice([3, 4, 5], (n, 3), p=[0.2, 0.3, 0.5])
    scores = np.where((grade == 1)[:, None], mid_others, scores)
    scores = np.where((grade == 2)[:, None], bad_others, scores)
    low = np.where(grade == 1, 3, np.where(rng.random(n) < 0.7, 1, 2))
    dims = np.arange(3)[None, :]
    hit = (grade[:, None] > 0) & (
        (dims == dimension_of[cause][:, None])
        | (
            (second_cause[:, None] >= 0)
            & (dims == dimension_of[np.maximum(second_cause, 0)][:, None])
        )
    )
    scores = np.where(hit, low[:, None], scores)

    comment_pick = rng.integers(0, 5, n)
    good_pick = rng.integers(0, len(GOOD_COMMENTS), n)
    comment2_pick = rng.integers(0, 5, n)
    replied = np.where(grade > 0, rng.random(n) < 0.7, rng.random(n) < 0.12)

    # Plant: one buyer rates 5 orders in one calendar month (only 3 count).
    month = rated_at.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)
    scored = rated & ~default
    if scored.sum() >= 20:
        months, counts = np.unique(month[scored], return_counts=True)
        busiest = months[np.argmax(counts)]
        chosen = choose(rng, scored & (month == busiest), 5)
        if len(chosen) == 5:
            arrays["buyer"][chosen] = POWER_RATER
        # Plant: a rating inside the last 30 minutes (not shown yet).
        fresh = choose(rng, scored & (confirmed <= end - 2 * HOUR), 1)
        rated_at[fresh] = end - between(rng, len(fresh), 2 * MINUTE, 28 * MINUTE)

    missing = (rng.random(n) < 0.02) & ~default
    missing_dim = rng.integers(0, 3, n)
    return {
        "rated": rated,
        "rated_at": rated_at,
        "default": default,
        "grade": grade,
        "cause": cause,
        "second_cause": second_cause,
        "scores": scores,
        "missing_dim": np.where(missing, missing_dim, -1),
        "comment_pick": comment_pick,
        "comment2_pick": comment2_pick,
        "good_pick": good_pick,
        "replied": replied,
        "two_items": two_items,
        "second_delay": between(rng, n, 0, 90),
    }


def reviews_frame(shop: Shop, orders: pl.DataFrame, reviews: dict[str, np.ndarray]) -> pl.DataFrame:
    rated = reviews["rated"]
    first = np.flatnonzero(rated)
    second = np.flatnonzero(rated & reviews["two_items"])
    row = np.concatenate([first, second])
    is_second = np.arange(len(row)) >= len(first)
    scores = reviews["scores"][row].copy()
    low = scores.min(axis=1)
    grade = np.where(low >= 4, 0, np.where(low == 3, 1, 2))
    missing_dim = reviews["missing_dim"][row]
    default = reviews["default"][row]
    scores = np.where((np.arange(3)[None, :] == missing_dim[:, None]) | default[:, None], 0, scores)
    item = np.where(is_second, orders.get_column("item2").to_numpy()[row],
                    orders.get_column("item1").to_numpy()[row])  # fmt: skip
    cause = reviews["cause"][row]
    second_cause = reviews["second_cause"][row]
    frame = pl.DataFrame(
        {
            "order_id": orders.get_column("order_id").to_numpy()[row],
            "buyer": orders.get_column("buyer").to_numpy()[row],
            "at": np.minimum(
                reviews["rated_at"][row] + np.where(is_second, reviews["second_delay"][row], 0),
                shop.end,
            ),
            "description": scores[:, 0],
            "service": scores[:, 1],
            "logistics": scores[:, 2],
            "grade": np.where(default, 0, grade),
            "default": default,
            "comment_key": np.where(grade > 0, cause * 5 + reviews["comment_pick"][row], -1),
            "comment2_key": np.where(
                (grade == 2) & (second_cause >= 0), second_cause * 5 + reviews["comment2_pick"][row], -1
            ),
            "good_pick": reviews["good_pick"][row],
            "reply_key": np.where(
                reviews["replied"][row], np.where(grade > 0, cause, 5 + reviews["good_pick"][row] % 2), -1
            ),
            "item": item,
        }
    )  # fmt: skip
    bad_comments = [text for cause_texts in CAUSE_COMMENTS for text in cause_texts]
    comment = (
        pl.when(pl.col("default"))
        .then(pl.lit(DEFAULT_GOOD))
        .when(pl.col("comment_key") >= 0)
        .then(
            pl.when(pl.col("comment2_key") >= 0)
            .then(pl.concat_str(lookup(bad_comments, "comment_key"), pl.lit("，"),
                                lookup(bad_comments, "comment2_key")))
            .otherwise(lookup(bad_comments, "comment_key"))
        )
        .otherwise(lookup(GOOD_COMMENTS, "good_pick"))
    )  # fmt: skip

    def score(column: str) -> pl.Expr:
        return pl.when(pl.col(column) > 0).then(pl.col(column))

    return frame.sort("at", "order_id", "item", descending=True).select(
        pl.col("order_id").cast(pl.String).alias("订单编号"),
        nick("buyer", shop.nick_width).alias("买家会员名"),
        timestamp("at").alias("评价时间"),
        score("description").alias("宝贝与描述相符"),
        score("service").alias("卖家的服务态度"),
        score("logistics").alias("物流服务的质量"),
        lookup(("好评", "中评", "差评"), "grade").alias("评价结果"),
        comment.alias("评价内容"),
        lookup((*CAUSE_REPLIES, *GOOD_REPLIES), "reply_key").alias("解释内容"),
        pl.lit(pl.Series(shop.item_ids)).gather("item").cast(pl.String).alias("宝贝ID"),
        lookup([row[0] for row in ITEMS], "item").alias("宝贝标题"),
    )
