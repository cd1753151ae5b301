"""``tmall report`` and ``tmall demo``: everything a folder of exports allows (SPEC §11).

Each section is computed by the same part as its own command (:mod:`tmallcli.runs.dsr`,
:mod:`~tmallcli.runs.pickup` …), so the report's DSR equals ``tmall score dsr``, its
compensation equals ``tmall compensate late-orders`` without a ledger (a dry computation: the
report never touches a ledger), its 客服评价 equals ``tmall score cs --last 30``, and so on. A
section whose export is missing is skipped with the reason.

Each export is parsed once (SPEC §12: the report at most 1.3× ``score service``), with the
union of the columns its sections read; each section still judges duplicate rows on its own
columns, from that one load (:meth:`~tmallcli.exports.inputs.Inputs.load_parts`). The exports
are read in the order the sections need them and let go when no section needs them any more,
so the orders and the tracking events are not held beside the reviews and chats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tmallcli.i18n import N_, tr
from tmallcli.runs.compensation import LateOrdersRun, can_tell_shipping, proposal_of
from tmallcli.runs.context import Exports, Run, RunContext
from tmallcli.runs.cs import REPORT_DAYS, CsPeriod, cs_of, cs_span, cs_target
from tmallcli.runs.dsr import (
    NEEDS_STARS,
    StarOptions,
    dsr_missing,
    dsr_of,
    dsr_trend_of,
    rated_of,
    reviews_have_dsr,
)
from tmallcli.runs.orders import (
    NEEDS_PAID_AMOUNT,
    can_compensate,
    paid_without_status,
    with_buyers,
    without_paid_amount,
)
from tmallcli.runs.pickup import NEEDS_PICKUP_TIME, pickup_of, pickup_orders, pickup_rules
from tmallcli.runs.refunds import refunds_of
from tmallcli.runs.response import response_of
from tmallcli.runs.service import (
    SERVICE_KINDS,
    Components,
    complaints_of,
    dsr_component,
    given_kinds,
    metric_inputs,
)
from tmallcli.runs.triage import REPORT_LIMIT, triage_of
from tmallcli.runs.verdicts import threshold_source

if TYPE_CHECKING:
    from tmallcli.config.origins import ServiceSources
    from tmallcli.exports.inputs import Inputs, Read
    from tmallcli.exports.reader import LoadedExport
    from tmallcli.metrics.cs_ratings import CsResult
    from tmallcli.metrics.disputes import ComplaintRate
    from tmallcli.metrics.dsr import DsrResult, DsrTrend
    from tmallcli.metrics.dsr_stars import PageDsr
    from tmallcli.metrics.pickup import Notice, PickupResult
    from tmallcli.metrics.refunds import RefundsResult
    from tmallcli.metrics.response import ResponseResult
    from tmallcli.metrics.reviews import TriageResult
    from tmallcli.metrics.service_score import ServiceScore
    from tmallcli.timeframe import AsOf

# The orders' texts of a few values (statuses, carriers, warehouses, items, delivery promises),
# held as Categorical by the report's one read of the orders.
REPEATED_TEXTS = ("status", "carrier", "warehouse", "item_id", "item_title", "service_promise")

# Which exports each section needs (any of them, for the service score).
NEEDS: dict[str, tuple[str, ...]] = {
    "service": SERVICE_KINDS,
    "dsr": ("reviews",),
    "pickup": ("orders",),
    "response": ("chats",),
    "refunds": ("refunds",),
    "compensation": ("orders",),
    "cs": ("cs_ratings",),
    "triage": ("reviews",),
}

NO_SHIP_TIME = N_(
    "cannot tell which orders shipped: the orders export has neither 揽收时间 nor "
    "发货时间 and there is no logistics export"
)


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
    notices: list[str] = field(default_factory=list)  # the sections' warnings, for stderr
    dsr: DsrResult | PageDsr | None = None  # the page's star counts when given (SPEC §3)
    dsr_trend: DsrTrend | None = None
    pickup: PickupResult | None = None
    response: ResponseResult | None = None
    refunds: RefundsResult | None = None
    complaints: ComplaintRate | None = None
    compensation: LateOrdersRun | None = None
    cs: CsResult | None = None
    cs_min_average: Fraction | None = None
    triage: TriageResult | None = None
    skipped: dict[str, str] = field(default_factory=dict)  # section → why it is missing
    input_warnings: list[dict[str, Any]] = field(default_factory=list)
    # What the exports lacked and how the sections made do (SPEC §2.1; JSON ``warnings``).
    warnings: list[Notice] = field(default_factory=list)
    service_warnings: list[Any] = field(default_factory=list)  # Notice / ServiceWarning
    # Where the verdicts' thresholds come from (SPEC §14): verdict → platform / illustrative /
    # config, and the service score's threshold, weights and scales.
    threshold_sources: dict[str, str] = field(default_factory=dict)
    service_sources: ServiceSources | None = None
    # Whose shop (SPEC §14): config shop.name, else the exports' 店铺名称; where it came from.
    shop: str | None = None
    shop_source: str | None = None  # "config" | "exports"


def shop_of(files: Inputs, ctx: RunContext) -> tuple[str | None, str | None]:
    """The shop's name and where it came from: config ``shop.name``, else the exports'
    店铺名称 (the classic 订单报表, the 2024 refunds export) or 店铺 (客服评价); none when no
    export gives one."""
    from tmallcli.exports.shop import shop_name

    if ctx.config.shop.name is not None:
        return ctx.config.shop.name, "config"
    name = shop_name(files.reader, files.files)
    return (None, None) if name is None else (name, "exports")


def ignored_files(directory: Path, files: Inputs) -> list[IgnoredFile]:
    """Everything in the folder that is not used, and why (SPEC §11: say which were used); a
    workbook's sheets that are not used are listed each (``book.xlsx#发货报表``)."""
    from tmallcli.exports.paths import EXPORT_SUFFIXES, split_sheet

    def resolved(path: str) -> str:
        return str(split_sheet(Path(path))[0].resolve())

    used = {resolved(p) for paths in files.files.values() for p in paths}
    used |= {resolved(p) for p in files.dsr_summaries}
    reasons = {resolved(p): reason for p, reason in files.ignored_reasons.items()}
    sheets: dict[str, list[IgnoredFile]] = {}
    for path, reason in files.ignored_reasons.items():
        if split_sheet(Path(path))[1] is not None:
            sheets.setdefault(resolved(path), []).append(IgnoredFile(path, reason))
    ignored = []
    for entry in sorted(directory.iterdir(), key=lambda p: p.name):
        key = str(entry.resolve())
        if entry.name.startswith("."):
            continue
        if key in sheets:  # a workbook read sheet by sheet: the sheets not used
            ignored.extend(sheets[key])
            continue
        if key in used:
            continue
        if entry.is_dir():
            reason = tr("folder (not searched)")
        elif key in reasons:
            reason = reasons[key]
        elif entry.suffix.lower() not in EXPORT_SUFFIXES or entry.name.startswith("~$"):
            reason = tr("not an export file ({suffixes})", suffixes=", ".join(EXPORT_SUFFIXES))
        else:
            reason = tr("not read")
        ignored.append(IgnoredFile(str(entry), reason))
    return ignored


