"""The shop's DSR page written down (SPEC §3 "Where the DSR data really comes from").

The seller center shows, per dimension, the score, the raters over 180 days and each star's
share; a seller copies that into Excel and saves it (GBK, CRLF on Chinese Windows), or keeps a
small YAML file. Also a review export as the seller center gives it: no DSR columns (§2.1).
"""

from __future__ import annotations

from tests.data.layouts import csv_bytes

# Counts of 5 … 1 stars (hand-computed in tests/commands/test_score_dsr_stars.py):
#   描述相符 30,10,5,3,2  → 213/50 = 4.26
#   服务态度 45,3,1,0,1   → 241/50 = 4.82
#   物流服务 4,4,2,0,0    → 42/10  = 4.2 (ten 5-star ratings land exactly on 4.6)
COUNTS = [
    ["宝贝与描述相符", "50", "30", "10", "5", "3", "2"],
    ["卖家的服务态度", "50", "45", "3", "1", "0", "1"],
    ["物流服务的质量", "10", "4", "4", "2", "0", "0"],
]


def files() -> dict[str, bytes]:
    return {
        # Excel on Chinese Windows: GBK, CRLF, a header with a trailing space.
        "dsr_summary/店铺动态评分.csv": csv_bytes(
            ["维度 ", "评分人数", "5星", "4星", "3星", "2星", "1星"], COUNTS
        ),
        # The page's percentages as shown, UTF-8 with a BOM.
        "dsr_summary/dsr_percent.csv": csv_bytes(
            ["评分项", "评分", "评分人数", "5星占比", "4星占比", "3星占比", "2星占比", "1星占比"],
            [
                ["描述相符", "4.26", "50", "60.00%", "20.00%", "10.00%", "6.00%", "4.00%"],
                ["服务态度", "4.14", "7", "57.14%", "14.29%", "14.29%", "14.29%", "0.00%"],
                ["物流服务", "4.93", "1000", "96.15%", "2.05%", "0.90%", "0.40%", "0.50%"],
            ],
            encoding="utf-8",
            bom=True,
        ),
        # Only the score and the raters.
        "dsr_summary/dsr_score.csv": csv_bytes(
            ["维度", "评分", "评分人数"],
            [["描述相符", "4.82", "50"], ["物流服务", "4.5", "100"]],
        ),
        "dsr_summary/dsr_page.yaml": (
            "# 店铺动态评分 (copied from the seller center)\n"
            "描述相符: [30, 10, 5, 3, 2]\n"
            "service: {raters: 50, percent: ['90.00%', '6.00%', '2.00%', '0.00%', '2.00%']}\n"
            "logistics: {score: 4.5, raters: 100}\n"
        ).encode(),
        # A bad cell: a count that is not a whole number (line 3, column 4星).
        "dsr_summary/dsr_bad.csv": csv_bytes(
            ["维度", "评分人数", "5星", "4星", "3星", "2星", "1星"],
            [COUNTS[0], ["服务态度", "50", "45", "3.5", "1", "0", "1"]],
        ),
        # The review export as sellers have it: no DSR columns (DSR is anonymous).
        "dsr_summary/reviews_no_dsr.csv": csv_bytes(
            [
                "订单编号",
                "买家昵称",
                "评价时间",
                "评价结果",
                "评价内容",
                "解释内容",
                "宝贝ID",
                "宝贝标题",
            ],
            [
                [
                    '="4012345678901234567"',
                    "t***1",
                    "2026/11/18 9:12",
                    "好评",
                    "很好",
                    "",
                    "601",
                    "羊毛衫",
                ],
                [
                    '="4012345678901234568"',
                    "t***2",
                    "2026/11/19 21:05",
                    "差评",
                    "起球",
                    "",
                    "601",
                    "羊毛衫",
                ],
            ],
        ),
    }
