"""The history (SPEC §15): --history on the commands, `tmall history`, backfill, --check on a drop."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import REPO
from tmallcli.cli import app
from tmallcli.config.history import HISTORY_METRICS
from tmallcli.history import History, HistoryError, Point, Recorded, record
from tmallcli.runs.history import drops

SAMPLE = REPO / "sample_data"
SHOP = "sample_data"  # the shop key: the --dir folder's name (no shop.name in the config)
NOW = datetime(2026, 11, 21, 8, 0)
runner = CliRunner()


def tmall(*args: str) -> Result:
    return runner.invoke(app, list(args))


def rows(path: Path) -> dict[tuple[str, str], float]:
    with sqlite3.connect(path) as conn:
        found = conn.execute("SELECT as_of, metric, value FROM figures WHERE shop = ?", (SHOP,))
        return {(as_of, metric): value for as_of, metric, value in found}


# ------------------------------------------------------------------------------ backfill


def test_backfill_equals_separate_report_runs(tmp_path: Path) -> None:
    separate, backfilled = tmp_path / "separate.db", tmp_path / "backfill.db"
    for day in ("2026-11-19", "2026-11-20"):
        done = tmall("report", "--dir", str(SAMPLE), "--as-of", day, "--history", str(separate))
        assert done.exit_code == 0, done.output
    done = tmall(
        "history", "backfill", "--dir", str(SAMPLE), "--from", "2026-11-19", "--to",
        "2026-11-20", "--history", str(backfilled), "-f", "json",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    one_by_one, at_once = rows(separate), rows(backfilled)
    assert at_once == one_by_one  # every figure of both days, to the last bit
    # Every figure but 物流评价, which the default category does not assess (24h pickup is its
    # logistics metric).
    assert sorted({m for _, m in at_once}) == sorted(
        set(HISTORY_METRICS) - {"logistics_review_score"}
    )
    # 24h pickup: 553 of 608 orders on T = 11-20, 557 of 610 on 11-19 (SPEC §4).
    assert at_once[("2026-11-20", "pickup_24h_rate")] == 553 / 608
    assert at_once[("2026-11-19", "pickup_24h_rate")] == 557 / 610
    assert round(at_once[("2026-11-20", "service_total")], 4) == 2.9543
    assert round(at_once[("2026-11-19", "service_total")], 4) == 2.9801
    assert round(at_once[("2026-11-20", "dsr_description")], 4) == 4.7377
    # What it printed: the history's shape, both days oldest first.
    printed = json.loads(done.stdout)
    assert printed["shop"] == SHOP
    assert printed["metrics"]["pickup_24h_rate"] == [
        {"as_of": "2026-11-19", "value": 557 / 610},
        {"as_of": "2026-11-20", "value": 553 / 608},
    ]


def test_backfill_needs_its_days_in_order(tmp_path: Path) -> None:
    done = tmall(
        "history", "backfill", "--dir", str(SAMPLE), "--from", "2026-11-20", "--to",
        "2026-11-19", "--history", str(tmp_path / "h.db"),
    )  # fmt: skip
    assert done.exit_code == 2
    assert done.stderr == "tmall: error: --from 2026-11-20 is after --to 2026-11-19\n"
    assert not (tmp_path / "h.db").exists()


# ------------------------------------------------------------------------------ recording


def test_a_rerun_of_the_day_replaces_its_figures(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    record(path, SHOP, date(2026, 11, 20), {"pickup_24h_rate": 0.5, "good_rate": 0.7},
           command="audit pickup", now=NOW)  # fmt: skip
    for _ in range(2):
        done = tmall("audit", "pickup", "--dir", str(SAMPLE), "--as-of", "2026-11-20",
                     "--history", str(path), "-f", "json")  # fmt: skip
        assert done.exit_code == 0, done.output
    # One row per (shop, day, figure): the rerun's value, recorded by the command; the
    # figure the command does not compute (好评率) left as it was.
    assert rows(path) == {("2026-11-20", "pickup_24h_rate"): 553 / 608,
                          ("2026-11-20", "good_rate"): 0.7}  # fmt: skip
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT command FROM figures WHERE metric = 'pickup_24h_rate'").fetchall() == [("audit pickup",)]  # fmt: skip


def test_each_command_records_what_it_computes(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    day = ("--dir", str(SAMPLE), "--as-of", "2026-11-20", "--history", str(path), "-f", "json")
    assert tmall("audit", "response", *day).exit_code == 0
    assert tmall("reviews", "triage", *day).exit_code == 0
    assert tmall("score", "cs", *day).exit_code == 0  # yesterday only: not the report's period
    assert tmall("score", "service", *day, "--set", "pickup_24h_rate=0.99").exit_code == 0
    assert tmall("audit", "pickup", *day, "--preset", "taobao_48h").exit_code == 0
    found = rows(path)
    assert sorted(m for _, m in found) == [
        "good_rate", "human_response_seconds", "response_3min_rate", "response_rate",
    ]  # fmt: skip
    assert found[("2026-11-20", "good_rate")] == 1007 / 1120
    assert tmall("score", "cs", *day, "--last", "30").exit_code == 0  # the report's period
    assert round(rows(path)[("2026-11-20", "cs_human_average")], 4) == 4.2632


def test_concurrent_runs_both_record(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    errors: list[BaseException] = []

    def write(metric: str) -> None:
        try:
            for k in range(20):
                record(path, SHOP, date(2026, 11, 1 + k), {metric: k / 100}, command="t", now=NOW)
        except BaseException as exc:  # the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(m,)) for m in ("good_rate", "response_rate")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(rows(path)) == 40


def test_a_foreign_or_newer_file_is_refused_in_one_line(tmp_path: Path) -> None:
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE customers (id)")
    done = tmall("audit", "pickup", "--dir", str(SAMPLE), "--as-of", "2026-11-20",
                 "--history", str(foreign))  # fmt: skip
    assert done.exit_code == 2
    assert done.stderr == (
        f"tmall: error: {foreign}: not a tmall history (an SQLite database with other "
        "tables: customers)\n"
    )
    newer = tmp_path / "newer.db"
    record(newer, SHOP, date(2026, 11, 19), {"good_rate": 0.9}, command="t", now=NOW)
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 9")
    with pytest.raises(HistoryError, match=r"history schema version 9 is newer than this tmall supports \(1\)"):  # fmt: skip
        record(newer, SHOP, date(2026, 11, 20), {"good_rate": 0.9}, command="t", now=NOW)
    done = tmall("history", "--history", str(tmp_path / "missing.db"))
    assert done.exit_code == 2
    assert done.stderr == f"tmall: error: {tmp_path / 'missing.db'}: no such history file\n"


# ------------------------------------------------------------------------------ tmall history


def test_history_json_shape(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    record(path, SHOP, date(2026, 11, 20), {"service_total": 2.95, "good_rate": 0.9},
           command="report", now=NOW)  # fmt: skip
    record(path, SHOP, date(2026, 11, 18), {"service_total": 3.1}, command="report", now=NOW)
    record(path, SHOP, date(2026, 11, 19), {"service_total": 3.0}, command="report", now=NOW)
    done = tmall("history", "--history", str(path), "-f", "json")
    assert done.exit_code == 0, done.output
    printed = json.loads(done.stdout)
    printed.pop("input_warnings", None)  # every command's JSON carries it
    assert printed == {
        "shop": SHOP,
        "metrics": {
            "service_total": [
                {"as_of": "2026-11-18", "value": 3.1},
                {"as_of": "2026-11-19", "value": 3.0},
                {"as_of": "2026-11-20", "value": 2.95},
            ],
            "good_rate": [{"as_of": "2026-11-20", "value": 0.9}],
        },
    }
    done = tmall("history", "--history", str(path), "--metric", "service_total",
                 "--from", "2026-11-19", "--to", "2026-11-19", "-f", "json")  # fmt: skip
    assert json.loads(done.stdout)["metrics"] == {
        "service_total": [{"as_of": "2026-11-19", "value": 3.0}]
    }
    done = tmall("history", "--history", str(path), "-f", "csv")
    assert done.stdout.splitlines() == [
        # CSV as every command writes it since issue 24: rates as percentages, a (%) column.
        "统计日期,基础服务考核分,好评率 (近180天) (%)",
        "2026-11-18,3.10,",
        "2026-11-19,3.00,",
        "2026-11-20,2.95,90.00",
    ]
    done = tmall("history", "--history", str(path), "--metric", "no_such")
    assert done.exit_code == 2
    assert done.stderr.startswith("tmall: error: --metric: unknown figure 'no_such' (known: ")


def test_history_of_several_shops_needs_shop(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    record(path, "旗舰店", date(2026, 11, 20), {"good_rate": 0.9}, command="t", now=NOW)
    record(path, "专卖店", date(2026, 11, 20), {"good_rate": 0.8}, command="t", now=NOW)
    done = tmall("history", "--history", str(path))
    assert done.exit_code == 2
    assert (
        done.stderr
        == f"tmall: error: {path} holds 2 shops: pick one with --shop (专卖店, 旗舰店)\n"
    )
    done = tmall("history", "--history", str(path), "--shop", "专卖店", "-f", "json")
    assert json.loads(done.stdout)["metrics"] == {
        "good_rate": [{"as_of": "2026-11-20", "value": 0.8}]
    }


# ------------------------------------------------------------------------------ --check


def test_check_trips_on_a_drop_since_the_previous_day(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    record(path, SHOP, date(2026, 11, 18), {"pickup_24h_rate": 0.99}, command="t", now=NOW)
    record(path, SHOP, date(2026, 11, 19), {"pickup_24h_rate": 0.95}, command="t", now=NOW)
    args = (
        "audit",
        "pickup",
        "--dir",
        str(SAMPLE),
        "--as-of",
        "2026-11-20",
        "--history",
        str(path),
    )
    done = tmall(*args, "--check")
    # 95 % → 553/608 = 90.95 %: 4.05 percentage points, past the default 2.
    assert done.exit_code == 1, done.output
    assert (
        "tmall: warning: history: pickup_24h_rate worsened by 4.046 percentage points since "
        "2026-11-19 (0.95 → 0.9095; history.max_drop.pickup_24h_rate is 2)\n"
    ) in done.stderr
    assert tmall(*args).exit_code == 0  # said, but without --check no alert
    (tmp_path / "tmall.yaml").write_text("history:\n  max_drop:\n    pickup_24h_rate: 5.0\n")
    done = tmall(*args, "--check", "--config", str(tmp_path / "tmall.yaml"))
    assert done.exit_code == 0, done.output
    assert "worsened" not in done.stderr


def test_a_lower_is_better_figure_drops_when_it_rises() -> None:
    before = Point(date(2026, 11, 19), 5.0)
    recorded = Recorded("h.db", SHOP, date(2026, 11, 20),
                        {"refund_only_hours": 17.5, "return_refund_hours": 70.0},
                        {"refund_only_hours": before, "return_refund_hours": Point(before.as_of, 80.0)})  # fmt: skip
    found = drops(recorded, {"refund_only_hours": 12.0, "return_refund_hours": 24.0})
    assert [(d.metric, d.worsening) for d in found] == [("refund_only_hours", 12.5)]
    assert found[0].message == (
        "history: refund_only_hours worsened by 12.5 hours since 2026-11-19 (5 → 17.5; "
        "history.max_drop.refund_only_hours is 12)"
    )


def test_max_drop_is_validated(tmp_path: Path) -> None:
    (tmp_path / "tmall.yaml").write_text("history:\n  max_drop:\n    pickup_rate: 2.0\n")
    done = tmall("history", "backfill", "--dir", str(SAMPLE), "--from", "2026-11-20", "--to",
                 "2026-11-20", "--history", str(tmp_path / "h.db"))  # fmt: skip
    assert done.exit_code == 2
    assert done.stderr.startswith(
        "tmall: error: config: history.max_drop.pickup_rate: unknown figure"
    )
    assert len(done.stderr.splitlines()) == 1


# ------------------------------------------------------------------------------ the HTML trend


def test_the_report_html_shows_each_score_trend(tmp_path: Path) -> None:
    path, page = tmp_path / "h.db", tmp_path / "report.html"
    record(path, SHOP, date(2026, 11, 19), {"service_total": 3.0, "dsr_description": 4.8},
           command="report", now=NOW)  # fmt: skip
    record(path, SHOP, date(2026, 8, 1), {"service_total": 1.0}, command="report", now=NOW)
    done = tmall("report", "--dir", str(SAMPLE), "--as-of", "2026-11-20", "--history", str(path),
                 "--out", str(page))  # fmt: skip
    assert done.exit_code == 0, done.output
    html = page.read_text(encoding="utf-8")
    card = html.split('data-key="service_total"')[1].split('<div class="card')[0]
    # 90 days back from 11-20: 08-01 is out; 11-19 and today's run are in.
    assert "<title>90天走势: 2026-11-19 3 → 2026-11-20 2.954</title>" in card
    card = html.split('data-key="dsr.description"')[1].split('<div class="card')[0]
    assert "<title>90天走势: 2026-11-19 4.8 → 2026-11-20 4.738</title>" in card
    # A score with a single recorded day has no line to draw.
    card = html.split('data-key="good_rate"')[1].split('<div class="card')[0]
    assert "<svg" not in card
    with History.open(path) as history, history.transaction(write=False):
        assert history.shops() == [SHOP]


def test_times_carry_their_unit_in_the_heading(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    record(path, SHOP, date(2026, 11, 20), {"refund_only_hours": 5.9385, "human_response_seconds": 106.19},
           command="report", now=NOW)  # fmt: skip
    done = tmall("history", "--history", str(path), "-f", "md", "--lang", "en")
    assert done.exit_code == 0, done.output
    table = [line for line in done.stdout.splitlines() if line.startswith("|")]
    assert table[0].split("|")[2:4] == [
        " Refund-only completion time (h) ",
        " Mean human response time (s) ",
    ]
    assert table[2].split("|")[1:4] == [" 2026-11-20 ", " 5.9 ", " 106 "]
