"""延迟发货赔付 and the other payouts owed to buyers (SPEC §5).

Seed rules: 卖家未在约定或规定时间内发货 → 商品实际成交金额的30%作为违约金, 单笔最低不少于5元;
同一买家24小时内的多笔交易合并计算, 最高不超过500元. The ship time is the time the logistics
system recorded (揽收, :mod:`tmallcli.metrics.shipping`), not the seller's click on 发货.
Promised-delivery services (当日达 / 次日达 / 送货上门) not honoured pay a fixed 违约金, and an
out-of-stock refund (缺货) before shipping pays 30% of the refund.

The computation runs in two steps so that the SQLite ledger (:mod:`tmallcli.ledger`) can sit
between them inside one transaction:

1. :func:`propose` — every payout line the files justify, per order, with its group
   (a buyer's late orders paid within 24 h of the group's first), plus the severe list and
   the reconciliation with what the platform already paid automatically.
2. :func:`settle_payouts` — what is still to pay: per group ``min(cap, Σ order amounts)``
   minus what was already paid for the group's orders (ledger + platform), never below 0,
   attributed to orders not yet in the ledger in payment order.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

import polars as pl

from tmallcli.metrics.shipping import (
    EVENT_COLUMNS,
    ORDER_COLUMNS,
    PackagePickups,
    PickupWords,
    item_amount_fen,
    with_pickup_times,
)
from tmallcli.money import capped_fen, compensation_fen

__all__ = [
    "EVENT_COLUMNS",
    "KINDS",
    "ORDERS_COLUMNS",
    "REFUND_COLUMNS",
    "REPEATED_TEXTS",
    "CompensationRules",
    "PackagePickups",
    "Payout",
    "PayoutLine",
    "Proposal",
    "Reconciliation",
    "Settlement",
    "SevereOrder",
    "group_late_orders",
    "propose",
    "settle",
    "settle_payouts",
]

KINDS = ("late_shipment", "promise_broken", "out_of_stock")
# The pickup rule's columns but 物流公司 and 发货仓, which no payout reads (each is ~200 MB of a
# 10 M-order shop held for nothing); the severe late orders name their item.
ORDERS_COLUMNS = (
    *(c for c in ORDER_COLUMNS if c not in ("carrier", "warehouse")),
    "item_id",
    "item_title",
    "auto_compensation",
    "service_promise",
    "delivered_at",
    "promise_broken",
)
# Orders' texts of a few values repeated over every order (the shop's items, the statuses,
# the 4 delivery promises): read as Categorical by `compensate late-orders` (10 M orders:
# 0.8 GB less).
REPEATED_TEXTS = ("status", "item_id", "item_title", "service_promise")
REFUND_COLUMNS = (
    "refund_id",
    "order_id",
    "applied_at",
    "amount",
    "reason",
    "status",
    "shipped",
    "completed_at",
)
SAME_DAY, NEXT_DAY = "当日达", "次日达"

# The proposal's line frame: one row per (kind, order) that is owed something.
LINE_SCHEMA: dict[str, pl.DataType] = {
    "kind": pl.String(),
    "group_id": pl.String(),
    "buyer": pl.String(),
    "order_id": pl.String(),
    "paid_at": pl.Datetime("us"),
    "amount_fen": pl.Int64(),  # this order's own compensation, before cap and deductions
    "cap_fen": pl.Int64(),  # the group's cap (null: uncapped)
    "platform_fen": pl.Int64(),  # already paid by the platform (延迟发货自动赔付金额)
    # late_shipment evidence
    "deadline": pl.Datetime("us"),
    "end_at": pl.Datetime("us"),  # ship time, close time, or the as-of instant
    "end_kind": pl.String(),  # pickup | shipped | closed | open
    "promised": pl.Boolean(),  # the deadline is 承诺发货时间 (else paid_at + 48 h)
    # promise_broken evidence
    "service": pl.String(),
    "delivered_at": pl.Datetime("us"),
    "flagged": pl.Boolean(),
    # out_of_stock evidence
    "refund_fen": pl.Int64(),
    "refund_ids": pl.List(pl.String()),
}
ALREADY_SCHEMA: dict[str, pl.DataType] = {
    "kind": pl.String(),
    "order_id": pl.String(),
    "ledger_fen": pl.Int64(),
    "platform_fen": pl.Int64(),
    "recorded": pl.Boolean(),
}


@dataclass(frozen=True)
class CompensationRules:
    """The ``compensation`` section of the config, plus the pickup words of §4."""

    words: PickupWords
    ship_within_hours: int
    rate_percent: Any
    minimum_fen: int
    group_cap_fen: int
    group_window_hours: int
    severe_after_hours: int
    closed_statuses: tuple[str, ...]
    promise_amount_fen: int
    promise_services: tuple[str, ...]
    stock_rate_percent: Any
    stock_minimum_fen: int
    stock_reason_keywords: tuple[str, ...]
    stock_refund_statuses: tuple[str, ...]

    @classmethod
    def from_config(cls, config: Any) -> CompensationRules:
        late = config.compensation.late_shipment
        promise = config.compensation.promise_broken
        stock = config.compensation.out_of_stock
        return cls(
            words=PickupWords.from_config(config.pickup),
            ship_within_hours=late.ship_within_hours,
            rate_percent=late.rate_percent,
            minimum_fen=late.minimum_fen,
            group_cap_fen=late.group_cap_fen,
            group_window_hours=late.group_window_hours,
            severe_after_hours=late.severe_after_hours,
            closed_statuses=tuple(late.closed_statuses),
            promise_amount_fen=promise.amount_fen,
            promise_services=tuple(promise.services),
            stock_rate_percent=stock.rate_percent,
            stock_minimum_fen=stock.minimum_fen,
            stock_reason_keywords=tuple(stock.reason_keywords),
            stock_refund_statuses=tuple(stock.refund_statuses),
        )


@dataclass
class SevereOrder:
    """A late order beyond ``severe_after_hours``: 情节严重, its item goes to 下架 review."""

    order_id: str
    buyer: str | None
    paid_at: datetime
    deadline: datetime
    late_seconds: int
    item_id: str | None
    item_title: str | None


@dataclass
class ReconciledOrder:
    order_id: str
    buyer: str | None
    computed_fen: int  # this order's share of its group's capped compensation (0: not late)
    platform_fen: int  # what the platform paid automatically

    @property
    def difference_fen(self) -> int:
        return self.computed_fen - self.platform_fen


@dataclass
class Reconciliation:
    """This command's late-shipment compensation side by side with the platform's own."""

    computed_total_fen: int  # Σ over late groups of min(cap, Σ order amounts)
    platform_total_fen: int  # Σ 延迟发货自动赔付金额 over the orders considered
    platform_orders: int  # orders the platform paid anything for
    matched: int  # late orders the platform paid exactly this command's amount for
    not_late: list[ReconciledOrder]  # the platform paid, this command finds no late shipment
    different: list[ReconciledOrder]  # late, the platform paid a different amount
    unpaid_late_orders: int  # late orders the platform paid nothing for

    @property
    def difference_fen(self) -> int:
        return self.computed_total_fen - self.platform_total_fen


@dataclass
class Proposal:
    """Everything the files justify, before the ledger says what was already paid."""

    as_of: datetime
    lines: pl.DataFrame  # LINE_SCHEMA, one row per (kind, order) owed something
    late_orders: int
    late_groups: int
    severe: list[SevereOrder]
    reconciliation: Reconciliation | None
    undecided_promises: list[str]  # promise orders without 签收时间 and no 违约 flag


@dataclass
class PayoutLine:
    """One order's share of a payout."""

    order_id: str
    order_fen: int  # the order's own compensation (before cap and deductions)
    pay_fen: int  # its share of this payout
    already_fen: int  # ledger + platform, paid before for this order
    paid_at: datetime | None = None
    deadline: datetime | None = None
    end_at: datetime | None = None
    end_kind: str | None = None
    promised: bool | None = None
    service: str | None = None
    delivered_at: datetime | None = None
    flagged: bool | None = None
    refund_fen: int | None = None
    refund_ids: list[str] = field(default_factory=list)


