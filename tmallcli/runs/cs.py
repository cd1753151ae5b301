"""``tmall score cs``: 客服评价 per period and sub-account (SPEC §9)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from tmallcli.i18n import tr
from tmallcli.runs.context import Exports, Run, RunContext, finish, run_once

if TYPE_CHECKING:
    from fractions import Fraction

    from tmallcli.exports.inputs import Inputs
    from tmallcli.exports.reader import LoadedExport
    from tmallcli.metrics.cs_ratings import CsResult, Period

REPORT_DAYS = 30  # the report's 客服评价: the last 30 days ending yesterday (最近30天)


@dataclass(frozen=True)
class CsPeriod:
    """``--day``, ``--last N`` or ``--from/--to`` (default: yesterday)."""

    day: date | None = None
    last: int | None = None
    start: date | None = None
    end: date | None = None


@dataclass
class CsRun:
    result: CsResult
    min_average: Fraction | None  # the target the human average is held to (None: none set)


def cs_span(ctx: RunContext, period: CsPeriod) -> Period:
    """The dates rated, checked against the longest span allowed (an error beyond)."""
    from tmallcli.metrics.cs_ratings import CsRules, resolve_period

    return resolve_period(
        ctx.as_of.date,
        day=period.day,
        last=period.last,
        start=period.start,
        end=period.end,
        max_days=CsRules.from_config(ctx.config).max_days,
    )


def cs_of(
    ratings: LoadedExport, ctx: RunContext, span: Period, account: str | None = None
) -> CsResult:
    from tmallcli.metrics.cs_ratings import CsRules, compute_cs

    rules = CsRules.from_config(ctx.config)
    return compute_cs(ratings.lazy(), rules, span.start, span.end, account)


def cs_target(ctx: RunContext, min_average: float | None = None) -> Fraction | None:
    """The human average to hold the shop to: ``--min-average``, else ``cs.min_average``."""
    from tmallcli.metrics.cs_ratings import CsRules
    from tmallcli.metrics.dsr import exact

    return (
        CsRules.from_config(ctx.config).min_average if min_average is None else exact(min_average)
    )


def run_cs(
    exports: Exports,
    ctx: RunContext,
    period: CsPeriod,
    *,
    account: str | None = None,
    min_average: float | None = None,
    check: bool = False,
) -> Run[CsRun]:
    from tmallcli.errors import UsageError
    from tmallcli.metrics.cs_ratings import COLUMNS

    target = cs_target(ctx, min_average)
    if check and target is None:
        raise UsageError(
            tr("--check needs a target: --min-average A, or cs.min_average in the config")
        )
    span = cs_span(ctx, period)  # a period not allowed is said before any file is read

    def compute(files: Inputs) -> Run[CsRun]:
        result = cs_of(files.load("cs_ratings", COLUMNS), ctx, span, account)
        return finish(CsRun(result, target), files, [n.message for n in result.warnings], ctx=ctx)

    return run_once("cs", exports, ctx, (span, account, target), compute)
