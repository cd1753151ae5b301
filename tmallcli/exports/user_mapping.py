"""The user's own mapping of headers and values (``tmall.yaml`` ``columns:`` / ``values:``,
SPEC §2.1), as the readers use it.

For the next time the platform renames a column: the user's headers are tried before the
built-in aliases (:func:`~tmallcli.exports.headers.map_columns`), and a cell's text is mapped
to the canonical value before it is parsed (``cs_ratings.score: {很满意: 5}`` makes a word a
score). The mapping is validated with the rest of the config
(:class:`~tmallcli.config.Config`, which builds it); here it is a plain, hashable value, so a
cache of parsed exports can key on the mapping in force. No Polars here.
"""

from __future__ import annotations

from dataclasses import dataclass

# (canonical field, (header, …)) per kind
FieldHeaders = tuple[tuple[str, tuple[str, ...]], ...]
# (canonical field, ((export text, canonical value), …)) per kind
FieldValues = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


@dataclass(frozen=True)
class UserMapping:
    """``columns``: per kind, the headers of each field, in the user's order; ``values``: per
    kind, each field's export texts and the canonical value each stands for."""

    columns: tuple[tuple[str, FieldHeaders], ...] = ()
    values: tuple[tuple[str, FieldValues], ...] = ()

    def headers(self, kind: str) -> dict[str, tuple[str, ...]]:
        """Field → the user's headers for it, for one kind."""
        return dict(dict(self.columns).get(kind, ()))

    def values_of(self, kind: str) -> FieldValues:
        return dict(self.values).get(kind, ())

    @property
    def empty(self) -> bool:
        return not self.columns and not self.values


NO_MAPPING = UserMapping()


def user_mapping(
    columns: dict[str, dict[str, list[str]]], values: dict[str, dict[str, str]]
) -> UserMapping:
    """The mapping from the validated config's ``columns`` (kind → field → headers) and
    ``values`` (``kind.field`` → text → value)."""
    by_kind: dict[str, list[tuple[str, tuple[tuple[str, str], ...]]]] = {}
    for key, texts in values.items():
        kind, _, field = key.partition(".")
        if texts:
            by_kind.setdefault(kind, []).append((field, tuple(texts.items())))
    return UserMapping(
        tuple(
            (kind, tuple((field, tuple(headers)) for field, headers in fields.items()))
            for kind, fields in columns.items()
            if fields
        ),
        tuple((kind, tuple(fields)) for kind, fields in by_kind.items()),
    )
