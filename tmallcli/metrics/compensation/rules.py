"""What the compensation rules read: the export columns, the payout line schema and
:class:`CompensationRules` (the config's ``compensation`` section, numbers from the YAML)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from tmallcli.metrics.shipping import (
    ORDER_COLUMNS,
    PickupWords,
)

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
