"""``tmall score …``: the platform's scores (DSR 店铺动态评分, 基础服务考核分, 客服评价)."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Platform scores: DSR (店铺动态评分), 客服评价 and 基础服务考核分.", no_args_is_help=True
)

# Each module registers its command on ``app`` (in the order of the help).
from tmallcli.commands.score import dsr, service, cs  # noqa: E402, F401, I001
