"""Output that does not lose or distort data (SPEC §14, second part): the report's one output
option, Chinese CSV values, ``--table NAME``, ``-o FILE.xlsx`` read back, and JSON numbers in
full precision alike in every command."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO, SampleReport
from tmallcli.cli import app

runner = CliRunner()
SAMPLE = str(REPO / "sample_data")
AS_OF = ["--as-of", "2026-11-20"]


def invoke(command: str, *args: str) -> Any:
    return runner.invoke(app, [*command.split(), "--dir", SAMPLE, *AS_OF, *args])


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def column(table: list[list[str]], label: str) -> list[str]:
    index = table[0].index(label)
    return [row[index] for row in table[1:]]


# ---------------------------------------------------------------- report: one output option


def test_report_html_from_the_extension_prints_the_summary(tmp_path: Path) -> None:
    page = tmp_path / "体检.HTML"
    result = runner.invoke(app, ["report", "--dir", SAMPLE, *AS_OF, "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "基础服务考核分" in result.stdout and "2.95" in result.stdout  # the screen summary
    assert f"wrote {page}" in result.stderr


@pytest.mark.parametrize("option", ["-o", "--output", "--out"])
def test_report_json_file_from_the_extension(
    tmp_path: Path, option: str, sample_report: SampleReport
) -> None:
    target = tmp_path / "report.json"
    result = runner.invoke(app, ["report", "--dir", SAMPLE, *AS_OF, option, str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # the file is the output
    assert json.loads(target.read_text(encoding="utf-8")) == sample_report.json
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no page beside it


def test_report_markdown_file(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    result = runner.invoke(app, ["report", "--dir", SAMPLE, *AS_OF, "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# 店铺体检报告") and "| 基础服务考核分 | 2.95 |" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "json", "-o", "r.html"], "--format json contradicts the output file r.html"),
        (["-f", "html", "-o", "r.json"], "--format html contradicts the output file r.json"),
        (["--out", "r.xlsx", "-f", "md"], "--format md contradicts the output file r.xlsx"),
        (["-f", "html"], "--format html writes a file: give it with -o FILE.html"),
        (["-f", "xlsx"], "--format xlsx writes a file: give it with -o FILE.xlsx"),
        (["-f", "json", "--table", "todo"], "--table picks one table for table, csv, md or xlsx"),
    ],
)
def test_report_output_conflicts_are_exit_2_before_any_work(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["report", "--dir", SAMPLE, *AS_OF, *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"tmall: error: {message}")
    assert "tmall: orders:" not in result.stderr  # refused before reading
    assert list(tmp_path.iterdir()) == []


def test_html_is_the_reports_alone(tmp_path: Path) -> None:
    """Another command's ``-o x.html`` is its table as text; ``-f html`` is not among its formats."""
    target = tmp_path / "pickup.html"
    result = runner.invoke(app, ["audit", "pickup", "--dir", SAMPLE, *AS_OF, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("24小时揽收及时率")
    refused = runner.invoke(app, ["audit", "pickup", "--dir", SAMPLE, "-f", "html"])
    assert refused.exit_code == 2


# ---------------------------------------------------------------- CSV values under zh / en


def test_zh_csv_values_are_chinese() -> None:
    pickup = rows(invoke("audit pickup", "-f", "csv").stdout)
    assert pickup[0][:5] == ["订单编号", "买家会员名", "付款时间", "揽收时间", "时长(小时)"]
    first = pickup[1]
    # 320516947060331388: paid 10-21 13:23:57, not picked up by 11-20 23:59:59
    assert first[:3] == ["320516947060331388", "木子139176", "2026-10-21 13:23:57"]
    assert first[4] == "730.60" and first[6] == "未揽收"
    assert set(column(pickup, "状态")) == {"未揽收", "揽收超时"}

    waiting = rows(invoke("audit refunds", "-f", "csv").stdout)
    assert column(waiting, "介入风险") == ["是"] * 4 + ["否"] * 3
    assert column(waiting, "已小二介入") == ["否"] * 6 + ["是"]
    assert column(waiting, "金额(元)")[0] == "39.90"

    queue = rows(invoke("reviews triage", "-f", "csv").stdout)
    assert column(queue, "评价")[0] == "中评" and column(queue, "已回复")[0] == "否"
    assert column(queue, "原因")[0] == "买家原因"

    payouts = rows(invoke("compensate late-orders", "-f", "csv").stdout)
    assert column(payouts, "类型")[0] == "延迟发货"

    dsr = rows(invoke("score dsr", "-f", "csv").stdout)
    assert dsr[1][:5] == ["宝贝与描述相符", "4.74", "957", "4.80", "-1.30"]
    assert dsr[0][4] == "与同行比 (%)"


def test_csv_rates_are_percentages_in_a_percent_column() -> None:
    """A rate is written as the percentage the table shows, its column named with (%)."""
    by_carrier = rows(invoke("audit pickup", "-f", "csv", "--table", "by_carrier").stdout)
    assert by_carrier[0][-1] == "及时率 (%)"
    assert ["极兔速递", "40", "29", "9", "2", "72.50"] in by_carrier  # 29 / 40
    service = rows(invoke("score service", "-f", "csv").stdout)
    assert service[0] == ["维度", "指标", "数值", "数值 单位", "得分", "权重 (%)", "失分", "状态"]
    assert service[2][:6] == ["物流体验", "24小时揽收及时率", "90.95", "%", "2.29", "25"]
    assert service[3][:4] == ["售后体验", "仅退款自主完结时长", "5.9", "小时"]


def test_en_csv_keeps_english_values() -> None:
    pickup = rows(invoke("audit pickup", "-f", "csv", "--lang", "en").stdout)
    assert pickup[0][6] == "Status" and pickup[1][6] == "not_picked"
    assert pickup[1][4] == "730.60"
    waiting = rows(invoke("audit refunds", "-f", "csv", "--lang", "en").stdout)
    assert waiting[1][waiting[0].index("Platform intervened")] == "False"


# ---------------------------------------------------------------- --table NAME


def test_table_picks_the_pickup_watchlist() -> None:
    result = invoke("audit pickup", "-f", "csv", "--table", "watchlist")
    assert result.exit_code == 0, result.output
    table = rows(result.stdout)
    assert table[0][:5] == ["订单编号", "买家会员名", "付款时间", "已等待(小时)", "级别"]
    assert len(table) == 1 + 12 and column(table, "级别").count("延迟发货风险") == 9
    assert column(table, "预计赔付(元)")[0] == "26.70"


def test_table_picks_the_refunds_waiting_list_and_md_shows_only_it() -> None:
    default = rows(invoke("audit refunds", "-f", "csv").stdout)
    named = rows(invoke("audit refunds", "-f", "csv", "--table", "waiting").stdout)
    assert named == default and len(named) == 1 + 7  # the main list is the default
    slowest = rows(invoke("audit refunds", "-f", "csv", "--table", "slowest").stdout)
    assert slowest[0][6] == "完结时间"
    md = invoke("audit refunds", "-f", "md", "--table", "by_type").stdout
    assert md.count("\n## ") == 1 and "## 按售后类型" in md
    assert "| 仅退款 | 26 | 5.94 | 2370.47 |" in md


def test_table_of_a_report_section() -> None:
    result = invoke("report", "-f", "csv", "--table", "pickup.watchlist")
    assert result.exit_code == 0, result.output
    assert rows(result.stdout) == rows(
        invoke("audit pickup", "-f", "csv", "--table", "watchlist").stdout
    )


def test_unknown_table_is_exit_2_listing_the_names() -> None:
    result = invoke("audit pickup", "-f", "csv", "--table", "waitlist")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "tmall: error: --table waitlist: no such table here; the tables are: untimely, "
        "by_carrier, by_warehouse, by_pay_hour, daily, watchlist"
    )
    assert result.stdout == ""


# ---------------------------------------------------------------- -o FILE.xlsx


def test_xlsx_every_table_one_sheet_typed(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "揽收.xlsx"
    result = runner.invoke(app, ["audit", "pickup", "--dir", SAMPLE, *AS_OF, "-o", str(target)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [
        "untimely",
        "by_carrier",
        "by_warehouse",
        "by_pay_hour",
        "daily",
        "watchlist",
    ]
    watch = book["watchlist"]
    header = [c.value for c in watch[1]]
    assert header[:4] == ["订单编号", "买家会员名", "付款时间", "已等待(小时)"]
    order, _, paid, hours, level, *_, money = (c for c in watch[2])
    assert order.value == "320516947060331388" and order.data_type == "s"  # text, whole
    assert paid.is_date and paid.value == datetime(2026, 10, 21, 13, 23, 57)
    assert hours.value == pytest.approx(730.6, abs=5e-3) and hours.number_format == "0.00"
    assert level.value == "延迟发货风险"
    assert header[-1] == "预计赔付(元)"
    assert money.data_type == "n" and money.value == 26.7 and money.number_format == "0.00"
    daily = book["daily"]
    assert daily["A2"].is_date and daily["A2"].number_format == "yyyy-mm-dd"
    by_carrier = book["by_carrier"]
    assert by_carrier["F1"].value == "及时率 (%)"
    assert by_carrier["F3"].value == 72.5 and by_carrier["F3"].number_format == "0.00"


def test_xlsx_of_the_report_has_every_section_table(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "report.xlsx"
    result = runner.invoke(app, ["report", "--dir", SAMPLE, *AS_OF, "-o", str(target)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    names = book.sheetnames
    assert names[:3] == ["scores", "worst", "todo"]
    assert {"pickup.watchlist", "refunds.waiting", "compensation.payouts", "triage.queue"} <= set(
        names
    )
    # Excel's 31 characters: compensation.reconciliation_not_late is cut
    assert "compensation.reconciliation_not" in names and all(len(n) <= 31 for n in names)
    payouts = book["compensation.payouts"]
    assert [c.value for c in payouts[1]] == ["类型", "买家", "订单编号", "金额(元)", "原因"]
    amount = payouts["D2"]
    assert amount.data_type == "n" and amount.number_format == "0.00" and amount.value == 194.37
    waiting = book["refunds.waiting"]
    assert waiting["A2"].value == "158613063337083527" and waiting["A2"].data_type == "s"
    assert waiting["F2"].is_date


def test_xlsx_keeps_a_19_digit_order_number_as_text(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from tmallcli.render.document import Cell, Column, Section
    from tmallcli.render.excel import workbook_bytes
    from tmallcli.render.labels import Labels

    section = Section(
        "payouts",
        "待发红包",
        [Column("order_id", "订单编号"), Column("amount", "金额(元)", numeric=True)],
        [[Cell("4012345678901234567", raw="4012345678901234567"), Cell("12.30", raw="12.30")]],
    )
    target = tmp_path / "one.xlsx"
    target.write_bytes(workbook_bytes({"payouts": section}, Labels("zh")))
    sheet = openpyxl.load_workbook(target)["payouts"]
    assert sheet["A2"].value == "4012345678901234567" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 12.3 and sheet["B2"].number_format == "0.00"


def test_xlsx_one_table(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "waiting.xlsx"
    result = runner.invoke(
        app,
        ["audit", "refunds", "--dir", SAMPLE, *AS_OF, "-o", str(target), "--table", "waiting"],
    )
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(target).sheetnames == ["waiting"]


# ---------------------------------------------------------------- JSON precision


def test_json_numbers_in_full_precision_alike_in_every_command(
    sample_report: SampleReport,
) -> None:
    """The same rate, average or score is the same full-precision number in each command and
    in the report (SPEC §14): the exact fractions of the sample shop, computed by hand."""

    def json_of(command: str) -> dict[str, Any]:
        result = invoke(command, "-f", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    report = sample_report.json
    pickup = json_of("audit pickup")
    service = json_of("score service")
    dsr = json_of("score dsr")
    triage = json_of("reviews triage")
    response = json_of("audit response")
    refunds = json_of("audit refunds")
    # 24h pickup: 553 of 608 orders on time
    assert pickup["rate"] == report["pickup"]["rate"] == 553 / 608
    assert service["metrics"]["pickup_24h_rate"]["value"] == 553 / 608
    # DSR description: 4534 stars over 957 ratings (was 4.7377)
    assert dsr["dimensions"]["description"]["score"] == 4534 / 957
    assert report["dsr"]["dimensions"]["description"]["score"] == 4534 / 957
    assert service["metrics"]["item_review_score"]["value"] == 4534 / 957
    # 好评率 1007 / 1120 (was 0.8991)
    assert triage["good_rate"] == report["triage"]["good_rate"] == 1007 / 1120
    # human response time: 30264 s over 285 first human replies (was 106.19)
    assert response["human_response_seconds"] == pytest.approx(30264 / 285, rel=1e-15)
    assert (
        service["metrics"]["human_response_seconds"]["value"] == response["human_response_seconds"]
    )
    # 仅退款自主完结时长: 386/65 h (was 5.9385)
    assert refunds["refund_only_hours"] == pytest.approx(386 / 65, rel=1e-14)
    assert service["metrics"]["refund_only_hours"]["value"] == refunds["refund_only_hours"]
    # CS: 243 points over 57 human ratings in the last 30 days (was 4.2632)
    assert report["cs"]["human"]["average"] == 243 / 57
    # the tables still show the rounded numbers
    assert "4.74" in invoke("score dsr").stdout


def test_demo_writes_its_page_only_when_no_output_is_asked(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "-f", "csv", "--table", "todo"])
    assert result.exit_code == 0, result.output
    assert rows(result.stdout)[1] == [
        "待跟进揽收订单",
        "12",
        "超48小时 9 单 · 若延迟发货约赔 1001.28 元",
    ]
    assert list(tmp_path.iterdir()) == []  # the test's working folder: no tmall-demo-report.html
