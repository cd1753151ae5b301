"""客服评价: customer-service ratings of the human sub-accounts and the bot (SPEC §9).

Seed 000 (客户服务平台 › 服务管理 › 客服评价管理):
* 人工客服评价次数及平均分 covers 平台自动邀评 + 客服邀评 + 消费者自主评价 (客服邀评 is being
  retired: drop it from ``cs.human_sources`` when it is);
* 机器人评价次数及评价平均分 covers only 买家自主评价 (``cs.bot_sources``);
* 最近7天 / 最近30天 / 某个单天, 最长可显示3个月 (90天); 默认按照昨天数据显示;
* 评价详情 per 客服子账号: 评分, 次数, 标签; 服务助手的评分默认置于第一个;
  若有评分但无标签评价, 标签处显示 "暂无标签评价".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import polars as pl

from tmallcli.errors import UsageError
from tmallcli.i18n import tr
from tmallcli.metrics.dsr import exact

COLUMNS = ("rated_at", "account", "platform_account", "score", "tags", "source")
# The columns the rules read once the forms are told apart (:func:`normalise`).
RATING_COLUMNS = ("rated_at", "account", "score", "tags", "source")
UNRECOGNISED_GRADE = "unrecognised_grade"  # warning code
# SPEC §2: tags are joined by , ; ， 、 or |; the full-width ； and ｜ are the same separators.
TAG_SEPARATORS = r"[,;，、|；｜]"
_BLANKS = " \t\r\n\u3000"


@dataclass(frozen=True)
class CsRules:
    """The ``cs`` section of the config (its numbers live in ``config/default.yaml``)."""

    human_sources: tuple[str, ...]
    bot_sources: tuple[str, ...]
    bot_account: str
    score_words: dict[str, int]  # 评价结果 in words → 1–5
    score_codes: dict[str, int]  # the open-platform 评分 code → 1–5
    source_codes: dict[str, str]  # the open-platform 评价来源 code → the source
    account_prefix: str  # cntaobao: the open-platform account names' prefix
    no_tags_label: str
    min_ratings: int
    max_days: int
    low_score: int
    diagnosis_limit: int
    min_average: Fraction | None  # None: --check has no threshold

    @classmethod
    def from_config(cls, config: Any) -> CsRules:
        """Rules from the validated config's ``cs`` section."""
        cs = config.cs
        return cls(
            human_sources=tuple(cs.human_sources),
            bot_sources=tuple(cs.bot_sources),
            bot_account=cs.bot_account,
            score_words={w: int(score) for score, words in cs.score_words.items() for w in words},
            score_codes=dict(cs.score_codes),
            source_codes=dict(cs.source_codes),
            account_prefix=cs.account_prefix,
            no_tags_label=cs.no_tags_label,
            min_ratings=cs.min_ratings,
            max_days=cs.max_days,
            low_score=cs.low_score,
            diagnosis_limit=cs.diagnosis_limit,
            min_average=None if cs.min_average is None else exact(cs.min_average),
        )


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def resolve_period(
    as_of: date,
    *,
    day: date | None = None,
    last: int | None = None,
    start: date | None = None,
    end: date | None = None,
    max_days: int,
) -> Period:
    """The period of the 客服评价 page: one day, the last N days, or a range; default yesterday.

    ``--last N`` is T−N … T−1 (最近7天 / 最近30天 end yesterday). Dates after T are refused
    (no rating can be there yet); T itself is allowed for a look at today so far.
    """
    forms = [
        name
        for name, given in (
            ("--day", day is not None),
            ("--last", last is not None),
            ("--from/--to", start is not None or end is not None),
        )
        if given
    ]
    if len(forms) > 1:
        raise UsageError(tr("give one period: {value}, not both", value=" or ".join(forms)))
    if day is not None:
        period = Period(day, day)
    elif last is not None:
        if last < 1:
            raise UsageError(tr("--last: must be at least 1 day (got {last})", last=last))
        period = Period(as_of - timedelta(days=last), as_of - timedelta(days=1))
    elif start is not None or end is not None:
        if start is None or end is None:
            raise UsageError(
                tr("--from and --to go together"), hint=tr("e.g. --from 2026-11-01 --to 2026-11-19")
            )
        if start > end:
            raise UsageError(tr("--from {start} is after --to {end}", start=start, end=end))
        period = Period(start, end)
    else:
        yesterday = as_of - timedelta(days=1)
        period = Period(yesterday, yesterday)
    if period.end > as_of:
        raise UsageError(
            tr("the period ends {end}, after the report date {as_of}", end=period.end, as_of=as_of),
            hint=tr("set --as-of, or end the period on or before it"),
        )
    if period.days > max_days:
        raise UsageError(
            tr(
                "period is {days} days; the longest is {max_days} (最长可显示3个月)",
                days=period.days,
                max_days=max_days,
            ),
            hint=tr("use --last {max_days} or a shorter --from/--to range", max_days=max_days),
        )
    return period