@dataclass
class Payout:
    """One red packet (红包) to one buyer: a late-shipment group, or one order."""

    kind: str
    buyer: str | None
    group_id: str
    order_ids: list[str]  # every order of the group, in payment order
    amount_fen: int  # new: to pay now
    group_fen: int  # min(cap, Σ order amounts)
    order_total_fen: int  # Σ order amounts (before the cap)
    ledger_fen: int  # already paid, by earlier runs (ledger)
    platform_fen: int  # already paid, by the platform automatically
    lines: list[PayoutLine]

    @property
    def capped(self) -> bool:
        return self.group_fen < self.order_total_fen


@dataclass
class Unattributed:
    """A group still owed money whose every order is already in the ledger (a regrouping)."""

    kind: str
    buyer: str | None
    group_id: str
    amount_fen: int


@dataclass
class Settlement:
    payouts: list[Payout]
    unattributed: list[Unattributed]

    @cached_property
    def total_fen(self) -> int:
        return sum(p.amount_fen for p in self.payouts)


# --------------------------------------------------------------------------- late shipment


def _seconds(later: pl.Expr, earlier: pl.Expr) -> pl.Expr:
    return (later - earlier).dt.total_seconds()


def with_pickups(
    orders: pl.LazyFrame, events: pl.LazyFrame | None, words: PickupWords
) -> pl.LazyFrame:
    """``orders`` with ``pickup_at`` and ``has_pickup_info`` (:func:`with_pickup_times`).

    The two columns are computed once and set beside the orders in memory: the late rule and
    the 缺货 rule both read them, and a plan two queries share is materialised whole (every
    column of 10 M orders, 1.1 GB) where these two take 90 MB.
    """
    pickups = (
        with_pickup_times(orders, events, words).select("pickup_at", "has_pickup_info").collect()
    )
    return pl.concat([orders.collect(), pickups], how="horizontal").lazy()


