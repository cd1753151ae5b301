"""Where each command's verdict threshold comes from (SPEC §14 "Placeholder numbers").

A verdict is a value judged against a configured threshold: the 基础服务考核分 total against
the category's threshold, the DSR flags against 4.4 / 4.6, the human 客服评价 average against
``cs.min_average``, a bad review unanswered past ``reviews.reply_within_hours``, a refund
waiting past ``refunds.intervention_after_hours``. JSON ``threshold_source`` says whether the
threshold is a platform rule, a shipped placeholder (illustrative) or the seller's own (config).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tmallcli.runs.context import RunContext

# The config key path of each verdict's threshold (a mapping: every value under it).
THRESHOLDS: dict[str, tuple[str, ...]] = {
    "dsr": ("dsr", "thresholds"),
    "cs": ("cs", "min_average"),
    "triage": ("reviews", "reply_within_hours"),
    "refunds": ("refunds", "intervention_after_hours"),
}
CONFIG = "config"


def threshold_source(ctx: RunContext, verdict: str, *, given: bool = False) -> str:
    """``verdict``'s threshold source; ``given``: the threshold came from the command line
    (``--min-average``), the seller's own number."""
    if given:
        return CONFIG
    if verdict == "service":
        return ctx.threshold_source("service_score", "categories", ctx.category_name, "threshold")
    return ctx.threshold_source(*THRESHOLDS[verdict])
