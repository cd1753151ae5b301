"""``tmall score …``: the platform's scores (DSR 店铺动态评分, 基础服务考核分, 客服评价)."""

from __future__ import annotations

import typer

from tmallcli.commands.score_cs import cs
from tmallcli.commands.score_dsr import dsr
from tmallcli.commands.score_service import service

app = typer.Typer(
    help="Platform scores: DSR (店铺动态评分), 客服评价 and 基础服务考核分.", no_args_is_help=True
)
app.command("dsr")(dsr)
app.command("service")(service)
app.command("cs")(cs)