@dataclass
class Tally:
    """Count and Σ score of a set of ratings; the average is exact until it is shown."""

    count: int = 0
    total: int = 0

    @property
    def exact(self) -> Fraction | None:
        return Fraction(self.total, self.count) if self.count else None

    @property
    def average(self) -> float | None:
        value = self.exact
        return None if value is None else float(value)  # full precision (SPEC §14)


@dataclass
class AccountRatings:
    account: str
    is_bot: bool
    tally: Tally
    low: int  # ratings ≤ low_score
    tags: dict[str, int]  # tag → ratings carrying it, most frequent first
    no_tags: bool  # has ratings but none carries a tag: the page shows 暂无标签评价


@dataclass
class DayRatings:
    day: date
    human: Tally
    bot: Tally


@dataclass
class Diagnosis:
    lowest_accounts: list[AccountRatings]  # at least min_ratings ratings, lowest average first
    low_ratings: int  # counted ratings ≤ low_score (of the shown accounts)
    low_rating_tags: dict[str, int]  # most frequent tags on those ratings


@dataclass(frozen=True)
class Notice:
    """A warning about the result (JSON ``warnings``); ``code`` is stable, ``message`` English."""

    code: str
    message: str


@dataclass
class CsResult:
    period: Period
    rules: CsRules
    human: Tally
    bot: Tally
    human_unknown_source: int  # counted human ratings whose source is empty
    excluded: dict[str, int]
    accounts: list[AccountRatings]
    diagnosis: Diagnosis
    daily: list[DayRatings] = field(default_factory=list)
    account: str | None = None  # the --account filter, resolved to the full sub-account name
    warnings: list[Notice] = field(default_factory=list)


def normalise(ratings: pl.LazyFrame, rules: CsRules) -> pl.LazyFrame:
    """The ratings of every form in one: ``account``, ``score`` 1–5 (null: no grade or one the
    config does not know, ``_grade`` keeps the text), ``source``, ``tags``, ``rated_at``.

    SPEC §2.1: the 客服评价 page grades in words (非常满意 … 非常不满意, config ``score_words``);
    the open-platform form — a row from a file with 发送评价邀请的商家客服昵称
    (``platform_account``) — writes 评分 as a code, 0 the best (``score_codes``), 评价来源 as
    a code (``source_codes``) and its account with a ``cntaobao`` prefix. Numbers 1–5 of
    any other file are the score itself.
    """
    names = set(ratings.collect_schema().names())
    missing = [c for c in COLUMNS if c not in names]
    ratings = ratings.with_columns(pl.lit(None, pl.String).alias(c) for c in missing)
    grade = pl.col("score").cast(pl.String).str.strip_chars(_BLANKS)
    source = pl.col("source").cast(pl.String)
    platform = pl.col("platform_account").cast(pl.String)
    open_form = platform.is_not_null()
    plain_grades = {str(n): n for n in range(1, 6)} | rules.score_words
    prefix = rules.account_prefix
    return ratings.select(
        "rated_at",
        pl.coalesce(
            pl.col("account").cast(pl.String),
            platform.str.strip_prefix(prefix) if prefix else platform,
        ).alias("account"),
        pl.when(open_form)
        .then(grade.replace_strict(rules.score_codes, default=None, return_dtype=pl.Int64))
        .otherwise(grade.replace_strict(plain_grades, default=None, return_dtype=pl.Int64))
        .alias("score"),
        grade.alias("_grade"),
        pl.col("tags").cast(pl.String),
        pl.when(open_form)
        .then(source.replace(rules.source_codes))
        .otherwise(source)
        .alias("source"),
    )


