"""What a response run returns: counts per slice (the window, a date, an hour, an account),
the consultations to act on and the days about to leave the 30-day window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from tmallcli.metrics.response.rules import ResponseRules

Day = date  # a dataclass field named ``date`` would shadow the type below it


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
