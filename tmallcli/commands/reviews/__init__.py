"""``tmall reviews …``: the reviews buyers left (中差评 handling)."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Reviews: 好评率 and the follow-up of medium and bad reviews (中差评).",
    no_args_is_help=True,
)

# Each module registers its command on ``app``.
from tmallcli.commands.reviews import triage  # noqa: E402, F401
