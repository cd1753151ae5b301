"""`tmall reviews triage` through the CLI: exit codes, JSON contract (SPEC §10), sample numbers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tmallcli.cli import app

REPO = Path(__file__).resolve().parent.parent.parent
HEADER = "订单编号,买家会员名,评价时间,宝贝与描述相符,卖家的服务态度,物流服务的质量,评价结果,评价内容,解释内容,宝贝ID,宝贝标题\n"
runner = CliRunner()

# As of 2026-11-20 (instant 23:59:59).
ROWS = [
    "1,甲,2026-11-20 20:00:00,5,5,5,好评,很好,,I1,毛巾",
    "2,乙,2026-11-20 12:00:00,3,5,5,中评,和期望不一样,,I1,毛巾",  # unanswered, 12 h
    "3,丙,2026-11-18 10:00:00,1,5,5,差评,质量差，快递员态度也差,,I2,枕头",  # unanswered, 61.98 h
    "4,丁,2026-11-10 09:00:00,2,2,2,差评,漏发了,已补发,I2,枕头",  # replied
    "5,戊,2026-10-01 09:00:00,5,5,5,差评,丢件,,I3,被子",  # outside 30 days, in 180
    "6,己,2026-05-01 09:00:00,5,5,5,差评,质量差,,I3,被子",  # outside 180 days
]


def reviews_file(tmp_path: Path, rows: list[str], header: str = HEADER) -> Path:
    path = tmp_path / "reviews.csv"
    path.write_text(header + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def triage(*args: str) -> object:
    return runner.invoke(app, ["reviews", "triage", "--as-of", "2026-11-20", *args])


def test_json_contract_and_hand_computed_numbers(tmp_path: Path) -> None:
    result = triage("--reviews", str(reviews_file(tmp_path, ROWS)), "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("as_of", "good_rate", "counts", "by_cause", "queue", "items", "unanswered"):
        assert key in data
    assert data["as_of"] == "2026-11-20"
    # 180 days: rows 1–5 → 好评 1, 中评 1, 差评 3 → 1/5
    assert data["counts"] == {"good": 1, "neutral": 1, "bad": 3}
    assert data["good_rate"] == 0.2
    assert data["window"] == {
        "start": "2026-10-21 23:59:59",
        "end": "2026-11-20 23:59:59",
        "days": 30,
    }
    assert data["by_cause"] == {
        "product": 1,
        "service": 1,
        "logistics": 1,
        "buyer": 1,
        "unclassified": 0,
    }
    assert data["unanswered"] == 2
    assert data["overdue"] == 1
    queue = data["queue"]
    assert [q["order_id"] for q in queue] == ["3", "2", "4"]
    first = queue[0]
    for key in ("order_id", "buyer", "rating", "rated_at", "causes", "replied", "action"):
        assert key in first
    assert first["buyer"] == "丙"
    assert first["rating"] == "bad"
    assert first["rated_at"] == "2026-11-18 10:00:00"
    assert first["causes"] == ["product", "logistics"]  # 快递员态度 is not the shop's service
    assert first["replied"] is False
    assert first["hours"] == 62 - 1 / 3600  # 61 h 59 min 59 s, in full
    assert first["action"] == first["actions"][0]
    assert len(first["actions"]) == 2
    assert queue[2]["replied"] is True
    assert queue[2]["causes"] == ["service"]
    assert data["items"][0] == {
        "item_id": "I2",
        "item_title": "枕头",
        "count": 2,
        "bad": 2,
        "neutral": 0,
        "unanswered": 1,
    }
    assert data["input_warnings"] == []


def test_check_exits_1_on_an_overdue_unanswered_review(tmp_path: Path) -> None:
    result = triage("--reviews", str(reviews_file(tmp_path, ROWS)), "--check")
    assert result.exit_code == 1
    # The shipped 24 h is a placeholder (SPEC §14): marked ※, with the note.
    assert "超过24※小时未回复: 1" in result.stdout
    assert "※ 示例值: set your category's published values in tmall.yaml" in result.stdout


def test_check_exits_0_when_unanswered_ones_are_recent(tmp_path: Path) -> None:
    # Only row 2 (12 h old) is unanswered once row 3 has a reply.
    rows = [r.replace("质量差，快递员态度也差,,", "质量差，快递员态度也差,已联系,") for r in ROWS]
    result = triage("--reviews", str(reviews_file(tmp_path, rows)), "--check", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["unanswered"] == 1
    assert data["overdue"] == 0


def test_reply_within_hours_comes_from_config(tmp_path: Path) -> None:
    config = tmp_path / "my.yaml"
    config.write_text("reviews:\n  reply_within_hours: 72\n", encoding="utf-8")
    path = reviews_file(tmp_path, ROWS)
    result = triage("--reviews", str(path), "--config", str(config), "--check")
    assert result.exit_code == 0, result.output


def test_days_option_narrows_the_triage_window(tmp_path: Path) -> None:
    path = reviews_file(tmp_path, ROWS)
    result = triage("--reviews", str(path), "--days", "7", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["window"]["days"] == 7
    assert [q["order_id"] for q in data["queue"]] == ["3", "2"]  # row 4 is 10 days old
    result = triage("--reviews", str(path), "--days", "60", "-f", "json")
    assert [q["order_id"] for q in json.loads(result.stdout)["queue"]] == ["5", "3", "2", "4"]


def test_limit_caps_the_queue(tmp_path: Path) -> None:
    result = triage("--reviews", str(reviews_file(tmp_path, ROWS)), "--limit", "1", "-f", "json")
    data = json.loads(result.stdout)
    assert [q["order_id"] for q in data["queue"]] == ["3"]
    assert data["queue_total"] == 3


def test_csv_is_the_queue(tmp_path: Path) -> None:
    result = triage("--reviews", str(reviews_file(tmp_path, ROWS)), "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][0] == "订单编号"
    assert [r[0] for r in rows[1:]] == ["3", "2", "4"]
    # Causes and rating as the table names them (SPEC §14: Chinese values under zh).
    assert rows[1][rows[0].index("原因")] == "商品问题、物流问题"
    assert rows[1][rows[0].index("评价")] == "差评"


def test_english_csv_keeps_the_codes(tmp_path: Path) -> None:
    result = triage("--reviews", str(reviews_file(tmp_path, ROWS)), "-f", "csv", "--lang", "en")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[1][rows[0].index("Causes")] == "product;logistics"
    assert rows[1][rows[0].index("Rating")] == "bad"


def test_rating_column_absent_is_derived_from_dsr(tmp_path: Path) -> None:
    header = "订单编号,买家会员名,评价时间,宝贝与描述相符,卖家的服务态度,物流服务的质量,评价内容\n"
    rows = [
        "1,甲,2026-11-20 10:00,5,5,4,不错",  # 好评
        "2,乙,2026-11-20 10:00,5,3,5,还行",  # 中评
        "3,丙,2026-11-19 10:00,1,5,5,破损",  # 差评
    ]
    result = triage("--reviews", str(reviews_file(tmp_path, rows, header)), "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["counts"] == {"good": 1, "neutral": 1, "bad": 1}
    assert data["rating_sources"] == {"rating": 0, "dsr": 3}
    assert [q["order_id"] for q in data["queue"]] == ["3", "2"]
    assert data["queue"][0]["causes"] == ["product"]


def test_sample_data_numbers() -> None:
    # Checked independently with the csv module: 1120 rated rows in 180 days (1007 好评,
    # 64 中评, 49 差评); 23 中评/差评 in the last 30 days, 7 of them without a reply,
    # 6 of those rated more than 24 h before 2026-11-20 23:59:59.
    result = triage("--dir", str(REPO / "sample_data"), "-f", "json", "--check")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["counts"] == {"good": 1007, "neutral": 64, "bad": 49}
    assert data["good_rate"] == 1007 / 1120  # 89.91 %, in full
    assert (data["reviews"], data["neutral"], data["bad"]) == (23, 16, 7)
    assert data["unanswered"] == 7
    assert data["overdue"] == 6
    assert data["by_cause"] == {
        "product": 10,
        "service": 5,
        "logistics": 1,
        "buyer": 4,
        "unclassified": 3,
    }
    assert [q["replied"] for q in data["queue"]] == [False] * 7 + [True] * 16
    assert data["queue"][0]["order_id"] == "313663365616426121"
    assert data["items"][0]["item_id"] == "633482231526"
    assert data["items"][0]["count"] == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "--reviews"),
        (["--reviews", "nope.csv"], "nope.csv"),
        (["--reviews", "{path}", "--days", "0"], "--days"),
        (["--reviews", "{path}", "--limit", "-1"], "--limit"),
    ],
)
def test_bad_usage_exits_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    path = str(reviews_file(tmp_path, ROWS))
    result = triage(*(a.replace("{path}", path) for a in args))
    assert result.exit_code == 2
    assert result.stderr.startswith("tmall: error: ")
    assert message in result.stderr.splitlines()[0]
    assert "Traceback" not in result.stderr


def test_english_labels(tmp_path: Path) -> None:
    result = triage("--reviews", str(reviews_file(tmp_path, ROWS)), "--lang", "en")
    assert result.exit_code == 0
    assert "Positive rate" in result.stdout
    assert "20.00% (1/5)" in result.stdout
