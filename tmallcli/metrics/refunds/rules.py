"""What the after-sales rules read: the refunds export's columns, the platform's words, and the
config's ``refunds`` section (:class:`RefundRules`, its 千牛 auto-refund strategies)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import polars as pl

COLUMNS = (
    "refund_id",
    "order_id",
    "applied_at",
    "amount",
    "refund_type",
    "reason",
    "status",
    "stage",
    "shipped",
    "merchant_agreed_at",
    "buyer_returned_at",
    "return_tracking_no",
    "completed_at",
    "platform_intervened",
    "ruling",
    "signed_at",
)
ORDER_COLUMNS = ("order_id", "paid_at")

REFUND_ONLY = "仅退款"
RETURN_REFUND = "退货退款"
SELLER_AT_FAULT = "卖家责任"
AUTO_REFUND = "auto_refund"
AUTO_AGREE = "auto_agree"

# Metric keys of SPEC §6, also the population names of the two duration metrics.
REFUND_ONLY_HOURS = "refund_only_hours"
RETURN_REFUND_HOURS = "return_refund_hours"
DISPUTE_REFUND_RATE = "dispute_refund_rate"
HOURS_METRICS = (REFUND_ONLY_HOURS, RETURN_REFUND_HOURS)

NEEDS_ORDERS = "needs_orders"  # warning codes
NO_ORDERS_PAID = "no_orders_paid"
RULE_CONDITION_UNKNOWN = "rule_condition_unknown"
# 退货退款 without 卖家同意退货时间 (the classic export has no such column): the application
# time stands in for the agreement, so the seller's time is a lower bound (SPEC §2.1).
AGREEMENT_APPROXIMATED = "agreement_time_approximated"
# 售后类型 values refunds.type_values does not know: the type was derived from the row.
UNRECOGNISED_TYPE = "unrecognised_refund_type"
# The warnings that bear on the §6 metric values (score service and the report repeat them).
METRIC_NOTICES = (AGREEMENT_APPROXIMATED, UNRECOGNISED_TYPE)

WINDOW_START_DAYS_BEFORE = 30  # T−30 … T−1 (SPEC §6)
WINDOW_END_DAYS_BEFORE = 1
US_PER_HOUR = 3_600_000_000

DATETIME = pl.Datetime("us")
COLUMN_TYPES: dict[str, pl.DataType] = {
    "applied_at": DATETIME,
    "amount": pl.Int64(),
    "shipped": pl.Boolean(),
    "merchant_agreed_at": DATETIME,
    "buyer_returned_at": DATETIME,
    "completed_at": DATETIME,
    "platform_intervened": pl.Boolean(),
    "signed_at": DATETIME,
    "paid_at": DATETIME,
}


@dataclass(frozen=True)
class AutoRefundRule:
    """One 千牛 auto-refund strategy; a condition left ``None`` is not checked."""

    name: str
    action: str  # auto_refund / auto_agree
    reasons: tuple[str, ...]
    refund_type: str | None
    shipped: bool | None
    stage: str | None
    max_amount_fen: int | None
    within_days_of_signed: int | None

    @classmethod
    def from_config(cls, rule: Any) -> AutoRefundRule:
        return cls(
            name=rule.name,
            action=rule.action,
            reasons=tuple(rule.reasons),
            refund_type=rule.refund_type,
            shipped=rule.shipped,
            stage=rule.stage,
            max_amount_fen=rule.max_amount_fen,
            within_days_of_signed=rule.within_days_of_signed,
        )

    def matches(self) -> pl.Expr:
        """True when every condition that is set holds.

        An unknown value (是否已发货, 售中或售后 or 签收时间 missing) does not satisfy a
        condition on it: a strategy that depends on the shipping state cannot be credited
        with a refund whose shipping state the export does not show.
        """
        conditions = [pl.col("reason").str.contains_any(list(self.reasons))]
        if self.refund_type is not None:
            conditions.append(pl.col("refund_type") == self.refund_type)
        if self.shipped is not None:
            conditions.append(pl.col("shipped") == self.shipped)
        if self.stage is not None:
            conditions.append(pl.col("stage") == self.stage)
        if self.max_amount_fen is not None:
            conditions.append(pl.col("amount") < self.max_amount_fen)
        if self.within_days_of_signed is not None:
            signed, applied = pl.col("signed_at"), pl.col("applied_at")
            conditions.append(
                applied.is_between(
                    signed, signed + timedelta(days=self.within_days_of_signed), closed="both"
                )
            )
        return pl.all_horizontal(c.fill_null(False) for c in conditions)


@dataclass(frozen=True)
class RefundRules:
    """The ``refunds`` section of the config (its numbers live in ``config/default.yaml``)."""

    waiting_statuses: tuple[str, ...]
    intervention_after_hours: int
    completed_statuses: tuple[str, ...] | None  # None: any status with a completion time
    slowest_limit: int
    auto_minutes: int
    auto_rules: tuple[AutoRefundRule, ...]
    # 售后类型 as written → 仅退款 / 退货退款, or None: a type in neither metric (换货, 维修).
    type_values: dict[str, str | None]

    @classmethod
    def from_config(cls, config: Any, *, slowest_limit: int | None = None) -> RefundRules:
        """Rules from the validated config's ``refunds`` section."""
        refunds = config.refunds
        return cls(
            waiting_statuses=tuple(refunds.waiting_statuses),
            intervention_after_hours=refunds.intervention_after_hours,
            completed_statuses=None
            if refunds.completed_statuses is None
            else tuple(refunds.completed_statuses),
            slowest_limit=refunds.slowest_limit if slowest_limit is None else slowest_limit,
            auto_minutes=refunds.auto_refund.auto_minutes,
            auto_rules=tuple(AutoRefundRule.from_config(r) for r in refunds.auto_refund.rules),
            type_values=dict(refunds.type_values),
        )

    def refund_type(self) -> pl.Expr:
        """售后类型 as the rules read it (SPEC §2.1): a type of ``type_values`` mapped (one
        mapped to null, such as 换货, stays as written: neither metric counts it); any other
        type, or none, derived from the row — a 买家退货时间 or 退货物流单号 says the goods go
        back (退货退款), else 仅退款. :meth:`unrecognised` tells which rows were derived."""
        written = pl.col("refund_type")
        mapped = {k: v for k, v in self.type_values.items() if v is not None}
        derived = (
            pl.when(
                pl.col("buyer_returned_at").is_not_null()
                | pl.col("return_tracking_no").is_not_null()
            )
            .then(pl.lit(RETURN_REFUND))
            .otherwise(pl.lit(REFUND_ONLY))
        )
        return (
            pl.when(self.unrecognised())
            .then(derived)
            .otherwise(written.replace(mapped))
            .alias("refund_type")
        )

    def unrecognised(self) -> pl.Expr:
        """Rows whose 售后类型 is empty or not in ``type_values``."""
        written = pl.col("refund_type")
        return written.is_null() | ~written.is_in(list(self.type_values))


@dataclass(frozen=True)
class Notice:
    """A warning about the result (JSON ``warnings``); ``code`` is stable, ``message`` English."""

    code: str
    message: str
