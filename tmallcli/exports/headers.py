"""Header normalisation, column mapping and kind detection."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from tmallcli.errors import InputError
from tmallcli.exports.kinds import KINDS, KindSpec
from tmallcli.exports.source import Source
from tmallcli.exports.user_mapping import NO_MAPPING, FieldValues, UserMapping
from tmallcli.i18n import tr


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


@dataclass(frozen=True)
class Classification:
    """What a file's headers say it is (SPEC §2.1 "Kind detection").

    ``mapping``: the kind it is read as (None: not recognised); ``closest``: the best-scoring
    kind when nothing is recognised, with the indispensable columns it lacks."""

    mapping: ColumnMapping | None
    closest: ColumnMapping | None = None

    @property
    def missing_expected(self) -> tuple[str, ...]:
        """Columns the kind's rules want that the file lacks (the commands fall back)."""
        if self.mapping is None:
            return ()
        return tuple(c for c in self.mapping.kind.expected if c not in self.mapping.found)

    def closest_line(self) -> str | None:
        """``closest: orders (订单报表), missing paid_at (订单付款时间 / 付款时间)``, or None."""
        if self.mapping is not None or self.closest is None:
            return None
        kind = self.closest.kind
        missing = ", ".join(describe_missing(kind, n) for n in self.closest.missing_required)
        return tr(
            "closest: {kind} ({label}), missing {missing}",
            kind=kind.name,
            label=kind.label,
            missing=missing,
        )

    def verdict(self) -> str:
        """One line: what the file is read as, or why it is not read (``--dir``)."""
        if self.mapping is not None:
            return tr("read as {kind}", kind=self.mapping.kind.name)
        closest = self.closest_line()
        if closest is None:
            return tr("headers match no export kind")
        return tr("headers match no export kind; {closest}", closest=closest)


def _score(mapping: ColumnMapping) -> tuple[int, int]:
    # The headers the kind explains, then its indispensable columns found; ties go to the
    # kind listed first in KINDS.
    found_required = sum(1 for c in mapping.kind.required if c.name in mapping.found)
    return (len(mapping.found), found_required)


def classify(headers: list[str], user: UserMapping = NO_MAPPING) -> Classification:
    """Score the headers against every kind's aliases: the best-scoring kind whose
    indispensable columns are all there is the file's kind (a file need not match a kind
    fully: the columns the rules can do without may be missing). Otherwise the best-scoring
    kind that matched anything is the closest, with what it lacks."""
    order = list(KINDS)
    mappings = [map_columns(k, headers, user) for k in KINDS.values()]

    def best(candidates: list[ColumnMapping]) -> ColumnMapping:
        return max(candidates, key=lambda m: (*_score(m), -order.index(m.kind.name)))

    complete = [m for m in mappings if m.complete]
    if complete:
        return Classification(best(complete))
    partial = [m for m in mappings if m.found]
    return Classification(None, best(partial) if partial else None)


def detect_kind(headers: list[str], user: UserMapping = NO_MAPPING) -> ColumnMapping | None:
    """The kind the headers are read as (see :func:`classify`), or None."""
    return classify(headers, user).mapping


def describe_missing(kind: KindSpec, name: str) -> str:
    column = kind.column(name)
    return f"{name} ({' / '.join(column.aliases)})"


def mapping_for(
    kind: KindSpec, source: Source, headers: list[str], user: UserMapping = NO_MAPPING
) -> ColumnMapping:
    """The file's headers mapped for ``kind``; a required column missing is an error naming the
    file and the columns it has."""
    mapping = map_columns(kind, headers, user)
    if mapping.missing_required:
        missing = ", ".join(describe_missing(kind, name) for name in mapping.missing_required)
        raise InputError(
            source.display,
            tr(
                "{name} export ({label}) is missing required column {missing}",
                name=kind.name,
                label=kind.label,
                missing=missing,
            ),
            hint=tr("columns found: {columns}", columns=", ".join(h.strip() for h in headers)),
        )
    return mapping
