from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
import pytest

if TYPE_CHECKING:
    from tmallcli.config import Config
    from tmallcli.render.report import ShopSummary
    from tmallcli.runs.report import ShopReport

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


@pytest.fixture(scope="session", autouse=True)
def _test_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The parsed-export cache (on by default, SPEC §15) of every run in the tests — in
    process or a ``tmall`` subprocess — goes to a folder of this session, never into the
    user's home; the runs of the session share it, so later reads of a file hit it."""
    folder = tmp_path_factory.mktemp("tmall-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMALL_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test picks up a developer's ./tmall.yaml."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def fresh_enough(tmp_path: Path) -> None:
    """A ./tmall.yaml (in the test's own folder) that calls an export stale only 60 days
    after its newest row: a test of another --check rule on a few hand-made rows that end
    days or weeks before their as-of is not about freshness (SPEC §14; its own tests are
    tests/commands/test_freshness.py)."""
    (tmp_path / "tmall.yaml").write_text("freshness:\n  max_lag_days: 60\n", encoding="utf-8")


def pytest_configure(config: pytest.Config) -> None:
    """Messages in English unless a test chooses (the tests assert the English sentences;
    tests/test_messages.py asserts the Chinese ones): TMALL_LANG=en reaches every CLI run, in
    process or in a subprocess, session fixtures included. Labels keep their own default
    (zh): they follow --lang only."""
    os.environ["TMALL_LANG"] = "en"


@pytest.fixture(autouse=True)
def _english_messages() -> None:
    """The library starts each test in English too, whatever the test before chose."""
    from tmallcli import i18n

    i18n.use("en")


@dataclass
class SampleReport:
    """``tmall report`` on the bundled shop as of its export date, run once per session."""

    shop: ShopReport  # the run's result (tmallcli.runs.report)
    summary: ShopSummary
    json: dict[str, Any]  # `tmall report --dir sample_data --as-of 2026-11-20 -f json`
    html: Path  # the -o report.html page of the same report
    stderr: str


SAMPLE_AS_OF = "2026-11-20"


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> SampleReport:
    """The sample shop's report, once for every test that reads it (the library result, and
    the JSON and HTML of one CLI run)."""
    import json

    from typer.testing import CliRunner

    from tmallcli import i18n
    from tmallcli.cli import app
    from tmallcli.render.report import ShopSummary
    from tmallcli.runs.context import Exports, context
    from tmallcli.runs.report import run_report

    # In English whatever the test that first asks for it chose (a session fixture is made
    # before that test's own _english_messages runs): its notes are asserted in English.
    i18n.use("en")
    folder = REPO / "sample_data"
    done = run_report(Exports(directory=folder), context(SAMPLE_AS_OF))
    shop = done.result
    page = tmp_path_factory.mktemp("sample-report") / "report.html"
    # One output per run (SPEC §14): the page, then the JSON.
    args = ["report", "--dir", str(folder), "--as-of", SAMPLE_AS_OF]
    written = CliRunner().invoke(app, [*args, "-o", str(page)])
    assert written.exit_code == 0, written.output
    result = CliRunner().invoke(app, [*args, "-f", "json"])
    assert result.exit_code == 0, result.output
    summary = ShopSummary(shop, done.freshness)
    return SampleReport(shop, summary, json.loads(result.stdout), page, result.stderr)
