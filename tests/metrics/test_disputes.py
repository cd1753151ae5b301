"""投诉成立率: window T−34 … T−5 by judging date, platform-intervened only, per order paid."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from tmallcli.metrics.disputes import compute_complaint_rate
from tmallcli.timeframe import resolve_as_of

AS_OF = resolve_as_of("2026-11-20")  # window 2026-10-17 … 2026-11-15


def complaints(rows: list[tuple]) -> pl.LazyFrame:
    return pl.DataFrame(
        rows,
        schema={
            "complaint_id": pl.String,
            "order_id": pl.String,
            "created_at": pl.Datetime("us"),
            "judged_at": pl.Datetime("us"),
            "established": pl.Boolean,
            "platform_intervened": pl.Boolean,
            "type": pl.String,
        },
        orient="row",
    ).lazy()


def orders(paid: list[datetime | None]) -> pl.LazyFrame:
    return pl.DataFrame(
        {"order_id": [str(i) for i in range(len(paid))], "paid_at": paid},
        schema={"order_id": pl.String, "paid_at": pl.Datetime("us")},
    ).lazy()


def test_window_edges_intervention_and_denominator() -> None:
    created = datetime(2026, 10, 1)
    rows = [
        ("c1", "1", created, datetime(2026, 10, 16, 23, 59), True, True, "x"),  # T−35: out
        ("c2", "1", created, datetime(2026, 10, 17, 0, 0), True, True, "x"),  # T−34: in
        ("c3", "1", created, datetime(2026, 11, 15, 23, 59), True, True, "x"),  # T−5: in
        ("c4", "1", created, datetime(2026, 11, 16, 0, 0), True, True, "x"),  # T−4: not yet counted
        ("c5", "1", created, datetime(2026, 11, 1), False, True, "x"),  # not established
        (
            "c6",
            "1",
            created,
            datetime(2026, 11, 1),
            True,
            False,
            "x",
        ),  # settled without the platform
        ("c7", "1", created, None, True, True, "x"),  # not judged yet
    ]
    paid = [
        datetime(2026, 10, 16, 23, 59),
        datetime(2026, 10, 17),
        datetime(2026, 11, 15, 12),
        datetime(2026, 11, 16),
        None,
    ]
    result = compute_complaint_rate(complaints(rows), orders(paid), AS_OF)
    assert result.window == (date(2026, 10, 17), date(2026, 11, 15))
    assert result.established == 2
    assert [c["complaint_id"] for c in result.complaints] == ["c2", "c3"]
    assert result.orders_paid == 2
    assert result.rate == 1.0
    assert result.settled_without_platform == 1


def test_without_orders_the_rate_is_unknown() -> None:
    result = compute_complaint_rate(complaints([]), None, AS_OF)
    assert result.rate is None and result.orders_paid is None
