"""The report date T and the as-of instant (SPEC §1 Time).

Export timestamps are naive Asia/Shanghai local time. China has kept UTC+8 without
daylight saving since 1991, so a fixed offset is exact and needs no tz database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

from tmallcli.errors import UsageError
from tmallcli.i18n import tr

Day = date  # the field AsOf.date would shadow the type inside the class
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


@dataclass(frozen=True)
class AsOf:
    """T (the report date) and the instant the rules are evaluated at."""

    date: Day
    instant: datetime  # naive, Shanghai local time
    given: bool  # --as-of was given (instant = T 23:59:59) or not (instant = now)

    def day(self, k: int) -> Day:
        """Day T−k."""
        return self.date - timedelta(days=k)

    def window(self, start_days_before: int, end_days_before: int) -> tuple[Day, Day]:
        """The window T−a … T−b, both end dates included."""
        return self.day(start_days_before), self.day(end_days_before)


def now_shanghai() -> datetime:
    return datetime.now(UTC).astimezone(SHANGHAI).replace(tzinfo=None, microsecond=0)


def resolve_as_of(text: str | None, *, now: datetime | None = None) -> AsOf:
    if text is None:
        current = now or now_shanghai()
        return AsOf(current.date(), current, given=False)
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            tr("--as-of: not a date in the form YYYY-MM-DD (got {text!r})", text=text)
        ) from None
    return AsOf(day, datetime.combine(day, time(23, 59, 59)), given=True)


def parse_day(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            tr(
                "{option}: not a date in the form YYYY-MM-DD (got {text!r})",
                option=option,
                text=text,
            )
        ) from None
