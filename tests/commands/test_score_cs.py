"""`tmall score cs` through the CLI: period options, exit codes, JSON contract (SPEC §9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tmallcli.cli import app

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data"
HEADER = "评价时间,客服子账号,评分,标签,评价来源,买家\n"
runner = CliRunner()


def ratings_file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "cs_ratings.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return ratings_file(
        tmp_path,
        [
            # yesterday (T = 2026-11-20)
            "2026-11-19 09:00:00,店:小王,5,专业，态度好,平台自动邀评,b1",
            "2026-11-19 10:00:00,店:小王,3,回复慢|态度好,客服邀评,b2",
            "2026-11-19 11:00:00,店:阿杰,4,,消费者自主评价,b3",
            "2026-11-19 12:00:00,服务助手,5,解决问题,消费者自主评价,b4",
            "2026-11-19 13:00:00,服务助手,1,答非所问,平台自动邀评,b5",
            # earlier in the week
            "2026-11-15 09:00:00,店:阿杰,2,态度差、回复慢,平台自动邀评,b6",
            "2026-11-14 09:00:00,服务助手,3,,消费者自主评价,b7",
            # today: outside every default period
            "2026-11-20 08:00:00,店:小王,1,,平台自动邀评,b8",
        ],
    )


def invoke(*args: str) -> object:
    return runner.invoke(app, ["score", "cs", *args])


def json_of(*args: str) -> dict:  # type: ignore[type-arg]
    result = invoke(*args, "-f", "json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return json.loads(result.stdout)  # type: ignore[attr-defined]


def test_default_period_is_yesterday_and_json_contract(small: Path) -> None:
    data = json_of("--cs-ratings", str(small), "--as-of", "2026-11-20")
    assert data["as_of"] == "2026-11-20"
    assert data["period"] == {"start": "2026-11-19", "end": "2026-11-19", "days": 1}
    # human: 5 + 3 + 4 = 12 / 3
    assert (data["human"]["count"], data["human"]["average"]) == (3, 4.0)
    # bot: only the buyer-initiated 5; the 平台自动邀评 1 is not counted
    assert (data["bot"]["count"], data["bot"]["average"]) == (1, 5.0)
    assert data["excluded"] == {"human_other_source": 0, "bot_other_source": 1, "no_score": 0}
    assert [
        (a["account"], a["count"], a["average"], a["tags"], a["no_tags"]) for a in data["accounts"]
    ] == [
        ("服务助手", 1, 5.0, {"解决问题": 1}, False),
        ("店:小王", 2, 4.0, {"态度好": 2, "专业": 1, "回复慢": 1}, False),
        ("店:阿杰", 1, 4.0, {}, True),
    ]
    assert data["daily"] == []  # a single day has no trend
    assert data["input_warnings"] == []


def test_last_7_is_the_week_ending_yesterday_with_a_daily_trend(small: Path) -> None:
    data = json_of("--cs-ratings", str(small), "--as-of", "2026-11-20", "--last", "7")
    assert data["period"] == {"start": "2026-11-13", "end": "2026-11-19", "days": 7}
    # human 5 + 3 + 4 + 2 = 14 / 4 = 3.5; bot 5 + 3 = 8 / 2 = 4.0
    assert (data["human"]["count"], data["human"]["average"]) == (4, 3.5)
    assert (data["bot"]["count"], data["bot"]["average"]) == (2, 4.0)
    assert len(data["daily"]) == 7
    assert data["daily"][1] == {
        "date": "2026-11-14",
        "human": {"count": 0, "average": None},
        "bot": {"count": 1, "average": 3.0},
    }
    assert data["daily"][6]["human"] == {"count": 3, "average": 4.0}
    # low ratings (≤ 3): 3 (回复慢, 态度好), 2 (态度差, 回复慢), bot 3 (no tags)
    assert data["diagnosis"]["low_ratings"] == 3
    assert data["diagnosis"]["low_rating_tags"] == {"回复慢": 2, "态度好": 1, "态度差": 1}


def test_day_option(small: Path) -> None:
    data = json_of("--cs-ratings", str(small), "--as-of", "2026-11-20", "--day", "2026-11-15")
    assert (data["human"]["count"], data["human"]["average"]) == (1, 2.0)
    assert data["accounts"] == [
        {
            "account": "店:阿杰",
            "is_bot": False,
            "count": 1,
            "average": 2.0,
            "low": 1,
            "tags": {"态度差": 1, "回复慢": 1},
            "no_tags": False,
        }
    ]


def test_table_lists_the_bot_first_and_marks_accounts_without_tags(small: Path) -> None:
    result = invoke("--cs-ratings", str(small), "--as-of", "2026-11-20")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "人工客服: 评价次数 3 · 评价平均分 4.00" in out
    assert "机器人 服务助手: 评价次数 1 · 评价平均分 5.00" in out
    rows = [line for line in out.splitlines() if line.startswith("│")]
    assert "服务助手" in rows[0] and "店:小王" in rows[1] and "店:阿杰" in rows[2]
    assert "暂无标签评价" in rows[2]
    assert "暂无标签评价" not in rows[1]


def test_csv_is_the_account_table(small: Path) -> None:
    result = invoke("--cs-ratings", str(small), "--as-of", "2026-11-20", "-f", "csv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "客服子账号,评价次数,评价平均分,≤3分,标签"
    # The averages with the two decimals the table shows (SPEC §14).
    assert lines[1] == "服务助手,1,5.00,0,解决问题:1"
    assert lines[3] == "店:阿杰,1,4.00,0,暂无标签评价"


def test_english_labels(small: Path) -> None:
    result = invoke("--cs-ratings", str(small), "--as-of", "2026-11-20", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Human service: 3 ratings · average 4.00" in result.stdout
    assert "Ratings by sub-account" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--last", "91"], "period is 91 days; the longest is 90 (最长可显示3个月)"),
        (["--from", "2026-08-22", "--to", "2026-11-20"], "period is 91 days; the longest is 90"),
        (["--from", "2026-11-01"], "--from and --to go together"),
        (["--day", "2026-11-01", "--last", "7"], "give one period: --day or --last, not both"),
        (["--day", "2026-11-21"], "after the report date 2026-11-20"),
        (["--day", "2026/11/01x"], "--day: not a date in the form YYYY-MM-DD"),
        (["--account", "小张"], "--account: no ratings of '小张' in the export"),
    ],
)
def test_usage_errors_exit_2_with_one_line(small: Path, args: list[str], message: str) -> None:
    result = invoke("--cs-ratings", str(small), "--as-of", "2026-11-20", *args)
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith("tmall: error: ")
    assert message in first
    assert "Traceback" not in result.stderr


def test_ninety_days_is_allowed(small: Path) -> None:
    data = json_of("--cs-ratings", str(small), "--as-of", "2026-11-20", "--last", "90")
    assert data["period"] == {"start": "2026-08-22", "end": "2026-11-19", "days": 90}
    assert data["human"]["count"] == 4


def test_account_filter_by_short_name(small: Path) -> None:
    data = json_of(
        "--cs-ratings", str(small), "--as-of", "2026-11-20", "--last", "7", "--account", "阿杰"
    )
    assert data["account_filter"] == "店:阿杰"
    assert [(a["account"], a["count"], a["average"]) for a in data["accounts"]] == [
        ("店:阿杰", 2, 3.0)
    ]
    assert data["human"]["count"] == 4  # the totals stay shop-wide


def test_check_uses_config_target_and_min_average_overrides_it(small: Path) -> None:
    base = ["--cs-ratings", str(small), "--as-of", "2026-11-20", "--last", "7", "--check"]
    # human average 3.5 < 4.5 (cs.min_average in the shipped config)
    result = invoke(*base)
    assert result.exit_code == 1
    assert "人工客服平均分 3.50 低于目标 4.5" in result.stdout
    assert invoke(*base, "--min-average", "3.5").exit_code == 0  # not below: equal
    assert invoke(*base, "--min-average", "3.51").exit_code == 1
    data = json.loads(invoke(*base, "--min-average", "3.51", "-f", "json").stdout)
    assert data["min_average"] == 3.51 and data["below_min_average"] is True


def test_check_without_a_target_is_a_usage_error(small: Path, tmp_path: Path) -> None:
    config = tmp_path / "my.yaml"
    config.write_text("cs:\n  min_average: null\n", encoding="utf-8")
    args = ["--cs-ratings", str(small), "--as-of", "2026-11-20", "--config", str(config)]
    assert invoke(*args).exit_code == 0
    result = invoke(*args, "--check")
    assert result.exit_code == 2
    assert "--check needs a target" in result.stderr


def test_missing_input_is_a_usage_error() -> None:
    result = invoke("--as-of", "2026-11-20")
    assert result.exit_code == 2
    assert "--cs-ratings" in result.stderr


# --------------------------------------------------------------------------- sample_data


def test_sample_shop_over_the_whole_export() -> None:
    # cs_ratings.csv runs 2026-09-23 … 2026-11-20 (59 days); numbers checked by hand with csv.
    data = json_of(
        "--dir", str(SAMPLE), "--as-of", "2026-11-20", "--from", "2026-09-23", "--to", "2026-11-20"
    )
    assert (data["human"]["count"], data["human"]["average"]) == (100, 4.37)  # 437 / 100
    # 服务助手 has 21 ratings, 4 of them 平台自动邀评: 17 count, 74 / 17 = 4.3529
    assert (data["bot"]["count"], data["bot"]["average"]) == (17, 74 / 17)
    assert data["excluded"]["bot_other_source"] == 4
    accounts = {a["account"]: a for a in data["accounts"]}
    assert [a["account"] for a in data["accounts"]] == [
        "服务助手",
        "木槿生活旗舰店:小李",
        "木槿生活旗舰店:阿May",
        "木槿生活旗舰店:小王",
        "木槿生活旗舰店:阿杰",
        "木槿生活旗舰店:晴天",
    ]
    xiaoli = accounts["木槿生活旗舰店:小李"]
    assert (xiaoli["count"], xiaoli["average"]) == (32, 4.03125)  # 129 / 32, in full
    ajie = accounts["木槿生活旗舰店:阿杰"]
    assert (ajie["count"], ajie["tags"], ajie["no_tags"]) == (13, {}, True)
    lowest = data["diagnosis"]["lowest_accounts"]
    assert lowest[0]["account"] == "木槿生活旗舰店:小李"
    assert data["diagnosis"]["low_ratings"] == 19
    assert list(data["diagnosis"]["low_rating_tags"].items())[:2] == [("回复慢", 4), ("不专业", 3)]
    assert len(data["daily"]) == 59


def test_sample_shop_last_30_days() -> None:
    data = json_of("--dir", str(SAMPLE), "--as-of", "2026-11-20", "--last", "30")
    assert data["period"] == {"start": "2026-10-21", "end": "2026-11-19", "days": 30}
    assert (data["human"]["count"], data["human"]["average"]) == (57, 243 / 57)
    assert (data["bot"]["count"], data["bot"]["average"]) == (10, 4.1)
    assert data["excluded"]["bot_other_source"] == 3
    counts = [(a["account"], a["count"], a["average"]) for a in data["accounts"]]
    assert counts == [
        ("服务助手", 10, 4.1),
        ("木槿生活旗舰店:小李", 17, 65 / 17),
        ("木槿生活旗舰店:阿May", 17, 84 / 17),
        ("木槿生活旗舰店:小王", 12, 4.25),
        ("木槿生活旗舰店:阿杰", 8, 4.125),
        ("木槿生活旗舰店:晴天", 3, 10 / 3),
    ]
    # 晴天 (3 ratings) is below min_ratings 5: 小李 is the lowest ranked
    assert [a["account"] for a in data["diagnosis"]["lowest_accounts"]][:2] == [
        "木槿生活旗舰店:小李",
        "服务助手",
    ]


def test_a_bad_cs_config_value_is_one_line_naming_the_key(small: Path, tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("cs:\n  min_average: 6\n", encoding="utf-8")
    result = invoke("--cs-ratings", str(small), "--as-of", "2026-11-20", "--config", str(config))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "tmall: error: config: cs.min_average: must be between 1 and 5 (got 6)"
    )
