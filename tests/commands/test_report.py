"""`tmall report` and `tmall demo` (SPEC §11) end to end: every section equal to its own
command, the to-do counts, --check, the HTML file, and the errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO, SampleReport
from tmallcli.cli import app

runner = CliRunner()
SAMPLE = str(REPO / "sample_data")
AS_OF = ["--as-of", "2026-11-20"]

# Each section of the report and the command that gives the same JSON on its own.
COMMANDS = {
    "service": ["score", "service"],
    "dsr": ["score", "dsr"],
    "pickup": ["audit", "pickup"],
    "response": ["audit", "response"],
    "refunds": ["audit", "refunds"],
    "compensation": ["compensate", "late-orders"],
    "cs": ["score", "cs", "--last", "30"],
    "triage": ["reviews", "triage"],
}


def command_json(args: list[str]) -> dict:
    result = runner.invoke(app, [*args, "--dir", SAMPLE, *AS_OF, "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    data.pop("input_warnings")
    # What the run read and which of it is stale (SPEC §14): the run's, as input_warnings.
    data.pop("inputs")
    data.pop("stale")
    return data


@pytest.fixture
def report(sample_report: SampleReport) -> dict:
    return sample_report.json


@pytest.fixture(scope="module")
def commands() -> dict[str, dict]:
    return {key: command_json(args) for key, args in COMMANDS.items()}


def test_json_has_every_section_and_the_summary(report: dict) -> None:
    assert {
        "as_of",
        "category",
        "files",
        "ignored",
        "skipped",
        "summary",
        "todo",
        "dsr_trend",
        "input_warnings",
        "warnings",  # SPEC §2.1: what the exports lacked (none in the sample)
        "title",  # SPEC §14: the shop (when known) and the category
        "shop",
        "shop_source",
        "inputs",  # SPEC §14 freshness: each export's newest row, and the stale ones
        "stale",
        *COMMANDS,
    } == set(report)
    assert report["as_of"] == "2026-11-20" and report["category"] == "默认"
    assert report["skipped"] == {} and report["warnings"] == []
    assert report["files"]["orders"] == [f"{SAMPLE}/ExportOrderList20261120.csv"]
    assert report["ignored"] == [
        {
            "file": f"{SAMPLE}/manifest.json",
            "reason": "not an export file (.csv, .txt, .xlsx, .xls)",
        }
    ]


@pytest.mark.parametrize("section", list(COMMANDS))
def test_each_section_equals_its_command(
    report: dict, commands: dict[str, dict], section: str
) -> None:
    assert report[section] == commands[section]


def test_todo_counts_are_the_commands_numbers(report: dict, commands: dict[str, dict]) -> None:
    todo = report["todo"]
    pickup, comp = commands["pickup"], commands["compensation"]
    assert todo["orders_to_chase"]["count"] == len(pickup["watchlist"]) == 12
    assert todo["orders_to_chase"]["compensation_fen"] == sum(
        w["compensation_fen"] for w in pickup["watchlist"]
    )
    assert (
        todo["orders_to_chase"]["late_shipment_risk"]
        == (pickup["watchlist_summary"]["late_shipment_risk"])
    )
    assert todo["payouts_due"]["count"] == len(comp["payouts"]) == 48
    assert todo["payouts_due"]["total_fen"] == comp["total_fen"] == 299413
    assert todo["payouts_due"]["total"] == comp["total"] == "2994.13"
    assert todo["reviews_to_answer"]["count"] == commands["triage"]["unanswered"] == 7
    assert todo["reviews_to_answer"]["overdue"] == commands["triage"]["overdue"] == 6
    waiting = commands["refunds"]["waiting"]
    assert todo["refunds_waiting"]["count"] == len(waiting) == 7
    assert todo["refunds_waiting"]["past_72h"] == 4
    assert todo["refunds_waiting"]["past_72h"] == sum(w["intervention_risk"] for w in waiting)


def test_summary_scores_are_the_commands_numbers(report: dict, commands: dict[str, dict]) -> None:
    summary = report["summary"]
    scores = {s["key"]: s for s in summary["scores"]}
    service = commands["service"]
    assert scores["service_total"]["value"] == service["total"]
    assert scores["service_total"]["display"] == service["total_display"] == "2.95"
    assert scores["service_total"]["threshold"] == service["threshold"] == 4.0
    for key, dim in commands["dsr"]["dimensions"].items():
        assert scores[f"dsr.{key}"]["value"] == dim["score"]
        assert scores[f"dsr.{key}"]["passed"] is (not dim["flags"])
    assert scores["pickup_24h_rate"]["value"] == commands["pickup"]["rate"]
    assert scores["cs_average"]["value"] == commands["cs"]["human"]["average"]
    assert scores["cs_average"]["passed"] is (not commands["cs"]["below_min_average"])
    assert scores["good_rate"]["value"] == commands["triage"]["good_rate"]
    assert [w["metric"] for w in summary["worst"]] == service["worst"][:3]
    for worst in summary["worst"]:
        assert worst["points_lost"] == service["metrics"][worst["metric"]]["points_lost"]
        assert worst["evidence_rows"] == service["metrics"][worst["metric"]]["evidence"]
    assert summary["failed"] == ["service_total", "cs_average", "refunds_72h", "reviews_overdue"]
    assert summary["passed"] is False


def test_dsr_trend_in_json(report: dict) -> None:
    trend = report["dsr_trend"]
    points = {p["offset"]: p for p in trend["points"]}
    assert points[0]["date"] == "2026-11-20"
    assert points[0]["scores"] == {k: d["score"] for k, d in report["dsr"]["dimensions"].items()}
    for roll in report["dsr"]["rolloff"]:
        assert points[roll["days"]]["scores"] == roll["scores"]
    assert trend["complete_from"] == "2026-11-03"


def test_table_is_one_screen_with_files_on_stderr() -> None:
    result = runner.invoke(app, ["report", "--dir", SAMPLE, *AS_OF])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in (
        "店铺体检报告",
        "基础服务考核分",
        "2.95",
        "✗ 未达标",
        "失分最多的 3 项",
        "今日待办",
    ):
        assert text in out, text
    assert "待发延迟发货赔付" in out and "2994.13" in out
    assert len(out.splitlines()) < 60
    err = result.stderr
    assert f"tmall: orders: {SAMPLE}/ExportOrderList20261120.csv" in err
    assert f"tmall: ignored {SAMPLE}/manifest.json" in err
    assert "tmall:" not in out


def test_check_exits_1_on_the_sample_shop() -> None:
    # The sample's service score is 2.95 < 4.0 (and more checks fail).
    result = runner.invoke(app, ["report", "--dir", SAMPLE, *AS_OF, "--check", "-f", "json"])
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["summary"]["failed"][0] == "service_total"


def test_check_passes_when_every_check_passes(tmp_path: Path) -> None:
    # Ratings only, from a lenient config: nothing to fail.
    shutil.copy(REPO / "sample_data" / "cs_ratings.csv", tmp_path / "cs.csv")
    (tmp_path / "tmall.yaml").write_text("cs:\n  min_average: 1.0\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "report",
            "--dir",
            str(tmp_path),
            *AS_OF,
            "--check",
            "--config",
            str(tmp_path / "tmall.yaml"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "✓ 全部达标" in result.stdout
    assert "service: skipped" in result.stderr


def test_out_writes_the_html_atomically(tmp_path: Path) -> None:
    """``--out`` is the older name of ``-o``: an .html file is the page, and the one-screen
    summary is still printed (SPEC §14: one output option)."""
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--dir", SAMPLE, *AS_OF, "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "店铺体检报告" in page
    assert page.count("<svg") == 10  # five charts, each for the page and for a phone
    assert f"wrote {out}" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temp file left
    assert "基础服务考核分" in result.stdout and "2.95" in result.stdout


def test_no_html_without_out(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--dir", SAMPLE, *AS_OF, "-f", "json"])
    assert result.exit_code == 0
    assert list(tmp_path.iterdir()) == []  # the test's working folder


def test_markdown_and_csv(tmp_path: Path) -> None:
    md = runner.invoke(app, ["report", "--dir", SAMPLE, *AS_OF, "-f", "md"])
    assert md.exit_code == 0 and md.stdout.startswith("# 店铺体检报告")
    assert "| 基础服务考核分 | 2.95 |" in md.stdout
    csv = runner.invoke(app, ["report", "--dir", SAMPLE, *AS_OF, "-f", "csv"])
    # The value column mixes units (a score, a rate, hours): the CSV gives them a column.
    lines = csv.stdout.splitlines()
    assert csv.exit_code == 0 and lines[0] == "项目,数值,数值 单位,得分,门槛,结果"
    assert "24小时揽收及时率,90.95,%,2.29,," in lines


def test_english_labels() -> None:
    result = runner.invoke(app, ["report", "--dir", SAMPLE, *AS_OF, "--lang", "en"])
    assert result.exit_code == 0
    assert "Shop health report" in result.stdout and "To do today" in result.stdout


def test_missing_folder_is_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--dir", str(tmp_path / "nope"), *AS_OF])
    assert result.exit_code == 2
    assert result.stderr == f"tmall: error: {tmp_path / 'nope'}: no such folder\n"
    assert result.stdout == ""


def test_empty_folder_is_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "exports"
    empty.mkdir()
    result = runner.invoke(app, ["report", "--dir", str(empty), *AS_OF])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"tmall: error: {empty}: folder holds no export")
    assert len(result.stderr.splitlines()) == 1


def test_folder_without_any_export_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "readme.csv").write_text("名称,数量\n枕头,3\n", encoding="utf-8")
    result = runner.invoke(app, ["report", "--dir", str(tmp_path), *AS_OF])
    assert result.exit_code == 2
    assert "folder holds no seller-center export recognised by its headers" in result.stderr


def test_dir_is_required() -> None:
    result = runner.invoke(app, ["report", *AS_OF])
    assert result.exit_code == 2
    assert result.stderr == "tmall: error: give the folder of exports: --dir DIR\n"


def test_unwritable_out_fails_before_the_work(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["report", "--dir", SAMPLE, *AS_OF, "--out", str(tmp_path / "no" / "r.html")]
    )
    assert result.exit_code == 2
    assert "cannot write the output" in result.stderr
    assert "tmall: orders:" not in result.stderr


def test_demo_writes_the_html_in_the_current_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "tmall-demo-report.html").read_text(encoding="utf-8")
    assert "店铺体检报告 · 默认 · 2026-11-20" in page  # the sample's as-of, from its manifest
    assert "wrote tmall-demo-report.html" in result.stderr
    assert "基础服务考核分" in result.stdout and "2.95" in result.stdout


def test_demo_json_equals_report_on_the_sample(tmp_path: Path, report: dict) -> None:
    result = runner.invoke(app, ["demo", "-f", "json"])
    assert result.exit_code == 0, result.output
    demo = json.loads(result.stdout)
    for key in (*COMMANDS, "summary", "todo"):
        assert demo[key] == report[key], key


def test_demo_without_sample_data_regenerates_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, report: dict
) -> None:
    """A wheel install has no sample_data/ next to the package: the same shop is generated."""
    import tmallcli
    from tmallcli.commands.report import sample_folder

    fake = tmp_path / "site-packages" / "tmallcli" / "__init__.py"
    fake.parent.mkdir(parents=True)
    monkeypatch.setattr(tmallcli, "__file__", str(fake))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    folder, as_of = sample_folder(scratch)
    assert folder == scratch / "sample_data" and as_of == "2026-11-20"
    for name in ("ExportOrderList20261120.csv", "reviews.csv", "logistics.csv"):
        assert (folder / name).read_bytes() == (REPO / "sample_data" / name).read_bytes()
    result = runner.invoke(app, ["demo", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"] == report["summary"]
