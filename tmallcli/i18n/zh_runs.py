"""zh for what the runs layer says."""

from __future__ import annotations

RUNS: dict[str, str] = {}
