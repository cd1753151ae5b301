"""``tmall config show``: the merged config with each value's origin (SPEC §14)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tmallcli.runs.context import Run


@dataclass(frozen=True)
class ConfigValue:
    """One leaf of the merged config: its key path, value and where it came from."""

    path: tuple[str, ...]
    value: Any
    origin: str  # default / illustrative / user / override


@dataclass
class ConfigShow:
    files: list[str]  # the files merged, the shipped default first
    user_file: str | None
    category: str | None  # --category: only this category block is shown
    values: list[ConfigValue]


def run_config_show(
    config: Path | None = None, category: str | None = None, *, cwd: Path | None = None
) -> Run[ConfigShow]:
    """The config ``tmall`` would run with (default + ``--config`` or ``./tmall.yaml``), every
    leaf with its origin; ``category`` keeps only that block of ``service_score.categories``
    (with what it inherits)."""
    from tmallcli.config import load_config
    from tmallcli.config.origins import leaves

    loaded = load_config(config, cwd=cwd)
    data = loaded.merged
    if category is not None:
        loaded.category(category)  # an unknown category is an error naming the known ones
        data["service_score"]["categories"] = {
            category: data["service_score"]["categories"][category]
        }
    origins = loaded.origins
    values = [
        ConfigValue(path, value, origins.get(path, "default")) for path, value in leaves(data)
    ]
    files = [str(p) for p in loaded.sources]
    user = files[1] if len(files) > 1 else None
    return Run(ConfigShow(files, user, category, values))
