"""``tmall config show`` → YAML with each value's origin as a comment, or JSON."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tmallcli.render.document import Cell, Column, Document, Section

if TYPE_CHECKING:
    from tmallcli.render.labels import Labels
    from tmallcli.runs.config import ConfigShow

LABELS: dict[str, tuple[str, str]] = {
    "title": ("当前配置及来源", "The config in force, with each value's origin"),
    "key": ("配置项", "Key"),
    "value": ("取值", "Value"),
    "origin": ("来源", "Origin"),
}

# A key written as it is in YAML; anything else is quoted (JSON strings are YAML strings).
_PLAIN_KEY = re.compile(
    r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`\d][^:#,\[\]{}]*(?<!\s)$|^\d+[^\d:#,\s.\[\]{}]+$"
)


def _key(key: str) -> str:
    return key if _PLAIN_KEY.match(key) and key.lower() not in _YAML_WORDS else _flow(key)


_YAML_WORDS = {"null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"}


def _flow(value: Any) -> str:
    """A value as one line of YAML flow syntax (JSON is valid YAML flow)."""
    return json.dumps(value, ensure_ascii=False)


@dataclass
class ConfigReport:
    show: ConfigShow

    def origin_text(self, origin: str) -> str:
        if origin == "user" and self.show.user_file is not None:
            return f"user: {self.show.user_file}"
        return origin

    def to_json(self) -> dict[str, Any]:
        s = self.show
        return {
            "files": s.files,
            "user_file": s.user_file,
            "category": s.category,
            "values": [
                {
                    "path": list(v.path),
                    "key": ".".join(v.path),
                    "value": v.value,
                    "origin": v.origin,
                }
                for v in s.values
            ],
        }

    def yaml(self) -> str:
        """The merged config as YAML, each value's origin in a comment after it."""
        s = self.show
        out = [
            "# tmall config show: the merged config, each value's origin after it:",
            "#   default = shipped, a platform rule (SPEC.md); illustrative = shipped placeholder,",
            "#   set your category's published value in tmall.yaml; user = your file.",
            *(f"# file: {path}" for path in s.files),
        ]
        if s.category is not None:
            out.append(f"# category: {s.category}")
        opened: tuple[str, ...] = ()
        for value in s.values:
            # Open the mappings this leaf sits in that the previous leaf did not.
            common = 0
            while (
                common < min(len(opened), len(value.path) - 1)
                and opened[common] == value.path[common]
            ):
                common += 1
            for depth in range(common, len(value.path) - 1):
                out.append(f"{'  ' * depth}{_key(value.path[depth])}:")
            opened = value.path[:-1]
            depth = len(value.path) - 1
            out.append(
                f"{'  ' * depth}{_key(value.path[-1])}: {_flow(value.value)}"
                f"  # {self.origin_text(value.origin)}"
            )
        return "\n".join(out) + "\n"

    def document(self, labels: Labels) -> Document:
        t = labels.of(LABELS)
        doc = Document(t("title"))
        for path in self.show.files:
            doc.line(path, "dim")
        rows = [
            [
                Cell(".".join(v.path), raw=".".join(v.path)),
                Cell(_flow(v.value), raw=_flow(v.value)),
                Cell(self.origin_text(v.origin), raw=v.origin),
            ]
            for v in self.show.values
        ]
        doc.sections.append(
            Section(
                "config",
                t("title"),
                [
                    Column("key", t("key")),
                    Column("value", t("value")),
                    Column("origin", t("origin")),
                ],
                rows,
            )
        )
        return doc
