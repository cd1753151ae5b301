"""The payout loop (SPEC §5.1): owed → paid or void, never computed twice, never lost."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from tests.conftest import REPO
from tests.test_ledger import (
    AS_OF,
    NOW,
    RULES,
    cli_args,
    hand_written_ledger,
    orders_csv,
    proposal,
    run,
    tmall,
)
from tmallcli.cli import app
from tmallcli.ledger import SCHEMA_VERSION, V1_NOTE, RunInfo, listing, pay
from tmallcli.ledger_marks import Selection, mark

runner = CliRunner()


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args))


def late(orders: Path, ledger: Path, *extra: str) -> dict[str, Any]:
    done = invoke(*cli_args(orders, ledger, *extra))
    assert done.exit_code in (0, 1), done.output
    return dict(json.loads(done.stdout))


def states(path: Path) -> dict[tuple[str, int], tuple[str, int]]:
    """(order, adjustment) → (state, fen)."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT order_id, adjustment, state, amount_fen FROM payouts")
        return {(o, a): (s, f) for o, a, s, f in rows}


def open_rows(data: dict[str, Any]) -> list[tuple[str | None, int, bool]]:
    return [(p["buyer"], p["amount_fen"], p["new"]) for p in data["payouts"]]


AMY_A = ("A", "amy", "100.00", "2026-11-01 10:00:00")  # 30% → 30.00
BOB_C = ("C", "bob", "20.00", "2026-11-02 09:00:00")  # 30% → 6.00
DAN_D = ("D", "dan", "50.00", "2026-11-05 09:00:00")  # 30% → 15.00
EVE_E = ("E", "eve", "10.00", "2026-11-06 09:00:00")  # 30% = 3.00 → minimum 5.00


# --------------------------------------------------------------------------- the loop


