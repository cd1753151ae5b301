"""中差评 triage rules (SPEC §10) on small hand-built frames, with hand-computed numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmallcli.config import load_config
from tmallcli.metrics.reviews import (
    Cause,
    TriageRules,
    classify,
    compute_triage,
)
from tmallcli.timeframe import resolve_as_of

AS_OF = resolve_as_of("2026-11-20")
INSTANT = AS_OF.instant  # 2026-11-20 23:59:59
RULES = TriageRules.from_config(load_config())

SCHEMA = {
    "order_id": pl.String,
    "buyer": pl.String,
    "rated_at": pl.Datetime("us"),
    "dsr_description": pl.Int8,
    "dsr_service": pl.Int8,
    "dsr_logistics": pl.Int8,
    "rating": pl.String,
    "comment": pl.String,
    "reply": pl.String,
    "item_id": pl.String,
    "item_title": pl.String,
}


def review(
    order_id: str,
    rated_at: datetime,
    rating: str | None = "差评",
    comment: str | None = None,
    reply: str | None = None,
    *,
    dsr: tuple[int | None, int | None, int | None] = (None, None, None),
    buyer: str | None = None,
    item_id: str = "I1",
) -> dict[str, object]:
    return {
        "order_id": order_id,
        "buyer": buyer or f"buyer-{order_id}",
        "rated_at": rated_at,
        "dsr_description": dsr[0],
        "dsr_service": dsr[1],
        "dsr_logistics": dsr[2],
        "rating": rating,
        "comment": comment,
        "reply": reply,
        "item_id": item_id,
        "item_title": f"宝贝{item_id}",
    }


def frame(rows: list[dict[str, object]]) -> pl.LazyFrame:
    return pl.DataFrame(rows, schema=SCHEMA).lazy()


def hours_ago(h: float) -> datetime:
    return INSTANT - timedelta(hours=h)


def causes_of(comment: str | None, rules: TriageRules = RULES) -> list[str]:
    result = compute_triage(frame([review("o1", hours_ago(1), "差评", comment)]), rules, AS_OF)
    return result.queue[0].causes


# --------------------------------------------------------------------------- causes


@pytest.mark.parametrize(
    ("comment", "causes"),
    [
        # Seed 001 ❸, 产品问题: 产品质量差、包装破损、与描述不符
        ("产品质量差，穿一次就破了", ["product"]),
        ("收到的时候包装破损", ["product"]),
        ("颜色与描述不符", ["product"]),
        # 服务问题: 延迟发货、漏发错发、售后服务态度、没有及时回复
        ("延迟发货也不通知", ["service"]),
        ("漏发了一个枕套", ["service"]),
        ("错发了颜色", ["service"]),
        ("售后服务态度恶劣", ["service"]),
        ("问了半天不回复", ["service"]),
        ("没有及时回复处理", ["service"]),
        # 物流问题: 快递员态度差、发货速度慢、快递错发件、丢件、乱放快递
        ("快递员态度差", ["logistics"]),
        ("丢件了，重新补发才收到", ["logistics"]),
        ("快递乱放在门口", ["logistics"]),
        # 客户个人原因: 和期望的不一样, 选错了
        ("和期望不一样", ["buyer"]),
        ("不小心选错了尺码", ["buyer"]),
        ("操作失误拍了两件", ["buyer"]),
        ("自己拍错了", ["buyer"]),
    ],
)
def test_each_cause_from_the_seed_phrases(comment: str, causes: list[str]) -> None:
    assert causes_of(comment) == causes


def test_courier_attitude_is_logistics_not_the_shops_service() -> None:
    # 快递员态度 (logistics) contains 态度 (service): inside the longer phrase it does not
    # count for service; a second, standalone 态度 does.
    assert causes_of("快递员态度很差") == ["logistics"]
    assert causes_of("快递员态度差，客服态度也不好") == ["service", "logistics"]


def test_a_longer_keyword_of_another_cause_shadows_generally() -> None:
    # 发货太慢 (service) contains 慢 (logistics); 快递错发 (logistics) contains 错发 (service).
    assert causes_of("发货太慢了") == ["service"]
    assert causes_of("快递错发到别的小区") == ["logistics"]
    assert causes_of("发货太慢，物流也慢") == ["service", "logistics"]
    assert causes_of("客服回复慢") == ["service"]
    # The rule is about keywords, not the default config: a made-up pair behaves the same.
    rules = replace(
        RULES,
        causes=(Cause("a", "A", ("红色",)), Cause("b", "B", ("红",))),
        actions={"a": "do a", "b": "do b", "unclassified": "ask"},
    )
    assert causes_of("红色", rules) == ["a"]
    assert causes_of("红色，还有点红", rules) == ["a", "b"]
    assert causes_of("偏红", rules) == ["b"]


def test_several_causes_may_match_and_the_first_picks_the_action() -> None:
    result = compute_triage(
        frame([review("o1", hours_ago(1), "差评", "质量差，还错发了，快递员态度也差")]),
        RULES,
        AS_OF,
    )
    entry = result.queue[0]
    assert entry.causes == ["product", "service", "logistics"]
    assert entry.action == RULES.actions["product"]
    assert entry.actions == [RULES.actions[k] for k in ("product", "service", "logistics")]
    assert result.by_cause == {
        "product": 1,
        "service": 1,
        "logistics": 1,
        "buyer": 0,
        "unclassified": 0,
    }


def test_no_keyword_or_no_comment_is_unclassified() -> None:
    assert causes_of("一般般吧") == ["unclassified"]
    assert causes_of(None) == ["unclassified"]
    result = compute_triage(frame([review("o1", hours_ago(1), "中评", "还行")]), RULES, AS_OF)
    assert result.queue[0].action == RULES.actions["unclassified"]
    assert result.by_cause["unclassified"] == 1


def test_keywords_ignore_ascii_case() -> None:
    rules = replace(
        RULES,
        causes=(Cause("product", "商品问题", ("size",)),),
        actions={"product": "x", "unclassified": "y"},
    )
    assert causes_of("SIZE too small", rules) == ["product"]


def causes_by_hand(comment: str | None, rules: TriageRules) -> list[str]:
    """The cause rule read plainly: a keyword counts where it is outside every longer keyword
    of another cause that contains it (those masked, longest first)."""
    if comment is None:
        return ["unclassified"]
    text = comment.lower()
    found = []
    for cause in rules.causes:
        for keyword in cause.keywords:
            longer = sorted(
                {
                    other
                    for rival in rules.causes
                    if rival.key != cause.key
                    for other in rival.keywords
                    if keyword in other and other != keyword
                },
                key=lambda k: (-len(k), k),
            )
            masked = text
            for other in longer:
                masked = masked.replace(other, "\x1f")
            if keyword in masked:
                found.append(cause.key)
                break
    return found or ["unclassified"]


# Comments made of the config's keywords, pieces of them and filler, in any order.
_PIECES = sorted(
    {k for cause in RULES.causes for k in cause.keywords}
    | {k[i:] for cause in RULES.causes for k in cause.keywords for i in range(1, len(k))}
    | {"，", "很", "了", "SIZE", "Size", " "}
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=6).map("".join), max_size=40))
def test_causes_are_the_rule_read_by_hand(comments: list[str]) -> None:
    # The keywords no other cause's keyword holds are sought together (contains_any), the
    # others one by one with the longer keywords masked: the same causes as the plain rule.
    rules = replace(
        RULES,
        causes=(*RULES.causes, Cause("en", "EN", ("size", "e"))),
        actions={**RULES.actions, "en": "x"},
    )
    rows = pl.DataFrame({"comment": [*comments, None]}, schema={"comment": pl.String})
    got = classify(rows.lazy(), rules).collect().get_column("causes").to_list()
    assert got == [causes_by_hand(c, rules) for c in [*comments, None]]


# --------------------------------------------------------------------------- rating class


def test_rating_texts_short_and_english_forms() -> None:
    rows = [
        review("a", hours_ago(1), "好评"),
        review("b", hours_ago(1), "好"),
        review("c", hours_ago(1), "good"),
        review("d", hours_ago(1), " 默认好评 "),
        review("e", hours_ago(1), "中评"),
        review("f", hours_ago(1), "中"),
        review("g", hours_ago(1), "Neutral"),
        review("h", hours_ago(1), "差评"),
        review("i", hours_ago(1), "差"),
        review("j", hours_ago(1), "bad"),
    ]
    result = compute_triage(frame(rows), RULES, AS_OF)
    assert result.counts == {"good": 4, "neutral": 3, "bad": 3}
    assert result.good_rate == 0.4  # 4 / 10
    assert result.rating_sources == {"rating": 10, "dsr": 0}


def test_rating_texts_are_read_stripped_and_in_any_case_and_listed_once() -> None:
    rows = [
        review("a", hours_ago(1), " 差评 "),
        review("b", hours_ago(1), "GOOD"),
        review("c", hours_ago(1), " 追评"),
        review("d", hours_ago(1), "追评 "),
        review("e", hours_ago(1), "   "),  # blank: no text to list, no DSR → unrated
    ]
    result = compute_triage(frame(rows), RULES, AS_OF)
    assert result.counts == {"good": 1, "neutral": 0, "bad": 1}
    assert result.unrated == 3
    assert result.unrecognized_ratings == ["追评"]


def test_missing_rating_is_derived_from_the_lowest_dsr_score() -> None:
    rows = [
        review("a", hours_ago(1), None, dsr=(5, 4, 5)),  # lowest 4 → 好评
        review("b", hours_ago(1), None, dsr=(5, 3, None)),  # lowest 3 → 中评
        review("c", hours_ago(1), None, dsr=(2, 5, 5)),  # lowest 2 → 差评
        review("d", hours_ago(1), None),  # nothing at all → unrated, not counted
        review("e", hours_ago(1), "追评", dsr=(1, 1, 1)),  # unknown text → DSR → 差评
        review("f", hours_ago(1), "好评", dsr=(1, 1, 1)),  # 评价结果 wins over DSR
    ]
    result = compute_triage(frame(rows), RULES, AS_OF)
    assert result.counts == {"good": 2, "neutral": 1, "bad": 2}
    assert result.unrated == 1
    assert result.rating_sources == {"rating": 1, "dsr": 4}
    assert result.unrecognized_ratings == ["追评"]
    assert result.good_rate == 0.4  # 2 / 5
    assert [(e.order_id, e.rating, e.rating_from) for e in result.queue] == [
        ("b", "neutral", "dsr"),
        ("c", "bad", "dsr"),
        ("e", "bad", "dsr"),
    ]


# --------------------------------------------------------------------------- windows


def test_good_rate_window_is_the_180_days_before_the_instant() -> None:
    rows = [
        review("out-old", INSTANT - timedelta(days=180), "差评"),  # exactly 180 d: out
        review("in-first", INSTANT - timedelta(days=180) + timedelta(seconds=1), "好评"),
        review("in-mid", INSTANT - timedelta(days=90), "好评"),
        review("in-last", INSTANT, "中评"),  # the instant itself: in
        review("future", INSTANT + timedelta(seconds=1), "差评"),  # after the instant: out
    ]
    result = compute_triage(frame(rows), RULES, AS_OF)
    assert result.counts == {"good": 2, "neutral": 1, "bad": 0}
    assert result.good_rate == 2 / 3  # in full (SPEC §14)
    assert result.good_rate_start == datetime(2026, 5, 24, 23, 59, 59)
    # Only in-last is a medium/bad review in the 30-day triage window.
    assert [e.order_id for e in result.queue] == ["in-last"]


def test_good_rate_counts_each_item_row_of_an_order() -> None:
    rows = [
        review("o1", hours_ago(5), "好评", item_id="I1"),
        review("o1", hours_ago(5), "差评", "质量差", item_id="I2"),
        review("o2", hours_ago(6), "好评", item_id="I1"),
    ]
    result = compute_triage(frame(rows), RULES, AS_OF)
    assert result.counts == {"good": 2, "neutral": 0, "bad": 1}
    assert result.good_rate == 2 / 3


def test_no_rating_at_all_has_no_good_rate() -> None:
    result = compute_triage(frame([]), RULES, AS_OF)
    assert result.good_rate is None
    assert result.reviews == 0
    assert result.queue == []
    assert result.by_cause == dict.fromkeys(RULES.cause_keys, 0)


def test_days_sets_the_triage_window() -> None:
    rows = [
        review("d30", INSTANT - timedelta(days=30), "差评"),  # exactly 30 d: out
        review("d29", INSTANT - timedelta(days=29, hours=23), "差评"),
        review("d8", INSTANT - timedelta(days=8), "中评"),
        review("d6", INSTANT - timedelta(days=6), "中评"),
        review("good", INSTANT - timedelta(days=1), "好评"),  # 好评 is never triaged
    ]
    default = compute_triage(frame(rows), RULES, AS_OF)
    assert default.days == 30
    assert default.reviews == 3
    assert (default.neutral, default.bad) == (2, 1)
    week = compute_triage(frame(rows), RULES, AS_OF, days=7)
    assert week.days == 7
    assert week.window_start == datetime(2026, 11, 13, 23, 59, 59)
    assert [e.order_id for e in week.queue] == ["d6"]
    # 好评率 keeps its own 180-day window whatever --days is.
    assert week.counts == default.counts == {"good": 1, "neutral": 2, "bad": 2}


# --------------------------------------------------------------------------- the queue


def test_queue_unanswered_first_then_oldest_first_tie_broken_by_order_id() -> None:
    same = hours_ago(30)
    rows = [
        review("r-old", hours_ago(100), "差评", reply="已联系买家"),
        review("u-new", hours_ago(2), "中评"),
        review("u-b", same, "差评", reply="   "),  # blank reply = unanswered
        review("u-a", same, "中评"),
        review("u-old", hours_ago(50), "差评"),
        review("r-new", hours_ago(3), "中评", reply="抱歉"),
    ]
    result = compute_triage(frame(rows), RULES, AS_OF)
    assert [e.order_id for e in result.queue] == ["u-old", "u-a", "u-b", "u-new", "r-old", "r-new"]
    assert [e.replied for e in result.queue] == [False] * 4 + [True] * 2
    assert [e.hours for e in result.queue] == [50.0, 30.0, 30.0, 2.0, 100.0, 3.0]
    assert result.unanswered == 4
    limited = compute_triage(frame(rows), RULES.with_limit(2), AS_OF)
    assert [e.order_id for e in limited.queue] == ["u-old", "u-a"]
    assert limited.queue_total == 6


def test_overdue_is_unanswered_for_longer_than_reply_within_hours() -> None:
    assert RULES.reply_within_hours == 24
    rows = [
        review("exactly-24h", hours_ago(24), "差评"),  # not older than 24 h
        review("over-24h", hours_ago(24) - timedelta(seconds=1), "差评"),
        review("replied-old", hours_ago(200), "差评", reply="已处理"),
        review("fresh", hours_ago(1), "中评"),
    ]
    result = compute_triage(frame(rows), RULES, AS_OF)
    assert result.overdue == 1
    assert {e.order_id: e.overdue for e in result.queue} == {
        "over-24h": True,
        "exactly-24h": False,
        "fresh": False,
        "replied-old": False,
    }


def test_summary_by_cause_and_items_with_most_medium_bad_reviews() -> None:
    rows = [
        review("1", hours_ago(10), "差评", "质量差", item_id="I1"),
        review("2", hours_ago(11), "中评", "漏发了", item_id="I1", reply="补发了"),
        review("3", hours_ago(12), "差评", "质量差，漏发", item_id="I2"),
        review("4", hours_ago(13), "差评", "丢件", item_id="I2"),
        review("5", hours_ago(14), "中评", "选错了", item_id="I3"),
        review("6", hours_ago(15), "中评", "还行", item_id="I1"),
        review("7", hours_ago(16), "好评", "很好", item_id="I3"),
    ]
    result = compute_triage(frame(rows), RULES, AS_OF)
    assert result.reviews == 6
    assert result.by_cause == {
        "product": 2,
        "service": 2,
        "logistics": 1,
        "buyer": 1,
        "unclassified": 1,
    }
    # I1: 3 (1 差评, 2 中评); I2: 2 差评; I3: 1 中评 (its 好评 is not counted)
    assert [(i.item_id, i.count, i.bad, i.neutral, i.unanswered) for i in result.items] == [
        ("I1", 3, 1, 2, 2),
        ("I2", 2, 2, 0, 2),
        ("I3", 1, 0, 1, 1),
    ]
    assert result.items[0].item_title == "宝贝I1"
    assert result.unanswered == 5
