"""What the 旺旺 rules read: the chat export's columns and words, and the config's ``response``
section (:class:`ResponseRules`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

COLUMNS = ("buyer", "sent_at", "sender", "direction", "is_auto", "is_assistant")

# The 方向 column: these words say who wrote the message; anything else (or no column) is
# inferred from the sender: the buyer's own nick is the buyer, any other sender the shop.
BUYER_WORDS = ("买家", "buyer", "顾客", "客户", "customer")
SELLER_WORDS = ("卖家", "seller", "商家", "客服", "shop")

DATETIME = pl.Datetime("us")
COLUMN_TYPES: dict[str, pl.DataType] = {
    "buyer": pl.String(),
    "sent_at": DATETIME,
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