def test_the_whole_loop_with_numbers(tmp_path: Path) -> None:
    path = tmp_path / "payouts.db"
    first = orders_csv(tmp_path / "day1.csv", [AMY_A, BOB_C])

    computed = late(first, path)
    assert open_rows(computed) == [("amy", 3000, True), ("bob", 600, True)]
    assert (computed["total_fen"], computed["new_total_fen"]) == (3600, 3600)
    run1 = computed["run_id"]
    assert all(p["run_id"] == run1 and p["state"] == "owed" for p in computed["payouts"])
    line_ids = [p["line_ids"] for p in computed["payouts"]]

    # A same-day re-run: the same open list and total, nothing new, nothing recorded twice.
    again = late(first, path)
    assert [p["line_ids"] for p in again["payouts"]] == line_ids
    assert open_rows(again) == [("amy", 3000, False), ("bob", 600, False)]
    assert (again["total_fen"], again["new_total_fen"]) == (3600, 0)
    assert [p["age_days"] for p in again["payouts"]] == [0, 0]

    # The red packets went out: mark the whole run paid.
    marked = invoke("compensate", "mark-paid", "--ledger", str(path), "--run", run1, "-f", "json")
    assert marked.exit_code == 0, marked.output
    result = json.loads(marked.stdout)
    assert result["matched"] == [i for ids in line_ids for i in ids]
    assert (result["already"], result["unmatched"], result["matched_fen"]) == ([], [], 3600)
    twice = json.loads(
        invoke("compensate", "mark-paid", "--ledger", str(path), "--run", run1, "-f", "json").stdout
    )
    assert (twice["matched"], twice["already"]) == ([], result["matched"])

    # The next day's export grew by dan's order: the open list holds only that.
    second = orders_csv(tmp_path / "day2.csv", [AMY_A, BOB_C, DAN_D])
    day2 = late(second, path)
    assert open_rows(day2) == [("dan", 1500, True)]
    assert (day2["total_fen"], day2["new_total_fen"]) == (1500, 1500)
    (dan_line,) = day2["payouts"][0]["line_ids"]

    # dan refused the red packet: void it; it is never owed again.
    voided = invoke(
        "compensate", "void", "--ledger", str(path), "--line", str(dan_line),
        "--reason", "buyer refused", "-f", "json",
    )  # fmt: skip
    assert voided.exit_code == 0, voided.output
    assert json.loads(voided.stdout)["matched"] == [dan_line]
    day3 = late(second, path)
    assert day3["payouts"] == [] and day3["total_fen"] == 0
    assert states(path) == {
        ("A", 0): ("paid", 3000),
        ("C", 0): ("paid", 600),
        ("D", 0): ("void", 1500),
    }
    # a paid line cannot be voided, a void one cannot be marked paid
    cross = json.loads(
        invoke(
            "compensate", "mark-paid", "--ledger", str(path), "--line", str(dan_line), "-f", "json"
        ).stdout
    )
    assert cross["unmatched"] == [{"line_id": dan_line, "why": "the line is void"}]

    totals = json.loads(invoke("compensate", "ledger", "--ledger", str(path), "-f", "json").stdout)
    assert totals["totals"] == {"owed_fen": 0, "paid_fen": 3600, "void_fen": 1500}
    voids = json.loads(
        invoke(
            "compensate", "ledger", "--ledger", str(path), "--state", "void", "-f", "json"
        ).stdout
    )
    assert [(x["order_id"], x["note"]) for x in voids["lines"]] == [("D", "buyer refused")]

    # eve's order arrives; the morning run records it, the report's to-do counts the open list.
    folder = tmp_path / "exports"
    folder.mkdir()
    orders_csv(folder / "orders.csv", [AMY_A, BOB_C, DAN_D, EVE_E])
    day4 = late(folder / "orders.csv", path)
    assert open_rows(day4) == [("eve", 500, True)]
    report = invoke(
        "report", "--dir", str(folder), "--as-of", "2026-11-20", "--ledger", str(path), "-f", "json"
    )
    assert report.exit_code == 0, report.output
    todo = json.loads(report.stdout)["todo"]["payouts_due"]
    assert (todo["count"], todo["total_fen"], todo["new_today"]) == (1, 500, 1)
    without = json.loads(
        invoke("report", "--dir", str(folder), "--as-of", "2026-11-20", "-f", "json").stdout
    )
    assert without["todo"]["payouts_due"]["total_fen"] == 5600  # the raw computation
    table = invoke("report", "--dir", str(folder), "--as-of", "2026-11-20", "--ledger", str(path))
    assert "未发放 5.00 元 (账本), 今日新增 1 笔" in table.stdout


