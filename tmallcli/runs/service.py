"""``tmall score service``: 基础服务考核分 from every metric the exports allow (SPEC §6).

Each metric family computes its own result (with its drill-downs); this module picks the §6
metric values out of them and the evidence behind each value (the worst carriers, hours,
staff, refunds, items). ``tmall report`` builds the same :class:`Components` from the exports
it loads once (:mod:`tmallcli.runs.report`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tmallcli.i18n import N_, tr
from tmallcli.metrics.service_score import NO_DATA, OK, UNAVAILABLE, MetricInput
from tmallcli.runs.context import Exports, Run, RunContext
from tmallcli.runs.dsr import (
    DSR_METRIC_COLUMNS,
    NEEDS_STARS,
    NEEDS_STARS_CODE,
    NO_DSR_COLUMNS,
    StarOptions,
    dsr_missing,
    dsr_of,
    page_dsr_of,
    reviews_have_dsr,
)
from tmallcli.runs.memo import remembered
from tmallcli.runs.orders import paid_without_status
from tmallcli.runs.pickup import (
    NEEDS_PICKUP_TIME,
    pickup_of,
    pickup_orders,
    pickup_rules,
    tracking_events,
)
from tmallcli.runs.refunds import refunds_of
from tmallcli.runs.response import response_of

if TYPE_CHECKING:
    from fractions import Fraction

    import polars as pl

    from tmallcli.config.origins import ServiceSources
    from tmallcli.exports.inputs import Inputs, Read
    from tmallcli.exports.reader import LoadedExport
    from tmallcli.metrics.disputes import ComplaintRate
    from tmallcli.metrics.dsr import DsrResult
    from tmallcli.metrics.dsr_stars import PageDsr
    from tmallcli.metrics.pickup import Notice, PickupResult
    from tmallcli.metrics.refunds import RefundsResult
    from tmallcli.metrics.response import ResponseResult
    from tmallcli.metrics.service_score import ServiceScore, TargetPlan

EVIDENCE_ROWS = 3

# Which export(s) each §6 metric needs, as the options that give them.
NEEDS: dict[str, tuple[str, ...]] = {
    "item_review_score": ("reviews",),
    "logistics_review_score": ("reviews",),
    "pickup_24h_rate": ("orders",),
    "refund_only_hours": ("refunds",),
    "return_refund_hours": ("refunds",),
    "response_rate": ("chats",),
    "response_3min_rate": ("chats",),
    "human_response_seconds": ("chats",),
    "dispute_refund_rate": ("refunds", "orders"),
    "complaint_rate": ("complaints", "orders"),
}


# The exports the service score reads (any of them).
SERVICE_KINDS = ("orders", "reviews", "refunds", "chats", "complaints")

# Why a §6 metric has no value although its exports were read (SPEC §14 coverage).
NO_DATA_REASONS = {
    "item_review_score": "no DSR rating of 描述相符 in the 180-day window",
    "logistics_review_score": "no DSR rating of 物流服务 in the 180-day window",
    "pickup_24h_rate": "no order paid in the pickup window",
    "refund_only_hours": "no 仅退款 refund completed in the window without platform intervention",
    "return_refund_hours": "no 退货退款 refund completed in the window without platform intervention",
    "response_rate": "no consultation in the window",
    "response_3min_rate": "no consultation turn within service hours in the window",
    "human_response_seconds": "no consultation answered by a human in the window",
    "dispute_refund_rate": "no order paid in the window (the rate's denominator)",
    "complaint_rate": "no order paid in the window (the rate's denominator)",
}
NO_PICKUP_TIME = "no pickup time: no logistics export and no 揽收时间 column in the orders"


@dataclass(frozen=True)
class ServiceWarning:
    """What an export made approximate or unavailable (JSON ``warnings``; ``code`` is stable)."""

    code: str
    message: str


@dataclass
class Components:
    """The metric results computed from one set of exports (None: its export was not given)."""

    dsr: DsrResult | PageDsr | None = None  # the page's star counts when given (SPEC §3)
    pickup: PickupResult | None = None
    refunds: RefundsResult | None = None
    response: ResponseResult | None = None
    complaints: ComplaintRate | None = None
    notes: list[str] = field(default_factory=list)
    # What the exports lacked or made approximate (SPEC §2.1; JSON ``warnings``).
    warnings: list[ServiceWarning | Notice] = field(default_factory=list)
    # §6 metrics the given exports cannot give, with the reason (a reviews export without DSR).
    unavailable: dict[str, str] = field(default_factory=dict)
    # The kinds of export given (and the DSR page's figures as "dsr_page"): why a metric
    # has no value (SPEC §14 coverage).
    given: frozenset[str] = frozenset()

    def take_refunds(self, result: RefundsResult) -> None:
        """The after-sales result, and its warnings that bear on the metric values."""
        from tmallcli.metrics.refunds import METRIC_NOTICES

        self.refunds = result
        self.warnings += [
            ServiceWarning(w.code, w.message) for w in result.warnings if w.code in METRIC_NOTICES
        ]


@dataclass
class ServiceRun:
    score: ServiceScore
    plan: TargetPlan | None
    notes: list[str]  # what the exports could not give (e.g. no pickup time)
    warnings: list[ServiceWarning | Notice] = field(default_factory=list)
    # Where the threshold, weights and scales come from (SPEC §14 placeholders).
    sources: ServiceSources | None = None


def complaints_of(
    complaints: LoadedExport, paid: pl.LazyFrame | None, ctx: RunContext
) -> ComplaintRate:
    """投诉成立率; ``paid``: (order_id, paid_at) of the orders export."""
    from tmallcli.metrics.disputes import compute_complaint_rate

    return compute_complaint_rate(complaints.lazy(), paid, ctx.as_of)


def dsr_component(
    files: Inputs,
    ctx: RunContext,
    stars: StarOptions,
    ratings: DsrResult | None,
    parts: Components,
    missing: Mapping[str, str] | None = None,
) -> None:
    """The DSR the service score reads: the shop page's (``stars`` or a summary ``--dir``
    found), with ``ratings`` (from a per-rating export) beside it; else the ratings'. Without
    the page, a metric whose DSR column the reviews lack is unavailable, with the reason
    (``missing``: the metrics a per-rating export could not give)."""
    page = page_dsr_of(files, ctx, stars, ratings)
    if page is None and files.has("reviews"):
        lacking = (
            dict(missing or {})
            if ratings is not None
            else dict.fromkeys(DSR_METRIC_COLUMNS, tr(NEEDS_STARS))
        )
        parts.unavailable.update(lacking)
        if "item_review_score" in lacking:
            parts.warnings.append(ServiceWarning(NEEDS_STARS_CODE, tr(NEEDS_STARS)))
    elif ratings is None and files.has("reviews"):
        parts.notes.append(tr(NO_DSR_COLUMNS))
    if page is not None:
        parts.notes.extend(page.notes)
    parts.dsr = page if page is not None else ratings


def components(files: Inputs, ctx: RunContext, stars: StarOptions | None = None) -> Components:
    """Every metric the exports in ``files`` allow, each export loaded once."""
    from tmallcli.metrics import disputes, dsr, refunds, response
    from tmallcli.metrics.shipping import ORDER_COLUMNS

    parts = Components(given=given_kinds(files, stars))
    paid = None
    if files.has("orders"):
        # The pickup rate reads its candidates, the dispute and complaint rates which orders
        # were paid when: the rest (a 10 M-order shop: ~2.5 GB) goes back before the tracking
        # events and the other exports are read.
        rules = pickup_rules(ctx)
        loaded, notices = paid_without_status(files.load("orders", ORDER_COLUMNS))
        parts.warnings += notices
        paid = loaded.frame.select("order_id", "paid_at").lazy()
        orders = pickup_orders(loaded, rules, ctx)
        del loaded
        files.release("orders", ORDER_COLUMNS)
        events = tracking_events(files, rules.words)
        if events is None and not orders.has_pickup_column:
            parts.notes.append(tr(NEEDS_PICKUP_TIME))
        else:
            parts.pickup = pickup_of(orders, events, rules, ctx)
            parts.pickup.warnings.extend(notices)
    ratings, missing = None, {}
    if reviews_have_dsr(files):
        loaded = files.load("reviews", dsr.COLUMNS)
        ratings, missing = dsr_of(loaded, ctx), dsr_missing(loaded)
    dsr_component(files, ctx, stars or StarOptions(), ratings, parts, missing)
    if files.has("refunds"):
        # The dispute rate counts the distinct orders paid in its window: the orders read
        # above (more columns) give the same count as `tmall audit refunds`' own read of
        # (order_id, paid_at) — a row judged an exact duplicate on fewer columns repeats its
        # order and payment time — so the 2.7 GB orders export of a 10 M-order shop is parsed
        # once, not twice. (With --skip-bad-rows a row bad in another column is dropped here
        # too: the run reports it dropped.)
        parts.take_refunds(refunds_of(files.load("refunds", refunds.COLUMNS), paid, ctx))
    if files.has("chats"):
        parts.response = response_of(files.load("chats", response.COLUMNS), ctx)
    if files.has("complaints"):
        parts.complaints = complaints_of(files.load("complaints", disputes.COLUMNS), paid, ctx)
    return parts


# What ``--set`` accepts for each kind of metric value (config VALUE_KIND), said on a bad one.
ACCEPTED_FORMS = {
    "rate": N_("a rate from 0 to 1 or a percentage, e.g. 0.97 or 97%"),
    "score": N_("a score from 0 to 5, e.g. 4.75"),
    "duration": N_("hours or seconds, 0 or more, e.g. 36.5"),
    "value": N_("a number"),
}


def parse_what_if(values: list[str] | None, metrics: Mapping[str, Any]) -> dict[str, float]:
    """``--set metric=value`` (repeatable): the hypothetical values of a what-if, each checked
    against its metric's range (``metrics``: the category's active metric configs). A rate may
    be written as a percentage (``97%``); ``97`` for a rate is out of range, never 9700 %."""
    from tmallcli.errors import UsageError

    what_if: dict[str, float] = {}
    for item in values or []:
        key, sep, text = item.partition("=")
        key, text = key.strip(), text.strip()
        if not sep or key not in metrics:
            raise UsageError(
                tr(
                    "--set: expected METRIC=VALUE with METRIC one of {value} (got {item!r})",
                    value=", ".join(metrics),
                    item=item,
                )
            )
        metric = metrics[key]
        kind = metric.VALUE_KIND
        percent = kind == "rate" and text.endswith("%")
        try:
            number = float(text[:-1] if percent else text)
        except ValueError:
            raise UsageError(
                tr(
                    "--set {key}: not a number (got {text!r}); expected {value}",
                    key=key,
                    text=text,
                    value=tr(ACCEPTED_FORMS[kind]),
                )
            ) from None
        if percent:
            number /= 100
        low, high = metric.VALUE_RANGE
        if not math.isfinite(number) or number < low or (high is not None and number > high):
            raise UsageError(
                tr(
                    "--set {key}: {text} is out of range; expected {value}",
                    key=key,
                    text=text,
                    value=tr(ACCEPTED_FORMS[kind]),
                )
            )
        what_if[key] = number
    return what_if


def run_service(
    exports: Exports,
    ctx: RunContext,
    *,
    set_values: list[str] | None = None,
    strict: bool = False,
    target: float | None = None,
    stars: StarOptions | None = None,
) -> Run[ServiceRun]:
    """The total against the category threshold, what-if values applied, and a plan for
    ``target``. ``strict``: a weighted metric whose export is missing is an error."""
    from tmallcli.errors import UsageError
    from tmallcli.metrics.service_score import plan_target, score_service
    from tmallcli.runs.freshness import freshness_of, mark_stale

    what_if = parse_what_if(set_values, ctx.category.active_metrics)
    stars = stars or StarOptions()

    def compute(files: Inputs) -> tuple[Components, list[Read], list[dict[str, Any]], list[str]]:
        if (
            not any(files.has(k) for k in SERVICE_KINDS)
            and not stars.given
            and not files.dsr_summaries
        ):
            raise UsageError(
                tr(
                    "give at least one export: --orders, --logistics, --reviews, --refunds, --chats, --complaints, the DSR page's --stars / --summary, or --dir DIR"
                )
            )
        return components(files, ctx, stars), files.reads(), files.warnings, files.notes()

    with exports.open(ctx) as files:
        # What-if values, --strict and --target work on the components: not in the key.
        kept = remembered("service", files, exports, ctx, stars, lambda: compute(files))
        parts, reads, warnings, ignored = kept
        cached = files.cache_notes()
    freshness = freshness_of(reads, ctx)
    values = mark_stale(metric_inputs(parts), parts, freshness)
    missing = {k: v for k, v in missing_inputs(ctx.category, values).items() if k not in what_if}
    if strict and missing:
        needs = sorted(
            {f"--{n.replace('_', '-')}" for options in missing.values() for n in options}
        )
        raise UsageError(
            tr(
                "--strict: metrics without their export: {metrics} (give {options})",
                metrics=", ".join(missing),
                options=", ".join(needs),
            )
        )
    score = score_service(ctx.category, values, what_if)
    plan = None if target is None else plan_target(score, target)
    notes = ignored + score.notes + parts.notes + [n.message for n in parts.warnings] + cached
    service = ServiceRun(score, plan, list(parts.notes), parts.warnings, ctx.service_sources)
    return Run(service, reads, warnings, notes, freshness)


def given_kinds(files: Inputs, stars: StarOptions | None) -> frozenset[str]:
    """The kinds of export ``files`` holds, and ``dsr_page`` when the DSR page's figures are
    given (``--stars`` / ``--summary``, or a summary ``--dir`` found)."""
    from tmallcli.exports.kinds import KIND_NAMES

    kinds = {kind for kind in KIND_NAMES if files.has(kind)}
    if (stars is not None and stars.given) or files.dsr_summaries:
        kinds.add("dsr_page")
    return frozenset(kinds)


def missing_reason(key: str, status: str, parts: Components) -> str | None:
    """Why the §6 metric ``key`` has no value (None: it has one): the export not given, a
    column it lacks, or nothing in the metric's window."""
    if status == OK:
        return None
    if key in parts.unavailable:
        return parts.unavailable[key]
    if status == NO_DATA:
        return NO_DATA_REASONS.get(key, "no data in the metric's window")
    lacking = [kind for kind in NEEDS[key] if kind not in parts.given]
    if key in DSR_METRIC_COLUMNS and "dsr_page" in parts.given:
        lacking = []
    if lacking:
        text = " and ".join(f"no {kind} export" for kind in lacking)
        return (
            f"{text} (or the DSR page's --stars / --summary)" if key in DSR_METRIC_COLUMNS else text
        )
    if key == "pickup_24h_rate":
        return NO_PICKUP_TIME
    return "its exports give no value"


