"""Value cleaning: the reader's fast path skips clean() only where it would change nothing."""

from __future__ import annotations

from datetime import datetime

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from tmallcli.exports.kinds import ValueType
from tmallcli.exports.values import (
    _PLAIN_ID,
    FALSE_WORDS,
    FAST_FORMS,
    FAST_PARSERS,
    INTERVENED_TEXTS,
    MONEY_NULL_TOKENS,
    NOT_INTERVENED_TEXTS,
    NOT_SHIPPED_TEXTS,
    NULL_TOKENS,
    SHIPPED_TEXTS,
    TRUE_WORDS,
    clean,
    fast_parse,
    form_of,
    needs_cleaning,
    parse,
    parse_text,
)
from tmallcli.text import config_text

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


# Cells near the fast forms: digits, IDs, amounts, times, and what turns them unusual.
near = st.text(
    alphabet=st.sampled_from("0123456789.-,:eE+ _aZ¥元") | st.sampled_from(SPECIAL), max_size=14
)
times = st.tuples(
    st.datetimes(),
    st.sampled_from(
        ["%Y-%m-%d %H:%M:%S", "%Y/%-m/%-d %-H:%M", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M"]
    ),
).map(lambda pair: pair[0].strftime(pair[1]))
# Yes/no words in every case, and their neighbours.
words = st.sampled_from([*TRUE_WORDS, *FALSE_WORDS, "Y", "No", "TRUE", "T", "是 ", "yes!", "2"])
words = words | st.sampled_from(TRUE_WORDS + FALSE_WORDS).map(str.upper)
# The texts of a shipping state and of an intervention, and their neighbours.
states = st.sampled_from(
    [
        *SHIPPED_TEXTS,
        *NOT_SHIPPED_TEXTS,
        *INTERVENED_TEXTS,
        *NOT_INTERVENED_TEXTS,
        " 未发货",
        "不需要客服介入 ",
        "无",
        "客服介入已完结",
        "Yes",
    ]
)
scores = st.sampled_from(["0", "1", "3", "5", "6", "5.0", "4分", "4 分", " 4", "05", "-5", "٣"])
fast_cells = st.one_of(
    cells,
    near,
    times,
    words,
    states,
    scores,
    st.from_regex(r"[¥￥]{0,2}-?[0-9]{1,20}(\.[0-9]{0,4})?", fullmatch=True),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(fast_cells, min_size=1, max_size=30), st.sampled_from(list(ValueType)))
def test_where_the_fast_path_sees_no_problem_it_reads_what_the_tolerant_path_reads(
    values: list[str], value_type: ValueType
) -> None:
    raw = pl.col("raw")
    value, problem = parse(raw, value_type)
    for form in FAST_FORMS.get(value_type, (None,)):
        fast_value, fast_problem = fast_parse(raw, value_type, form)
        frame = pl.DataFrame({"raw": values}).select(
            fast_value.alias("fast"),
            fast_problem.alias("fast_problem"),
            value.alias("value"),
            problem.alias("problem"),
        )
        for cell, (fast, fast_problem_, tolerant, problem_) in zip(
            values, frame.iter_rows(), strict=True
        ):
            if fast_problem_ is None:
                assert problem_ is None, (cell, value_type, form, problem_)
                assert fast == tolerant, (cell, value_type, form, fast, tolerant)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        near
        | st.from_regex(r"[+-]{0,2}[0-9]{1,22}", fullmatch=True)
        | st.text(alphabet=st.sampled_from("0123456789+-_ ١٣０１²"), max_size=8),
        min_size=1,
        max_size=30,
    )
)
def test_an_id_read_fast_is_one_the_plain_id_pattern_accepts(values: list[str]) -> None:
    # Digits alone are told by an integer cast, the rest by the pattern: the same cells.
    frame = pl.DataFrame({"raw": values}, schema={"raw": pl.String}).select(
        fast_parse(pl.col("raw"), ValueType.ID)[1].is_null().alias("fast"),
        pl.col("raw").str.contains(f"^{_PLAIN_ID}$").alias("pattern"),
    )
    assert frame["fast"].to_list() == frame["pattern"].to_list(), values


def test_the_usual_forms_are_read_fast() -> None:
    usual = {
        ValueType.MONEY: (["12.50", "0.00", "12.5", "7", "-0.00"], [1250, 0, 1250, 700, 0]),
        ValueType.ID: (["451437210064623119", "SF1464696919865", "JD-0012"], None),
        ValueType.IDS: (["SF1,YT2", "SF1464696919865"], None),
        ValueType.DATETIME: (["2026-11-20 23:59:59"], None),
        ValueType.BOOL: (["是", "否", None], [True, False, None]),
        ValueType.SCORE: (["1", "5", None], [1, 5, None]),
        ValueType.SHIPPED: (
            ["已发货", "卖家未发货", "是", "0", None],
            [True, False, True, False, None],
        ),
        ValueType.INTERVENED: (
            ["客服已介入", "不需要客服介入", "否", "1", None],
            [True, False, False, True, False],
        ),
    }
    assert set(usual) == set(FAST_PARSERS)
    for value_type, (values, expected) in usual.items():
        frame = pl.DataFrame({"raw": values}).select(
            fast_parse(pl.col("raw"), value_type)[0].alias("v"),
            fast_parse(pl.col("raw"), value_type)[1].alias("p"),
        )
        assert frame["p"].null_count() == len(values), value_type
        if expected is not None:
            assert frame["v"].to_list() == expected
    unusual = ["¥12.50", "1,234.00", "12.345", "-5.00", "+5", ".5", "1e5", "１２", " 5", "-", "无"]
    frame = pl.DataFrame({"raw": unusual}).select(fast_parse(pl.col("raw"), ValueType.MONEY)[1])
    assert frame.to_series().null_count() == 0
    scores = ["0", "6", "5.0", "5分", " 5", "５", "-1", "10", "", "-"]
    frame = pl.DataFrame({"raw": scores}).select(fast_parse(pl.col("raw"), ValueType.SCORE)[1])
    assert frame.to_series().null_count() == 0
    states = ["无", " 已发货", "已发货 ", "Y", "客服介入已完结", "-"]
    for value_type in (ValueType.SHIPPED, ValueType.INTERVENED):
        frame = pl.DataFrame({"raw": states}).select(fast_parse(pl.col("raw"), value_type)[1])
        assert frame.to_series().null_count() == 0, value_type
    ids = ["1.23457E+18", "null", "NaN", "-", '="123"', "SF1 ", "SF1,,YT2", ",SF1"]
    frame = pl.DataFrame({"raw": ids}).select(fast_parse(pl.col("raw"), ValueType.IDS)[1])
    assert frame.to_series().null_count() == 0