def test_an_open_line_stays_listed_with_its_age(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    earlier = datetime(2026, 11, 18, 8)
    pay(
        path,
        proposal([("A", "amy", 0, 10_000)]),
        RunInfo.new(AS_OF.date(), [], earlier),
        now=earlier,
    )
    _, report = run(path, proposal([("A", "amy", 0, 10_000), ("D", "dan", 100, 5000)]))
    assert [(p.buyer, p.new, p.age_days, p.amount_fen) for p in report.open] == [
        ("dan", True, 0, 1500),
        ("amy", False, 3, 3000),  # recorded 11-18, still owed on 11-21
    ]
    assert (report.open_total_fen, report.new_total_fen) == (4500, 1500)


def test_regrouping_money_is_recorded_once_as_an_adjustment(tmp_path: Path) -> None:
    # Run 1: A, B, C (600.00 each, within 24 h) are one group capped at 500.00:
    # A 180.00, B 180.00, C 140.00. Run 2: A is no longer late (its pickup came in), so B
    # starts the group: B + C = 360.00, of which 320.00 is recorded: 40.00 more, but both
    # orders are in the ledger already — one adjustment line, not a daily instruction.
    path = tmp_path / "ledger.db"
    run(
        path,
        proposal([("A", "amy", 0, 60_000), ("B", "amy", 20, 60_000), ("C", "amy", 23, 60_000)]),
    )
    regrouped = proposal([("B", "amy", 20, 60_000), ("C", "amy", 23, 60_000)])
    _, report = run(path, regrouped)
    assert report.adjustment_lines == 1
    adjustment = [p for p in report.open if p.adjustment]
    assert [(p.group_id, p.order_ids, p.amount_fen, p.new) for p in adjustment] == [
        ("amy:B", ["C"], 4000, True)
    ]
    assert states(path)[("C", 1)] == ("owed", 4000)
    _, again = run(path, regrouped)
    assert again.adjustment_lines == 0 and again.recorded_lines == 0
    assert sum(1 for key in states(path) if key[1] == 1) == 1
    # The open list still shows it (owed) until it is paid; the group is at its sum.
    assert [p.amount_fen for p in again.open if p.adjustment] == [4000]
    with sqlite3.connect(path) as conn:
        (held,) = conn.execute(
            "SELECT sum(amount_fen) FROM payouts WHERE order_id IN ('B', 'C')"
        ).fetchone()
    assert held == 36_000


def test_the_cli_shows_an_adjustment_and_no_pay_by_hand_note(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    run(
        path,
        proposal([("A", "amy", 0, 60_000), ("B", "amy", 20, 60_000), ("C", "amy", 23, 60_000)]),
    )
    orders = orders_csv(
        tmp_path / "orders.csv",
        [
            ("B", "amy", "600.00", "2026-11-02 06:00:00"),
            ("C", "amy", "600.00", "2026-11-02 09:00:00"),
        ],
    )
    done = invoke(*cli_args(orders, path))
    data = json.loads(done.stdout)
    (adjustment,) = [p for p in data["payouts"] if p["adjustment"]]
    assert adjustment["amount_fen"] == 4000
    assert adjustment["reason"] == "重新合并后该组应付增加 (订单均已记入账本), 补付"
    assert "pay it by hand" not in done.stderr


# --------------------------------------------------------------------------- --since


def test_since_leaves_older_orders_out_and_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    orders = orders_csv(tmp_path / "orders.csv", [AMY_A, BOB_C, DAN_D])
    first = late(orders, path, "--since", "2026-11-02")
    assert open_rows(first) == [("bob", 600, True), ("dan", 1500, True)]
    # the next run without --since keeps the ledger's start date
    assert late(orders, path)["total_fen"] == 2100
    assert set(states(path)) == {("C", 0), ("D", 0)}
    table = invoke(*cli_args(orders, path)[:-2])
    assert "账本起始日 2026-11-02" in table.stdout
    usage = invoke("compensate", "late-orders", "--orders", str(orders), "--since", "2026-11-02")
    assert usage.exit_code == 2
    assert usage.stderr.startswith("tmall: error: --since needs --ledger")


def test_a_first_run_without_since_says_how_much_reaches_back(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    # as of 2026-11-20 the last 30 days start on 10-21: amy's and bob's orders are older.
    old = [
        ("O1", "amy", "100.00", "2026-10-01 10:00:00"),
        ("O2", "bob", "20.00", "2026-10-20 09:00:00"),
    ]
    orders = orders_csv(tmp_path / "orders.csv", [*old, DAN_D])
    done = invoke(*cli_args(orders, path))
    assert done.exit_code == 0, done.output
    assert (
        "tmall: warning: first run on this ledger: 2 line(s), 36.00 yuan are for orders paid "
        "before 2026-10-21 (more than 30 days back)"
    ) in done.stderr
    assert json.loads(done.stdout)["ledger"]["first_run_older_fen"] == 3600
    second = invoke(*cli_args(orders, path))
    assert "first run" not in second.stderr
    fresh = invoke(*cli_args(orders, tmp_path / "other.db", "--since", "2026-11-01"))
    assert "first run" not in fresh.stderr


# --------------------------------------------------------------------------- mark-paid --file


def filled(csv_text: str, paid_rows: dict[int, str]) -> str:
    rows = list(csv.reader(io.StringIO(csv_text.removeprefix("\ufeff"))))
    for index, value in paid_rows.items():
        rows[index][-1] = value
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return "\ufeff" + out.getvalue()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_payout_csv_round_trips_into_mark_paid(tmp_path: Path, lang: str) -> None:
    path = tmp_path / "ledger.db"
    orders = orders_csv(tmp_path / "orders.csv", [AMY_A, BOB_C, DAN_D])
    sheet = tmp_path / "红包.csv"
    args = [*cli_args(orders, path)[:-2], "-f", "csv", "-o", str(sheet), "--lang", lang]
    assert invoke(*args).exit_code == 0
    text = sheet.read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert header[-4:] == (
        ["状态", "行号", "运行", "已发放"] if lang == "zh" else ["State", "Line IDs", "Run", "Paid"]
    )
    data = json.loads(invoke(*cli_args(orders, path)).stdout)
    ids = {p["buyer"]: p["line_ids"] for p in data["payouts"]}
    back = tmp_path / "back.csv"
    back.write_text(filled(text, {1: "是", 3: "Y"}), encoding="utf-8")  # amy and dan sent
    done = invoke(
        "compensate", "mark-paid", "--ledger", str(path), "--file", str(back), "-f", "json"
    )
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    assert result["matched"] == sorted(ids["amy"] + ids["dan"])
    assert result["matched_fen"] == 4500
    assert [row["line_ids"] for row in result["not_paid"]] == [ids["bob"]]
    assert "1 row(s) of the file are not marked sent: still owed" in done.stderr
    # handing the same file back again counts nothing twice
    again = json.loads(
        invoke(
            "compensate", "mark-paid", "--ledger", str(path), "--file", str(back), "-f", "json"
        ).stdout
    )
    assert (again["matched"], again["already"]) == ([], result["matched"])
    assert late(orders, path)["total_fen"] == 600  # bob only


def test_a_red_packet_record_of_buyer_and_amount(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    orders = orders_csv(tmp_path / "orders.csv", [AMY_A, BOB_C, DAN_D])
    late(orders, path)
    record = tmp_path / "record.csv"
    record.write_text(
        "买家会员名,红包金额,发放状态\namy,30.00,成功\nbob,6.00,失败\ndan,14.00,成功\nzed,5.00,成功\n",
        encoding="gb18030",
    )
    done = invoke(
        "compensate", "mark-paid", "--ledger", str(path), "--file", str(record), "-f", "json"
    )
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    assert result["matched_fen"] == 3000
    assert [(u["buyer"], u["amount_fen"]) for u in result["unmatched"]] == [
        ("dan", 1400),
        ("zed", 500),
    ]
    assert [r["buyer"] for r in result["not_paid"]] == ["bob"]
    assert {k: v[0] for k, v in states(path).items()} == {
        ("A", 0): "paid",
        ("C", 0): "owed",
        ("D", 0): "owed",
    }


def workbook(
    path: Path, rows: list[list[Any]], *, blank_rows_above: int = 0, hidden_first: bool = False
) -> Path:
    """``rows`` saved as Excel does (numbers as numbers), below some empty rows; with
    ``hidden_first``, after a hidden sheet of other figures."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    if hidden_first:
        lookup = book.add_worksheet("对照表")
        lookup.write_row(0, 0, ["买家", "金额"])
        lookup.write_row(1, 0, ["bob", 6])
        lookup.hide()
    sheet = book.add_worksheet("红包")
    sheet.activate()
    for r, row in enumerate(rows, start=blank_rows_above):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return path


def test_the_payout_csv_saved_from_excel_round_trips_into_mark_paid(tmp_path: Path) -> None:
    """The sender opened the payout CSV in Excel, ticked 已发放 and saved it as .xlsx: a single
    line ID becomes a number, 是 and TRUE both say sent."""
    path = tmp_path / "ledger.db"
    orders = orders_csv(tmp_path / "orders.csv", [AMY_A, BOB_C, DAN_D])
    sheet = tmp_path / "红包.csv"
    assert invoke(*cli_args(orders, path)[:-2], "-f", "csv", "-o", str(sheet)).exit_code == 0
    rows: list[list[Any]] = list(
        csv.reader(io.StringIO(sheet.read_text(encoding="utf-8").removeprefix("\ufeff")))
    )
    data = json.loads(invoke(*cli_args(orders, path)).stdout)
    ids = {p["buyer"]: p["line_ids"] for p in data["payouts"]}
    ids_at = rows[0].index("行号")
    for row in rows[1:]:
        if "," not in row[ids_at]:
            row[ids_at] = int(row[ids_at])  # Excel took a lone line ID for a number
    rows[1][-1], rows[3][-1] = "是", True  # amy and dan sent
    back = workbook(tmp_path / "back.xlsx", rows, blank_rows_above=2)
    done = invoke(
        "compensate", "mark-paid", "--ledger", str(path), "--file", str(back), "-f", "json"
    )
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    assert result["matched"] == sorted(ids["amy"] + ids["dan"])
    assert result["matched_fen"] == 4500
    assert [(row["line"], row["line_ids"]) for row in result["not_paid"]] == [(5, ids["bob"])]
    assert late(orders, path)["total_fen"] == 600  # bob only


def test_a_red_packet_record_saved_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    orders = orders_csv(tmp_path / "orders.csv", [AMY_A, BOB_C])
    late(orders, path)
    record = workbook(
        tmp_path / "record.xlsx",
        [["买家会员名", "红包金额", "发放状态"], ["amy", 30, "成功"], ["bob", 6.0, "失败"]],
        hidden_first=True,  # the hidden sheet says bob was paid: it is not the record
    )
    result = json.loads(
        invoke(
            "compensate", "mark-paid", "--ledger", str(path), "--file", str(record), "-f", "json"
        ).stdout
    )
    assert (result["matched_fen"], result["unmatched"]) == (3000, [])
    assert [r["buyer"] for r in result["not_paid"]] == ["bob"]
    bad = workbook(tmp_path / "bad.xlsx", [["买家", "金额"], ["amy", "3O.00"]], blank_rows_above=1)
    done = invoke("compensate", "mark-paid", "--ledger", str(path), "--file", str(bad))
    assert done.exit_code == 2
    assert "bad.xlsx:3: column 金额: not an amount in yuan (value '3O.00')" in done.stderr


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("行号,金额(元)\n1,30.00\n", "has no 已发放 (paid) column"),
        ("行号,已发放\n1,maybe\n", "back.csv:2: column 已发放: not yes or no (value 'maybe')"),
        (
            "买家,金额\namy,3O.00\n",
            "back.csv:2: column 金额: not an amount in yuan (value '3O.00')",
        ),
        ("订单编号,备注\n1,x\n", "neither the payout CSV"),
    ],
)
def test_a_bad_handed_back_file_is_one_line_and_marks_nothing(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "ledger.db"
    late(orders_csv(tmp_path / "orders.csv", [AMY_A]), path)
    before = path.read_bytes()
    back = tmp_path / "back.csv"
    back.write_text(content, encoding="utf-8")
    done = invoke("compensate", "mark-paid", "--ledger", str(path), "--file", str(back))
    assert done.exit_code == 2
    assert done.stderr.splitlines()[0].startswith("tmall: error: ") and problem in done.stderr
    assert path.read_bytes() == before


def test_mark_paid_and_void_need_a_selection_and_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    late(orders_csv(tmp_path / "orders.csv", [AMY_A]), path)
    for args, problem in [
        (["mark-paid", "--ledger", str(path)], "say which lines"),
        (["void", "--ledger", str(path), "--line", "1"], "say why: --reason"),
        (["mark-paid", "--ledger", str(path), "--line", "x1"], "--line: not a line ID"),
        (["mark-paid", "--ledger", str(path), "--line", "1", "--file", "f.csv"], "--file marks"),
        (["mark-paid", "--ledger", str(tmp_path / "none.db"), "--line", "1"], "no such ledger"),
    ]:
        done = invoke("compensate", *args)
        assert done.exit_code == 2, args
        assert len(done.stderr.splitlines()) == 1 and problem in done.stderr, done.stderr
    missing = json.loads(
        invoke(
            "compensate", "mark-paid", "--ledger", str(path), "--line", "1,99", "-f", "json"
        ).stdout
    )
    assert missing["matched"] == [1]
    assert missing["unmatched"] == [{"line_id": 99, "why": "no such line"}]
    nobody = json.loads(
        invoke(
            "compensate",
            "void",
            "--ledger",
            str(path),
            "--buyer",
            "zed",
            "--reason",
            "x",
            "-f",
            "json",
        ).stdout
    )
    assert nobody["unmatched"] == [{"selection": "--buyer zed", "why": "no line matches"}]


# --------------------------------------------------------------------------- older ledgers


def test_a_ledger_written_by_the_previous_version_upgrades_in_place(tmp_path: Path) -> None:
    # tests/data/ledger_schema1.db: written by tmall before the payout loop (schema 1) for
    # amy's orders A and B (30.00 each), committed as that version made it.
    path = tmp_path / "payouts.db"
    shutil.copy(REPO / "tests" / "data" / "ledger_schema1.db", path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    # read without upgrading: the old lines show as paid
    listed = json.loads(invoke("compensate", "ledger", "--ledger", str(path), "-f", "json").stdout)
    assert [(x["order_id"], x["state"]) for x in listed["lines"]] == [("A", "paid"), ("B", "paid")]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    orders = orders_csv(
        tmp_path / "orders.csv",
        [
            ("A", "amy", "100.00", "2026-11-01 10:00:00"),
            ("B", "amy", "100.00", "2026-11-01 11:00:00"),
            BOB_C,
        ],
    )
    data = late(orders, path)
    assert open_rows(data) == [("bob", 600, True)]  # A and B were sent under the old tmall
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = conn.execute(
            "SELECT line_id, order_id, state, note FROM payouts ORDER BY line_id"
        ).fetchall()
    assert rows == [(1, "A", "paid", V1_NOTE), (2, "B", "paid", V1_NOTE), (3, "C", "owed", None)]


def test_a_hand_written_schema_1_ledger_upgrades_too(tmp_path: Path) -> None:
    path = hand_written_ledger(tmp_path / "ledger.db", version=1)
    _, report = run(path, proposal([("A", "amy", 0, 10_000), ("B", "amy", 1, 10_000)]))
    assert [(p.order_ids, p.amount_fen) for p in report.open] == [(["B"], 3000)]
    entries = listing(path).entries
    assert [(e.order_id, e.state) for e in entries] == [("A", "paid"), ("B", "owed")]


# --------------------------------------------------------------------------- processes

STALLED_MARK = """
import sys, time
from tmallcli import ledger

original = ledger.Ledger.mark_lines

def stall(self, *args, **kwargs):
    original(self, *args, **kwargs)
    print("marked", flush=True)
    time.sleep(120)

ledger.Ledger.mark_lines = stall
from tmallcli.cli import app
app(sys.argv[1:], prog_name="tmall")
"""


def every_line(path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        lines = conn.execute("SELECT * FROM payouts ORDER BY line_id").fetchall()
        marks = conn.execute("SELECT * FROM marks").fetchall()
    return [*lines, *marks]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_mark_paid_leaves_the_ledger_as_before(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    orders = orders_csv(tmp_path / "orders.csv", [AMY_A, BOB_C])
    first = tmall(*cli_args(orders, path))
    assert first.returncode == 0, first.stderr
    run_id = json.loads(first.stdout)["run_id"]
    before = every_line(path)
    child = subprocess.Popen(
        [sys.executable, "-c", STALLED_MARK, "compensate", "mark-paid", "--ledger", str(path),
         "--run", run_id],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "marked"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert every_line(path) == before
    assert {v[0] for v in states(path).values()} == {"owed"}
    redo = tmall("compensate", "mark-paid", "--ledger", str(path), "--run", run_id, "-f", "json")
    assert redo.returncode == 0, redo.stderr
    assert json.loads(redo.stdout)["matched_fen"] == 3600


def test_mark_paid_and_compute_at_the_same_time_count_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    first = tmall(*cli_args(orders_csv(tmp_path / "day1.csv", [AMY_A, BOB_C]), path))
    run_id = json.loads(first.stdout)["run_id"]
    grown = orders_csv(tmp_path / "day2.csv", [AMY_A, BOB_C, DAN_D, EVE_E])
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # every process starts, then queues for the lock
    commands = [
        cli_args(grown, path),
        ["compensate", "mark-paid", "--ledger", str(path), "--run", run_id, "-f", "json"],
        cli_args(grown, path),
        ["compensate", "mark-paid", "--ledger", str(path), "--buyer", "amy", "-f", "json"],
    ]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tmallcli", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in commands
    ]
    time.sleep(3)
    holder.execute("ROLLBACK")
    holder.close()
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [err for _, err in results]
    computed = [json.loads(results[i][0]) for i in (0, 2)]
    assert sorted(c["new_total_fen"] for c in computed) == [0, 2000]  # dan 15.00 + eve 5.00
    marks = [json.loads(results[i][0]) for i in (1, 3)]
    assert sum(m["matched_fen"] for m in marks) == 3600  # amy's 30.00 marked once
    assert states(path) == {
        ("A", 0): ("paid", 3000),
        ("C", 0): ("paid", 600),
        ("D", 0): ("owed", 1500),
        ("E", 0): ("owed", 500),
    }
    final = json.loads(tmall(*cli_args(grown, path)).stdout)
    assert (final["total_fen"], final["new_total_fen"]) == (2000, 0)


# --------------------------------------------------------------------------- property

order_spec = st.tuples(
    st.sampled_from(["amy", "bob"]),
    st.integers(min_value=0, max_value=3 * 24 * 60),
    st.integers(min_value=1, max_value=300_000),
)


def held_per_group(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return dict(
            conn.execute(
                "SELECT group_id, sum(amount_fen) FROM payouts WHERE state IN ('owed', 'paid') "
                "GROUP BY group_id"
            ).fetchall()
        )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(order_spec, min_size=1, max_size=12),
    st.lists(st.tuples(st.integers(0, 12), st.booleans(), st.integers(0, 40)), max_size=5),
)
def test_owed_and_paid_per_group_never_exceed_the_cap_and_never_go_down(
    tmp_path_factory: pytest.TempPathFactory,
    specs: list[tuple[str, int, int]],
    steps: list[tuple[int, bool, int]],
) -> None:
    """Daily runs on a growing export, with lines marked paid in between: per group,
    owed + paid is never above the cap and never less than the day before."""
    ordered = sorted(enumerate(specs), key=lambda item: (item[1][1], item[0]))
    rows = [(f"o{i:02d}", b, m / 60, fen) for i, (b, m, fen) in ordered]
    path = tmp_path_factory.mktemp("loop") / "ledger.db"
    before: dict[str, int] = {}
    for cut, pay_some, line in [*steps, (len(rows), False, 0)]:
        run(path, proposal(rows[: max(cut, 1)]))
        if pay_some:
            mark(path, "paid", now=NOW, selection=Selection(line_ids=(line,)))
        held = held_per_group(path)
        assert all(fen <= RULES.group_cap_fen for fen in held.values()), held
        assert all(held.get(group, 0) >= fen for group, fen in before.items()), (before, held)
        before = held
    # and a re-run owes nothing new
    _, report = run(path, proposal(rows))
    assert report.new_total_fen == 0


def test_marking_by_order_and_buyer_together(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    run(path, proposal([("A", "amy", 0, 10_000), ("B", "amy", 30, 10_000), ("C", "bob", 0, 2000)]))
    done = mark(
        path, "void", now=NOW, selection=Selection(buyer="amy", order_ids=("B",)), reason="x"
    )
    assert [line.order_id for line in done.matched] == ["B"]
    entries = listing(path, state="owed").entries
    assert [e.order_id for e in entries] == ["A", "C"]
    assert listing(path, since=date(2099, 1, 1)).entries == []