def assess_late(
    orders: pl.LazyFrame,
    refunds: pl.LazyFrame | None,
    rules: CompensationRules,
    as_of: datetime,
) -> pl.LazyFrame:
    """Every order (with its pickup, :func:`with_pickups`) with its ship-by deadline, the
    instant it stopped waiting, and ``late``.

    Ship time: the pickup (揽收) as in §4; only when nothing at all is known about an order's
    pickup, ``shipped_at``. Times after the as-of instant have not happened yet as of then.
    An order closed (交易关闭) is judged at its close time: without ``--refunds`` the close
    time is unknown and a closed order that never shipped is given the benefit of the doubt;
    with ``--refunds`` the order closed when its last refund completed, so a refund completed
    after the deadline means it was still open, unshipped, past the deadline: late. A closed
    order that shipped after the deadline was open at the deadline: late too.
    """
    as_of_lit = pl.lit(as_of, pl.Datetime("us"))
    frame = orders
    if refunds is not None:
        closes = refunds.group_by("order_id").agg(pl.col("completed_at").max().alias("_close_at"))
        # Looked up for the order numbers alone and set beside the orders, in their row order
        # (see with_pickup_times; ``orders`` is a frame in memory): a join of the wide frame
        # would copy every column.
        close_times = (
            orders.select("order_id")
            .join(closes, on="order_id", how="left", maintain_order="left")
            .select("_close_at")
        )
        frame = pl.concat([frame, close_times], how="horizontal")
    else:
        frame = frame.with_columns(pl.lit(None, pl.Datetime("us")).alias("_close_at"))

    recorded = (
        pl.when(pl.col("has_pickup_info").fill_null(False))
        .then(pl.col("pickup_at"))
        .otherwise(pl.col("shipped_at"))
    )
    source = (
        pl.when(pl.col("has_pickup_info").fill_null(False))
        .then(_end_kind("pickup"))
        .otherwise(_end_kind("shipped"))
    )
    closed = pl.col("status").is_in(list(rules.closed_statuses)).fill_null(False)
    ship_at = pl.when(recorded <= as_of_lit).then(recorded)
    close_at = pl.min_horizontal(pl.col("_close_at"), as_of_lit)
    deadline = pl.coalesce(
        pl.col("promised_ship_by"),
        pl.col("paid_at") + pl.duration(hours=rules.ship_within_hours),
    )
    amount = compensation_fen(item_amount_fen(), rules.rate_percent, rules.minimum_fen)
    # When the order stopped waiting, and why: the same three conditions give both columns.
    shipped = pl.col("_ship_at").is_not_null()
    closed_known = pl.col("closed") & pl.col("_close_at").is_not_null()
    end_at = (
        pl.when(shipped)
        .then(pl.col("_ship_at"))
        .when(closed_known)
        .then(close_at)
        .when(~pl.col("closed"))
        .then(as_of_lit)
    )
    end_kind = (
        pl.when(shipped)
        .then(source)
        .when(closed_known)
        .then(_end_kind("closed"))
        .when(~pl.col("closed"))
        .then(_end_kind("open"))
    )
    return (
        frame.with_columns(
            ship_at.alias("_ship_at"),
            closed.alias("closed"),
            deadline.alias("deadline"),
            pl.col("promised_ship_by").is_not_null().alias("promised"),
            amount.cast(pl.Int64).alias("amount_fen"),
        )
        .with_columns(end_at.alias("end_at"), end_kind.alias("end_kind"))
        .with_columns(
            (
                pl.col("paid_at").is_not_null()
                & (pl.col("paid_at") <= as_of_lit)
                & pl.col("end_at").is_not_null()
                & (pl.col("end_at") > pl.col("deadline"))
            )
            .fill_null(False)
            .alias("late"),
            _seconds(pl.col("end_at"), pl.col("deadline")).alias("late_seconds"),
        )
        .drop("_ship_at", "_close_at")
    )


