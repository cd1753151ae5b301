"""SPEC §14 "Coverage": a service score total from part of its metrics is shown as partial
everywhere, and ``--check`` does not turn a failed download green (issue 24's scenario: the
orders and reviews exports alone gave 4.08 ✓ for a shop at 2.95 ✗ with all its exports)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from tmallcli.cli import app

runner = CliRunner()
SAMPLE = REPO / "sample_data"
AS_OF = ["--as-of", "2026-11-20"]

# The seven metrics the orders and reviews exports cannot give, and why.
MISSING = [
    {
        "metric": "pickup_24h_rate",
        "reason": "no pickup time: no logistics export and no 揽收时间 column in the orders",
    },
    {"metric": "refund_only_hours", "reason": "no refunds export"},
    {"metric": "return_refund_hours", "reason": "no refunds export"},
    {"metric": "response_rate", "reason": "no chats export"},
    {"metric": "human_response_seconds", "reason": "no chats export"},
    {"metric": "dispute_refund_rate", "reason": "no refunds export"},
    {"metric": "complaint_rate", "reason": "no complaints export"},
]
COVERAGE = {"metrics_used": 1, "metrics_total": 8, "missing": MISSING}


@pytest.fixture
def two_exports(tmp_path: Path) -> Path:
    """A folder holding only the sample shop's orders and reviews exports."""
    folder = tmp_path / "exports"
    folder.mkdir()
    for name in ("ExportOrderList20261120.csv", "reviews.csv"):
        shutil.copy(SAMPLE / name, folder / name)
    return folder


def lenient_reviews(tmp_path: Path) -> list[str]:
    """A config under which the sample's unanswered bad reviews are not overdue: the report's
    only other check that fails on these exports."""
    config = tmp_path / "lenient.yaml"
    config.write_text("reviews:\n  reply_within_hours: 100000\n", encoding="utf-8")
    return ["--config", str(config)]


# ------------------------------------------------------------------ score service


