"""The review exports of SPEC §2.1 (tests/data/layouts/reviews.py): no order number, no
per-order DSR. `reviews triage` runs on them; the DSR says it needs the shop page's stars."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tests.conftest import REPO
from tmallcli.cli import app

FILES = REPO / "tests" / "data" / "layouts" / "files" / "reviews"
PLAIN = FILES / "评价管理_导出.csv"
LOGISTICS = FILES / "评价_物流服务评分.csv"
runner = CliRunner()


def run(*args: str) -> tuple[int, dict[str, Any], str]:
    result = runner.invoke(app, [*args, "--as-of", "2026-11-20", "-f", "json"])
    data = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, data, result.stderr


def test_recognised_as_reviews_by_their_headers() -> None:
    for path in (PLAIN, LOGISTICS):
        result = runner.invoke(app, ["data", "check", str(path), "-f", "json"])
        assert result.exit_code == 0, result.output
        [report] = json.loads(result.stdout)["files"]
        assert report["kind"] == "reviews"


def test_triage_runs_without_dsr_columns() -> None:
    code, data, stderr = run("reviews", "triage", "--reviews", str(PLAIN))
    assert code == 0, stderr
    # 180 days: 3 好评, 1 中评, 1 差评 (the 差评 of 2026-04-01 is older) → 3/5
    assert data["counts"] == {"good": 3, "neutral": 1, "bad": 1}
    assert data["good_rate"] == 0.6
    assert data["by_cause"] == {
        "product": 1,
        "service": 0,
        "logistics": 1,  # 快递员态度 is the courier's, not the shop's service
        "buyer": 0,
        "unclassified": 0,
    }
    queue = data["queue"]
    assert [(q["buyer"], q["rating"], q["replied"]) for q in queue] == [
        ("小鱼儿8899", "neutral", False),  # unanswered first
        ("z***9", "bad", True),  # 评价解释 is the reply
    ]
    assert queue[0]["order_id"] is None
    assert queue[0]["hours"] == 62 - 1 / 3600  # 11-18 10:00 → 11-20 23:59:59
    assert data["unanswered"] == 1


def test_score_dsr_without_dsr_says_it_needs_the_star_counts() -> None:
    result = runner.invoke(app, ["score", "dsr", "--reviews", str(PLAIN), "--as-of", "2026-11-20"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "--stars" in lines[0] and "--summary" in lines[0] and "DSR" in lines[0]


def test_a_logistics_score_column_gives_the_logistics_dsr_alone() -> None:
    code, data, stderr = run("score", "dsr", "--reviews", str(LOGISTICS))
    assert code == 0, stderr
    # one rating per row (no order number): 5 + 4 + 5 + 3 = 17 over 4 → 4.25
    assert data["dimensions"]["logistics"]["score"] == 4.25
    assert data["dimensions"]["logistics"]["count"] == 4
    assert data["dimensions"]["description"]["count"] == 0


def test_service_and_report_treat_the_dsr_as_unavailable_with_the_reason(tmp_path: Path) -> None:
    code, data, stderr = run("score", "service", "--reviews", str(PLAIN))
    assert code == 0, stderr
    metric = data["metrics"]["item_review_score"]
    assert metric["status"] == "unavailable"
    assert metric["value"] is None
    assert "star counts" in metric["note"]
    assert [w["code"] for w in data["warnings"]] == ["dsr_needs_star_counts"]
    assert "--stars" in stderr

    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / PLAIN.name).write_bytes(PLAIN.read_bytes())
    code, report, stderr = run("report", "--dir", str(folder))
    assert code == 0, stderr
    assert report["dsr"] is None
    assert report["triage"]["good_rate"] == 0.6
    assert "star counts" in report["skipped"]["dsr"]
    assert report["service"]["metrics"]["item_review_score"]["status"] == "unavailable"
