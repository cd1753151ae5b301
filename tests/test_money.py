"""The compensation formula of SPEC §5 (tmallcli.money): the same integers from a number and
from a Polars expression."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from tmallcli.money import capped_fen, compensation_fen, percent_of_fen, yuan


def test_percent_rounds_half_up_to_the_fen() -> None:
    frame = pl.DataFrame({"amount": [3335, 3334, 1000, 1]})
    assert frame.select(percent_of_fen(pl.col("amount"), 30)).to_series().to_list() == [
        1001,  # 1000.5 → 1001
        1000,  # 1000.2
        300,
        0,  # 0.3
    ]


def test_late_amount_has_a_five_yuan_minimum() -> None:
    frame = pl.DataFrame({"amount": [3335, 1000, 0]})
    assert frame.select(compensation_fen(pl.col("amount"), 30, 500)).to_series().to_list() == [
        1001,
        500,
        500,
    ]


@pytest.mark.parametrize(
    ("amount", "rate", "expected"),
    [
        (3335, 30, 1001),
        (3334, 30, 1000),
        (10_005, 30, 3002),
        (10_004, Decimal("12.5"), 1251),
        (1, 30, 0),
    ],
)
def test_a_number_and_an_expression_round_alike(
    amount: int, rate: int | Decimal, expected: int
) -> None:
    assert percent_of_fen(amount, rate) == expected
    frame = pl.DataFrame({"amount": [amount]})
    assert frame.select(percent_of_fen(pl.col("amount"), rate)).item() == expected
    assert compensation_fen(amount, rate, 500) == max(expected, 500)
    assert frame.select(compensation_fen(pl.col("amount"), rate, 500)).item() == max(expected, 500)


def test_an_unknown_amount_is_owed_the_minimum() -> None:
    frame = pl.DataFrame({"amount": [None]}, schema={"amount": pl.Int64})
    assert frame.select(compensation_fen(pl.col("amount"), 30, 500)).item() == 500


def test_a_group_is_capped_unless_it_has_no_cap() -> None:
    assert (capped_fen(54_000, 50_000), capped_fen(36_000, 50_000), capped_fen(54_000, None)) == (
        50_000,
        36_000,
        54_000,
    )
    frame = pl.DataFrame(
        {"total": [54_000, 36_000, 54_000], "cap": [50_000, 50_000, None]},
        schema={"total": pl.Int64, "cap": pl.Int64},
    )
    got = frame.select(capped_fen(pl.col("total"), pl.col("cap"))).to_series().to_list()
    assert got == [50_000, 36_000, 54_000]


def test_yuan_shows_two_decimals() -> None:
    assert (yuan(1001), yuan(-5), yuan(0)) == ("10.01", "-0.05", "0.00")