def test_score_service_on_two_exports_is_partial(two_exports: Path) -> None:
    result = runner.invoke(
        app, ["score", "service", "--dir", str(two_exports), *AS_OF, "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total_display"] == "4.08" and data["passed"] is True
    assert data["partial"] is True
    assert data["coverage"] == COVERAGE


def test_score_service_table_marks_the_partial_total(two_exports: Path) -> None:
    result = runner.invoke(app, ["score", "service", "--dir", str(two_exports), *AS_OF])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "总分 4.08 (1/8 项) / 5" in out
    assert "部分计算: 总分仅依据 1/8 项指标, 未计入: 24小时揽收及时率 (no pickup time" in out
    assert "旺旺响应率 (no chats export)" in out
    en = runner.invoke(app, ["score", "service", "--dir", str(two_exports), *AS_OF, "--lang", "en"])
    assert "Total 4.08 (1/8 metrics) / 5" in en.stdout
    assert "Partial: the total rests on 1 of 8 metrics; not counted: 24h pickup rate" in en.stdout


def test_score_service_check_exits_1_on_a_partial_total(two_exports: Path) -> None:
    # 4.08 passes the 4.0 threshold: only the missing exports trip the check.
    result = runner.invoke(
        app, ["score", "service", "--dir", str(two_exports), *AS_OF, "--check", "-f", "json"]
    )
    assert result.exit_code == 1, result.output
    assert (
        "tmall: warning: --check: the service score total is partial (1/8 metrics; not counted: "
        "pickup_24h_rate: no pickup time: no logistics export and no 揽收时间 column in the "
        "orders; refund_only_hours: no refunds export;" in result.stderr
    )
    assert "or --allow-partial to judge the partial total" in result.stderr


def test_score_service_allow_partial_judges_the_total(two_exports: Path) -> None:
    result = runner.invoke(
        app,
        ["score", "service", "--dir", str(two_exports), *AS_OF, "--check", "--allow-partial"],
    )
    assert result.exit_code == 0, result.output
    assert "--check: the service score total is partial" not in result.stderr
    # Still shown as partial: --allow-partial changes the exit code, not the truth.
    assert "4.08 (1/8 项)" in result.stdout


def test_allow_partial_does_not_pass_a_total_below_the_threshold(
    two_exports: Path, tmp_path: Path
) -> None:
    config = tmp_path / "strict.yaml"
    config.write_text(
        "service_score:\n  categories:\n    默认:\n      threshold: 4.5\n", encoding="utf-8"
    )
    args = ["score", "service", "--dir", str(two_exports), *AS_OF, "--config", str(config)]
    result = runner.invoke(app, [*args, "--check", "--allow-partial", "-f", "json"])
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["passed"] is False


def test_strict_still_refuses_missing_exports(two_exports: Path) -> None:
    result = runner.invoke(
        app, ["score", "service", "--dir", str(two_exports), *AS_OF, "--strict", "--check"]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("tmall: error: --strict: metrics without their export: ")


def test_a_metric_with_no_data_in_its_window_is_missing_with_its_reason(tmp_path: Path) -> None:
    # Exports three months on: every window is empty but the 180-day DSR.
    folder = tmp_path / "exports"
    folder.mkdir()
    for name in ("ExportOrderList20261120.csv", "reviews.csv", "refunds.csv", "chats.csv"):
        shutil.copy(SAMPLE / name, folder / name)
    result = runner.invoke(
        app, ["score", "service", "--dir", str(folder), "--as-of", "2027-02-20", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    missing = {m["metric"]: m["reason"] for m in json.loads(result.stdout)["coverage"]["missing"]}
    assert missing["refund_only_hours"] == (
        "no 仅退款 refund completed in the window without platform intervention"
    )
    assert missing["response_rate"] == "no consultation in the window"
    assert missing["complaint_rate"] == "no complaints export"


def test_the_full_sample_is_not_partial() -> None:
    result = runner.invoke(app, ["score", "service", "--dir", str(SAMPLE), *AS_OF, "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["partial"] is False
    assert data["coverage"] == {"metrics_used": 8, "metrics_total": 8, "missing": []}
    table = runner.invoke(app, ["score", "service", "--dir", str(SAMPLE), *AS_OF])
    assert "总分 2.95 / 5" in table.stdout and "项)" not in table.stdout


def test_a_what_if_value_counts_as_computed(two_exports: Path) -> None:
    result = runner.invoke(
        app,
        [
            "score",
            "service",
            "--dir",
            str(two_exports),
            *AS_OF,
            "--set",
            "response_rate=0.97",
            "-f",
            "json",
        ],
    )
    coverage = json.loads(result.stdout)["coverage"]
    assert coverage["metrics_used"] == 2
    assert "response_rate" not in [m["metric"] for m in coverage["missing"]]


# ------------------------------------------------------------------ report


def test_report_on_two_exports_is_partial(two_exports: Path) -> None:
    result = runner.invoke(app, ["report", "--dir", str(two_exports), *AS_OF, "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["service"]["partial"] is True
    assert data["service"]["coverage"] == COVERAGE
    assert data["summary"]["partial"] is True
    assert data["summary"]["coverage"] == COVERAGE
    line = data["summary"]["scores"][0]
    assert line["key"] == "service_total" and line["display"] == "4.08 (1/8 项)"
    assert line["passed"] is True
    # Not passed as a whole: the partial total is a failed check (without --allow-partial).
    assert data["summary"]["failed"] == ["service_total", "reviews_overdue"]


def test_report_table_shows_the_partial_row(two_exports: Path) -> None:
    result = runner.invoke(app, ["report", "--dir", str(two_exports), *AS_OF])
    out = result.stdout
    assert "✗ 2 项未达标: 基础服务考核分 (1/8 项), 超时未回复中差评" in out
    assert "4.08 (1/8 项)" in out
    assert "部分计算: 总分仅依据 1/8 项指标" in out


def test_report_check_exits_1_on_the_partial_total(two_exports: Path, tmp_path: Path) -> None:
    args = ["report", "--dir", str(two_exports), *AS_OF, *lenient_reviews(tmp_path), "--check"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "✗ 1 项未达标: 基础服务考核分 (1/8 项)" in result.stdout
    assert "--check: the service score total is partial (1/8 metrics;" in result.stderr


def test_report_allow_partial_exits_0_when_the_total_passes(
    two_exports: Path, tmp_path: Path
) -> None:
    args = ["report", "--dir", str(two_exports), *AS_OF, *lenient_reviews(tmp_path)]
    result = runner.invoke(app, [*args, "--check", "--allow-partial", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["passed"] is True and data["summary"]["failed"] == []
    assert data["summary"]["partial"] is True  # still said
    assert "--check: the service score total is partial" not in result.stderr


def test_report_on_the_full_sample_is_not_partial(sample_report) -> None:  # type: ignore[no-untyped-def]
    data = sample_report.json
    assert data["summary"]["partial"] is False
    assert data["summary"]["coverage"] == {"metrics_used": 8, "metrics_total": 8, "missing": []}
    assert data["service"]["partial"] is False
    assert data["summary"]["scores"][0]["display"] == "2.95"
