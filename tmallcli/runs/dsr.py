"""``tmall score dsr``: 店铺动态评分 from the reviews export and/or the shop page's star counts
(SPEC §3)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tmallcli.i18n import N_, tr
from tmallcli.runs.context import Exports, Run, RunContext, finish, run_once

if TYPE_CHECKING:
    import polars as pl

    from tmallcli.exports.dsr_summary import SummaryLine
    from tmallcli.exports.inputs import Inputs
    from tmallcli.exports.reader import LoadedExport
    from tmallcli.metrics.dsr import DsrResult, DsrTrend, RatedReviews
    from tmallcli.metrics.dsr_stars import PageDsr, PageFigures

TREND_HISTORY_DAYS = 90  # the report's DSR trend: the score shown on each of the last 90 days

NEEDS_STARS = N_(
    "the reviews export has no DSR columns (DSR ratings are anonymous to the seller): give the "
    "star counts of the shop's DSR page: --stars description=N5,N4,N3,N2,N1 (and service, "
    "logistics) or --summary FILE"
)
NO_DSR_COLUMNS = N_("the reviews export has no DSR columns: DSR from the page's star counts only")


@dataclass(frozen=True)
class StarOptions:
    """The shop page's DSR figures given on the command line (SPEC §3)."""

    stars: tuple[str, ...] = ()  # --stars description=30,10,5,3,2
    summaries: tuple[Path, ...] = ()  # --summary FILE
    add: tuple[str, ...] = ()  # --add description=0,0,0,0,3

    @classmethod
    def of(
        cls,
        stars: list[str] | None = None,
        summaries: list[Path] | None = None,
        add: list[str] | None = None,
    ) -> StarOptions:
        return cls(tuple(stars or ()), tuple(summaries or ()), tuple(add or ()))

    @property
    def given(self) -> bool:
        return bool(self.stars or self.summaries)


def parse_counts(option: str, item: str) -> tuple[str, tuple[int, ...]]:
    """``description=30,10,5,3,2`` (or 描述相符=…) → (dimension, counts of 5 … 1 stars)."""
    from tmallcli.errors import UsageError
    from tmallcli.exports.dsr_summary import dimension_key

    name, sep, text = item.partition("=")
    key = dimension_key(name) if sep else None
    if key is None:
        raise UsageError(
            tr(
                "{option}: expected DIMENSION=N5,N4,N3,N2,N1 with DIMENSION one of description, service, logistics (or 描述相符, 服务态度, 物流服务) (got {item!r})",
                option=option,
                item=item,
            )
        )
    parts = [p.strip() for p in text.replace("，", ",").split(",")]
    if len(parts) != 5 or not all(p.isdigit() for p in parts):
        raise UsageError(
            tr(
                "{option} {value}: expected 5 whole counts of 5, 4, 3, 2 and 1 stars, e.g. 30,10,5,3,2 (got {text!r})",
                option=option,
                value=name.strip(),
                text=text,
            )
        )
    return key, tuple(int(p) for p in parts)


def _figures_of(line: SummaryLine) -> PageFigures:
    from tmallcli.errors import InputError
    from tmallcli.metrics import dsr_stars

    try:
        if line.counts is not None:
            return dsr_stars.from_counts(
                line.dimension, line.origin, line.counts, raters=line.raters, shown_score=line.score
            )
        if line.percents is not None:
            assert line.raters is not None
            return dsr_stars.from_percent(
                line.dimension,
                line.origin,
                line.raters,
                list(line.percents),
                line.decimals,
                line.score,
            )
        assert line.score is not None and line.raters is not None
        return dsr_stars.from_score(line.dimension, line.origin, line.score, line.raters)
    except dsr_stars.StarsError as exc:
        raise InputError(line.origin, str(exc)) from None


def page_figures(files: Inputs, options: StarOptions) -> dict[str, PageFigures]:
    """Each dimension's figures: ``--stars`` first, then ``--summary`` files, then the summaries
    ``--dir`` found. Two sources of one rank giving one dimension are an error (which one is
    today's page?)."""
    from tmallcli.errors import UsageError
    from tmallcli.exports.dsr_summary import read_summary
    from tmallcli.metrics import dsr_stars

    figures: dict[str, PageFigures] = {}
    ranks: list[dict[str, PageFigures]] = []
    given: dict[str, PageFigures] = {}
    for item in options.stars:
        key, counts = parse_counts("--stars", item)
        if key in given:
            raise UsageError(tr("--stars: {key} given twice", key=key))
        given[key] = dsr_stars.from_counts(key, "--stars", counts)
    ranks.append(given)
    for paths in (
        [Path(p) for p in options.summaries],
        [Path(p) for p in files.dsr_summaries],
    ):
        rank: dict[str, PageFigures] = {}
        for path in paths:
            for line in read_summary(path, files.reader):
                if line.dimension in rank:
                    raise UsageError(
                        tr(
                            "DSR summary: {dimension} is given by {origin} and {other}: keep one",
                            dimension=line.dimension,
                            origin=rank[line.dimension].origin,
                            other=line.origin,
                        )
                    )
                rank[line.dimension] = _figures_of(line)
        ranks.append(rank)
    for rank in ranks:
        for key, value in rank.items():
            figures.setdefault(key, value)
    return figures


