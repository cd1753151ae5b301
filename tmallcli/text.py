"""The one rule by which a config word and an export cell are compared (SPEC §2).

The export reader trims a cell and reads a full-width comma ``，`` as ``,``
(``exports.values``); config validation brings every word that names export text (a
status, a reason, a service) to the same form. Both import it from here, so the two sides
cannot drift apart, and neither ``config`` nor ``metrics`` imports from ``exports``.
Dependency-free: the config is read before Polars is imported.
"""

from __future__ import annotations

FULL_WIDTH_COMMA = "，"
COMMA = ","


def config_text(value: object) -> str:
    """A word of the config (a status, a reason, a service) as the reader leaves an export's
    text: trimmed, ``，`` read as ``,`` (SPEC §2), so that the two compare equal."""
    return str(value).strip().replace(FULL_WIDTH_COMMA, COMMA)
