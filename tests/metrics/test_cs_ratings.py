"""客服评价 rules (SPEC §9, seed 000) on small in-memory frames, with hand-computed numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from fractions import Fraction

import polars as pl
import pytest

from tests.conftest import default_config
from tmallcli.config import load_config
from tmallcli.errors import UsageError
from tmallcli.metrics.cs_ratings import (
    CsRules,
    Period,
    compute_cs,
    resolve_account,
    resolve_period,
    split_tags,
)

RULES = replace(CsRules.from_config(default_config()), min_ratings=2, min_average=None)
SCHEMA = {
    "rated_at": pl.Datetime("us"),
    "account": pl.String,
    "score": pl.Int8,
    "tags": pl.String,
    "source": pl.String,
    "buyer": pl.String,
}
T = date(2026, 11, 20)
DAY = date(2026, 11, 19)  # yesterday


def ratings(rows: list[tuple[str, str, int | None, str | None, str | None]]) -> pl.LazyFrame:
    """Rows of (rated_at, account, score, tags, source)."""
    return pl.LazyFrame(
        {
            "rated_at": [datetime.fromisoformat(r[0]) for r in rows],
            "account": [r[1] for r in rows],
            "score": [r[2] for r in rows],
            "tags": [r[3] for r in rows],
            "source": [r[4] for r in rows],
            "buyer": [f"b{i}" for i in range(len(rows))],
        },
        schema=SCHEMA,
    )


def by_account(result):  # type: ignore[no-untyped-def]
    return {a.account: a for a in result.accounts}


# --------------------------------------------------------------------------- sources


def test_bot_counts_only_buyer_initiated_ratings() -> None:
    frame = ratings(
        [
            ("2026-11-19 09:00:00", "服务助手", 5, None, "消费者自主评价"),
            ("2026-11-19 10:00:00", "服务助手", 2, None, "消费者自主评价"),
            ("2026-11-19 11:00:00", "服务助手", 1, None, "平台自动邀评"),  # not counted
            ("2026-11-19 12:00:00", "服务助手", 1, None, "客服邀评"),  # not counted
            ("2026-11-19 13:00:00", "服务助手", 1, None, None),  # unknown: not counted
        ]
    )
    result = compute_cs(frame, RULES, DAY, DAY)
    assert (result.bot.count, result.bot.total) == (2, 7)
    assert result.bot.average == 3.5  # (5 + 2) / 2
    assert result.human.count == 0 and result.human.average is None
    assert result.excluded == {"human_other_source": 0, "bot_other_source": 3, "no_score": 0}
    assert [(a.account, a.tally.count) for a in result.accounts] == [("服务助手", 2)]


def test_human_counts_every_configured_source_and_an_empty_one() -> None:
    frame = ratings(
        [
            ("2026-11-19 09:00:00", "店:小王", 5, None, "平台自动邀评"),
            ("2026-11-19 09:10:00", "店:小王", 4, None, "客服邀评"),
            ("2026-11-19 09:20:00", "店:小王", 3, None, "消费者自主评价"),
            ("2026-11-19 09:30:00", "店:小李", 1, None, None),  # no source: counted as human
            ("2026-11-19 09:40:00", "店:小李", 1, None, "其他"),  # not a human source
        ]
    )
    result = compute_cs(frame, RULES, DAY, DAY)
    assert (result.human.count, result.human.total) == (4, 13)
    assert result.human.average == 3.25  # (5 + 4 + 3 + 1) / 4
    assert result.human_unknown_source == 1
    assert result.excluded["human_other_source"] == 1
    assert result.bot.count == 0


def test_dropping_the_retired_source_from_config_drops_its_ratings() -> None:
    frame = ratings(
        [
            ("2026-11-19 09:00:00", "店:小王", 5, None, "平台自动邀评"),
            ("2026-11-19 09:10:00", "店:小王", 2, None, "客服邀评"),
        ]
    )
    retired = replace(
        CsRules.from_config(default_config()),
        human_sources=("平台自动邀评", "消费者自主评价"),
        bot_sources=("消费者自主评价",),
    )
    result = compute_cs(frame, retired, DAY, DAY)
    assert (result.human.count, result.human.average) == (1, 5.0)
    assert result.excluded["human_other_source"] == 1


def test_a_rating_without_a_score_is_not_counted() -> None:
    frame = ratings(
        [
            ("2026-11-19 09:00:00", "店:小王", 4, "专业", "平台自动邀评"),
            ("2026-11-19 09:10:00", "店:小王", None, "态度差", "平台自动邀评"),
        ]
    )
    result = compute_cs(frame, RULES, DAY, DAY)
    assert (result.human.count, result.human.average) == (1, 4.0)
    assert result.excluded["no_score"] == 1
    assert by_account(result)["店:小王"].tags == {"专业": 1}


def test_average_is_the_exact_mean_in_full_precision() -> None:
    # 5+5+4+4+4+4+4+4 = 34 / 8 = 4.25; 1+2+2 = 5/3 = 1.666… (SPEC §14: no rounding to 4 places)
    rows = [
        ("2026-11-19 09:00:00", "店:甲", s, None, "平台自动邀评") for s in (5, 5, 4, 4, 4, 4, 4, 4)
    ]
    rows += [("2026-11-19 10:00:00", "店:乙", s, None, "平台自动邀评") for s in (1, 2, 2)]
    result = compute_cs(ratings(rows), RULES, DAY, DAY)
    accounts = by_account(result)
    assert accounts["店:甲"].tally.average == 4.25
    assert accounts["店:乙"].tally.average == 5 / 3
    assert accounts["店:乙"].tally.exact == Fraction(5, 3)
    assert result.human.average == 39 / 11


# --------------------------------------------------------------------------- period


def test_default_period_is_yesterday() -> None:
    assert resolve_period(T, max_days=RULES.max_days) == Period(DAY, DAY)
    assert resolve_period(T, max_days=RULES.max_days).days == 1


def test_last_n_ends_yesterday() -> None:
    assert resolve_period(T, max_days=RULES.max_days, last=7) == Period(
        date(2026, 11, 13), date(2026, 11, 19)
    )
    assert resolve_period(T, max_days=RULES.max_days, last=30) == Period(
        date(2026, 10, 21), date(2026, 11, 19)
    )
    assert resolve_period(T, max_days=RULES.max_days, last=30).days == 30


def test_day_and_range() -> None:
    assert resolve_period(T, max_days=RULES.max_days, day=date(2026, 11, 1)) == Period(
        date(2026, 11, 1), date(2026, 11, 1)
    )
    period = resolve_period(
        T, max_days=RULES.max_days, start=date(2026, 11, 1), end=date(2026, 11, 20)
    )
    assert period.days == 20  # ending on T itself is allowed


def test_ninety_days_is_the_longest_period() -> None:
    assert resolve_period(T, max_days=RULES.max_days, last=90).days == 90
    assert resolve_period(T, max_days=RULES.max_days, start=date(2026, 8, 23), end=T).days == 90
    with pytest.raises(
        UsageError, match=r"period is 91 days; the longest is 90 \(最长可显示3个月\)"
    ):
        resolve_period(T, max_days=RULES.max_days, last=91)
    with pytest.raises(UsageError, match="period is 91 days"):
        resolve_period(T, max_days=RULES.max_days, start=date(2026, 8, 22), end=T)
    with pytest.raises(UsageError, match="period is 8 days; the longest is 7"):
        resolve_period(T, last=8, max_days=7)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"day": DAY, "last": 7}, "give one period: --day or --last"),
        ({"last": 7, "start": DAY, "end": DAY}, "give one period: --last or --from/--to"),
        ({"start": DAY}, "--from and --to go together"),
        ({"end": DAY}, "--from and --to go together"),
        ({"start": DAY, "end": date(2026, 11, 1)}, "--from 2026-11-19 is after --to 2026-11-01"),
        ({"day": date(2026, 11, 21)}, "after the report date 2026-11-20"),
        ({"start": DAY, "end": date(2026, 11, 21)}, "after the report date"),
        ({"last": 0}, "--last: must be at least 1"),
    ],
)
def test_bad_periods_are_usage_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(")):
        resolve_period(T, max_days=RULES.max_days, **kwargs)  # type: ignore[arg-type]


def test_period_holds_whole_days_by_rating_date() -> None:
    frame = ratings(
        [
            ("2026-11-12 23:59:59", "店:小王", 1, None, "平台自动邀评"),  # the day before
            ("2026-11-13 00:00:00", "店:小王", 5, None, "平台自动邀评"),  # first moment
            ("2026-11-19 23:59:59", "店:小王", 4, None, "平台自动邀评"),  # last moment
            ("2026-11-20 00:00:00", "店:小王", 1, None, "平台自动邀评"),  # T: outside --last 7
        ]
    )
    period = resolve_period(T, max_days=RULES.max_days, last=7)
    result = compute_cs(frame, RULES, period.start, period.end)
    assert (result.human.count, result.human.average) == (2, 4.5)


# --------------------------------------------------------------------------- tags


@pytest.mark.parametrize("separator", [",", ";", "，", "、", "|", "；", "｜", " , ", "| "])
def test_tags_split_on_every_separator(separator: str) -> None:
    frame = ratings(
        [("2026-11-19 09:00:00", "店:小王", 5, f"专业{separator}态度好", "平台自动邀评")]
    )
    result = compute_cs(frame, RULES, DAY, DAY)
    assert result.accounts[0].tags == {"专业": 1, "态度好": 1}


def test_split_tags_trims_drops_empty_pieces_and_counts_a_tag_once_per_rating() -> None:
    frame = pl.DataFrame({"tags": [" 专业 ,, 专业、\u3000回复及时 |", None, "", " ; "]})
    out = frame.select(split_tags(pl.col("tags")).list.sort()).get_column("tags").to_list()
    assert out[0] == ["专业", "回复及时"]
    assert out[1] is None
    assert out[2] == [] and out[3] == []


def test_tag_counts_per_account_most_frequent_first() -> None:
    frame = ratings(
        [
            ("2026-11-19 09:00:00", "店:小王", 5, "专业,态度好", "平台自动邀评"),
            ("2026-11-19 09:10:00", "店:小王", 4, "态度好;回复及时", "平台自动邀评"),
            ("2026-11-19 09:20:00", "店:小王", 5, "态度好、专业、专业", "消费者自主评价"),
            ("2026-11-19 09:30:00", "店:小王", 5, None, "消费者自主评价"),
        ]
    )
    result = compute_cs(frame, RULES, DAY, DAY)
    account = result.accounts[0]
    assert list(account.tags.items()) == [("态度好", 3), ("专业", 2), ("回复及时", 1)]
    assert account.no_tags is False


def test_an_account_with_ratings_but_no_tags_is_marked() -> None:
    frame = ratings(
        [
            ("2026-11-19 09:00:00", "店:阿杰", 5, None, "平台自动邀评"),
            ("2026-11-19 09:10:00", "店:阿杰", 3, " ; ", "客服邀评"),
            ("2026-11-19 09:20:00", "店:小王", 4, "专业", "平台自动邀评"),
        ]
    )
    accounts = by_account(compute_cs(frame, RULES, DAY, DAY))
    assert accounts["店:阿杰"].no_tags is True
    assert accounts["店:阿杰"].tags == {}
    assert accounts["店:阿杰"].tally.count == 2
    assert accounts["店:小王"].no_tags is False


# --------------------------------------------------------------------------- accounts


def test_the_bot_is_listed_first_then_by_count_then_by_name() -> None:
    rows = [("2026-11-19 09:00:00", "服务助手", 5, None, "消费者自主评价")]
    rows += [("2026-11-19 10:00:00", "店:乙", 4, None, "平台自动邀评")] * 1
    rows += [("2026-11-19 10:00:00", "店:甲", 4, None, "平台自动邀评")] * 1
    rows += [("2026-11-19 11:00:00", "店:丙", 3, None, "平台自动邀评")] * 3
    rows += [("2026-11-19 11:00:00", "服务助手", 1, None, "平台自动邀评")] * 5  # bot: not counted
    result = compute_cs(ratings(rows), RULES, DAY, DAY)
    # 服务助手 first although it has the fewest counted ratings; then 店:丙 (3 ratings); 店:甲
    # and 店:乙 have 1 each and go by name in code-point order (乙 U+4E59 before 甲 U+7532).
    names = [a.account for a in result.accounts]
    assert names == ["服务助手", "店:丙", "店:乙", "店:甲"]
    assert result.accounts[0].is_bot
    assert result.accounts[0].tally.count == 1


def test_account_filter_keeps_totals_shop_wide() -> None:
    frame = ratings(
        [
            ("2026-11-19 09:00:00", "店:小王", 5, "专业", "平台自动邀评"),
            ("2026-11-19 09:10:00", "店:小王", 2, "回复慢", "平台自动邀评"),
            ("2026-11-19 09:20:00", "店:小李", 1, "态度差", "平台自动邀评"),
            ("2026-11-19 09:30:00", "服务助手", 4, None, "消费者自主评价"),
        ]
    )
    result = compute_cs(frame, RULES, DAY, DAY, account="小王")
    assert result.account == "店:小王"
    assert [a.account for a in result.accounts] == ["店:小王"]
    assert (result.human.count, result.human.total) == (3, 8)  # shop-wide
    assert result.diagnosis.low_ratings == 1
    assert result.diagnosis.low_rating_tags == {"回复慢": 1}


def test_account_filter_on_an_account_without_ratings_in_the_period() -> None:
    frame = ratings(
        [
            ("2026-11-01 09:00:00", "店:小王", 5, None, "平台自动邀评"),
            ("2026-11-19 09:00:00", "店:小李", 4, None, "平台自动邀评"),
        ]
    )
    result = compute_cs(frame, RULES, DAY, DAY, account="店:小王")
    assert len(result.accounts) == 1
    only = result.accounts[0]
    assert (only.account, only.tally.count, only.tally.average, only.no_tags) == (
        "店:小王",
        0,
        None,
        False,
    )


def test_resolve_account() -> None:
    known = ["服务助手", "店A:小王", "店A:小李", "店B:小李"]
    assert resolve_account("店A:小王", known) == "店A:小王"
    assert resolve_account(" 小王 ", known) == "店A:小王"
    assert resolve_account("服务助手", known) == "服务助手"
    with pytest.raises(UsageError, match="matches several sub-accounts: 店A:小李, 店B:小李"):
        resolve_account("小李", known)
    with pytest.raises(
        UsageError, match=r"no ratings of '小张' in the export \(accounts: 服务助手"
    ):
        resolve_account("小张", known)


# --------------------------------------------------------------------------- diagnosis, trend


def test_diagnosis_ranks_accounts_with_enough_ratings_and_low_rating_tags() -> None:
    rows = [
        # 店:甲 3 ratings, (5+3+1)/3 = 3.0; 店:乙 2 ratings (4+2)/2 = 3.0; 店:丙 1 rating (1): too few
        ("2026-11-19 09:00:00", "店:甲", 5, "专业", "平台自动邀评"),
        ("2026-11-19 09:01:00", "店:甲", 3, "回复慢,态度差", "平台自动邀评"),
        ("2026-11-19 09:02:00", "店:甲", 1, "回复慢", "平台自动邀评"),
        ("2026-11-19 09:03:00", "店:乙", 4, "回复慢", "平台自动邀评"),  # not low: tag not counted
        ("2026-11-19 09:04:00", "店:乙", 2, "答非所问", "消费者自主评价"),
        ("2026-11-19 09:05:00", "店:丙", 1, None, "平台自动邀评"),
        ("2026-11-19 09:06:00", "服务助手", 5, None, "消费者自主评价"),
        ("2026-11-19 09:07:00", "服务助手", 4, None, "消费者自主评价"),
    ]
    result = compute_cs(ratings(rows), RULES, DAY, DAY)
    lowest = [(a.account, a.tally.average, a.low) for a in result.diagnosis.lowest_accounts]
    # equal averages: more ratings first; 服务助手 4.5 last; 店:丙 has < min_ratings (2)
    assert lowest == [("店:甲", 3.0, 2), ("店:乙", 3.0, 1), ("服务助手", 4.5, 0)]
    assert result.diagnosis.low_ratings == 4  # 3, 1, 2, 1
    assert list(result.diagnosis.low_rating_tags.items()) == [
        ("回复慢", 2),
        ("态度差", 1),
        ("答非所问", 1),
    ]


def test_diagnosis_limit() -> None:
    rows = [
        ("2026-11-19 09:00:00", f"店:{n}", s, f"标签{n}", "平台自动邀评")
        for n, s in (("a", 1), ("b", 2), ("c", 3))
        for _ in range(2)
    ]
    rules = replace(RULES, min_ratings=2, diagnosis_limit=2)
    result = compute_cs(ratings(rows), rules, DAY, DAY)
    assert [a.account for a in result.diagnosis.lowest_accounts] == ["店:a", "店:b"]
    assert result.diagnosis.low_rating_tags == {"标签a": 2, "标签b": 2}
    assert result.diagnosis.low_ratings == 6


def test_daily_trend_covers_every_day_of_a_longer_period() -> None:
    frame = ratings(
        [
            ("2026-11-17 09:00:00", "店:小王", 5, None, "平台自动邀评"),
            ("2026-11-17 10:00:00", "店:小王", 2, None, "平台自动邀评"),
            ("2026-11-17 11:00:00", "服务助手", 4, None, "消费者自主评价"),
            ("2026-11-17 12:00:00", "服务助手", 1, None, "平台自动邀评"),  # not counted
            ("2026-11-19 09:00:00", "店:小李", 4, None, "客服邀评"),
        ]
    )
    result = compute_cs(frame, RULES, date(2026, 11, 17), DAY)
    daily = [
        (d.day, d.human.count, d.human.average, d.bot.count, d.bot.average) for d in result.daily
    ]
    assert daily == [
        (date(2026, 11, 17), 2, 3.5, 1, 4.0),
        (date(2026, 11, 18), 0, None, 0, None),
        (date(2026, 11, 19), 1, 4.0, 0, None),
    ]


def test_one_day_has_no_trend_and_an_empty_export_gives_zeros() -> None:
    empty = ratings([])
    result = compute_cs(empty, RULES, DAY, DAY)
    assert result.daily == []
    assert (result.human.count, result.human.average, result.bot.count) == (0, None, 0)
    assert result.accounts == []
    assert result.diagnosis.lowest_accounts == [] and result.diagnosis.low_ratings == 0


def test_rules_from_the_shipped_config() -> None:
    rules = CsRules.from_config(load_config())
    assert rules.human_sources == ("平台自动邀评", "系统邀评", "客服邀评", "消费者自主评价")
    assert rules.bot_sources == ("消费者自主评价",)
    assert rules.bot_account == "服务助手"
    assert rules.no_tags_label == "暂无标签评价"
    assert rules.max_days == 90
    assert rules.low_score == 3
    assert rules.min_average == Fraction(9, 2)
