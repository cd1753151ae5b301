"""Step 2: what is still to pay, per group, after the ledger and the platform (SPEC §5: the
cap per group, never paid twice)."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

import polars as pl

from tmallcli.metrics.compensation.results import (
    LINE_FIELDS,
    PayoutLine,
    Payouts,
    Proposal,
    Settlement,
    Unattributed,
)
from tmallcli.metrics.compensation.rules import ALREADY_SCHEMA, KINDS
from tmallcli.money import capped_fen


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
    total = pl.col("amount_fen").sum().over(group)
    eligible = ~pl.col("recorded")
    outstanding = pl.when(eligible).then(
        (pl.col("amount_fen") - pl.col("ledger_fen") - pl.col("platform_fen")).clip(lower_bound=0)
    )
    # Each group's lines in payment order, one run of rows per group: the running sums
    # below are then sums down the frame (a window ordered per group, ``over(order_by=)``,
    # takes 0.5 s for 10 M orders' 300 k lines where these take a few ms).
    frame = frame.with_columns(
        pl.col("paid_at").fill_null(datetime.min).alias("_at"),
        (pl.col("ledger_fen") + pl.col("platform_fen")).alias("already_fen"),
        outstanding.fill_null(0).alias("_owed"),
    ).sort(*group, "_at", "order_id", maintain_order=True)
    first = pl.col("kind").ne_missing(pl.col("kind").shift()) | pl.col("group_id").ne_missing(
        pl.col("group_id").shift()
    )
    frame = frame.with_columns(first.fill_null(True).alias("_first")).with_columns(
        total.alias("order_total_fen"),
        capped_fen(total, pl.col("cap_fen")).alias("group_fen"),
        pl.col("ledger_fen").sum().over(group).alias("group_ledger_fen"),
        pl.col("platform_fen").sum().over(group).alias("group_platform_fen"),
        (_running(pl.col("_owed")) - pl.col("_owed")).alias("_before"),
        (
            eligible
            & (_running(eligible.cast(pl.Int64)) == eligible.cast(pl.Int64).sum().over(group))
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
        .drop("_at", "_owed", "_before", "_last", "_first")
        .sort("kind", "group_id", "paid_at", "order_id", nulls_last=True)
    )


def _running(values: pl.Expr) -> pl.Expr:
    """The sum of ``values`` down each group's rows so far (the groups are runs of rows, each
    starting where ``_first``): the sum down the frame less its value before the group."""
    down = values.cum_sum()
    return down - pl.when(pl.col("_first")).then(down - values).forward_fill()


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
    # nulls_equal: every line the counts above saw, so the runs line up. ``settled`` is in
    # the order the runs need (settle sorts it so), kept by the join.
    rows = settled.join(due, on=group, how="semi", nulls_equal=True, maintain_order="left")
    return Settlement(_payouts(rows, due), unattributed)


def _payouts(rows: pl.DataFrame, due: pl.DataFrame) -> Payouts:
    """The payouts of ``due``, each with its run of ``rows`` (made as they are read)."""
    refund_ids = pl.col("refund_ids").fill_null(pl.lit([], pl.List(pl.String)))
    lines = rows.select(
        refund_ids if c == "refund_ids" else pl.col(c).alias(name)
        for name, c in zip(LINE_FIELDS, _LINE_COLUMNS, strict=True)
    )
    return Payouts(
        lines,
        due.rename(
            {
                "attributed_fen": "amount_fen",
                "group_ledger_fen": "ledger_fen",
                "group_platform_fen": "platform_fen",
            }
        ),
    )


# The settled frame's column for each PayoutLine field, in the fields' order.
_LINE_COLUMNS = tuple({"order_fen": "amount_fen"}.get(f.name, f.name) for f in fields(PayoutLine))
