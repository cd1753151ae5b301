"""Labels in the seller's language: the Chinese platform term by default, English with ``--lang en``."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # DSR 店铺动态评分
    "dsr.title": ("店铺动态评分 DSR", "Detailed seller ratings (DSR)"),
    "dsr.description": ("宝贝与描述相符", "Item as described"),
    "dsr.service": ("卖家的服务态度", "Seller service"),
    "dsr.logistics": ("物流服务的质量", "Logistics service"),
    "dimension": ("评分项", "Dimension"),
    "score": ("评分", "Score"),
    "count": ("评分人数", "Ratings"),
    "industry": ("行业均值", "Industry"),
    "vs_industry": ("与同行比", "vs industry"),
    "flags": ("预警", "Flags"),
    "five_star_needed": ("需5分好评数", "5-star ratings needed"),
    "flag.search_demotion": ("搜索降权", "search demotion"),
    "flag.activity_ineligible": ("不能报名官方活动", "no official activities"),
    "dsr.no_flags": (
        "三项评分均不低于4.6：无搜索降权，可报名官方活动",
        "all three at or above 4.6: no demotion, activities open",
    ),
    "above": ("高于", "above"),
    "below": ("低于", "below"),
    "rolloff": ("滚出窗口预测", "Roll-off forecast"),
    "rolloff.days": ("天后", "in days"),
    "rolloff.leaving": ("滚出评分数", "Ratings leaving"),
    "items.title": ("描述相符最低的宝贝", "Items with the lowest description score"),
    "item_id": ("宝贝ID", "Item ID"),
    "item_title": ("宝贝标题", "Item title"),
    "low_share": ("≤3分占比", "Share ≤ 3"),
    "excluded": ("未计入", "Not counted"),
    "excluded.duplicate_order": ("同一订单重复评分", "same order rated again"),
    "excluded.over_monthly_cap": ("同一买家当月第4次及以后", "4th+ rating of a buyer in a month"),
    "excluded.outside_window": ("不在180天窗口内", "outside the 180-day window"),
    "as_of": ("统计日期", "As of"),
    "category": ("类目", "Category"),
    "none": ("无", "none"),
    # data check
    "check.title": ("导出文件检查", "Export check"),
    "check.kind": ("类型", "Kind"),
    "check.canonical": ("字段", "Field"),
    "check.header": ("表头", "Header"),
    "check.required": ("必需", "Required"),
    "check.rows": ("行数", "Rows"),
    "check.dates": ("日期范围", "Date range"),
    "check.encoding": ("编码", "Encoding"),
    "check.problems": ("问题", "Problems"),
    "check.missing": ("缺少", "missing"),
}


def label(key: str, lang: str = "zh") -> str:
    zh, en = LABELS.get(key, (key, key))
    return en if lang == "en" else zh


def pick(table: dict[str, tuple[str, str]], key: str, lang: str = "zh", **values: object) -> str:
    """A label from a command's own table, falling back to the shared one; ``values`` fill
    its ``{placeholders}``."""
    if key in table:
        zh, en = table[key]
        text = en if lang == "en" else zh
    else:
        text = label(key, lang)
    return text.format(**values) if values else text
