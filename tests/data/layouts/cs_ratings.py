"""客服评价 exports as SPEC §2.1 describes them: the 客服评价 page's export graded in words
(店铺, 客服子账号, 顾客名称, 邀评时间, 评价时间, 评价来源, 评价结果) and the open-platform form
(评分 and 评价来源 as codes, accounts with the `cntaobao` prefix). Numbers in
``tests/commands/test_layouts_cs_ratings.py``.
"""

from __future__ import annotations

from tests.data.layouts import csv_bytes

SHOP = "木槿生活旗舰店"

WORDS_HEADER = ["店铺", "客服子账号", "顾客名称", "邀评时间", "评价时间", "评价来源", "评价结果"]


def _w(account: str, buyer: str, day: str, source: str, grade: str) -> list[str]:
    return [SHOP, account, buyer, f"{day} 10:00:00", f"{day} 10:05:12", source, grade]


# As of 2026-11-20, --last 7: 2026-11-13 … 2026-11-19.
WORDS_ROWS = [
    _w(f"{SHOP}:小王", "tb_nc26o", "2026-11-19", "平台自动邀评", "非常满意"),  # 5
    _w(f"{SHOP}:小王", "快乐的大熊猫", "2026-11-18", "客服邀评", "满意"),  # 4
    _w(f"{SHOP}:小王", "木子447534", "2026-11-15", "消费者自主评价", "一般"),  # 3
    _w(f"{SHOP}:小李", "z***9", "2026-11-14", "系统邀评", "不满意"),  # 2 (系统邀评: human)
    _w(f"{SHOP}:小李", "小鱼儿8899", "2026-11-13", "平台自动邀评", "非常不满意"),  # 1
    _w("服务助手", "买家A", "2026-11-17", "消费者自主评价", "非常满意"),  # bot: counts
    _w("服务助手", "买家B", "2026-11-16", "平台自动邀评", "满意"),  # bot: not its source
    _w(f"{SHOP}:小李", "买家C", "2026-11-16", "平台自动邀评", "很满意"),  # no mapping: warned
    _w(f"{SHOP}:小王", "买家D", "2026-11-10", "平台自动邀评", "非常满意"),  # before the period
]

OPEN_HEADER = [
    "评价的发送时间",
    "最后一次评价的时间",
    "发送评价邀请的商家客服昵称",
    "接收评价的消费者昵称",
    "评分",
    "评价来源",
    "评价标签",
]


def _o(account: str, buyer: str, day: str, code: str, source: str, tags: str) -> list[str]:
    return [f"{day} 09:00:00", f"{day} 09:30:00", f"cntaobao{account}", buyer, code, source, tags]


OPEN_ROWS = [
    _o(f"{SHOP}:小王", "买家E", "2026-11-19", "0", "0", "专业,耐心"),  # 5, 客服邀评
    _o(f"{SHOP}:小王", "买家F", "2026-11-18", "1", "2", "响应快"),  # 4, 系统邀评
    _o(f"{SHOP}:小张", "买家G", "2026-11-17", "4", "1", "答非所问"),  # 1, 消费者自主评价
    _o("服务助手", "买家H", "2026-11-16", "2", "1", ""),  # bot 3, 消费者自主评价
]


def files() -> dict[str, bytes]:
    return {
        "cs_ratings/客服评价_导出.csv": csv_bytes(WORDS_HEADER, WORDS_ROWS),
        "cs_ratings/open_platform_ratings.csv": csv_bytes(
            OPEN_HEADER, OPEN_ROWS, encoding="utf-8", crlf=False
        ),
    }
