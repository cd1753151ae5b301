"""`tmall audit refunds` through the CLI: JSON contract (SPEC §8), exit codes, labels, sample_data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tmallcli.cli import app

REPO = Path(__file__).resolve().parent.parent.parent
SAMPLE = REPO / "sample_data"
runner = CliRunner()

REFUNDS_HEADER = (
    "退款编号,订单编号,退款的申请时间,买家退款金额,售后类型,买家退款原因,退款状态,售中或售后,"
    "是否已发货,卖家同意退货时间,买家退货时间,退款完结时间,客服介入状态,责任方,签收时间\n"
)
REFUNDS = [
    # 仅退款 2 h; 未发货 多拍: the first auto-refund rule
    "R1,1001,2026-11-10 10:00,50.00,仅退款,多拍,退款成功,售中,否,,,2026-11-10 12:00,不需要客服介入,,",
    # 仅退款 5 h, closed by the buyer
    "R2,1002,2026-11-11 08:00,¥12.34,仅退款,质量问题,退款关闭,售后,是,,,2026-11-11 13:00,不需要客服介入,,",
    # 退货退款: 72 h elapsed − 24 h of buyer time = 48 h; signed 2 days before: the second rule
    "R3,1003,2026-11-01 10:00,200.00,退货退款,7天无理由,退款成功,售后,是,2026-11-01 12:00,"
    "2026-11-02 12:00,2026-11-04 10:00,不需要客服介入,,2026-10-30 10:00",
    # 小二介入, ruled 卖家责任: not in the hours, one dispute refund
    "R4,1004,2026-11-05 00:00,30.00,仅退款,质量问题,退款成功,售后,是,,,2026-11-09 00:00,客服已介入,卖家责任,",
    # waiting for the seller since 11-17 10:00: 85.9997 h at 11-20 23:59:59
    "R5,1005,2026-11-17 10:00,88.00,仅退款,协商一致,待卖家处理,售中,是,,,,不需要客服介入,,",
    # goods on the way back since 11-18 12:00: 59.9997 h (full-width comma in the status)
    "R6,1006,2026-11-10 00:00,120.00,退货退款,不想要了,买家已经退货，等待卖家确认收货,售中,是,"
    "2026-11-10 01:00,2026-11-18 12:00,,不需要客服介入,,2026-11-08 00:00",
]
ORDERS_HEADER = "订单编号,买家会员名,买家实际支付金额,订单状态,订单付款时间\n"
ORDERS = [
    "1001,ann,50.00,交易关闭,2026-10-20 23:59:59",  # T−31: out
    "1002,bob,12.34,交易成功,2026-10-21 00:00:00",
    "1003,cat,200.00,交易成功,2026-10-28 09:00:00",
    "1004,dan,30.00,交易成功,2026-11-04 09:00:00",
    "1005,eve,88.00,交易成功,2026-11-19 23:59:59",
    "1006,fay,120.00,交易成功,2026-11-20 08:00:00",  # T: out
]


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Path, Path]:
    refunds = tmp_path / "refunds.csv"
    refunds.write_text(REFUNDS_HEADER + "".join(r + "\n" for r in REFUNDS), encoding="utf-8")
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS_HEADER + "".join(r + "\n" for r in ORDERS), encoding="utf-8")
    return refunds, orders


def audit(*args: str) -> object:
    return runner.invoke(app, ["audit", "refunds", *args])


def test_json_contract_and_numbers(shop: tuple[Path, Path]) -> None:
    refunds, orders = shop
    result = audit(
        "--refunds", str(refunds), "--orders", str(orders), "--as-of", "2026-11-20", "-f", "json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {
        "as_of",
        "window",
        "refund_only_hours",
        "return_refund_hours",
        "dispute_refund_rate",
        "counts",
        "by_reason",
        "by_type",
        "slowest",
        "waiting",
        "auto_refund",
    } <= set(data)
    assert data["as_of"] == "2026-11-20"
    assert data["window"] == {"start": "2026-10-21", "end": "2026-11-19"}
    assert data["refund_only_hours"] == 3.5  # R1 2 h, R2 5 h
    assert data["return_refund_hours"] == 48.0  # R3
    assert data["dispute_refund_rate"] == 0.25  # R4 / 4 orders paid on 10-21 … 11-19
    assert data["counts"] == {
        "refunds": 6,
        "completed_in_window": 4,
        "refund_only": 2,
        "return_refund": 1,
        "intervened_excluded": 1,
        "never_returned_excluded": 0,
        "other_type_excluded": 0,
        "agreement_approximated": 0,
        "disputes": 1,
        "orders_paid": 4,
        "waiting": 2,
        "intervention_risk": 1,
    }
    assert data["by_type"] == [
        {"refund_type": "仅退款", "count": 2, "hours": 3.5, "amount_fen": 6234, "amount": "62.34"},
        {
            "refund_type": "退货退款",
            "count": 1,
            "hours": 48.0,
            "amount_fen": 20000,
            "amount": "200.00",
        },
    ]
    assert [(b["reason"], b["count"], b["hours"]) for b in data["by_reason"]] == [
        ("7天无理由", 1, 48.0),
        ("质量问题", 1, 5.0),
        ("多拍", 1, 2.0),
    ]
    assert [
        (s["refund_id"], s["hours"], s["buyer_hours"], s["amount"]) for s in data["slowest"]
    ] == [
        ("R3", 48.0, 24.0, "200.00"),
        ("R2", 5.0, None, "12.34"),
        ("R1", 2.0, None, "50.00"),
    ]
    assert [
        (w["refund_id"], w["waiting_since"], w["hours"], w["intervention_risk"])
        for w in data["waiting"]
    ] == [
        ("R5", "2026-11-17 10:00:00", pytest.approx(86 - 1 / 3600, rel=1e-14), True),
        ("R6", "2026-11-18 12:00:00", pytest.approx(60 - 1 / 3600, rel=1e-14), False),
    ]
    assert data["waiting"][0]["intervention_at"] == "2026-11-20 10:00:00"
    assert data["waiting"][1]["status"] == "买家已经退货,等待卖家确认收货"

    auto = data["auto_refund"]
    assert auto["auto_minutes"] == 1
    assert [(r["name"], r["count"], r["amount_fen"]) for r in auto["rules"]] == [
        ("未发货仅退款自动退款", 1, 5000),
        ("签收7天内退货退款自动同意", 2, 32000),  # R3, and R6 still on its way back
        ("售后小额仅退款自动退款", 0, 0),
    ]
    first, second, _ = auto["rules"]
    # R1 in 1 minute: (1/60 + 5) / 2
    assert first["before"] == {"refund_only_hours": 3.5, "return_refund_hours": 48.0}
    assert first["after"] == {
        "refund_only_hours": pytest.approx((1 / 60 + 5) / 2, rel=1e-14),
        "return_refund_hours": 48.0,
    }
    assert first["change"] == {
        "refund_only_hours": pytest.approx(-0.9917, abs=5e-5),
        "return_refund_hours": 0.0,
    }
    # R3 agreed 1 minute after application instead of 2 h: 70 h 01 min − 24 h; R6, agreed
    # sooner, is still not completed
    assert second["after"] == {
        "refund_only_hours": 3.5,
        "return_refund_hours": pytest.approx(46 + 1 / 60, rel=1e-14),
    }
    combined = auto["combined"]
    assert (combined["count"], combined["amount"]) == (3, "370.00")
    assert combined["after"] == {
        "refund_only_hours": pytest.approx((1 / 60 + 5) / 2, rel=1e-14),
        "return_refund_hours": pytest.approx(46 + 1 / 60, rel=1e-14),
    }
    assert data["warnings"] == []


def test_orders_paid_counts_each_order_once(shop: tuple[Path, Path], tmp_path: Path) -> None:
    # The rate's denominator is a count of the loaded orders' rows: the reader leaves one row
    # per order, whether an order comes in several items (a sub-order export), as an exact
    # repeat, or again in a newer export (the last file by name wins, as export names end in
    # their date: this one sorts after orders.csv).
    refunds, orders = shop
    newer = tmp_path / "orders_20261120.csv"
    newer.write_text(
        "订单编号,子订单编号,买家会员名,买家实际支付金额,订单状态,订单付款时间\n"
        "1003,1003-1,cat,120.00,交易成功,2026-10-28 09:00:00\n"
        "1003,1003-2,cat,80.00,交易成功,2026-10-28 09:00:00\n"
        "1007,1007-1,gus,10.00,交易成功,2026-11-02 10:00:00\n"
        "1007,1007-1,gus,10.00,交易成功,2026-11-02 10:00:00\n"
        # paid again (a re-sent order) after the window: the newer file wins, so it is out
        "1005,1005-1,eve,88.00,交易成功,2026-11-20 09:00:00\n",
        encoding="utf-8",
    )
    result = audit(
        "--refunds", str(refunds), "--orders", str(orders), "--orders", str(newer),
        "--as-of", "2026-11-20", "-f", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # 1002, 1003, 1004 and 1007 paid on 10-21 … 11-19; 1005 now paid on 11-20 (T: out)
    assert data["counts"]["orders_paid"] == 4
    assert data["dispute_refund_rate"] == 0.25


def test_without_orders_the_dispute_rate_is_null_with_a_warning(shop: tuple[Path, Path]) -> None:
    refunds, _ = shop
    result = audit("--refunds", str(refunds), "--as-of", "2026-11-20", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["dispute_refund_rate"] is None
    assert data["counts"]["disputes"] == 1 and data["counts"]["orders_paid"] is None
    assert [w["code"] for w in data["warnings"]] == ["needs_orders"]
    assert "needs --orders for the denominator" in result.stderr


def test_check_exit_codes(shop: tuple[Path, Path]) -> None:
    refunds, _ = shop
    # R5 has waited 85.9997 h at 2026-11-20 23:59:59: past 72 h
    assert audit("--refunds", str(refunds), "--as-of", "2026-11-20", "--check").exit_code == 1
    # a day earlier it had waited 61.9997 h and R6 35.9997 h
    earlier = audit("--refunds", str(refunds), "--as-of", "2026-11-19", "--check", "-f", "json")
    assert earlier.exit_code == 0, earlier.output
    assert [(w["refund_id"], w["hours"]) for w in json.loads(earlier.stdout)["waiting"]] == [
        ("R5", pytest.approx(62 - 1 / 3600, rel=1e-14)),
        ("R6", pytest.approx(36 - 1 / 3600, rel=1e-14)),
    ]
    # without --check a flagged refund only shows
    assert audit("--refunds", str(refunds), "--as-of", "2026-11-20").exit_code == 0


def test_missing_refunds_exits_2() -> None:
    result = audit("--as-of", "2026-11-20")
    assert result.exit_code == 2
    assert "--refunds" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_as_of_exits_2(shop: tuple[Path, Path]) -> None:
    refunds, _ = shop
    result = audit("--refunds", str(refunds), "--as-of", "20-11-2026")
    assert result.exit_code == 2
    assert result.stderr.startswith("tmall: error: --as-of")


def test_limit_lists_the_slowest(shop: tuple[Path, Path]) -> None:
    refunds, _ = shop
    data = json.loads(
        audit(
            "--refunds", str(refunds), "--as-of", "2026-11-20", "--limit", "1", "-f", "json"
        ).stdout
    )
    assert [s["refund_id"] for s in data["slowest"]] == ["R3"]


def test_table_in_chinese_and_english(shop: tuple[Path, Path]) -> None:
    refunds, orders = shop
    args = ("--refunds", str(refunds), "--orders", str(orders), "--as-of", "2026-11-20")
    zh = audit(*args)
    assert zh.exit_code == 0, zh.output
    for text in (
        "仅退款自主完结时长: 3.50 小时 (2 笔)",
        "退货退款自主完结时长: 48.00 小时 (1 笔)",
        "纠纷退款率: 25.000% (1/4)",
        "待处理退款",
        "完结最慢的退款",
        "自动退款策略模拟",
        "未发货仅退款自动退款",
    ):
        assert text in zh.stdout, text
    en = audit(*args, "--lang", "en")
    assert "Refund-only completion time: 3.50 h (2 refunds)" in en.stdout
    assert "Auto-refund strategy simulation" in en.stdout


def test_csv_is_the_waiting_list(shop: tuple[Path, Path]) -> None:
    refunds, _ = shop
    result = audit("--refunds", str(refunds), "--as-of", "2026-11-20", "-f", "csv")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("退款编号,订单编号,售后类型")
    assert lines[1].startswith("R5,1005,仅退款,协商一致,待卖家处理")
    assert len(lines) == 3


# --------------------------------------------------------------------------- sample_data


def test_sample_data_numbers() -> None:
    result = audit("--dir", str(SAMPLE), "--as-of", "2026-11-20", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    counts = data["counts"]
    # 仅退款: 21 退款成功 + 5 closed by the buyer, completed on 10-21 … 11-19, not intervened
    # In full (SPEC §14): 5.9385 h = 386/65 h
    assert (data["refund_only_hours"], counts["refund_only"]) == (pytest.approx(386 / 65), 26)
    assert (data["return_refund_hours"], counts["return_refund"]) == (
        pytest.approx(69.4648, abs=5e-5),
        9,
    )
    assert counts["never_returned_excluded"] == 1 and counts["intervened_excluded"] == 2
    assert (counts["disputes"], counts["orders_paid"]) == (1, 628)
    assert data["dispute_refund_rate"] == pytest.approx(1 / 628)
    # 4 待卖家处理 past 72 h; 3 待卖家确认收货 uploaded on 11-20, hours ago
    assert [(w["status"], w["hours"]) for w in data["waiting"] if w["intervention_risk"]] == [
        ("待卖家处理", pytest.approx(166.0164, abs=5e-5)),
        ("待卖家处理", pytest.approx(158.2331, abs=5e-5)),
        ("待卖家处理", pytest.approx(155.6831, abs=5e-5)),
        ("待卖家处理", pytest.approx(120.6164, abs=5e-5)),
    ]
    assert (counts["waiting"], counts["intervention_risk"]) == (7, 4)
    combined = data["auto_refund"]["combined"]
    assert combined["count"] == 18
    assert combined["after"] == {
        "refund_only_hours": pytest.approx(5.0756, abs=5e-5),
        "return_refund_hours": pytest.approx(67.3093, abs=5e-5),
    }
    check = audit("--dir", str(SAMPLE), "--as-of", "2026-11-20", "--check")
    assert check.exit_code == 1


def test_sample_data_successful_refunds_only(tmp_path: Path) -> None:
    # The generator's own figure counts 退款成功 only: 4.196 h over 21 refunds.
    (tmp_path / "tmall.yaml").write_text("refunds:\n  completed_statuses: [退款成功]\n", "utf-8")
    result = audit("--dir", str(SAMPLE), "--as-of", "2026-11-20", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["refund_only_hours"], data["counts"]["refund_only"]) == (
        pytest.approx(5287 / 1260),  # 4.196 h
        21,
    )
    assert data["return_refund_hours"] == pytest.approx(69.4648, abs=5e-5)
