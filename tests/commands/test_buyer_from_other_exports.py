"""SPEC §2.1 "Required columns, restated": an orders export without a buyer column (the per-item
export of 2024–26) takes each order's buyer by order number from a refunds or reviews export of
the same run, so a buyer's late orders within 24 h are still one payout."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.data.layouts import csv_bytes
from tmallcli.cli import app

A, B = "5113840000000000001", "5113840000000000002"


def shop(tmp_path: Path) -> tuple[Path, Path, Path]:
    orders = tmp_path / "orders.csv"
    # Two orders of one buyer paid two hours apart, 100.00 each, shipped four days later:
    # each is late (deadline paid + 48 h) and owes 30 % × 100.00 = 30.00 yuan.
    orders.write_bytes(
        csv_bytes(
            ["主订单编号", "买家实付金额", "订单状态", "订单付款时间", "发货时间"],
            [
                [
                    A,
                    "100.00",
                    "卖家已发货，等待买家确认",
                    "2026-11-10 10:00:00",
                    "2026-11-14 10:00:00",
                ],
                [
                    B,
                    "100.00",
                    "卖家已发货，等待买家确认",
                    "2026-11-10 12:00:00",
                    "2026-11-14 10:00:00",
                ],
            ],
            encoding="utf-8",
            bom=True,
        )
    )
    refunds = tmp_path / "refunds.csv"
    refunds.write_bytes(
        csv_bytes(
            [
                "退款编号",
                "订单编号",
                "退款的申请时间",
                "买家退款金额",
                "是否需要退货",
                "买家退款原因",
                "退款状态",
                "买家会员名称",
            ],
            [
                [
                    "R1",
                    A,
                    "2026-11-15 09:00:00",
                    "1.00",
                    "否",
                    "不想要了",
                    "退款关闭",
                    "橘子汽水55594",
                ],
                [
                    "R2",
                    B,
                    "2026-11-15 09:05:00",
                    "1.00",
                    "否",
                    "不想要了",
                    "退款关闭",
                    "橘子汽水55594",
                ],
            ],
        )
    )
    reviews = tmp_path / "reviews.csv"
    reviews.write_bytes(
        csv_bytes(
            ["订单编号", "评价者昵称", "评价时间", "评价结果", "评价内容"],
            [
                [A, "橘子汽水55594", "2026-11-16 09:00:00", "差评", "发货太慢"],
                [B, "橘子汽水55594", "2026-11-16 09:01:00", "中评", "慢"],
            ],
        )
    )
    return orders, refunds, reviews


def late_orders(*args: str) -> tuple[dict, str]:
    result = CliRunner().invoke(
        app, ["compensate", "late-orders", *args, "--as-of", "2026-11-20", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def test_without_another_export_each_order_is_its_own_payout(tmp_path: Path) -> None:
    orders, _, _ = shop(tmp_path)
    data, stderr = late_orders("--orders", str(orders))
    assert sorted((p["order_ids"], p["amount_fen"]) for p in data["payouts"]) == [
        ([A], 3000),
        ([B], 3000),
    ]
    assert [w["code"] for w in data["warnings"]] == ["orders_without_buyer"]
    assert "2 order(s) have no buyer" in stderr


def test_the_refunds_export_names_the_buyer(tmp_path: Path) -> None:
    orders, refunds, _ = shop(tmp_path)
    data, stderr = late_orders("--orders", str(orders), "--refunds", str(refunds))
    # One buyer, paid within 24 h: one payout of 30.00 + 30.00 = 60.00 yuan.
    assert [(p["buyer"], p["order_ids"], p["amount_fen"]) for p in data["payouts"]] == [
        ("橘子汽水55594", [A, B], 6000)
    ]
    assert "2 taken by order number from the refunds export" in stderr


def test_the_reviews_export_names_the_buyer(tmp_path: Path) -> None:
    orders, _, reviews = shop(tmp_path)
    data, _ = late_orders("--orders", str(orders), "--reviews", str(reviews))
    assert [(p["buyer"], p["amount_fen"]) for p in data["payouts"]] == [("橘子汽水55594", 6000)]
