"""`tmall compensate late-orders` and `tmall compensate ledger` through the CLI (SPEC §5)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tmallcli.cli import app

runner = CliRunner()

HEADER = "订单编号,买家会员名,买家实际支付金额,买家应付邮费,订单状态,订单付款时间,揽收时间,宝贝ID,宝贝标题"
# amy: paid 110.00 incl. 10.00 postage, picked up 53 h 12 min after payment
#      → 延迟发货: 付款后 53.2 小时揽收; 30% × 100.00 = 30.00
# bob: picked up after 20 h, on time
# cat: never picked up; paid 2026-11-10 → 10 days late at the as-of instant: severe
ROWS = [
    "1001,amy,110.00,10.00,交易成功,2026-11-01 10:00:00,2026-11-03 15:12:00,I1,保温杯",
    "1002,bob,50.00,0.00,交易成功,2026-11-01 10:00:00,2026-11-02 06:00:00,I2,毛巾",
    "1003,cat,20.00,0.00,买家已付款，等待卖家发货,2026-11-10 09:00:00,,I3,拖鞋",
]


def write(path: Path, header: str, rows: list[str], encoding: str = "utf-8") -> Path:
    path.write_text(header + "\n" + "".join(r + "\n" for r in rows), encoding=encoding)
    return path


@pytest.fixture
def orders(tmp_path: Path) -> Path:
    return write(tmp_path / "orders.csv", HEADER, ROWS)


def invoke(*args: str) -> Result:
    return runner.invoke(app, ["compensate", *args])


def late(orders: Path, *extra: str) -> Result:
    return invoke("late-orders", "--orders", str(orders), "--as-of", "2026-11-20", *extra)


def test_json_contract(orders: Path) -> None:
    result = late(orders, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in (
        "as_of",
        "payouts",
        "total_fen",
        "total",
        "severe",
        "summary",
        "reconciliation",
        "ledger",
    ):
        assert key in data
    assert data["as_of"] == "2026-11-20"
    assert data["reconciliation"] is None
    assert data["ledger"] is None
    amy, cat = data["payouts"]
    assert {"kind", "buyer", "order_ids", "amount_fen", "amount", "reason"} <= set(amy)
    assert amy["kind"] == "late_shipment"
    assert amy["buyer"] == "amy"
    assert amy["order_ids"] == ["1001"]
    assert amy["amount_fen"] == 3000
    assert amy["amount"] == "30.00"
    assert amy["reason"] == "延迟发货: 付款后 53.2 小时揽收, 承诺 48 小时"
    # 30% × 20.00 = 6.00
    assert (cat["buyer"], cat["amount_fen"]) == ("cat", 600)
    # 11-10 09:00 → 11-20 23:59:59 = 254 h 59 min 59 s → 255.0
    assert cat["reason"] == "延迟发货: 付款后 255.0 小时仍未揽收, 承诺 48 小时"
    assert data["total_fen"] == 3600
    assert data["total"] == "36.00"
    assert data["summary"]["late_shipment"] == {
        "count": 2,
        "orders": 2,
        "total_fen": 3600,
        "total": "36.00",
    }
    assert data["summary"]["promise_broken"]["count"] == 0
    # cat: deadline 11-12 09:00, as-of 11-20 23:59:59 → 206.99972… h late
    (severe,) = data["severe"]
    assert severe["order_id"] == "1003"
    assert severe["hours_late"] == (207 * 3600 - 1) / 3600  # in full (SPEC §14)
    assert severe["item_id"] == "I3"
    assert data["input_warnings"] == []


def test_check_exits_1_when_a_payout_is_due(orders: Path) -> None:
    assert late(orders, "--check").exit_code == 1


@pytest.mark.usefixtures("fresh_enough")
def test_check_exits_0_when_nothing_is_due(tmp_path: Path) -> None:
    path = write(tmp_path / "orders.csv", HEADER, [ROWS[1]])
    result = late(path, "--check")
    assert result.exit_code == 0, result.output
    assert "0" in result.stdout


def test_csv_file_is_the_payout_table_with_a_bom(orders: Path, tmp_path: Path) -> None:
    out = tmp_path / "红包.csv"
    result = late(orders, "-f", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_text(encoding="utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw.removeprefix("\ufeff"))))
    assert rows[0] == ["类型", "买家", "订单编号", "金额(元)", "原因"]
    assert rows[1][:4] == ["延迟发货", "amy", "1001", "30.00"]
    assert len(rows) == 3
    stdout = late(orders, "-f", "csv", "--lang", "en").stdout
    assert stdout.startswith("Kind,Buyer,Orders,Amount (yuan),Reason")


def test_table_output_shows_the_payouts(orders: Path) -> None:
    result = late(orders)
    assert result.exit_code == 0
    assert "延迟发货" in result.stdout
    assert "30.00" in result.stdout
    assert "36.00" in result.stdout


def test_reconciliation_with_the_platform_column(tmp_path: Path) -> None:
    header = HEADER + ",延迟发货自动赔付金额"
    rows = [ROWS[0] + ",5.00", ROWS[1] + ",5.00", ROWS[2] + ","]
    path = write(tmp_path / "orders.csv", header, rows)
    data = json.loads(late(path, "-f", "json").stdout)
    recon = data["reconciliation"]
    assert recon["platform_total_fen"] == 1000
    assert recon["computed_total_fen"] == 3600
    assert recon["difference_fen"] == 2600
    assert [o["order_id"] for o in recon["not_late"]] == ["1002"]
    assert [(o["order_id"], o["difference_fen"]) for o in recon["different"]] == [("1001", 2500)]
    # the platform's 5.00 for amy is not paid again
    assert [(p["buyer"], p["amount_fen"]) for p in data["payouts"]] == [("amy", 2500), ("cat", 600)]


@pytest.mark.usefixtures("fresh_enough")
def test_ledger_pays_once_and_lists(orders: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "payouts.db"
    first = late(orders, "--ledger", str(ledger), "-f", "json", "--check")
    assert first.exit_code == 1
    data = json.loads(first.stdout)
    assert data["ledger"]["recorded_lines"] == 2
    assert data["ledger"]["dry_run"] is False
    # The payout loop (SPEC §5.1): nothing new is computed, but the money is still owed
    # until it is marked paid, so the same open list is printed and --check still trips.
    second = late(orders, "--ledger", str(ledger), "-f", "json", "--check")
    assert second.exit_code == 1, second.output
    again = json.loads(second.stdout)
    assert again["new_total_fen"] == 0
    assert again["total_fen"] == data["total_fen"] == 3600
    assert [p["line_ids"] for p in again["payouts"]] == [p["line_ids"] for p in data["payouts"]]
    assert [p["new"] for p in again["payouts"]] == [False, False]

    listed = invoke("ledger", "--ledger", str(ledger), "-f", "json")
    assert listed.exit_code == 0, listed.output
    entries = json.loads(listed.stdout)
    assert [(p["order_id"], p["amount_fen"]) for p in entries["lines"]] == [
        ("1001", 3000),
        ("1003", 600),
    ]
    assert entries["total_fen"] == 3600
    assert entries["summary"]["late_shipment"]["count"] == 2
    amy = json.loads(
        invoke("ledger", "--ledger", str(ledger), "--buyer", "amy", "-f", "json").stdout
    )
    assert amy["total"] == "30.00"
    table = invoke("ledger", "--ledger", str(ledger))
    assert "1003" in table.stdout


def test_dry_run_writes_nothing(orders: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "payouts.db"
    result = late(orders, "--ledger", str(ledger), "--dry-run", "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total_fen"] == 3600
    assert not ledger.exists()


def test_dry_run_needs_a_ledger(orders: Path) -> None:
    result = late(orders, "--dry-run")
    assert result.exit_code == 2
    assert result.stderr.startswith("tmall: error: --dry-run needs --ledger")


@pytest.mark.parametrize("content", [b"not a database, just text\n" * 100, None])
def test_a_bad_ledger_file_exits_2(orders: Path, tmp_path: Path, content: bytes | None) -> None:
    ledger = tmp_path / "payouts.db"
    if content is None:
        with sqlite3.connect(ledger) as conn:
            conn.execute("PRAGMA user_version = 99")
            conn.execute("CREATE TABLE runs (x)")
            conn.execute("CREATE TABLE payouts (x)")
    else:
        ledger.write_bytes(content)
    before = ledger.read_bytes()
    result = late(orders, "--ledger", str(ledger))
    assert result.exit_code == 2
    assert result.stderr.startswith("tmall: error: ")
    assert "Traceback" not in result.stderr
    assert ("not a tmall ledger" if content else "newer than this tmall") in result.stderr
    assert ledger.read_bytes() == before
    listed = invoke("ledger", "--ledger", str(ledger))
    assert listed.exit_code == 2


def test_ledger_listing_errors(tmp_path: Path) -> None:
    missing = invoke("ledger", "--ledger", str(tmp_path / "missing.db"))
    assert missing.exit_code == 2
    assert "no such ledger" in missing.stderr
    assert invoke("ledger").exit_code == 2
    bad_since = invoke("ledger", "--ledger", str(tmp_path / "x.db"), "--since", "11/20")
    assert bad_since.exit_code == 2
    assert "--since" in bad_since.stderr


def test_shipping_must_be_knowable(tmp_path: Path) -> None:
    path = write(
        tmp_path / "orders.csv",
        "订单编号,买家会员名,买家实际支付金额,订单状态,订单付款时间",
        ["1,a,10.00,交易成功,2026-11-01 10:00:00"],
    )
    result = late(path)
    assert result.exit_code == 2
    assert "--logistics" in result.stderr


def test_out_of_stock_and_promise_through_the_cli(tmp_path: Path) -> None:
    header = HEADER + ",物流服务,签收时间"
    rows = [
        "2001,dan,100.00,0.00,交易成功,2026-11-01 10:00:00,2026-11-01 12:00:00,I1,杯,当日达,2026-11-02 09:00:00",
        "2002,eve,10.00,0.00,交易关闭,2026-11-01 10:00:00,,I2,巾,,",
    ]
    orders = write(tmp_path / "orders.csv", header, rows)
    refunds = write(
        tmp_path / "refunds.csv",
        "退款编号,订单编号,退款的申请时间,买家退款金额,售后类型,买家退款原因,退款状态,是否已发货,退款完结时间",
        ["R1,2002,2026-11-01 12:00:00,10.00,仅退款,缺货,退款成功,未发货,2026-11-01 13:00:00"],
    )
    result = late(orders, "--refunds", str(refunds), "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    kinds = [(p["kind"], p["buyer"], p["amount_fen"]) for p in data["payouts"]]
    # eve's order closed 3 h after payment: not late; 缺货 30% × 10.00 → minimum 5.00
    assert kinds == [("promise_broken", "dan", 1000), ("out_of_stock", "eve", 500)]
    assert data["payouts"][0]["reason"] == "当日达未履约: 11-01 付款, 11-02 签收"
    assert data["payouts"][1]["reason"] == "缺货退款 (未发货): 退款 10.00 元 × 30%, 最低 5.00 元"


def test_an_unwritable_output_is_refused_before_the_ledger_records(
    orders: Path, tmp_path: Path
) -> None:
    ledger = tmp_path / "payouts.db"
    result = late(orders, "--ledger", str(ledger), "-o", str(tmp_path / "missing" / "out.csv"))
    assert result.exit_code == 2
    assert "cannot write the output" in result.stderr
    assert not ledger.exists()


def test_a_run_can_be_listed_again(orders: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "payouts.db"
    run_id = json.loads(late(orders, "--ledger", str(ledger), "-f", "json").stdout)["ledger"][
        "run_id"
    ]
    late(orders, "--ledger", str(ledger))  # a second run records nothing
    listed = json.loads(
        invoke("ledger", "--ledger", str(ledger), "--run", run_id, "-f", "json").stdout
    )
    assert listed["run_id"] == run_id
    assert [p["order_id"] for p in listed["lines"]] == ["1001", "1003"]
    none = invoke("ledger", "--ledger", str(ledger), "--run", "nope", "-f", "json")
    assert json.loads(none.stdout)["count"] == 0
