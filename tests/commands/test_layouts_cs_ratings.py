"""客服评价 as SPEC §2.1 lays it out (tests/data/layouts/cs_ratings.py): graded in words, and
the open-platform form with codes. The word and code mappings live in config (cs.*)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tests.conftest import REPO
from tmallcli.cli import app

FILES = REPO / "tests" / "data" / "layouts" / "files" / "cs_ratings"
WORDS = FILES / "客服评价_导出.csv"
OPEN = FILES / "open_platform_ratings.csv"
runner = CliRunner()


def score_cs(path: Path, *extra: str) -> tuple[int, dict[str, Any], str]:
    period = ["--as-of", "2026-11-20", "--last", "7"]
    result = runner.invoke(
        app, ["score", "cs", "--cs-ratings", str(path), *period, *extra, "-f", "json"]
    )
    data = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, data, result.stderr


def accounts(data: dict[str, Any]) -> list[tuple[str, int, float, dict[str, int]]]:
    return [(a["account"], a["count"], a["average"], a["tags"]) for a in data["accounts"]]


def test_both_forms_are_recognised_by_their_headers() -> None:
    for path in (WORDS, OPEN):
        result = runner.invoke(app, ["data", "check", str(path), "-f", "json"])
        assert result.exit_code == 0, result.output
        assert [f["kind"] for f in json.loads(result.stdout)["files"]] == ["cs_ratings"]


def test_grades_in_words() -> None:
    code, data, stderr = score_cs(WORDS)
    assert code == 0, stderr
    # human: 非常满意 5 + 满意 4 + 一般 3 (小王) + 不满意 2 (系统邀评) + 非常不满意 1 (小李) = 15 / 5
    assert (data["human"]["count"], data["human"]["total"], data["human"]["average"]) == (
        5,
        15,
        3.0,
    )
    # the bot: 非常满意 of 消费者自主评价 only; its 平台自动邀评 rating is not its source
    assert (data["bot"]["count"], data["bot"]["average"]) == (1, 5.0)
    assert data["excluded"]["bot_other_source"] == 1
    # 很满意 is no word the config knows: left out and named
    assert data["excluded"]["no_score"] == 1
    assert [w["code"] for w in data["warnings"]] == ["unrecognised_grade"]
    assert "很满意 (1)" in data["warnings"][0]["message"] and "很满意" in stderr
    assert accounts(data) == [
        ("服务助手", 1, 5.0, {}),
        ("木槿生活旗舰店:小王", 3, 4.0, {}),  # (5 + 4 + 3) / 3
        ("木槿生活旗舰店:小李", 2, 1.5, {}),  # (2 + 1) / 2
    ]


def test_a_word_mapped_in_the_users_config_counts(tmp_path: Path) -> None:
    config = tmp_path / "tmall.yaml"
    config.write_text(
        'cs:\n  score_words: {"5": [非常满意, 很满意], "4": [满意], "3": [一般], "2": [不满意],'
        ' "1": [非常不满意]}\n',
        encoding="utf-8",
    )
    code, data, stderr = score_cs(WORDS, "--config", str(config))
    assert code == 0, stderr
    assert (data["human"]["count"], data["human"]["total"]) == (6, 20)  # + 小李's 很满意 5
    assert data["human"]["average"] == 20 / 6
    assert data["warnings"] == []


def test_a_bad_grade_in_the_config_names_its_key_path(tmp_path: Path) -> None:
    config = tmp_path / "tmall.yaml"
    config.write_text("cs:\n  score_codes: {0: 6}\n", encoding="utf-8")
    code, _, stderr = score_cs(WORDS, "--config", str(config))
    assert code == 2
    assert "config: cs.score_codes.0: must be between 1 and 5 (got 6)" in stderr
    config.write_text("cs:\n  score_words: {6: [超级满意]}\n", encoding="utf-8")
    code, _, stderr = score_cs(WORDS, "--config", str(config))
    assert code == 2
    assert "config: cs.score_words.6" in stderr and "must be a score from 1 to 5" in stderr


def test_open_platform_codes() -> None:
    code, data, stderr = score_cs(OPEN)
    assert code == 0, stderr
    # 评分 0 → 5 (客服邀评), 1 → 4 (系统邀评), 4 → 1 (消费者自主评价): 10 / 3
    assert (data["human"]["count"], data["human"]["total"], data["human"]["average"]) == (
        3,
        10,
        10 / 3,
    )
    # the bot: code 2 → 3, source 1 = 消费者自主评价
    assert (data["bot"]["count"], data["bot"]["average"]) == (1, 3.0)
    # `cntaobao` stripped from the accounts
    assert accounts(data) == [
        ("服务助手", 1, 3.0, {}),
        ("木槿生活旗舰店:小王", 2, 4.5, {"专业": 1, "响应快": 1, "耐心": 1}),
        ("木槿生活旗舰店:小张", 1, 1.0, {"答非所问": 1}),
    ]
    assert data["warnings"] == []


def test_a_grade_out_of_range_is_a_bad_value_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "cs.csv"
    path.write_text(
        "客服子账号,评价时间,评价来源,评价结果\n店:小王,2026-11-19 10:00:00,平台自动邀评,7\n",
        encoding="utf-8",
    )
    code, _, stderr = score_cs(path)
    assert code == 2
    assert "cs.csv:2: column 评价结果" in stderr and "'7'" in stderr
