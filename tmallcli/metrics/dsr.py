"""店铺动态评分 (DSR): the three detailed seller ratings over 180 days (SPEC §3).

Seed 002: 同一客户每月最多只能给出3次动态评分; 同一单号买再多商品只能给1次动态评分;
动态评分在双方互评后半小时显示; 分值显示是180天内的评分 (so old shops see the score move
with no new ratings); < 4.4 搜索降权, < 4.6 不能报官方活动.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

import polars as pl

DIMENSIONS = {
    "description": "dsr_description",  # 宝贝与描述相符
    "service": "dsr_service",  # 卖家的服务态度
    "logistics": "dsr_logistics",  # 物流服务的质量
}
COLUMNS = ("order_id", "buyer", "rated_at", *DIMENSIONS.values(), "item_id", "item_title")


@dataclass(frozen=True)
class DsrRules:
    """The ``dsr`` section of the config and the category's industry averages (the numbers
    live in ``config/default.yaml``; :meth:`from_config` fills every field)."""

    thresholds: dict[str, Fraction]  # flag name -> score below which it is raised
    window_days: int
    display_delay_minutes: int
    monthly_cap: int
    item_min_ratings: int
    item_limit: int
    rolloff_days: tuple[int, ...]
    industry: dict[str, Fraction | None]

    @classmethod
    def from_config(cls, config: Any, category: Any) -> DsrRules:
        """Rules from the validated config (``dsr`` section, the category's industry averages)."""
        dsr = config.dsr
        thresholds = _mapping(dsr.thresholds)
        industry = _mapping(category.dsr_industry)
        return cls(
            thresholds={k: exact(v) for k, v in thresholds.items()},
            window_days=dsr.window_days,
            display_delay_minutes=dsr.display_delay_minutes,
            monthly_cap=dsr.monthly_cap,
            item_min_ratings=dsr.item_min_ratings,
            item_limit=dsr.item_limit,
            rolloff_days=tuple(dsr.rolloff_days),
            industry={k: None if v is None else exact(v) for k, v in industry.items()},
        )


def _mapping(value: Any) -> dict[str, Any]:
    return dict(value.model_dump() if hasattr(value, "model_dump") else value)


def exact(value: float | int | str) -> Fraction:
    """4.4 in YAML is the decimal 4.4, not the nearest binary float."""
    return Fraction(str(value))


@dataclass
class DimensionScore:
    key: str
    # Σ stars over counted events with a value (from the page's score alone: score × raters,
    # a Fraction — :mod:`tmallcli.metrics.dsr_stars`)
    total: int | Fraction
    count: int
    industry: Fraction | None
    thresholds: dict[str, Fraction]

    @property
    def exact(self) -> Fraction | None:
        return Fraction(self.total, self.count) if self.count else None

    @property
    def score(self) -> float | None:
        # Full precision (SPEC §14): tables show two decimals, JSON the exact mean as a float.
        return None if self.exact is None else float(self.exact)

    @property
    def flags(self) -> list[str]:
        exact = self.exact
        if exact is None:
            return []
        return [name for name, threshold in self.thresholds.items() if exact < threshold]

    @property
    def five_star_needed(self) -> dict[str, int]:
        return {
            format_threshold(t): five_star_needed(self.total, self.count, t)
            for t in self.thresholds.values()
        }

    @property
    def vs_industry_percent(self) -> float | None:
        if self.exact is None or not self.industry:
            return None
        return float((self.exact - self.industry) / self.industry * 100)


@dataclass
class Rolloff:
    days: int
    leaving: int  # counted rating events that leave the window by then
    scores: dict[str, float | None]
    counts: dict[str, int]


@dataclass
class ItemScore:
    item_id: str | None
    item_title: str | None
    count: int
    description: float
    low_share: float  # share of description ratings ≤ 3


@dataclass
class DsrResult:
    as_of: datetime
    window_start: datetime
    window_end: datetime
    dimensions: dict[str, DimensionScore]
    excluded: dict[str, int]
    events: int  # counted rating events
    rolloff: list[Rolloff]
    items: list[ItemScore]


def round_half_up(value: Fraction, digits: int) -> float:
    scale = 10**digits
    return math.floor(value * scale + Fraction(1, 2)) / scale


def format_threshold(threshold: Fraction) -> str:
    text = f"{float(threshold):.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def five_star_needed(total: int | Fraction, count: int, threshold: Fraction) -> int:
    """Least n ≥ 0 with (S + 5n) / (N + n) ≥ T, i.e. n = ceil((T·N − S) / (5 − T)), exactly.

    With no rating at all there is no score yet: one 5-star rating is needed to have one.
    """
    if threshold >= 5:
        raise ValueError("a DSR threshold must be below 5")
    if count == 0:
        return 1
    needed = (threshold * count - total) / (5 - threshold)
    return max(0, math.ceil(needed))


def rated_in_several_rows() -> pl.Expr:
    """True for the rows of an order rated in several rows (several items) — and, rarely,
    of two orders whose numbers share a hash: counting hashes is half the cost of counting
    the text, and such rows only take the exact way of :func:`rating_events`."""
    return pl.len().over(pl.col("order_id").hash()) > 1


def rating_events(reviews: pl.LazyFrame, monthly_cap: int) -> pl.LazyFrame:
    """Rules 1 and 2: one event per order (earliest), at most ``monthly_cap`` per buyer per month.

    The cap is decided over the whole file, before the window (SPEC §3). Each event keeps
    ``_several`` (:func:`rated_in_several_rows`) and, when the reviews have it, the ``_row``
    it was taken from.
    """
    names = reviews.collect_schema().names()
    if "_several" not in names:
        reviews = reviews.with_columns(rated_in_several_rows().alias("_several"))
    # unique(keep="first") keeps the first row in frame order: after the sort, each order's
    # earliest rating (ties: the lowest item id), without a group-by over every column. Only
    # orders rated in several rows need it: sorting those alone halves the cost (3.7 M
    # reviews: 1.3 s → 0.6 s).
    rows = reviews.select(
        "order_id",
        "buyer",
        "rated_at",
        "item_id",
        *DIMENSIONS.values(),
        "_several",
        *(["_row"] if "_row" in names else []),
    )
    per_order = pl.concat(
        [
            rows.filter(~pl.col("_several")),
            rows.filter(pl.col("_several"))
            .sort("order_id", "rated_at", "item_id", nulls_last=True)
            .unique(subset="order_id", keep="first", maintain_order=False),
        ]
    ).drop("item_id")
    # Ranking every (buyer, month) in time order is most of the cost (1.9 s of 3.4 M orders);
    # only a month where the buyer rated more than the cap needs it: the others count whole.
    # The months over the cap are found by counting hashes of (buyer, month) (0.5 → 0.25 s);
    # two months sharing a hash only rank months that would count whole anyway.
    # (The frame's row order is arbitrary already: unique(maintain_order=False).)
    key = ["buyer", "_month"]
    rated = per_order.with_columns(pl.col("rated_at").dt.truncate("1mo").alias("_month"))
    rated = rated.with_columns(pl.len().over(pl.struct(key).hash()).alias("_rated"))
    rank = pl.int_range(pl.len()).over(key, order_by=["rated_at", "order_id"])
    return pl.concat(
        [
            rated.filter(pl.col("_rated") <= monthly_cap).with_columns(
                pl.lit(True).alias("within_cap")
            ),
            rated.filter(pl.col("_rated") > monthly_cap).with_columns(
                (rank < monthly_cap).alias("within_cap")
            ),
        ]
    ).drop("_month", "_rated")


def _scores(events: pl.LazyFrame) -> pl.LazyFrame:
    return events.select(
        pl.len().alias("events"),
        *(pl.col(c).cast(pl.Int64).sum().alias(f"{k}_total") for k, c in DIMENSIONS.items()),
        *(pl.col(c).count().alias(f"{k}_count") for k, c in DIMENSIONS.items()),
    )


@dataclass(frozen=True)
class RatedReviews:
    """The reviews and their capped rating events, materialised once (:func:`rate_reviews`):
    the score, the roll-off, the items and the trend all read them, and the monthly cap's
    ranking is the costliest step of each (1 M orders: ~0.1 s, once instead of twice)."""

    rows: pl.DataFrame  # the reviews' COLUMNS, ``_row`` (their position) and ``_several``
    events: pl.DataFrame  # :func:`rating_events` of ``rows``


def rate_reviews(reviews: pl.LazyFrame, monthly_cap: int) -> RatedReviews:
    """The reviews' rows and capped events, for :func:`compute_dsr` and :func:`score_trend`."""
    rows = (
        reviews.select(COLUMNS)
        .with_row_index("_row")
        .with_columns(rated_in_several_rows().alias("_several"))
        .collect()
    )
    return RatedReviews(rows, rating_events(rows.lazy(), monthly_cap).collect())


def compute_dsr(
    reviews: pl.LazyFrame | RatedReviews, rules: DsrRules, as_of: datetime
) -> DsrResult:
    """The DSR at ``as_of``; ``reviews`` may be already rated (:func:`rate_reviews`, by the
    same rules' monthly cap)."""
    window_end = as_of - timedelta(minutes=rules.display_delay_minutes)
    window_start = as_of - timedelta(days=rules.window_days)
    if not isinstance(reviews, RatedReviews):
        reviews = rate_reviews(reviews, rules.monthly_cap)
    rows, events = reviews.rows.lazy(), reviews.events.lazy()
    in_window = pl.col("rated_at").is_between(window_start, window_end, closed="right")
    counted = events.filter(pl.col("within_cap") & in_window)

    # Roll-off: with no new ratings, the window at as_of + d holds the capped events rated in
    # (as_of + d − 180 days, min(as_of + d − 30 min, as_of)].
    future = [
        events.filter(
            pl.col("within_cap")
            & pl.col("rated_at").is_between(
                window_start + timedelta(days=d),
                min(window_end + timedelta(days=d), as_of),
                closed="right",
            )
        )
        .pipe(_scores)
        .with_columns(pl.lit(d).alias("days"))
        for d in rules.rolloff_days
    ]
    summary, stats, future_scores = pl.collect_all(
        [
            events.select(
                pl.len().alias("orders"),
                (~pl.col("within_cap")).sum().alias("over_cap"),
                (pl.col("within_cap") & ~in_window).sum().alias("outside"),
            ),
            _scores(counted),
            pl.concat(future) if future else pl.LazyFrame({"days": []}),
        ]
    )
    leaving = (
        counted.select(
            (pl.col("rated_at") <= window_start + timedelta(days=d)).sum().alias(str(d))
            for d in rules.rolloff_days
        ).collect()
        if rules.rolloff_days
        else pl.DataFrame()
    )
    raw_rows = reviews.rows.height
    row = stats.row(0, named=True)
    dimensions = {
        key: DimensionScore(
            key,
            int(row[f"{key}_total"] or 0),
            int(row[f"{key}_count"]),
            rules.industry.get(key),
            rules.thresholds,
        )
        for key in DIMENSIONS
    }
    rolloff = []
    for frow in future_scores.iter_rows(named=True):
        scores, counts = {}, {}
        for key in DIMENSIONS:
            n = int(frow[f"{key}_count"])
            counts[key] = n
            total = Fraction(int(frow[f"{key}_total"] or 0), n) if n else None
            scores[key] = None if total is None else float(total)
        days = int(frow["days"])
        rolloff.append(Rolloff(days, int(leaving[str(days)].item()), scores, counts))
    summary_row = summary.row(0, named=True)
    excluded = {
        "duplicate_order": int(raw_rows) - int(summary_row["orders"]),
        "over_monthly_cap": int(summary_row["over_cap"]),
        "outside_window": int(summary_row["outside"]),
    }
    items = item_drilldown(rows, counted, rules)
    return DsrResult(
        as_of, window_start, window_end, dimensions, excluded, int(row["events"]), rolloff, items
    )


def item_drilldown(rows: pl.LazyFrame, counted: pl.LazyFrame, rules: DsrRules) -> list[ItemScore]:
    """Items with the lowest description score over the counted orders' item rows.

    The description rating is given per item (宝贝与描述相符), so every item row of a counted
    order is evidence for its item, not only the row that carried the order's rating.
    ``rows``: the reviews with ``_row``, their position, and ``_several``
    (:func:`rated_in_several_rows`); ``counted``: their events (:func:`rating_events`).
    """
    # An order rated in one row is its own event: only the orders of several rows are
    # looked up among the rows (a join of every row on 3.4 M order numbers took 0.8 s).
    several = counted.filter(pl.col("_several")).select("order_id")
    picked = (
        pl.concat(
            [
                counted.filter(~pl.col("_several")).select("_row"),
                rows.filter(pl.col("_several"))
                .join(several, on="order_id", how="semi")
                .select("_row"),
            ]
        )
        .collect()
        .get_column("_row")
        .sort()
    )
    # In file order: an item's title is the first one given.
    item_rows = rows.select(
        pl.col("item_id", "item_title", "dsr_description").gather(picked)
    ).filter(pl.col("dsr_description").is_not_null())
    per_item = (
        item_rows.group_by("item_id")
        .agg(
            pl.col("item_title").drop_nulls().first(),
            pl.len().alias("count"),
            pl.col("dsr_description").cast(pl.Float64).mean().alias("description"),
            (pl.col("dsr_description") <= 3).mean().alias("low_share"),
        )
        .filter(pl.col("count") >= rules.item_min_ratings)
        .sort(["description", "count", "item_id"], descending=[False, True, False], nulls_last=True)
        .head(rules.item_limit)
        .collect()
    )
    return [
        ItemScore(
            r["item_id"],
            r["item_title"],
            r["count"],
            r["description"],
            r["low_share"],
        )
        for r in per_item.iter_rows(named=True)
    ]


# --------------------------------------------------------------------------- trend

_US_PER_DAY = 86_400_000_000


@dataclass
class TrendPoint:
    """The DSR as the platform would show it at ``as_of + offset`` days (T + offset, 23:59:59
    with ``--as-of``): the 180-day window ending then. Offsets after 0 are the roll-off
    forecast — the same window moving on with no new rating."""

    day: date
    offset: int
    scores: dict[str, float | None]
    counts: dict[str, int]


@dataclass
class DsrTrend:
    points: list[TrendPoint]
    # The export's first capped rating; days whose window starts before it assume that
    # the shop had no rating before (the export cannot say).
    first_rating: datetime | None
    complete_from: date | None  # first day whose whole window lies inside the export


def score_trend(
    reviews: pl.LazyFrame | RatedReviews,
    rules: DsrRules,
    as_of: datetime,
    *,
    history_days: int = 90,
    forecast_days: int | None = None,
) -> DsrTrend:
    """The rolling 180-day score of each dimension for the last ``history_days`` days and
    the ``forecast_days`` ahead (default: the longest roll-off), by the counting rules of
    :func:`compute_dsr`: the point at offset 0 is today's score and the points at the
    roll-off days are :attr:`DsrResult.rolloff`. ``reviews`` may be rated already
    (:func:`rate_reviews`): its capped events are read, not ranked again.

    Each capped rating event enters the window on the first offset k at which it is shown
    (rated + 30 min ≤ as_of + k days) and leaves on the first k at which it is 180 days old
    (rated ≤ as_of + k days − 180 days); a day's score is the running sum of those entries
    and exits — one pass over per-day aggregates, however many ratings there are.
    """
    forecast = max(rules.rolloff_days, default=0) if forecast_days is None else forecast_days
    first_offset = -(max(history_days, 1) - 1)
    capped = (
        reviews.events.lazy()
        if isinstance(reviews, RatedReviews)
        else rating_events(reviews.select(COLUMNS), rules.monthly_cap)
    )
    events = capped.filter(pl.col("within_cap") & (pl.col("rated_at") <= as_of))
    since = (pl.col("rated_at") - pl.lit(as_of)).dt.total_microseconds()
    delay_us = rules.display_delay_minutes * 60_000_000

    def ceil_days(us: pl.Expr) -> pl.Expr:
        return -((-us) // _US_PER_DAY)

    shown = ceil_days(since + delay_us).clip(lower_bound=first_offset)
    leaves = (ceil_days(since) + rules.window_days).clip(lower_bound=first_offset)

    def deltas(offset: pl.Expr, sign: int) -> pl.LazyFrame:
        return events.group_by(offset.alias("offset")).agg(
            *(
                (pl.col(c).cast(pl.Int64).sum() * sign).alias(f"{k}_total")
                for k, c in DIMENSIONS.items()
            ),
            *(
                (pl.col(c).count().cast(pl.Int64) * sign).alias(f"{k}_count")
                for k, c in DIMENSIONS.items()
            ),
        )

    offsets = pl.LazyFrame(
        {"offset": pl.int_range(first_offset, forecast + 1, eager=True).cast(pl.Int64)}
    )
    running = (
        offsets.join(
            pl.concat([deltas(shown, 1), deltas(leaves, -1)])
            .with_columns(pl.col("offset").cast(pl.Int64))
            .group_by("offset")
            .agg(pl.all().sum()),
            on="offset",
            how="left",
        )
        .fill_null(0)
        .sort("offset")
        .with_columns(pl.exclude("offset").cum_sum())
    )
    table, first = pl.collect_all([running, events.select(pl.col("rated_at").min())])
    first_rating = first.item()
    points = []
    for row in table.iter_rows(named=True):
        scores: dict[str, float | None] = {}
        counts: dict[str, int] = {}
        for key in DIMENSIONS:
            n = int(row[f"{key}_count"])
            counts[key] = n
            scores[key] = float(Fraction(int(row[f"{key}_total"]), n)) if n else None
        offset = int(row["offset"])
        points.append(TrendPoint(as_of.date() + timedelta(days=offset), offset, scores, counts))
    complete_from = None
    if first_rating is not None:
        # The window at as_of + k starts at as_of + k − 180 days: complete once that is
        # no earlier than the first rating the export holds.
        days = math.ceil((first_rating - as_of).total_seconds() / 86_400) + rules.window_days
        complete_from = as_of.date() + timedelta(days=days)
    return DsrTrend(points, first_rating, complete_from)
