"""Polars expressions shared by the export frames: table lookups, times, yuan, 是/否, buyer
nicks and tracking numbers, written as the seller center writes them."""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from tmallcli.sample.world import BASE36, CARRIERS, CURATED_NICKS, ISO, NICK_WORDS


def lookup(values: Sequence[str], column: str | pl.Expr) -> pl.Expr:
    index = pl.col(column) if isinstance(column, str) else column
    table = pl.lit(pl.Series(list(values), dtype=pl.String))
    return pl.when(index >= 0).then(table.gather(index.clip(0, len(values) - 1)))


def timestamp(column: str, fmt: str = ISO) -> pl.Expr:
    value = pl.col(column)
    return pl.when(value >= 0).then(pl.from_epoch(value, time_unit="s").dt.strftime(fmt))


def yuan(column: str, yen: str | None = None) -> pl.Expr:
    fen = pl.col(column)
    text = pl.concat_str(
        (fen // 100).cast(pl.String), pl.lit("."), (fen % 100).cast(pl.String).str.zfill(2)
    )
    if yen is not None:
        text = pl.when(pl.col(yen)).then(pl.concat_str(pl.lit("¥"), text)).otherwise(text)
    return pl.when(fen >= 0).then(text)


def yes_no(column: str) -> pl.Expr:
    return pl.when(pl.col(column)).then(pl.lit("是")).otherwise(pl.lit("否"))


def nick(column: str, width: int) -> pl.Expr:
    """Taobao-like member names, one per buyer index and never two buyers alike: ``h`` is a
    bijection of the index onto [0, 36**width) (golden-ratio multiplier coprime with 36)."""
    modulus = 36**width
    multiplier = int(modulus * 0.6180339887)
    while math.gcd(multiplier, modulus) != 1:
        multiplier += 1
    b = pl.col(column)
    h = (b * multiplier + 97) % modulus
    style = h % 10
    base36 = [
        pl.lit(pl.Series(list(BASE36))).gather((h // 36**k) % 36) for k in range(width - 1, -1, -1)
    ]
    words = pl.lit(pl.Series(list(NICK_WORDS))).gather((h // 10) % len(NICK_WORDS))
    number = (h // 10 // len(NICK_WORDS)) * 5 + (style - 5) + 10_000
    return (
        pl.when(b < len(CURATED_NICKS))
        .then(lookup(CURATED_NICKS, b))
        .when(style < 4)
        .then(pl.concat_str(pl.lit("tb_"), *base36))
        .when(style == 4)
        .then(pl.concat_str(pl.lit("tb"), (h + 1_000_000_000).cast(pl.String)))
        .otherwise(pl.concat_str(words, number.cast(pl.String)))
    )


def tracking_number(digits: str, carrier: str) -> pl.Expr:
    """Carrier prefix + 11 scrambled digits: unique per package across the whole shop."""
    prefix = lookup([row[4] for row in CARRIERS], carrier)
    return pl.when(pl.col(digits) >= 0).then(
        pl.concat_str(prefix, pl.col(digits).cast(pl.String).str.zfill(11))
    )
