"""Freshness (SPEC §14): how far each export read reaches (``data_through``, its newest row),
which exports are too old for T, and which metrics' windows run past their data.

One rule with one number, ``freshness.max_lag_days`` (config): data that ends more than that
many days before the day it is meant to cover is stale. For an export the day is T (an export
downloaded this morning reaches yesterday or today); for a metric it is the last day of its
window (the 24h pickup rate's window ends on T−3, so orders that end on T−3 still give it in
full, while the refund times' window, ending on T−1, runs past them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tmallcli.exports.inputs import Read
    from tmallcli.metrics.service_score import MetricInput
    from tmallcli.runs.context import RunContext


@dataclass(frozen=True)
class StaleExport:
    """An export whose newest row is older than T − max_lag_days (JSON ``stale``)."""

    kind: str
    data_through: datetime


@dataclass(frozen=True)
class Freshness:
    """What a run read (JSON ``inputs``) and which of it is stale for T (JSON ``stale``)."""

    as_of: date
    max_lag_days: int
    inputs: list[Read]
    stale: list[StaleExport]
    exempt: frozenset[str] = frozenset()

    def newest(self, kind: str) -> datetime | None:
        """The kind's newest row, when the run read the kind and it has a time."""
        for read in self.inputs:
            if read.kind == kind:
                return read.data_through
        return None

    def days_behind(self, newest: datetime) -> int:
        """Whole days from a newest row's date to T."""
        return lag_days(self.as_of, newest)

    def window_stale(self, kinds: Iterable[str], window_end: date | datetime | None) -> bool:
        """Does a window ending on ``window_end`` run more than max_lag_days past the newest
        row of one of ``kinds``? Kinds not read, without a time, or exempt are not judged."""
        if window_end is None:
            return False
        end = window_end.date() if isinstance(window_end, datetime) else window_end
        for kind in kinds:
            newest = None if kind in self.exempt else self.newest(kind)
            if newest is not None and lag_days(end, newest) > self.max_lag_days:
                return True
        return False

    def messages(self) -> list[str]:
        """One stderr line per stale export, with both dates."""
        from tmallcli.i18n import tr

        return [
            tr(
                "stale {kind} export: its newest row is {newest}, {days} days before the as-of "
                "date {as_of} (freshness.max_lag_days: {max}); its figures may be out of date: "
                "download a fresh export, or give --as-of for the day it covers",
                kind=s.kind,
                newest=f"{s.data_through:%Y-%m-%d %H:%M:%S}",
                days=lag_days(self.as_of, s.data_through),
                as_of=self.as_of,
                max=self.max_lag_days,
            )
            for s in self.stale
        ]


def lag_days(day: date, newest: datetime) -> int:
    """Whole days from the newest row's date to ``day`` (0: the same day; negative: later)."""
    return (day - newest.date()).days


def freshness_of(reads: list[Read], ctx: RunContext) -> Freshness:
    """The run's reads judged against T and ``freshness.max_lag_days``."""
    from tmallcli.exports.kinds import KIND_NAMES

    rules = ctx.config.freshness
    exempt = frozenset(rules.exempt_kinds)
    # In the order the kinds are always listed (orders first), not the order a run read them.
    reads = sorted(reads, key=lambda r: KIND_NAMES.index(r.kind) if r.kind in KIND_NAMES else 99)
    stale = [
        StaleExport(read.kind, read.data_through)
        for read in reads
        if read.data_through is not None
        and read.kind not in exempt
        and lag_days(ctx.as_of.date, read.data_through) > rules.max_lag_days
    ]
    return Freshness(ctx.as_of.date, rules.max_lag_days, list(reads), stale, exempt)


def metric_windows(parts: Any) -> dict[str, tuple[tuple[str, ...], date | datetime | None]]:
    """The §6 metrics' source exports and the last day of each one's window, from the
    results computed (a :class:`~tmallcli.runs.service.Components`). The DSR from the shop
    page's figures has no window of rows: it is not judged."""
    windows: dict[str, tuple[tuple[str, ...], date | datetime | None]] = {}
    dsr_end = getattr(parts.dsr, "window_end", None)  # a DsrResult; not the page's figures
    for key in ("item_review_score", "logistics_review_score"):
        windows[key] = (("reviews",), dsr_end)
    if parts.pickup is not None:
        windows["pickup_24h_rate"] = (("orders", "logistics"), parts.pickup.window_end)
    if parts.refunds is not None:
        end = parts.refunds.window_end
        windows["refund_only_hours"] = (("refunds",), end)
        windows["return_refund_hours"] = (("refunds",), end)
        windows["dispute_refund_rate"] = (("refunds", "orders"), end)
    if parts.response is not None:
        for key in ("response_rate", "response_3min_rate", "human_response_seconds"):
            windows[key] = (("chats",), parts.response.window_end)
    if parts.complaints is not None:
        windows["complaint_rate"] = (("complaints", "orders"), parts.complaints.window[1])
    return windows


def stale_metrics(parts: Any, freshness: Freshness) -> set[str]:
    """The §6 metrics whose window runs past their exports' data (computed, marked stale)."""
    return {
        key
        for key, (kinds, end) in metric_windows(parts).items()
        if freshness.window_stale(kinds, end)
    }


def mark_stale(
    values: dict[str, MetricInput], parts: Any, freshness: Freshness
) -> dict[str, MetricInput]:
    """The §6 metric values, those whose window runs past their data marked stale."""
    from dataclasses import replace

    stale = stale_metrics(parts, freshness)
    return {k: replace(v, stale=True) if k in stale else v for k, v in values.items()}
