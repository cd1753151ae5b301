"""Header normalisation, column mapping and kind detection."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from tmallcli.exports.kinds import KINDS, KindSpec


def normalize_header(text: str) -> str:
    """Match headers as a seller reads them: no BOM, no surrounding spaces, ``（）`` = ``()``.

    NFKC folds full-width punctuation and letters to their half-width forms.
    """
    text = text.replace("\ufeff", "").strip()
    text = unicodedata.normalize("NFKC", text)
    return text.strip().lower()


@dataclass(frozen=True)
class ColumnMapping:
    kind: KindSpec
    # canonical name -> the header as it stands in the file
    found: dict[str, str]
    missing_required: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing_required


def map_columns(kind: KindSpec, headers: list[str]) -> ColumnMapping:
    by_norm: dict[str, str] = {}
    for header in headers:
        by_norm.setdefault(normalize_header(header), header)
    found: dict[str, str] = {}
    used: set[str] = set()
    for column in kind.columns:
        # The first alias in SPEC order wins when an export carries several.
        for alias in (*column.aliases, column.name):
            key = normalize_header(alias)
            if key in by_norm and by_norm[key] not in used:
                found[column.name] = by_norm[key]
                used.add(by_norm[key])
                break
    alternatives = dict(kind.alternatives)
    missing = tuple(
        c.name
        for c in kind.required
        if c.name not in found and alternatives.get(c.name) not in found
    )
    return ColumnMapping(kind, found, missing)


def detect_kind(headers: list[str]) -> ColumnMapping | None:
    """The kind whose required columns are all present; the most columns matched wins."""
    complete = [m for m in (map_columns(k, headers) for k in KINDS.values()) if m.complete]
    if not complete:
        return None
    return max(complete, key=lambda m: (len(m.found), -list(KINDS).index(m.kind.name)))


def describe_missing(kind: KindSpec, name: str) -> str:
    column = kind.column(name)
    return f"{name} ({' / '.join(column.aliases)})"