def grade_notices(rows: pl.LazyFrame) -> list[Notice]:
    """A warning naming the grades no mapping knows: those ratings are not counted (the
    config's ``cs.score_words`` / ``cs.score_codes`` can map them)."""
    unknown = (
        rows.filter(pl.col("_grade").is_not_null() & pl.col("score").is_null())
        .group_by("_grade")
        .len()
        .sort(["len", "_grade"], descending=[True, False])
        .collect()
    )
    if not unknown.height:
        return []
    listed = ", ".join(f"{g} ({n})" for g, n in unknown.iter_rows())
    total = int(unknown.get_column("len").sum())
    return [
        Notice(
            UNRECOGNISED_GRADE,
            tr(
                "cs_ratings: {total} rating(s) with a grade the config does not know left out: {listed} (map them in cs.score_words or cs.score_codes)",
                total=total,
                listed=listed,
            ),
        )
    ]


def split_tags(tags: pl.Expr) -> pl.Expr:
    """The distinct tags of one rating: split on every separator, trimmed, empty ones dropped.

    A tag counts once per rating (``专业,专业`` is one 专业), as the page counts ratings per tag.
    """
    return (
        tags.str.replace_all(TAG_SEPARATORS, ",")
        .str.split(",")
        .list.eval(pl.element().str.strip_chars(_BLANKS))
        .list.eval(pl.element().filter(pl.element() != ""))
        .list.unique()
    )


def resolve_account(name: str, known: list[str]) -> str:
    """``--account``: the full sub-account name, or the part after ``店铺:`` when unique."""
    wanted = name.strip()
    if wanted in known:
        return wanted
    matches = [a for a in known if a.rsplit(":", 1)[-1] == wanted]
    if len(matches) == 1:
        return matches[0]
    listed = ", ".join(known) or "none"
    if matches:
        raise UsageError(
            tr(
                "--account {name!r} matches several sub-accounts: {value}",
                name=name,
                value=", ".join(matches),
            ),
            hint=tr("give the full name, 店铺:名字"),
        )
    raise UsageError(
        tr(
            "--account: no ratings of {name!r} in the export (accounts: {listed})",
            name=name,
            listed=listed,
        )
    )


def _tally(count: Any, total: Any) -> Tally:
    return Tally(int(count or 0), int(total or 0))


