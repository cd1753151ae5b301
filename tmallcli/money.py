"""Money is integer fen (分) end to end; only the output shows yuan (SPEC §1 Money).

The compensation formula of SPEC §5 lives here, once: a rate of an amount rounded half up to
the fen (:func:`percent_of_fen`), at least a minimum (:func:`compensation_fen`), a group at
most a cap (:func:`capped_fen`). Each takes a plain ``int`` (the config's own checks, the
tests) or a Polars expression (the late-order, 缺货 and pickup metrics, the settlement the
``compensate`` command and the ledger record) and computes the same integers either way. It
sits here rather than in ``metrics/`` because it is arithmetic on fen with no rule of its own
about orders, and this module imports nothing heavy: the config and the renderers use it too.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    import polars as pl

# A rate as the config holds it: 30, or Decimal("12.5") for 12.5 %.
RatePercent = int | float | str | Decimal | Fraction


def yuan(fen: int) -> str:
    """Fen as a yuan string with two decimals: 1001 → ``"10.01"``, -5 → ``"-0.05"``."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole}.{cents:02d}"


def money_fields(fen: int) -> dict[str, int | str]:
    """Money in JSON (SPEC §1): integer fen and the yuan string, e.g. {"amount_fen": 1230, "amount": "12.30"}."""
    return {"amount_fen": fen, "amount": yuan(fen)}


@overload
def percent_of_fen(amount: int, rate_percent: RatePercent) -> int: ...
@overload
def percent_of_fen(amount: pl.Expr, rate_percent: RatePercent) -> pl.Expr: ...
def percent_of_fen(amount: int | pl.Expr, rate_percent: RatePercent) -> int | pl.Expr:
    """round_half_up(rate% × amount) in integer fen (e.g. 30% × 3335 fen = 1000.5 → 1001).

    Exact: the rate is a fraction p/q and the result ⌊(2p·amount + q) / 2q⌋, integers only
    (no float ever holds money; the amounts are never negative).
    """
    rate = Fraction(str(rate_percent)) / 100
    p, q = rate.numerator, rate.denominator
    return (amount * (2 * p) + q) // (2 * q)


@overload
def compensation_fen(amount: int, rate_percent: RatePercent, minimum_fen: int) -> int: ...
@overload
def compensation_fen(amount: pl.Expr, rate_percent: RatePercent, minimum_fen: int) -> pl.Expr: ...
def compensation_fen(
    amount: int | pl.Expr, rate_percent: RatePercent, minimum_fen: int
) -> int | pl.Expr:
    """One order's compensation: max(round_half_up(rate × amount), minimum) (SPEC §5:
    商品实际成交金额的30%, 单笔最低不少于5元; a 缺货 refund the same way).

    On an expression an unknown amount (null) is owed the minimum, as ``max_horizontal``
    skips nulls.
    """
    share = percent_of_fen(amount, rate_percent)
    if isinstance(share, int):
        return max(share, minimum_fen)
    import polars as pl

    return pl.max_horizontal(share, pl.lit(minimum_fen))


@overload
def capped_fen(total: int, cap_fen: int | None) -> int: ...
@overload
def capped_fen(total: pl.Expr, cap_fen: pl.Expr) -> pl.Expr: ...
def capped_fen(total: int | pl.Expr, cap_fen: int | pl.Expr | None) -> int | pl.Expr:
    """A group's compensation: min(cap, Σ its orders' amounts); no cap (None / null): the sum
    (SPEC §5: 24小时内的多笔交易合并计算最高不超过500元)."""
    if isinstance(total, int):
        return min(total, cap_fen) if isinstance(cap_fen, int) else total
    import polars as pl

    cap = cap_fen if isinstance(cap_fen, pl.Expr) else pl.lit(cap_fen, pl.Int64)
    return pl.when(cap.is_null()).then(total).otherwise(pl.min_horizontal(total, cap))
