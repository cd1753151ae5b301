"""``tmall audit refunds``: 售后 — refund times, disputes, the waiting list (SPEC §8)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tmallcli.runs.context import Exports, Run, RunContext, finish, run_once

if TYPE_CHECKING:
    import polars as pl

    from tmallcli.exports.inputs import Inputs
    from tmallcli.exports.reader import LoadedExport
    from tmallcli.metrics.refunds import RefundsResult


def refunds_of(
    refunds: LoadedExport,
    paid: pl.LazyFrame | None,
    ctx: RunContext,
    *,
    slowest_limit: int | None = None,
) -> RefundsResult:
    """``paid``: (order_id, paid_at) of the orders export, for the dispute rate."""
    from tmallcli.metrics.refunds import RefundRules, compute_refunds

    rules = RefundRules.from_config(ctx.config, slowest_limit=slowest_limit)
    return compute_refunds(refunds.lazy(), paid, rules, ctx.as_of)


def run_refunds(
    exports: Exports, ctx: RunContext, *, slowest_limit: int | None = None
) -> Run[RefundsResult]:
    from tmallcli.metrics.refunds import COLUMNS, ORDER_COLUMNS

    def compute(files: Inputs) -> Run[RefundsResult]:
        # The orders first: a GB18030 orders export is then read as it is (two ASCII
        # columns, no transcoding) while the refunds are transcoded in the background.
        paid = files.maybe("orders", ORDER_COLUMNS)
        loaded = files.load("refunds", COLUMNS)
        result = refunds_of(
            loaded, None if paid is None else paid.lazy(), ctx, slowest_limit=slowest_limit
        )
        return finish(result, files, [n.message for n in result.warnings], ctx=ctx)

    return run_once("refunds", exports, ctx, slowest_limit, compute)
