"""SPEC §14 "Placeholder numbers": a threshold, weight or scale the platform does not publish
(``# illustrative`` in default.yaml) and the user did not replace is shown with ※ and a note,
and JSON says each verdict's ``threshold_source``; ``tmall config show`` gives every value's
origin."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from tests.conftest import REPO
from tmallcli.cli import app

runner = CliRunner()
SAMPLE = REPO / "sample_data"
AS_OF = ["--as-of", "2026-11-20"]
SERVICE = ["score", "service", "--dir", str(SAMPLE), *AS_OF]
NOTE = "※ 示例值: set your category's published values in tmall.yaml"


def write_config(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "tmall.yaml"
    path.write_text(text, encoding="utf-8")
    return ["--config", str(path)]


def all_of_the_default_category(tmp_path: Path, threshold: float) -> list[str]:
    """A user file restating every weight and scale of 默认 (the shipped numbers) and its own
    threshold: nothing of the total rests on a placeholder any more."""
    shipped = yaml.safe_load((REPO / "tmallcli" / "data" / "default.yaml").read_text("utf-8"))
    block = shipped["service_score"]["categories"]["默认"]
    mine = {
        "threshold": threshold,
        "weights": block["weights"],
        "metrics": {
            key: {"weight": metric["weight"], "scale": metric["scale"]}
            for key, metric in block["metrics"].items()
        },
    }
    text = yaml.safe_dump(
        {"service_score": {"categories": {"默认": mine}}}, allow_unicode=True, sort_keys=False
    )
    return write_config(tmp_path, text)


# ------------------------------------------------------------------ score service


def test_the_default_threshold_is_illustrative_and_marked() -> None:
    result = runner.invoke(app, [*SERVICE, "-f", "json"])
    data = json.loads(result.stdout)
    assert data["threshold"] == 4.0 and data["threshold_source"] == "illustrative"
    pickup = data["metrics"]["pickup_24h_rate"]
    assert pickup["weight_source"] == "illustrative"
    assert pickup["scale_source"] == "illustrative"
    table = runner.invoke(app, SERVICE).stdout
    assert "总分 2.95 / 5  ·  活动门槛 4.00※  ·  未达标" in table
    assert "│ 2.29※ │" in table  # the pickup rate's score, from an illustrative scale
    assert NOTE in table
    en = runner.invoke(app, [*SERVICE, "--lang", "en"]).stdout
    assert "threshold 4.00※" in en
    assert "※ illustrative value: set your category's published values in tmall.yaml" in en


def test_a_threshold_the_user_sets_is_config_and_unmarked(tmp_path: Path) -> None:
    config = write_config(
        tmp_path, "service_score:\n  categories:\n    默认:\n      threshold: 3.5\n"
    )
    data = json.loads(runner.invoke(app, [*SERVICE, *config, "-f", "json"]).stdout)
    assert data["threshold"] == 3.5 and data["threshold_source"] == "config"
    assert data["metrics"]["pickup_24h_rate"]["scale_source"] == "illustrative"
    table = runner.invoke(app, [*SERVICE, *config]).stdout
    assert "活动门槛 3.50  ·  未达标" in table and "3.50※" not in table
    assert NOTE in table  # the weights and scales are still the shipped placeholders


def test_no_mark_when_every_number_is_the_users(tmp_path: Path) -> None:
    config = all_of_the_default_category(tmp_path, 4.0)
    data = json.loads(runner.invoke(app, [*SERVICE, *config, "-f", "json"]).stdout)
    assert data["threshold_source"] == "config"
    assert data["total_display"] == "2.95"  # the same numbers, now the seller's own
    assert {m["weight_source"] for m in data["metrics"].values()} == {"config"}
    assert {m["scale_source"] for m in data["metrics"].values()} == {"config"}
    table = runner.invoke(app, [*SERVICE, *config]).stdout
    assert "※" not in table


# ------------------------------------------------------------------ the other verdicts


def test_each_commands_verdict_names_its_threshold_source(tmp_path: Path) -> None:
    def source(*args: str) -> str | None:
        result = runner.invoke(app, [*args, *AS_OF, "-f", "json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["threshold_source"]

    # 4.4 / 4.6 and 72 h are platform rules (SPEC §3, §8); cs.min_average and
    # reviews.reply_within_hours are shipped placeholders.
    assert source("score", "dsr", "--reviews", str(SAMPLE / "reviews.csv")) == "platform"
    assert source("audit", "refunds", "--refunds", str(SAMPLE / "refunds.csv")) == "platform"
    cs = ("score", "cs", "--cs-ratings", str(SAMPLE / "cs_ratings.csv"), "--last", "30")
    assert source(*cs) == "illustrative"
    assert source(*cs, "--min-average", "4.0") == "config"
    triage = ("reviews", "triage", "--reviews", str(SAMPLE / "reviews.csv"))
    assert source(*triage) == "illustrative"
    config = write_config(tmp_path, "reviews:\n  reply_within_hours: 12\n")
    assert source(*triage, *config) == "config"


def test_cs_and_triage_tables_mark_their_placeholder_threshold() -> None:
    cs = runner.invoke(
        app, ["score", "cs", "--cs-ratings", str(SAMPLE / "cs_ratings.csv"), "--last", "30", *AS_OF]
    ).stdout
    assert "⚠ 人工客服平均分 4.26 低于目标 4.5※" in cs and NOTE in cs
    triage = runner.invoke(
        app, ["reviews", "triage", "--reviews", str(SAMPLE / "reviews.csv"), *AS_OF]
    ).stdout
    assert "⚠ 超过24※小时未回复: 6" in triage and NOTE in triage


def test_the_report_names_each_verdicts_source(sample_report) -> None:  # type: ignore[no-untyped-def]
    data = sample_report.json
    sources = {line["key"]: line["threshold_source"] for line in data["summary"]["scores"]}
    assert sources == {
        "service_total": "illustrative",
        "dsr.description": "platform",
        "dsr.service": "platform",
        "dsr.logistics": "platform",
        "pickup_24h_rate": None,
        "refund_only_hours": None,
        "return_refund_hours": None,
        "response_rate": None,
        "human_response_seconds": None,
        "dispute_refund_rate": None,
        "complaint_rate": None,
        "cs_average": "illustrative",
        "good_rate": None,
        "refunds_72h": "platform",
        "reviews_overdue": "illustrative",
    }
    # Each section as its own command gives it.
    assert data["service"]["threshold_source"] == "illustrative"
    assert data["dsr"]["threshold_source"] == "platform"
    assert data["cs"]["threshold_source"] == "illustrative"
    assert data["triage"]["threshold_source"] == "illustrative"
    assert data["refunds"]["threshold_source"] == "platform"


def test_the_report_table_marks_placeholders(tmp_path: Path) -> None:
    out = runner.invoke(app, ["report", "--dir", str(SAMPLE), *AS_OF]).stdout
    assert "≥ 4.00※" in out and "≥ 4.50※" in out and "2.29※" in out
    assert "≥ 4.6 " in out and "≥ 4.6※" not in out  # the DSR flags' 4.6 is a platform rule
    assert NOTE in out
    config = all_of_the_default_category(tmp_path, 4.0)
    (tmp_path / "tmall.yaml").write_text(
        (tmp_path / "tmall.yaml").read_text("utf-8")
        + "cs:\n  min_average: 4.5\nreviews:\n  reply_within_hours: 24\n",
        encoding="utf-8",
    )
    mine = runner.invoke(app, ["report", "--dir", str(SAMPLE), *AS_OF, *config]).stdout
    assert "≥ 4.00 " in mine and "※" not in mine


# ------------------------------------------------------------------ config show


def test_config_show_yaml_gives_each_values_origin(tmp_path: Path) -> None:
    config = write_config(
        tmp_path, "service_score:\n  categories:\n    默认:\n      threshold: 3.5\n"
    )
    result = runner.invoke(app, ["config", "show", *config])
    assert result.exit_code == 0, result.output
    out = result.stdout
    user = f"# user: {tmp_path / 'tmall.yaml'}"
    assert "    search_demotion: 4.4  # default\n" in out
    assert "  min_average: 4.5  # illustrative\n" in out
    assert f"      threshold: 3.5  {user}\n" in out
    assert "      threshold: 4.2  # illustrative\n" in out  # 女装's own
    # The output is the merged config, as YAML.
    shown = yaml.safe_load(out)
    assert shown["service_score"]["categories"]["默认"]["threshold"] == 3.5
    assert shown["service_score"]["categories"]["女装"]["inherit"] == "默认"
    assert shown["cs"]["score_words"]["5"] == ["非常满意"]


def test_config_show_json_and_one_category(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        "service_score:\n  categories:\n    默认:\n      metrics:\n"
        "        pickup_24h_rate:\n          scale: [[0.8, 0], [0.99, 5]]\n",
    )
    result = runner.invoke(app, ["config", "show", *config, "--category", "女装", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["category"] == "女装" and data["user_file"] == str(tmp_path / "tmall.yaml")
    values = {v["key"]: (v["value"], v["origin"]) for v in data["values"]}
    assert values["dsr.thresholds.activity_ineligible"] == (4.6, "default")
    assert values["service_score.categories.女装.threshold"] == (4.2, "illustrative")
    # Inherited from 默认, where the user replaced it.
    assert values["service_score.categories.女装.metrics.pickup_24h_rate.scale"] == (
        [[0.8, 0], [0.99, 5]],
        "user",
    )
    assert not any(key.startswith("service_score.categories.默认.") for key in values)
    entry = next(v for v in data["values"] if v["key"] == "cs.min_average")
    assert entry == {"path": ["cs", "min_average"], "key": "cs.min_average", "value": 4.5,
                     "origin": "illustrative"}  # fmt: skip


def test_config_show_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    unknown = runner.invoke(app, ["config", "show", "--category", "家电"])
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith(
        "tmall: error: config: service_score.categories: unknown category '家电'"
    )
    clash = runner.invoke(app, ["config", "show", "-f", "yaml", "-o", str(tmp_path / "c.json")])
    assert clash.exit_code == 2 and "contradicts the output file" in clash.stderr
    written = runner.invoke(app, ["config", "show", "-o", str(tmp_path / "c.json")])
    assert written.exit_code == 0
    assert json.loads((tmp_path / "c.json").read_text("utf-8"))["user_file"] is None
