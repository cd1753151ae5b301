from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

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


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test picks up a developer's ./tmall.yaml."""
    monkeypatch.chdir(tmp_path)
