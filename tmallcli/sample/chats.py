"""旺旺聊天记录: consultations before buying, after buying and from visitors who never bought,
as the messages of the chats export."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from tmallcli.sample.columns import lookup, nick, timestamp, yes_no
from tmallcli.sample.draws import Shop, between, choose, hour_of_day, shares
from tmallcli.sample.simulate import Sim
from tmallcli.sample.world import (
    ACCOUNT_MEDIAN_SECONDS,
    AFTERSALE_QUESTIONS,
    ASSISTANT,
    ASSISTANT_REPLIES,
    AUTO_REPLY,
    CHAT_DAYS,
    CURATED_NICKS,
    DAY,
    DAYTIME,
    EVENING,
    FOLLOW_UPS,
    HOUR,
    HUMAN_REPLIES,
    MINUTE,
    NIGHT,
    ON_SHIFT,
    PAY_HOUR_SHARE,
    PRESALE_QUESTIONS,
    SELLER_ACCOUNTS,
    WAIT_SHIP,
)


@dataclass(frozen=True)
class Consultations:
    """What the 客服评价 follow from, one entry per consultation: when it started, the buyer,
    the account on duty, and whether and when the 店小蜜 and a person answered."""

    start: np.ndarray
    buyer: np.ndarray
    account: np.ndarray
    delay: np.ndarray  # the first human reply, seconds after the start
    assistant: np.ndarray
    human: np.ndarray
    reply2: np.ndarray
    reply2_at: np.ndarray


def chats_frame(
    rng: np.random.Generator, shop: Shop, sim: Sim
) -> tuple[pl.DataFrame, Consultations]:
    """旺旺 consultations (before buying, after buying, and visitors who never bought) as
    messages, with what the 客服评价 drawn next need to know of them."""
    end = shop.end
    a = sim.arrays
    n = sim.n
    since = end - CHAT_DAYS * DAY
    created, paid = a["created"], a["paid"]
    presale = (created >= since) & (rng.random(n) < 0.3)
    troubled = (a["status"] == WAIT_SHIP) | (a["auto_fen"] >= 0) | sim.refunds["rows"]
    aftersale = (paid >= since) & (rng.random(n) < np.where(troubled, 0.4, 0.1))
    pre_rows, post_rows = np.flatnonzero(presale), np.flatnonzero(aftersale)
    visitors = round(0.2 * (len(pre_rows) + len(post_rows)))
    visitor_day = rng.integers(0, CHAT_DAYS, visitors)
    visitor_start = (
        (shop.today - visitor_day) * DAY
        + rng.choice(24, visitors, p=shares(PAY_HOUR_SHARE)) * HOUR
        + between(rng, visitors, 0, HOUR)
    )
    buyer = np.concatenate(
        [
            a["buyer"][pre_rows],
            a["buyer"][post_rows],
            shop.buyers + len(CURATED_NICKS) + rng.integers(0, shop.buyers, visitors),
        ]
    )
    start = np.concatenate(
        [
            created[pre_rows] - between(rng, len(pre_rows), 2 * MINUTE, 3 * HOUR),
            paid[post_rows] + between(rng, len(post_rows), 10 * HOUR, 5 * DAY),
            visitor_start,
        ]
    )
    topic = np.concatenate(
        [np.zeros(len(pre_rows)), np.ones(len(post_rows)), np.zeros(visitors)]
    ).astype(np.int64)
    m = len(start)
    hour = hour_of_day(start)
    shift = np.where(hour < 8, NIGHT, np.where(hour < 17, DAYTIME, EVENING))
    auto = rng.random(m) < 0.55
    assistant = rng.random(m) < np.where(shift == NIGHT, 0.6, 0.3)
    unanswered_p = np.where(shift == NIGHT, 0.45, np.where(hour >= 22, 0.08, 0.015))
    human = rng.random(m) >= unanswered_p
    account = ON_SHIFT[shift, rng.integers(0, 3, m)]
    median = np.array(ACCOUNT_MEDIAN_SECONDS)[account] * np.where(shift == NIGHT, 2, 1)
    delay = np.maximum(median * rng.lognormal(0.0, 0.9, m), 5).astype(np.int64)
    again = rng.random(m) < 0.3
    follow_up = human & (rng.random(m) < 0.35)
    follow_up_at = start + delay + between(rng, m, 20, 8 * MINUTE)
    reply2_at = follow_up_at + np.maximum(median * rng.lognormal(0.0, 0.9, m), 5).astype(np.int64)
    reply2 = follow_up & (rng.random(m) >= 0.08)

    # Plant: asked at 23:59, answered at 00:01 the next day (not answered that day).
    late_night = choose(rng, (start >= end - 29 * DAY) & (start < end - 2 * DAY), 1)
    if len(late_night):
        k = late_night[0]
        day_end = (start[k] // DAY + 1) * DAY
        start[k] = day_end - 50
        delay[k] = 110 + int(rng.integers(0, 40))
        auto[k], assistant[k], human[k], again[k], follow_up[k], reply2[k] = (
            False, False, True, False, False, False,
        )  # fmt: skip
        account[k] = 3

    slots = (
        # (present, time, speaker, text key, auto, assistant)
        (np.ones(m, dtype=bool), start, -1, 0, False, False),
        (again, start + between(rng, m, 5, 60), -1, 1, False, False),
        (auto, start + between(rng, m, 1, 4), 0, 2, True, False),
        (assistant, start + between(rng, m, 2, 10), 1, 3, False, True),
        (human, start + delay, 0, 4, False, False),
        (follow_up, follow_up_at, -1, 5, False, False),
        (reply2, reply2_at, 0, 4, False, False),
    )
    parts: dict[str, list[np.ndarray]] = {k: [] for k in
                                          ("consult", "at", "speaker", "text", "auto", "bot", "slot")}  # fmt: skip
    for slot_no, (present, at, speaker, text_key, is_auto, is_bot) in enumerate(slots):
        keep = np.flatnonzero(present & (at <= end))
        parts["consult"].append(keep)
        parts["at"].append(at[keep])
        parts["speaker"].append(np.full(len(keep), speaker))
        parts["text"].append(np.full(len(keep), text_key))
        parts["auto"].append(np.full(len(keep), is_auto))
        parts["bot"].append(np.full(len(keep), is_bot))
        parts["slot"].append(np.full(len(keep), slot_no))
    msg = {k: np.concatenate(v) for k, v in parts.items()}
    consult = msg["consult"]
    pick = rng.integers(0, 7, len(consult))
    messages = pl.DataFrame(
        {
            "buyer": buyer[consult],
            "at": msg["at"],
            "consult": consult,
            "slot": msg["slot"],
            "speaker": np.where(msg["speaker"] == 1, -2, np.where(msg["speaker"] == 0, account[consult], -1)),
            "text_key": msg["text"],
            "topic": topic[consult],
            "pick": pick,
            "auto": msg["auto"],
            "bot": msg["bot"],
        }
    )  # fmt: skip
    buyer_name = nick("buyer", shop.nick_width)
    sender = (
        pl.when(pl.col("speaker") == -1)
        .then(buyer_name)
        .when(pl.col("speaker") == -2)
        .then(pl.lit(ASSISTANT))
        .otherwise(lookup(SELLER_ACCOUNTS, "speaker"))
    )

    def phrase(values: Sequence[str]) -> pl.Expr:
        return lookup(values, pl.col("pick") % len(values))

    text = (
        pl.when(pl.col("text_key") == 0)
        .then(pl.when(pl.col("topic") == 0).then(phrase(PRESALE_QUESTIONS))
              .otherwise(phrase(AFTERSALE_QUESTIONS)))
        .when(pl.col("text_key") == 1).then(pl.lit("在吗？"))
        .when(pl.col("text_key") == 2).then(pl.lit(AUTO_REPLY))
        .when(pl.col("text_key") == 3).then(phrase(ASSISTANT_REPLIES))
        .when(pl.col("text_key") == 5).then(phrase(FOLLOW_UPS))
        .otherwise(phrase(HUMAN_REPLIES))
    )  # fmt: skip
    chats = messages.sort("at", "consult", "slot").select(
        buyer_name.alias("买家"),
        timestamp("at").alias("时间"),
        sender.alias("发送方"),
        pl.when(pl.col("speaker") == -1)
        .then(pl.lit("买家"))
        .otherwise(pl.lit("卖家"))
        .alias("方向"),
        text.alias("内容"),
        yes_no("auto").alias("是否自动回复"),
        yes_no("bot").alias("是否机器人"),
    )
    return chats, Consultations(start, buyer, account, delay, assistant, human, reply2, reply2_at)
