"""``tmall config show``: the merged config with, for each value, where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.config import app
from tmallcli.commands.run import Outcome, run


class ShowFormat(str, Enum):
    yaml = "yaml"
    json = "json"


# The formats a file's extension names (as -o does for every command).
EXTENSIONS = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}

Format = Annotated[
    ShowFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="yaml (each value's origin in a comment after it) or json (default: from the "
        "--output file's extension, else yaml).",
        rich_help_panel=o.OUTPUT,
        case_sensitive=False,
        show_default=False,
    ),
]


@dataclass
class ShowOutput(o.OutputOptions):
    shown: ShowFormat | None = None

    def resolved_format(self) -> str:
        """``--format``, else the ``--output`` file's extension, else yaml; a contradiction
        (``-f json -o config.yaml``) is a usage error."""
        from tmallcli.errors import UsageError

        named = None if self.output is None else EXTENSIONS.get(self.output.suffix.lower())
        if self.shown is None:
            return named or ShowFormat.yaml.value
        if named is not None and named != self.shown.value:
            raise UsageError(
                f"--format {self.shown.value} contradicts the output file {self.output} "
                f"(its extension means {named}): drop --format or change the file name"
            )
        return self.shown.value


@app.command("show")
def show(
    config: o.ConfigFile = None,
    category: o.Category = None,
    fmt: Format = None,
    output: o.OutputFile = None,
    debug: o.Debug = False,
) -> None:
    """The merged config (default.yaml + your tmall.yaml or --config FILE), each value with its origin.

    An origin is `default` (shipped: a platform rule the spec states), `illustrative`
    (shipped placeholder: the platform does not publish it, or publishes it per category —
    set your category's value in tmall.yaml) or `user` (your file). --category shows only
    that category's block of service_score, with what it inherits.

    Example: tmall config show --category 女装 --format json
    """
    out = ShowOutput(output=output, shown=fmt)

    def program() -> Outcome:
        from tmallcli.render.config import ConfigReport
        from tmallcli.runs.config import run_config_show

        done = run_config_show(config, category)
        return Outcome.of(ConfigReport(done.result), done)

    run(program, out, debug=debug)
