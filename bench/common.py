"""What the pandas and DuckDB baselines share: where a shop's files are, and the rule numbers.

The rule numbers are copied from ``config/default.yaml`` (the platform rules of SPEC §3–§10)
the way an analyst would paste them at the top of a script. This module imports neither
pandas nor DuckDB nor the ``tmallcli`` package, so each baseline process pays only for its
own library.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

# The commands the baselines implement (their headline numbers); bench/run.py times these and
# the report, which no baseline computes. (The export kinds are tmallcli.exports.kinds.KINDS.)
COMMANDS = (
    "score-dsr",
    "audit-pickup",
    "compensate-late-orders",
    "audit-response",
    "audit-refunds",
    "score-cs",
    "reviews-triage",
    "score-service",
    "data-check",
)

DEFAULT_AS_OF = "2026-11-20"

# §3 DSR
DSR_WINDOW_DAYS = 180
DSR_DELAY_MINUTES = 30
DSR_MONTHLY_CAP = 3
# §4 pickup
PICKUP_HOURS = 24
PICKUP_WINDOW = (32, 3)  # T−32 … T−3
PICKUP_EXCLUDE = ("交易关闭",)
PICKUP_WORDS = ("已揽收", "已揽件", "揽收成功", "揽件", "已收件")
CAINIAO_WORDS = ("正在发往分拨中心", "已进入分拨中心", "已完成分拨集包", "已从分拨中心发出")
NOT_PICKUP_WORDS = (
    "等待揽收",
    "待揽收",
    "等待揽件",
    "待揽件",
    "揽收失败",
    "揽件失败",
    "取消揽件",
    "取消揽收",
)
# §5 compensation
SHIP_WITHIN_HOURS = 48
LATE_RATE_NUM, LATE_RATE_DEN = 3, 10  # 30 %
LATE_MINIMUM_FEN = 500
GROUP_CAP_FEN = 50_000
GROUP_WINDOW_HOURS = 24
CLOSED_STATUSES = ("交易关闭",)
# §6 / §8 after-sales and disputes
AFTER_SALES_WINDOW = (30, 1)  # T−30 … T−1
COMPLAINT_WINDOW = (34, 5)  # T−34 … T−5
NOT_INTERVENED = ("不需要客服介入", "无需客服介入", "未介入", "否", "无", "n", "no", "false", "0")
SELLER_AT_FAULT = ("卖家责任", "卖家")
# §7 consultations
RESPONSE_WINDOW = (30, 1)
FAST_REPLY_SECONDS = 180
SERVICE_HOURS = (8 * 3600, 23 * 3600)  # 08:00 inclusive … 23:00 exclusive
BUYER_WORDS = ("买家", "buyer", "顾客", "客户", "customer")
SELLER_WORDS = ("卖家", "seller", "商家", "客服", "shop")
TRUE_WORDS = ("是", "y", "yes", "true", "1", "t")
# §9 CS ratings
CS_HUMAN_SOURCES = ("平台自动邀评", "客服邀评", "消费者自主评价")
CS_BOT_SOURCES = ("消费者自主评价",)
CS_BOT_ACCOUNT = "服务助手"
CS_LAST_DAYS = 30
# §10 reviews
GOOD_RATE_DAYS = 180
TRIAGE_DAYS = 30
RATING_WORDS = {
    "好评": "good",
    "好": "good",
    "默认好评": "good",
    "系统默认好评": "good",
    "中评": "neutral",
    "中": "neutral",
    "差评": "bad",
    "差": "bad",
}


class AsOf:
    """T and the as-of instant (T 23:59:59), with the day windows T−a … T−b."""

    def __init__(self, text: str) -> None:
        self.date = date.fromisoformat(text)
        self.instant = datetime.combine(self.date, time(23, 59, 59))

    def days(self, window: tuple[int, int]) -> tuple[date, date]:
        start, end = window
        return self.date - timedelta(days=start), self.date - timedelta(days=end)

    def day_bounds(self, window: tuple[int, int]) -> tuple[datetime, datetime]:
        """[first day 00:00, the day after the last day 00:00): a half-open datetime range."""
        first, last = self.days(window)
        return datetime.combine(first, time()), datetime.combine(last + timedelta(days=1), time())


def shop_files(shop: str | Path) -> dict[str, Path]:
    """kind → the (first) file of that kind, from the shop's ``manifest.json``."""
    folder = Path(shop)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {kind: folder / names[0] for kind, names in manifest["files"].items() if names}


def header_names(path: Path, encoding: str = "utf-8") -> dict[str, str]:
    """Stripped header → the header exactly as written (real exports have ``"物流单号 "``)."""
    with open(path, encoding=encoding, newline="") as handle:
        first = handle.readline()
    names = [h.strip().strip('"') for h in first.lstrip("\ufeff").rstrip("\r\n").split(",")]
    raw = [h.strip('"') for h in first.lstrip("\ufeff").rstrip("\r\n").split(",")]
    return dict(zip(names, raw, strict=True))


def emit(result: dict[str, object]) -> None:
    print(json.dumps(result, ensure_ascii=False, sort_keys=True))
