"""Glue shared by the commands: config, as-of and inputs from the parsed options."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tmallcli.commands.options import InputOptions, RuleOptions

if TYPE_CHECKING:
    from tmallcli.config import CategoryConfig, Config
    from tmallcli.exports.inputs import Inputs
    from tmallcli.timeframe import AsOf


@dataclass
class RunContext:
    config: Config
    category_name: str
    category: CategoryConfig
    as_of: AsOf


def plain(value: Any) -> Any:
    """A config sub-model as plain dicts and lists."""
    return value.model_dump() if hasattr(value, "model_dump") else value


def context(rules: RuleOptions, *, cwd: Path | None = None) -> RunContext:
    from tmallcli.config import load_config
    from tmallcli.timeframe import resolve_as_of

    as_of = resolve_as_of(rules.as_of)
    config = load_config(rules.config, cwd=cwd)
    name = rules.category or config.service_score.default_category
    return RunContext(config, name, config.category(name), as_of)


def open_inputs(options: InputOptions) -> Inputs:
    from tmallcli.exports.inputs import Inputs
    from tmallcli.exports.reader import ReadOptions
    from tmallcli.render.progress import progress

    return Inputs(
        options.files,
        directory=options.directory,
        options=ReadOptions(
            encoding=options.encoding,
            sheet=options.sheet,
            skip_bad_rows=options.skip_bad_rows,
            progress=progress,
        ),
    )
