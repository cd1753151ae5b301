"""``tmall reviews triage``: 中差评 by cause, and the follow-up queue (SPEC §10)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tmallcli.i18n import tr
from tmallcli.runs.context import Exports, Run, RunContext, finish, run_once

if TYPE_CHECKING:
    from tmallcli.exports.inputs import Inputs
    from tmallcli.exports.reader import LoadedExport
    from tmallcli.metrics.reviews import TriageResult

REPORT_LIMIT = 100  # the report's follow-up queue, as `tmall reviews triage` lists it by default


def triage_of(
    reviews: LoadedExport, ctx: RunContext, *, limit: int, days: int | None = None
) -> TriageResult:
    from tmallcli.metrics.reviews import TriageRules, compute_triage

    rules = TriageRules.from_config(ctx.config, limit=limit)
    return compute_triage(reviews.lazy(), rules, ctx.as_of, days)


def run_triage(
    exports: Exports, ctx: RunContext, *, limit: int, days: int | None = None
) -> Run[TriageResult]:
    from tmallcli.errors import UsageError
    from tmallcli.metrics.reviews import COLUMNS

    if days is not None and days < 1:
        raise UsageError(tr("--days: must be at least 1 (got {days})", days=days))
    if limit < 0:
        raise UsageError(tr("--limit: must be 0 (all) or more (got {limit})", limit=limit))

    def compute(files: Inputs) -> Run[TriageResult]:
        result = triage_of(files.load("reviews", COLUMNS), ctx, limit=limit, days=days)
        return finish(result, files, ctx=ctx)

    return run_once("triage", exports, ctx, (limit, days), compute)