# Why an order stopped waiting (end_kind): an Enum, a byte a row where 10 M orders' strings
# would take 16 bytes each; the payout lines carry it as text (LINE_SCHEMA).
END_KINDS = pl.Enum(["pickup", "shipped", "closed", "open"])


def _end_kind(name: str) -> pl.Expr:
    return pl.lit(name, dtype=END_KINDS)


def group_late_orders(late: pl.DataFrame, window_hours: int) -> pl.DataFrame:
    """Adds ``group_id``: a buyer's late orders paid within ``window_hours`` of a group's first.

    Sort a buyer's late orders by ``paid_at`` (tie-break ``order_id``); a group starts at
    the earliest ungrouped order and takes every later one paid *less than* 24 h after
    that start. Done in rounds, each a Polars expression over all buyers at once: in a
    round every buyer's earliest ungrouped order starts a group and takes its orders, so
    the number of rounds is the largest number of groups of any one buyer. An order
    without a buyer nick is a group of its own. ``group_id`` is ``buyer:start order id``.
    """
    window = timedelta(hours=window_hours)
    key = pl.coalesce(pl.col("buyer"), pl.lit("\x00") + pl.col("order_id"))
    remaining = late.with_columns(key.alias("_buyer"))
    grouped: list[pl.DataFrame] = []
    while remaining.height:
        starts = remaining.with_columns(
            pl.col("paid_at").min().over("_buyer").alias("_start_at"),
            pl.col("order_id")
            .sort_by("paid_at", "order_id")
            .first()
            .over("_buyer")
            .alias("_start"),
        )
        taken = pl.col("paid_at") < pl.col("_start_at") + window
        grouped.append(starts.filter(taken))
        remaining = starts.filter(~taken).drop("_start_at", "_start")
    if not grouped:
        return late.with_columns(pl.lit(None, pl.String).alias("group_id"))
    group_id = (
        pl.when(pl.col("buyer").is_null())
        .then(pl.col("_start"))
        .otherwise(pl.col("buyer") + pl.lit(":") + pl.col("_start"))
    )
    return (
        pl.concat(grouped)
        .with_columns(group_id.alias("group_id"))
        .drop("_buyer", "_start_at", "_start")
        .sort("group_id", "paid_at", "order_id")
    )


def _late_lines(late: pl.DataFrame, rules: CompensationRules) -> pl.DataFrame:
    return late.select(
        pl.lit("late_shipment").alias("kind"),
        "group_id",
        "buyer",
        "order_id",
        "paid_at",
        "amount_fen",
        pl.lit(rules.group_cap_fen, pl.Int64).alias("cap_fen"),
        pl.col("auto_compensation").fill_null(0).alias("platform_fen"),
        "deadline",
        "end_at",
        "end_kind",
        "promised",
    )


# --------------------------------------------------------------------------- promises


