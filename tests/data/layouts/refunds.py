"""Refund exports as SPEC §2.1 describes them: the classic GBK export (no 卖家同意退货时间,
发货物流信息 saying whether the goods left) and the 2024 export of 54 columns (售后类型 with
its many values), yesterday's and today's. The numbers they give are worked out in
``tests/commands/test_layouts_refunds.py``.
"""

from __future__ import annotations

from datetime import datetime

from tests.data.layouts import csv_bytes, excel_id, excel_resaved, plain

# ---------------------------------------------------------------------------- classic (GBK)

CLASSIC_HEADER = [
    "订单编号",
    "退款编号",
    "支付宝交易号",
    "订单付款时间 ",
    "商品id",
    "商品编码",
    "退款完结时间 ",
    "买家会员名称",
    "买家实际支付金额",
    "宝贝标题 ",
    "买家退款金额",
    "手工退款/系统退款",
    "是否需要退货",
    "退款的申请时间 ",
    "超时时间",
    "退款状态",
    "货物状态",
    "退货物流信息",
    "发货物流信息",
    "客服介入状态",
    "卖家真实姓名",
    "卖家退货地址",
    "卖家邮编",
    "卖家电话",
    "卖家手机",
    "退货物流单号",
    "退货物流公司",
    "买家退款原因",
    "买家退款说明",
    "买家退货时间",
    "责任方",
    "售中或售后",
    "商家备注",
    "完结时间",
    "部分退款/全部退款",
    "审核操作人",
]


def _t(text: str | None) -> str:
    """An Excel re-saved time (``2026/11/10 9:00``) of ``YYYY-MM-DD HH:MM``, or empty."""
    return "" if text is None else excel_resaved(datetime.fromisoformat(text))


def _classic(
    order: str,
    refund: str,
    applied: str,
    *,
    needs_return: str,
    status: str,
    reason: str,
    amount: str,
    shipping: str = "",
    completed: str | None = None,
    returned: str | None = None,
    return_no: str = "",
    intervened: str = "不需要客服介入",
    ruling: str = "",
    stage: str = "售中",
) -> list[str]:
    cells = {
        "订单编号": excel_id(order),
        "退款编号": excel_id(refund),
        "支付宝交易号": excel_id("2026" + order[-12:]),
        "订单付款时间 ": _t("2026-10-28 08:00"),
        "商品id": excel_id("612572401471"),
        "商品编码": "MJ-0001",
        "退款完结时间 ": _t(completed),
        "买家会员名称": "tb_" + order[-4:],
        "买家实际支付金额": amount,
        "宝贝标题 ": "新疆长绒棉毛巾 3条装",
        "买家退款金额": amount,
        "手工退款/系统退款": "系统退款",
        "是否需要退货": needs_return,
        "退款的申请时间 ": _t(applied),
        "超时时间": "",
        "退款状态": status,
        "货物状态": "买家已收到货" if shipping else "买家未收到货",
        "退货物流信息": "" if not return_no else f"中通快递,{return_no}",
        "发货物流信息": shipping,
        "客服介入状态": intervened,
        "卖家真实姓名": "木槿生活",
        "卖家退货地址": "浙江省杭州市萧山区 木槿生活仓",
        "卖家邮编": "311200",
        "卖家电话": "",
        "卖家手机": "'13800000000",
        "退货物流单号": return_no,
        "退货物流公司": "中通快递" if return_no else "",
        "买家退款原因": reason,
        "买家退款说明": "",
        "买家退货时间": _t(returned),
        "责任方": ruling,
        "售中或售后": stage,
        "商家备注": "",
        "完结时间": _t(completed),
        "部分退款/全部退款": "全部退款",
        "审核操作人": "",
    }
    return [cells[h] for h in CLASSIC_HEADER]


