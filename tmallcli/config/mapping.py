"""The user's own column and value mapping of ``tmall.yaml`` (SPEC §2.1 ``columns:`` /
``values:``), validated with key paths."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
)

from tmallcli.config.fields import (
    fail,
    fmt_num,
    show,
)
from tmallcli.exports.kinds import KINDS
from tmallcli.i18n import tr


def _headers(value: Any) -> list[str]:
    """One header or a list of headers (a number-like header such as 2024 is its text)."""
    items = value if isinstance(value, list) else [value]
    headers = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise fail(tr("must be a header or a list of headers (got {value})", value=show(value)))
        text = fmt_num(item) if not isinstance(item, str) else item
        if not text.strip():
            raise fail(tr("a header must not be empty"))
        headers.append(text.strip())
    if not headers:
        raise fail(tr("must name at least one header"))
    return headers


def _canonical_value(value: Any) -> str:
    """The canonical value an export text stands for, as the export would write it."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return fmt_num(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise fail(tr("must be a value: text or a number (got {value})", value=show(value)))


def _mapping_or_empty(value: Any) -> Any:
    # An empty block (``orders:`` with every line under it commented out) maps nothing.
    return {} if value is None else value


Headers = Annotated[list[str], BeforeValidator(_headers)]
CanonicalValue = Annotated[str, BeforeValidator(_canonical_value)]
FieldColumns = Annotated[dict[str, Headers], BeforeValidator(_mapping_or_empty)]
ValueTexts = Annotated[dict[str, CanonicalValue], BeforeValidator(_mapping_or_empty)]


def _known_field(kind: str, field: str, at: str) -> None:
    if kind not in KINDS:
        raise fail(
            tr("unknown kind {kind!r} (known: {value})", kind=kind, value=", ".join(KINDS)), at=at
        )
    names = [c.name for c in KINDS[kind].columns]
    if field not in names:
        raise fail(
            tr("unknown field of {kind} (known: {value})", kind=kind, value=", ".join(names)),
            at=f"{at}.{field}",
        )


def check_columns(columns: dict[str, dict[str, list[str]]]) -> dict[str, dict[str, list[str]]]:
    """Known kinds and fields; one header stands for one field of a kind."""
    for kind, fields in columns.items():
        if kind not in KINDS:
            raise fail(tr("unknown kind (known: {value})", value=", ".join(KINDS)), at=kind)
        taken: dict[str, str] = {}
        for field, headers in fields.items():
            _known_field(kind, field, kind)
            for header in headers:
                if header in taken:
                    problem = (
                        tr("header {header!r} is given twice", header=header)
                        if taken[header] == field
                        else tr(
                            "header {header!r} is given for {other} too",
                            header=header,
                            other=taken[header],
                        )
                    )
                    raise fail(problem, at=f"{kind}.{field}")
                taken[header] = field
    return columns


def check_values(values: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Keys are ``kind.field`` of a known kind and field."""
    for key in values:
        kind, dot, field = key.partition(".")
        if not dot or not field:
            raise fail(tr("must be kind.field, e.g. cs_ratings.score"), at=key)
        if kind not in KINDS:
            raise fail(
                tr("unknown kind {kind!r} (known: {value})", kind=kind, value=", ".join(KINDS)),
                at=key,
            )
        names = [c.name for c in KINDS[kind].columns]
        if field not in names:
            raise fail(
                tr("unknown field of {kind} (known: {value})", kind=kind, value=", ".join(names)),
                at=key,
            )
    return values


# --------------------------------------------------------------------------- the whole config
