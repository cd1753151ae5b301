"""The user's own mapping (tmall.yaml ``columns:`` / ``values:``, SPEC §2.1): validated with key
paths, tried before the built-in aliases, values mapped before parsing, and the round trip —
``data check`` suggests the block, the user fills it in, the command runs on the file."""

from __future__ import annotations

import json
import textwrap
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.data.layouts import csv_bytes, excel_id, excel_resaved
from tmallcli.cli import app
from tmallcli.config import load_config
from tmallcli.errors import ConfigError
from tmallcli.exports.headers import detect_kind, map_columns
from tmallcli.exports.inputs import Inputs
from tmallcli.exports.kinds import KINDS
from tmallcli.exports.reader import ReadOptions
from tmallcli.exports.user_mapping import UserMapping

runner = CliRunner()


def config_of(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "user.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def mapping_of(tmp_path: Path, text: str) -> UserMapping:
    return load_config(config_of(tmp_path, text), cwd=tmp_path).mapping


# A classic 订单报表 (GBK, CRLF, ="…" IDs, a trailing space in a header, Excel re-saved times)
# whose payment time the platform renamed: 订单付款时间 → 支付完成时间.
RENAMED_HEADER = [
    "订单编号",
    "买家会员名",
    "买家实际支付金额",
    "订单状态",
    "支付完成时间 ",
    "发货时间",
    "快递单号",  # 物流单号, renamed too
]
RENAMED_ROWS = [
    # paid 11-10 10:00, shipped 11-13 10:00: 72 h, late; 30 % of 100.00 = 30.00
    ["1001", "小明", "100.00", "卖家已发货，等待买家确认", "2026-11-10 10:00", "2026-11-13 10:00"],
    # shipped after 23 h: on time
    ["1002", "小红", "50.00", "交易成功", "2026-11-10 11:00", "2026-11-11 10:00"],
    # paid 11-12 09:00, shipped 11-15 09:00: late; 30 % of 12.00 = 3.60 < minimum 5.00
    ["1003", "大壮", "12.00", "交易成功", "2026-11-12 09:00", "2026-11-15 09:00"],
]


def renamed_orders(tmp_path: Path) -> Path:
    rows = [
        [
            excel_id(order),
            buyer,
            amount,
            status,
            excel_resaved(datetime.fromisoformat(paid)),
            excel_resaved(datetime.fromisoformat(shipped)),
            f"SF{order}",
        ]
        for order, buyer, amount, status, paid, shipped in RENAMED_ROWS
    ]
    path = tmp_path / "ExportOrderList20261120.csv"
    path.write_bytes(csv_bytes(RENAMED_HEADER, rows))
    return path


def test_the_mapping_round_trip(tmp_path: Path) -> None:
    orders = renamed_orders(tmp_path)
    late = ["compensate", "late-orders", "--orders", str(orders), "--as-of", "2026-11-20"]
    before = runner.invoke(app, [*late, "-f", "json"])
    assert before.exit_code == 2
    assert "missing required column paid_at" in before.stderr

    check = runner.invoke(app, ["data", "check", str(orders), "-f", "json"])
    (file,) = json.loads(check.stdout)["files"]
    assert file["kind"] is None
    block = file["suggested_columns"]
    assert "# columns:\n#   orders:\n#     paid_at: 支付完成时间  # required" in block
    table = runner.invoke(app, ["data", "check", str(orders)])
    assert "#     paid_at: 支付完成时间" in table.stdout

    # A header no required field's alias resembles: the user names its field.
    assert "#     FIELD: 快递单号" in block
    assert "tracking_no" in block.split("fields without a header:")[1]

    # The user uncomments the block into ./tmall.yaml, naming the field of the FIELD line.
    wanted = ("# columns:", "#   orders:", "#     paid_at:", "#     FIELD: 快递单号")
    own = [line[2:] for line in block.splitlines() if line.startswith(wanted)]
    yaml_text = "\n".join(own).replace("FIELD:", "tracking_no:") + "\n"
    (tmp_path / "tmall.yaml").write_text(yaml_text, encoding="utf-8")

    again = runner.invoke(app, ["data", "check", str(orders), "-f", "json"])
    (file,) = json.loads(again.stdout)["files"]
    assert (file["kind"], file["rows"], file["problems"]) == ("orders", 3, [])
    assert (file["columns"]["paid_at"], file["columns"]["tracking_no"]) == (
        "支付完成时间 ",
        "快递单号",
    )
    assert file["suggested_columns"] is None or "paid_at" not in file["suggested_columns"]

    after = runner.invoke(app, [*late, "-f", "json"])
    assert after.exit_code == 0, after.output
    data = json.loads(after.stdout)
    # 1001: 3000 fen; 1003: max(360, 500) = 500 fen; 1002 on time. Total 3500 fen.
    paid = {p["order_ids"][0]: p["amount_fen"] for p in data["payouts"]}
    assert paid == {"1001": 3000, "1003": 500}
    assert (data["total_fen"], data["late_orders"]) == (3500, 2)


def test_user_headers_come_before_the_built_in_aliases(tmp_path: Path) -> None:
    user = mapping_of(tmp_path, "columns: {orders: {paid_at: [支付完成时间, 到账时间]}}")
    headers = ["订单编号", "买家会员名", "买家实际支付金额", "订单状态", "订单付款时间", "到账时间"]
    mapping = map_columns(KINDS["orders"], headers, user)
    assert mapping.found["paid_at"] == "到账时间"
    assert map_columns(KINDS["orders"], headers).found["paid_at"] == "订单付款时间"
    # A header the user gives a field is not taken by another field's built-in alias.
    user = mapping_of(tmp_path, "columns: {orders: {created_at: 订单付款时间, paid_at: 到账时间}}")
    found = map_columns(KINDS["orders"], headers, user).found
    assert (found["created_at"], found["paid_at"]) == ("订单付款时间", "到账时间")
    # Kind detection reads them too.
    chats = mapping_of(
        tmp_path, "columns: {chats: {buyer: 客户, sent_at: 咨询时间, sender: 发言人}}"
    )
    assert detect_kind(["客户", "咨询时间", "发言人"]) is None
    detected = detect_kind(["客户", "咨询时间", "发言人"], chats)
    assert detected is not None and detected.kind.name == "chats"


def test_values_are_mapped_before_the_value_is_read(tmp_path: Path) -> None:
    path = tmp_path / "客服评价.csv"
    path.write_bytes(
        csv_bytes(
            ["评价时间", "客服子账号", "评分"],
            [
                ["2026-11-18 10:00:00", "店铺:小王", "5"],
                ["2026-11-18 11:00:00", "店铺:小王", "超赞"],
                ["2026-11-18 12:00:00", "店铺:小李", " 超赞 "],
                ["2026-11-18 13:00:00", "店铺:小李", "4"],
            ],
        )
    )
    # A 客服评价 grade is read as text and graded by the cs rules (config cs.score_words): a
    # word nobody mapped is left out there, with a warning naming it.
    with Inputs({"cs_ratings": [str(path)]}) as plain:
        scores = plain.load("cs_ratings").frame.sort("rated_at")["score"].to_list()
    assert scores == ["5", "超赞", "超赞", "4"]
    user = mapping_of(tmp_path, "values: {cs_ratings.score: {超赞: 5}}")
    with Inputs({"cs_ratings": [str(path)]}, options=ReadOptions(mapping=user)) as mapped:
        scores = mapped.load("cs_ratings").frame.sort("rated_at")["score"].to_list()
    assert scores == ["5", "5", "5", "4"]


def test_the_mapping_is_a_plain_hashable_value(tmp_path: Path) -> None:
    text = """\
        columns:
          orders:
            paid_at: 支付完成时间
            buyer: [买家旺旺, 客户ID]
        values:
          refunds.refund_type: {售后仅退款: 仅退款, 售后退货退款: 退货退款}
          cs_ratings.score: {很满意: 5}
        """
    first, second = mapping_of(tmp_path, text), mapping_of(tmp_path, text)
    assert first == second and hash(first) == hash(second)
    assert first.headers("orders") == {
        "paid_at": ("支付完成时间",),
        "buyer": ("买家旺旺", "客户ID"),
    }
    assert dict(first.values_of("cs_ratings")) == {"score": (("很满意", "5"),)}
    assert load_config(cwd=tmp_path).mapping.empty


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("columns: {order: {paid_at: 支付完成时间}}", "config: columns.order: unknown kind"),
        (
            "columns: {orders: {paid: 支付完成时间}}",
            "config: columns.orders.paid: unknown field of orders",
        ),
        (
            "columns: {orders: {paid_at: {a: 1}}}",
            "config: columns.orders.paid_at: must be a header",
        ),
        (
            "columns: {orders: {paid_at: [a, '']}}",
            "config: columns.orders.paid_at: a header must not",
        ),
        (
            "columns: {orders: {paid_at: a, buyer: a}}",
            "config: columns.orders.buyer: header 'a' is given for paid_at",
        ),
        ("columns: [orders]", "config: columns: must be a mapping"),
        ("values: {cs_ratings: {很满意: 5}}", "config: values.cs_ratings: must be kind.field"),
        ("values: {cs.score: {很满意: 5}}", "config: values.cs.score: unknown kind 'cs'"),
        (
            "values: {cs_ratings.grade: {很满意: 5}}",
            "config: values.cs_ratings.grade: unknown field of cs_ratings",
        ),
        (
            "values: {cs_ratings.score: {很满意: null}}",
            "config: values.cs_ratings.score.很满意: must be a value",
        ),
        (
            "values: {cs_ratings.score: [很满意]}",
            "config: values.cs_ratings.score: must be a mapping",
        ),
    ],
)
def test_config_errors_name_the_key_path(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        mapping_of(tmp_path, text)
    assert caught.value.message.startswith(message)


def test_a_config_error_stops_data_check_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "tmall.yaml").write_text("columns: {order: {paid_at: x}}\n", encoding="utf-8")
    result = runner.invoke(app, ["data", "check", str(renamed_orders(tmp_path))])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].startswith(
        "tmall: error: config: columns.order: unknown kind"
    )


