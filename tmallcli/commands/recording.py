"""``--history FILE`` on a score / audit command and on the report: the one call each makes.

The command hands its outcome and its run's result over; with ``--history`` the result's
figures are recorded (:func:`tmallcli.runs.history.record_run`) and a figure that worsened
by more than ``history.max_drop`` since the previous recorded day is said on stderr, and
trips ``--check`` (exit 1). Without ``--history`` the outcome is returned as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tmallcli.commands.options import Bundle
    from tmallcli.commands.run import Outcome
    from tmallcli.history import Point
    from tmallcli.runs.context import RunContext
    from tmallcli.runs.history import Recording


@dataclass
class Kept:
    """What ``--history`` did for a run (nothing without it): the drops, the report's trends."""

    recording: Recording | None = None
    check: bool = False
    trends: dict[str, list[Point]] = field(default_factory=dict)

    def outcome(self, outcome: Outcome) -> Outcome:
        """``outcome`` with the drops said on stderr, and tripping ``--check``."""
        if self.recording is None:
            return outcome
        return replace(
            outcome,
            check_failed=outcome.check_failed or (self.check and bool(self.recording.drops)),
            notes=[*outcome.notes, *self.recording.notes],
        )


def keep(opts: Bundle, result: Any, ctx: RunContext | None = None, *, trend_days: int = 0) -> Kept:
    """Record ``result``'s figures in ``--history`` (``ctx``: the run's, when the command kept
    it; else the options' again); with ``trend_days``, read back each figure's last days."""
    if opts.history is None:
        return Kept()
    from tmallcli.runs.history import record_run, trends

    ctx = ctx or opts.rules.context()
    done = record_run(opts.history, result, ctx, opts.exports)
    series = {}
    if trend_days:
        series = trends(opts.history, done.recorded.shop, ctx.as_of.date, trend_days)
    return Kept(done, opts.rules.check, series)


def recorded(outcome: Outcome, opts: Bundle, result: Any, ctx: RunContext | None = None) -> Outcome:
    """``outcome`` once ``result``'s figures are in ``--history`` (see :func:`keep`)."""
    return keep(opts, result, ctx).outcome(outcome)
