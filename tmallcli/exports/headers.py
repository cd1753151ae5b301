"""Header normalisation, column mapping and kind detection."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from tmallcli.exports.kinds import KINDS, KindSpec
from tmallcli.exports.user_mapping import NO_MAPPING, FieldValues, UserMapping


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
    # The user's value mapping for this kind (tmall.yaml ``values:``), applied before parsing.
    values: FieldValues = ()

    @property
    def complete(self) -> bool:
        return not self.missing_required


def map_columns(
    kind: KindSpec, headers: list[str], user: UserMapping = NO_MAPPING
) -> ColumnMapping:
    """``user``: the user's own headers (tmall.yaml ``columns:``), tried for every field before
    any built-in alias, so a header the user names is never taken by another field's alias."""
    by_norm: dict[str, str] = {}
    for header in headers:
        by_norm.setdefault(normalize_header(header), header)
    found: dict[str, str] = {}
    used: set[str] = set()
    user_headers = user.headers(kind.name)
    user_first = [[user_headers.get(c.name, ()) for c in kind.columns]] if user_headers else []
    for aliases_per_column in [*user_first, [(*c.aliases, c.name) for c in kind.columns]]:
        for column, aliases in zip(kind.columns, aliases_per_column, strict=True):
            # The first alias in SPEC order wins when an export carries several.
            for alias in () if column.name in found else aliases:
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
    return ColumnMapping(kind, found, missing, user.values_of(kind.name))


def detect_kind(headers: list[str], user: UserMapping = NO_MAPPING) -> ColumnMapping | None:
    """The kind whose required columns are all present; the most columns matched wins."""
    complete = [m for m in (map_columns(k, headers, user) for k in KINDS.values()) if m.complete]
    if not complete:
        return None
    return max(complete, key=lambda m: (len(m.found), -list(KINDS).index(m.kind.name)))


def describe_missing(kind: KindSpec, name: str) -> str:
    column = kind.column(name)
    return f"{name} ({' / '.join(column.aliases)})"
