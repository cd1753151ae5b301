"""客服评价: the ratings that follow some consultations answered by a person, and a few by
the 店小蜜 (服务助手), as the CS ratings export."""

from __future__ import annotations

import numpy as np
import polars as pl

from tmallcli.sample.chats import Consultations
from tmallcli.sample.columns import lookup, nick, timestamp
from tmallcli.sample.draws import Shop, between, rows_choice
from tmallcli.sample.world import (
    ACCOUNTS,
    BAD_TAGS,
    BOT_ACCOUNT,
    CS_SCORE_P,
    CS_SOURCES,
    GOOD_TAGS,
    HOUR,
    MINUTE,
    SELLER_ACCOUNTS,
    TAG_SEPARATORS,
)


def cs_ratings_frame(
    rng: np.random.Generator, shop: Shop, consultations: Consultations
) -> pl.DataFrame:
    """Some consultations answered by a person are rated, and a few answered only by the
    店小蜜 (服务助手); drawn after the chats, from the same generator."""
    end = shop.end
    start, buyer, account, delay = (
        consultations.start, consultations.buyer, consultations.account, consultations.delay,
    )  # fmt: skip
    human, assistant = consultations.human, consultations.assistant
    reply2, reply2_at = consultations.reply2, consultations.reply2_at
    m = len(start)
    last_at = np.where(reply2, reply2_at, start + delay)
    rated_human = human & (rng.random(m) < 0.2)
    rated_bot = assistant & ~rated_human & (rng.random(m) < 0.12)
    rated = rated_human | rated_bot
    rated_at = np.where(rated_human, last_at, start + 10) + between(rng, m, MINUTE, 8 * HOUR)
    rated &= rated_at <= end
    who = np.where(rated_bot, len(ACCOUNTS), account)
    score = 1 + rows_choice(rng, CS_SCORE_P[who])
    source = np.where(
        rated_bot,
        np.where(rng.random(m) < 0.8, 2, 0),
        rng.choice(3, m, p=[0.55, 0.25, 0.20]),
    )
    tag_count = rng.choice(4, m, p=[0.35, 0.35, 0.2, 0.1])
    tag_count = np.where(account == 4, 0, tag_count)  # 阿杰's raters never tick a tag
    tags = len(GOOD_TAGS)
    t1 = rng.integers(0, tags, m)
    t2 = (t1 + 1 + rng.integers(0, tags // 2, m)) % tags
    t3 = (t1 + 1 + tags // 2 + rng.integers(0, tags - 1 - tags // 2, m)) % tags
    keep = np.flatnonzero(rated)
    ratings = pl.DataFrame(
        {
            "at": rated_at[keep],
            "consult": keep,
            "who": who[keep],
            "score": score[keep],
            "source": source[keep],
            "tag_count": np.where(rated_bot[keep], np.minimum(tag_count[keep], 1), tag_count[keep]),
            "t1": t1[keep], "t2": t2[keep], "t3": t3[keep],
            "sep": rng.integers(0, len(TAG_SEPARATORS), m)[keep],
            "buyer": buyer[keep],
        }
    )  # fmt: skip

    def tag(column: str) -> pl.Expr:
        return (
            pl.when(pl.col("score") >= 4)
            .then(lookup(GOOD_TAGS, column))
            .otherwise(lookup(BAD_TAGS, column))
        )

    sep = lookup(TAG_SEPARATORS, "sep")
    count = pl.col("tag_count")
    tag_text = (
        pl.when(count == 1).then(tag("t1"))
        .when(count == 2).then(pl.concat_str(tag("t1"), sep, tag("t2")))
        .when(count == 3).then(pl.concat_str(tag("t1"), sep, tag("t2"), sep, tag("t3")))
    )  # fmt: skip
    return ratings.sort("at", "consult", descending=True).select(
        timestamp("at").alias("评价时间"),
        lookup([*SELLER_ACCOUNTS, BOT_ACCOUNT], "who").alias("客服子账号"),
        pl.col("score").alias("评分"),
        tag_text.alias("标签"),
        lookup(CS_SOURCES, "source").alias("评价来源"),
        nick("buyer", shop.nick_width).alias("买家"),
    )
