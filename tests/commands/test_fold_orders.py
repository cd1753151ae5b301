"""Per-item order exports end to end (SPEC §2.1): folded orders through `audit pickup`,
`compensate late-orders`, `score service` and `report`, and each fallback for a column the
orders export lacks, said on stderr and in JSON ``warnings``.

The files are tests/data/layouts/files/fold/ (written by tests/data/layouts/fold.py, whose
docstring lists the six orders); T = 2026-11-20, pickup window paid 2026-10-19 … 2026-11-17.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tmallcli.cli import app

runner = CliRunner()
FOLD = Path(__file__).resolve().parents[1] / "data" / "layouts" / "files" / "fold"
AS_OF = ["--as-of", "2026-11-20", "-f", "json"]
A, E, F = "4100000000000000001", "4100000000000000005", "4100000000000000006"
ORDER_FILES = ["per_item_orders.csv", "repeated_order_items.csv"]


def run(*args: str) -> tuple[dict[str, Any], str]:
    result = runner.invoke(app, [*args, *AS_OF])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def codes(data: dict[str, Any]) -> list[str]:
    return [w["code"] for w in data["warnings"]]


@pytest.mark.parametrize("orders", ORDER_FILES)
def test_an_item_never_shipped_makes_the_order_not_picked_up(orders: str) -> None:
    data, _ = run(
        "audit",
        "pickup",
        "--orders",
        str(FOLD / orders),
        "--logistics",
        str(FOLD / "tracking_events.csv"),
    )
    # Population: A, B, C, E, F (D is 交易关闭). Timely: B (last parcel 11 h after payment)
    # and C (10 h; its closed item does not count). Late: E (74 h). Not picked: A (item A2
    # never shipped, though A1 was picked up 6 h after payment: before the fold rule A
    # counted as timely) and F. Rate 2 / 5 = 0.4.
    assert (data["population"], data["timely"], data["late"], data["not_picked"]) == (5, 2, 1, 2)
    assert data["rate"] == 0.4
    assert [(u["order_id"], u["status"]) for u in data["untimely"]] == [
        (A, "not_picked"),
        (F, "not_picked"),
        (E, "late"),
    ]


@pytest.mark.parametrize("orders", ORDER_FILES)
def test_late_orders_pay_for_the_unshipped_item_and_count_the_platform_payment_once(
    orders: str,
) -> None:
    data, stderr = run(
        "compensate",
        "late-orders",
        "--orders",
        str(FOLD / orders),
        "--logistics",
        str(FOLD / "tracking_events.csv"),
    )
    # Late: A (A2 never shipped; deadline 11-12 10:00 passed), E (picked up 11-08 12:00,
    # promised 11-07 10:00), F (never shipped). A: 30 % × (59.00 + 41.00) = 30.00;
    # F: 30 % × 10.00 = 3.00 → the 5.00 minimum; E: 30 % × 100.00 = 30.00, which the platform
    # paid (主动赔付金额 30.00 on both item rows = one payment), so nothing more is owed.
    # No buyer column: A and F (paid 10 h apart) cannot be merged: two payouts.
    assert data["late_orders"] == 3 and data["late_groups"] == 3
    assert [(p["order_ids"], p["amount_fen"]) for p in data["payouts"]] == [
        ([A], 3000),
        ([F], 500),
    ]
    assert data["total_fen"] == 3500
    assert data["reconciliation"]["platform_total_fen"] == 3000
    assert data["reconciliation"]["matched"] == 1
    assert codes(data) == ["orders_without_buyer"]
    assert "6 are each their own compensation group" in data["warnings"][0]["message"]
    assert "have no buyer" in stderr


def test_report_takes_the_buyer_from_the_reviews_and_merges_a_buyers_late_orders(
    tmp_path: Path,
) -> None:
    for name in ("per_item_orders.csv", "tracking_events.csv", "reviews.csv"):
        shutil.copy(FOLD / name, tmp_path / name)
    data, stderr = run("report", "--dir", str(tmp_path))
    comp = data["compensation"]
    # The reviews name tb_小林 for A and F, paid 10 h apart: one group, 30.00 + 5.00 = 35.00.
    assert [(p["order_ids"], p["buyer"], p["amount_fen"]) for p in comp["payouts"]] == [
        ([A, F], "tb_小林", 3500)
    ]
    assert codes(comp) == ["orders_without_buyer"]
    message = comp["warnings"][0]["message"]
    assert "2 taken by order number from the reviews export" in message
    assert "4 are each their own compensation group" in message
    assert codes(data) == ["orders_without_buyer"]
    assert data["pickup"]["rate"] == 0.4
    assert "taken by order number" in stderr


# ------------------------------------------------------------------ fallbacks, small files

HEADER_NO_STATUS = "订单编号,买家会员名,买家实际支付金额,订单付款时间,揽收时间\n"
ROWS_NO_STATUS = [
    # paid, picked up 2 h later: timely
    "2001,ann,50.00,2026-11-10 10:00:00,2026-11-10 12:00:00",
    # a payment time but 0.00 paid: not an order paid (no status to say so)
    "2002,bob,0.00,2026-11-10 10:00:00,",
    # paid, never picked up: not picked (a closed one would be too: it cannot be left out)
    "2003,cat,20.00,2026-11-11 10:00:00,",
]


def test_without_status_paid_means_a_payment_time_and_an_amount(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(HEADER_NO_STATUS + "\n".join(ROWS_NO_STATUS) + "\n", encoding="utf-8")
    data, stderr = run("audit", "pickup", "--orders", str(orders))
    # Population 2001 and 2003 (2002 paid 0.00): timely 1 → 1 / 2.
    assert (data["population"], data["timely"], data["not_picked"]) == (2, 1, 1)
    assert codes(data) == ["orders_without_status"]
    assert "closed orders (交易关闭) cannot be left out" in data["warnings"][0]["message"]
    assert "1 order(s) not paid were left out" in data["warnings"][0]["message"]
    assert "no 订单状态" in stderr
    service, _ = run("score", "service", "--orders", str(orders))
    assert codes(service) == ["orders_without_status"]


def test_without_paid_amount_pickup_runs_and_compensation_stops(tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    orders = tmp_path / "shop" / "orders.csv"
    orders.write_text(
        "订单编号,买家会员名,订单状态,订单付款时间,揽收时间\n"
        "3001,ann,交易成功,2026-11-10 10:00:00,2026-11-10 12:00:00\n"
        "3002,bob,买家已付款，等待卖家发货,2026-11-11 10:00:00,\n",
        encoding="utf-8",
    )
    data, _ = run("audit", "pickup", "--orders", str(orders))
    assert (data["population"], data["timely"]) == (2, 1)
    assert codes(data) == ["orders_without_paid_amount"]
    # The watchlist can only say the 5.00 minimum for 3002 (waiting since 11-11 10:00).
    assert [(w["order_id"], w["compensation_fen"]) for w in data["watchlist"]] == [("3002", 500)]

    result = runner.invoke(app, ["compensate", "late-orders", "--orders", str(orders), *AS_OF])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "买家实付金额" in lines[0]

    report, _ = run("report", "--dir", str(tmp_path / "shop"))
    assert report["compensation"] is None
    assert "买家实付金额" in report["skipped"]["compensation"]
    assert codes(report) == ["orders_without_paid_amount"]
    assert report["pickup"]["timely"] == 1
