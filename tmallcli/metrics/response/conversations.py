"""From chat messages to consultations (buyer, date) and turns (a question until the first
human reply): the seed's definitions, one message order."""

from __future__ import annotations

from datetime import date

import polars as pl

from tmallcli.metrics.response.rules import (
    BUYER_WORDS,
    COLUMN_TYPES,
    COLUMNS,
    DATETIME,
    SELLER_WORDS,
    ResponseRules,
)


def _complete(chats: pl.LazyFrame) -> pl.LazyFrame:
    """Every column the rules read; a frame without an optional column has it all null."""
    present = set(chats.collect_schema().names())
    return chats.with_columns(
        pl.lit(None, COLUMN_TYPES[c]).alias(c) for c in COLUMNS if c not in present
    ).select(
        pl.col("buyer").cast(pl.String),
        pl.col("sent_at").cast(DATETIME),
        pl.col("sender").cast(pl.String),
        pl.col("direction").cast(pl.String),
        pl.col("is_auto").cast(pl.Boolean),
        pl.col("is_assistant").cast(pl.Boolean),
    )


def messages(chats: pl.LazyFrame, rules: ResponseRules) -> pl.LazyFrame:
    """Messages with who wrote them and what kind of reply they are.

    ``is_buyer``: from 方向 (买家/卖家, buyer/seller) when given, else ``sender == buyer``.
    A message whose author cannot be told (no direction, no sender) is left out.
    ``valid``: a seller message that is not automatic (千牛 auto-reply, quick-reply
    automation); 店小蜜 only when ``assistant_counts``. ``human``: neither auto nor 店小蜜.
    """
    chats = _complete(chats)
    # 方向 holds a few texts over millions of messages: each is read once. When every message
    # has a known one, no sender is compared with its buyer.
    words = pl.col("direction").str.strip_chars().str.to_lowercase()
    directions = (
        chats.select(pl.col("direction").unique())
        .with_columns(
            pl.when(words.is_in(BUYER_WORDS))
            .then(True)
            .when(words.is_in(SELLER_WORDS))
            .then(False)
            .alias("is_buyer")
        )
        .collect()
    )
    known = directions.drop_nulls()
    is_buyer = pl.col("direction").replace_strict(
        known["direction"], known["is_buyer"], default=None, return_dtype=pl.Boolean
    )
    if known.height < directions.height:
        by_sender = pl.col("sender").str.strip_chars() == pl.col("buyer").str.strip_chars()
        is_buyer = pl.coalesce(is_buyer, by_sender)
    auto = pl.col("is_auto").fill_null(False)
    bot = pl.col("is_assistant").fill_null(False)
    seller = ~pl.col("is_buyer")
    return (
        chats.filter(pl.col("buyer").is_not_null() & pl.col("sent_at").is_not_null())
        .with_columns(is_buyer.alias("is_buyer"), auto.alias("is_auto"), bot.alias("is_assistant"))
        .filter(pl.col("is_buyer").is_not_null())
        .with_columns(
            (seller & ~auto & (~bot | pl.lit(rules.assistant_counts))).alias("valid"),
            (seller & ~auto & ~bot).alias("human"),
            pl.col("sent_at").dt.date().alias("date"),
        )
    )


def in_order(msgs: pl.LazyFrame, start: date) -> pl.DataFrame:
    """The messages from the window's first date on that can ask or answer, in conversation order.

    A seller's automatic reply answers nothing and ends no turn, so it is left out (a buyer's
    message counts whatever its flags say). The order is each buyer's messages by time, a
    buyer's message before a seller's of the same second (a 0-second reply follows the
    question), and the sub-accounts of one second by name (the first by name is the one
    credited). Sorted once, every rule below is a pass down this order: the messages of a
    consultation (buyer, date) and of a turn are runs of rows.
    """
    return (
        msgs.filter((pl.col("date") >= start) & (pl.col("is_buyer") | ~pl.col("is_auto")))
        .select("buyer", "sent_at", "date", "sender", "is_buyer", "valid", "human", "is_assistant")
        .sort(
            pl.col("buyer"),
            pl.col("sent_at"),
            ~pl.col("is_buyer"),
            # Only sub-accounts need their names in the key (a buyer's messages of one second
            # stand in any order): no buyer's nick is encoded for the sort.
            pl.when(~pl.col("is_buyer")).then(pl.col("sender")),
            nulls_last=True,
        )
        .collect()
    )


def mark_replies(ordered: pl.DataFrame) -> pl.DataFrame:
    """``ordered`` with where each message stands in its conversation.

    ``day``: a number per consultation (buyer, date), ``turn``: per turn — a run of a
    consultation's messages ending with a human reply, so a new turn starts with the day or
    after a human reply. ``next_valid`` / ``next_human``: the row of the first valid / human
    reply after this message (any buyer: the caller checks it is the same one).
    ``asks``: the buyer's first message of the day; ``starts``: the first buyer message of
    a turn.
    """
    row = pl.int_range(pl.len(), dtype=pl.UInt32)
    new_buyer = (pl.col("buyer") != pl.col("buyer").shift(1)).fill_null(True)
    new_day = new_buyer | (pl.col("date") != pl.col("date").shift(1)).fill_null(True)
    new_turn = new_day | pl.col("human").shift(1).fill_null(False)

    def first_buyer_message(run: str) -> pl.Expr:
        before = pl.when(pl.col("is_buyer")).then(pl.col(run)).forward_fill().shift(1)
        return pl.col("is_buyer") & (before != pl.col(run)).fill_null(True)

    return ordered.with_columns(
        new_buyer.cum_sum().alias("buyer_no"),
        new_day.cum_sum().alias("day"),
        new_turn.cum_sum().alias("turn"),
        pl.when(pl.col("valid")).then(row).backward_fill().alias("next_valid"),
        pl.when(pl.col("human")).then(row).backward_fill().alias("next_human"),
    ).with_columns(
        first_buyer_message("day").alias("asks"),
        first_buyer_message("turn").alias("starts"),
    )


