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

The modules, in the order of a run: :mod:`.rules` (columns, the config's numbers),
:mod:`.late`, :mod:`.promises` and :mod:`.out_of_stock` (who is owed what), :mod:`.proposal`
(the lines and the reconciliation with the platform), :mod:`.settlement` (what is still to
pay), :mod:`.results` (the objects returned). The amounts themselves (rate, minimum, cap) are
:mod:`tmallcli.money`'s.
"""

from __future__ import annotations

from tmallcli.metrics.compensation.late import (
    END_KINDS,
    assess_late,
    group_late_orders,
    order_pickups,
    with_pickups,
)
from tmallcli.metrics.compensation.proposal import propose
from tmallcli.metrics.compensation.results import (
    Payout,
    PayoutLine,
    Proposal,
    ReconciledOrder,
    Reconciliation,
    Settlement,
    SevereOrder,
    Unattributed,
)
from tmallcli.metrics.compensation.rules import (
    ALREADY_SCHEMA,
    KINDS,
    LINE_SCHEMA,
    NEXT_DAY,
    ORDERS_COLUMNS,
    REFUND_COLUMNS,
    REPEATED_TEXTS,
    SAME_DAY,
    CompensationRules,
)
from tmallcli.metrics.compensation.settlement import already_paid, settle, settle_payouts
from tmallcli.metrics.shipping import EVENT_COLUMNS, PackagePickups

__all__ = [
    "ALREADY_SCHEMA",
    "END_KINDS",
    "EVENT_COLUMNS",
    "KINDS",
    "LINE_SCHEMA",
    "NEXT_DAY",
    "ORDERS_COLUMNS",
    "REFUND_COLUMNS",
    "REPEATED_TEXTS",
    "SAME_DAY",
    "CompensationRules",
    "PackagePickups",
    "Payout",
    "PayoutLine",
    "Proposal",
    "ReconciledOrder",
    "Reconciliation",
    "Settlement",
    "SevereOrder",
    "Unattributed",
    "already_paid",
    "assess_late",
    "group_late_orders",
    "order_pickups",
    "propose",
    "settle",
    "settle_payouts",
    "with_pickups",
]