def test_a_mapped_grade_counts_in_the_cs_average(tmp_path: Path) -> None:
    """超赞 → 5 in tmall.yaml: (5 + 5 + 5 + 4) / 4 = 4.75; unmapped, it is left out with a
    warning naming it: (5 + 4) / 2 = 4.5."""
    import json

    from typer.testing import CliRunner

    from tmallcli.cli import app

    path = tmp_path / "客服评价.csv"
    path.write_bytes(
        csv_bytes(
            ["评价时间", "客服子账号", "评分", "评价来源"],
            [
                ["2026-11-18 10:00:00", "店铺:小王", "5", "客服邀评"],
                ["2026-11-18 11:00:00", "店铺:小王", "超赞", "客服邀评"],
                ["2026-11-18 12:00:00", "店铺:小李", "超赞", "客服邀评"],
                ["2026-11-18 13:00:00", "店铺:小李", "4", "客服邀评"],
            ],
        )
    )
    config = tmp_path / "mine" / "tmall-mapping.yaml"  # not ./tmall.yaml: read by every run
    config.parent.mkdir()
    config.write_text("values: {cs_ratings.score: {超赞: 5}}\n", encoding="utf-8")
    base = ["score", "cs", "--cs-ratings", str(path), "--day", "2026-11-18", "-f", "json"]
    runner = CliRunner()
    plain = runner.invoke(app, [*base, "--as-of", "2026-11-20"])
    mapped = runner.invoke(app, [*base, "--as-of", "2026-11-20", "--config", str(config)])
    assert plain.exit_code == 0 and mapped.exit_code == 0, plain.output + mapped.output
    plain_human, mapped_human = (
        json.loads(plain.stdout)["human"],
        json.loads(mapped.stdout)["human"],
    )
    assert (plain_human["count"], plain_human["average"]) == (2, 4.5)
    assert "超赞" in plain.stderr
    assert (mapped_human["count"], mapped_human["average"]) == (4, 4.75)


