"""``tmall audit …``: the evidence behind the scores — which orders, hours and staff to act on."""

from __future__ import annotations

import typer

from tmallcli.commands.audit_pickup import pickup
from tmallcli.commands.audit_refunds import refunds
from tmallcli.commands.audit_response import response

app = typer.Typer(
    help="Audits: 24h pickup (揽收), 旺旺 response, refunds — the evidence behind each score.",
    no_args_is_help=True,
)
app.command("pickup")(pickup)
app.command("response")(response)
app.command("refunds")(refunds)
