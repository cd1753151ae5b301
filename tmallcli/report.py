"""Everything a folder of exports allows, computed once (SPEC §11): the library behind
``tmall report`` and ``tmall demo``.

Each section is computed exactly as its own command computes it — the same columns read,
the same rules, the same defaults — so the report's DSR equals ``tmall score dsr``, its
compensation equals ``tmall compensate late-orders`` without a ledger (a dry computation:
the report never touches a ledger), its 客服评价 equals ``tmall score cs --last 30``, and so
on. A section whose export is missing is skipped with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tmallcli.exports.inputs import Inputs
    from tmallcli.exports.reader import Reduce
    from tmallcli.metrics.compensation import CompensationRules, Proposal, Settlement
    from tmallcli.metrics.cs_ratings import CsResult
    from tmallcli.metrics.disputes import ComplaintRate
    from tmallcli.metrics.dsr import DsrResult, DsrTrend
    from tmallcli.metrics.pickup import PickupResult
    from tmallcli.metrics.refunds import RefundsResult
    from tmallcli.metrics.response import ResponseResult
    from tmallcli.metrics.reviews import TriageResult
    from tmallcli.metrics.service_score import ServiceScore
    from tmallcli.timeframe import AsOf

# The order of the sections in the report, and the name of each in JSON.
SECTIONS = ("service", "dsr", "pickup", "response", "refunds", "compensation", "cs", "triage")

CS_DAYS = 30  # 客服评价 over the last 30 days ending yesterday (最近30天)
TRIAGE_LIMIT = 100  # the follow-up queue as `tmall reviews triage` lists it by default
TREND_HISTORY_DAYS = 90  # DSR trend: the score shown on each of the last 90 days

# Which exports each section needs (any of them, for the service score).
NEEDS: dict[str, tuple[str, ...]] = {
    "service": ("orders", "reviews", "refunds", "chats", "complaints"),
    "dsr": ("reviews",),
    "pickup": ("orders",),
    "response": ("chats",),
    "refunds": ("refunds",),
    "compensation": ("orders",),
    "cs": ("cs_ratings",),
    "triage": ("reviews",),
}


@dataclass
class CompensationRun:
    """``tmall compensate late-orders`` without ``--ledger``: what is owed, nothing recorded."""

    proposal: Proposal
    settlement: Settlement
    rules: CompensationRules


@dataclass
class IgnoredFile:
    path: str
    reason: str


@dataclass
class ShopReport:
    as_of: AsOf
    category: str
    files: dict[str, list[str]]  # kind → the files used for it
    ignored: list[IgnoredFile]
    service: ServiceScore | None = None
    service_notes: list[str] = field(default_factory=list)
    dsr: DsrResult | None = None
    dsr_trend: DsrTrend | None = None
    pickup: PickupResult | None = None
    response: ResponseResult | None = None
    refunds: RefundsResult | None = None
    complaints: ComplaintRate | None = None
    compensation: CompensationRun | None = None
    cs: CsResult | None = None
    cs_min_average: Fraction | None = None
    triage: TriageResult | None = None
    skipped: dict[str, str] = field(default_factory=dict)  # section → why it is missing
    input_warnings: list[dict[str, Any]] = field(default_factory=list)


Load = tuple[str, tuple[str, ...], "Reduce | None"]


def planned_loads(files: Inputs, config: Any) -> list[Load]:
    """Every (kind, columns, reduce) the sections read, so that all parsing happens up front.

    Each command reads only the columns its rules need and judges duplicate rows on those
    columns; reading each kind with each command's column set keeps every section equal
    to its command. Files are transcoded once however often they are read.
    """
    from tmallcli.metrics import compensation, cs_ratings, disputes, dsr, refunds, response
    from tmallcli.metrics import reviews as triage
    from tmallcli.metrics.shipping import EVENT_COLUMNS, ORDER_COLUMNS, PackagePickups, PickupWords

    packages = PackagePickups(PickupWords.from_config(config.pickup))
    wanted: list[Load] = [
        ("logistics", EVENT_COLUMNS, packages),
        ("logistics", compensation.EVENT_COLUMNS, packages),
    ]
    wanted += [
        (kind, columns, None)
        for kind, columns in [
            ("reviews", dsr.COLUMNS),
            ("reviews", triage.COLUMNS),
            ("orders", ORDER_COLUMNS),  # also the dispute rate's (see compute_components)
            ("orders", compensation.ORDERS_COLUMNS),
            ("refunds", refunds.COLUMNS),
            ("refunds", compensation.REFUND_COLUMNS),
            ("chats", response.COLUMNS),
            ("complaints", disputes.COLUMNS),
            ("cs_ratings", cs_ratings.COLUMNS),
        ]
    ]
    seen: set[tuple[str, frozenset[str], Reduce | None]] = set()
    loads = []
    for kind, columns, reduce in wanted:
        key = (kind, frozenset(columns), reduce)
        if files.has(kind) and key not in seen:
            seen.add(key)
            loads.append((kind, tuple(columns), reduce))
    return loads


def ignored_files(directory: Path, files: Inputs) -> list[IgnoredFile]:
    """Everything in the folder that is not used, and why (SPEC §11: say which were used)."""
    from tmallcli.exports.paths import EXPORT_SUFFIXES

    used = {str(Path(p).resolve()) for paths in files.files.values() for p in paths}
    unrecognised = {str(Path(p).resolve()) for p in files.ignored}
    ignored = []
    for entry in sorted(directory.iterdir(), key=lambda p: p.name):
        if entry.name.startswith(".") or str(entry.resolve()) in used:
            continue
        if entry.is_dir():
            reason = "folder (not searched)"
        elif str(entry.resolve()) in unrecognised:
            reason = "headers match no export kind"
        elif entry.suffix.lower() not in EXPORT_SUFFIXES or entry.name.startswith("~$"):
            reason = f"not an export file ({', '.join(EXPORT_SUFFIXES)})"
        else:
            reason = "not read"
        ignored.append(IgnoredFile(str(entry), reason))
    return ignored


def build_report(
    files: Inputs,
    config: Any,
    category_name: str,
    category: Any,
    as_of: AsOf,
    *,
    directory: Path | None = None,
    advance: Callable[[str], None] | None = None,
) -> ShopReport:
    """Run every section the exports in ``files`` allow.

    ``files`` must already hold every load of :func:`planned_loads` (see :func:`preload`):
    ``advance`` is called before each computation, e.g. to move a progress bar, and no
    file is read while it runs.
    """
    from tmallcli.assessment import compute_components, metric_inputs
    from tmallcli.metrics import cs_ratings, dsr
    from tmallcli.metrics import reviews as triage
    from tmallcli.metrics.service_score import score_service

    step = advance or (lambda label: None)
    report = ShopReport(
        as_of=as_of,
        category=category_name,
        files={kind: list(paths) for kind, paths in files.files.items() if paths},
        ignored=[] if directory is None else ignored_files(directory, files),
    )
    for section, kinds in NEEDS.items():
        if not any(files.has(k) for k in kinds):
            report.skipped[section] = "no " + " / ".join(kinds) + " export"

    # DSR, pickup, refunds, 旺旺 and complaints: once, shared with the service score.
    step("DSR / 揽收 / 退款 / 旺旺 / 投诉")
    parts = compute_components(files, config, category, as_of)
    report.dsr, report.pickup = parts.dsr, parts.pickup
    report.refunds, report.response, report.complaints = (
        parts.refunds,
        parts.response,
        parts.complaints,
    )
    if files.has("orders") and parts.pickup is None:
        report.skipped["pickup"] = "; ".join(parts.notes) or "no pickup time"
    if files.has("reviews"):
        step("DSR 走势")
        report.dsr_trend = dsr.score_trend(
            files.load("reviews", dsr.COLUMNS).lazy(),
            dsr.DsrRules.from_config(config, category),
            as_of.instant,
            history_days=TREND_HISTORY_DAYS,
        )
    if "service" not in report.skipped:
        step("基础服务考核分")
        report.service = score_service(category, metric_inputs(parts), {})
        report.service_notes = list(parts.notes)

    if files.has("orders"):
        step("延迟发货赔付")
        run = _compensation(files, config, as_of)
        if isinstance(run, str):
            report.skipped["compensation"] = run
        else:
            report.compensation = run
    if files.has("cs_ratings"):
        step("客服评价")
        rules = cs_ratings.CsRules.from_config(config)
        period = cs_ratings.resolve_period(as_of.date, last=CS_DAYS, max_days=rules.max_days)
        loaded = files.load("cs_ratings", cs_ratings.COLUMNS)
        report.cs = cs_ratings.compute_cs(loaded.lazy(), rules, period.start, period.end)
        report.cs_min_average = rules.min_average
    if files.has("reviews"):
        step("中差评")
        loaded = files.load("reviews", triage.COLUMNS)
        report.triage = triage.compute_triage(
            loaded.lazy(), triage.TriageRules.from_config(config, limit=TRIAGE_LIMIT), as_of
        )
    report.input_warnings = files.warnings
    return report


def _compensation(files: Inputs, config: Any, as_of: AsOf) -> CompensationRun | str:
    """The late-orders computation of ``tmall compensate late-orders``, ledger-free."""
    from tmallcli.metrics.compensation import (
        EVENT_COLUMNS,
        ORDERS_COLUMNS,
        REFUND_COLUMNS,
        CompensationRules,
        PackagePickups,
        propose,
        settle_payouts,
    )

    rules = CompensationRules.from_config(config)
    orders = files.load("orders", ORDERS_COLUMNS)
    events = files.maybe("logistics", EVENT_COLUMNS, PackagePickups(rules.words))
    refunds = files.maybe("refunds", REFUND_COLUMNS)
    if events is None and not (orders.has("picked_up_at") or orders.has("shipped_at")):
        return (
            "cannot tell which orders shipped: the orders export has neither 揽收时间 nor "
            "发货时间 and there is no logistics export"
        )
    proposal = propose(
        orders.lazy(),
        None if events is None else events.lazy(),
        None if refunds is None else refunds.lazy(),
        rules,
        as_of.instant,
        platform_column=orders.has("auto_compensation"),
    )
    return CompensationRun(proposal, settle_payouts(proposal, None), rules)


def preload(files: Inputs, config: Any) -> list[Load]:
    """Read every export the report needs (each with its own progress on a terminal)."""
    loads = planned_loads(files, config)
    for kind, columns, reduce in loads:
        files.load(kind, columns, reduce)
    return loads


def steps(files: Inputs) -> int:
    """How many times :func:`build_report` calls ``advance`` for these exports."""
    count = 1  # the shared components
    count += files.has("reviews") * 2  # trend, triage
    count += any(files.has(k) for k in NEEDS["service"])
    count += files.has("orders") + files.has("cs_ratings")
    return int(count)
