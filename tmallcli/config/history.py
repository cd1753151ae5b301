"""The history's figures (SPEC §15) and the config's ``history:`` section.

``HISTORY_METRICS`` is the one list of what a run records: every metric of ``score service``
(SPEC §6), the service total, the three DSR dimensions, the 24h pickup rate, the human 客服评价
average and the 好评率. Each has a unit and a direction, which is what ``history.max_drop``
(``--check`` with ``--history``) is measured in:

* ``points`` — a score on its own scale (0–5): a drop of 0.1 is 0.1 points;
* ``rate`` — a share 0–1, its ``max_drop`` in percentage points (2 = from 95 % to 93 %);
* ``hours`` / ``seconds`` — a time, its ``max_drop`` in hours / seconds.

A figure where lower is better (times, the dispute and complaint rates) drops when it rises.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, field_validator

from tmallcli.config.fields import Model, fail, fmt_num

Unit = Literal["points", "rate", "hours", "seconds"]


@dataclass(frozen=True)
class HistoryMetric:
    unit: Unit
    lower_is_better: bool = False

    def worsening(self, before: float, now: float) -> float:
        """How much worse ``now`` is than ``before``, in ``max_drop``'s unit (negative: better)."""
        change = (before - now) if not self.lower_is_better else (now - before)
        return change * 100 if self.unit == "rate" else change


# The recorded figures, in the order the history lists them.
HISTORY_METRICS: dict[str, HistoryMetric] = {
    "service_total": HistoryMetric("points"),
    "item_review_score": HistoryMetric("points"),
    "pickup_24h_rate": HistoryMetric("rate"),
    "logistics_review_score": HistoryMetric("points"),
    "refund_only_hours": HistoryMetric("hours", lower_is_better=True),
    "return_refund_hours": HistoryMetric("hours", lower_is_better=True),
    "response_rate": HistoryMetric("rate"),
    "response_3min_rate": HistoryMetric("rate"),
    "human_response_seconds": HistoryMetric("seconds", lower_is_better=True),
    "dispute_refund_rate": HistoryMetric("rate", lower_is_better=True),
    "complaint_rate": HistoryMetric("rate", lower_is_better=True),
    "dsr_description": HistoryMetric("points"),
    "dsr_service": HistoryMetric("points"),
    "dsr_logistics": HistoryMetric("points"),
    "cs_human_average": HistoryMetric("points"),
    "good_rate": HistoryMetric("rate"),
}


def _non_negative(value: float) -> float:
    if value < 0:
        raise fail(f"must be 0 or more (got {fmt_num(value)})")
    return value


class HistoryConfig(Model):
    # figure → the largest worsening since the previous recorded day before --check alerts,
    # in the figure's unit (above); a figure left out is never alerted on.
    max_drop: dict[str, Annotated[float, AfterValidator(_non_negative)]]

    @field_validator("max_drop")
    @classmethod
    def _known(cls, value: dict[str, float]) -> dict[str, float]:
        for key in value:
            if key not in HISTORY_METRICS:
                raise fail(
                    f"unknown figure (known: {', '.join(HISTORY_METRICS)}) (got {key!r})", at=key
                )
        return value
