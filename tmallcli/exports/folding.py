"""What a load does to the typed rows of all its files: columns derived from others (SPEC §2),
exact duplicate rows dropped, and an orders export's rows folded into one row per order."""

from __future__ import annotations

from typing import Any

import polars as pl

from tmallcli.exports.kinds import KindSpec
from tmallcli.frames import repeats


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
                "message": f"refunds: {replaced} row(s) of refunds also in a newer export "
                "replaced by the newer export's rows",
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
) -> pl.DataFrame:
    """Exact duplicate rows dropped (on the columns read) and orders folded to one row each."""
    if kind.name == "orders" and "sub_order_id" not in present and distinct(frame, "order_id"):
        # Each order in one row: no row repeats another and there is nothing to fold (one
        # hash of one column instead of a hash of every row and the order numbers' set).
        return frame
    frame = drop_duplicates(kind, frame, wanted, warnings)
    if kind.name == "orders":
        frame = fold_orders(frame, present, warnings)
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
            "message": f"{kind.name}: dropped {dropped} exact duplicate row(s)",
        }
    )
    return frame


def fold_orders(
    frame: pl.DataFrame, present: set[str], warnings: list[dict[str, Any]]
) -> pl.DataFrame:
    """One row per order.

    A sub-order export (子订单编号) has one row per item: rows of one 主订单编号 are one order,
    amounts summed. When several exports hold the same order (yesterday's and today's), the
    file given last wins: it is the newer state of the order.
    """
    money = [c for c in ("paid_amount", "shipping_fee", "auto_compensation") if c in frame.columns]
    if "sub_order_id" in present:
        keys = ["_file", "order_id"]
        earliest = [c for c in ("paid_at", "created_at") if c in frame.columns]
        latest = [c for c in ("shipped_at", "picked_up_at", "delivered_at") if c in frame.columns]
        aggs: list[pl.Expr] = [pl.col("_row").min()]
        aggs += [pl.col(c).sum() for c in money if c != "shipping_fee"]
        if "shipping_fee" in money:
            aggs.append(pl.col("shipping_fee").sum())
        aggs += [pl.col(c).min() for c in earliest]
        aggs += [pl.col(c).max() for c in latest]
        if "tracking_no" in frame.columns:
            aggs.append(
                pl.col("tracking_no")
                .str.split(",")
                .list.explode(keep_nulls=False, empty_as_null=False)
                .unique(maintain_order=True)
                .str.join(",")
                .alias("tracking_no")
            )
        done = set(keys) | {"_row", "tracking_no"} | set(money) | set(earliest) | set(latest)
        aggs += [pl.col(c).drop_nulls().first() for c in frame.columns if c not in done]
        frame = frame.group_by(keys, maintain_order=True).agg(aggs)
        frame = (
            frame.with_columns(pl.col("tracking_no").replace("", None))
            if "tracking_no" in frame.columns
            else frame
        )
    before = frame.height
    if frame.get_column("order_id").n_unique() == before:
        return frame
    frame = frame.sort("_file", "_row").unique(
        subset=["order_id"], keep="last", maintain_order=True
    )
    replaced = before - frame.height
    if replaced:
        warnings.append(
            {
                "kind": "orders",
                "problem": "order in several rows",
                "rows_dropped": replaced,
                "message": f"orders: {replaced} order(s) appear more than once; the last file's row is used",
            }
        )
    return frame
