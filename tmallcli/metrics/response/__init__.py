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

The modules: :mod:`.rules` (columns, the config's section), :mod:`.conversations` (messages
into consultations and turns), :mod:`.rates` (the figures and the days leaving the window),
:mod:`.results` (the objects returned).
"""

from __future__ import annotations

from tmallcli.metrics.response.conversations import (
    consultations,
    in_order,
    messages,
    turns,
)
from tmallcli.metrics.response.rates import compute_response, leaving_days
from tmallcli.metrics.response.results import (
    AccountStats,
    Consultation,
    Counts,
    DayStats,
    HourStats,
    LeavingDay,
    ResponseResult,
)
from tmallcli.metrics.response.rules import BUYER_WORDS, COLUMNS, SELLER_WORDS, ResponseRules

__all__ = [
    "BUYER_WORDS",
    "COLUMNS",
    "SELLER_WORDS",
    "AccountStats",
    "Consultation",
    "Counts",
    "DayStats",
    "HourStats",
    "LeavingDay",
    "ResponseResult",
    "ResponseRules",
    "compute_response",
    "consultations",
    "in_order",
    "leaving_days",
    "messages",
    "turns",
]
