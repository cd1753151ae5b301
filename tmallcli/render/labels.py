"""Labels in the seller's language: the Chinese platform term by default, English with ``--lang en``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

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


class Labels:
    """The label language, chosen once from ``--lang`` and handed to the renderer: the
    Chinese platform term by default, English with ``en``.

    ``labels(key)`` looks the key up in a command's own table (``labels.of(TABLE)``), then
    in the shared one above; ``values`` fill its ``{placeholders}``.
    """

    __slots__ = ("_table", "en", "lang")

    def __init__(self, lang: str = "zh", table: Mapping[str, tuple[str, str]] | None = None):
        self.lang = lang
        self.en = lang == "en"
        self._table = LABELS if table is None else table

    def of(self, table: Mapping[str, tuple[str, str]]) -> Labels:
        """The same language over a command's own table."""
        return Labels(self.lang, table)

    def __call__(self, key: str, **values: object) -> str:
        pair = self._table.get(key) or LABELS.get(key) or (key, key)
        text = pair[1] if self.en else pair[0]
        return text.format(**values) if values else text

    def either(self, zh: str, en: str) -> str:
        """A pair written in place (a unit, a short phrase) in this language."""
        return en if self.en else zh


ZH = Labels("zh")  # the JSON's labels and reasons are Chinese whatever --lang says
EN = Labels("en")


def labels_for(lang: str | Labels) -> Labels:
    """``--lang``'s value as labels (labels pass through)."""
    return lang if isinstance(lang, Labels) else Labels(lang)