def test_a_renamed_dsr_header_mapped_by_the_user_is_read_as_dsr(tmp_path: Path) -> None:
    """A reviews export whose 宝贝与描述相符 the platform renamed to 描述评分 (GBK, CRLF): with
    `columns: {reviews: {dsr_description: 描述评分}}` the DSR is computed from it, not refused
    for want of the page's star counts. (5 + 4 + 3) / 3 = 4.0."""
    import json

    from typer.testing import CliRunner

    from tmallcli.cli import app

    path = tmp_path / "评价.csv"
    path.write_bytes(
        csv_bytes(
            ["订单编号", "买家会员名", "评价时间 ", "描述评分", "评价结果"],
            [
                ['="3000000000000001"', "买家甲", "2026/11/10 9:12", "5", "好评"],
                ['="3000000000000002"', "买家乙", "2026/11/11 10:05", "4", "好评"],
                ['="3000000000000003"', "买家丙", "2026/11/12 21:40", "3", "中评"],
            ],
        )
    )
    config = tmp_path / "mine" / "mapping.yaml"  # not ./tmall.yaml: read by every run
    config.parent.mkdir()
    config.write_text("columns: {reviews: {dsr_description: 描述评分}}\n", encoding="utf-8")
    base = ["score", "dsr", "--reviews", str(path), "--as-of", "2026-11-20", "-f", "json"]
    runner = CliRunner()
    refused = runner.invoke(app, base)
    assert refused.exit_code == 2 and "--stars" in refused.stderr
    mapped = runner.invoke(app, [*base, "--config", str(config)])
    assert mapped.exit_code == 0, mapped.output
    description = json.loads(mapped.stdout)["dimensions"]["description"]
    assert (description["score"], description["count"]) == (4.0, 3)