def _value(value: float | None, have_input: bool) -> tuple[float | None, str]:
    if not have_input:
        return None, UNAVAILABLE
    return (None, NO_DATA) if value is None else (float(value), OK)


def dsr_exact(d: DsrResult | PageDsr | None, key: str) -> Fraction | None:
    """A DSR dimension's exact score: the page's; a dimension the page's figures do not give
    falls back to the score recomputed from a per-rating export, when there is one."""
    if d is None:
        return None
    value = d.dimensions[key].exact
    ratings = getattr(d, "ratings", None)
    if value is None and ratings is not None:
        value = ratings.dimensions[key].exact
    return value


def metric_inputs(parts: Components) -> dict[str, MetricInput]:
    """The §6 metric values with their status and evidence."""
    inputs: dict[str, MetricInput] = {}

    def put(key: str, value: float | None, have: bool, evidence: list[dict[str, Any]]) -> None:
        number, status = _value(value, have and key not in parts.unavailable)
        rows = tuple(evidence[:EVIDENCE_ROWS])  # numbers in full (SPEC §14)
        approximate = parts.refunds is not None and key in parts.refunds.approximate
        note = parts.unavailable.get(key)
        inputs[key] = MetricInput(
            number,
            status,
            rows,
            approximate and number is not None,
            note,
            missing_reason=missing_reason(key, status, parts),
        )

    d = parts.dsr
    description, logistics = dsr_exact(d, "description"), dsr_exact(d, "logistics")
    put(
        "item_review_score",
        None if description is None else float(description),
        d is not None,
        [
            {
                "kind": "item",
                "key": i.item_title or i.item_id,
                "value": i.description,
                "count": i.count,
                "low_share": i.low_share,
            }
            for i in (d.items if d else [])
        ],
    )
    put(
        "logistics_review_score", None if logistics is None else float(logistics), d is not None, []
    )

    p = parts.pickup
    pickup_evidence: list[dict[str, Any]] = []
    if p is not None and p.rate is not None:
        for kind, tallies in (
            ("carrier", p.by_carrier),
            ("warehouse", p.by_warehouse),
            ("pay_hour", p.by_pay_hour),
        ):
            # Where the most untimely orders are, among the rows worse than the shop: a
            # carrier that does not collect, a warehouse that ships late, an unstaffed shift.
            worse = [t for t in tallies if t.rate is not None and t.rate < p.rate]
            worse.sort(key=lambda t: (-(t.late + t.not_picked), t.rate, str(t.key)))
            pickup_evidence += [
                {
                    "kind": kind,
                    "key": t.key,
                    "value": t.rate,
                    "count": t.population,
                    "untimely": t.late + t.not_picked,
                }
                for t in worse[:1]
            ]
    put("pickup_24h_rate", None if p is None else p.rate, p is not None, pickup_evidence)

    r = parts.refunds
    slow = r.slowest if r else []
    for key, refund_type in (("refund_only_hours", "仅退款"), ("return_refund_hours", "退货退款")):
        put(
            key,
            None if r is None else getattr(r, key),
            r is not None,
            [
                {
                    "kind": "refund",
                    "key": s.refund_id,
                    "value": s.hours,
                    "order_id": s.order_id,
                    "reason": s.reason,
                }
                for s in slow
                if s.refund_type == refund_type
            ],
        )
    dispute_evidence: list[dict[str, Any]] = []
    if r is not None and r.counts.get("disputes"):
        dispute_evidence.append(
            {
                "kind": "disputes",
                "key": "卖家责任",
                "value": r.counts.get("disputes"),
                "count": r.counts.get("orders_paid"),
            }
        )
    put(
        "dispute_refund_rate",
        None if r is None else r.dispute_refund_rate,
        r is not None and r.counts.get("orders_paid") is not None,
        dispute_evidence,
    )

    c = parts.response
    hours = sorted(
        (h for h in (c.by_hour if c else []) if h.missed), key=lambda h: (-h.missed, h.hour)
    )
    put(
        "response_rate",
        None if c is None else c.totals.response_rate,
        c is not None,
        [
            {
                "kind": "hour",
                "key": h.hour,
                "value": h.response_rate,
                "count": h.consultations,
                "missed": h.missed,
            }
            for h in hours
        ],
    )
    slow_staff = sorted(
        (a for a in (c.by_account if c else []) if a.human_response_seconds is not None),
        key=lambda a: (-(a.human_response_seconds or 0), str(a.account)),
    )
    put(
        "human_response_seconds",
        None if c is None else c.totals.human_response_seconds,
        c is not None,
        [
            {
                "kind": "account",
                "key": a.account,
                "value": a.human_response_seconds,
                "count": a.human_consultations,
            }
            for a in slow_staff
        ],
    )
    slow_hours = sorted(
        (h for h in (c.by_hour if c else []) if h.response_3min_rate is not None),
        key=lambda h: (h.response_3min_rate, h.hour),
    )
    put(
        "response_3min_rate",
        None if c is None else c.totals.response_3min_rate,
        c is not None,
        [
            {"kind": "hour", "key": h.hour, "value": h.response_3min_rate, "count": h.turns}
            for h in slow_hours
        ],
    )

    k = parts.complaints
    put(
        "complaint_rate",
        None if k is None else k.rate,
        k is not None and k.orders_paid is not None,
        [
            {
                "kind": "complaint",
                "key": x["complaint_id"],
                "value": None,
                "order_id": x["order_id"],
                "type": x["type"],
            }
            for x in (k.complaints if k else [])
        ],
    )
    return inputs


def missing_inputs(category: Any, inputs: dict[str, MetricInput]) -> dict[str, tuple[str, ...]]:
    """Weighted metrics of ``category`` whose export is missing: key → the options needed."""
    return {
        key: NEEDS[key]
        for key in category.active_metrics
        if category.effective_weight(key) > 0
        and inputs.get(key, MetricInput(None, UNAVAILABLE)).status == UNAVAILABLE
    }
