"""The refund exports of SPEC §2.1, laid out as sellers download them
(tests/data/layouts/refunds.py): recognised by their headers, and the numbers by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from tmallcli.cli import app

FILES = REPO / "tests" / "data" / "layouts" / "files" / "refunds"
CLASSIC = FILES / "ExportRefundList_classic.csv"
TODAY = FILES / "refund_2024_20261120.csv"
YESTERDAY = FILES / "refund_2024_20261119.csv"
runner = CliRunner()


def run(*args: str, as_of: bool = True) -> tuple[int, dict[str, Any], str]:
    dated = ["--as-of", "2026-11-20"] if as_of else []
    result = runner.invoke(app, [*args, *dated, "-f", "json"])
    data = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, data, result.stderr


def codes(data: dict[str, Any]) -> list[str]:
    return [w["code"] for w in data["warnings"]]


def test_both_layouts_are_recognised_as_refunds_by_their_headers(tmp_path: Path) -> None:
    for path in (CLASSIC, TODAY):
        code, data, _ = run("data", "check", str(path), as_of=False)
        assert code == 0
        [report] = data["files"]
        assert report["kind"] == "refunds"
        assert report["rows"] == (6 if path == CLASSIC else 10)


def test_classic_export_without_agreement_time_still_gives_return_refund_hours() -> None:
    code, data, stderr = run("audit", "refunds", "--refunds", str(CLASSIC))
    assert code == 0, stderr
    # 仅退款: 6 h and 12 h → 9.0
    assert data["refund_only_hours"] == 9.0
    # 退货退款 with the agreement taken at the application (no 卖家同意退货时间 column):
    # 1201110003 96 h − 48 h = 48 h, 1201110004 48 h − 6 h = 42 h → (48 + 42) / 2 = 45.0
    assert data["return_refund_hours"] == 45.0
    assert data["counts"]["agreement_approximated"] == 2
    assert data["approximate"] == {"return_refund_hours": 2}
    assert "agreement_time_approximated" in codes(data)
    assert "卖家同意退货时间" in stderr and "lower bound" in stderr
    # the 客服介入 refund is left out of the hours
    assert data["counts"]["intervened_excluded"] == 1
    # waiting since 11-19 10:00, at 11-20 23:59:59: 37.9997 h
    assert [(w["refund_id"], w["hours"]) for w in data["waiting"]] == [
        ("1201110006", pytest.approx(38 - 1 / 3600, rel=1e-14))
    ]


def test_empty_shipping_info_means_not_shipped() -> None:
    """发货物流信息 empty → not shipped: the 未发货仅退款 strategy takes 1201110001 (多拍, not
    shipped) and not 1201110002 (协商一致, shipped)."""
    _, data, _ = run("audit", "refunds", "--refunds", str(CLASSIC))
    rules = {r["name"]: r for r in data["auto_refund"]["rules"]}
    assert rules["未发货仅退款自动退款"]["count"] == 1
    assert rules["未发货仅退款自动退款"]["amount_fen"] == 3990


def test_2024_types_mapped_unknown_ones_derived_and_the_newest_file_wins() -> None:
    for first, second in ((TODAY, YESTERDAY), (YESTERDAY, TODAY)):  # the order given is moot
        code, data, stderr = run(
            "audit", "refunds", "--refunds", str(first), "--refunds", str(second)
        )
        assert code == 0, stderr
        # 仅退款: 4 (仅退款) + 1.5 (售后退款) + 2.5 (售中退款) + 0.1 (极速退款, derived) + 3
        # (yesterday's only refund) = 11.1 h over 5 → 2.22
        assert data["refund_only_hours"] == 2.22
        # 退货退款: 72 − 24 = 48 h (退货退款) and 72 − 24 = 48 h (退货换货, derived: a return
        # upload) → 48.0
        assert data["return_refund_hours"] == 48.0
        assert data["counts"]["refund_only"] == 5
        assert data["counts"]["return_refund"] == 2
        assert data["counts"]["other_type_excluded"] == 2  # 换货, 维修
        # 11 distinct refunds: 10 today + 1 only yesterday; yesterday's two repeats dropped
        assert data["counts"]["refunds"] == 11
        [warning] = [w for w in data["warnings"] if w["code"] == "unrecognised_refund_type"]
        assert "极速退款 (1)" in warning["message"] and "退货换货 (1)" in warning["message"]
        assert data["input_warnings"][0]["problem"] == "refund in several files"
        assert data["input_warnings"][0]["rows_dropped"] == 2
        # yesterday's 待卖家处理 row of 5001000009 is superseded: only today's waiting one
        assert [(w["refund_id"], w["hours"]) for w in data["waiting"]] == [
            ("5001000010", pytest.approx(14 - 1 / 3600, rel=1e-14))
        ]


def test_score_service_and_report_flag_the_approximation(tmp_path: Path) -> None:
    code, data, stderr = run("score", "service", "--refunds", str(CLASSIC))
    assert code == 0, stderr
    metric = data["metrics"]["return_refund_hours"]
    assert metric["value"] == 45.0
    assert metric["approximate"] is True
    assert "approximate" not in data["metrics"]["refund_only_hours"]
    assert codes(data) == ["agreement_time_approximated"]
    assert "卖家同意退货时间" in stderr

    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / CLASSIC.name).write_bytes(CLASSIC.read_bytes())
    code, report, stderr = run("report", "--dir", str(folder))
    assert code == 0, stderr
    assert report["service"]["metrics"]["return_refund_hours"]["approximate"] is True
    assert "agreement_time_approximated" in codes(report["service"])
    assert report["refunds"]["approximate"] == {"return_refund_hours": 2}
    assert "卖家同意退货时间" in stderr
