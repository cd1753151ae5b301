"""Run every metric the given exports allow and turn them into the service score's inputs.

Shared by ``tmall score service`` and ``tmall report``: each metric module computes its own
result (with its drill-downs); this module picks the §6 metric values out of them and the
evidence behind each value (the worst carriers, hours, staff, refunds, items).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tmallcli.exports.inputs import Inputs
from tmallcli.metrics import disputes, dsr, refunds, response
from tmallcli.metrics.disputes import ComplaintRate
from tmallcli.metrics.dsr import DsrResult
from tmallcli.metrics.pickup import PickupResult
from tmallcli.metrics.refunds import RefundsResult
from tmallcli.metrics.response import ResponseResult
from tmallcli.metrics.service_score import NO_DATA, OK, UNAVAILABLE, MetricInput
from tmallcli.metrics.shipping import ORDER_COLUMNS
from tmallcli.timeframe import AsOf

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


@dataclass
class Components:
    """The metric results computed from one set of exports (None: its export was not given)."""

    dsr: DsrResult | None = None
    pickup: PickupResult | None = None
    refunds: RefundsResult | None = None
    response: ResponseResult | None = None
    complaints: ComplaintRate | None = None
    notes: list[str] = field(default_factory=list)


def compute_components(files: Inputs, config: Any, category: Any, as_of: AsOf) -> Components:
    """Every metric the exports in ``files`` allow (loading each export once)."""
    from tmallcli.metrics.pickup import (
        PickupRules,
        compute_pickup,
        pickup_candidates,
        tracking_events,
    )

    parts = Components()
    orders = files.maybe("orders", ORDER_COLUMNS)
    paid = None
    if orders is not None:
        # The pickup rate reads its candidates, the dispute and complaint rates which orders
        # were paid when: the rest (a 10 M-order shop: ~2.5 GB) goes back before the tracking
        # events and the other exports are read.
        rules = PickupRules.from_config(config)
        has_pickup_column = orders.has("picked_up_at")
        paid = orders.frame.select("order_id", "paid_at").lazy()
        candidates = pickup_candidates(
            orders.lazy(), rules, as_of=as_of.date, instant=as_of.instant
        )
        del orders
        files.release("orders", ORDER_COLUMNS)
        events = tracking_events(files, rules.words)
        if events is None and not has_pickup_column:
            parts.notes.append(
                "pickup_24h_rate needs the pickup time: --logistics (tracking events) or a 揽收时间 "
                "column (发货时间 is the seller's click, not a pickup)"
            )
        else:
            parts.pickup = compute_pickup(
                candidates.lazy(),
                events,
                rules,
                as_of=as_of.date,
                instant=as_of.instant,
                orders_have_pickup_column=has_pickup_column,
            )
    if files.has("reviews"):
        reviews = files.load("reviews", dsr.COLUMNS)
        parts.dsr = dsr.compute_dsr(
            reviews.lazy(), dsr.DsrRules.from_config(config, category), as_of.instant
        )
    if files.has("refunds"):
        loaded = files.load("refunds", refunds.COLUMNS)
        # The dispute rate counts the distinct orders paid in its window: the orders read
        # above (more columns) give the same count as `tmall audit refunds`' own read of
        # (order_id, paid_at) — a row judged an exact duplicate on fewer columns repeats its
        # order and payment time — so the 2.7 GB orders export of a 10 M-order shop is parsed
        # once, not twice. (With --skip-bad-rows a row bad in another column is dropped here
        # too: the run reports it dropped.)
        parts.refunds = refunds.compute_refunds(
            loaded.lazy(),
            paid,
            refunds.RefundRules.from_config(config),
            as_of,
        )
    if files.has("chats"):
        chats = files.load("chats", response.COLUMNS)
        parts.response = response.compute_response(
            chats.lazy(), response.ResponseRules.from_config(config), as_of
        )
    if files.has("complaints"):
        loaded = files.load("complaints", disputes.COLUMNS)
        parts.complaints = disputes.compute_complaint_rate(loaded.lazy(), paid, as_of)
    return parts


def _value(value: float | None, have_input: bool) -> tuple[float | None, str]:
    if not have_input:
        return None, UNAVAILABLE
    return (None, NO_DATA) if value is None else (float(value), OK)


def metric_inputs(parts: Components) -> dict[str, MetricInput]:
    """The §6 metric values with their status and evidence."""
    inputs: dict[str, MetricInput] = {}

    def put(key: str, value: float | None, have: bool, evidence: list[dict[str, Any]]) -> None:
        number, status = _value(value, have)
        rows = tuple(
            {k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}
            for row in evidence[:EVIDENCE_ROWS]
        )
        inputs[key] = MetricInput(number, status, rows)

    d = parts.dsr
    description = None if d is None else d.dimensions["description"].exact
    logistics = None if d is None else d.dimensions["logistics"].exact
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
