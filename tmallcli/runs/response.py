"""``tmall audit response``: 旺旺 consultation experience (SPEC §7)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tmallcli.runs.context import Exports, Run, RunContext, finish, run_once

if TYPE_CHECKING:
    from tmallcli.exports.inputs import Inputs
    from tmallcli.exports.reader import LoadedExport
    from tmallcli.metrics.response import ResponseResult


def response_of(
    chats: LoadedExport, ctx: RunContext, *, limit: int | None = None
) -> ResponseResult:
    from tmallcli.metrics.response import ResponseRules, compute_response

    rules = ResponseRules.from_config(ctx.config, limit=limit)
    return compute_response(chats.lazy(), rules, ctx.as_of)


def run_response(
    exports: Exports, ctx: RunContext, *, limit: int | None = None
) -> Run[ResponseResult]:
    from tmallcli.metrics.response import COLUMNS

    def compute(files: Inputs) -> Run[ResponseResult]:
        result = response_of(files.load("chats", COLUMNS), ctx, limit=limit)
        return finish(result, files, ctx=ctx)

    return run_once("response", exports, ctx, limit, compute)