def _promise_candidates(
    orders: pl.LazyFrame, rules: CompensationRules, as_of: datetime
) -> pl.LazyFrame:
    """当日达 / 次日达 / 送货上门 not honoured: a fixed 违约金 per order.

    Broken when the platform's 违约 flag says so; else 当日达 when signed (签收) on a later
    date than the payment, 次日达 when signed after the day after payment; 送货上门 only by
    the flag. Without a 签收时间 (and no flag) a 当日达/次日达 order cannot be decided: not
    paid, listed in ``undecided``. A 签收时间 after the as-of instant has not happened yet.
    """
    as_of_lit = pl.lit(as_of, pl.Datetime("us"))
    service = pl.lit(None, pl.String)
    promise = pl.col("service_promise").cast(pl.String)  # (it may be held as Categorical)
    for word in reversed(rules.promise_services):
        service = (
            pl.when(promise.str.contains(word, literal=True)).then(pl.lit(word)).otherwise(service)
        )
    paid_day = pl.col("paid_at").dt.date()
    delivered = pl.when(pl.col("delivered_at") <= as_of_lit).then(pl.col("delivered_at"))
    signed_day = pl.col("_delivered").dt.date()
    date_rule = (
        pl.when(pl.col("service") == SAME_DAY)
        .then(signed_day > paid_day)
        .when(pl.col("service") == NEXT_DAY)
        .then(signed_day > paid_day + pl.duration(days=1))
    )
    return (
        orders.filter(
            pl.col("paid_at").is_not_null()
            & (pl.col("paid_at") <= as_of_lit)
            & pl.col("service_promise").is_not_null()
        )
        .with_columns(service.alias("service"), delivered.alias("_delivered"))
        .filter(pl.col("service").is_not_null())
        .with_columns(
            pl.col("promise_broken").fill_null(False).alias("flagged"),
            date_rule.alias("_date_rule"),
        )
        .with_columns(
            (pl.col("flagged") | pl.col("_date_rule").fill_null(False)).alias("_broken"),
            (
                ~pl.col("flagged")
                & pl.col("service").is_in([SAME_DAY, NEXT_DAY])
                & pl.col("_delivered").is_null()
            ).alias("_undecided"),
        )
        .filter(pl.col("_broken") | pl.col("_undecided"))
    )


def _promise_lines(frame: pl.DataFrame, rules: CompensationRules) -> tuple[pl.DataFrame, list[str]]:
    undecided = frame.filter(pl.col("_undecided")).sort("order_id").get_column("order_id")
    lines = frame.filter(pl.col("_broken")).select(
        pl.lit("promise_broken").alias("kind"),
        pl.col("order_id").alias("group_id"),
        "buyer",
        "order_id",
        "paid_at",
        pl.lit(rules.promise_amount_fen, pl.Int64).alias("amount_fen"),
        pl.lit(None, pl.Int64).alias("cap_fen"),
        pl.lit(0, pl.Int64).alias("platform_fen"),
        "service",
        pl.col("_delivered").alias("delivered_at"),
        "flagged",
    )
    return lines, undecided.to_list()


# --------------------------------------------------------------------------- out of stock


def _stock_lines(
    refunds: pl.LazyFrame, orders: pl.LazyFrame, rules: CompensationRules, as_of: datetime
) -> pl.LazyFrame:
    """缺货 refunds on orders not yet shipped: 30% of the refunded amount, at least 5 yuan.

    Not shipped: the refund says 未发货; when it says nothing, the order had no ship time
    (发货 or 揽收, whichever came first) when the refund was applied for — when the orders
    export holds the order; else it is taken as not shipped. Several refunds of one order
    are summed into one payout.
    """
    as_of_lit = pl.lit(as_of, pl.Datetime("us"))
    reason = pl.col("reason").fill_null("").str.contains_any(list(rules.stock_reason_keywords))
    chosen = reason & (pl.col("applied_at") <= as_of_lit)
    if rules.stock_refund_statuses:
        chosen = chosen & pl.col("status").is_in(list(rules.stock_refund_statuses)).fill_null(False)
    order_ship = orders.select(
        "order_id",
        "buyer",
        "paid_at",
        pl.min_horizontal("shipped_at", "pickup_at").alias("_first_ship"),
        pl.lit(True).alias("_known"),
    )
    not_shipped = (
        pl.when(pl.col("shipped").is_not_null())
        .then(~pl.col("shipped"))
        .when(pl.col("_known").fill_null(False))
        .then(pl.col("_first_ship").is_null() | (pl.col("_first_ship") > pl.col("applied_at")))
        .otherwise(pl.lit(True))
    )
    per_order = (
        refunds.filter(chosen)
        .join(order_ship, on="order_id", how="left")
        .filter(not_shipped)
        .group_by("order_id")
        .agg(
            pl.col("buyer").drop_nulls().first(),
            pl.col("paid_at").min(),
            pl.col("amount").sum().alias("refund_fen"),
            pl.col("refund_id").sort().alias("refund_ids"),
        )
    )
    amount = compensation_fen(
        pl.col("refund_fen"), rules.stock_rate_percent, rules.stock_minimum_fen
    )
    return per_order.select(
        pl.lit("out_of_stock").alias("kind"),
        pl.col("order_id").alias("group_id"),
        "buyer",
        "order_id",
        "paid_at",
        amount.cast(pl.Int64).alias("amount_fen"),
        pl.lit(None, pl.Int64).alias("cap_fen"),
        pl.lit(0, pl.Int64).alias("platform_fen"),
        "refund_fen",
        "refund_ids",
    )