def _found(
    marked: pl.DataFrame, rows: pl.DataFrame, at: str, same: str, names: dict[str, str]
) -> list[pl.Series]:
    """For each of ``rows``, columns of the message at row ``rows[at]`` of ``marked`` (renamed
    by ``names``), null where that message is not of the row's ``same`` (buyer, consultation)."""
    found = rows[at]
    ours = marked[same].gather(found) == rows[same]
    return [
        pl.select(pl.when(ours).then(marked[column].gather(found))).to_series().alias(name)
        for column, name in names.items()
    ]


def consultations(marked: pl.DataFrame, end: date) -> pl.LazyFrame:
    """One row per consultation (buyer, date) in the window, with its replies.

    ``answered``: a valid reply on the same date at or after the first buyer message.
    ``late_at`` / ``late_by``: for a consultation not answered on its date, the first valid
    reply after midnight that still comes before the buyer's next consultation (a reply after
    the buyer wrote again answers the new question, not this one). ``human_at`` /
    ``human_by``: the first human reply at or after the first buyer message.
    """
    asked = (
        marked.lazy()  # lazy: the filter then moves only the columns selected
        .filter(pl.col("asks"))
        .select(
            "buyer",
            "date",
            pl.col("sent_at").alias("first_at"),
            "buyer_no",
            "next_valid",
            "next_human",
        )
        .collect()
    )
    reply = {"sent_at": "reply_at", "sender": "reply_by"}
    human = {"sent_at": "human_at", "sender": "human_by"}
    asked = asked.with_columns(
        *_found(marked, asked, "next_valid", "buyer_no", reply),
        *_found(marked, asked, "next_human", "buyer_no", human),
    )
    same_buyer_next = pl.col("buyer_no").shift(-1) == pl.col("buyer_no")
    next_first = pl.when(same_buyer_next).then(pl.col("first_at").shift(-1))
    same_day = pl.col("reply_at").dt.date() == pl.col("date")
    human_same_day = pl.col("human_at").dt.date() == pl.col("date")
    before_next = pl.col("next_first_at").is_null() | (pl.col("reply_at") < pl.col("next_first_at"))
    return (
        asked.lazy()
        .with_columns(next_first.alias("next_first_at"))
        .filter(pl.col("date") <= end)
        .drop("buyer_no", "next_valid", "next_human")
        .with_columns(
            same_day.fill_null(False).alias("answered"),
            human_same_day.fill_null(False).alias("human_answered"),
            pl.col("first_at").dt.hour().cast(pl.Int32).alias("hour"),
        )
        .with_columns(
            pl.when(pl.col("human_answered"))
            .then((pl.col("human_at") - pl.col("first_at")).dt.total_seconds())
            .alias("human_seconds"),
            (~pl.col("answered") & pl.col("reply_at").is_not_null() & before_next).alias("late"),
        )
        .with_columns(
            pl.when(pl.col("late")).then(pl.col("reply_at")).alias("late_at"),
            pl.when(pl.col("late")).then(pl.col("reply_by")).alias("late_by"),
        )
    )


def turns(marked: pl.DataFrame, rules: ResponseRules, start: date, end: date) -> pl.LazyFrame:
    """Turns of 3分钟人工响应率 that start on a window date within service hours.

    A turn runs from a buyer's first question to the first human reply after it; repeated
    questions (and 店小蜜 replies) before that reply belong to it. Turns belong to a
    consultation: a question still open at 24:00 ends with its day (the 24:00 rule of
    旺旺响应率), so an old unanswered question never swallows the next day's questions. The
    first human reply after a turn's first question ends that turn when it comes the same
    day (no human reply can come between).
    """
    started = (
        marked.lazy()
        .filter(pl.col("starts") & pl.col("date").is_between(start, end))
        .select(pl.col("sent_at").alias("start"), "day", "next_human")
        .collect()
    )
    (answered_at,) = _found(marked, started, "next_human", "day", {"sent_at": "answered_at"})
    seconds_of_day = (
        pl.col("start").dt.hour().cast(pl.Int64) * 3600
        + pl.col("start").dt.minute().cast(pl.Int64) * 60
        + pl.col("start").dt.second().cast(pl.Int64)
    )
    in_hours = (seconds_of_day >= rules.service_start_seconds) & (
        seconds_of_day < rules.service_end_seconds
    )
    waited = (pl.col("answered_at") - pl.col("start")).dt.total_seconds()
    return (
        started.lazy()
        .select("start", answered_at)
        .filter(in_hours)
        .with_columns(
            (waited <= rules.fast_reply_seconds).fill_null(False).alias("fast"),
            pl.col("start").dt.hour().cast(pl.Int32).alias("hour"),
            pl.col("start").dt.date().alias("date"),
        )
    )
