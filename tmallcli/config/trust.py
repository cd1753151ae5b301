"""What a verdict rests on (SPEC §14): how old an export may be before its figures are called
stale, and whose shop the report is about."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from tmallcli.config.fields import Model, NonNegativeInt, Text, fail
from tmallcli.exports.kinds import KINDS
from tmallcli.i18n import tr


def _known_kinds(kinds: list[str]) -> list[str]:
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise fail(
            tr(
                "unknown export kind {kind!r} (known: {value})",
                kind=unknown[0],
                value=", ".join(KINDS),
            )
        )
    return kinds


class FreshnessConfig(Model):
    """An export whose newest row is older than T − ``max_lag_days`` is stale; so is a metric
    whose window ends more than ``max_lag_days`` after its export's newest row."""

    max_lag_days: NonNegativeInt
    # Kinds whose newest row is a rare event, not the day the export was downloaded (a shop
    # may go weeks without a complaint): their data_through is reported, never judged stale.
    exempt_kinds: Annotated[list[str], AfterValidator(_known_kinds)]


class ShopConfig(Model):
    """The shop the exports belong to; ``name`` None: the exports' 店铺名称, if any."""

    name: Text | None = None