# --------------------------------------------------------------------------- proposal


def _conform(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype).alias(name)
        for name, dtype in LINE_SCHEMA.items()
    )


def propose(
    orders: pl.LazyFrame,
    events: pl.LazyFrame | None,
    refunds: pl.LazyFrame | None,
    rules: CompensationRules,
    as_of: datetime,
    *,
    platform_column: bool = False,
) -> Proposal:
    """Every payout line the exports justify as of ``as_of`` (no ledger involved).

    ``orders`` carries :data:`ORDERS_COLUMNS` (absent optional columns as nulls);
    ``platform_column`` says whether the export really has 延迟发货自动赔付金额, which turns
    the reconciliation on. Amounts the platform already paid are deducted in
    :func:`settle_payouts`, never paid twice.
    """
    orders = with_pickups(orders, events, rules.words)
    assessed = assess_late(orders, refunds, rules, as_of)
    keep = pl.col("late")
    if platform_column:
        keep = keep | (pl.col("auto_compensation").fill_null(0) > 0)
    plans = [assessed.filter(keep), _promise_candidates(orders, rules, as_of)]
    if refunds is not None:
        plans.append(_stock_lines(refunds, orders, rules, as_of))
    considered, candidates, *stock = pl.collect_all(plans)
    late = group_late_orders(considered.filter(pl.col("late")), rules.group_window_hours)

    promise, undecided = _promise_lines(candidates, rules)
    parts = [_conform(_late_lines(late, rules)), _conform(promise)]
    parts += [_conform(frame) for frame in stock]
    lines = pl.concat(parts).sort("kind", "group_id", "paid_at", "order_id", nulls_last=True)

    severe_rows = late.filter(pl.col("late_seconds") > rules.severe_after_hours * 3600).sort(
        ["late_seconds", "order_id"], descending=[True, False]
    )
    severe = [
        SevereOrder(
            r["order_id"],
            r["buyer"],
            r["paid_at"],
            r["deadline"],
            int(r["late_seconds"]),
            r["item_id"],
            r["item_title"],
        )
        for r in severe_rows.iter_rows(named=True)
    ]
    reconciliation = (
        _reconcile(considered, settle(lines.filter(pl.col("kind") == "late_shipment"), None))
        if platform_column
        else None
    )
    return Proposal(
        as_of=as_of,
        lines=lines,
        late_orders=late.height,
        late_groups=late.get_column("group_id").n_unique() if late.height else 0,
        severe=severe,
        reconciliation=reconciliation,
        undecided_promises=undecided,
    )


def _reconcile(considered: pl.DataFrame, attributed: pl.DataFrame) -> Reconciliation:
    """Orders the platform paid vs the late orders found here, order by order."""
    shares = attributed.select("order_id", pl.col("pay_fen").alias("computed_fen"))
    side = considered.select(
        "order_id",
        "buyer",
        "late",
        pl.col("auto_compensation").fill_null(0).alias("platform_fen"),
    ).join(shares, on="order_id", how="left")
    side = side.with_columns(pl.col("computed_fen").fill_null(0)).sort("order_id")

    def listed(frame: pl.DataFrame) -> list[ReconciledOrder]:
        return [
            ReconciledOrder(r["order_id"], r["buyer"], r["computed_fen"], r["platform_fen"])
            for r in frame.iter_rows(named=True)
        ]

    paid = pl.col("platform_fen") > 0
    groups = attributed.group_by("group_id").agg(pl.col("group_fen").first())
    return Reconciliation(
        computed_total_fen=int(groups.get_column("group_fen").sum() or 0),
        platform_total_fen=int(side.get_column("platform_fen").sum() or 0),
        platform_orders=side.filter(paid).height,
        matched=side.filter(
            pl.col("late") & paid & (pl.col("platform_fen") == pl.col("computed_fen"))
        ).height,
        not_late=listed(side.filter(~pl.col("late") & paid)),
        different=listed(
            side.filter(pl.col("late") & paid & (pl.col("platform_fen") != pl.col("computed_fen")))
        ),
        unpaid_late_orders=side.filter(pl.col("late") & ~paid).height,
    )


