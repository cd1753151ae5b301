"""Value parsing as Polars expressions: one raw String column in, one typed column out.

Each parser returns ``(value, problem)``: ``problem`` is a String expression that is null
when the cell is fine and otherwise says what is wrong with it. The reader turns the
first problem into an error naming file, line, column and value (SPEC §2).
"""

from __future__ import annotations

import polars as pl

from tmallcli.exports.kinds import ValueType

# SPEC §2: cells that mean "no value". `延迟统计` is a figure the platform has not computed yet.
NULL_TOKENS = ["", "null", "NULL", "Null", "NaN", "nan", "-", "--", "无", "延迟统计"]
MONEY_NULL_TOKENS = ["无退款申请"]

TRUE_WORDS = ["是", "y", "yes", "true", "1", "t"]
FALSE_WORDS = ["否", "n", "no", "false", "0", "f"]

_SCI_ID = r"^[0-9](?:\.[0-9]+)?[eE][+-]?[0-9]+$"
_SCI_IN_LIST = r"(?:^|,)[0-9](?:\.[0-9]+)?[eE][+-]?[0-9]+(?:,|$)"
_DATETIME = (
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?)?$"
)
_MONEY = r"^(-?)(\d+)(?:\.(\d*))?$"

Parsed = tuple[pl.Expr, pl.Expr]


def clean(raw: pl.Expr, extra_nulls: list[str] | None = None) -> pl.Expr:
    """Strip Excel protection (``="…"``, a leading ``'``, tabs) and turn null tokens into nulls."""
    text = (
        raw.str.strip_chars(" \t\r\n\u3000")
        .str.replace(r'^="(.*)"$', "$1")
        .str.strip_prefix("'")
        .str.strip_chars(" \t\u3000")
    )
    tokens = NULL_TOKENS + (extra_nulls or [])
    return pl.when(text.is_in(tokens)).then(pl.lit(None, pl.String)).otherwise(text)


def _problem(condition: pl.Expr, message: str) -> pl.Expr:
    return pl.when(condition).then(pl.lit(message)).otherwise(pl.lit(None, pl.String))


def parse_id(text: pl.Expr) -> Parsed:
    bad = text.str.contains(_SCI_ID)
    problem = _problem(
        bad, "ID in scientific notation (mangled by Excel; the original number cannot be recovered)"
    )
    return pl.when(bad).then(None).otherwise(text), problem


def parse_ids(text: pl.Expr) -> Parsed:
    """Several tracking numbers joined by , ; ， or spaces → one comma-joined string."""
    joined = text.str.replace_all(r"[,;，；\s]+", ",").str.strip_chars(",")
    bad = joined.str.contains(_SCI_IN_LIST)
    problem = _problem(
        bad, "ID in scientific notation (mangled by Excel; the original number cannot be recovered)"
    )
    return pl.when(bad).then(None).otherwise(joined), problem


def parse_text(text: pl.Expr) -> Parsed:
    # 买家已付款，等待卖家发货 and 买家已付款,等待卖家发货 are the same status.
    return text.str.replace_all("，", ",", literal=True), pl.lit(None, pl.String)


def parse_freetext(text: pl.Expr) -> Parsed:
    return text, pl.lit(None, pl.String)


def parse_money(text: pl.Expr) -> Parsed:
    """``12.5``, ``¥12.50``, ``￥1,234.00``, ``1234元`` → integer fen. Negative money is an error."""
    bare = text.str.replace_all(r"[¥￥元,，\s]", "").str.replace(r"^RMB", "")
    parts = bare.str.extract_groups(_MONEY)
    sign, whole, frac = parts.struct.field("1"), parts.struct.field("2"), parts.struct.field("3")
    frac = frac.fill_null("")
    extra = frac.str.slice(2)
    cents = frac.str.slice(0, 2).str.pad_end(2, "0")
    fen = whole.cast(pl.Int64, strict=False) * 100 + cents.cast(pl.Int64, strict=False)
    malformed = text.is_not_null() & (whole.is_null() | fen.is_null())
    too_precise = text.is_not_null() & whole.is_not_null() & (extra.str.replace_all("0", "") != "")
    negative = text.is_not_null() & (sign == "-")
    problem = (
        pl.when(malformed)
        .then(pl.lit("not an amount of money"))
        .when(too_precise)
        .then(pl.lit("money with more than 2 decimals (fen)"))
        .when(negative)
        .then(pl.lit("negative money"))
        .otherwise(pl.lit(None, pl.String))
    )
    value = pl.when(problem.is_null()).then(fen).otherwise(pl.lit(None, pl.Int64))
    return value, problem