def reviews_have_dsr(files: Inputs) -> bool:
    """Do the reviews exports carry per-rating DSR columns (SPEC §2.1: the real ones do not)?"""
    from tmallcli.exports.csv_scan import read_headers
    from tmallcli.exports.headers import map_columns
    from tmallcli.exports.kinds import KINDS
    from tmallcli.exports.paths import expand_paths
    from tmallcli.metrics.dsr import DIMENSIONS

    if not files.has("reviews"):
        return False
    for path in expand_paths(files.files["reviews"], kind="reviews"):
        headers = read_headers(files.reader.source(path, lossy=True))
        # The headers as the reader maps them: the user's columns: first (a renamed 描述相符).
        found = map_columns(KINDS["reviews"], headers, files.reader.options.mapping)
        if not any(column in found.found for column in DIMENSIONS.values()):
            return False
    return True


# The per-order DSR columns of a reviews export, by the §6 metric each one gives.
DSR_METRIC_COLUMNS = {
    "item_review_score": "dsr_description",
    "logistics_review_score": "dsr_logistics",
}
NEEDS_STARS_CODE = "dsr_needs_star_counts"


def dsr_missing(reviews: LoadedExport) -> dict[str, str]:
    """The DSR metrics of §6 this reviews export cannot give, with the reason."""
    return {
        metric: tr(NEEDS_STARS)
        for metric, column in DSR_METRIC_COLUMNS.items()
        if column not in reviews.present
    }


def _ratings(reviews: LoadedExport) -> pl.LazyFrame:
    """The rows as the DSR rules read them: an export without 订单编号 has each row rated on
    its own (one rating per row; the rules' one-rating-per-order step has nothing to merge)."""
    import polars as pl

    rows = reviews.lazy()
    if "order_id" in reviews.present:
        return rows
    return rows.with_columns(
        pl.format("row-{}", pl.int_range(pl.len(), dtype=pl.UInt32)).alias("order_id")
    )


def rated_of(reviews: LoadedExport, ctx: RunContext) -> RatedReviews:
    """The reviews' capped rating events, once, for :func:`dsr_of` and :func:`dsr_trend_of`
    (the report computes both on the same reviews)."""
    from tmallcli.metrics.dsr import DsrRules, rate_reviews

    rules = DsrRules.from_config(ctx.config, ctx.category)
    return rate_reviews(_ratings(reviews), rules.monthly_cap)


def dsr_of(reviews: LoadedExport | RatedReviews, ctx: RunContext) -> DsrResult:
    from tmallcli.metrics.dsr import DsrRules, RatedReviews, compute_dsr

    rules = DsrRules.from_config(ctx.config, ctx.category)
    rated = reviews if isinstance(reviews, RatedReviews) else _ratings(reviews)
    return compute_dsr(rated, rules, ctx.as_of.instant)


def page_dsr_of(
    files: Inputs, ctx: RunContext, options: StarOptions, ratings: DsrResult | None
) -> PageDsr | None:
    """The DSR from the page's figures (None: none given), the ``--add`` what-if applied and
    the ``ratings`` recomputed from a per-rating export beside it."""
    from tmallcli.errors import UsageError
    from tmallcli.metrics.dsr import DsrRules
    from tmallcli.metrics.dsr_stars import StarsError, compute_page_dsr

    figures = page_figures(files, options)
    if not figures:
        if options.add:
            raise UsageError(tr("--add needs the page's star counts: --stars or --summary FILE"))
        return None
    added: dict[str, tuple[int, ...]] = {}
    for item in options.add:
        key, counts = parse_counts("--add", item)
        if key in added:
            raise UsageError(tr("--add: {key} given twice", key=key))
        added[key] = counts
    rules = DsrRules.from_config(ctx.config, ctx.category)
    try:
        return compute_page_dsr(figures, rules, ctx.as_of.instant, added=added, ratings=ratings)
    except StarsError as exc:
        raise UsageError(tr("--add {exc}", exc=exc)) from None


def dsr_trend_of(reviews: LoadedExport | RatedReviews, ctx: RunContext) -> DsrTrend:
    from tmallcli.metrics.dsr import DsrRules, RatedReviews, score_trend

    rules = DsrRules.from_config(ctx.config, ctx.category)
    rated = reviews if isinstance(reviews, RatedReviews) else _ratings(reviews)
    return score_trend(rated, rules, ctx.as_of.instant, history_days=TREND_HISTORY_DAYS)


def run_dsr(
    exports: Exports, ctx: RunContext, stars: StarOptions | None = None
) -> Run[DsrResult | PageDsr]:
    """The DSR from the reviews' per-rating DSR, the page's star counts, or both."""
    from tmallcli.errors import UsageError
    from tmallcli.metrics.dsr import COLUMNS

    stars = stars or StarOptions()

    def compute(files: Inputs) -> Run[DsrResult | PageDsr]:
        notes: list[str] = []
        ratings = None
        if reviews_have_dsr(files):
            ratings = dsr_of(files.load("reviews", COLUMNS), ctx)
        elif files.has("reviews"):
            notes.append(tr(NO_DSR_COLUMNS))
        page = page_dsr_of(files, ctx, stars, ratings)
        if page is not None:
            return finish(page, files, notes + page.notes, ctx=ctx)
        if ratings is not None:
            return finish(ratings, files, ctx=ctx)
        if files.has("reviews"):
            raise UsageError(tr(NEEDS_STARS))
        raise UsageError(
            tr(
                "give the reviews export (--reviews FILE) or the shop page's star counts (--stars description=30,10,5,3,2, --summary FILE), or --dir DIR"
            )
        )

    return run_once("dsr", exports, ctx, stars, compute)
