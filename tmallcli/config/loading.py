"""Reading the YAML files, merging them and validating the result.

``config/default.yaml`` is always read first; the user's file and ``overrides`` are merged over
it, ``inherit`` is applied to the categories, and only then is the whole validated: a user file
names just what it changes.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from tmallcli.config.errors import config_error
from tmallcli.config.fields import show
from tmallcli.config.models import Config
from tmallcli.config.origins import (
    OVERRIDE,
    USER,
    default_origins,
    illustrative_paths,
    merge_origins,
    resolved_origins,
)
from tmallcli.errors import ConfigError
from tmallcli.i18n import tr

USER_CONFIG_NAME = "tmall.yaml"


def default_config_path() -> Path:
    """``tmallcli/data/default.yaml`` (installed), else ``<repo>/config/default.yaml``."""
    package_dir = Path(__file__).resolve().parent.parent
    for candidate in (
        package_dir / "data" / "default.yaml",
        package_dir.parent / "config" / "default.yaml",
    ):
        if candidate.is_file():
            return candidate
    raise ConfigError(
        "default.yaml",
        tr("the shipped default config is missing"),
        hint=tr("reinstall tmallcli; it looks for tmallcli/data/default.yaml"),
    )


_INT_NO_SEXAGESIMAL = re.compile(
    r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0[0-7_]+
    |[-+]?(?:0|[1-9][0-9_]*)
    |[-+]?0x[0-9a-fA-F_]+)$""",
    re.X,
)
_FLOAT_NO_SEXAGESIMAL = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)


# libyaml's parser where PyYAML has it (its wheels do): the bundled config parses in 3 ms
# instead of 25 ms, a tenth of a small run's start. Resolving and constructing stay in Python,
# so the rules below apply to both.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[misc]
    """SafeLoader without YAML 1.1 base-60 numbers (``23:00`` stays the text "23:00"),
    with every mapping key as text and duplicate keys refused."""

    # PyYAML's own per-class table, filled below.
    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}  # noqa: RUF012


for _first, _resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items():
    _Loader.yaml_implicit_resolvers[_first] = [
        (tag, regexp)
        for tag, regexp in _resolvers
        if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    ]
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", _INT_NO_SEXAGESIMAL, list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float", _FLOAT_NO_SEXAGESIMAL, list("-+0123456789.")
)


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int) -> None:
        super().__init__(key)
        self.key = key
        self.line = line


def _construct_mapping(
    loader: _Loader, node: yaml.MappingNode, deep: bool = False
) -> dict[str, Any]:
    loader.flatten_mapping(node)
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
        text = show(key) if isinstance(key, bool | type(None)) else str(key)
        if text in mapping:
            raise _DuplicateKey(text, key_node.start_mark.line + 1)
        mapping[text] = loader.construct_object(value_node, deep=deep)  # type: ignore[no-untyped-call]
    return mapping


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def read_yaml(path: Path) -> dict[str, Any]:
    """One YAML file as a dict (an empty file is an empty dict)."""
    return _parse_yaml(path, _yaml_text(path))[0]


def _yaml_text(path: Path) -> str:
    if not path.exists():
        raise ConfigError(str(path), tr("file not found"), hint=tr("check the --config path"))
    if path.is_dir():
        raise ConfigError(str(path), tr("is a folder, not a YAML file"))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Notepad on Chinese Windows saves GBK; accept it rather than fail on 女装.
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise ConfigError(str(path), tr("not UTF-8 or GB18030 text")) from None
    return text


