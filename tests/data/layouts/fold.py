"""The per-item order export (2024–26) of SPEC §2.1, one row per item and no buyer column, and
the same rows as an item export without 子订单编号 (the order number repeated per item): the
fold's end-to-end fixtures (tests/commands/test_fold_orders.py), with the tracking events and
a review export naming the buyers.

Six orders, as of 2026-11-20 (the pickup window is paid 2026-10-19 … 2026-11-17):
A  two items: one shipped and picked up 6 h after payment, one never shipped (no 物流单号)
B  two items in two parcels, picked up 3 h and 11 h after payment: timely
C  one item closed before shipping, one picked up 10 h after payment: timely
D  every item closed: 交易关闭, left out
E  two items in one parcel picked up 74 h after payment; 主动赔付金额 30.00 repeated on both rows
F  one item never shipped, paid 10 h after A by the same buyer (the review export says so)
"""

from __future__ import annotations

from tests.data.layouts import PER_ITEM_HEADER, csv_bytes

SHIPPED = "卖家已发货，等待买家确认"
WAITING = "买家已付款，等待卖家发货"
CLOSED = "交易关闭"

# (sub order, order, title, paid, status, created, paid at, shipped at, ship by, tracking,
#  carrier, platform paid)
ITEMS = [
    (
        "4100000000000000011",
        "4100000000000000001",
        "纯棉T恤 白色 L",
        "59.00",
        SHIPPED,
        "2026-11-10 09:58:12",
        "2026-11-10 10:00:00",
        "2026-11-10 15:00:00",
        "2026-11-12 10:00:00",
        "SF100000001",
        "顺丰速运",
        "",
    ),
    (
        "4100000000000000012",
        "4100000000000000001",
        "纯棉T恤 黑色 L",
        "41.00",
        WAITING,
        "2026-11-10 09:58:12",
        "2026-11-10 10:00:00",
        "",
        "2026-11-12 10:00:00",
        "",
        "",
        "",
    ),
    (
        "4100000000000000021",
        "4100000000000000002",
        "帆布包",
        "30.00",
        SHIPPED,
        "2026-11-11 08:59:30",
        "2026-11-11 09:00:00",
        "2026-11-11 11:00:00",
        "2026-11-13 09:00:00",
        "YT200000001",
        "圆通速递",
        "",
    ),
    (
        "4100000000000000022",
        "4100000000000000002",
        "帆布包 挂件",
        "20.00",
        SHIPPED,
        "2026-11-11 08:59:30",
        "2026-11-11 09:00:00",
        "2026-11-11 18:00:00",
        "2026-11-13 09:00:00",
        "YT200000002",
        "圆通速递",
        "",
    ),
    (
        "4100000000000000031",
        "4100000000000000003",
        "保温杯 红",
        "25.00",
        CLOSED,
        "2026-11-11 21:50:00",
        "2026-11-11 22:00:00",
        "",
        "2026-11-13 22:00:00",
        "",
        "",
        "",
    ),
    (
        "4100000000000000032",
        "4100000000000000003",
        "保温杯 蓝",
        "35.00",
        SHIPPED,
        "2026-11-11 21:50:00",
        "2026-11-11 22:00:00",
        "2026-11-12 07:00:00",
        "2026-11-13 22:00:00",
        "ZT400000001",
        "中通快递",
        "",
    ),
    (
        "4100000000000000041",
        "4100000000000000004",
        "袜子 5双装",
        "19.90",
        CLOSED,
        "2026-11-12 12:00:00",
        "2026-11-12 12:01:00",
        "",
        "2026-11-14 12:01:00",
        "",
        "",
        "",
    ),
    (
        "4100000000000000042",
        "4100000000000000004",
        "袜子 10双装",
        "35.00",
        CLOSED,
        "2026-11-12 12:00:00",
        "2026-11-12 12:01:00",
        "",
        "2026-11-14 12:01:00",
        "",
        "",
        "",
    ),
    (
        "4100000000000000051",
        "4100000000000000005",
        "羽绒服",
        "80.00",
        SHIPPED,
        "2026-11-05 09:59:00",
        "2026-11-05 10:00:00",
        "2026-11-08 10:00:00",
        "2026-11-07 10:00:00",
        "ZT300000001",
        "中通快递",
        "30.00",
    ),
    (
        "4100000000000000052",
        "4100000000000000005",
        "羽绒服 收纳袋",
        "20.00",
        SHIPPED,
        "2026-11-05 09:59:00",
        "2026-11-05 10:00:00",
        "2026-11-08 10:00:00",
        "2026-11-07 10:00:00",
        "ZT300000001",
        "中通快递",
        "30.00",
    ),
    (
        "4100000000000000061",
        "4100000000000000006",
        "围巾",
        "10.00",
        WAITING,
        "2026-11-10 19:59:00",
        "2026-11-10 20:00:00",
        "",
        "2026-11-12 20:00:00",
        "",
        "",
        "",
    ),
]


