"""What a load does to the typed rows of all its files: columns derived from others (SPEC §2),
exact duplicate rows dropped, and an orders export's rows folded into one row per order."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import polars as pl

from tmallcli.exports.kinds import KindSpec
from tmallcli.frames import repeats
from tmallcli.i18n import tr


def derive(
    kind: KindSpec,
    frame: pl.DataFrame,
    present: set[str],
    warnings: list[dict[str, Any]] | None = None,
) -> pl.DataFrame:
    if kind.name == "refunds":
        frame = newest_refunds(frame, [] if warnings is None else warnings)
        if "refund_type" in frame.columns and "needs_return" in frame.columns:
            # SPEC §2: 售后类型 derived from 是否需要退货 (是 → 退货退款, 否 → 仅退款).
            frame = frame.with_columns(
                pl.coalesce(
                    pl.col("refund_type"),
                    pl.when(pl.col("needs_return"))
                    .then(pl.lit("退货退款"))
                    .when(pl.col("needs_return").not_())
                    .then(pl.lit("仅退款")),
                ).alias("refund_type")
            )
        if (
            "shipped" in frame.columns
            and "shipping_info" in frame.columns
            and "shipping_info" in present
        ):
            # SPEC §2.1: where the export has 发货物流信息, an empty one says not shipped.
            frame = frame.with_columns(
                pl.coalesce(pl.col("shipped"), pl.col("shipping_info").is_not_null()).alias(
                    "shipped"
                )
            )
    if kind.name == "complaints" and "platform_intervened" in frame.columns:
        frame = frame.with_columns(pl.col("platform_intervened").fill_null(True))
    return frame


def newest_refunds(frame: pl.DataFrame, warnings: list[dict[str, Any]]) -> pl.DataFrame:
    """A refund (退款编号) in several files is taken from the newest file only (SPEC §2.1:
    yesterday's 待卖家处理 row must not stay on today's waiting list).

    The newest file is the one whose newest time (any time column read: application,
    agreement, return, completion, signing) is the latest — an export taken later has seen
    more of the refunds' lives; on a tie, the file given later (``_file``). A refund in one
    file keeps all its rows there, as before."""
    if frame.height == 0 or frame.get_column("_file").n_unique() < 2:
        return frame
    times = [c for c, dtype in frame.schema.items() if dtype == pl.Datetime("us")]
    newest = pl.max_horizontal(*(pl.col(c).max() for c in times)) if times else pl.lit(None)
    files = (
        frame.group_by("_file")
        .agg(newest.alias("_newest"))
        .sort(["_newest", "_file"], nulls_last=False)
        .with_row_index("_rank")
        .select("_file", "_rank")
    )
    ranked = frame.join(files, on="_file", how="left", maintain_order="left")
    kept = ranked.filter(pl.col("_rank") == pl.col("_rank").max().over("refund_id")).drop("_rank")
    replaced = frame.height - kept.height
    if replaced:
        warnings.append(
            {
                "kind": "refunds",
                "problem": "refund in several files",
                "rows_dropped": replaced,
                "message": tr(
                    "refunds: {replaced} row(s) of refunds also in a newer export "
                    "replaced by the newer export's rows",
                    replaced=replaced,
                ),
            }
        )
    return kept


def distinct(frame: pl.DataFrame, column: str) -> bool:
    """Are the column's values all different? Proven by distinct hashes; should two hashes
    be equal (two equal values, or a collision) the answer is no, and the caller goes the
    long way, which compares values."""
    return not repeats(frame.get_column(column).hash()).any()


def without_repeats(
    kind: KindSpec,
    frame: pl.DataFrame,
    wanted: list[str],
    present: set[str],
    warnings: list[dict[str, Any]],
    statuses: OrderStatuses | None = None,
) -> pl.DataFrame:
    """Exact duplicate rows dropped (on the columns read) and orders folded to one row each."""
    if kind.name == "orders" and "sub_order_id" not in present and distinct(frame, "order_id"):
        # Each order in one row: no row repeats another and there is nothing to fold (one
        # hash of one column instead of a hash of every row and the order numbers' set).
        return frame
    frame = drop_duplicates(kind, frame, wanted, warnings)
    if kind.name == "orders":
        frame = fold_orders(frame, present, warnings, statuses)
    return frame


def drop_duplicates(
    kind: KindSpec, frame: pl.DataFrame, wanted: list[str], warnings: list[dict[str, Any]]
) -> pl.DataFrame:
    """Every row that repeats an earlier one exactly (files in order) is dropped.

    Only rows whose hash repeats can repeat: usually none (the hash proves it at a third of
    the cost of unique()); otherwise those few are compared by value and the later copies
    dropped, without sorting the whole frame.
    """
    if frame.height == 0:
        return frame
    repeated = repeats(frame.select(wanted).hash_rows())
    if not repeated.any():
        return frame
    # The frame holds the files in order, each in its order: a row's place is its record's.
    candidates = frame.with_row_index("_at").filter(repeated)
    first = candidates.unique(subset=wanted, keep="first", maintain_order=True)
    dropped = candidates.height - first.height
    if not dropped:
        return frame
    later = candidates.filter(~pl.col("_at").is_in(first["_at"].implode()))["_at"]
    frame = frame.filter(pl.repeat(True, frame.height, eager=True).scatter(later, False))
    warnings.append(
        {
            "kind": kind.name,
            "problem": "duplicate rows",
            "rows_dropped": dropped,
            "message": tr(
                "{kind}: dropped {dropped} exact duplicate row(s)", kind=kind.name, dropped=dropped
            ),
        }
    )
    return frame


# Columns the fold adds to an export of one row per item, for the pickup rule (SPEC §2.1: one
# package never picked up = the order not picked up). metrics/shipping.py reads them by name.
PICKUP_KNOWN = "pickup_known"  # some open item has a 揽收时间: the export knows the pickup
UNSHIPPED_ITEM = (
    "unshipped_item"  # an open item has no 揽收时间, 物流单号 nor 发货时间 while another has
)
FOLD_FLAGS = (PICKUP_KNOWN, UNSHIPPED_ITEM)

# Money summed over an order's items; the platform's payment (主动赔付金额) is counted once when
# every item row repeats it (see _platform_payment).
_SUMMED = ("paid_amount", "shipping_fee")
_PLATFORM_PAYMENT = "auto_compensation"
_EARLIEST = ("paid_at", "created_at", "promised_ship_by")
# Times of the order's open items: the latest, and missing while an open item has none.
_ALL_ITEMS_DONE = ("shipped_at", "picked_up_at", "delivered_at")


@dataclass(frozen=True)
class OrderStatuses:
    """The 订单状态 texts the fold ranks (config ``orders``): ``ranked`` from the least to the
    most advanced, ``closed`` the texts of a closed item (the first is the closed order's)."""

    ranked: tuple[str, ...]
    closed: tuple[str, ...]

    @classmethod
    def from_config(cls, config: Any) -> OrderStatuses:
        return cls(tuple(config.orders.status_order), tuple(config.orders.closed_statuses))


@cache
def default_statuses() -> OrderStatuses:
    """The shipped config's statuses, for a read that is given none (a reader made without a
    run: ``data check``, the tests)."""
    from tmallcli.config.loading import default_config_path, read_yaml, validate_config

    return OrderStatuses.from_config(validate_config(read_yaml(default_config_path())))


def _sum_or_null(column: str) -> pl.Expr:
    return pl.when(pl.col(column).null_count() < pl.len()).then(pl.col(column).sum())


def _platform_payment() -> pl.Expr:
    """延迟发货自动赔付 / 主动赔付金额 of an order: the platform pays per order, and an export of
    one row per item repeats the order's payment on each row. So when every row of an order
    of several carries the same amount it is one payment; otherwise the rows' amounts are
    summed (a payment on one row only, or different amounts)."""
    c = pl.col(_PLATFORM_PAYMENT)
    repeated = (pl.len() > 1) & (c.null_count() == 0) & (c.n_unique() == 1)
    return pl.when(repeated).then(c.first()).otherwise(_sum_or_null(_PLATFORM_PAYMENT))


def _latest_over_open(column: str) -> pl.Expr:
    """The latest time over the counted items (the open ones, or all when all are closed), and
    missing when an open item has none: the order waits for its last item. An order whose
    every item is closed takes the latest time any item has."""
    over = pl.col(column).filter(pl.col("_counts"))
    return (
        pl.when(pl.col("_open").any())
        .then(pl.when(over.null_count() == 0).then(over.max()))
        .otherwise(pl.col(column).max())
    )


def _order_status(statuses: OrderStatuses) -> pl.Expr:
    """交易关闭 only when every item is closed; else the open items' most advanced status (a
    text not ranked in the config ranks below every ranked one; among those the first in
    text order, so the row order never decides)."""
    status = pl.col("status")
    ranked = pl.col("_open") & status.is_not_null()
    open_pick = status.filter(ranked).sort_by(
        [pl.col("_rank").filter(ranked), pl.col("_status_text").filter(ranked)],
        descending=[True, False],
    )
    closed = pl.col("_closed")
    closed_pick = status.filter(closed).sort_by(pl.col("_closed_rank").filter(closed))
    return pl.when(pl.col("_open").any()).then(open_pick.first()).otherwise(closed_pick.first())


def _packages_over_open() -> pl.Expr:
    """The tracking numbers of the counted items, each once, in text order."""
    return (
        pl.col("tracking_no")
        .filter(pl.col("_counts"))
        .str.split(",")
        .list.explode(keep_nulls=False, empty_as_null=False)
        .unique()
        .sort()
        .str.join(",")
        .alias("tracking_no")
    )


def fold_items(frame: pl.DataFrame, statuses: OrderStatuses) -> pl.DataFrame:
    """One row per (file, order): the rows of an order's items in one file folded as SPEC §2.1
    says, whatever their order (see the module's helpers for each column). Columns not folded
    by a rule take their smallest value (the items of an order share them: buyer, carrier …)."""
    columns = frame.columns
    has_status = "status" in columns
    status_text = pl.col("status").cast(pl.String) if has_status else pl.lit(None, pl.String)
    closed = status_text.is_in(list(statuses.closed)).fill_null(False)
    ranks = {text: rank for rank, text in enumerate(statuses.ranked)}
    closed_ranks = {text: rank for rank, text in enumerate(statuses.closed)}
    keys = ["_file", "order_id"]
    frame = frame.with_columns(
        closed.alias("_closed"),
        (~closed).alias("_open"),
        status_text.alias("_status_text"),
        status_text.replace_strict(ranks, default=-1, return_dtype=pl.Int32).alias("_rank"),
        status_text.replace_strict(closed_ranks, default=None, return_dtype=pl.Int32).alias(
            "_closed_rank"
        ),
    ).with_columns(
        # The items an order's times and packages are read from: its open items, or all of
        # them when every item is closed.
        (pl.col("_open") | ~pl.col("_open").any().over(keys)).alias("_counts")
    )
    aggs: list[pl.Expr] = [pl.col("_row").min()]
    done = {*keys, "_row", "_closed", "_open", "_status_text", "_rank", "_closed_rank", "_counts"}
    for column in columns:
        if column in done:
            continue
        if column in _SUMMED:
            aggs.append(_sum_or_null(column))
        elif column == _PLATFORM_PAYMENT:
            aggs.append(_platform_payment())
        elif column in _EARLIEST:
            aggs.append(pl.col(column).min())
        elif column in _ALL_ITEMS_DONE:
            aggs.append(_latest_over_open(column))
        elif column == "status":
            aggs.append(_order_status(statuses))
        elif column == "tracking_no":
            aggs.append(_packages_over_open())
        elif frame.schema[column] == pl.Boolean:
            aggs.append(pl.col(column).max())  # 承诺未履约 on any item: the order's promise
        else:
            aggs.append(pl.col(column).cast(pl.String).drop_nulls().min().alias(column))
    aggs += _pickup_flags(columns)
    folded = frame.group_by(keys).agg(aggs).sort("_file", "_row")
    restore = [
        pl.col(c).cast(frame.schema[c])
        for c in columns
        if c in folded.columns and folded.schema[c] != frame.schema[c]
    ]
    folded = folded.with_columns(restore) if restore else folded
    if "tracking_no" in folded.columns:
        folded = folded.with_columns(pl.col("tracking_no").replace("", None))
    return folded.select(*columns, *(f for f in FOLD_FLAGS if f in folded.columns))


def _pickup_flags(columns: list[str]) -> list[pl.Expr]:
    """:data:`PICKUP_KNOWN` and :data:`UNSHIPPED_ITEM` of an order (see there), from the
    columns the load read."""
    flags: list[pl.Expr] = []
    counted = pl.col("_counts")
    if "picked_up_at" in columns:
        flags.append(pl.col("picked_up_at").filter(counted).is_not_null().any().alias(PICKUP_KNOWN))
    shipping = [c for c in ("picked_up_at", "tracking_no", "shipped_at") if c in columns]
    if shipping:
        some = pl.any_horizontal(pl.col(c).is_not_null() for c in shipping)
        flags.append(((some & counted).any() & (~some & counted).any()).alias(UNSHIPPED_ITEM))
    return flags


def fold_orders(
    frame: pl.DataFrame,
    present: set[str],
    warnings: list[dict[str, Any]],
    statuses: OrderStatuses | None = None,
) -> pl.DataFrame:
    """One row per order.

    Within one file, several rows of one order are its items (a sub-order export, 子订单编号 +
    主订单编号, or an item export repeating the order number): they are folded
    (:func:`fold_items`). When several files hold the same order (yesterday's and today's
    export), the file given last wins: it is the newer state of the order; a buyer only an
    older file names is kept.
    """
    statuses = statuses or default_statuses()
    if (
        "sub_order_id" in present
        or frame.select(pl.struct("_file", "order_id").is_duplicated().any()).item()
    ):
        frame = fold_items(frame, statuses)
    before = frame.height
    if frame.get_column("order_id").n_unique() == before:
        return frame
    ordered = frame.sort("_file", "_row")
    winners = ordered.unique(subset=["order_id"], keep="last", maintain_order=True)
    if "buyer" in frame.columns and winners.get_column("buyer").null_count():
        named = (
            ordered.filter(pl.col("buyer").is_not_null())
            .group_by("order_id")
            .agg(pl.col("buyer").last().alias("_named"))
        )
        winners = (
            winners.join(named, on="order_id", how="left", maintain_order="left")
            .with_columns(
                pl.coalesce("buyer", pl.col("_named").cast(frame.schema["buyer"])).alias("buyer")
            )
            .drop("_named")
        )
    frame = winners
    replaced = before - frame.height
    if replaced:
        warnings.append(
            {
                "kind": "orders",
                "problem": "order in several rows",
                "rows_dropped": replaced,
                "message": tr(
                    "orders: {replaced} order(s) appear in several files; the last file's row is used",
                    replaced=replaced,
                ),
            }
        )
    return frame
