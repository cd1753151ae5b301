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
    "config show": ["config", "show"],
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


def test_the_history_and_the_ledger_write_to_a_gbk_stream(tmp_path: Path) -> None:
    history, ledger = str(tmp_path / "h.db"), str(tmp_path / "l.db")
    run_gbk([*COMMANDS["score service"], "--history", history], tmp_path)
    run_gbk([*COMMANDS["compensate late-orders"], "--ledger", ledger], tmp_path)
    for args in (["history", "--history", history], ["compensate", "ledger", "--ledger", ledger]):
        done = run_gbk(args, tmp_path)
        stderr = done.stderr.decode("gbk")
        assert done.returncode == 0, stderr
        assert "Traceback" not in stderr
        assert done.stdout.decode("gbk").strip()


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


def test_an_80_column_table_never_cuts_an_id_a_time_or_money(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SPEC §14: ID, time and money columns do not shrink; the text columns fold instead."""
    from tmallcli.render.document import Cell, Column, Document, Section
    from tmallcli.render.writers import print_rich

    monkeypatch.setenv("COLUMNS", "80")
    order = "3205123412341234123"  # 19 digits
    rows = [
        [
            Cell(order),
            Cell("橘子汽水55594 的很长的买家昵称"),
            Cell("2026-11-20 09:30:15"),
            Cell("冰丝凉席三件套 可折叠 夏季透气 双人加大款 送枕套"),
            Cell("SF1446962857536,SF1421516860408"),
            Cell("2994.13"),
            Cell("延迟发货: 付款后超过 48 小时未揽收"),
        ]
    ]
    labels = ["订单编号", "买家", "付款时间", "宝贝", "物流单号", "金额", "原因"]
    columns = [Column(str(i), label, numeric=label == "金额") for i, label in enumerate(labels)]
    doc = Document("赔付", sections=[Section("payouts", "待发红包", columns, rows)])
    out = io.StringIO()
    print_rich(doc, out)
    text = out.getvalue()
    for whole in (order, "2026-11-20 09:30:15", "SF1446962857536,SF1421516860408", "2994.13"):
        assert whole in text, whole
    assert "…" not in text


def table_widths(columns: str, cwd: Path) -> list[int]:
    from rich.cells import cell_len

    env = {**os.environ, "COLUMNS": columns}
    done = subprocess.run(
        [sys.executable, "-m", "tmallcli", "audit", "pickup", "--dir", SAMPLE, *AS_OF],
        capture_output=True,
        env=env,
        cwd=cwd,
    )
    assert done.returncode == 0
    text = done.stdout.decode("utf-8")
    assert "320516947060331388" in text  # the worst order's number, whole
    return [cell_len(line) for line in text.splitlines() if line.startswith("┏")]


def test_piped_output_honours_columns(tmp_path: Path) -> None:
    narrow, wide = table_widths("100", tmp_path), table_widths("240", tmp_path)
    # The breakdowns fit in 100 columns; the untimely list and the watchlist need more for
    # their IDs and times alone, so they are drawn wider than 100 but narrower than at 240
    # (their text columns fold).
    assert len(narrow) == len(wide) and sum(width <= 100 for width in narrow) >= 4
    assert all(n < w for n, w in zip(narrow, wide, strict=True) if n > 100)