# --------------------------------------------------------------------------- settling


def settle(lines: pl.DataFrame, already: pl.DataFrame | None) -> pl.DataFrame:
    """Each line's share of what its group still owes.

    Per group (kind, group_id): ``group_fen = min(cap, Σ amount_fen)``, ``new_fen =
    max(group_fen − Σ already paid, 0)`` where already paid = ledger + platform for the
    group's orders. ``new_fen`` is attributed in payment order to the orders not yet in the
    ledger (``recorded``), each up to what it is still owed (its amount less what was paid
    for it); the last such order takes any remainder, so the shares sum to ``new_fen``.
    With ``already`` None nothing was paid: the plain cap attribution.
    """
    base = lines.drop("platform_fen", strict=False)
    if already is None:
        frame = base.with_columns(
            pl.lit(0, pl.Int64).alias("ledger_fen"),
            pl.lit(0, pl.Int64).alias("platform_fen"),
            pl.lit(False).alias("recorded"),
        )
    else:
        frame = base.join(
            already.select(list(ALREADY_SCHEMA)), on=["kind", "order_id"], how="left"
        ).with_columns(
            pl.col("ledger_fen").fill_null(0),
            pl.col("platform_fen").fill_null(0),
            pl.col("recorded").fill_null(False),
        )
    group = ["kind", "group_id"]
    order = ["_at", "order_id"]
    total = pl.col("amount_fen").sum().over(group)
    eligible = ~pl.col("recorded")
    outstanding = pl.when(eligible).then(
        (pl.col("amount_fen") - pl.col("ledger_fen") - pl.col("platform_fen")).clip(lower_bound=0)
    )
    frame = frame.with_columns(
        pl.col("paid_at").fill_null(datetime.min).alias("_at"),
        (pl.col("ledger_fen") + pl.col("platform_fen")).alias("already_fen"),
        outstanding.fill_null(0).alias("_owed"),
    ).with_columns(
        total.alias("order_total_fen"),
        capped_fen(total, pl.col("cap_fen")).alias("group_fen"),
        pl.col("ledger_fen").sum().over(group).alias("group_ledger_fen"),
        pl.col("platform_fen").sum().over(group).alias("group_platform_fen"),
        (pl.col("_owed").cum_sum().over(group, order_by=order) - pl.col("_owed")).alias("_before"),
        (
            eligible
            & (
                eligible.cast(pl.Int64).cum_sum().over(group, order_by=order)
                == eligible.cast(pl.Int64).sum().over(group)
            )
        ).alias("_last"),
    )
    new = (pl.col("group_fen") - pl.col("group_ledger_fen") - pl.col("group_platform_fen")).clip(
        lower_bound=0
    )
    left = new - pl.col("_before")
    share = (
        pl.when(~eligible)
        .then(0)
        .when(pl.col("_last"))
        .then(left.clip(lower_bound=0))
        .otherwise(pl.min_horizontal(left.clip(lower_bound=0), pl.col("_owed")))
    )
    return (
        frame.with_columns(new.alias("new_fen"), share.cast(pl.Int64).alias("pay_fen"))
        .drop("_at", "_owed", "_before", "_last")
        .sort("kind", "group_id", "paid_at", "order_id", nulls_last=True)
    )


