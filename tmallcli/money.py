"""Money is integer fen (分) end to end; only the output shows yuan (SPEC §1 Money)."""

from __future__ import annotations


def yuan(fen: int) -> str:
    """Fen as a yuan string with two decimals: 1001 → ``"10.01"``, -5 → ``"-0.05"``."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole}.{cents:02d}"


def money_fields(fen: int) -> dict[str, int | str]:
    """Money in JSON (SPEC §1): integer fen and the yuan string, e.g. {"amount_fen": 1230, "amount": "12.30"}."""
    return {"amount_fen": fen, "amount": yuan(fen)}
