"""``tmall score dsr``: 店铺动态评分 from the reviews export (SPEC §3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tmallcli.runs.context import Exports, Run, RunContext, finish

if TYPE_CHECKING:
    import polars as pl

    from tmallcli.exports.reader import LoadedExport
    from tmallcli.metrics.dsr import DsrResult, DsrTrend

TREND_HISTORY_DAYS = 90  # the report's DSR trend: the score shown on each of the last 90 days

# The per-order DSR columns of a reviews export, by the §6 metric each one gives.
DSR_METRIC_COLUMNS = {
    "item_review_score": "dsr_description",
    "logistics_review_score": "dsr_logistics",
}
DSR_COLUMNS = ("dsr_description", "dsr_service", "dsr_logistics")
# SPEC §2.1: the real review exports carry no per-order DSR (the ratings are anonymous); what
# the seller sees is the shop page's star counts.
NEEDS_STARS_CODE = "dsr_needs_star_counts"
NEEDS_STARS = (
    "the reviews export has no per-order DSR scores (宝贝与描述相符 / 卖家的服务态度 / "
    "物流服务的质量: DSR ratings are anonymous); the DSR needs the shop page's star counts "
    "(score dsr --stars or --summary)"
)


def has_dsr(reviews: LoadedExport) -> bool:
    """Does some reviews file carry a per-order DSR score?"""
    return any(column in reviews.present for column in DSR_COLUMNS)


def dsr_missing(reviews: LoadedExport) -> dict[str, str]:
    """The DSR metrics of §6 this reviews export cannot give, with the reason."""
    return {
        metric: NEEDS_STARS
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


def dsr_of(reviews: LoadedExport, ctx: RunContext) -> DsrResult:
    from tmallcli.metrics.dsr import DsrRules, compute_dsr

    rules = DsrRules.from_config(ctx.config, ctx.category)
    return compute_dsr(_ratings(reviews), rules, ctx.as_of.instant)


def dsr_trend_of(reviews: LoadedExport, ctx: RunContext) -> DsrTrend:
    from tmallcli.metrics.dsr import DsrRules, score_trend

    rules = DsrRules.from_config(ctx.config, ctx.category)
    return score_trend(_ratings(reviews), rules, ctx.as_of.instant, history_days=TREND_HISTORY_DAYS)


def run_dsr(exports: Exports, ctx: RunContext) -> Run[DsrResult]:
    from tmallcli.errors import UsageError
    from tmallcli.metrics.dsr import COLUMNS

    with exports.open() as files:
        reviews = files.load("reviews", COLUMNS)
        if not has_dsr(reviews):
            shown = ", ".join(s.display for s in reviews.sources)
            raise UsageError(f"{shown}: {NEEDS_STARS}")
        return finish(dsr_of(reviews, ctx), files)