def used_files(files: Inputs) -> dict[str, list[str]]:
    """kind → the files used for it; the DSR page's summary (SPEC §3) as ``dsr_summary``."""
    used = {kind: list(paths) for kind, paths in files.files.items() if paths}
    if files.dsr_summaries:
        used["dsr_summary"] = list(files.dsr_summaries)
    return used


def steps(files: Inputs) -> int:
    """How many times :func:`build_report` calls ``advance`` for these exports."""
    count = files.has("refunds") * 2  # read, 售后
    if files.has("orders"):
        count += 3 + files.has("logistics")  # orders (and events) read, pickup, compensation
    count += files.has("reviews") * 4  # read, DSR, trend, triage
    count += files.has("chats") * 2  # read, response
    count += files.has("complaints") + files.has("cs_ratings")
    count += any(files.has(k) for k in NEEDS["service"])
    return int(count)


def row_for_row(one: LoadedExport, other: LoadedExport) -> bool:
    """Do two loads of one export hold the same orders in the same rows?"""
    first, second = one.frame.get_column("order_id"), other.frame.get_column("order_id")
    return len(first) == len(second) and bool(first.equals(second))


def build_report(
    files: Inputs,
    ctx: RunContext,
    *,
    directory: Path | None = None,
    advance: Callable[[str], None] | None = None,
    stars: StarOptions | None = None,
) -> ShopReport:
    """Run every section the exports in ``files`` allow, reading each export once.

    ``advance`` is called before each read and each computation, e.g. to move a progress bar.
    """
    from tmallcli.metrics import compensation, cs_ratings, disputes, dsr, refunds, response
    from tmallcli.metrics import reviews as triage
    from tmallcli.metrics.compensation import order_pickups
    from tmallcli.metrics.shipping import ORDER_COLUMNS

    step = advance or (lambda label: None)
    report = ShopReport(
        as_of=ctx.as_of,
        category=ctx.category_name,
        files=used_files(files),
        ignored=[] if directory is None else ignored_files(directory, files),
        threshold_sources={
            verdict: threshold_source(ctx, verdict)
            for verdict in ("service", "dsr", "cs", "triage", "refunds")
        },
        service_sources=ctx.service_sources,
    )
    stars = stars or StarOptions()
    # The shop page's DSR figures (given, or a summary --dir found) stand in for the reviews.
    page_given = stars.given or bool(files.dsr_summaries)
    for section, kinds in NEEDS.items():
        if section in ("dsr", "service") and page_given:
            continue
        if not any(files.has(k) for k in kinds):
            report.skipped[section] = tr("no {kinds} export", kinds=" / ".join(kinds))
    parts = Components(given=given_kinds(files, stars))
    paid = None

    # The tracking events, the orders and the refunds' compensation columns: pickup and
    # compensation, then let go (10 M orders: the largest frames of the run). The events are
    # folded first, so the fold's working memory is not needed beside the whole orders frame;
    # the orders' few-valued texts are held as Categorical (10 M orders: ~1 GB less).
    comp_rules = compensation.CompensationRules.from_config(ctx.config)
    rules = pickup_rules(ctx)
    if files.has("refunds"):
        step("退款 读取")
        files.load_parts("refunds", [refunds.COLUMNS, compensation.REFUND_COLUMNS])
    if files.has("orders"):
        events = None
        if files.has("logistics"):
            step("物流 读取")
            events = files.load(
                "logistics", compensation.EVENT_COLUMNS, compensation.PackagePickups(rules.words)
            )
        step("订单 读取")
        orders_for_pickup, orders_for_payouts = files.load_parts(
            "orders", [ORDER_COLUMNS, compensation.ORDERS_COLUMNS], categories=REPEATED_TEXTS
        )
        # What the orders export lacks (SPEC §2.1): each section says what concerns it.
        orders_for_pickup, unpaid = paid_without_status(orders_for_pickup)
        orders_for_payouts, _ = paid_without_status(orders_for_payouts)
        pickup_notices = unpaid + without_paid_amount(orders_for_pickup)
        payable = can_compensate(orders_for_payouts)
        notices = list(unpaid)
        if payable:
            orders_for_payouts, buyers = with_buyers(orders_for_payouts, files)
            notices += buyers
        report.warnings += pickup_notices + notices[len(unpaid) :]
        parts.warnings += pickup_notices
        paid = orders_for_pickup.frame.select("order_id", "paid_at").lazy()
        # Each order's pickup time, once: compensation reads every order's, the pickup rate
        # its candidates' (10 M orders: the tracking events looked up once, not twice). Then
        # the folded events go, before the candidates are taken and compensation's peak.
        pickups = order_pickups(
            orders_for_payouts.lazy(), None if events is None else events.lazy(), rules.words
        )
        have_events = events is not None
        shipping_known = can_tell_shipping(orders_for_payouts, events)
        del events
        files.release_kind("logistics")
        step("24小时揽收")
        # The pickup rate's orders are compensation's, row for row, when both parts are the
        # one load's rows (every order in one row): their pickup times are then set beside
        # them, not looked up by order number (10 M orders: a join of 10 M numbers, 2.9 s).
        beside = row_for_row(orders_for_pickup, orders_for_payouts)
        if beside:
            orders_for_pickup = replace(
                orders_for_pickup,
                frame=orders_for_pickup.frame.with_columns(pickups.get_column("pickup_at")),
            )
        candidates = pickup_orders(orders_for_pickup, rules, ctx)
        del orders_for_pickup
        files.release("orders", ORDER_COLUMNS, categories=REPEATED_TEXTS)
        if not have_events and not candidates.has_pickup_column:
            parts.notes.append(tr(NEEDS_PICKUP_TIME))
            report.skipped["pickup"] = tr(NEEDS_PICKUP_TIME)
        else:
            parts.pickup = pickup_of(
                candidates,
                None,
                rules,
                ctx,
                pickups=None
                if beside
                else orders_for_payouts.frame.select("order_id").hstack(
                    pickups.select("pickup_at")
                ),
                have_events=have_events,
            )
            parts.pickup.warnings.extend(pickup_notices)
        del candidates
        step("延迟发货赔付")
        if not shipping_known:
            report.skipped["compensation"] = tr(NO_SHIP_TIME)
        elif not payable:
            report.skipped["compensation"] = tr(NEEDS_PAID_AMOUNT)
        else:
            from tmallcli.metrics.compensation import settle_payouts

            refund_rows = files.maybe("refunds", compensation.REFUND_COLUMNS)
            proposal = proposal_of(
                orders_for_payouts, None, refund_rows, comp_rules, ctx, pickups=pickups
            )
            report.compensation = LateOrdersRun(
                proposal, settle_payouts(proposal), comp_rules, warnings=notices
            )
        del pickups, orders_for_payouts
        files.release_kind("orders")
    if files.has("refunds"):
        files.release("refunds", compensation.REFUND_COLUMNS)
        step("售后")
        after_sales = refunds_of(files.load("refunds", refunds.COLUMNS), paid, ctx)
        parts.take_refunds(after_sales)
        report.notices += [
            w.message for w in after_sales.warnings if w.code in refunds.METRIC_NOTICES
        ]
        files.release("refunds", refunds.COLUMNS)
    dsr_ratings, dsr_lacking = None, {}
    if files.has("reviews"):
        step("评价 读取")
        if reviews_have_dsr(files):
            for_dsr, for_triage = files.load_parts("reviews", [dsr.COLUMNS, triage.COLUMNS])
            step("DSR")
            # The monthly cap ranked once: the score and its trend count the same events.
            rated = rated_of(for_dsr, ctx)
            dsr_ratings, dsr_lacking = dsr_of(rated, ctx), dsr_missing(for_dsr)
            step("DSR 走势")
            report.dsr_trend = dsr_trend_of(rated, ctx)
            del for_dsr, rated
        else:  # the real review exports: no per-rating DSR (SPEC §2.1)
            for_triage = files.load("reviews", triage.COLUMNS)
            step("DSR")
            step("DSR 走势")
        step("中差评")
        report.triage = triage_of(for_triage, ctx, limit=REPORT_LIMIT)
        del for_triage
        files.release_kind("reviews")
    dsr_component(files, ctx, stars, dsr_ratings, parts, dsr_lacking)
    if parts.dsr is None and "dsr" not in report.skipped:
        report.skipped["dsr"] = tr(NEEDS_STARS)
    if files.has("chats"):
        step("旺旺 读取")
        chats = files.load("chats", response.COLUMNS)
        step("旺旺响应")
        parts.response = response_of(chats, ctx)
        del chats
        files.release_kind("chats")
    if files.has("complaints"):
        step("投诉")
        parts.complaints = complaints_of(files.load("complaints", disputes.COLUMNS), paid, ctx)
    if files.has("cs_ratings"):
        step("客服评价")
        ratings = files.load("cs_ratings", cs_ratings.COLUMNS)
        report.cs = cs_of(ratings, ctx, cs_span(ctx, CsPeriod(last=REPORT_DAYS)))
        report.notices += [w.message for w in report.cs.warnings]
        report.cs_min_average = cs_target(ctx)

    report.dsr, report.pickup = parts.dsr, parts.pickup
    report.refunds, report.response = parts.refunds, parts.response
    report.complaints = parts.complaints
    if "service" not in report.skipped:
        from tmallcli.metrics.service_score import score_service
        from tmallcli.runs.freshness import freshness_of, mark_stale

        step("基础服务考核分")
        values = mark_stale(metric_inputs(parts), parts, freshness_of(files.reads(), ctx))
        report.service = score_service(ctx.category, values, {})
        report.service_notes = list(parts.notes)
        report.service_warnings = list(parts.warnings)
    report.input_warnings = files.warnings
    # Last: the exports are open (a GB18030 one transcoded) by now, so its head costs nothing.
    report.shop, report.shop_source = shop_of(files, ctx)
    return report


