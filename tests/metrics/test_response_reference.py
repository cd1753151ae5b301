"""旺旺 rules against a plain-Python reference, on random chats (SPEC §6, §7).

``compute_response`` sorts the messages once and reads every rule off that order (runs of
rows, fills towards the next reply). The reference below is written from the rules as the
module states them, message by message, with nothing shared: on chats built to collide (a
few buyers and sub-accounts, a handful of clock times around midnight and the window's
edges, so that questions and replies share seconds), both must give the same counts, the
same credited sub-accounts and the same lists.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CHAT_SCHEMA, default_config
from tmallcli.metrics.response import (
    BUYER_WORDS,
    SELLER_WORDS,
    ResponseRules,
    compute_response,
)
from tmallcli.timeframe import resolve_as_of

AS_OF = resolve_as_of("2026-11-20")
START, END = AS_OF.window(30, 1)  # 2026-10-21 … 2026-11-19
BUYERS = ["ann", "bob", "cat"]
STAFF = ["店铺:小王", "店铺:小李", "店铺:店小蜜"]
DAYS = [date(2026, 10, 20), date(2026, 10, 21), date(2026, 10, 22), date(2026, 11, 19)]
DAYS += [date(2026, 11, 20)]
CLOCKS = ["00:00:00", "00:00:30", "07:59:59", "08:00:00", "08:02:00", "08:03:00"]
CLOCKS += ["22:59:59", "23:00:00", "23:59:30"]


@dataclass(frozen=True)
class Message:
    buyer: str
    sent_at: datetime
    sender: str | None
    direction: str | None
    is_auto: bool | None
    is_assistant: bool | None


messages = st.builds(
    lambda buyer, day, clock, who, direction, auto, bot: Message(
        buyer,
        datetime.fromisoformat(f"{day} {clock}"),
        buyer if who == "buyer" else who,
        direction,
        auto,
        bot,
    ),
    st.sampled_from(BUYERS),
    st.sampled_from(DAYS),
    st.sampled_from(CLOCKS),
    st.sampled_from(["buyer", "buyer", *STAFF, None]),
    st.sampled_from([None, "买家", "卖家", " Buyer ", "客服", "其他"]),
    st.sampled_from([False, False, True, None]),
    st.sampled_from([False, False, True, None]),
)


# --------------------------------------------------------------------------- the reference


@dataclass
class Row:
    buyer: str
    sent_at: datetime
    sender: str | None
    is_buyer: bool
    auto: bool
    bot: bool
    valid: bool
    human: bool


def _rows(chats: list[Message], rules: ResponseRules) -> list[Row]:
    rows = []
    for m in chats:
        direction = (m.direction or "").strip().lower()
        if direction in BUYER_WORDS:
            is_buyer: bool | None = True
        elif direction in SELLER_WORDS:
            is_buyer = False
        elif m.sender is None:
            is_buyer = None  # no direction, no sender: who wrote it cannot be told
        else:
            is_buyer = m.sender.strip() == m.buyer.strip()
        if is_buyer is None or m.sent_at.date() < START:
            continue
        auto, bot = bool(m.is_auto), bool(m.is_assistant)
        seller = not is_buyer
        valid = seller and not auto and (not bot or rules.assistant_counts)
        rows.append(
            Row(
                m.buyer,
                m.sent_at,
                m.sender,
                is_buyer,
                auto,
                bot,
                valid,
                seller and not auto and not bot,
            )
        )
    return rows


def _first_reply(replies: list[Row], since: datetime) -> Row | None:
    """The first reply at or after ``since``; of one second, the sub-account first by name."""
    found = [r for r in replies if r.sent_at >= since]
    if not found:
        return None
    first = min(r.sent_at for r in found)
    tied = [r for r in found if r.sent_at == first]
    return min(tied, key=lambda r: (r.sender is None, r.sender or ""))


def reference(chats: list[Message], rules: ResponseRules) -> dict[str, Any]:
    rows = _rows(chats, rules)
    by_buyer: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_buyer[row.buyer].append(row)
    consultations = []
    for buyer, mine in by_buyer.items():
        asks = sorted({r.sent_at.date() for r in mine if r.is_buyer})
        firsts = [
            min(r.sent_at for r in mine if r.is_buyer and r.sent_at.date() == d) for d in asks
        ]
        for i, (day, first_at) in enumerate(zip(asks, firsts, strict=True)):
            if day > END:
                continue
            reply = _first_reply([r for r in mine if r.valid], first_at)
            human = _first_reply([r for r in mine if r.human], first_at)
            answered = reply is not None and reply.sent_at.date() == day
            human_answered = human is not None and human.sent_at.date() == day
            following = firsts[i + 1] if i + 1 < len(firsts) else None
            late = (
                not answered
                and reply is not None
                and (following is None or reply.sent_at < following)
            )
            consultations.append(
                {
                    "buyer": buyer,
                    "date": day,
                    "first_at": first_at,
                    "answered": answered,
                    "reply_by": reply.sender if answered and reply else None,
                    "human_answered": human_answered,
                    "human_by": human.sender if human_answered and human else None,
                    "human_seconds": (human.sent_at - first_at).total_seconds()
                    if human_answered and human
                    else None,
                    "late_at": reply.sent_at if late and reply else None,
                    "late_by": reply.sender if late and reply else None,
                }
            )
    turns = []
    for mine in by_buyer.values():
        for day in {r.sent_at.date() for r in mine}:
            if not START <= day <= END:
                continue
            # A buyer's message before a seller's of the same second; sub-accounts by name.
            order = sorted(
                (r for r in mine if r.sent_at.date() == day),
                key=lambda r: (r.sent_at, not r.is_buyer, r.sender is None, r.sender or ""),
            )
            start: datetime | None = None
            for r in order:
                if r.is_buyer and start is None:
                    start = r.sent_at
                if r.human:
                    if start is not None:
                        turns.append((start, r.sent_at))
                    start = None
            if start is not None:
                turns.append((start, None))
    counted = []
    for start, answered_at in turns:
        clock = start.hour * 3600 + start.minute * 60 + start.second
        if rules.service_start_seconds <= clock < rules.service_end_seconds:
            fast = answered_at is not None and (
                (answered_at - start).total_seconds() <= rules.fast_reply_seconds
            )
            counted.append((start.date(), fast))
    replies = Counter(
        r.sender for r in rows if not r.is_buyer and not r.auto and START <= r.sent_at.date() <= END
    )
    accounts: dict[str | None, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0])
    for c in consultations:
        if c["answered"]:
            accounts[c["reply_by"]][0] += 1
        if c["human_answered"]:
            accounts[c["human_by"]][1] += 1
            accounts[c["human_by"]][2] += c["human_seconds"]
    for sender, n in replies.items():
        accounts[sender][3] = n
    missed = sorted(
        (c for c in consultations if not c["answered"]), key=lambda c: (c["first_at"], c["buyer"])
    )
    daily = defaultdict(lambda: [0, 0, 0, 0])
    for c in consultations:
        daily[c["date"]][0] += 1
        daily[c["date"]][1] += c["answered"]
    for day, fast in counted:
        daily[day][2] += 1
        daily[day][3] += fast
    return {
        "totals": (
            len(consultations),
            sum(c["answered"] for c in consultations),
            sum(c["human_answered"] for c in consultations),
            sum(c["human_seconds"] or 0 for c in consultations),
            len(counted),
            sum(fast for _, fast in counted),
        ),
        "daily": {d: tuple(v) for d, v in daily.items()},
        "accounts": {a: tuple(v) for a, v in accounts.items()},
        "unanswered": [
            (c["buyer"], c["date"], c["first_at"], c["late_at"], c["late_by"]) for c in missed
        ],
        "after_midnight": [
            (c["buyer"], c["date"], c["first_at"], c["late_at"], c["late_by"])
            for c in missed
            if c["late_at"] is not None
        ],
    }


def computed(chats: list[Message], rules: ResponseRules) -> dict[str, Any]:
    frame = pl.DataFrame([m.__dict__ for m in chats], schema=CHAT_SCHEMA).lazy()
    result = compute_response(frame, rules, AS_OF)
    t = result.totals
    return {
        "totals": (
            t.consultations,
            t.answered,
            t.human_answered,
            t.human_seconds_total,
            t.turns,
            t.fast_turns,
        ),
        "daily": {
            d.date: (d.consultations, d.answered, d.turns, d.fast_turns)
            for d in result.daily
            if d.consultations or d.turns
        },
        "accounts": {
            a.account: (a.consultations, a.human_consultations, a.human_seconds_total, a.replies)
            for a in result.by_account
        },
        "unanswered": [
            (c.buyer, c.date, c.first_message_at, c.replied_at, c.replied_by)
            for c in result.unanswered
        ],
        "after_midnight": [
            (c.buyer, c.date, c.first_message_at, c.replied_at, c.replied_by)
            for c in result.after_midnight
        ],
    }


@settings(max_examples=300, deadline=None)
@given(st.lists(messages, max_size=40), st.booleans())
def test_the_sorted_pass_gives_what_the_rules_say(chats: list[Message], assistant: bool) -> None:
    rules = replace(
        ResponseRules.from_config(default_config()), limit=0, assistant_counts=assistant
    )
    assert computed(chats, rules) == reference(chats, rules)


def test_the_reference_sees_ties_and_midnight() -> None:
    """The strategy's clock times make the cases the rules turn on (a guard on the test)."""
    day = DAYS[1]
    chats = [
        Message(
            "ann",
            datetime.combine(day, datetime.min.time()) + timedelta(hours=8),
            "ann",
            "买家",
            False,
            False,
        ),
        Message(
            "ann",
            datetime.combine(day, datetime.min.time()) + timedelta(hours=8),
            STAFF[0],
            "卖家",
            False,
            False,
        ),
        Message(
            "ann",
            datetime.combine(day, datetime.min.time()) + timedelta(hours=8),
            STAFF[1],
            "卖家",
            False,
            False,
        ),
    ]
    rules = replace(ResponseRules.from_config(default_config()), limit=0)
    expected = reference(chats, rules)
    assert expected["accounts"][STAFF[1]][0] == 1  # 小李 before 小王 by name, same second
    assert expected["totals"][:2] == (1, 1)
    assert computed(chats, rules) == expected
