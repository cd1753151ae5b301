"""Where each value of the merged config came from (SPEC §14 "Placeholder numbers").

A value is a *default* (a platform rule quoted in SPEC.md: unmarked in ``default.yaml``), an
*illustrative* default (a line of ``default.yaml`` marked ``# illustrative``: the platform does
not publish the number, or publishes it per category and changes it), the *user*'s (the
``--config`` file or ``./tmall.yaml``) or an *override* (a library caller's ``overrides``).

Origins are kept per leaf, a key path of the merged config whose value is not a mapping (a
list is one leaf: lists replace, they do not merge). They follow the merge exactly as
:func:`~tmallcli.config.loading.deep_merge` and ``inherit`` do: a category inherits its
parent's values with their origins, so a user's scale on ``默认`` is the user's in ``女装`` too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from tmallcli.config.models import Config

DEFAULT = "default"
ILLUSTRATIVE = "illustrative"
USER = "user"
OVERRIDE = "override"
ORIGINS = (DEFAULT, ILLUSTRATIVE, USER, OVERRIDE)

# A verdict's threshold as JSON ``threshold_source`` names it: a rule the platform states, a
# placeholder nobody replaced, or the seller's own number.
PLATFORM = "platform"
CONFIG = "config"
THRESHOLD_SOURCES = {DEFAULT: PLATFORM, ILLUSTRATIVE: ILLUSTRATIVE, USER: CONFIG, OVERRIDE: CONFIG}

KeyPath = tuple[str, ...]
Origins = dict[KeyPath, str]

# A trailing comment whose text starts with "illustrative" (``# illustrative: …`` too).
_ILLUSTRATIVE_COMMENT = re.compile(r"(?:^|\s)#\s*illustrative\b", re.IGNORECASE)


def leaves(data: Any, prefix: KeyPath = ()) -> Iterator[tuple[KeyPath, Any]]:
    """(key path, value) of every leaf under ``data``: a value that is not a non-empty mapping."""
    if isinstance(data, dict) and data:
        for key, value in data.items():
            yield from leaves(value, (*prefix, str(key)))
    else:
        yield prefix, data


def _key_text(node: yaml.Node) -> str:
    return str(node.value)


def illustrative_paths(text: str, root: yaml.Node | None) -> set[KeyPath]:
    """Key paths of ``text`` (the shipped YAML; ``root``: its node tree) whose key line carries
    ``# illustrative``.

    A mark on a mapping's key (``weights:   # illustrative``) covers everything under it; a
    mark after a value (``threshold: 4.0   # illustrative``) covers that value. Only the
    comment's own line counts: a section's prose comment above it marks nothing.
    """
    lines = text.splitlines()
    marked: set[KeyPath] = set()

    def marks(line: int) -> bool:
        return 0 <= line < len(lines) and bool(_ILLUSTRATIVE_COMMENT.search(lines[line]))

    def walk(node: yaml.Node, path: KeyPath) -> None:
        if not isinstance(node, yaml.MappingNode):
            return
        for key_node, value_node in node.value:
            child = (*path, _key_text(key_node))
            # The key's line, or the last line of a flow value spread over several lines.
            last = value_node.end_mark.line
            if isinstance(value_node, yaml.MappingNode | yaml.SequenceNode) and not getattr(
                value_node, "flow_style", False
            ):
                last = key_node.start_mark.line
            if marks(key_node.start_mark.line) or marks(last):
                marked.add(child)
            walk(value_node, child)

    if root is not None:
        walk(root, ())
    return marked


def default_origins(data: Mapping[str, Any], marked: set[KeyPath]) -> Origins:
    """Each leaf of the shipped config: illustrative when it or a key above it is marked."""
    origins: Origins = {}
    for path, _ in leaves(dict(data)):
        hit = any(path[:n] in marked for n in range(1, len(path) + 1))
        origins[path] = ILLUSTRATIVE if hit else DEFAULT
    return origins


def merge_origins(
    base: Mapping[str, Any], origins: Origins, override: Mapping[str, Any], origin: str
) -> Origins:
    """The origins after ``override`` (all of it from ``origin``) is deep-merged over ``base``
    — the same rules as :func:`~tmallcli.config.loading.deep_merge`: mappings merge, an empty
    value over a mapping changes nothing, anything else replaces (with all that was under it)."""
    merged = dict(origins)

    def walk(current: Mapping[str, Any], over: Mapping[str, Any], prefix: KeyPath) -> None:
        for key, value in over.items():
            path = (*prefix, str(key))
            below = current.get(key)
            if isinstance(below, dict) and isinstance(value, dict):
                if value:
                    walk(below, value, path)
                continue
            if isinstance(below, dict) and value is None:
                continue
            for old in [p for p in merged if p[: len(path)] == path]:
                del merged[old]
            for leaf, _ in leaves(value, path):
                merged[leaf] = origin

    walk(base, override, ())
    return merged


def _own_leaf(block: Any, rel: KeyPath) -> bool:
    """``block`` itself holds a leaf at ``rel`` (not an empty value over an inherited mapping)."""
    node = block
    for key in rel:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return not (isinstance(node, dict) and node)


def resolved_origins(
    merged: Mapping[str, Any], resolved: Mapping[str, Any], origins: Origins
) -> Origins:
    """The origins of the config once ``inherit`` is applied (``resolved``: the categories
    with it applied): a category's leaf it does not set itself has the origin of the ancestor
    it comes from."""
    section = merged.get("service_score")
    categories = section.get("categories") if isinstance(section, dict) else None
    if not isinstance(categories, dict):
        return dict(origins)
    result = {p: o for p, o in origins.items() if p[:2] != ("service_score", "categories")}
    for name, block in resolved.items():
        for rel, _ in leaves(block):
            here = ("service_score", "categories", name)
            found = None
            chain: str | None = name
            seen: set[str] = set()
            while chain is not None and chain not in seen:
                seen.add(chain)
                raw = categories.get(chain)
                if _own_leaf(raw, rel):
                    found = origins.get(("service_score", "categories", chain, *rel))
                    break
                parent = raw.get("inherit") if isinstance(raw, dict) else None
                chain = parent if isinstance(parent, str) else None
            result[(*here, *rel)] = found or DEFAULT
    return result


def combined(values: list[str]) -> str:
    """The origin of a group of values (a category's weights, a metric's weight in its
    dimension's): illustrative when any is, else the user's when any is, else the default."""
    for origin in (ILLUSTRATIVE, OVERRIDE, USER):
        if origin in values:
            return origin
    return DEFAULT


def origin_of(origins: Origins, path: KeyPath) -> str:
    """The origin of the value at ``path``: a leaf's own, a mapping's from its leaves."""
    if path in origins:
        return origins[path]
    below = [o for p, o in origins.items() if p[: len(path)] == path]
    return combined(below) if below else DEFAULT


@dataclass(frozen=True)
class ServiceSources:
    """Where the 基础服务考核分's numbers come from, as ``threshold_source`` names them:
    the category's threshold, and each metric's weight (its dimension's weight × its own)
    and scale."""

    threshold: str
    weights: dict[str, str]
    scales: dict[str, str]

    @property
    def illustrative(self) -> bool:
        return ILLUSTRATIVE in (self.threshold, *self.weights.values(), *self.scales.values())


def service_sources(config: Config, category: str) -> ServiceSources:
    """The sources of ``category``'s threshold, weights and scales in ``config``."""
    base = ("service_score", "categories", category)
    block = config.category(category)
    weights, scales = {}, {}
    for key, metric in block.active_metrics.items():
        weight = combined(
            [
                config.origin(*base, "weights", metric.dimension),
                config.origin(*base, "metrics", key, "weight"),
            ]
        )
        weights[key] = THRESHOLD_SOURCES[weight]
        scales[key] = config.threshold_source(*base, "metrics", key, "scale")
    return ServiceSources(config.threshold_source(*base, "threshold"), weights, scales)