def run_report(
    exports: Exports,
    ctx: RunContext,
    *,
    announce: Callable[[dict[str, list[str]]], None] | None = None,
    stars: StarOptions | None = None,
    ledger: Path | None = None,
) -> Run[ShopReport]:
    """The report on ``exports`` (``announce`` is told which files hold which kind, once the
    folder is searched). ``exports.progress`` shows one bar for the whole report, the reads
    as its steps: a second live display cannot nest in it."""
    from contextlib import nullcontext

    from tmallcli.runs.freshness import freshness_of
    from tmallcli.runs.memo import remembered

    with replace(exports, progress=None).open(ctx) as files:
        if announce is not None:
            announce(used_files(files))

        def compute() -> tuple[ShopReport, list[Read]]:
            bar = (
                nullcontext(None)
                if exports.progress is None
                else exports.progress("report", steps(files))
            )
            with bar as shown:
                advance = None if shown is None else shown.advance
                shop = build_report(
                    files, ctx, directory=exports.directory, advance=advance, stars=stars
                )
            return shop, files.reads()

        # The same exports, config, T and options as a run before: its result (runs/memo.py).
        shop, reads = remembered("report", files, exports, ctx, stars, compute)
        cache_notes = files.cache_notes()
    if ledger is not None and shop.compensation is not None:
        # The to-do counts what the ledger still owes (SPEC §5.1), read only.
        from tmallcli.runs.compensation import with_open_list

        shop.compensation = with_open_list(shop.compensation, ledger, ctx)
    notes = [n.message for n in shop.warnings]
    notes += [
        tr("{section}: skipped ({reason})", section=section, reason=reason)
        for section, reason in shop.skipped.items()
    ]
    notes += shop.service_notes + ([] if shop.service is None else shop.service.notes)
    notes += shop.notices + cache_notes
    return Run(shop, reads, shop.input_warnings, notes, freshness_of(reads, ctx))