def already_paid(proposal: Proposal, ledger: pl.DataFrame | None) -> pl.DataFrame:
    """Ledger payouts (kind, order_id, ledger_fen) joined with what the platform paid."""
    platform = proposal.lines.filter(pl.col("platform_fen") > 0).select(
        "kind", "order_id", "platform_fen"
    )
    if ledger is None or ledger.height == 0:
        return platform.with_columns(
            pl.lit(0, pl.Int64).alias("ledger_fen"), pl.lit(False).alias("recorded")
        ).select(list(ALREADY_SCHEMA))
    recorded = ledger.select(
        "kind", "order_id", pl.col("ledger_fen").cast(pl.Int64), pl.lit(True).alias("recorded")
    )
    return (
        recorded.join(platform, on=["kind", "order_id"], how="full", coalesce=True)
        .with_columns(
            pl.col("ledger_fen").fill_null(0),
            pl.col("platform_fen").fill_null(0),
            pl.col("recorded").fill_null(False),
        )
        .select(list(ALREADY_SCHEMA))
    )


def settle_payouts(proposal: Proposal, ledger: pl.DataFrame | None = None) -> Settlement:
    """The payouts still due: platform payments and ``ledger`` (kind, order_id, ledger_fen)
    count as paid. Only groups with something new to pay are returned."""
    settled = settle(proposal.lines, already_paid(proposal, ledger))
    groups = (
        settled.group_by("kind", "group_id")
        .agg(
            pl.col("buyer").drop_nulls().first(),
            pl.col("paid_at").min().alias("_first_paid"),
            pl.col("new_fen").first(),
            pl.col("pay_fen").sum().alias("attributed_fen"),
            # The same on every line of a group (settle).
            pl.col(
                "group_fen", "order_total_fen", "group_ledger_fen", "group_platform_fen"
            ).first(),
            pl.len().alias("_n"),
        )
        .filter(pl.col("new_fen") > 0)
    )
    unattributed = [
        Unattributed(r["kind"], r["buyer"], r["group_id"], r["new_fen"] - r["attributed_fen"])
        for r in groups.filter(pl.col("attributed_fen") < pl.col("new_fen"))
        .sort("kind", "group_id")
        .iter_rows(named=True)
    ]
    # Each payout is a run of consecutive lines of ``rows`` (sorted by group first): its
    # first line's number is the count of the lines before it. The objects are made from
    # whole columns: a 10 M-order shop owes 180 k payouts, and a dict per row made and read
    # again took 12 s where this takes a few.
    group = ["kind", "group_id"]
    due = (
        groups.filter(pl.col("attributed_fen") > 0)
        .sort(group, nulls_last=True)
        .with_columns((pl.col("_n").cum_sum() - pl.col("_n")).alias("_start"))
        .sort(
            [
                pl.col("kind").replace_strict(list(KINDS), list(range(len(KINDS))), default=99),
                "_first_paid",
                "group_id",
            ],
            nulls_last=True,
        )
    )
    # nulls_equal: every line the counts above saw, so the runs line up.
    rows = settled.join(due, on=group, how="semi", nulls_equal=True).sort(
        *group, "paid_at", "order_id", nulls_last=True
    )
    refund_ids = pl.col("refund_ids").fill_null(pl.lit([], pl.List(pl.String)))
    values = [
        column.to_list()
        for column in rows.select(
            [refund_ids if c == "refund_ids" else pl.col(c) for c in _LINE_COLUMNS]
        ).get_columns()
    ]
    lines = list(map(PayoutLine, *values))
    order_ids = values[_LINE_COLUMNS.index("order_id")]
    payouts = [
        Payout(
            kind=kind,
            buyer=buyer,
            group_id=group_id,
            order_ids=order_ids[start : start + n],
            amount_fen=amount,
            group_fen=group_fen,
            order_total_fen=total,
            ledger_fen=ledger_fen,
            platform_fen=platform_fen,
            lines=lines[start : start + n],
        )
        for kind, group_id, start, n, buyer, amount, group_fen, total, ledger_fen, platform_fen in (
            due.select(
                "kind",
                "group_id",
                "_start",
                "_n",
                "buyer",
                "attributed_fen",
                "group_fen",
                "order_total_fen",
                "group_ledger_fen",
                "group_platform_fen",
            ).iter_rows()
        )
    ]
    return Settlement(payouts, unattributed)


# The settled frame's column for each PayoutLine field, in the fields' order.
_LINE_COLUMNS = tuple({"order_fen": "amount_fen"}.get(f.name, f.name) for f in fields(PayoutLine))
