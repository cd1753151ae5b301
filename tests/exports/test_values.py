"""Value cleaning: the reader's fast path skips clean() only where it would change nothing."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from tmallcli.exports.values import MONEY_NULL_TOKENS, NULL_TOKENS, clean, needs_cleaning

# Cells as exports write them, plus every character clean() treats specially.
SPECIAL = " \t\r\n\u3000\u00a0=\"'，,-无"
cells = st.one_of(
    st.sampled_from(NULL_TOKENS + MONEY_NULL_TOKENS),
    st.text(alphabet=st.sampled_from(SPECIAL) | st.characters(codec="utf-8"), max_size=12),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(cells, min_size=1, max_size=30), st.booleans())
def test_a_cell_that_needs_no_cleaning_is_what_clean_returns(
    values: list[str], money: bool
) -> None:
    extra = MONEY_NULL_TOKENS if money else None
    frame = pl.DataFrame({"raw": values}).select(
        pl.col("raw"),
        clean(pl.col("raw"), extra).alias("cleaned"),
        needs_cleaning(pl.col("raw"), extra).alias("needs"),
    )
    for raw, cleaned, needs in frame.iter_rows():
        if not needs:
            assert cleaned == raw, (raw, cleaned)


def test_cells_that_need_cleaning_are_flagged() -> None:
    values = ['="2026"', " 12.50", "12.50 ", "'123", "无", "-", "", "\u3000a", "a\t", '"x"']
    flags = pl.DataFrame({"raw": values}).select(needs_cleaning(pl.col("raw")))["raw"]
    assert flags.to_list() == [True] * len(values)
    clean_values = ["2026-11-20 10:00:00", "SF123", "买家已付款，等待卖家发货", "12.50", "a b"]
    flags = pl.DataFrame({"raw": clean_values}).select(needs_cleaning(pl.col("raw")))["raw"]
    assert flags.to_list() == [False] * len(clean_values)
