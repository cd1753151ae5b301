"""A cell as a CSV or a workbook carries it (SPEC §14): what the table shows, plain."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from tmallcli.render.document import Cell, Column, Section
from tmallcli.render.labels import Labels
from tmallcli.render.plain import plain, plain_table

ZH, EN = Labels("zh"), Labels("en")


@pytest.mark.parametrize(
    ("cell", "value", "unit", "text"),
    [
        (Cell("90.95%", raw=0.9095394736842105), 0.9095394736842105 * 100, "%", "90.95"),
        (Cell("0.00%", raw=0.0), 0.0, "%", "0.00"),
        (Cell("0.159%", raw=1 / 628), 100 / 628, "%", "0.159"),
        # a difference already in percent, its sign in words: the sign comes from the value
        (Cell("低于1.30%", raw=-1.3), -1.3, "%", "-1.30"),
        (Cell("+0.18pp", raw=0.0017661183100827495), 0.17661183100827495, "%", "0.18"),
        (Cell("5.9 小时", raw=5.9385), 5.9385, "小时", "5.9"),
        (Cell("≥ 4.00", raw=4.0), 4.0, "", "4.00"),
        (Cell("4.13", raw=4.125), 4.125, "", "4.13"),  # rounded half up by the renderer
        (Cell("730.60", raw=730.5997), 730.5997, "", "730.60"),
    ],
)
def test_a_number_as_the_table_shows_it(cell: Cell, value: float, unit: str, text: str) -> None:
    p = plain(cell, ZH, numeric=True)
    assert p.value == pytest.approx(value, rel=1e-12) and p.unit == unit and p.text == text


def test_a_pair_shown_together_stays_as_shown() -> None:
    assert plain(Cell("5.94 → 5.82", raw=5.8237), ZH).value == "5.94 → 5.82"


def test_codes_and_yes_no_in_the_language() -> None:
    assert plain(Cell("未揽收", raw="not_picked"), ZH).value == "未揽收"
    assert plain(Cell("Not picked up", raw="not_picked"), EN).value == "not_picked"
    assert (
        plain(Cell("商品问题、物流问题", raw="product;logistics"), ZH).value == "商品问题、物流问题"
    )
    assert plain(Cell("—", raw=False), ZH).value == "否"
    assert plain(Cell("可申请客服介入", raw=True), ZH).value == "是"
    assert plain(Cell("yes", raw=True), EN).value is True
    # a name that happens to be lower-case ASCII is not a code: the text is the value
    assert plain(Cell("tb_tqq24", raw="tb_tqq24"), ZH).value == "tb_tqq24"


def test_ids_money_and_times_are_whole() -> None:
    assert plain(
        Cell("3205169470603313880", raw="3205169470603313880"), ZH, numeric=False
    ).value == ("3205169470603313880")
    money = plain(Cell("39.90", raw="39.90"), ZH, numeric=True)
    assert money.value == Decimal("39.90") and money.digits == 2 and money.text == "39.90"
    paid = datetime(2026, 10, 21, 13, 23, 57)
    assert plain(Cell("2026-10-21 13:23", raw=paid), ZH).value == paid  # seconds kept
    assert plain(Cell("10-27 13:06", raw="2026-10-27 13:06:07"), ZH).value == datetime(
        2026, 10, 27, 13, 6, 7
    )
    assert plain(Cell("—", raw=""), ZH).value is None


def test_a_column_of_mixed_units_gets_a_unit_column() -> None:
    section = Section(
        "scores",
        "评分",
        [Column("item", "项目"), Column("value", "数值", numeric=True)],
        [
            [Cell("24小时揽收及时率", raw="pickup_24h_rate"), Cell("90.95%", raw=0.90954)],
            [Cell("仅退款自主完结时长", raw="refund_only_hours"), Cell("5.9 小时", raw=5.9385)],
            [Cell("宝贝与描述相符", raw="dsr.description"), Cell("4.74", raw=4.7377)],
        ],
    )
    table = plain_table(section, ZH)
    assert table.labels == ["项目", "数值", "数值 单位"]
    assert [[p.text or p.value for p in row] for row in table.rows] == [
        ["24小时揽收及时率", "90.95", "%"],
        ["仅退款自主完结时长", "5.9", "小时"],
        ["宝贝与描述相符", "4.74", None],
    ]
    assert plain_table(section, EN).labels[2] == "数值 unit"
