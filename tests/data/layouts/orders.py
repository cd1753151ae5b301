"""The order-side layouts of SPEC §2.1, one small shop in each.

Four orders, the same in every file (so each layout's numbers can be checked against the
others'), T = 2026-11-20 (pickup window: paid 2026-10-19 … 2026-11-17):

* O1 5113840000000000101 小明, paid 10-20 09:12:05, 239.00, 交易成功, shipped 10-20 15:00,
  picked up 10-20 16:00 (SF1001), 羊毛围巾;
* O2 …102 小明, paid 10-20 20:30:00, 59.00 + 10.00 postage, 交易成功, shipped 10-23 10:00,
  picked up 10-23 11:00 (SF1002), 帆布包;
* O3 …103 阿花, paid 10-25 10:00:00, 120.00 (真丝衬衫 100.00 + 棉袜 20.00), 卖家已发货,
  shipped 10-31 11:00, picked up 10-31 12:00 (SF1003, one parcel);
* O4 …104 老王, paid 10-26 08:00:00, 35.00, 交易关闭, never shipped, 丝巾.

``logistics.csv`` holds the tracking events (by 物流单号 and 订单编号). The files:

* ``ExportOrderList2018.csv`` / ``ExportOrderList2022.csv``: the classic 订单报表 (GBK, CRLF,
  ``="…"`` IDs, trailing header spaces, phones with ``'``); 2022 adds 买家会员昵称, 支付单号,
  支付详情, 延迟发货自动赔付金额, 发货时间, 主订单编号;
* ``ExportOrderList2022_excel.csv``: the 2022 file after a re-save in Excel (IDs bare, dates
  ``2026/10/20 9:12``, money ``239``, the 20-digit 支付单号 turned into ``2.02610E+19``);
* ``items_2025_bom.csv`` / ``items_2024_gbk.csv``: the per-item order export (no buyer,
  应发货时间; O1 promised to ship by 10-20 14:00); ``items_2024_excel.csv``: the same after
  Excel, its IDs ``5.11384E+18``;
* ``ExportOrderDetailList2018.csv`` / ``ExportOrderDetailList2022.csv``: the item-detail export
  (order_items; 2022 with 子订单编号 + 主订单编号 and the payment columns);
* ``partial_report.csv``: the public order report (no buyer, no status);
* ``items_export_sheet.xlsx``: the per-item export as a workbook of one sheet, ``export``;
* ``workbook/qianniu.xlsx``: a 千牛 workbook with sheets 订单报表 (no item titles), 销售明细
  (the items) and 发货报表 (no payment time: not an export the rules read).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import datetime
from io import BytesIO
from xml.sax.saxutils import escape

from tests.data.layouts import (
    PER_ITEM_HEADER,
    csv_bytes,
    excel_id,
    excel_phone,
    excel_resaved,
    plain,
)

ID = {n: f"511384000000000010{n}" for n in range(1, 5)}
SUB = {"1": "5113840000000000201", "2": "5113840000000000202"}
SUB.update({"3a": "5113840000000000203", "3b": "5113840000000000204", "4": "5113840000000000205"})
PAY_NO = {n: f"2026102022001{n}0000000{n}" for n in range(1, 5)}  # 20 digits

PAID = {
    1: datetime(2026, 10, 20, 9, 12, 5),
    2: datetime(2026, 10, 20, 20, 30),
    3: datetime(2026, 10, 25, 10, 0),
    4: datetime(2026, 10, 26, 8, 0),
}
CREATED = {n: PAID[n].replace(second=0, minute=max(PAID[n].minute - 2, 0)) for n in PAID}
SHIPPED = {
    1: datetime(2026, 10, 20, 15, 0),
    2: datetime(2026, 10, 23, 10, 0),
    3: datetime(2026, 10, 31, 11, 0),
}
PICKED = {
    1: datetime(2026, 10, 20, 16, 0),
    2: datetime(2026, 10, 23, 11, 0),
    3: datetime(2026, 10, 31, 12, 0),
}
BUYER = {1: "小明", 2: "小明", 3: "阿花", 4: "老王"}
STATUS = {1: "交易成功", 2: "交易成功", 3: "卖家已发货，等待买家确认", 4: "交易关闭"}
GOODS = {1: "239.00", 2: "59.00", 3: "120.00", 4: "35.00"}  # 买家应付货款
POSTAGE = {1: "0.00", 2: "10.00", 3: "0.00", 4: "0.00"}
PAID_AMOUNT = {1: "239.00", 2: "69.00", 3: "120.00", 4: "35.00"}
TITLE = {1: "羊毛围巾", 2: "帆布包", 3: "真丝衬衫，棉袜", 4: "丝巾"}
TRACKING = {1: "SF1001", 2: "SF1002", 3: "SF1003"}
# The items: (order, sub-order key, title, price, paid, 商家编码, 商品ID)
ITEMS = [
    (1, "1", "羊毛围巾", "239.00", "239.00", "WJ-01", "680000000001"),
    (2, "2", "帆布包", "59.00", "59.00", "FB-02", "680000000002"),
    (3, "3a", "真丝衬衫", "100.00", "100.00", "ZS-03", "680000000003"),
    (3, "3b", "棉袜", "20.00", "20.00", "MW-04", "680000000004"),
    (4, "4", "丝巾", "35.00", "35.00", "SJ-05", "680000000005"),
]


def _time(moments: dict[int, datetime], n: int, form: str = "plain") -> str:
    if n not in moments:
        return ""
    return excel_resaved(moments[n]) if form == "excel" else plain(moments[n])


CLASSIC_2018 = [
    "订单编号",
    "买家会员名",
    "买家支付宝账号",
    "买家应付货款",
    "买家应付邮费",
    "买家支付积分",
    "总金额",
    "返点积分",
    "买家实际支付金额",
    "买家实际支付积分",
    "订单状态",
    "买家留言",
    "收货人姓名",
    "收货地址 ",
    "运送方式",
    "联系电话 ",
    "联系手机",
    "订单创建时间",
    "订单付款时间 ",
    "宝贝标题 ",
    "宝贝种类 ",
    "物流单号 ",
    "物流公司",
    "订单备注",
    "宝贝总数量",
    "店铺Id",
    "店铺名称",
    "订单关闭原因",
    "卖家服务费",
    "买家服务费",
    "发票抬头",
    "是否手机订单",
    "退款金额",
    "确认收货时间",
    "打款商家金额",
]
CLASSIC_2022 = [
    *CLASSIC_2018[:2],
    "买家会员昵称",
    *CLASSIC_2018[2:],
    "支付单号",
    "支付详情",
    "延迟发货自动赔付金额",
    "发货时间",
    "主订单编号",
]


def _classic_row(n: int, *, v2022: bool, excel: bool) -> list[str]:
    form = "excel" if excel else "plain"
    oid = ID[n] if excel else excel_id(ID[n])

    def money(text: str) -> str:
        # Excel writes a number back without its trailing zeros: 239.00 -> 239.
        return text.removesuffix(".00") if excel else text

    count = "2" if n == 3 else "1"
    row = [
        oid,
        BUYER[n],
        f"buyer{n}@example.com",
        money(GOODS[n]),
        money(POSTAGE[n]),
        "0",
        money(PAID_AMOUNT[n]),
        "0",
        money(PAID_AMOUNT[n]),
        "0",
        STATUS[n],
        "请尽快发货" if n == 2 else "",
        BUYER[n],
        "浙江省 杭州市 西湖区 文三路 1 号(310000)",
        "快递",
        "" if excel else excel_phone("0571-88880000"),
        "13800000000" if excel else excel_phone("13800000000"),
        _time(CREATED, n, form),
        _time(PAID, n, form),
        TITLE[n],
        count,
        ("" if n not in TRACKING else TRACKING[n] if excel else excel_id(TRACKING[n])),
        "顺丰速运" if n in TRACKING else "",
        "",
        count,
        "100000001",
        "小店旗舰店",
        "买家不想要了" if n == 4 else "",
        "0",
        "0",
        "",
        "手机订单",
        money("35.00") if n == 4 else money("0.00"),
        "",
        money(PAID_AMOUNT[n]) if n in (1, 2) else money("0.00"),
    ]
    if not v2022:
        return row
    pay_no = f"{float(PAY_NO[n]):.6G}" if excel else excel_id(PAY_NO[n])
    return [
        *row[:2],
        BUYER[n],
        *row[2:],
        pay_no,
        f"支付宝:{money(PAID_AMOUNT[n])}",
        money("0.00"),
        _time(SHIPPED, n, form),
        oid,
    ]


def _classic(*, v2022: bool, excel: bool = False) -> bytes:
    header = CLASSIC_2022 if v2022 else CLASSIC_2018
    rows = [_classic_row(n, v2022=v2022, excel=excel) for n in ID]
    return csv_bytes(header, rows, encoding="gbk", crlf=True)


PER_ITEM = PER_ITEM_HEADER
# O1 promised to ship the same day (10-20 14:00), shorter than payment + 24 h.
PROMISED = {
    1: datetime(2026, 10, 20, 14, 0),
    2: datetime(2026, 10, 22, 20, 30),
    3: datetime(2026, 10, 27, 10, 0),
    4: datetime(2026, 10, 28, 8, 0),
}


def _per_item(*, encoding: str, bom: bool, also_sub_paid: bool, excel_ids: bool = False) -> bytes:
    header = [*PER_ITEM, "子单实际支付金额"] if also_sub_paid else PER_ITEM
    rows = []
    for n, key, title, price, paid, outer, item in ITEMS:
        sub, main = SUB[key], ID[n]
        if excel_ids:  # Excel shows a 19-digit number with 6 significant digits
            sub, main = f"{float(sub):.6G}", f"{float(main):.6G}"
        row = [
            sub,
            main,
            title,
            price,
            "1",
            "",
            "颜色分类:默认",
            "",
            "",
            STATUS[n],
            outer,
            PAY_NO[n],
            price,
            paid,
            "退款成功" if n == 4 else "没有申请退款",
            "35.00" if n == 4 else "0.00",
            _time(CREATED, n),
            _time(PAID, n),
            _time(SHIPPED, n),
            _time(PROMISED, n),
            item,
            "",
            "",
            TRACKING.get(n, ""),
            "顺丰速运" if n in TRACKING else "",
            "否",
            "0.00",
            "",
        ]
        rows.append([*row, paid] if also_sub_paid else row)
    return csv_bytes(header, rows, encoding=encoding, crlf=encoding == "gbk", bom=bom)


DETAIL_2018 = [
    "订单编号",
    "标题",
    "价格",
    "购买数量",
    "外部系统编号",
    "商品属性",
    "套餐信息",
    "备注",
    "订单状态",
    "商家编码",
]
DETAIL_2022 = [
    "子订单编号",
    "主订单编号",
    *DETAIL_2018[1:],
    "支付单号",
    "买家应付货款",
    "买家实际支付金额",
    "退款状态",
    "退款金额",
    "订单创建时间",
    "订单付款时间",
]


def _detail(*, v2022: bool) -> bytes:
    rows = []
    for n, key, title, price, paid, outer, _item in ITEMS:
        common = [title, price, "1", "", "颜色分类:默认", "", "", STATUS[n], outer]
        if not v2022:
            rows.append([excel_id(ID[n]), *common])
            continue
        rows.append(
            [
                excel_id(SUB[key]),
                excel_id(ID[n]),
                *common,
                excel_id(PAY_NO[n]),
                price,
                # O2's postage is paid with its one item: 59.00 + 10.00.
                "69.00" if n == 2 else paid,
                "退款成功" if n == 4 else "",
                "35.00" if n == 4 else "0.00",
                _time(CREATED, n),
                _time(PAID, n),
            ]
        )
    return csv_bytes(DETAIL_2022 if v2022 else DETAIL_2018, rows, encoding="gbk", crlf=True)


def _partial() -> bytes:
    header = [
        "订单编号",
        "总金额",
        "买家实际支付金额",
        "收货地址",
        "订单创建时间",
        "订单付款时间",
        "退款金额",
    ]
    rows = [
        [
            ID[n],
            PAID_AMOUNT[n],
            PAID_AMOUNT[n],
            "浙江省 杭州市",
            _time(CREATED, n),
            _time(PAID, n),
            "35.00" if n == 4 else "0.00",
        ]
        for n in ID
    ]
    return csv_bytes(header, rows, encoding="utf-8", crlf=False)


def _logistics() -> bytes:
    header = ["物流单号", "订单编号", "时间", "物流状态"]
    rows = []
    for n, tracking in TRACKING.items():
        rows.append([tracking, ID[n], plain(SHIPPED[n]), "卖家已发货，等待快递员揽收"])
        rows.append([tracking, ID[n], plain(PICKED[n]), "【杭州市】顺丰速运 快递员已揽收"])
    return csv_bytes(header, rows, encoding="utf-8", crlf=False)


# --- a 千牛 workbook, written as Excel writes an .xlsx (zip + SpreadsheetML) -------------


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _sheet_xml(rows: Sequence[Sequence[str | float]]) -> str:
    lines = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{_column(c)}{r}"
            if isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif value != "":
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        lines.append(f'<row r="{r}">{"".join(cells)}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(lines)}</sheetData></worksheet>"
    )


def xlsx_bytes(sheets: dict[str, Sequence[Sequence[str | float]]]) -> bytes:
    """A minimal .xlsx: one worksheet per entry, strings inline, numbers as numbers."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    names = list(sheets)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for i in range(1, len(names) + 1)
            )
            + "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            + "".join(
                f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
                for i, name in enumerate(names, start=1)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{pkg}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{rel}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(names) + 1)
            )
            + "</Relationships>"
        ),
    }
    for i, name in enumerate(names, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = _sheet_xml(sheets[name])
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 20, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            book.writestr(info, text.encode("utf-8"))
    return out.getvalue()


def _workbook() -> bytes:
    orders: list[list[str | float]] = [
        [
            "订单编号",
            "买家会员名",
            "买家实际支付金额",
            "买家应付邮费",
            "订单状态",
            "订单创建时间",
            "订单付款时间",
            "发货时间",
            "物流单号",
            "物流公司",
        ]
    ]
    for n in ID:
        orders.append(
            [
                ID[n],
                BUYER[n],
                float(PAID_AMOUNT[n]),
                float(POSTAGE[n]),
                STATUS[n],
                _time(CREATED, n),
                _time(PAID, n),
                _time(SHIPPED, n),
                TRACKING.get(n, ""),
                "顺丰速运" if n in TRACKING else "",
            ]
        )
    items: list[list[str | float]] = [
        ["订单编号", "标题", "价格", "购买数量", "商家编码", "订单状态"]
    ]
    for n, _key, title, price, _paid, outer, _item in ITEMS:
        items.append([ID[n], title, float(price), 1, outer, STATUS[n]])
    shipping: list[list[str | float]] = [
        ["订单编号", "买家会员名", "物流公司", "物流单号", "发货时间"]
    ]
    for n in TRACKING:
        shipping.append([ID[n], BUYER[n], "顺丰速运", TRACKING[n], _time(SHIPPED, n)])
    return xlsx_bytes({"订单报表": orders, "销售明细": items, "发货报表": shipping})


def _export_sheet() -> bytes:
    """The per-item export as 千牛 also gives it: a workbook of one sheet named ``export``,
    IDs as text (so intact), money as numbers."""
    header = [h for h in PER_ITEM if h not in ("外部系统编号", "套餐信息", "联系方式备注")]
    rows: list[list[str | float]] = [list(header)]
    for n, key, title, price, paid, outer, item in ITEMS:
        values = {
            "子订单编号": SUB[key],
            "主订单编号": ID[n],
            "商品标题": title,
            "商品价格": float(price),
            "购买数量": 1,
            "商品属性": "颜色分类:默认",
            "订单状态": STATUS[n],
            "商家编码": outer,
            "支付单号": PAY_NO[n],
            "买家应付货款": float(price),
            "买家实付金额": float(paid),
            "退款状态": "退款成功" if n == 4 else "没有申请退款",
            "退款金额": 35.0 if n == 4 else 0.0,
            "订单创建时间": _time(CREATED, n),
            "订单付款时间": _time(PAID, n),
            "发货时间": _time(SHIPPED, n),
            "应发货时间": _time(PROMISED, n),
            "商品ID": item,
            "物流单号": TRACKING.get(n, ""),
            "物流公司": "顺丰速运" if n in TRACKING else "",
            "是否主动赔付": "否",
            "主动赔付金额": 0.0,
        }
        rows.append([values.get(h, "") for h in header])
    return xlsx_bytes({"export": rows})


def files() -> dict[str, bytes]:
    return {
        "orders/ExportOrderList2018.csv": _classic(v2022=False),
        "orders/ExportOrderList2022.csv": _classic(v2022=True),
        "orders/ExportOrderList2022_excel.csv": _classic(v2022=True, excel=True),
        "orders/items_2025_bom.csv": _per_item(encoding="utf-8", bom=True, also_sub_paid=False),
        "orders/items_2024_gbk.csv": _per_item(encoding="gbk", bom=False, also_sub_paid=True),
        "orders/items_2024_excel.csv": _per_item(
            encoding="gbk", bom=False, also_sub_paid=True, excel_ids=True
        ),
        "orders/ExportOrderDetailList2018.csv": _detail(v2022=False),
        "orders/ExportOrderDetailList2022.csv": _detail(v2022=True),
        "orders/partial_report.csv": _partial(),
        "orders/logistics.csv": _logistics(),
        "orders/workbook/qianniu.xlsx": _workbook(),
        "orders/items_export_sheet.xlsx": _export_sheet(),
    }