# As of 2026-11-20 (window 2026-10-21 … 2026-11-19):
CLASSIC_ROWS = [
    # 仅退款 (是否需要退货 否) 6 h; 发货物流信息 empty: not shipped, so the 未发货仅退款 rule matches
    _classic(
        "4351110001",
        "1201110001",
        "2026-11-10 09:00",
        needs_return="否",
        status="退款成功",
        reason="多拍",
        amount="39.90",
        completed="2026-11-10 15:00",
    ),
    # 仅退款 12 h, shipped (发货物流信息 filled): no rule matches
    _classic(
        "4351110002",
        "1201110002",
        "2026-11-12 20:00",
        needs_return="否",
        status="退款成功",
        reason="协商一致",
        amount="59.00",
        shipping="中通快递,78349729895142",
        completed="2026-11-13 08:00",
    ),
    # 退货退款, no agreement time: returned 48 h after the application, completed 96 h after it:
    # seller 96 − 48 = 48 h (the agreement taken at the application)
    _classic(
        "4351110003",
        "1201110003",
        "2026-11-01 10:00",
        needs_return="是",
        status="退款成功",
        reason="7天无理由",
        amount="119.00",
        shipping="中通快递,78349729895143",
        completed="2026-11-05 10:00",
        returned="2026-11-03 10:00",
        return_no="78349729899001",
        stage="售后",
    ),
    # 退货退款: returned 6 h after the application, completed 48 h after it: seller 42 h
    _classic(
        "4351110004",
        "1201110004",
        "2026-11-08 12:00",
        needs_return="是",
        status="退款成功",
        reason="尺码不合适",
        amount="89.00",
        shipping="韵达快递,4312345678901",
        completed="2026-11-10 12:00",
        returned="2026-11-08 18:00",
        return_no="78349729899002",
        stage="售后",
    ),
    # 客服介入, ruled 卖家: left out of the hours, one dispute refund
    _classic(
        "4351110005",
        "1201110005",
        "2026-11-02 10:00",
        needs_return="是",
        status="退款成功",
        reason="质量问题",
        amount="199.00",
        shipping="顺丰速运,SF1400000000001",
        completed="2026-11-09 10:00",
        returned="2026-11-03 10:00",
        return_no="78349729899003",
        intervened="客服已介入",
        ruling="卖家",
        stage="售后",
    ),
    # waiting for the seller since 11-19 10:00: 37.9997 h at 2026-11-20 23:59:59; not shipped
    _classic(
        "4351110006",
        "1201110006",
        "2026-11-19 10:00",
        needs_return="否",
        status="买家已经申请退款，等待卖家同意",
        reason="7天无理由",
        amount="25.00",
    ),
]

# ---------------------------------------------------------------------------- 2024 (54 columns)

HEADER_2024 = [
    "订单编号",
    "子订单编号",
    "退款编号",
    "支付单号",
    "订单付款时间",
    "商品ID",
    "商品编码",
    "宝贝标题",
    "商品属性",
    "购买数量",
    "买家会员名",
    "买家实付金额",
    "买家退款金额",
    "售后类型",
    "退款的申请时间",
    "超时时间",
    "退款状态",
    "货物状态",
    "发货物流公司",
    "发货物流信息",
    "卖家同意退货时间",
    "退货物流公司",
    "退货物流单号",
    "买家退货时间",
    "客服介入状态",
    "买家退款原因",
    "买家退款说明",
    "责任方",
    "售中或售后",
    "退款完结时间",
    "商家备注",
    "部分退款/全部退款",
    "退款方式",
    "退款渠道",
    "是否极速退款",
    "是否闪电退款",
    "审核操作人",
    "退款操作人",
    "退款原因标签",
    "举证超时时间",
    "是否零秒响应",
    "店铺名称",
    "店铺ID",
    "卖家退货地址",
    "收货人",
    "收货人手机",
    "平台介入时间",
    "判责时间",
    "赔付金额",
    "运费险",
    "退运费金额",
    "商家编码",
    "SKU ID",
    "外部系统编号",
]
assert len(HEADER_2024) == 54


