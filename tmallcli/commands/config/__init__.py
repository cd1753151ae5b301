"""``tmall config …``: the config in force and where each value comes from."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="The config in force: the merged YAML with each value's origin.", no_args_is_help=True
)

# Each module registers its command on ``app``.
from tmallcli.commands.config import show  # noqa: E402, F401