def test_each_form_reads_its_own_cells_fast() -> None:
    cases = {
        (ValueType.DATETIME, "%Y/%m/%d %H:%M"): (
            ["2026/5/29 6:22", "2026/11/20 23:59"],
            [datetime(2026, 5, 29, 6, 22), datetime(2026, 11, 20, 23, 59)],
            ["2026-05-29 06:22:00", "2026/5/29 6:22:05", "2026/5/29"],
        ),
        (ValueType.DATETIME, "%Y-%m-%d %H:%M"): (
            ["2026-05-29 06:22"],
            [datetime(2026, 5, 29, 6, 22)],
            ["2026/5/29 6:22", "2026-05-29 06:22:00"],
        ),
        (ValueType.BOOL, "Y/N"): (
            ["Y", "N", None],
            [True, False, None],
            ["y", "n", "是", "yes", "YES", " Y", "-", "无", "1"],
        ),
        (ValueType.BOOL, "1/0"): (["1", "0"], [True, False], ["Y", "是", "1.0", "01"]),
        (ValueType.MONEY, "¥￥"): (
            ["¥258.06", "￥12", "7.5", "¥-0.00"],
            [25806, 1200, 750, 0],
            ["¥¥1", "1¥", "¥ 1", "¥-5", "¥1,234.00", "RMB1"],
        ),
    }
    for (value_type, form), (usual, expected, other) in cases.items():
        frame = pl.DataFrame({"raw": usual + other}).select(
            fast_parse(pl.col("raw"), value_type, form)[0].alias("v"),
            fast_parse(pl.col("raw"), value_type, form)[1].alias("p"),
        )
        assert frame["v"].head(len(usual)).to_list() == expected, form
        assert frame["p"].head(len(usual)).null_count() == len(usual), form
        assert frame["p"].tail(len(other)).null_count() == 0, form


def test_a_column_is_read_in_the_form_most_of_its_first_cells_are_in() -> None:
    slash = pl.Series(["2026/5/29 6:22", None, "2026/6/1 10:00", "2026-06-01 10:00:00"])
    assert form_of(slash, ValueType.DATETIME) == "%Y/%m/%d %H:%M"
    usual = pl.Series(["2026-06-01 10:00:00", "2026/5/29 6:22", "2026-06-02 10:00:00"])
    assert form_of(usual, ValueType.DATETIME) == "%Y-%m-%d %H:%M:%S"
    # The marks' form reads plain amounts too; plain wins a tie (no mark in the sample).
    assert form_of(pl.Series(["1.00", "¥2.00", "3"]), ValueType.MONEY) == "¥￥"
    assert form_of(pl.Series(["1.00", "3"]), ValueType.MONEY) == ""
    assert form_of(pl.Series([None, None], dtype=pl.String), ValueType.DATETIME) is None
    assert form_of(pl.Series(["否", "否", "是"]), ValueType.BOOL) == "是/否"
    assert form_of(pl.Series(["N", None, "N"]), ValueType.BOOL) == "Y/N"
    assert form_of(pl.Series(["false", "TRUE", "false"]), ValueType.BOOL) == "true/false"


def test_config_words_compare_equal_to_the_export_text_they_name() -> None:
    # A status written in the config with a full-width comma and spaces matches the export's
    # cell as the reader reads it (SPEC §2: ， and , are the same).
    cell = "买家已付款，等待卖家发货"
    read = pl.DataFrame({"raw": [cell]}).select(parse_text(clean(pl.col("raw")))[0]).item()
    assert config_text(" 买家已付款，等待卖家发货 ") == read == "买家已付款,等待卖家发货"
    assert config_text(3) == "3"


def test_a_cs_grade_is_its_digit_a_word_or_a_bad_number() -> None:
    # parse_grade runs its regex as few times as it can: the values and problems it gave
    # when it extracted the number once and tested it in six places.
    from tmallcli.exports.values import parse_grade

    cells = ["5", "4.0", "5分", " 3 分 ", "05", "0", "3.00", "1\u3000分"]
    words = ["非常满意", "2.5", "4.", "4 .0", "分", "-1", None]
    bad = ["6", "7分", "５", "9" * 30]
    frame = pl.DataFrame({"raw": cells + words + bad})
    value, problem = parse_grade(pl.col("raw"))
    got = frame.select(value.alias("value"), problem.alias("problem"))
    assert got["value"].to_list() == ["5", "4", "5", "3", "5", "0", "3", "1", *words] + [None] * 4
    assert got["problem"].to_list() == [None] * 15 + ["not a score from 1 to 5"] * 4
