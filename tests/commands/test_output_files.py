"""``-o FILE`` takes the format from the file's extension (SPEC §14): a payout list handed to
the person who sends the red packets as 红包.csv is CSV, never a box-drawn table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from tmallcli.cli import app

runner = CliRunner()
BASE = ["compensate", "late-orders", "--dir", str(REPO / "sample_data"), "--as-of", "2026-11-20"]


def write(tmp_path: Path, name: str, *extra: str) -> tuple[int, str, bytes]:
    target = tmp_path / name
    result = runner.invoke(app, [*BASE, "-o", str(target), *extra])
    return result.exit_code, result.stderr, target.read_bytes() if target.exists() else b""


def test_csv_from_the_extension(tmp_path: Path) -> None:
    code, _, data = write(tmp_path, "红包.csv")
    assert code == 0
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data  # for Excel: BOM, CRLF
    assert "┃" not in data.decode("utf-8-sig") and "│" not in data.decode("utf-8-sig")
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header.count(",") >= 3


def test_json_from_the_extension(tmp_path: Path) -> None:
    code, _, data = write(tmp_path, "payouts.JSON")
    assert code == 0
    payload = json.loads(data)
    assert payload["total_fen"] == 299413 and len(payload["payouts"]) == 48


def test_markdown_from_the_extension(tmp_path: Path) -> None:
    code, _, data = write(tmp_path, "payouts.md")
    assert code == 0 and data.decode("utf-8").startswith("# ")


@pytest.mark.parametrize("name", ["payouts.txt", "payouts"])
def test_other_files_get_the_table(tmp_path: Path, name: str) -> None:
    code, _, data = write(tmp_path, name)
    assert code == 0 and "2994.13" in data.decode("utf-8")


@pytest.mark.parametrize(
    ("fmt", "name", "ok"),
    [
        ("csv", "红包.csv", True),
        ("json", "红包.csv", False),
        ("table", "payouts.json", False),
        ("md", "payouts.csv", False),
        ("json", "payouts.txt", True),
    ],
)
def test_a_format_that_contradicts_the_extension_is_exit_2(
    tmp_path: Path, fmt: str, name: str, ok: bool
) -> None:
    code, stderr, data = write(tmp_path, name, "-f", fmt)
    if ok:
        assert code == 0 and data
    else:
        assert code == 2 and not data
        errors = [line for line in stderr.splitlines() if line.startswith("tmall: error:")]
        assert len(errors) == 1 and f"--format {fmt} contradicts" in errors[0]
