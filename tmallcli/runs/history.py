"""A run's headline figures into the history, and the history back out (SPEC §15).

``figures_of`` picks the figures a command computed out of its result, under the keys of
:data:`~tmallcli.config.history.HISTORY_METRICS`; each is the exact value the command
judges (a DSR's or an average's fraction, a rate's timely / population), as a float. A
figure a run computed under other rules than the report's is not recorded, so a day's value
never depends on which command wrote it last: ``score service --set`` (a what-if),
``audit pickup --preset`` (another promise than 24 h), ``score cs`` over another period
than the report's last 30 days or for one ``--account``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tmallcli.config.history import HISTORY_METRICS

if TYPE_CHECKING:
    from tmallcli.history import Point, Recorded
    from tmallcli.runs.context import Exports, RunContext

DSR_KEYS = {
    "description": "dsr_description",
    "service": "dsr_service",
    "logistics": "dsr_logistics",
}


def shop_key(ctx: RunContext, exports: Exports) -> str:
    """The shop a run's figures belong to: the config's ``shop.name`` when it has one, else
    the name of the ``--dir`` folder, else of the folder of the first export given (a shop's
    exports live in the shop's folder: ``shops/旗舰店/``). The one place that decides it."""
    configured = getattr(getattr(ctx.config, "shop", None), "name", None)
    if configured:
        return str(configured)
    folder = exports.directory
    if folder is None:
        first = next((paths[0] for paths in exports.files.values() if paths), None)
        folder = Path(".") if first is None else Path(first).parent
    return Path(folder).resolve().name or str(Path(folder).resolve())


def _put(figures: dict[str, float], key: str, value: Any) -> None:
    if value is not None:
        figures[key] = float(value)


def service_figures(score: Any) -> dict[str, float]:
    """The service total and each metric's value (None: not given, not recorded)."""
    figures: dict[str, float] = {}
    if any(m.status == "what_if" for m in score.metrics.values()):
        return figures  # a hypothetical total is not the shop's
    _put(figures, "service_total", score.total)
    for key, metric in score.metrics.items():
        if metric.status == "ok":
            _put(figures, key, metric.value)
    return figures


def dsr_figures(dsr: Any) -> dict[str, float]:
    from tmallcli.runs.service import dsr_exact

    figures: dict[str, float] = {}
    for dimension, key in DSR_KEYS.items():
        _put(figures, key, dsr_exact(dsr, dimension))
    return figures


def pickup_figures(pickup: Any, ctx: RunContext) -> dict[str, float]:
    from tmallcli.metrics.pickup import PickupRules

    shipped = PickupRules.from_config(ctx.config)
    if replace(pickup.rules, limit=0) != replace(shipped, limit=0):
        return {}  # a preset: not the 24 h rate the report and the service score read
    figures: dict[str, float] = {}
    _put(figures, "pickup_24h_rate", pickup.rate)  # as the service score reads it
    return figures


def refunds_figures(refunds: Any) -> dict[str, float]:
    figures: dict[str, float] = {}
    for key in ("refund_only_hours", "return_refund_hours", "dispute_refund_rate"):
        _put(figures, key, getattr(refunds, key))
    return figures


def response_figures(response: Any) -> dict[str, float]:
    figures: dict[str, float] = {}
    totals = response.totals
    for key in ("response_rate", "response_3min_rate", "human_response_seconds"):
        _put(figures, key, getattr(totals, key))
    return figures


def cs_figures(cs: Any, ctx: RunContext) -> dict[str, float]:
    """The human average over the report's period (the last 30 days), for the whole shop."""
    from tmallcli.runs.cs import REPORT_DAYS, CsPeriod, cs_span

    figures: dict[str, float] = {}
    if cs.account is None and cs.period == cs_span(ctx, CsPeriod(last=REPORT_DAYS)):
        _put(figures, "cs_human_average", cs.human.exact)
    return figures


def triage_figures(triage: Any) -> dict[str, float]:
    figures: dict[str, float] = {}
    _put(figures, "good_rate", triage.good_rate_exact)
    return figures


def report_figures(shop: Any, ctx: RunContext) -> dict[str, float]:
    """Every figure of ``tmall report``: the same values as each section's own command."""
    figures: dict[str, float] = {}
    if shop.service is not None:
        figures |= service_figures(shop.service)
    if shop.dsr is not None:
        figures |= dsr_figures(shop.dsr)
    if shop.pickup is not None:
        figures |= pickup_figures(shop.pickup, ctx)
    if shop.refunds is not None:
        figures |= refunds_figures(shop.refunds)
    if shop.response is not None:
        figures |= response_figures(shop.response)
    if shop.cs is not None:
        figures |= cs_figures(shop.cs, ctx)
    if shop.triage is not None:
        figures |= triage_figures(shop.triage)
    return figures


def figures_of(result: Any, ctx: RunContext) -> tuple[str, dict[str, float]]:
    """The command that made ``result`` (its ``Run.result``) and the history's figures in it."""
    from tmallcli.metrics.cs_ratings import CsResult
    from tmallcli.metrics.pickup import PickupResult
    from tmallcli.metrics.refunds import RefundsResult
    from tmallcli.metrics.response import ResponseResult
    from tmallcli.metrics.reviews import TriageResult
    from tmallcli.runs.cs import CsRun
    from tmallcli.runs.report import ShopReport
    from tmallcli.runs.service import ServiceRun

    if isinstance(result, ShopReport):
        command, found = "report", report_figures(result, ctx)
    elif isinstance(result, ServiceRun):
        command, found = "score service", service_figures(result.score)
    elif isinstance(result, PickupResult):
        command, found = "audit pickup", pickup_figures(result, ctx)
    elif isinstance(result, RefundsResult):
        command, found = "audit refunds", refunds_figures(result)
    elif isinstance(result, ResponseResult):
        command, found = "audit response", response_figures(result)
    elif isinstance(result, CsRun | CsResult):
        command, found = "score cs", cs_figures(getattr(result, "result", result), ctx)
    elif isinstance(result, TriageResult):
        command, found = "reviews triage", triage_figures(result)
    elif hasattr(result, "dimensions"):  # a DsrResult or the page's PageDsr
        command, found = "score dsr", dsr_figures(result)
    else:
        raise TypeError(f"no history figures for {type(result).__name__}")
    return command, {key: found[key] for key in HISTORY_METRICS if key in found}


# ------------------------------------------------------------------------------ --check


@dataclass(frozen=True)
class Drop:
    """A figure that worsened by more than ``history.max_drop`` since its previous day."""

    metric: str
    before: Point
    now: float
    worsening: float  # in max_drop's unit (points, percentage points, hours, seconds)
    max_drop: float

    @property
    def message(self) -> str:
        unit = HISTORY_METRICS[self.metric].unit
        shown = {"rate": "percentage points"}.get(unit, unit)
        return (
            f"history: {self.metric} worsened by {self.worsening:.4g} {shown} since "
            f"{self.before.as_of} ({self.before.value:.4g} → {self.now:.4g}; "
            f"history.max_drop.{self.metric} is {self.max_drop:g})"
        )


def drops(recorded: Recorded, max_drop: dict[str, float]) -> list[Drop]:
    """The figures of ``recorded`` that worsened by more than their ``max_drop`` since the
    previous recorded day (a figure without a previous day, or without a max_drop, never)."""
    found = []
    for metric, now in recorded.figures.items():
        before = recorded.previous.get(metric)
        limit = max_drop.get(metric)
        if before is None or limit is None:
            continue
        worse = HISTORY_METRICS[metric].worsening(before.value, now)
        if worse > limit + 1e-9:
            found.append(Drop(metric, before, now, worse, limit))
    return found


@dataclass
class Recording:
    """What ``--history`` did for a run: the record, the drops past ``max_drop``."""

    recorded: Recorded
    drops: list[Drop] = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        return [d.message for d in self.drops]


def record_run(
    path: Path,
    result: Any,
    ctx: RunContext,
    exports: Exports,
    *,
    now: datetime | None = None,
) -> Recording:
    """Record ``result``'s figures for its shop and T; the figures that dropped too far."""
    from tmallcli.history import record
    from tmallcli.timeframe import now_shanghai

    command, figures = figures_of(result, ctx)
    when = now or now_shanghai()
    recorded = record(
        path, shop_key(ctx, exports), ctx.as_of.date, figures, command=command, now=when
    )
    return Recording(recorded, drops(recorded, ctx.config.history.max_drop))


# ------------------------------------------------------------------------------ tmall history


@dataclass
class Series:
    """``tmall history``: the shop's recorded figures, each oldest first."""

    path: str
    shop: str
    metrics: dict[str, list[Point]]
    start: date | None = None
    end: date | None = None


def run_history(
    path: Path,
    *,
    shop: str | None = None,
    metrics: list[str] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Series:
    """The series of one shop (``shop``, or the file's only one) from an existing history."""
    from tmallcli.errors import UsageError
    from tmallcli.history import read_history

    if metrics is not None:
        unknown = [m for m in metrics if m not in HISTORY_METRICS]
        if unknown:
            raise UsageError(
                f"--metric: unknown figure {unknown[0]!r} (known: {', '.join(HISTORY_METRICS)})"
            )
    if start is not None and end is not None and start > end:
        raise UsageError(f"--from {start} is after --to {end}")
    with read_history(path) as history, history.transaction(write=False):
        shops = history.shops()
        if shop is None:
            if len(shops) > 1:
                raise UsageError(
                    f"{path} holds {len(shops)} shops: pick one with --shop ({', '.join(shops)})"
                )
            shop = shops[0] if shops else ""
        elif shop not in shops:
            raise UsageError(
                f"--shop: {shop!r} has no figures in {path} (shops: {', '.join(shops) or 'none'})"
            )
        found = history.series(shop, metrics=metrics, start=start, end=end)
    ordered = {key: found[key] for key in HISTORY_METRICS if key in found}
    return Series(str(path), shop, ordered, start, end)


def trends(path: Path, shop: str, as_of: date, days: int = 90) -> dict[str, list[Point]]:
    """The last ``days`` days (to ``as_of``) of every figure: the report's HTML trends."""
    from datetime import timedelta

    from tmallcli.history import read_history

    with read_history(path) as history, history.transaction(write=False):
        return history.series(shop, start=as_of - timedelta(days=days - 1), end=as_of)
