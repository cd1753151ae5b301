"""The commands on each order-side layout of SPEC §2.1, with hand-computed numbers
(tests/data/layouts/orders.py: the shop of four orders, T = 2026-11-20)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from tmallcli.cli import app

ORDERS = REPO / "tests" / "data" / "layouts" / "files" / "orders"
EVENTS = ["--logistics", str(ORDERS / "logistics.csv")]
AS_OF = ["--as-of", "2026-11-20", "-f", "json"]
O2, O3 = "5113840000000000102", "5113840000000000103"
runner = CliRunner()


def run(*args: str) -> tuple[dict[str, Any], str]:
    result = runner.invoke(app, [*args, *AS_OF])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


# Pickup, paid 10-19 … 11-17, O4 closed (excluded): 3 orders.
#   O1 paid 10-20 09:12:05, picked up 10-20 16:00 = 6.8 h      → on time
#   O2 paid 10-20 20:30,    picked up 10-23 11:00 = 62.5 h     → late
#   O3 paid 10-25 10:00,    picked up 10-31 12:00 = 146 h      → late
# rate 1/3. The per-item export promises O1 by 10-20 14:00 (应发货时间), shorter than
# payment + 24 h, and 16:00 is after it: O1 late too, rate 0/3.
@pytest.mark.parametrize(
    ("option", "name", "timely"),
    [
        ("--orders", "ExportOrderList2018.csv", 1),
        ("--orders", "ExportOrderList2022.csv", 1),
        ("--orders", "ExportOrderList2022_excel.csv", 1),
        ("--orders", "items_2025_bom.csv", 0),
        ("--orders", "items_2024_gbk.csv", 0),
        ("--orders", "items_export_sheet.xlsx", 0),
        # The item-detail export alone, with its payment columns: O3's two items one order.
        ("--order-items", "ExportOrderDetailList2022.csv", 1),
    ],
)
def test_pickup_rate_on_each_layout(option: str, name: str, timely: int) -> None:
    result, _ = run("audit", "pickup", option, str(ORDERS / name), *EVENTS)
    assert (result["population"], result["timely"], result["late"]) == (3, timely, 3 - timely)
    assert result["not_picked"] == 0
    assert result["rate"] == pytest.approx(timely / 3)


# Late shipment: deadline = payment + 48 h (no promise in these files).
#   O1 picked up 10-20 16:00, deadline 10-22 09:12 → on time
#   O2 picked up 10-23 11:00, deadline 10-22 20:30 → 14.5 h late; item amount = 69.00 paid
#      − 10.00 postage = 59.00; 30 % = 17.70 → 1770 fen (≥ 5 yuan)
#   O3 picked up 10-31 12:00, deadline 10-27 10:00 → 98 h late (severe: > 72 h);
#      120.00 × 30 % = 36.00 → 3600 fen
#   O4 closed, never shipped → not late
# 小明's O1 is not late, so O2 is a group of its own: total 1770 + 3600 = 5370 fen.
@pytest.mark.parametrize(
    "name", ["ExportOrderList2018.csv", "ExportOrderList2022.csv", "ExportOrderList2022_excel.csv"]
)
def test_late_orders_on_the_classic_reports(name: str) -> None:
    result, _ = run("compensate", "late-orders", "--orders", str(ORDERS / name), *EVENTS)
    assert [(p["order_ids"], p["amount_fen"]) for p in result["payouts"]] == [
        ([O2], 1770),
        ([O3], 3600),
    ]
    assert result["total_fen"] == 5370
    (severe,) = result["severe"]
    assert (severe["order_id"], severe["hours_late"]) == (O3, 98.0)
    assert severe["item_title"] == "真丝衬衫，棉袜"  # the classic report's 宝贝标题
    assert severe["item_id"] is None  # the classic report has no item ID
    # 2022: 延迟发货自动赔付金额 read (the platform paid nothing yet).
    if "2022" in name:
        assert result["reconciliation"]["platform_total_fen"] == 0
    else:
        assert result["reconciliation"] is None


def test_late_orders_from_the_2022_ship_time_alone() -> None:
    """Without tracking events the 2022 report's 发货时间 is the end: O3 shipped 10-31 11:00,
    97 h after its deadline 10-27 10:00; the amounts are the same 1770 + 3600."""
    result, _ = run(
        "compensate", "late-orders", "--orders", str(ORDERS / "ExportOrderList2022.csv")
    )
    assert result["total_fen"] == 5370
    assert [s["hours_late"] for s in result["severe"]] == [97.0]


def test_order_items_name_the_items_the_orders_export_lacks() -> None:
    """The 2018 report has no item ID: ExportOrderDetailList gives O3's first item's
    商家编码 (ZS-03; it has no 商品ID); the title the report has is kept."""
    result, _ = run(
        "compensate",
        "late-orders",
        "--orders",
        str(ORDERS / "ExportOrderList2018.csv"),
        "--order-items",
        str(ORDERS / "ExportOrderDetailList2018.csv"),
        *EVENTS,
    )
    assert result["total_fen"] == 5370
    (severe,) = result["severe"]
    assert (severe["order_id"], severe["item_id"], severe["item_title"]) == (
        O3,
        "ZS-03",
        "真丝衬衫，棉袜",
    )


def test_a_three_sheet_workbook_in_dir(tmp_path: Path) -> None:
    """订单报表 gives the orders (发货时间 the end: O3 97 h late), 销售明细 the items they lack
    (O3: 真丝衬衫；棉袜, ZS-03), 发货报表 is ignored with the line saying why."""
    shutil.copy(ORDERS / "workbook" / "qianniu.xlsx", tmp_path / "qianniu.xlsx")
    result, stderr = run("compensate", "late-orders", "--dir", str(tmp_path))
    assert [(p["order_ids"], p["amount_fen"]) for p in result["payouts"]] == [
        ([O2], 1770),
        ([O3], 3600),
    ]
    (severe,) = result["severe"]
    assert (severe["hours_late"], severe["item_id"], severe["item_title"]) == (
        97.0,
        "ZS-03",
        "真丝衬衫；棉袜",
    )
    assert f"ignored {tmp_path / 'qianniu.xlsx'}#发货报表 (headers match no export kind; " in stderr
    # The report lists the sheet among the ignored files.
    report, _ = run("report", "--dir", str(tmp_path))
    assert report["ignored"] == [
        {
            "file": f"{tmp_path / 'qianniu.xlsx'}#发货报表",
            # Only order_id and paid_at are indispensable (SPEC §2.1): the sheet lacks paid_at.
            "reason": "headers match no export kind; closest: orders (订单报表), missing "
            "paid_at (订单付款时间 / 付款时间)",
        }
    ]
    assert report["compensation"]["total_fen"] == 5370


def test_order_items_without_payment_columns_cannot_stand_in() -> None:
    result = runner.invoke(
        app,
        [
            "audit",
            "pickup",
            "--order-items",
            str(ORDERS / "ExportOrderDetailList2018.csv"),
            *EVENTS,
            *AS_OF,
        ],
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "tmall: error: this command needs the orders export: give --orders FILE or --dir DIR "
        "(the --order-items export has no 买家实际支付金额 / 订单付款时间 columns to stand in for it)"
    )
