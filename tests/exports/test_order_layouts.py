"""SPEC §2.1, the order side: each layout recognised by its headers alone (kind detection),
and the columns it maps (tests/data/layouts/orders.py writes the files)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from tmallcli.cli import app
from tmallcli.exports.csv_scan import read_headers
from tmallcli.exports.headers import classify
from tmallcli.exports.inputs import Inputs
from tmallcli.exports.paths import expand_paths, sheet_path, split_sheet
from tmallcli.exports.reader import ExportReader, ReadOptions

ORDERS = REPO / "tests" / "data" / "layouts" / "files" / "orders"
BOOK = ORDERS / "workbook" / "qianniu.xlsx"
runner = CliRunner()


def check(*paths: Path | str, extra: tuple[str, ...] = ()) -> list[dict]:
    result = runner.invoke(app, ["data", "check", *map(str, paths), *extra, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["files"]


@pytest.mark.parametrize(
    ("name", "kind", "missing", "mapped"),
    [
        (
            "ExportOrderList2018.csv",
            "orders",
            [],
            # Trailing spaces kept as the file has them; no 发货时间 in 2018.
            {"paid_at": "订单付款时间 ", "tracking_no": "物流单号 ", "shipped_at": None},
        ),
        (
            "ExportOrderList2022.csv",
            "orders",
            [],
            # 订单编号 before 主订单编号; 买家会员名 before 买家会员昵称; the platform's payout.
            {
                "order_id": "订单编号",
                "buyer": "买家会员名",
                "auto_compensation": "延迟发货自动赔付金额",
                "shipped_at": "发货时间",
            },
        ),
        ("ExportOrderList2022_excel.csv", "orders", [], {"paid_at": "订单付款时间 "}),
        (
            "items_2025_bom.csv",
            "orders",
            ["buyer (买家会员名 / 买家昵称 / 买家会员昵称)"],
            {
                "order_id": "主订单编号",
                "sub_order_id": "子订单编号",
                "promised_ship_by": "应发货时间",
                "paid_amount": "买家实付金额",
                "auto_compensation": "主动赔付金额",
                "item_title": "商品标题",
            },
        ),
        # 子单实际支付金额 is there too: 买家实付金额 is still the amount read.
        ("items_2024_gbk.csv", "orders", ["buyer (买家会员名 / 买家昵称 / 买家会员昵称)"], {}),
        # A workbook of one sheet (named export) is read as a file: no #sheet in its name.
        (
            "items_export_sheet.xlsx",
            "orders",
            ["buyer (买家会员名 / 买家昵称 / 买家会员昵称)"],
            {"promised_ship_by": "应发货时间"},
        ),
        (
            "ExportOrderDetailList2018.csv",
            "order_items",
            [],
            {"order_id": "订单编号", "item_title": "标题", "price": "价格", "paid_at": None},
        ),
        (
            "ExportOrderDetailList2022.csv",
            "order_items",
            [],
            {"order_id": "主订单编号", "sub_order_id": "子订单编号", "paid_at": "订单付款时间"},
        ),
        (
            "partial_report.csv",
            "orders",
            ["buyer (买家会员名 / 买家昵称 / 买家会员昵称)", "status (订单状态)"],
            {"paid_amount": "买家实际支付金额", "paid_at": "订单付款时间"},
        ),
    ],
)
def test_each_layout_is_recognised_by_its_headers(
    name: str, kind: str, missing: list[str], mapped: dict[str, str | None]
) -> None:
    (report,) = check(ORDERS / name)
    assert report["file"] == str(ORDERS / name)
    assert report["kind"] == kind
    assert report["missing_expected"] == missing
    assert report["missing_required"] == []
    assert report["problems"] == []
    assert report["rows"] == (4 if kind == "orders" and "items" not in name else 5)
    for column, header in mapped.items():
        assert report["columns"][column] == header, column


def test_the_excel_resaved_per_item_ids_are_the_clear_error() -> None:
    """Bare IDs re-saved by Excel (5.11384E+18) cannot be joined: data check names them, and
    a command stops with one line naming file, line, column and value."""
    (report,) = check(ORDERS / "items_2024_excel.csv")
    assert report["kind"] == "orders"
    problems = {p["column"]: p for p in report["problems"]}
    assert problems["主订单编号 (order_id)"]["count"] == 5
    assert problems["主订单编号 (order_id)"]["examples"][0] == {"line": 2, "value": "5.11384E+18"}
    result = runner.invoke(
        app,
        [
            "audit",
            "pickup",
            "--orders",
            str(ORDERS / "items_2024_excel.csv"),
            "--logistics",
            str(ORDERS / "logistics.csv"),
            "--as-of",
            "2026-11-20",
        ],
    )
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first == (
        f"tmall: error: {ORDERS / 'items_2024_excel.csv'}:2: column 主订单编号 (order_id): ID in "
        "scientific notation (mangled by Excel; the original number cannot be recovered) "
        "(value '5.11384E+18')"
    )


def test_the_excel_resaved_file_reads_as_the_original() -> None:
    """Dates 2026/10/20 9:12 (no seconds), money 239: the same orders as the 2022 file."""
    with Inputs({"orders": [str(ORDERS / "ExportOrderList2022_excel.csv")]}) as resaved:
        again = resaved.load("orders", ("order_id", "paid_amount", "paid_at")).frame
    with Inputs({"orders": [str(ORDERS / "ExportOrderList2022.csv")]}) as original:
        first = original.load("orders", ("order_id", "paid_amount", "paid_at")).frame
    assert again["order_id"].to_list() == first["order_id"].to_list()
    assert again["paid_amount"].to_list() == [23900, 6900, 12000, 3500]
    assert again["paid_amount"].to_list() == first["paid_amount"].to_list()
    # 09:12:05 re-saved as 9:12: the seconds are gone, nothing else.
    assert str(again["paid_at"][0]) == "2026-10-20 09:12:00"
    assert str(first["paid_at"][0]) == "2026-10-20 09:12:05"
    assert again["paid_at"].to_list()[1:] == first["paid_at"].to_list()[1:]


def test_every_sheet_of_a_workbook_is_classified() -> None:
    reports = check(BOOK)
    assert [(r["file"], r["kind"]) for r in reports] == [
        (f"{BOOK}#订单报表", "orders"),
        (f"{BOOK}#销售明细", "order_items"),
        (f"{BOOK}#发货报表", None),
    ]
    shipping = reports[2]
    assert shipping["closest_kind"] == "orders"
    assert shipping["problems"][0]["problem"] == (
        "kind not recognised from the headers; closest: orders (订单报表), missing paid_at "
        "(订单付款时间 / 付款时间) (give --kind)"
    )
    # --sheet still forces one sheet.
    (forced,) = check(BOOK, extra=("--sheet", "销售明细"))
    assert (forced["file"], forced["kind"], forced["rows"]) == (str(BOOK), "order_items", 5)


def test_a_sheet_is_named_book_hash_sheet() -> None:
    named = sheet_path(BOOK, "销售明细")
    assert split_sheet(named) == (BOOK, "销售明细")
    assert split_sheet(BOOK) == (BOOK, None)
    assert expand_paths([str(named)]) == [named]
    reader = ExportReader(Path("."), ReadOptions())
    assert reader.sheets(BOOK) == [
        sheet_path(BOOK, n) for n in ("订单报表", "销售明细", "发货报表")
    ]
    mapping = classify(read_headers(reader.source(named))).mapping
    assert mapping is not None and mapping.kind.name == "order_items"


def test_dir_uses_each_sheet_for_its_kind_and_says_what_it_ignores(tmp_path: Path) -> None:
    shutil.copy(BOOK, tmp_path / "qianniu.xlsx")
    with Inputs({}, directory=tmp_path) as files:
        assert files.files == {
            "orders": [f"{tmp_path / 'qianniu.xlsx'}#订单报表"],
            "order_items": [f"{tmp_path / 'qianniu.xlsx'}#销售明细"],
        }
        assert files.ignored == [f"{tmp_path / 'qianniu.xlsx'}#发货报表"]
        assert files.notes() == [
            f"ignored {tmp_path / 'qianniu.xlsx'}#发货报表 (headers match no export kind; "
            "closest: orders (订单报表), missing paid_at (订单付款时间 / 付款时间))"
        ]


def test_an_explicit_workbook_gives_its_sheet_of_the_kind() -> None:
    """--orders book.xlsx reads the 订单报表 sheet, not the first sheet blindly."""
    with Inputs({"orders": [str(BOOK)], "order_items": [str(BOOK)]}) as files:
        orders = files.load("orders", ("order_id", "paid_amount"))
        assert [s.display for s in orders.sources] == [f"{BOOK}#订单报表"]
        items = files.load("order_items", ("order_id", "item_title"))
        assert [s.display for s in items.sources] == [f"{BOOK}#销售明细"]
        assert items.frame["item_title"].to_list() == [
            "羊毛围巾",
            "帆布包",
            "真丝衬衫",
            "棉袜",
            "丝巾",
        ]


def test_a_workbook_without_a_sheet_of_the_kind_says_what_each_sheet_is() -> None:
    with Inputs({"logistics": [str(BOOK)]}) as files, pytest.raises(Exception) as raised:
        files.load("logistics")
    assert f"{BOOK}: no sheet of the workbook is a logistics export" in str(raised.value)
    assert "订单报表: read as orders" in (raised.value.hint or "")  # type: ignore[attr-defined]


def test_order_items_stand_in_for_the_orders_only_with_payment_columns() -> None:
    with Inputs({"order_items": [str(ORDERS / "ExportOrderDetailList2022.csv")]}) as files:
        assert files.has("orders")
        loaded = files.load("orders", ("order_id", "paid_amount", "paid_at", "item_title"))
        # O3's two items (100.00 + 20.00) folded into one order of 120.00; the titles of the
        # order's items joined by "；".
        frame = loaded.frame.select("order_id", "paid_amount", "item_title")
        assert frame.rows() == [
            ("5113840000000000101", 23900, "羊毛围巾"),
            ("5113840000000000102", 6900, "帆布包"),
            ("5113840000000000103", 12000, "真丝衬衫；棉袜"),
            ("5113840000000000104", 3500, "丝巾"),
        ]
        assert [r.kind for r in files.reads()] == ["orders", "order_items"]
    with Inputs({"order_items": [str(ORDERS / "ExportOrderDetailList2018.csv")]}) as files:
        assert not files.has("orders")  # no 订单付款时间 / 买家实际支付金额 in 2018


def test_kind_detection_prefers_the_kind_that_explains_most_headers() -> None:
    # An item-detail file with payment columns is complete as orders too: it explains more
    # headers as order_items.
    headers = [
        "订单编号",
        "标题",
        "价格",
        "购买数量",
        "商家编码",
        "订单状态",
        "买家实际支付金额",
        "订单付款时间",
    ]
    classified = classify(headers)
    assert classified.mapping is not None and classified.mapping.kind.name == "order_items"
    # The per-item order export says 商品标题 / 商品价格: orders.
    classified = classify(
        ["主订单编号", "子订单编号", "商品标题", "商品价格", "订单付款时间", "买家实付金额"]
    )
    assert classified.mapping is not None and classified.mapping.kind.name == "orders"
    # Nothing matches: no kind, and no closest either.
    assert classify(["a", "b"]).closest is None
    assert classify(["a", "b"]).verdict() == "headers match no export kind"
