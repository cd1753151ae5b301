"""`tmall audit response` through the CLI: JSON contract (SPEC §7), exit codes, formats, sample shop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tmallcli.cli import app

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data"

HEADER = "买家,时间,发送方,方向,内容,是否自动回复,是否机器人\n"
# T = 2026-11-20: window 2026-10-21 … 2026-11-19.
CHATS = [
    # ann: answered by 小王 after 60 s.
    "ann,2026-11-01 10:00:00,ann,买家,在吗，有货吗,否,否",
    "ann,2026-11-01 10:00:02,店铺:小王,卖家,您好，欢迎光临~,是,否",
    "ann,2026-11-01 10:01:00,店铺:小王,卖家,亲，有货的,否,否",
    # bob: asked 23:59:30, answered 00:00:30 next day → not answered, after midnight.
    "bob,2026-11-01 23:59:30,bob,买家,今天能发货吗,否,否",
    "bob,2026-11-02 00:00:30,店铺:小李,卖家,亲，明天发,否,否",
    # cat: only 店小蜜 (valid by default), then a person after 200 s.
    "cat,2026-11-02 09:00:00,cat,买家,尺码怎么选,否,否",
    "cat,2026-11-02 09:00:05,店铺:店小蜜,卖家,亲，可以参考尺码表,否,是",
    "cat,2026-11-02 09:03:20,店铺:小李,卖家,亲，建议选M,否,否",
    # dan: never answered (blacklisted without a reply looks exactly like this).
    "dan,2026-11-03 15:00:00,dan,买家,广告,否,否",
]


@pytest.fixture
def chats(tmp_path: Path) -> Path:
    path = tmp_path / "chats.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in CHATS), encoding="utf-8")
    return path


def audit(chats: Path, *args: str) -> Result:
    return runner.invoke(
        app, ["audit", "response", "--chats", str(chats), "--as-of", "2026-11-20", *args]
    )


def test_json_contract_and_numbers(chats: Path) -> None:
    result = audit(chats, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    required = {
        "as_of",
        "window",
        "response_rate",
        "response_3min_rate",
        "human_response_seconds",
        "consultations",
        "answered",
        "daily",
        "by_hour",
        "by_account",
        "unanswered",
        "after_midnight",
        "leaving",
    }
    assert required <= set(data)
    assert data["as_of"] == "2026-11-20"
    assert data["window"] == {"start": "2026-10-21", "end": "2026-11-19"}
    # ann, cat answered; bob (after midnight) and dan not: 2/4.
    assert (data["consultations"], data["answered"], data["missed"]) == (4, 2, 2)
    assert data["response_rate"] == 0.5
    # First human replies: ann 60 s, cat 200 s (店小蜜 ignored) → 130 s.
    assert data["human_response_seconds"] == 130.0
    # Turns in 08:00–23:00: ann (60 s, fast), cat (200 s, slow), dan (never) → 1/3.
    assert (data["turns"], data["fast_turns"]) == (3, 1)
    assert data["response_3min_rate"] == pytest.approx(1 / 3)
    assert data["unanswered_count"] == 2
    assert [(u["buyer"], u["date"], u["first_message_at"]) for u in data["unanswered"]] == [
        ("bob", "2026-11-01", "2026-11-01 23:59:30"),
        ("dan", "2026-11-03", "2026-11-03 15:00:00"),
    ]
    assert data["after_midnight"] == [
        {
            "buyer": "bob",
            "date": "2026-11-01",
            "first_message_at": "2026-11-01 23:59:30",
            "hour": 23,
            "replied_at": "2026-11-02 00:00:30",
            "replied_by": "店铺:小李",
            "wait_seconds": 60,
        }
    ]
    assert len(data["daily"]) == 30
    nov1 = next(d for d in data["daily"] if d["date"] == "2026-11-01")
    assert (nov1["consultations"], nov1["answered"], nov1["response_rate"]) == (2, 1, 0.5)
    assert [h["hour"] for h in data["by_hour"]] == list(range(24))
    assert data["by_hour"][23]["missed"] == 1
    assert data["by_hour"][15]["missed"] == 1
    assert data["by_hour"][10]["staff"] == ["店铺:小王"]
    accounts = {a["account"]: a for a in data["by_account"]}
    assert accounts["店铺:店小蜜"]["assistant"] is True
    assert accounts["店铺:店小蜜"]["consultations"] == 1
    assert accounts["店铺:小李"]["human_response_seconds"] == 200.0
    assert accounts["店铺:小李"]["replies"] == 2  # cat's reply and bob's 00:00:30 one
    assert accounts["店铺:小王"]["replies"] == 1  # the auto-reply is not one
    # 11-01 (1 miss of 2) leaves on 12-02: 1/2 left → +0.0; 11-03 (0/1) → 2/3.
    leaving = {d["date"]: d for d in data["leaving"]}
    assert leaving["2026-11-01"]["leaves_window_on"] == "2026-12-02"
    assert leaving["2026-11-01"]["rate_without"] == 0.5
    assert leaving["2026-11-03"]["leaves_window_on"] == "2026-12-04"
    assert leaving["2026-11-03"]["rate_without"] == pytest.approx(2 / 3)
    assert data["input_warnings"] == []


def test_assistant_counts_false_in_user_config(chats: Path, tmp_path: Path) -> None:
    user = tmp_path / "tmall.yaml"
    user.write_text("response:\n  assistant_counts: false\n", encoding="utf-8")
    data = json.loads(audit(chats, "-f", "json", "--config", str(user)).stdout)
    # cat's first valid reply is now the person's, 200 s later, still the same day.
    assert (data["answered"], data["rules"]["assistant_counts"]) == (2, False)
    accounts = {a["account"]: a for a in data["by_account"]}
    assert accounts["店铺:店小蜜"]["consultations"] == 0
    assert accounts["店铺:小李"]["consultations"] == 1


@pytest.mark.parametrize(
    ("min_rate", "code"),
    [("0.6", 1), ("0.5", 0), ("0", 0)],
)
@pytest.mark.usefixtures("fresh_enough")
def test_check_exit_codes(chats: Path, min_rate: str, code: int) -> None:
    result = audit(chats, "--check", "--min-rate", min_rate, "-f", "json")
    assert result.exit_code == code, result.output
    assert json.loads(result.stdout)["response_rate"] == 0.5


def test_check_without_min_rate_is_a_usage_error(chats: Path) -> None:
    result = audit(chats, "--check")
    assert result.exit_code == 2
    assert "--min-rate" in result.stderr
    assert "Traceback" not in result.output


def test_min_rate_without_check_only_colours(chats: Path) -> None:
    result = audit(chats, "--min-rate", "0.99", "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["min_rate"] == 0.99


def test_chats_are_required() -> None:
    result = runner.invoke(app, ["audit", "response", "--as-of", "2026-11-20"])
    assert result.exit_code == 2
    assert "--chats" in result.stderr


def test_limit(chats: Path) -> None:
    data = json.loads(audit(chats, "-f", "json", "--limit", "1").stdout)
    assert [u["buyer"] for u in data["unanswered"]] == ["bob"]
    assert data["unanswered_count"] == 2


def test_table_labels_in_both_languages(chats: Path) -> None:
    zh = audit(chats)
    assert zh.exit_code == 0, zh.output
    assert "旺旺响应率: 50.00% (2/4)" in zh.stdout
    assert "人工平均响应时长: 130.00 秒" in zh.stdout
    assert "未回复咨询" in zh.stdout
    en = audit(chats, "--lang", "en")
    assert "Response rate: 50.00% (2/4)" in en.stdout
    assert "Answered only after midnight" in en.stdout


def test_csv_is_the_unanswered_list(chats: Path) -> None:
    result = audit(chats, "-f", "csv")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "买家,日期,首条咨询时间,时段,24点后回复时间,回复客服,等待(秒)"
    assert lines[1] == "bob,2026-11-01,2026-11-01 23:59:30,23,2026-11-02 00:00:30,店铺:小李,60"
    assert lines[2] == "dan,2026-11-03,2026-11-03 15:00:00,15,,,"
    assert len(lines) == 3


def test_sample_shop() -> None:
    """The bundled shop: independently recomputed (plain Python over the CSV) as
    322 consultations, 306 answered, 285 with a human reply summing 30 264 s, and 279 of
    347 service-hour turns answered by a person within 3 minutes."""
    result = runner.invoke(
        app,
        ["audit", "response", "--dir", str(SAMPLE), "--as-of", "2026-11-20", "-f", "json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["consultations"], data["answered"], data["missed"]) == (322, 306, 16)
    assert data["response_rate"] == pytest.approx(306 / 322)
    assert round(data["response_rate"], 3) == 0.950
    assert data["human_answered"] == 285
    assert data["human_response_seconds"] == pytest.approx(30264 / 285)  # 106.19 s, in full
    assert (data["turns"], data["fast_turns"]) == (347, 279)
    assert data["response_3min_rate"] == pytest.approx(279 / 347)
    assert data["after_midnight"] == [
        {
            "buyer": "一只小柠檬1196324",
            "date": "2026-11-08",
            "first_message_at": "2026-11-08 23:59:10",
            "hour": 23,
            "replied_at": "2026-11-09 00:01:05",
            "replied_by": "木槿生活旗舰店:晴天",
            "wait_seconds": 115,
        }
    ]
    assert data["unanswered_count"] == 16
    assert data["unanswered"][0]["buyer"] == "懒羊羊278388"
    first = data["leaving"][0]
    assert (first["date"], first["leaves_window_on"]) == ("2026-10-21", "2026-11-21")
    assert first["rate_without"] == pytest.approx(298 / 313)
    busiest = data["by_account"][0]
    assert (busiest["account"], busiest["assistant"], busiest["consultations"]) == (
        "木槿生活旗舰店:店小蜜",
        True,
        114,
    )
    assert sum(a["consultations"] for a in data["by_account"]) == 306
    assert sum(h["missed"] for h in data["by_hour"]) == 16


def test_sample_shop_check_trips_below_96_percent() -> None:
    args = ["audit", "response", "--dir", str(SAMPLE), "--as-of", "2026-11-20", "--check"]
    assert runner.invoke(app, [*args, "--min-rate", "0.96"]).exit_code == 1
    assert runner.invoke(app, [*args, "--min-rate", "0.95"]).exit_code == 0
