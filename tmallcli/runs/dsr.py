"""``tmall score dsr``: 店铺动态评分 from the reviews export (SPEC §3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tmallcli.runs.context import Exports, Run, RunContext, finish

if TYPE_CHECKING:
    from tmallcli.exports.reader import LoadedExport
    from tmallcli.metrics.dsr import DsrResult, DsrTrend

TREND_HISTORY_DAYS = 90  # the report's DSR trend: the score shown on each of the last 90 days


def dsr_of(reviews: LoadedExport, ctx: RunContext) -> DsrResult:
    from tmallcli.metrics.dsr import DsrRules, compute_dsr

    rules = DsrRules.from_config(ctx.config, ctx.category)
    return compute_dsr(reviews.lazy(), rules, ctx.as_of.instant)


def dsr_trend_of(reviews: LoadedExport, ctx: RunContext) -> DsrTrend:
    from tmallcli.metrics.dsr import DsrRules, score_trend

    rules = DsrRules.from_config(ctx.config, ctx.category)
    return score_trend(reviews.lazy(), rules, ctx.as_of.instant, history_days=TREND_HISTORY_DAYS)


def run_dsr(exports: Exports, ctx: RunContext) -> Run[DsrResult]:
    from tmallcli.metrics.dsr import COLUMNS

    with exports.open(ctx) as files:
        return finish(dsr_of(files.load("reviews", COLUMNS), ctx), files)
