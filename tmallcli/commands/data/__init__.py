"""``tmall data …``: inspect seller-center exports."""

from __future__ import annotations

import typer

app = typer.Typer(help="Inspect exports: kind, column mapping, problems.", no_args_is_help=True)

# Each module registers its command on ``app``.
from tmallcli.commands.data import check  # noqa: E402, F401
