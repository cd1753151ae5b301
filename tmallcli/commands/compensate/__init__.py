"""``tmall compensate …``: what is owed to buyers (延迟发货赔付), paid exactly once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Compensation owed to buyers, with an SQLite payout ledger.", no_args_is_help=True
)

LEDGER = "Ledger"

LedgerFile = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        metavar="FILE",
        help="SQLite payout ledger: record what is owed once, print the open list until it "
        "is marked paid (created on first use).",
        rich_help_panel=LEDGER,
    ),
]

# Each module registers its command on ``app`` (in the order of the help).
from tmallcli.commands.compensate import late_orders, ledger, marks  # noqa: E402, F401