def per_item_row(item: tuple[str, ...]) -> list[str]:
    sub, order, title, paid, status, created, paid_at, shipped, ship_by, tracking, carrier, comp = (
        item
    )
    return [
        sub,
        order,
        title,
        paid,
        "1",
        "",
        "颜色分类:默认",
        "",
        "",
        status,
        "",
        "2026111000" + sub[-6:],
        paid,
        paid,
        "没有申请退款" if status != CLOSED else "退款成功",
        "" if status != CLOSED else paid,
        created,
        paid_at,
        shipped,
        ship_by,
        "6" + sub[-11:],
        "",
        "",
        tracking,
        carrier,
        "是" if comp else "否",
        comp,
        "2026-11-09 10:00:00" if comp else "",
    ]


# The same export with the order number repeated per item and no 子订单编号.
REPEATED_HEADER = ["订单编号", *PER_ITEM_HEADER[2:]]


def repeated_row(item: tuple[str, ...]) -> list[str]:
    return per_item_row(item)[1:]


EVENTS_HEADER = ["物流单号", "物流公司", "时间", "物流状态"]
EVENTS = [
    ("SF100000001", "顺丰速运", "2026-11-10 16:00:00", "【深圳宝安】顺丰速运 已揽收"),
    ("SF100000001", "顺丰速运", "2026-11-11 06:00:00", "快件到达【广州中转场】"),
    ("YT200000001", "圆通速递", "2026-11-11 12:00:00", "【杭州】已揽件"),
    ("YT200000002", "圆通速递", "2026-11-11 20:00:00", "【杭州】已揽收"),
    ("ZT400000001", "中通快递", "2026-11-12 08:00:00", "【义乌】已揽收"),
    ("ZT300000001", "中通快递", "2026-11-08 12:00:00", "【金华】已揽收"),
]

REVIEWS_HEADER = [
    "订单编号",
    "买家会员名",
    "评价时间",
    "宝贝与描述相符",
    "卖家的服务态度",
    "物流服务的质量",
]
REVIEWS = [
    ("4100000000000000001", "tb_小林", "2026-11-15 10:00:00", "5", "5", "5"),
    ("4100000000000000006", "tb_小林", "2026-11-16 10:00:00", "4", "5", "5"),
]


def files() -> dict[str, bytes]:
    return {
        "fold/per_item_orders.csv": csv_bytes(
            PER_ITEM_HEADER, [per_item_row(i) for i in ITEMS], encoding="utf-8", bom=True
        ),
        "fold/repeated_order_items.csv": csv_bytes(
            REPEATED_HEADER, [repeated_row(i) for i in ITEMS], encoding="gbk"
        ),
        "fold/tracking_events.csv": csv_bytes(EVENTS_HEADER, EVENTS, encoding="utf-8", crlf=False),
        "fold/reviews.csv": csv_bytes(REVIEWS_HEADER, REVIEWS, encoding="utf-8", bom=True),
    }
