from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
import pytest

if TYPE_CHECKING:
    from tmallcli.config import Config

REPO = Path(__file__).resolve().parent.parent

# The chats as the reader hands them to the 旺旺 rules (tests/metrics/test_response*.py).
CHAT_SCHEMA: dict[str, Any] = {
    "buyer": pl.String,
    "sent_at": pl.Datetime("us"),
    "sender": pl.String,
    "direction": pl.String,
    "is_auto": pl.Boolean,
    "is_assistant": pl.Boolean,
}


@functools.cache
def default_config() -> Config:
    """The shipped ``config/default.yaml`` alone, loaded once: a test builds its rules from
    it (``XRules.from_config(default_config())``, then ``dataclasses.replace`` for what the
    test varies), so every rule number has its one home in the YAML."""
    from tmallcli.config import load_config

    return load_config(cwd=REPO / "config")


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test picks up a developer's ./tmall.yaml."""
    monkeypatch.chdir(tmp_path)
