"""``tmall audit …``: the evidence behind the scores — which orders, hours and staff to act on."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Audits: 24h pickup (揽收), 旺旺 response, refunds — the evidence behind each score.",
    no_args_is_help=True,
)

# Each module registers its command on ``app`` (in the order of the help).
from tmallcli.commands.audit import pickup, response, refunds  # noqa: E402, F401, I001
