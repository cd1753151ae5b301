"""Chinese Windows: a redirected or piped stdout is GBK (cp936). Every command's table, and the
report, must come out as usual and decode as GBK (SPEC §14; ✓ → √, ✗ → ×)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tmallcli.render.console import make_streams_safe

SAMPLE = str(REPO / "sample_data")
AS_OF = ["--as-of", "2026-11-20"]

COMMANDS = {
    "score service": ["score", "service", "--dir", SAMPLE, *AS_OF],
    "score dsr": ["score", "dsr", "--dir", SAMPLE, *AS_OF],
    "score cs": ["score", "cs", "--dir", SAMPLE, *AS_OF, "--last", "30"],
    "audit pickup": ["audit", "pickup", "--dir", SAMPLE, *AS_OF],
    "audit response": ["audit", "response", "--dir", SAMPLE, *AS_OF],
    "audit refunds": ["audit", "refunds", "--dir", SAMPLE, *AS_OF],
    "compensate late-orders": ["compensate", "late-orders", "--dir", SAMPLE, *AS_OF],
    "reviews triage": ["reviews", "triage", "--dir", SAMPLE, *AS_OF],
    "data check": ["data", "check", SAMPLE],
    "report": ["report", "--dir", SAMPLE, *AS_OF],
}


def run_gbk(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "tmallcli", *args], capture_output=True, env=env, cwd=cwd
    )


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_table_writes_to_a_gbk_stream(name: str, tmp_path: Path) -> None:
    done = run_gbk(COMMANDS[name], tmp_path)
    stdout = done.stdout.decode("gbk")  # raises if the bytes are not GBK
    stderr = done.stderr.decode("gbk")
    assert "Traceback" not in stderr and "UnicodeEncodeError" not in stderr
    assert done.returncode == 0, stderr
    assert stdout.strip()


def test_the_report_shows_its_verdicts_in_gbk(tmp_path: Path) -> None:
    stdout = run_gbk(COMMANDS["report"], tmp_path).stdout.decode("gbk")
    assert "× 4 项未达标" in stdout and "√ 达标" in stdout and "✓" not in stdout


def test_a_gbk_stream_gets_the_nearest_symbol() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="gbk")
    make_streams_safe(stream)
    stream.write("✓ 达标 ✗ 未达标 ※ 示例值 → 🚚\n")
    stream.flush()
    # GBK has ※ and → itself; ✓, ✗ and the emoji it lacks.
    assert raw.getvalue().decode("gbk") == "√ 达标 × 未达标 ※ 示例值 → ?\n"


def test_a_utf8_stream_is_left_alone() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8")
    make_streams_safe(stream)
    stream.write("✓ 达标\n")
    stream.flush()
    assert raw.getvalue().decode("utf-8") == "✓ 达标\n"
