"""zh for what the config layer says."""

from __future__ import annotations

CONFIG: dict[str, str] = {}