def _parse_yaml(path: Path, text: str) -> tuple[dict[str, Any], yaml.Node | None]:
    """The YAML as a dict, and its node tree (which knows each key's line: the shipped file's
    ``# illustrative`` marks are read from it, without parsing the file twice)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    except _DuplicateKey as exc:
        raise ConfigError(f"{path}:{exc.line}", tr("duplicate key {key!r}", key=exc.key)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise ConfigError(where, tr("YAML syntax error: {problem}", problem=problem)) from None
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), tr("YAML syntax error: {exc}", exc=exc)) from None
    finally:
        loader.dispose()
    if data is None:
        return {}, node
    if not isinstance(data, dict):
        raise ConfigError(
            str(path),
            tr(
                "must be a mapping of sections such as dsr:, pickup: (got {type})",
                type=type(data).__name__,
            ),
        )
    return data, node


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` over ``base``: dicts merge recursively, lists and scalars replace.

    An empty (null) value over a dict keeps the dict: an empty ``dsr:`` section in a
    user file, with everything under it commented out, changes nothing.
    """
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merged[key] = deep_merge(current, value)
        elif isinstance(current, dict) and value is None:
            continue
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def resolve_categories(data: dict[str, Any]) -> None:
    """Apply ``inherit`` to every block of ``service_score.categories`` (in place).

    A child is deep-merged over its fully resolved parent; a cycle or an unknown parent
    is an error. Anything not shaped as expected is left for the models to report.
    """
    section = data.get("service_score")
    if not isinstance(section, dict) or not isinstance(section.get("categories"), dict):
        return
    raw: dict[str, Any] = section["categories"]
    resolved: dict[str, dict[str, Any]] = {}

    def resolve(name: str, chain: list[str]) -> dict[str, Any]:
        if name in resolved:
            return resolved[name]
        block = raw[name]
        if block is None:
            block = {}
        if not isinstance(block, dict):
            raise ConfigError(
                f"service_score.categories.{name}",
                tr("must be a mapping (got {block})", block=show(block)),
            )
        parent = block.get("inherit")
        if parent is None:
            result = copy.deepcopy(block)
        else:
            path = f"service_score.categories.{name}.inherit"
            if not isinstance(parent, str):
                raise ConfigError(
                    path, tr("must be a category name (got {parent})", parent=show(parent))
                )
            if parent in chain or parent == name:
                loop = (
                    " → ".join([*chain[chain.index(parent) :], parent])
                    if parent in chain
                    else f"{name} → {name}"
                )
                raise ConfigError(path, tr("inheritance cycle {loop}", loop=loop))
            if parent not in raw:
                raise ConfigError(
                    path,
                    tr(
                        "unknown category {parent!r} (known: {value})",
                        parent=parent,
                        value=", ".join(raw),
                    ),
                )
            result = deep_merge(resolve(parent, [*chain, parent]), block)
            result["inherit"] = parent
        resolved[name] = result
        return result

    for name in raw:
        resolve(name, [name])
    section["categories"] = {name: resolved[name] for name in raw}


def validate_config(data: Mapping[str, Any]) -> Config:
    """Validate an already merged config dict (categories not yet resolved)."""
    return _validated(data)[0]


def _validated(data: Mapping[str, Any]) -> tuple[Config, dict[str, Any]]:
    """The config validated, and the dict it was validated from (``inherit`` applied)."""
    merged = copy.deepcopy(dict(data))
    resolve_categories(merged)
    try:
        return Config.model_validate(merged), merged
    except ValidationError as exc:
        raise config_error(exc) from None


def load_config(
    user_file: Path | None = None,
    *,
    cwd: Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> Config:
    """The default config, with the user file and ``overrides`` deep-merged over it.

    ``user_file`` is ``--config``; when None, ``tmall.yaml`` in ``cwd`` (default: the
    working directory) is used if present. Raises :class:`ConfigError` on any problem.
    """
    default_path = default_config_path()
    sources = [default_path]
    text = _yaml_text(default_path)
    data, node = _parse_yaml(default_path, text)
    # Each value's origin (SPEC §14): the shipped lines marked `# illustrative` are placeholders.
    origins = default_origins(data, illustrative_paths(text, node))
    if user_file is None:
        candidate = (cwd if cwd is not None else Path.cwd()) / USER_CONFIG_NAME
        if candidate.is_file():
            user_file = candidate
    if user_file is not None:
        user_file = Path(user_file)
        user = read_yaml(user_file)
        origins = merge_origins(data, origins, user, USER)
        data = deep_merge(data, user)
        sources.append(user_file)
    if overrides:
        origins = merge_origins(data, origins, overrides, OVERRIDE)
        data = deep_merge(data, overrides)
    config, resolved = _validated(data)
    config._sources = sources
    categories = resolved.get("service_score", {}).get("categories", {})
    config._origins = resolved_origins(data, categories, origins)
    config._merged = resolved
    return config
