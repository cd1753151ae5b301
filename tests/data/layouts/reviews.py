"""Review exports as SPEC §2.1 describes them: 评价结果, 评价内容, 评价解释 / 解释内容, 评价时间,
评价者昵称 (the buyer), 宝贝ID, 宝贝标题 — no order number, no per-order DSR (the ratings are
anonymous); one export also has 物流服务评分. Numbers in ``tests/commands/test_layouts_reviews.py``.
"""

from __future__ import annotations

from datetime import datetime

from tests.data.layouts import csv_bytes, excel_resaved

HEADER = ["评价结果", "评价内容", "评价解释", "评价时间 ", "评价者昵称", "宝贝ID", "宝贝标题"]


def _t(text: str) -> str:
    return excel_resaved(datetime.fromisoformat(text))


# As of 2026-11-20: 好评率 over 180 days, 中差评 of the last 30 days.
ROWS = [
    [
        "好评",
        "性价比很高，推荐购买",
        "",
        _t("2026-11-19 21:36"),
        "木子447534",
        "612572401471",
        "新疆长绒棉毛巾 3条装",
    ],
    [
        "好评",
        "东西不错，给家里人也买了一套",
        "",
        _t("2026-11-02 09:12"),
        "橘子汽水55594",
        "677370775350",
        "冰丝凉席三件套 可折叠",
    ],
    ["好评", "", "", _t("2026-08-15 10:00"), "t***1", "612572401471", "新疆长绒棉毛巾 3条装"],
    # 中评, logistics (快递员态度), unanswered: 2026-11-18 10:00 → 61.9997 h at 11-20 23:59:59
    [
        "中评",
        "快递员态度很差，放门口就走了",
        "",
        _t("2026-11-18 10:00"),
        "小鱼儿8899",
        "677370775350",
        "冰丝凉席三件套 可折叠",
    ],
    # 差评, product, answered
    [
        "差评",
        "质量差，洗了一次就掉色",
        "亲，非常抱歉，已为您安排换货",
        _t("2026-11-10 08:30"),
        "z***9",
        "612572401471",
        "新疆长绒棉毛巾 3条装",
    ],
    # older than 180 days: not in the 好评率
    [
        "差评",
        "与描述不符",
        "",
        _t("2026-04-01 10:00"),
        "老顾客",
        "612572401471",
        "新疆长绒棉毛巾 3条装",
    ],
]

# The variant with 物流服务评分 (and 解释内容): a per-rating logistics score, nothing else.
HEADER_LOGISTICS = [
    "评价结果",
    "评价内容",
    "解释内容",
    "评价时间",
    "评价者昵称",
    "宝贝ID",
    "宝贝标题",
    "物流服务评分",
]
ROWS_LOGISTICS = [
    [
        "好评",
        "发货很快",
        "",
        "2026-11-19 10:00:00",
        "买家A",
        "612572401471",
        "新疆长绒棉毛巾 3条装",
        "5",
    ],
    ["好评", "", "", "2026-11-15 10:00:00", "买家B", "612572401471", "新疆长绒棉毛巾 3条装", "4"],
    ["好评", "", "", "2026-11-01 10:00:00", "买家C", "677370775350", "冰丝凉席三件套 可折叠", "5"],
    [
        "中评",
        "物流太慢",
        "",
        "2026-10-20 10:00:00",
        "买家D",
        "677370775350",
        "冰丝凉席三件套 可折叠",
        "3",
    ],
]


def files() -> dict[str, bytes]:
    return {
        "reviews/评价管理_导出.csv": csv_bytes(HEADER, ROWS),
        "reviews/评价_物流服务评分.csv": csv_bytes(
            HEADER_LOGISTICS, ROWS_LOGISTICS, encoding="utf-8", bom=True
        ),
    }
