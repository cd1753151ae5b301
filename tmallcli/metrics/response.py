"""旺旺 consultation experience: 旺旺响应率, 人工平均响应时长, 3分钟人工响应率 (SPEC §6, §7).

Seed 003 (咨询体验):
* 千牛系统/千牛助手的自动回复不是有效回复，设置快捷短语（快速回复）也不是有效回复 — a message
  flagged ``is_auto`` never answers anything. 店小蜜 replies do (config ``assistant_counts``).
* 24点前的旺旺咨询需要在24点前回复 … 晚上11点59分问，12点01分答，就当没回复 — a
  consultation (buyer, calendar date) is answered only by a valid reply on that same date,
  at or after the buyer's first message of the date.
* 回复率是30天的数据 — the window is T−30 … T−1 (config ``response.window``), so a missed
  day weighs on the rate until it leaves the window: :class:`LeavingDay`.
* 不要直接拉黑广告信息，直接拉黑会被视为不回复 — a buyer blacklisted without a reply simply
  has no seller reply in the export: the consultation is not answered. No special data needed.

Definitions chosen where the platform is not explicit (README):
* 人工平均响应时长 counts the first *human* reply (not auto, not 店小蜜) of the consultation's
  date, even when it follows a 店小蜜 reply: the assistant answering first does not stop the
  clock for a person, and the human reply is still the first human one.
* 3分钟人工响应率 is about people, so for it only human replies count, both as the answer and
  as the end of a turn: a turn is a buyer's first question until the first human reply;
  repeated questions (and 店小蜜 / auto replies) before that reply belong to the same turn.
  A turn answered only by 店小蜜, or never, is not answered within 3 minutes. Turns belong
  to a consultation (buyer, date): a question still open at 24:00 ends with its day. Turns
  count when they start on a window date within the service hours (start inclusive, end
  exclusive); "within 3 minutes" is at most ``fast_reply_seconds`` seconds.
* A seller message at the same second as a buyer question follows it (a 0-second reply).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

import polars as pl

from tmallcli.timeframe import AsOf

Day = date  # a dataclass field named ``date`` would shadow the type below it

COLUMNS = ("buyer", "sent_at", "sender", "direction", "is_auto", "is_assistant")

# The 方向 column: these words say who wrote the message; anything else (or no column) is
# inferred from the sender: the buyer's own nick is the buyer, any other sender the shop.
BUYER_WORDS = ("买家", "buyer", "顾客", "客户", "customer")
SELLER_WORDS = ("卖家", "seller", "商家", "客服", "shop")

_DATETIME = pl.Datetime("us")
_COLUMN_TYPES: dict[str, pl.DataType] = {
    "buyer": pl.String(),
    "sent_at": _DATETIME,
    "sender": pl.String(),
    "direction": pl.String(),
    "is_auto": pl.Boolean(),
    "is_assistant": pl.Boolean(),
}


def _clock_seconds(clock: str) -> int:
    hours, minutes = str(clock).split(":")
    return int(hours) * 3600 + int(minutes) * 60


@dataclass(frozen=True)
class ResponseRules:
    """The ``response`` section of the config (its numbers live in ``config/default.yaml``)."""

    start_days_before: int  # consultations on T−30 …
    end_days_before: int  # … T−1
    assistant_counts: bool  # 店小蜜 replies are valid replies
    fast_reply_seconds: int  # 3分钟人工响应率: answered within 3 minutes
    service_start_seconds: int  # turns starting from 08:00 …
    service_end_seconds: int  # … until before 23:00 count
    limit: int  # unanswered / after-midnight consultations listed; 0 = all

    @classmethod
    def from_config(cls, config: Any, *, limit: int | None = None) -> ResponseRules:
        """Rules from the validated config (``response`` section); ``limit`` is ``--limit``."""
        response = config.response
        return cls(
            start_days_before=response.window.start_days_before,
            end_days_before=response.window.end_days_before,
            assistant_counts=response.assistant_counts,
            fast_reply_seconds=response.fast_reply_seconds,
            service_start_seconds=_clock_seconds(response.service_hours.start),
            service_end_seconds=_clock_seconds(response.service_hours.end),
            limit=response.limit if limit is None else limit,
        )

    @property
    def service_hours(self) -> tuple[str, str]:
        """The service hours as clock times: ("08:00", "23:00")."""
        return _clock_text(self.service_start_seconds), _clock_text(self.service_end_seconds)


def _clock_text(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Counts:
    """Consultations and turns of one slice (the whole window, a date, an hour of day)."""

    consultations: int  # (buyer, date) with a buyer message
    answered: int  # a valid reply the same date
    human_answered: int  # a human reply the same date
    human_seconds_total: float  # Σ seconds first buyer message → first human reply
    turns: int  # turns starting within service hours
    fast_turns: int  # … answered by a person within fast_reply_seconds

    @property
    def missed(self) -> int:
        return self.consultations - self.answered

    @property
    def response_rate(self) -> float | None:
        """旺旺响应率 = answered / consultations; None without consultations."""
        return _ratio(self.answered, self.consultations)

    @property
    def human_response_seconds(self) -> float | None:
        """人工平均响应时长, over consultations with a human reply the same date."""
        return self.human_seconds_total / self.human_answered if self.human_answered else None

    @property
    def response_3min_rate(self) -> float | None:
        """3分钟人工响应率 = fast turns / turns within service hours."""
        return _ratio(self.fast_turns, self.turns)


@dataclass
class DayStats(Counts):
    date: Day = Day.min


@dataclass
class HourStats(Counts):
    hour: int = 0  # hour of day of the first buyer message (turns: of the turn's start)
    staff: tuple[str, ...] = ()  # human sub-accounts that replied in this hour of day


@dataclass
class AccountStats:
    """排班分析: one seller sub-account (e.g. ``店铺:小王``) over the window."""

    account: str | None
    assistant: bool  # the account's replies are 店小蜜's
    consultations: int  # consultations it gave the first valid reply to
    human_consultations: int  # consultations it gave the first human reply to
    human_seconds_total: float
    replies: int  # its non-automatic messages on window dates
    active_hours: tuple[int, ...]  # hours of day of those messages

    @property
    def human_response_seconds(self) -> float | None:
        if not self.human_consultations:
            return None
        return self.human_seconds_total / self.human_consultations


@dataclass
class Consultation:
    """A consultation not answered on its date."""

    buyer: str
    date: Day
    first_message_at: datetime
    replied_at: datetime | None  # a valid reply after midnight, before the buyer wrote again
    replied_by: str | None

    @property
    def hour(self) -> int:
        return self.first_message_at.hour

    @property
    def wait_seconds(self) -> int | None:
        if self.replied_at is None:
            return None
        return int((self.replied_at - self.first_message_at).total_seconds())


@dataclass
class LeavingDay:
    """A date with misses, and what happens to the 30-day rate when it leaves the window."""

    date: Day
    consultations: int
    missed: int
    leaves_window_on: Day  # the first report date T' whose window no longer holds it
    rate_without: float | None  # the rate without that date, everything else equal
    rate_rise: float | None  # rate_without − the current rate


@dataclass
class ResponseResult:
    as_of: date
    window_start: date
    window_end: date
    rules: ResponseRules
    totals: Counts
    daily: list[DayStats]
    by_hour: list[HourStats]
    by_account: list[AccountStats]
    unanswered: list[Consultation]  # oldest first, at most rules.limit (0 = all)
    unanswered_count: int
    after_midnight: list[Consultation]  # answered, but only after 24:00 of their date
    after_midnight_count: int
    leaving: list[LeavingDay]

    @property
    def consultations(self) -> int:
        return self.totals.consultations

    @property
    def answered(self) -> int:
        return self.totals.answered

    @property
    def missed(self) -> int:
        return self.totals.missed

    @property
    def response_rate(self) -> float | None:
        return self.totals.response_rate

    @property
    def human_response_seconds(self) -> float | None:
        return self.totals.human_response_seconds

    @property
    def response_3min_rate(self) -> float | None:
        return self.totals.response_3min_rate

    @property
    def exact_rate(self) -> Fraction | None:
        c = self.totals
        return Fraction(c.answered, c.consultations) if c.consultations else None

    def below(self, min_rate: float | str) -> bool:
        """True when the rate is under ``min_rate`` (exactly: 0.95 means 95/100, not a float)."""
        rate = self.exact_rate
        return rate is not None and rate < Fraction(str(min_rate))


# --------------------------------------------------------------------------- messages


def _complete(chats: pl.LazyFrame) -> pl.LazyFrame:
    """Every column the rules read; a frame without an optional column has it all null."""
    present = set(chats.collect_schema().names())
    return chats.with_columns(
        pl.lit(None, _COLUMN_TYPES[c]).alias(c) for c in COLUMNS if c not in present
    ).select(
        pl.col("buyer").cast(pl.String),
        pl.col("sent_at").cast(_DATETIME),
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


def _marked(ordered: pl.DataFrame) -> pl.DataFrame:
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


def _consultation_counts(frame: pl.LazyFrame, keys: list[str]) -> pl.LazyFrame:
    aggs = [
        pl.len().cast(pl.Int64).alias("consultations"),
        pl.col("answered").sum().cast(pl.Int64).alias("answered"),
        pl.col("human_answered").sum().cast(pl.Int64).alias("human_answered"),
        pl.col("human_seconds").sum().cast(pl.Float64).alias("human_seconds_total"),
    ]
    return frame.group_by(keys).agg(aggs) if keys else frame.select(aggs)


def _turn_counts(frame: pl.LazyFrame, keys: list[str]) -> pl.LazyFrame:
    aggs = [
        pl.len().cast(pl.Int64).alias("turns"),
        pl.col("fast").sum().cast(pl.Int64).alias("fast_turns"),
    ]
    return frame.group_by(keys).agg(aggs) if keys else frame.select(aggs)


_COUNT_FIELDS = (
    "consultations",
    "answered",
    "human_answered",
    "human_seconds_total",
    "turns",
    "fast_turns",
)


def _counts_of(row: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (float(row[k] or 0) if k == "human_seconds_total" else int(row[k] or 0))
        for k in _COUNT_FIELDS
    }


def _keyed(key: str, grid: pl.LazyFrame, c: pl.LazyFrame, t: pl.LazyFrame) -> pl.LazyFrame:
    """Every key of ``grid`` (each date, each hour) with the counts of ``c`` and ``t``."""
    return (
        grid.join(_consultation_counts(c, [key]), on=key, how="left")
        .join(_turn_counts(t, [key]), on=key, how="left")
        .sort(key)
    )


def compute_response(chats: pl.LazyFrame, rules: ResponseRules, as_of: AsOf) -> ResponseResult:
    """旺旺响应率, 人工平均响应时长 and 3分钟人工响应率 over T−30 … T−1, with the drill-downs."""
    start, end = as_of.window(rules.start_days_before, rules.end_days_before)
    # Nothing below reads a message from before the window (replies after it count as late):
    # filtered here, the frame every part shares holds the window's messages, not 180 days'.
    since = datetime.combine(start, datetime.min.time())
    ordered = in_order(messages(chats.filter(pl.col("sent_at") >= since), rules), start)
    marked = _marked(ordered)
    consulted, turn_frame = pl.collect_all(
        [consultations(marked, end), turns(marked, rules, start, end)]
    )
    c, t = consulted.lazy(), turn_frame.lazy()

    dates = pl.LazyFrame({"date": pl.date_range(start, end, "1d", eager=True)})
    hours = pl.LazyFrame({"hour": pl.int_range(0, 24, dtype=pl.Int32, eager=True)})
    window_replies = (
        ordered.lazy()
        .filter(
            ~pl.col("is_buyer") & pl.col("date").is_between(start, end)  # no auto-reply is kept
        )
        .with_columns(pl.col("sent_at").dt.hour().cast(pl.Int32).alias("hour"))
    )
    staff = (
        window_replies.filter(pl.col("human") & pl.col("sender").is_not_null())
        .group_by("hour")
        .agg(pl.col("sender").unique().sort().alias("staff"))
    )
    handled = (
        c.filter(pl.col("answered"))
        .group_by(pl.col("reply_by").alias("account"))
        .agg(pl.len().cast(pl.Int64).alias("consultations"))
    )
    human_handled = (
        c.filter(pl.col("human_answered"))
        .group_by(pl.col("human_by").alias("account"))
        .agg(
            pl.len().cast(pl.Int64).alias("human_consultations"),
            pl.col("human_seconds").sum().alias("human_seconds_total"),
        )
    )
    sent = window_replies.group_by(pl.col("sender").alias("account")).agg(
        pl.len().cast(pl.Int64).alias("replies"),
        pl.col("is_assistant").any().alias("assistant"),
        pl.col("hour").unique().sort().alias("active_hours"),
    )
    accounts = (
        pl.concat(
            [handled.select("account"), human_handled.select("account"), sent.select("account")]
        )
        .unique()
        .join(handled, on="account", how="left", nulls_equal=True)
        .join(human_handled, on="account", how="left", nulls_equal=True)
        .join(sent, on="account", how="left", nulls_equal=True)
        .with_columns(
            pl.col("consultations", "human_consultations", "replies").fill_null(0),
            pl.col("human_seconds_total").fill_null(0.0),
            pl.col("assistant").fill_null(False),
        )
        .sort(
            ["consultations", "replies", "account"],
            descending=[True, True, False],
            nulls_last=True,
        )
    )
    late_columns = ["buyer", "date", "first_at", "late_at", "late_by"]
    missed = c.filter(~pl.col("answered")).sort("first_at", "buyer")
    after_midnight = missed.filter(pl.col("late"))
    (
        totals_c,
        totals_t,
        daily,
        by_hour,
        staff_rows,
        account_rows,
        missed_rows,
        missed_count,
        late_rows,
        late_count,
    ) = pl.collect_all(
        [
            _consultation_counts(c, []),
            _turn_counts(t, []),
            _keyed("date", dates, c, t),
            _keyed("hour", hours, c, t),
            staff,
            accounts,
            _head(missed, rules.limit).select(late_columns),
            missed.select(pl.len()),
            _head(after_midnight, rules.limit).select(late_columns),
            after_midnight.select(pl.len()),
        ]
    )
    totals = Counts(**_counts_of(totals_c.row(0, named=True) | totals_t.row(0, named=True)))
    day_stats = [DayStats(**_counts_of(r), date=r["date"]) for r in daily.iter_rows(named=True)]
    staff_by_hour = {r["hour"]: tuple(r["staff"]) for r in staff_rows.iter_rows(named=True)}
    hour_stats = [
        HourStats(**_counts_of(r), hour=r["hour"], staff=staff_by_hour.get(r["hour"], ()))
        for r in by_hour.iter_rows(named=True)
    ]
    account_stats = [
        AccountStats(
            account=r["account"],
            assistant=bool(r["assistant"]),
            consultations=int(r["consultations"]),
            human_consultations=int(r["human_consultations"]),
            human_seconds_total=float(r["human_seconds_total"]),
            replies=int(r["replies"]),
            active_hours=tuple(r["active_hours"] or ()),
        )
        for r in account_rows.iter_rows(named=True)
    ]
    return ResponseResult(
        as_of=as_of.date,
        window_start=start,
        window_end=end,
        rules=rules,
        totals=totals,
        daily=day_stats,
        by_hour=hour_stats,
        by_account=account_stats,
        unanswered=_listed(missed_rows),
        unanswered_count=int(missed_count.item()),
        after_midnight=_listed(late_rows),
        after_midnight_count=int(late_count.item()),
        leaving=leaving_days(day_stats, totals, rules),
    )


def _head(frame: pl.LazyFrame, limit: int) -> pl.LazyFrame:
    return frame.head(limit) if limit else frame


def _listed(frame: pl.DataFrame) -> list[Consultation]:
    return [
        Consultation(r["buyer"], r["date"], r["first_at"], r["late_at"], r["late_by"])
        for r in frame.iter_rows(named=True)
    ]


def leaving_days(daily: list[DayStats], totals: Counts, rules: ResponseRules) -> list[LeavingDay]:
    """When each date with misses leaves the window, and the rate without it.

    Date d is in the window of report date T' while T'−start ≤ d ≤ T'−end, so it is gone from
    T' = d + start + 1 (d + 31 for T−30 … T−1). The rate then, with no other change, is
    (answered − answered_d) / (consultations − consultations_d).
    """
    current = Fraction(totals.answered, totals.consultations) if totals.consultations else None
    out = []
    for day in daily:
        if not day.missed:
            continue
        remaining = totals.consultations - day.consultations
        without = Fraction(totals.answered - day.answered, remaining) if remaining else None
        rise = None if without is None or current is None else float(without - current)
        out.append(
            LeavingDay(
                date=day.date,
                consultations=day.consultations,
                missed=day.missed,
                leaves_window_on=day.date + timedelta(days=rules.start_days_before + 1),
                rate_without=None if without is None else float(without),
                rate_rise=rise,
            )
        )
    return out