def _r2024(
    refund: str,
    kind: str,
    applied: str,
    *,
    status: str = "退款成功",
    reason: str = "不想要了",
    amount: str = "49.00",
    completed: str | None = None,
    agreed: str | None = None,
    returned: str | None = None,
    return_no: str = "",
) -> list[str]:
    cells = dict.fromkeys(HEADER_2024, "")
    cells |= {
        "订单编号": "28616490570" + refund[-4:],
        "子订单编号": "28616490571" + refund[-4:],
        "退款编号": refund,
        "支付单号": "2026111022001" + refund[-4:],
        "订单付款时间": "2026-11-01 10:00:00",
        "商品ID": "677370775350",
        "宝贝标题": "冰丝凉席三件套 可折叠",
        "购买数量": "1",
        "买家会员名": "橘子汽水" + refund[-4:],
        "买家实付金额": amount,
        "买家退款金额": amount,
        "售后类型": kind,
        "退款的申请时间": plain(datetime.fromisoformat(applied)),
        "退款状态": status,
        "卖家同意退货时间": "" if agreed is None else plain(datetime.fromisoformat(agreed)),
        "退货物流公司": "中通快递" if return_no else "",
        "退货物流单号": return_no,
        "买家退货时间": "" if returned is None else plain(datetime.fromisoformat(returned)),
        "客服介入状态": "不需要客服介入",
        "买家退款原因": reason,
        "售中或售后": "售后",
        "退款完结时间": "" if completed is None else plain(datetime.fromisoformat(completed)),
        "店铺名称": "木槿生活旗舰店",
    }
    return [cells[h] for h in HEADER_2024]


# Today's export (as of 2026-11-20; window 2026-10-21 … 2026-11-19).
TODAY = [
    _r2024("5001000001", "仅退款", "2026-11-15 10:00", completed="2026-11-15 14:00"),  # 4 h
    _r2024("5001000002", "售后退款", "2026-11-16 08:00", completed="2026-11-16 09:30"),  # 1.5 h
    _r2024("5001000003", "售中退款", "2026-11-17 12:00", completed="2026-11-17 14:30"),  # 2.5 h
    # 退货退款: 72 h elapsed − 24 h of buyer time (agreed 11-10 12:00 → uploaded 11-11 12:00)
    _r2024(
        "5001000004",
        "退货退款",
        "2026-11-10 10:00",
        agreed="2026-11-10 12:00",
        returned="2026-11-11 12:00",
        return_no="75123456789001",
        completed="2026-11-13 10:00",
    ),
    _r2024("5001000005", "换货", "2026-11-12 10:00", completed="2026-11-14 10:00"),  # neither
    _r2024("5001000006", "维修", "2026-11-12 11:00", completed="2026-11-16 10:00"),  # neither
    # a type no config knows, no return: typed 仅退款 from the row, 6 min = 0.1 h
    _r2024("5001000007", "极速退款", "2026-11-18 09:00", completed="2026-11-18 09:06"),
    # a type no config knows with a return upload: typed 退货退款, 72 h − 24 h = 48 h
    _r2024(
        "5001000008",
        "退货换货",
        "2026-11-05 10:00",
        agreed="2026-11-05 11:00",
        returned="2026-11-06 11:00",
        return_no="75123456789002",
        completed="2026-11-08 10:00",
    ),
    # yesterday 待卖家处理; today done (on T: outside the window, and off the waiting list)
    _r2024("5001000009", "仅退款", "2026-11-19 08:00", completed="2026-11-20 09:00"),
    # waiting for the seller since T 10:00: 13.9997 h
    _r2024("5001000010", "仅退款", "2026-11-20 10:00", status="待卖家处理"),
]

# Yesterday's export: two refunds also in today's (today's rows win), one only here.
YESTERDAY = [
    _r2024("5001000001", "仅退款", "2026-11-15 10:00", completed="2026-11-15 14:00"),
    _r2024("5001000009", "仅退款", "2026-11-19 08:00", status="待卖家处理"),
    _r2024("5000990001", "仅退款", "2026-11-02 10:00", completed="2026-11-02 13:00"),  # 3 h
]


def files() -> dict[str, bytes]:
    return {
        "refunds/ExportRefundList_classic.csv": csv_bytes(CLASSIC_HEADER, CLASSIC_ROWS),
        "refunds/refund_2024_20261120.csv": csv_bytes(
            HEADER_2024, TODAY, encoding="utf-8", bom=True
        ),
        "refunds/refund_2024_20261119.csv": csv_bytes(
            HEADER_2024, YESTERDAY, encoding="utf-8", bom=True
        ),
    }
