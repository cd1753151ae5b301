"""``tmall history backfill``: past days' figures from the exports already there (SPEC §15).

Every rule is a function of the as-of date, so the exports a shop has today give the figures
of each past day they cover. The exports are read once: the report's sections
(:func:`tmallcli.runs.report.build_report`) run for each day, with a :class:`RunContext` of
that day, on loads that are held for the next day instead of let go (:class:`HeldInputs`).
Each day's figures are what ``tmall report --as-of D --history FILE`` records: the same
sections, the same loads, the same figure picking (:func:`tmallcli.runs.history.report_figures`).

The shop's DSR page (``--stars`` / ``--summary`` / a summary file in the folder) is not used:
its counts are the page on the day it was copied, not a function of T. A shop whose reviews
carry no per-rating DSR gets no DSR figures for the past days.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tmallcli.config.history import HISTORY_METRICS
from tmallcli.exports.inputs import Inputs
from tmallcli.i18n import tr
from tmallcli.runs.context import Exports, Run, RunContext

if TYPE_CHECKING:
    from tmallcli.history import Point

MAX_DAYS = 400  # a little over a year: the longest window a rule reads is 180 days


class HeldInputs(Inputs):
    """Exports whose loads stay until the block ends: the next day reads them again."""

    def release(self, *args: Any, **kwargs: Any) -> None:
        return None

    def release_kind(self, kind: str) -> None:
        return None


@dataclass
class Backfill:
    path: str
    shop: str
    days: list[date]
    metrics: dict[str, list[Point]] = field(default_factory=dict)  # figure → points, oldest first


def each_day(start: date, end: date) -> list[date]:
    from tmallcli.errors import UsageError

    if start > end:
        raise UsageError(tr("--from {start} is after --to {end}", start=start, end=end))
    count = (end - start).days + 1
    if count > MAX_DAYS:
        raise UsageError(
            tr(
                "--from {start} --to {end} is {count} days: at most {most} at once",
                start=start,
                end=end,
                count=count,
                most=MAX_DAYS,
            )
        )
    return [start + timedelta(days=k) for k in range(count)]


def day_figures(
    exports: Exports, ctx: RunContext, days: list[date]
) -> tuple[dict[date, dict[str, float]], Run[None]]:
    """Each day's figures, the exports loaded once; with what the run read and has to say."""
    from contextlib import nullcontext

    from tmallcli.runs.history import report_figures
    from tmallcli.runs.report import build_report
    from tmallcli.timeframe import resolve_as_of

    figures: dict[date, dict[str, float]] = {}
    notes: list[str] = []
    with replace(exports, progress=None).open(ctx, kind=HeldInputs) as files:
        files.dsr_summaries.clear()  # the page's counts are today's, not a past day's
        bar = (
            nullcontext(None)
            if exports.progress is None
            else exports.progress("backfill", len(days))
        )
        with bar as shown:
            for day in days:
                day_ctx = replace(ctx, as_of=resolve_as_of(day.isoformat()))
                shop = build_report(files, day_ctx)
                figures[day] = report_figures(shop, day_ctx)
                notes += [n.message for n in shop.warnings] + shop.notices
                notes += [
                    tr("{section}: skipped ({reason})", section=section, reason=why)
                    for section, why in shop.skipped.items()
                ]
                if shown is not None:
                    shown.advance(str(day))
        said = Run(
            None,
            files.reads(),
            files.warnings,
            [*files.notes(), *dict.fromkeys(notes), *files.cache_notes()],
        )
    return figures, said


def run_backfill(
    exports: Exports, ctx: RunContext, path: Path, start: date, end: date
) -> Run[Backfill]:
    """Compute ``start`` … ``end`` from ``exports`` and record them in the history at ``path``,
    in one transaction (each day replacing what that day held for its figures)."""
    from tmallcli.history import Point, record_days
    from tmallcli.runs.history import shop_key
    from tmallcli.timeframe import now_shanghai

    days = each_day(start, end)
    figures, said = day_figures(exports, ctx, days)
    shop = shop_key(ctx, exports)
    record_days(path, shop, figures, command="history backfill", now=now_shanghai())
    metrics: dict[str, list[Point]] = {}
    for key in HISTORY_METRICS:
        points = [Point(day, found[key]) for day, found in figures.items() if key in found]
        if points:
            metrics[key] = points
    return Run(Backfill(str(path), shop, days, metrics), said.read, said.input_warnings, said.notes)
