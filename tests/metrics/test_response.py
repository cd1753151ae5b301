"""旺旺 consultation rules (SPEC §6 response metrics, §7): every expected number worked by hand.

T = 2026-11-20, so the window T−30 … T−1 holds consultations on 2026-10-21 … 2026-11-19.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

import polars as pl
import pytest

from tests.conftest import CHAT_SCHEMA, default_config
from tmallcli.config import load_config
from tmallcli.metrics.response import (
    ResponseResult,
    ResponseRules,
    compute_response,
)
from tmallcli.timeframe import resolve_as_of

AS_OF = resolve_as_of("2026-11-20")
RULES = ResponseRules.from_config(default_config())
XIAOWANG = "店铺:小王"
XIAOLI = "店铺:小李"
BOT = "店铺:店小蜜"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def ask(buyer: str, when: str) -> dict[str, Any]:
    return {
        "buyer": buyer,
        "sent_at": at(when),
        "sender": buyer,
        "direction": "买家",
        "is_auto": False,
        "is_assistant": False,
    }


def reply(
    buyer: str,
    when: str,
    sender: str = XIAOWANG,
    *,
    auto: bool | None = False,
    bot: bool | None = False,
) -> dict[str, Any]:
    return {
        "buyer": buyer,
        "sent_at": at(when),
        "sender": sender,
        "direction": "卖家",
        "is_auto": auto,
        "is_assistant": bot,
    }


def frame(rows: list[dict[str, Any]]) -> pl.LazyFrame:
    return pl.DataFrame(rows, schema=CHAT_SCHEMA).lazy()


def compute(rows: list[dict[str, Any]], rules: ResponseRules = RULES) -> ResponseResult:
    return compute_response(frame(rows), rules, AS_OF)


def day_of(result: ResponseResult, day: date) -> Any:
    return next(d for d in result.daily if d.date == day)


# --------------------------------------------------------------------------- 24:00 rule


def test_asked_2359_answered_0001_is_not_answered_and_listed_after_midnight() -> None:
    result = compute(
        [
            ask("ann", "2026-11-08 23:59:00"),
            reply("ann", "2026-11-09 00:01:00"),
            # Control: asked 23:58, answered 23:59:59 the same day → answered.
            ask("bob", "2026-11-08 23:58:00"),
            reply("bob", "2026-11-08 23:59:59"),
        ]
    )
    assert (result.consultations, result.answered) == (2, 1)
    assert result.response_rate == 0.5
    # The 00:01 message is the seller's, so 11-09 holds no consultation.
    assert day_of(result, date(2026, 11, 9)).consultations == 0
    assert [(c.buyer, c.date) for c in result.unanswered] == [("ann", date(2026, 11, 8))]
    [late] = result.after_midnight
    assert late.buyer == "ann"
    assert late.first_message_at == at("2026-11-08 23:59:00")
    assert late.replied_at == at("2026-11-09 00:01:00")
    assert late.replied_by == XIAOWANG
    assert late.wait_seconds == 120
    assert result.after_midnight_count == 1
    # bob: 119 s to the first human reply; ann's 00:01 reply is on another date.
    assert result.human_response_seconds == 119.0


def test_a_reply_after_the_buyer_wrote_again_is_not_an_after_midnight_answer() -> None:
    result = compute(
        [
            ask("ann", "2026-11-01 10:00:00"),
            ask("ann", "2026-11-03 09:00:00"),
            reply("ann", "2026-11-03 09:01:00"),
            # The buyer's next consultation on T (outside the window) also bounds the search.
            ask("bob", "2026-11-19 23:00:00"),
            ask("bob", "2026-11-20 08:00:00"),
            reply("bob", "2026-11-20 08:01:00"),
        ]
    )
    assert (result.consultations, result.answered) == (3, 1)
    assert result.after_midnight == []
    assert [(c.buyer, c.date, c.replied_at) for c in result.unanswered] == [
        ("ann", date(2026, 11, 1), None),
        ("bob", date(2026, 11, 19), None),
    ]


def test_a_reply_before_the_first_question_does_not_answer_it() -> None:
    result = compute([reply("ann", "2026-11-05 09:00:00"), ask("ann", "2026-11-05 09:30:00")])
    assert (result.consultations, result.answered) == (1, 0)


def test_a_reply_in_the_same_second_follows_the_question() -> None:
    result = compute([ask("ann", "2026-11-05 10:00:00"), reply("ann", "2026-11-05 10:00:00")])
    assert result.answered == 1
    assert result.human_response_seconds == 0.0
    assert (result.totals.turns, result.totals.fast_turns) == (1, 1)


# --------------------------------------------------------------------------- valid replies


def test_auto_reply_is_not_a_valid_reply() -> None:
    result = compute(
        [ask("ann", "2026-11-05 10:00:00"), reply("ann", "2026-11-05 10:00:01", auto=True)]
    )
    assert (result.consultations, result.answered) == (1, 0)
    assert result.response_rate == 0.0
    assert result.human_response_seconds is None
    assert result.unanswered_count == 1
    # The 千牛 auto-reply is not a reply of the sub-account either.
    assert result.by_account == []


def test_assistant_reply_is_valid_unless_config_says_otherwise() -> None:
    rows = [ask("ann", "2026-11-05 10:00:00"), reply("ann", "2026-11-05 10:00:05", BOT, bot=True)]
    counted = compute(rows)
    assert counted.answered == 1
    assert counted.human_response_seconds is None
    [account] = counted.by_account
    assert (account.account, account.assistant, account.consultations) == (BOT, True, 1)

    strict = compute(rows, dataclasses.replace(RULES, assistant_counts=False))
    assert strict.answered == 0
    assert strict.response_rate == 0.0
    # Still listed as a sub-account that sent messages, but it handled nothing.
    [account] = strict.by_account
    assert (account.consultations, account.replies) == (0, 1)


def test_missing_auto_and_assistant_flags_mean_a_human_reply() -> None:
    result = compute(
        [
            ask("ann", "2026-11-05 10:00:00"),
            reply("ann", "2026-11-05 10:00:30", auto=None, bot=None),
        ]
    )
    assert result.answered == 1
    assert result.human_response_seconds == 30.0


def test_human_seconds_ignore_assistant_replies_and_take_the_first_human_one() -> None:
    result = compute(
        [
            # 店小蜜 at +5 s answers the consultation, the person at +100 s is the human reply.
            ask("ann", "2026-11-05 10:00:00"),
            reply("ann", "2026-11-05 10:00:05", BOT, bot=True),
            reply("ann", "2026-11-05 10:01:40", XIAOWANG),
            reply("ann", "2026-11-05 10:03:00", XIAOLI),
            ask("bob", "2026-11-05 11:00:00"),
            reply("bob", "2026-11-05 11:00:01", XIAOLI, auto=True),
            reply("bob", "2026-11-05 11:00:20", XIAOLI),
        ]
    )
    assert (result.consultations, result.answered, result.totals.human_answered) == (2, 2, 2)
    assert result.human_response_seconds == (100 + 20) / 2
    accounts = {a.account: a for a in result.by_account}
    assert accounts[BOT].consultations == 1  # first valid reply to ann
    assert accounts[BOT].human_consultations == 0
    assert accounts[XIAOWANG].human_consultations == 1
    assert accounts[XIAOWANG].human_response_seconds == 100.0
    assert accounts[XIAOLI].consultations == 1  # bob; the auto-reply did not count
    assert accounts[XIAOLI].human_response_seconds == 20.0
    assert accounts[XIAOLI].replies == 2  # ann 10:03 and bob 11:00:20, not the auto-reply
    assert accounts[XIAOLI].active_hours == (10, 11)
    # Ordered by consultations handled, then replies, then name.
    assert [a.account for a in result.by_account] == [XIAOLI, BOT, XIAOWANG]


# --------------------------------------------------------------------------- 3-minute turns


def test_repeated_questions_before_a_reply_are_one_turn() -> None:
    result = compute(
        [
            ask("ann", "2026-11-05 10:00:00"),
            ask("ann", "2026-11-05 10:02:00"),  # 在吗？ — same turn
            reply("ann", "2026-11-05 10:04:00"),  # 240 s after the turn started: slow
            ask("ann", "2026-11-05 10:05:00"),  # a new turn
            ask("ann", "2026-11-05 10:05:30"),
            reply("ann", "2026-11-05 10:08:00"),  # exactly 180 s: within 3 minutes
        ]
    )
    assert result.consultations == 1
    assert (result.totals.turns, result.totals.fast_turns) == (2, 1)
    assert result.response_3min_rate == 0.5
    assert result.human_response_seconds == 240.0


def test_assistant_reply_neither_answers_nor_ends_a_human_turn() -> None:
    result = compute(
        [
            ask("ann", "2026-11-05 10:00:00"),
            reply("ann", "2026-11-05 10:00:05", BOT, bot=True),
            ask("ann", "2026-11-05 10:02:00"),  # still waiting for a person: same turn
            reply("ann", "2026-11-05 10:03:10"),  # 190 s after the turn started
            ask("bob", "2026-11-05 10:00:00"),
            reply("bob", "2026-11-05 10:00:30", BOT, bot=True),  # only the bot: not fast
        ]
    )
    assert (result.totals.turns, result.totals.fast_turns) == (2, 0)
    assert result.response_3min_rate == 0.0
    assert result.response_rate == 1.0  # both answered (店小蜜 counts for 响应率)


def test_an_unanswered_question_ends_with_its_day() -> None:
    result = compute(
        [
            ask("ann", "2026-11-04 10:00:00"),  # never answered: a slow turn of 11-04
            ask("ann", "2026-11-05 10:00:00"),  # a new turn of 11-05, not the 11-04 one
            reply("ann", "2026-11-05 10:01:00"),
        ]
    )
    assert (result.totals.turns, result.totals.fast_turns) == (2, 1)
    assert (day_of(result, date(2026, 11, 5)).turns, result.daily[-1].turns) == (1, 0)


def test_service_hours_edges() -> None:
    rows = []
    for buyer, start in [
        ("b0759", "2026-11-05 07:59:00"),  # before 08:00: not counted
        ("b0800", "2026-11-05 08:00:00"),  # 08:00 inclusive
        ("b2259", "2026-11-05 22:59:59"),  # inside, never answered: slow
        ("b2300", "2026-11-05 23:00:00"),  # 23:00 exclusive
    ]:
        rows.append(ask(buyer, start))
    rows += [
        reply("b0759", "2026-11-05 08:00:30"),
        reply("b0800", "2026-11-05 08:01:00"),
        reply("b2300", "2026-11-05 23:00:30"),
    ]
    result = compute(rows)
    assert (result.totals.turns, result.totals.fast_turns) == (2, 1)
    assert result.response_3min_rate == 0.5
    hours = {h.hour: h for h in result.by_hour}
    assert (hours[7].turns, hours[8].turns, hours[22].turns, hours[23].turns) == (0, 1, 1, 0)
    assert (hours[8].fast_turns, hours[22].fast_turns) == (1, 0)


def test_service_hours_come_from_config() -> None:
    rules = dataclasses.replace(RULES, service_start_seconds=9 * 3600)
    result = compute(
        [ask("ann", "2026-11-05 08:30:00"), reply("ann", "2026-11-05 08:31:00")], rules
    )
    assert result.totals.turns == 0
    assert result.response_3min_rate is None


# --------------------------------------------------------------------------- window


def test_window_edges() -> None:
    result = compute(
        [
            ask("t31", "2026-10-20 12:00:00"),  # T−31: out
            ask("t30", "2026-10-21 00:00:00"),  # T−30: in
            ask("t1", "2026-11-19 23:59:59"),  # T−1: in
            ask("t0", "2026-11-20 00:00:00"),  # T: out
        ]
    )
    assert (result.window_start, result.window_end) == (date(2026, 10, 21), date(2026, 11, 19))
    assert result.consultations == 2
    assert [c.buyer for c in result.unanswered] == ["t30", "t1"]
    assert len(result.daily) == 30
    assert result.daily[0].date == date(2026, 10, 21)
    assert result.daily[-1].date == date(2026, 11, 19)


def test_no_consultations_gives_null_metrics() -> None:
    result = compute([])
    assert result.consultations == 0
    assert result.response_rate is None
    assert result.human_response_seconds is None
    assert result.response_3min_rate is None
    assert len(result.daily) == 30
    assert all(d.response_rate is None for d in result.daily)
    assert result.leaving == []
    assert not result.below(0.95)


# --------------------------------------------------------------------------- direction


def test_direction_inferred_from_sender_when_the_column_is_absent() -> None:
    rows = pl.DataFrame(
        {
            "buyer": ["ann", "ann", "bob"],
            "sent_at": [
                at("2026-11-05 10:00:00"),
                at("2026-11-05 10:00:45"),
                at("2026-11-05 11:00:00"),
            ],
            "sender": ["ann", XIAOWANG, "bob"],
        }
    ).lazy()
    result = compute_response(rows, RULES, AS_OF)
    assert (result.consultations, result.answered) == (2, 1)
    assert result.human_response_seconds == 45.0
    assert [c.buyer for c in result.unanswered] == ["bob"]


def test_direction_values_and_empty_direction() -> None:
    rows = [
        ask("ann", "2026-11-05 10:00:00") | {"direction": "buyer"},
        reply("ann", "2026-11-05 10:00:10") | {"direction": "Seller"},
        # Empty direction: inferred from the sender.
        ask("bob", "2026-11-05 10:00:00") | {"direction": None},
        reply("bob", "2026-11-05 10:00:20") | {"direction": None},
    ]
    result = compute(rows)
    assert (result.consultations, result.answered) == (2, 2)
    assert result.human_response_seconds == 15.0


# --------------------------------------------------------------------------- breakdowns


def test_daily_and_hourly_numbers() -> None:
    result = compute(
        [
            # 11-01: three consultations, two answered (30 s and 90 s), one missed at 02:10.
            ask("a", "2026-11-01 09:00:00"),
            reply("a", "2026-11-01 09:00:30"),
            ask("b", "2026-11-01 09:30:00"),
            reply("b", "2026-11-01 09:31:30", XIAOLI),
            ask("c", "2026-11-01 02:10:00"),
            # 11-02: one consultation, answered by 店小蜜 only.
            ask("a", "2026-11-02 21:00:00"),
            reply("a", "2026-11-02 21:00:03", BOT, bot=True),
        ]
    )
    first = day_of(result, date(2026, 11, 1))
    assert (first.consultations, first.answered, first.missed) == (3, 2, 1)
    assert first.response_rate == pytest.approx(2 / 3)
    assert first.human_response_seconds == 60.0
    assert (first.turns, first.fast_turns) == (2, 2)  # c at 02:10 is outside service hours
    second = day_of(result, date(2026, 11, 2))
    assert (second.consultations, second.answered, second.human_answered) == (1, 1, 0)
    assert second.human_response_seconds is None
    assert (second.turns, second.fast_turns) == (1, 0)
    empty = day_of(result, date(2026, 11, 3))
    assert (empty.consultations, empty.response_rate) == (0, None)

    assert [h.hour for h in result.by_hour] == list(range(24))
    hours = {h.hour: h for h in result.by_hour}
    assert (hours[2].consultations, hours[2].missed, hours[2].response_rate) == (1, 1, 0.0)
    assert (hours[9].consultations, hours[9].answered, hours[9].missed) == (2, 2, 0)
    assert hours[9].staff == (XIAOLI, XIAOWANG)
    assert hours[21].staff == ()  # only the bot replied at 21:00
    assert (hours[12].consultations, hours[12].response_rate) == (0, None)

    assert (result.consultations, result.answered) == (4, 3)
    assert result.response_rate == 0.75
    assert result.response_3min_rate == pytest.approx(2 / 3)


def test_leaving_dates_and_rate_without_the_day() -> None:
    result = compute(
        [
            # 11-01: 2 consultations, 1 missed; 11-02: 2 of 2 answered → 3/4 = 0.75.
            ask("a", "2026-11-01 10:00:00"),
            reply("a", "2026-11-01 10:01:00"),
            ask("b", "2026-11-01 11:00:00"),
            ask("a", "2026-11-02 10:00:00"),
            reply("a", "2026-11-02 10:01:00"),
            ask("b", "2026-11-02 10:00:00"),
            reply("b", "2026-11-02 10:01:00"),
        ]
    )
    assert result.response_rate == 0.75
    [leaving] = result.leaving
    assert leaving.date == date(2026, 11, 1)
    assert (leaving.consultations, leaving.missed) == (2, 1)
    # In the window of T' while T'−30 ≤ 11-01 ≤ T'−1, i.e. up to T' = 12-01; gone on 12-02.
    assert leaving.leaves_window_on == date(2026, 12, 2)
    assert leaving.rate_without == 1.0
    assert leaving.rate_rise == 0.25


def test_leaving_a_day_better_than_average_lowers_the_rate() -> None:
    rows = [ask("a", "2026-11-01 10:00:00"), ask("b", "2026-11-02 10:00:00")]
    rows += [ask(f"c{i}", "2026-11-03 10:00:00") for i in range(4)]
    rows += [reply(f"c{i}", "2026-11-03 10:00:30") for i in range(3)]
    rows += [reply("b", "2026-11-02 10:00:30")]
    # 11-01: 0/1; 11-02: 1/1 (no miss, not listed); 11-03: 3/4 → 4/6.
    result = compute(rows)
    leaving = {d.date: d for d in result.leaving}
    assert set(leaving) == {date(2026, 11, 1), date(2026, 11, 3)}
    assert leaving[date(2026, 11, 1)].rate_without == pytest.approx(4 / 5)
    assert leaving[date(2026, 11, 3)].rate_without == pytest.approx(1 / 2)
    assert leaving[date(2026, 11, 3)].rate_rise == pytest.approx(1 / 2 - 4 / 6)


def test_unanswered_list_is_oldest_first_and_limited() -> None:
    rows = [
        ask("late", "2026-11-10 09:00:00"),
        ask("early", "2026-11-02 09:00:00"),
        ask("mid", "2026-11-05 09:00:00"),
    ]
    result = compute(rows, dataclasses.replace(RULES, limit=2))
    assert [c.buyer for c in result.unanswered] == ["early", "mid"]
    assert result.unanswered_count == 3
    assert [c.buyer for c in compute(rows, dataclasses.replace(RULES, limit=0)).unanswered] == [
        "early",
        "mid",
        "late",
    ]


def test_below_is_exact() -> None:
    rows = [ask(f"b{i}", "2026-11-05 10:00:00") for i in range(20)]
    rows += [reply(f"b{i}", "2026-11-05 10:00:30") for i in range(19)]
    result = compute(rows)
    assert result.response_rate == 0.95
    assert not result.below(0.95)
    assert result.below(0.96)


def test_rules_from_config() -> None:
    rules = ResponseRules.from_config(load_config())
    assert rules == ResponseRules(
        start_days_before=30,
        end_days_before=1,
        assistant_counts=True,
        fast_reply_seconds=180,
        service_start_seconds=8 * 3600,
        service_end_seconds=23 * 3600,
        limit=100,
    )
    assert rules.service_hours == ("08:00", "23:00")
    custom = load_config(
        overrides={
            "response": {
                "assistant_counts": False,
                "service_hours": {"start": "09:30", "end": "24:00"},
            }
        }
    )
    rules = ResponseRules.from_config(custom, limit=5)
    assert (rules.assistant_counts, rules.limit) == (False, 5)
    assert (rules.service_start_seconds, rules.service_end_seconds) == (9.5 * 3600, 24 * 3600)
