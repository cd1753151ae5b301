"""`tmall audit pickup` through the CLI: JSON contract (SPEC §4), exit codes, labels, formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tmallcli.cli import app

runner = CliRunner()

ORDERS_HEADER = (
    "订单编号,买家会员名,买家实际支付金额,买家应付邮费,订单状态,订单付款时间,发货时间,"
    "物流单号,物流公司,发货仓\n"
)
ORDERS = [
    "1001,ann,100.00,0.00,交易成功,2026-11-01 10:00:00,2026-11-01 11:00:00,A1,中通快递,杭州仓",
    "1002,bob,100.00,0.00,交易成功,2026-11-01 10:00:00,2026-11-01 11:00:00,A2,圆通速递,杭州仓",
    "1003,cat,100.00,0.00,卖家已发货，等待买家确认,2026-11-05 10:00:00,2026-11-05 11:00:00,A3,圆通速递,义乌仓",
    "1004,dan,100.00,0.00,交易成功,2026-11-05 10:00:00,2026-11-05 11:00:00,A4,中通快递,义乌仓",
    "1005,eve,100.00,0.00,交易关闭,2026-11-05 10:00:00,,,,",
    "1006,fay,33.35,0.00,买家已付款，等待卖家发货,2026/11/19 20:00,,,,义乌仓",
]
EVENTS_HEADER = "物流单号,订单编号,时间,物流状态\n"
EVENTS = [
    "A1,1001,2026-11-01 16:00:00,【杭州市】中通快递 已揽收",
    "A2,1002,2026-11-01 11:00:00,商家已发货，等待揽件",
    "A2,1002,2026-11-02 16:00:00,【杭州市】圆通速递 已揽件",
    "A3,1003,2026-11-05 11:00:00,商家已发货，等待揽件",
    "A4,1004,2026-11-05 11:00:00,【菜鸟义乌仓】包裹已出库",
    "A4,1004,2026-11-05 12:00:00,正在发往分拨中心",
]


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Path, Path]:
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS_HEADER + "".join(r + "\n" for r in ORDERS), encoding="utf-8")
    events = tmp_path / "logistics.csv"
    events.write_text(EVENTS_HEADER + "".join(r + "\n" for r in EVENTS), encoding="utf-8")
    return orders, events


def audit(shop: tuple[Path, Path], *args: str) -> object:
    orders, events = shop
    return runner.invoke(
        app,
        [
            "audit",
            "pickup",
            "--orders",
            str(orders),
            "--logistics",
            str(events),
            "--as-of",
            "2026-11-20",
            *args,
        ],
    )


def test_json_contract_and_numbers(shop: tuple[Path, Path]) -> None:
    result = audit(shop, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    required = {
        "as_of",
        "window",
        "rate",
        "population",
        "timely",
        "late",
        "not_picked",
        "untimely",
        "by_carrier",
        "by_warehouse",
        "by_pay_hour",
        "daily",
        "watchlist",
    }
    assert required <= set(data)
    assert data["as_of"] == "2026-11-20"
    assert data["window"] == {"start": "2026-10-19", "end": "2026-11-17"}
    assert (data["hours"], data["preset"], data["limit"]) == (24, None, 100)
    assert data["pickup_source"] == "tracking_events"
    # 1001 timely, 1002 late (30 h), 1003 not picked, 1004 timely (菜鸟 分拨), 1005 closed
    assert (data["population"], data["timely"], data["late"], data["not_picked"]) == (4, 2, 1, 1)
    assert data["rate"] == 0.5
    assert [(u["order_id"], u["status"], u["hours"]) for u in data["untimely"]] == [
        # 11-05 10:00 → 11-20 23:59:59 = 373.9997 h, in full (SPEC §14)
        ("1003", "not_picked", (374 * 3600 - 1) / 3600),
        ("1002", "late", 30.0),
    ]
    first = data["untimely"][0]
    assert {"order_id", "buyer", "paid_at", "picked_up_at", "hours", "carrier"} <= set(first)
    assert first["picked_up_at"] is None and first["tracking_no"] == "A3"
    assert data["untimely"][1]["picked_up_at"] == "2026-11-02 16:00:00"
    assert data["untimely"][1]["deadline"] == "2026-11-02 10:00:00"
    assert data["by_carrier"] == [
        {
            "carrier": "圆通速递",
            "population": 2,
            "timely": 0,
            "late": 1,
            "not_picked": 1,
            "rate": 0.0,
        },
        {
            "carrier": "中通快递",
            "population": 2,
            "timely": 2,
            "late": 0,
            "not_picked": 0,
            "rate": 1.0,
        },
    ]
    assert [(w["warehouse"], w["rate"]) for w in data["by_warehouse"]] == [
        ("义乌仓", 0.5),
        ("杭州仓", 0.5),
    ]
    assert data["by_pay_hour"] == [
        {"hour": 10, "population": 4, "timely": 2, "late": 1, "not_picked": 1, "rate": 0.5}
    ]
    assert len(data["daily"]) == 30
    daily = {d["date"]: d for d in data["daily"]}
    assert daily["2026-11-01"]["population"] == 2 and daily["2026-11-01"]["rate"] == 0.5
    assert daily["2026-11-02"]["rate"] is None
    assert [
        (w["order_id"], w["level"], w["compensation_fen"], w["compensation"])
        for w in data["watchlist"]
    ] == [
        ("1003", "late_shipment_risk", 3000, "30.00"),
        ("1006", "follow_up", 1001, "10.01"),  # 30% × 33.35 = 10.005 → 10.01
    ]
    assert data["watchlist"][1]["hours"] == 28 - 1 / 3600  # to 23:59:59, in full
    assert data["watchlist_summary"]["compensation"] == "40.01"
    assert data["warnings"] == []


@pytest.mark.usefixtures("fresh_enough")
def test_check_min_rate_exit_codes(shop: tuple[Path, Path]) -> None:
    assert audit(shop, "--check", "--min-rate", "0.6").exit_code == 1
    # rate 0.5 is not below 0.5 (compared exactly)
    assert audit(shop, "--check", "--min-rate", "0.5").exit_code == 0
    # without --check a target only colours the table
    assert audit(shop, "--min-rate", "0.6").exit_code == 0


def test_check_without_min_rate_is_a_usage_error(shop: tuple[Path, Path]) -> None:
    result = audit(shop, "--check")
    assert result.exit_code == 2
    assert result.stderr.startswith("tmall: error: --check needs --min-rate")
    assert "Traceback" not in result.stderr


def test_min_rate_out_of_range_is_a_usage_error(shop: tuple[Path, Path]) -> None:
    assert audit(shop, "--min-rate", "95").exit_code == 2


def test_missing_orders_exits_2() -> None:
    result = runner.invoke(app, ["audit", "pickup", "--as-of", "2026-11-20"])
    assert result.exit_code == 2
    assert "--orders" in result.stderr


def test_preset_48h(shop: tuple[Path, Path]) -> None:
    result = audit(shop, "--preset", "taobao_48h", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["hours"], data["preset"]) == (48, "taobao_48h")
    assert data["window"] == {"start": "2026-10-18", "end": "2026-11-16"}
    # 1002 picked up 30 h after payment is on time under the 48 h rule
    assert (data["population"], data["timely"], data["late"], data["not_picked"]) == (4, 3, 0, 1)


def test_unknown_preset_lists_the_known_ones(shop: tuple[Path, Path]) -> None:
    result = audit(shop, "--preset", "tmall_12h")
    assert result.exit_code == 2
    assert "unknown preset 'tmall_12h' (known: taobao_48h)" in result.stderr


def test_limit(shop: tuple[Path, Path]) -> None:
    data = json.loads(audit(shop, "--limit", "1", "-f", "json").stdout)
    assert [u["order_id"] for u in data["untimely"]] == ["1003"]
    assert data["untimely_count"] == 2


def test_table_in_chinese_and_english(shop: tuple[Path, Path]) -> None:
    zh = audit(shop, "--min-rate", "0.95")
    assert zh.exit_code == 0
    for text in (
        "24小时揽收及时率: 50.00% (2/4)",
        "揽收超时",
        "未揽收",
        "物流公司",
        "发货仓",
        "付款时段",
        "每日趋势",
        "跟进清单",
        "延迟发货风险",
        "跟进仓库和快递",
        "2026-10-19 … 2026-11-17",
    ):
        assert text in zh.stdout, text
    en = audit(shop, "--lang", "en")
    assert "24-hour pickup rate: 50.00% (2/4)" in en.stdout
    assert "Late and not picked up orders" in en.stdout
    assert "late-shipment risk" in en.stdout


def test_csv_is_the_untimely_list(shop: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "untimely.csv"
    result = audit(shop, "-f", "csv", "--output", str(out))
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("\ufeff订单编号,买家会员名,付款时间,揽收时间")
    lines = text.splitlines()
    # Hours as the table shows them (two decimals), the status in Chinese (SPEC §14).
    assert lines[1].startswith("1003,cat,2026-11-05 10:00:00,,374.00,")
    assert ",未揽收," in lines[1]
    assert len(lines) == 3


def test_dir_finds_orders_and_tracking_events(shop: tuple[Path, Path]) -> None:
    folder = shop[0].parent
    result = runner.invoke(
        app, ["audit", "pickup", "--dir", str(folder), "--as-of", "2026-11-20", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["pickup_source"] == "tracking_events" and data["rate"] == 0.5


def test_no_pickup_source_warns(shop: tuple[Path, Path]) -> None:
    result = runner.invoke(
        app,
        ["audit", "pickup", "--orders", str(shop[0]), "--as-of", "2026-11-20", "-f", "json"],
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["pickup_source"] == "none"
    assert (data["timely"], data["not_picked"]) == (0, 4)
    assert data["warnings"][0]["code"] == "no_pickup_source"
    assert "shipped_at" in data["warnings"][0]["message"]
    assert "tmall: warning: no pickup time" in result.stderr


def test_empty_population_rate_is_null(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(
        ORDERS_HEADER + "1,ann,10.00,0.00,交易成功,2026-11-19 10:00:00,,,,\n", encoding="utf-8"
    )
    result = runner.invoke(
        app,
        [
            "audit",
            "pickup",
            "--orders",
            str(orders),
            "--as-of",
            "2026-11-20",
            "-f",
            "json",
            "--check",
            "--min-rate",
            "0.9",
        ],
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["rate"] is None and data["population"] == 0


def test_sample_data_runs() -> None:
    from tests.conftest import REPO

    result = runner.invoke(
        app,
        ["audit", "pickup", "--dir", str(REPO / "sample_data"), "--as-of", "2026-11-20"],
    )
    assert result.exit_code == 0, result.output
    assert "24小时揽收及时率" in result.stdout
