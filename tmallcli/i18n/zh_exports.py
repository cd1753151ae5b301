"""zh for what the exports layer says."""

from __future__ import annotations

EXPORTS: dict[str, str] = {}
