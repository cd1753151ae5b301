"""Value parsing as Polars expressions: one raw String column in, one typed column out.

Each parser returns ``(value, problem)``: ``problem`` is a String expression that is null
when the cell is fine and otherwise says what is wrong with it. The reader turns the
first problem into an error naming file, line, column and value (SPEC §2).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from tmallcli.exports.kinds import ValueType
from tmallcli.i18n import N_
from tmallcli.text import COMMA, FULL_WIDTH_COMMA

# SPEC §2: cells that mean "no value". `延迟统计` is a figure the platform has not computed yet.
_SPACE = " \t\r\n\u3000"
NULL_TOKENS = ["", "null", "NULL", "Null", "NaN", "nan", "-", "--", "无", "延迟统计"]
MONEY_NULL_TOKENS = ["无退款申请"]

TRUE_WORDS = ["是", "y", "yes", "true", "1", "t"]
FALSE_WORDS = ["否", "n", "no", "false", "0", "f"]


Parsed = tuple[pl.Expr, pl.Expr]


def clean(raw: pl.Expr, extra_nulls: list[str] | None = None) -> pl.Expr:
    """Strip Excel protection (``="…"``, a leading ``'``, tabs) and turn null tokens into nulls.

    Three literal string operations per cell and no regex: a regex per cell costs seconds on
    ten million rows. Quotes and ``=`` at the ends of a cell are never part of an ID, amount,
    date or a status; in a buyer's comment losing them changes nothing that is matched.
    """
    text = raw.str.strip_chars(_SPACE).str.strip_prefix("=").str.strip_chars(_SPACE + "\"'")
    tokens = NULL_TOKENS + (extra_nulls or [])
    return pl.when(text.is_in(tokens)).then(pl.lit(None, pl.String)).otherwise(text)


# A cell :func:`clean` would change: whitespace, ``=`` or a quote at its start, whitespace or
# a quote at its end (\s is Unicode whitespace: a superset of _SPACE), or a null token. Two
# anchored regexes: as one alternation the end test scans every character of a long cell
# (0.19 s instead of 0.07 s for 3 M tracking texts).
_UNCLEAN_START = r"^[\s=\"']"
_UNCLEAN_END = r"[\s\"']$"


def needs_cleaning(raw: pl.Expr, extra_nulls: list[str] | None = None) -> pl.Expr:
    """True where ``clean(raw)`` may differ from ``raw``; where it is false they are equal.

    Two anchored regexes and one hash lookup per cell: a quarter of what :func:`clean` costs, so
    the reader's fast path parses raw cells and sends a file with any such cell to the
    tolerant path instead.
    """
    return (
        raw.str.contains(_UNCLEAN_START)
        | raw.str.contains(_UNCLEAN_END)
        | raw.is_in(NULL_TOKENS + (extra_nulls or []))
    )


def _problem(condition: pl.Expr, message: str) -> pl.Expr:
    return pl.when(condition).then(pl.lit(message)).otherwise(pl.lit(None, pl.String))


def _scientific(text: pl.Expr) -> pl.Expr:
    """Excel's ``1.23457E+18``: a digit first and an exponent (literal tests, no regex)."""
    exponent = text.str.contains("E+", literal=True) | text.str.contains("e+", literal=True)
    return exponent & text.str.slice(0, 1).is_in(list("0123456789"))


_SCI_MESSAGE = N_(
    "ID in scientific notation (mangled by Excel; the original number cannot be recovered)"
)


def parse_id(text: pl.Expr) -> Parsed:
    bad = _scientific(text)
    return pl.when(bad).then(None).otherwise(text), _problem(bad, _SCI_MESSAGE)


def parse_ids(text: pl.Expr) -> Parsed:
    """Several tracking numbers joined by , ; ， or spaces → one comma-joined string."""
    joined = text.str.replace_all(r"[,;，；\s]+", ",").str.strip_chars(",")
    bad = _scientific(text)
    return pl.when(bad).then(None).otherwise(joined), _problem(bad, _SCI_MESSAGE)


def parse_text(text: pl.Expr) -> Parsed:
    # 买家已付款，等待卖家发货 and 买家已付款,等待卖家发货 are the same status. Rewritten only
    # where there is a full-width comma: a third less than rewriting every cell.
    value = (
        pl.when(text.str.contains(FULL_WIDTH_COMMA, literal=True))
        .then(text.str.replace_all(FULL_WIDTH_COMMA, COMMA, literal=True))
        .otherwise(text)
    )
    return value, pl.lit(None, pl.String)


def parse_freetext(text: pl.Expr) -> Parsed:
    return text, pl.lit(None, pl.String)


def parse_money(text: pl.Expr) -> Parsed:
    """``12.5``, ``¥12.50``, ``￥1,234.00``, ``1234元`` → integer fen. Negative money is an error.

    One regex strips the currency marks and separators (cheaper than seven literal passes);
    the digits are then read as integers: no float ever holds money.
    """
    bare = text.str.replace_all(r"[¥￥元,，\s]|RMB", "")
    well_formed = bare.str.contains(r"^-?\d+(?:\.\d*)?$")
    parts = bare.str.strip_prefix("-").str.split_exact(".", 1)
    frac = parts.struct.field("field_1").fill_null("")
    fen = parts.struct.field("field_0").cast(pl.Int64, strict=False) * 100 + frac.str.slice(
        0, 2
    ).str.pad_end(2, "0").cast(pl.Int64, strict=False)
    problem = (
        pl.when(text.is_not_null() & ~well_formed)
        .then(pl.lit(N_("not an amount of money")))
        .when(text.is_not_null() & frac.str.slice(2).str.contains("[1-9]"))
        .then(pl.lit(N_("money with more than 2 decimals (fen)")))
        .when(text.is_not_null() & bare.str.starts_with("-") & (fen != 0))
        .then(pl.lit(N_("negative money")))
        .otherwise(pl.lit(None, pl.String))
    )
    return fen, problem


# The form a time is brought to (tolerant path), and the only one read fast.
CANONICAL_DATETIME = "%Y-%m-%d %H:%M:%S"


def parse_datetime(text: pl.Expr) -> Parsed:
    """``2026-11-05 18:37:00``, ``2026-11-05 18:37``, ``2026/11/5 18:37:00``, ``2026-11-05``.

    The text is brought to ``Y-M-D H:M:S`` by counting colons, then parsed once: one
    strptime per cell instead of a regex (chrono accepts unpadded months, days and hours).
    """
    dashed = text.str.replace_all("/", "-", literal=True)
    colons = dashed.str.count_matches(":", literal=True)
    canonical = (
        pl.when(colons == 2)
        .then(dashed)
        .when(colons == 1)
        .then(dashed + ":00")
        .otherwise(dashed + " 00:00:00")
    )
    value = canonical.str.strptime(pl.Datetime("us"), CANONICAL_DATETIME, strict=False, cache=False)
    problem = _problem(text.is_not_null() & value.is_null(), N_("not a date/time"))
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
    return value, _problem(text.is_not_null() & value.is_null(), N_("not a yes/no value (是/否)"))


# The texts of a shipping state (是否已发货 may also hold a yes/no word).
SHIPPED_TEXTS = ("已发货", "卖家已发货")
NOT_SHIPPED_TEXTS = ("未发货", "卖家未发货")


def parse_shipped(text: pl.Expr) -> Parsed:
    words = _bool_words(text)
    value = (
        pl.when(words.is_not_null())
        .then(words)
        .when(text.is_in(SHIPPED_TEXTS))
        .then(pl.lit(True))
        .when(text.is_in(NOT_SHIPPED_TEXTS))
        .then(pl.lit(False))
        .otherwise(pl.lit(None, pl.Boolean))
    )
    return value, _problem(
        text.is_not_null() & value.is_null(), N_("not a shipping state (已发货/未发货)")
    )


# 客服介入状态 texts that say the platform did not step in; any other text says it did.
NOT_INTERVENED_TEXTS = ("不需要客服介入", "无需客服介入", "未介入")
# The texts of an intervention exports write (read fast; any other text the tolerant way).
INTERVENED_TEXTS = (
    "客服已介入",
    "客服介入中",
    "需要客服介入",
    "小二已介入",
    "小二介入中",
    "已介入",
)


def parse_intervened(text: pl.Expr) -> Parsed:
    """A yes/no value or a 客服介入状态 text: anything but 无 / 不需要客服介入 / empty is intervention."""
    words = _bool_words(text)
    value = (
        pl.when(text.is_null() | text.is_in(NOT_INTERVENED_TEXTS))
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
    return value, _problem(text.is_not_null() & value.is_null(), N_("not a score from 1 to 5"))


def parse_grade(text: pl.Expr) -> Parsed:
    """A 客服评价 grade as written: a number 0–5 (``5``, ``4.0``, ``5分``) becomes its digit, a
    word (非常满意) stays as it is; the config maps both (a 0–4 open-platform code is told
    from a 1–5 score by the file's form, :mod:`tmallcli.metrics.cs_ratings`). A number out of
    range is a bad value."""
    # Polars evaluates each use of an expression again: the grade and its problem run the
    # regex four times, two of them a plain match, where extracting the number once and
    # testing it ran it six times (417 k grades of a 10 M-order shop: 0.49 s → 0.26 s).
    number = r"^\s*(\d+)(?:\.0+)?\s*分?\s*$"
    matched = text.str.contains(number)
    digit = text.str.extract(number, 1).cast(pl.Int64, strict=False)
    # The digit as text, null when out of 0–5 (or too long to be a number): a bad value.
    grade = digit.replace_strict(
        {n: str(n) for n in range(6)}, default=None, return_dtype=pl.String
    )
    value = pl.when(matched).then(grade).otherwise(text)
    return value, _problem(matched & grade.is_null(), N_("not a score from 1 to 5"))


PARSERS = {
    ValueType.ID: parse_id,
    ValueType.IDS: parse_ids,
    ValueType.TEXT: parse_text,
    ValueType.FREETEXT: parse_freetext,
    ValueType.MONEY: parse_money,
    ValueType.DATETIME: parse_datetime,
    ValueType.BOOL: parse_bool,
    ValueType.SCORE: parse_score,
    ValueType.GRADE: parse_grade,
    ValueType.INTERVENED: parse_intervened,
    ValueType.SHIPPED: parse_shipped,
    ValueType.RULING: parse_ruling,
}


# ---------------------------------------------------------------------------- the fast path
# The forms nearly every export writes its cells in, parsed straight from the raw cell: no
# cleaning, one cheap test. A cell in any other form (or a bad one) is a problem, and the
# reader then reads the file the tolerant way (clean + PARSERS). Where a fast parser finds no
# problem its value is what the tolerant path gives (tests/exports/test_values.py).


def _unusual(raw: pl.Expr, usual: pl.Expr) -> pl.Expr:
    return pl.when(raw.is_not_null() & ~usual.fill_null(False)).then(pl.lit("unusual form"))


def fast_datetime(raw: pl.Expr, form: str = CANONICAL_DATETIME) -> Parsed:
    """A time in ``form`` (one of :data:`DATETIME_FORMS`; a null token does not parse).

    Without Polars' cache of the distinct texts: times to the second hardly repeat, and
    looking each up costs more than parsing it (1 M paid times: 40 ms against 23 ms)."""
    value = raw.str.strptime(pl.Datetime("us"), form, strict=False, cache=False)
    return value, _unusual(raw, value.is_not_null())


def fast_money(raw: pl.Expr, form: str = "") -> Parsed:
    """``12.50``, ``12.5``, ``12``, ``0.00``: ASCII digits, at most 2 decimals, not negative;
    with ``form`` ``¥￥`` (:data:`MONEY_FORMS`) a cell may start with one of those marks.

    A Decimal cast and one anchored regex: a sixth of :func:`parse_money`'s cost (its regex
    replace of currency marks dominates the reading of a 10 M-order export).
    """
    mark = f"[{form}]?" if form else ""
    shape = raw.str.contains(f"^{mark}-?[0-9]+(?:\\.[0-9]{{0,2}})?$")
    amount = raw.str.strip_chars_start(form) if form else raw
    value = (amount.cast(pl.Decimal(38, 2), strict=False) * 100).cast(pl.Int64, strict=False)
    return value, _unusual(raw, shape & (value >= 0))


# ASCII letters, digits, ``_`` and ``-`` with a digit somewhere: never a null token, never
# Excel's 1.23E+18, nothing clean() strips; IDS: such IDs joined by single commas.
_PLAIN_ID = r"[0-9A-Za-z_-]*[0-9][0-9A-Za-z_-]*"


def _digits(raw: pl.Expr) -> pl.Expr:
    """True for digits alone (what an integer cast reads, less a leading ``+``): a plain ID,
    told at a third of the regex's cost, which only the other cells are left to."""
    return raw.cast(pl.UInt64, strict=False).is_not_null() & ~raw.str.starts_with("+")


def fast_id(raw: pl.Expr) -> Parsed:
    plain = pl.when(_digits(raw)).then(pl.lit(True)).otherwise(raw.str.contains(f"^{_PLAIN_ID}$"))
    return raw, _unusual(raw, plain)


def fast_ids(raw: pl.Expr) -> Parsed:
    return raw, _unusual(raw, raw.str.contains(f"^{_PLAIN_ID}(?:,[0-9A-Za-z_-]+)*$"))


# The pairs of yes/no words an export writes, ``yes/no``: each pair of TRUE_WORDS and
# FALSE_WORDS as written, in capitals and capitalised (是/否, Y/N, y/n, Yes/No, TRUE/FALSE …).
BOOL_FORMS = tuple(
    dict.fromkeys(
        f"{case(yes)}/{case(no)}"
        for yes, no in zip(TRUE_WORDS, FALSE_WORDS, strict=True)
        for case in (str, str.upper, str.capitalize)
    )
)


def fast_bool(raw: pl.Expr, form: str = BOOL_FORMS[0]) -> Parsed:
    """A yes/no cell in ``form`` (one of :data:`BOOL_FORMS`): two comparisons per cell instead
    of a lower-casing and two hash lookups (a third of a 10 M-message chat export's parse)."""
    yes, no = form.split("/")
    value = (
        pl.when(raw == yes)
        .then(pl.lit(True))
        .when(raw == no)
        .then(pl.lit(False))
        .otherwise(pl.lit(None, pl.Boolean))
    )
    return value, _unusual(raw, value.is_not_null())


def fast_score(raw: pl.Expr) -> Parsed:
    """A score written as one digit 1–5: an integer cast and a length test instead of a
    regex extract (three DSR columns were a third of a reviews export's parse)."""
    value = raw.cast(pl.Int8, strict=False)
    usual = (raw.str.len_bytes() == 1) & value.is_between(1, 5)
    return pl.when(usual).then(value), _unusual(raw, usual)


def _fast_words(raw: pl.Expr, yes: tuple[str, ...], no: tuple[str, ...]) -> tuple[pl.Expr, pl.Expr]:
    """``(yes, no)``: is the raw cell one of the ``yes`` texts or a yes word as
    :data:`TRUE_WORDS` writes it, one of the ``no`` texts or a no word (null for a null cell)."""
    return raw.is_in([*yes, *TRUE_WORDS]), raw.is_in([*no, *FALSE_WORDS])


def fast_shipped(raw: pl.Expr) -> Parsed:
    """A shipping state written as one of its texts or a yes/no word: two hash lookups per
    cell instead of a lower-casing, four lookups and the cleaning test (a refunds export's
    是否已发货: 0.14 s → 0.01 s for 900 k cells)."""
    yes, no = _fast_words(raw, SHIPPED_TEXTS, NOT_SHIPPED_TEXTS)
    value = pl.when(yes).then(pl.lit(True)).when(no).then(pl.lit(False))
    return value.otherwise(pl.lit(None, pl.Boolean)), _unusual(raw, yes | no)


def fast_intervened(raw: pl.Expr) -> Parsed:
    """A 客服介入状态 text of :data:`INTERVENED_TEXTS` or :data:`NOT_INTERVENED_TEXTS`, or a
    yes/no word; an empty cell is no intervention (as :func:`parse_intervened` reads it)."""
    yes, no = _fast_words(raw, INTERVENED_TEXTS, NOT_INTERVENED_TEXTS)
    return (~no).fill_null(False), _unusual(raw, yes | no)


# A type's fast parser: ``parser(raw)``, and for a type of FAST_FORMS ``parser(raw, form)``.
FAST_PARSERS: dict[ValueType, Callable[..., Parsed]] = {
    ValueType.DATETIME: fast_datetime,
    ValueType.MONEY: fast_money,
    ValueType.ID: fast_id,
    ValueType.IDS: fast_ids,
    ValueType.BOOL: fast_bool,
    ValueType.SCORE: fast_score,
    ValueType.SHIPPED: fast_shipped,
    ValueType.INTERVENED: fast_intervened,
}


# The forms a type's fast parser reads, the usual one first. Exports of one kind write a
# column in one form, but the kinds differ: the refunds export writes ``2026/5/29 6:22`` and
# ``¥258.06`` where the orders export writes ``2026-05-29 06:22:00`` and ``258.06``. The
# reader gives each column the form its file's first records use (:func:`form_of`); a cell
# in another form is still a problem, which sends the file to the tolerant path.
DATETIME_FORMS = (CANONICAL_DATETIME, "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M")
MONEY_FORMS = ("", "¥￥")
FAST_FORMS: dict[ValueType, tuple[str, ...]] = {
    ValueType.DATETIME: DATETIME_FORMS,
    ValueType.MONEY: MONEY_FORMS,
    ValueType.BOOL: BOOL_FORMS,
}


def form_of(sample: pl.Series, value_type: ValueType) -> str | None:
    """The form of :data:`FAST_FORMS` that reads most of ``sample``'s cells fast (the earlier
    form on a tie): the form a column's first records in a file are in. None when the sample
    has no cell to tell."""
    forms = FAST_FORMS[value_type]
    if sample.null_count() == sample.len():
        return None
    frame = pl.DataFrame({"raw": sample.cast(pl.String)})
    read = frame.select(
        fast_parse(pl.col("raw"), value_type, form)[1].is_null().sum().alias(str(i))
        for i, form in enumerate(forms)
    ).row(0)
    return forms[max(range(len(forms)), key=lambda i: (read[i], -i))]


def fast_parse(raw: pl.Expr, value_type: ValueType, form: str | None = None) -> Parsed:
    """The fast path's ``(value, problem)`` of a raw cell: a type's own fast parser (in
    ``form``, for a type of :data:`FAST_FORMS`), else the tolerant parser with any cell
    :func:`needs_cleaning` flagged."""
    if value_type in FAST_FORMS:  # the usual form (the first) where the head told none
        return FAST_PARSERS[value_type](raw, form or FAST_FORMS[value_type][0])
    if value_type in FAST_PARSERS:
        return FAST_PARSERS[value_type](raw)
    value, problem = PARSERS[value_type](raw)
    unclean = needs_cleaning(raw, null_tokens(value_type))
    return value, pl.when(unclean).then(pl.lit("needs cleaning")).otherwise(problem)


def null_tokens(value_type: ValueType) -> list[str] | None:
    """Extra null tokens of a value type (无退款申请 in a money column)."""
    return MONEY_NULL_TOKENS if value_type is ValueType.MONEY else None


def parse(raw: pl.Expr, value_type: ValueType) -> Parsed:
    return PARSERS[value_type](clean(raw, null_tokens(value_type)))
