"""售后: the after-sales metrics of the 基础服务考核分 and the refunds to act on (SPEC §6, §8).

* 仅退款自主完结时长 (``refund_only_hours``): mean hours from application to completion of the
  仅退款 refunds completed on T−30 … T−1 that finished without the platform (小二介入 excluded).
  "Completed" is the 退款完结时间: a refund that succeeded (退款成功) and one the buyer closed
  (退款关闭) both finished without the platform, so both count.
* 退货退款自主完结时长 (``return_refund_hours``): the same for 退货退款, minus the buyer's time
  from the seller's agreement to the upload of the return tracking number (not the seller's).
  A return the buyer never uploaded (timed out, cancelled) is excluded; so is one with an
  upload but no agreement time in the export: the buyer's time cannot be measured, and
  charging it to the seller would be unfair.
* 纠纷退款率 (``dispute_refund_rate``): refunds completed on T−30 … T−1 where the platform
  intervened and ruled 卖家责任, divided by the orders paid on T−30 … T−1.

Seed 001: 申请客服介入的时间是72小时后 — a refund that waits for the seller past 72 h may be
escalated by the buyer, so the watchlist flags it. The auto-refund simulation replays the
export as if the 千牛 个性化退款策略 in config had handled the refunds they match.

The modules: :mod:`.rules` (columns, the platform's words, the config's section),
:mod:`.after_sales` (the metrics, the drill-downs, the watchlist) and :mod:`.auto_refund` (the
strategies replayed).
"""

from __future__ import annotations

from tmallcli.metrics.refunds.after_sales import (
    Breakdown,
    RefundsResult,
    SlowRefund,
    WaitingRefund,
    complete,
    compute_refunds,
)
from tmallcli.metrics.refunds.auto_refund import AutoRefundResult, Simulation
from tmallcli.metrics.refunds.rules import (
    AUTO_AGREE,
    AUTO_REFUND,
    COLUMNS,
    DISPUTE_REFUND_RATE,
    HOURS_METRICS,
    METRIC_NOTICES,
    NEEDS_ORDERS,
    NO_ORDERS_PAID,
    ORDER_COLUMNS,
    REFUND_ONLY,
    REFUND_ONLY_HOURS,
    RETURN_REFUND,
    RETURN_REFUND_HOURS,
    RULE_CONDITION_UNKNOWN,
    SELLER_AT_FAULT,
    US_PER_HOUR,
    WINDOW_END_DAYS_BEFORE,
    WINDOW_START_DAYS_BEFORE,
    AutoRefundRule,
    Notice,
    RefundRules,
)

__all__ = [
    "AUTO_AGREE",
    "AUTO_REFUND",
    "COLUMNS",
    "DISPUTE_REFUND_RATE",
    "HOURS_METRICS",
    "METRIC_NOTICES",
    "NEEDS_ORDERS",
    "NO_ORDERS_PAID",
    "ORDER_COLUMNS",
    "REFUND_ONLY",
    "REFUND_ONLY_HOURS",
    "RETURN_REFUND",
    "RETURN_REFUND_HOURS",
    "RULE_CONDITION_UNKNOWN",
    "SELLER_AT_FAULT",
    "US_PER_HOUR",
    "WINDOW_END_DAYS_BEFORE",
    "WINDOW_START_DAYS_BEFORE",
    "AutoRefundResult",
    "AutoRefundRule",
    "Breakdown",
    "Notice",
    "RefundRules",
    "RefundsResult",
    "Simulation",
    "SlowRefund",
    "WaitingRefund",
    "complete",
    "compute_refunds",
]
