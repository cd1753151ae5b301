"""`tmall data check`: kind, mapping, rows, date range and every problem."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tmallcli.cli import app

runner = CliRunner()


def test_reports_kind_mapping_rows_range_and_each_problem(tmp_path: Path) -> None:
    path = tmp_path / "ExportOrderList.csv"
    path.write_bytes(
        (
            "订单编号,买家会员名,买家实际支付金额,订单状态,订单付款时间,物流单号 ,备注\n"
            '="100000000000000001",a,10.00,交易成功,2026-11-01 10:00,SF1,x\n'
            "1.23457E+18,b,-3,交易成功,2026-11-03 10:00,SF2,y\n"
            "100000000000000003,c,abc,交易成功,2026-11-02 10:00,SF3,z\n"
            "100000000000000003,c,abc,交易成功,2026-11-02 10:00,SF3,z\n"
        ).encode("gb18030")
    )
    result = runner.invoke(app, ["data", "check", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)["files"][0]
    assert report["kind"] == "orders"
    assert report["encoding"] == "gb18030"
    assert report["rows"] == 4
    assert report["columns"]["tracking_no"] == "物流单号 "
    assert report["columns"]["order_id"] == "订单编号"
    assert report["unmapped_headers"] == ["备注"]
    assert report["date_range"] == {"start": "2026-11-01 10:00:00", "end": "2026-11-03 10:00:00"}
    problems = {(p["column"], p["problem"]): p for p in report["problems"]}
    sci = problems[
        (
            "订单编号 (order_id)",
            "ID in scientific notation (mangled by Excel; the original number cannot be recovered)",
        )
    ]
    assert sci["count"] == 1 and sci["examples"] == [{"line": 3, "value": "1.23457E+18"}]
    money = problems[("买家实际支付金额 (paid_amount)", "not an amount of money")]
    assert money["count"] == 2
    assert [e["line"] for e in money["examples"]] == [4, 5]
    assert problems[("买家实际支付金额 (paid_amount)", "negative money")]["count"] == 1
    assert problems[(None, "exact duplicate rows (dropped when read)")]["count"] == 1


def test_check_flag_exits_1_on_problems_and_0_when_clean(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("投诉编号,订单编号,投诉时间,是否成立\nC1,1,2026-11-01,也许\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("投诉编号,订单编号,投诉时间,是否成立\nC1,1,2026-11-01,是\n", encoding="utf-8")
    assert runner.invoke(app, ["data", "check", str(bad), "--check"]).exit_code == 1
    assert runner.invoke(app, ["data", "check", str(good), "--check"]).exit_code == 0


def test_missing_required_column_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("评价时间,客服子账号\n2026-11-01,小王\n", encoding="utf-8")
    result = runner.invoke(app, ["data", "check", str(path), "--kind", "cs_ratings", "-f", "json"])
    report = json.loads(result.stdout)["files"][0]
    assert report["missing_required"] == ["score"]
    assert "missing required column (评分 / 评价分 / 评价结果)" in report["problems"][0]["problem"]


def test_unrecognised_file_and_unknown_kind(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["data", "check", str(path), "-f", "json"])
    assert json.loads(result.stdout)["files"][0]["kind"] is None
    bad = runner.invoke(app, ["data", "check", str(path), "--kind", "nope"])
    assert bad.exit_code == 2
    assert "unknown kind" in bad.stderr


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "check", str(tmp_path / "none.csv")])
    assert result.exit_code == 2
    assert "none.csv" in result.stderr


def problems_of(path: Path) -> dict[str, dict]:
    result = runner.invoke(app, ["data", "check", str(path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    return {p["problem"]: p for p in json.loads(result.stdout)["files"][0]["problems"]}


def test_short_rows_are_reported_as_ragged_not_as_missing_values(tmp_path: Path) -> None:
    path = tmp_path / "logistics.csv"
    path.write_text(
        "物流单号,订单编号,时间,物流状态\n"
        "SF1,1,2026-11-05 10:00,已揽收\n"
        "SF2,2\n"  # short in the middle: its 时间 is missing
        "SF3,3,2026-11-05 11:00,已揽收\n"
        "SF4,4,2026-11-05",  # cut off: the last row of a truncated download
        encoding="utf-8",
    )
    problems = problems_of(path)
    ragged = problems["ragged row: fewer fields than the header (4)"]
    assert ragged["count"] == 2
    assert ragged["examples"] == [
        {"line": 3, "value": "2 fields"},
        {"line": 5, "value": "3 fields"},
    ]
    assert not any("missing value" in text for text in problems)


def test_two_different_bad_rows_are_not_duplicates(tmp_path: Path) -> None:
    # Both order numbers are unreadable (scientific notation): the rows differ all the same.
    path = tmp_path / "orders.csv"
    path.write_text(
        "订单编号,买家会员名,买家实际支付金额,订单状态,订单付款时间\n"
        "1.23457E+18,a,10.00,交易成功,2026-11-01 10:00\n"
        "4.56789E+18,a,10.00,交易成功,2026-11-01 10:00\n",
        encoding="utf-8",
    )
    problems = problems_of(path)
    assert not any("duplicate" in text for text in problems)
    assert (
        problems[
            "ID in scientific notation (mangled by Excel; the original number cannot be recovered)"
        ]["count"]
        == 2
    )


def test_duplicates_are_counted_by_value_among_rows_whose_hash_repeats(tmp_path: Path) -> None:
    """Three equal rows are two duplicates; two equal bad rows one more; rows that differ in
    one cell (or in the raw text of a bad cell) are none."""
    path = tmp_path / "orders.csv"
    rows = [
        "1001,a,10.00,交易成功,2026-11-01 10:00",
        "1001,a,10.00,交易成功,2026-11-01 10:00",
        "1002,a,10.00,交易成功,2026-11-01 10:00",
        "1001,a,10.00,交易成功,2026-11-01 10:00",
        "1003,b,abc,交易成功,2026-11-02 10:00",
        "1003,b,abc,交易成功,2026-11-02 10:00",
        "1003,b,abd,交易成功,2026-11-02 10:00",
        "1001,a,10.01,交易成功,2026-11-01 10:00",
    ]
    path.write_text(
        "订单编号,买家会员名,买家实际支付金额,订单状态,订单付款时间\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    problems = problems_of(path)
    assert problems["exact duplicate rows (dropped when read)"]["count"] == 3
    assert problems["not an amount of money"]["count"] == 3


def test_a_file_with_none_of_the_kinds_columns_lists_them_missing(tmp_path: Path) -> None:
    """--kind orders on a file with other headers: every required column missing, the rows
    counted, no traceback."""
    path = tmp_path / "other.csv"
    path.write_text("x,y\n1,2\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["data", "check", "--kind", "orders", str(path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    checked = json.loads(result.stdout)["files"][0]
    assert checked["rows"] == 2
    problems = [p["problem"] for p in checked["problems"]]
    assert "missing required column (订单编号 / 主订单编号 / 订单号)" in problems
    assert not any("duplicate" in p for p in problems)