def parse_datetime(text: pl.Expr) -> Parsed:
    """``2026-11-05 18:37:00``, ``2026-11-05 18:37``, ``2026/11/5 18:37:00``, ``2026-11-05``."""
    parts = text.str.extract_groups(_DATETIME)

    def field(name: str, width: int, default: str) -> pl.Expr:
        return parts.struct.field(name).fill_null(default).str.pad_start(width, "0")

    canonical = pl.concat_str(
        [
            field("1", 4, "0"),
            pl.lit("-"),
            field("2", 2, "0"),
            pl.lit("-"),
            field("3", 2, "0"),
            pl.lit(" "),
            field("4", 2, "00"),
            pl.lit(":"),
            field("5", 2, "00"),
            pl.lit(":"),
            field("6", 2, "00"),
        ]
    )
    value = (
        pl.when(parts.struct.field("1").is_not_null())
        .then(canonical)
        .otherwise(pl.lit(None, pl.String))
        .str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)
    )
    problem = _problem(text.is_not_null() & value.is_null(), "not a date/time")
    return value, problem


def _bool_words(text: pl.Expr) -> pl.Expr:
    lowered = text.str.to_lowercase()
    return (
        pl.when(lowered.is_in(TRUE_WORDS))
        .then(pl.lit(True))
        .when(lowered.is_in(FALSE_WORDS))
        .then(pl.lit(False))
        .otherwise(pl.lit(None, pl.Boolean))
    )


def parse_bool(text: pl.Expr) -> Parsed:
    value = _bool_words(text)
    return value, _problem(text.is_not_null() & value.is_null(), "not a yes/no value (是/否)")


def parse_shipped(text: pl.Expr) -> Parsed:
    words = _bool_words(text)
    value = (
        pl.when(words.is_not_null())
        .then(words)
        .when(text.is_in(["已发货", "卖家已发货"]))
        .then(pl.lit(True))
        .when(text.is_in(["未发货", "卖家未发货"]))
        .then(pl.lit(False))
        .otherwise(pl.lit(None, pl.Boolean))
    )
    return value, _problem(
        text.is_not_null() & value.is_null(), "not a shipping state (已发货/未发货)"
    )


def parse_intervened(text: pl.Expr) -> Parsed:
    """A yes/no value or a 客服介入状态 text: anything but 无 / 不需要客服介入 / empty is intervention."""
    words = _bool_words(text)
    value = (
        pl.when(text.is_null() | text.is_in(["不需要客服介入", "无需客服介入", "未介入"]))
        .then(pl.lit(False))
        .when(words.is_not_null())
        .then(words)
        .otherwise(pl.lit(True))
    )
    return value, pl.lit(None, pl.String)


def parse_ruling(text: pl.Expr) -> Parsed:
    value = (
        pl.when(text == "卖家")
        .then(pl.lit("卖家责任"))
        .when(text == "买家")
        .then(pl.lit("买家责任"))
        .otherwise(text)
    )
    return value, pl.lit(None, pl.String)


def parse_score(text: pl.Expr) -> Parsed:
    digits = text.str.extract(r"^([1-5])(?:\.0+)?\s*分?$", 1)
    value = digits.cast(pl.Int8, strict=False)
    return value, _problem(text.is_not_null() & value.is_null(), "not a score from 1 to 5")


PARSERS = {
    ValueType.ID: parse_id,
    ValueType.IDS: parse_ids,
    ValueType.TEXT: parse_text,
    ValueType.FREETEXT: parse_freetext,
    ValueType.MONEY: parse_money,
    ValueType.DATETIME: parse_datetime,
    ValueType.BOOL: parse_bool,
    ValueType.SCORE: parse_score,
    ValueType.INTERVENED: parse_intervened,
    ValueType.SHIPPED: parse_shipped,
    ValueType.RULING: parse_ruling,
}


def parse(raw: pl.Expr, value_type: ValueType) -> Parsed:
    text = clean(raw, MONEY_NULL_TOKENS if value_type is ValueType.MONEY else None)
    return PARSERS[value_type](text)