def compute_cs(
    ratings: pl.LazyFrame,
    rules: CsRules,
    start: date,
    end: date,
    account: str | None = None,
) -> CsResult:
    """客服评价 over ``start`` … ``end`` (both included) by the date of ``rated_at``.

    Human (人工客服): ratings of every account but the bot whose source is in
    ``human_sources``; an empty source counts too (the export does not say, and every
    source the page shows today counts for humans). The bot (``bot_account``, 服务助手):
    only ratings whose source is in ``bot_sources`` (消费者自主评价); an empty source does
    not count. A rating without a score is not counted. Totals are shop-wide; ``account``
    narrows the account list and the diagnosis to one sub-account.
    """
    period = Period(start, end)
    rows = normalise(ratings, rules).collect().lazy()
    warnings = grade_notices(rows)
    rows = rows.select(RATING_COLUMNS)
    if account is not None:
        known = (
            rows.select(pl.col("account").unique())
            .collect()
            .get_column("account")
            .drop_nulls()
            .sort()
            .to_list()
        )
        account = resolve_account(account, known)

    is_bot = pl.col("account") == rules.bot_account
    source = pl.col("source")
    bot_source_ok = source.is_in(list(rules.bot_sources)).fill_null(False)
    human_source_ok = source.is_null() | source.is_in(list(rules.human_sources)).fill_null(False)
    in_period = rows.with_columns(pl.col("rated_at").dt.date().alias("day"), is_bot.alias("is_bot"))
    in_period = in_period.filter(pl.col("day").is_between(start, end, closed="both"))
    source_ok = pl.when(pl.col("is_bot")).then(bot_source_ok).otherwise(human_source_ok)
    has_score = pl.col("score").is_not_null()
    counted = in_period.filter(source_ok & has_score).with_columns(
        pl.col("score").cast(pl.Int64), split_tags(pl.col("tags")).alias("tag_list")
    )
    human, bot = ~pl.col("is_bot"), pl.col("is_bot")
    summary = in_period.select(
        (human & source_ok & has_score).sum().alias("human_count"),
        pl.col("score").cast(pl.Int64).filter(human & source_ok).sum().alias("human_total"),
        (bot & source_ok & has_score).sum().alias("bot_count"),
        pl.col("score").cast(pl.Int64).filter(bot & source_ok).sum().alias("bot_total"),
        (human & source.is_null() & has_score).sum().alias("human_unknown_source"),
        (human & ~human_source_ok & has_score).sum().alias("human_other_source"),
        (bot & ~bot_source_ok & has_score).sum().alias("bot_other_source"),
        (~has_score).sum().alias("no_score"),
    )
    daily = (
        pl.LazyFrame({"day": pl.date_range(start, end, "1d", eager=True)})
        .join(
            counted.group_by("day").agg(
                pl.col("score").filter(human).len().alias("human_count"),
                pl.col("score").filter(human).sum().alias("human_total"),
                pl.col("score").filter(bot).len().alias("bot_count"),
                pl.col("score").filter(bot).sum().alias("bot_total"),
            ),
            on="day",
            how="left",
        )
        .sort("day")
    )

    shown = counted if account is None else counted.filter(pl.col("account") == account)
    low = pl.col("score") <= rules.low_score
    per_account = (
        shown.group_by("account")
        .agg(
            pl.col("is_bot").first(),
            pl.len().alias("count"),
            pl.col("score").sum().alias("total"),
            low.sum().alias("low"),
        )
        .sort(["is_bot", "count", "account"], descending=[True, True, False])
    )
    tags = shown.select("account", "score", pl.col("tag_list").alias("tag")).explode("tag")
    tags = tags.filter(pl.col("tag").is_not_null())
    tag_counts = (
        tags.group_by("account", "tag")
        .len()
        .sort(["account", "len", "tag"], descending=[False, True, False])
    )
    low_tags = (
        tags.filter(low)
        .group_by("tag")
        .len()
        .sort(["len", "tag"], descending=[True, False])
        .head(rules.diagnosis_limit)
    )
    low_count = shown.select(low.sum().alias("low"))
    summary_df, daily_df, accounts_df, tags_df, low_tags_df, low_df = pl.collect_all(
        [summary, daily, per_account, tag_counts, low_tags, low_count]
    )

    s = summary_df.row(0, named=True)
    tags_by_account: dict[str, dict[str, int]] = {}
    for row in tags_df.iter_rows(named=True):
        tags_by_account.setdefault(row["account"], {})[row["tag"]] = int(row["len"])
    accounts = []
    for row in accounts_df.iter_rows(named=True):
        account_tags = tags_by_account.get(row["account"], {})
        accounts.append(
            AccountRatings(
                row["account"],
                bool(row["is_bot"]),
                _tally(row["count"], row["total"]),
                int(row["low"]),
                account_tags,
                no_tags=not account_tags,
            )
        )
    if account is not None and not accounts:
        # The sub-account exists in the export but has no counted rating in the period.
        accounts.append(
            AccountRatings(account, account == rules.bot_account, Tally(), 0, {}, no_tags=False)
        )
    eligible = [a for a in accounts if a.tally.count >= rules.min_ratings]
    eligible.sort(key=lambda a: (a.tally.exact, -a.tally.count, a.account))
    diagnosis = Diagnosis(
        eligible[: rules.diagnosis_limit],
        int(low_df.item() or 0),
        {r["tag"]: int(r["len"]) for r in low_tags_df.iter_rows(named=True)},
    )
    days = [
        DayRatings(
            r["day"],
            _tally(r["human_count"], r["human_total"]),
            _tally(r["bot_count"], r["bot_total"]),
        )
        for r in daily_df.iter_rows(named=True)
    ]
    return CsResult(
        period=period,
        rules=rules,
        human=_tally(s["human_count"], s["human_total"]),
        bot=_tally(s["bot_count"], s["bot_total"]),
        human_unknown_source=int(s["human_unknown_source"]),
        excluded={
            "human_other_source": int(s["human_other_source"]),
            "bot_other_source": int(s["bot_other_source"]),
            "no_score": int(s["no_score"]),
        },
        accounts=accounts,
        diagnosis=diagnosis,
        daily=days if period.days > 1 else [],
        account=account,
        warnings=warnings,
    )
