"""The 30-day figures (旺旺响应率, 人工平均响应时长, 3分钟人工响应率) overall and per date, hour
and account, and the days that leave the window (SPEC §6, §7)."""

from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

import polars as pl

from tmallcli.metrics.response.conversations import (
    consultations,
    in_order,
    mark_replies,
    messages,
    turns,
)
from tmallcli.metrics.response.results import (
    AccountStats,
    Consultation,
    Counts,
    DayStats,
    HourStats,
    LeavingDay,
    ResponseResult,
)
from tmallcli.metrics.response.rules import (
    ResponseRules,
)
from tmallcli.timeframe import AsOf


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
    marked = mark_replies(ordered)
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
