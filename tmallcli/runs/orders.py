"""The orders export when it lacks a column the rules want (SPEC §2.1, "Required columns,
restated"): only 订单编号 and 订单付款时间 are indispensable, and each fallback is said.

* no buyer (the per-item export has none): the buyer is taken by order number from another
  export of the run that names it (reviews, refunds when they carry a buyer); an order still
  without one is its own compensation group (no 24-hour merging across a buyer's orders);
* no 订单状态: an order is paid when it has a payment time and a paid amount above 0, and
  closed orders (交易关闭) cannot be left out;
* no paid amount: compensation cannot be computed (``compensate late-orders`` stops, the
  report skips it); the pickup rate still can.

Each fallback is a :class:`~tmallcli.metrics.pickup.Notice` (a stable ``code`` and an English
message): stderr and the command's JSON ``warnings``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tmallcli.i18n import N_, tr

if TYPE_CHECKING:
    from tmallcli.exports.inputs import Inputs
    from tmallcli.exports.reader import LoadedExport
    from tmallcli.metrics.pickup import Notice

# Warning codes (JSON ``warnings[].code``).
NO_BUYER = "orders_without_buyer"
NO_STATUS = "orders_without_status"
NO_PAID_AMOUNT = "orders_without_paid_amount"

NEEDS_PAID_AMOUNT = N_(
    "compensation needs the amount the buyer paid: the orders export has no 买家实际支付金额 / "
    "买家实付金额 (paid_amount) column"
)

# Other exports that may name an order's buyer, and their buyer column.
BUYER_SOURCES = ("reviews", "refunds")


def can_compensate(orders: LoadedExport) -> bool:
    """Is there a paid amount to take 30 % of?"""
    return orders.has("paid_amount")


def paid_without_status(orders: LoadedExport) -> tuple[LoadedExport, list[Notice]]:
    """Without 订单状态: the orders paid (a payment time and, when the export has the column, a
    paid amount above 0), and the warning that closed orders cannot be left out."""
    import polars as pl

    from tmallcli.metrics.pickup import Notice

    if orders.has("status"):
        return orders, []
    paid = pl.col("paid_at").is_not_null()
    if orders.has("paid_amount") and "paid_amount" in orders.frame.columns:
        paid = paid & (pl.col("paid_amount") > 0).fill_null(False)
    kept = orders.frame.filter(paid)
    dropped = orders.frame.height - kept.height
    if orders.has("paid_amount"):
        message = tr(
            "orders: the export has no 订单状态 (status): an order counts as paid when it has a "
            "payment time and a paid amount above 0; closed orders (交易关闭) cannot be left out"
        )
    else:
        message = tr(
            "orders: the export has no 订单状态 (status): an order counts as paid when it has a "
            "payment time; closed orders (交易关闭) cannot be left out"
        )
    if dropped:
        message += tr("; {dropped} order(s) not paid were left out", dropped=dropped)
    return replace(orders, frame=kept), [Notice(NO_STATUS, message)]


def with_buyers(
    orders: LoadedExport, files: Inputs, *, say: bool = True
) -> tuple[LoadedExport, list[Notice]]:
    """Orders without a buyer get it by order number from the run's other exports that name
    one; the rest are each their own compensation group (said when ``say``)."""
    import polars as pl

    from tmallcli.exports.kinds import KINDS
    from tmallcli.metrics.pickup import Notice

    frame = orders.frame
    if "buyer" not in frame.columns:
        return orders, []
    missing = frame.get_column("buyer").null_count()
    if not missing:
        return orders, []
    used, named = [], []
    for kind in BUYER_SOURCES:
        if not files.has(kind) or "buyer" not in {c.name for c in KINDS[kind].columns}:
            continue
        other = files.load(kind, ("order_id", "buyer"))
        if not other.has("buyer"):
            continue
        named.append(
            other.frame.select("order_id", pl.col("buyer").cast(pl.String)).filter(
                pl.col("order_id").is_not_null() & pl.col("buyer").is_not_null()
            )
        )
        used.append(kind)
    filled = 0
    if named:
        # One buyer per order: the smallest nick, should two exports disagree.
        buyers = pl.concat(named).group_by("order_id").agg(pl.col("buyer").min().alias("_named"))
        dtype = frame.schema["buyer"]
        frame = (
            frame.join(buyers, on="order_id", how="left", maintain_order="left")
            .with_columns(pl.coalesce("buyer", pl.col("_named").cast(dtype)).alias("buyer"))
            .drop("_named")
        )
        filled = missing - frame.get_column("buyer").null_count()
    left = missing - filled
    parts = [tr("orders: {missing} order(s) have no buyer (买家会员名)", missing=missing)]
    if filled:
        parts.append(
            tr(
                "{filled} taken by order number from the {exports} export",
                filled=filled,
                exports=" / ".join(used),
            )
        )
    if left:
        parts.append(
            tr(
                "{left} are each their own compensation group (a buyer's late orders paid "
                "within 24 h cannot be merged)",
                left=left,
            )
        )
    notices = [Notice(NO_BUYER, "; ".join(parts))] if say else []
    return replace(orders, frame=frame), notices


def without_paid_amount(orders: LoadedExport) -> list[Notice]:
    """The pickup rate without a paid amount: the watchlist cannot say what a late order
    would cost."""
    from tmallcli.metrics.pickup import Notice

    if orders.has("paid_amount"):
        return []
    return [
        Notice(
            NO_PAID_AMOUNT,
            tr(
                "orders: the export has no paid amount (买家实付金额): the pickup rate is computed, but the watchlist shows each order's minimum compensation only (5 yuan), and compensation cannot be computed"
            ),
        )
    ]
