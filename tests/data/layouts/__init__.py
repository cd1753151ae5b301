"""Fixture files laid out exactly as the real seller-center exports of SPEC §2.1.

Each module here (one per family of layouts: ``orders.py``, ``refunds.py`` …) has a function
``files() -> dict[str, bytes]`` giving each fixture file's path (under ``files/``) and its bytes.
``python tests/data/make_layouts.py`` writes them all; the files are committed, and
``tests/exports/test_layouts.py`` checks that the committed files are exactly what the modules
write (bytes such as GBK or a BOM are easier to review as code than in a diff).

The helpers below make a file look as the seller center (or Excel on Chinese Windows) leaves
it: GBK, CRLF line ends, ``="…"`` around IDs, trailing spaces in headers, a leading ``'`` on
phone numbers, dates re-saved by Excel (``2026/10/20 9:12``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

# The per-item order export of 2024–26 (SPEC §2.1), in its column order: no buyer column.
PER_ITEM_HEADER = [
    "子订单编号",
    "主订单编号",
    "商品标题",
    "商品价格",
    "购买数量",
    "外部系统编号",
    "商品属性",
    "套餐信息",
    "联系方式备注",
    "订单状态",
    "商家编码",
    "支付单号",
    "买家应付货款",
    "买家实付金额",
    "退款状态",
    "退款金额",
    "订单创建时间",
    "订单付款时间",
    "发货时间",
    "应发货时间",
    "商品ID",
    "商家备注",
    "主订单买家留言",
    "物流单号",
    "物流公司",
    "是否主动赔付",
    "主动赔付金额",
    "主动赔付出账时间",
]


def excel_id(value: str) -> str:
    """An ID as the classic 订单报表 protects it from Excel: ``="123…"``."""
    return f'="{value}"'


def excel_phone(value: str) -> str:
    """A phone number with the leading apostrophe the export adds."""
    return f"'{value}"


def excel_resaved(moment: datetime, *, seconds: bool = False) -> str:
    """A time as Excel on Chinese Windows writes it back: ``2026/10/20 9:12`` (one-digit month,
    day and hour are not padded; no seconds unless the cell had a time format with them)."""
    text = f"{moment.year}/{moment.month}/{moment.day} {moment.hour}:{moment.minute:02d}"
    return text + (f":{moment.second:02d}" if seconds else "")


def plain(moment: datetime) -> str:
    """A time as the seller center writes it: ``2026-10-20 09:12:05``."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _cell(value: str) -> str:
    if any(c in value for c in ',"\r\n') or value.startswith("="):
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_bytes(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    encoding: str = "gbk",
    crlf: bool = True,
    bom: bool = False,
) -> bytes:
    """A CSV as the seller center writes it. ``header`` is written as given (keep the trailing
    spaces the real exports have, e.g. ``"订单付款时间 "``)."""
    end = "\r\n" if crlf else "\n"
    text = "".join(",".join(_cell(c) for c in line) + end for line in [header, *rows])
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom and encoding.replace("-", "").lower() == "utf8" else data
