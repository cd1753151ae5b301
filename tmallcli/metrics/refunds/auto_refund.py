"""The 千牛 个性化退款策略 in config, replayed over the refunds export (SPEC §8): which refunds
each strategy would have decided, and the after-sales times as if it had."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from tmallcli.i18n import tr
from tmallcli.metrics.refunds.rules import (
    AUTO_AGREE,
    AUTO_REFUND,
    RETURN_REFUND,
    RULE_CONDITION_UNKNOWN,
    Notice,
    RefundRules,
)


@dataclass
class Simulation:
    """One auto-refund rule (or all of them combined) replayed over the export."""

    name: str | None  # None: all rules combined
    action: str | None
    count: int  # matching refunds applied on T−30 … T−1
    amount_fen: int
    intervened: int  # of those, platform-intervened: left as they were
    before: dict[str, float | None]
    after: dict[str, float | None]
    counted_after: dict[str, int]  # refunds in each metric after the simulation

    @property
    def change(self) -> dict[str, float | None]:
        """after − before per metric (negative: the strategy makes the shop faster)."""
        change: dict[str, float | None] = {}
        for key, before in self.before.items():
            after = self.after[key]
            change[key] = None if before is None or after is None else after - before
        return change


@dataclass
class AutoRefundResult:
    auto_minutes: int
    rules: list[Simulation]
    combined: Simulation


def simulate(frame: pl.LazyFrame, action: pl.Expr, auto_minutes: int) -> pl.LazyFrame:
    """The export as if a strategy had decided the refunds where ``action`` is set.

    The simplest model that keeps everyone else's time as it was:
    * 仅退款 (whatever the action: agreeing to a refund-only request is refunding) and
      ``auto_refund`` of a 退货退款 (refund without return): the refund completes
      ``auto_minutes`` after application — or when it really did, if that was sooner;
      a return that is not needed takes the buyer no time.
    * ``auto_agree`` of a 退货退款: the agreement lands ``auto_minutes`` after application;
      the buyer takes as long to send the goods back as they did, and the seller as long
      to confirm receipt and refund, so the return upload and the completion move earlier
      by the agreement time saved. A refund still waiting for the buyer stays incomplete.
    Platform-intervened refunds are left as they were, and so is a return uploaded without
    a recorded agreement (its buyer time is unknown before and after).
    """
    auto = timedelta(minutes=auto_minutes)
    applied, completed = pl.col("applied_at"), pl.col("completed_at")
    agreed, returned = pl.col("merchant_agreed_at"), pl.col("buyer_returned_at")
    auto_at = applied + auto
    is_return = pl.col("refund_type").fill_null("") == RETURN_REFUND
    handled = (action.is_not_null() & ~pl.col("intervened")).fill_null(False)
    quick = handled & ((~is_return) | (action == AUTO_REFUND)).fill_null(False)
    agree = (
        handled
        & is_return
        & (action == AUTO_AGREE).fill_null(False)
        & ~(agreed.is_null() & returned.is_not_null())
    )
    no_return = quick & is_return
    saved = pl.when(agreed > auto_at).then(agreed - auto_at).otherwise(pl.duration(microseconds=0))
    return frame.with_columns(
        (pl.col("done") | quick).alias("done"),
        pl.when(quick)
        .then(pl.min_horizontal(completed, auto_at))
        .when(agree)
        .then(completed - saved)
        .otherwise(completed)
        .alias("completed_at"),
        pl.when(no_return | agree)
        .then(pl.min_horizontal(agreed, auto_at))
        .otherwise(agreed)
        .alias("merchant_agreed_at"),
        pl.when(no_return)
        .then(pl.min_horizontal(agreed, auto_at))
        .when(agree)
        .then(returned - saved)
        .otherwise(returned)
        .alias("buyer_returned_at"),
    )


def handled_in_window(
    frame: pl.LazyFrame, matched: pl.Expr, start: date, end: date
) -> pl.LazyFrame:
    """Matching refunds applied on T−30 … T−1: the strategy's work over the metric period."""
    return frame.filter(matched & pl.col("applied_at").dt.date().is_between(start, end)).select(
        pl.len().cast(pl.Int64).alias("count"),
        pl.col("amount").sum().cast(pl.Int64).alias("amount_fen"),
        pl.col("intervened").sum().cast(pl.Int64).alias("intervened"),
    )


def rule_notices(base: pl.DataFrame, rules: RefundRules) -> list[Notice]:
    """Rules whose condition reads a column the export does not fill: they match nothing."""
    known = base.select(
        pl.col("shipped").is_not_null().any().alias("shipped"),
        pl.col("stage").is_not_null().any().alias("stage"),
        pl.col("signed_at").is_not_null().any().alias("within_days_of_signed"),
    ).row(0, named=True)
    headers = {
        "shipped": "是否已发货",
        "stage": "售中或售后",
        "within_days_of_signed": "签收时间",
    }
    notices = []
    for rule in rules.auto_rules:
        for condition, header in headers.items():
            if getattr(rule, condition) is not None and base.height and not known[condition]:
                notices.append(
                    Notice(
                        RULE_CONDITION_UNKNOWN,
                        tr(
                            "auto-refund rule {name!r} checks {condition} but the refunds export has no {header} values, so it matches no refund",
                            name=rule.name,
                            condition=condition,
                            header=header,
                        ),
                    )
                )
    return notices
