"""中差评 triage result → JSON contract (SPEC §10) and labelled tables."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tmallcli.metrics.reviews import BAD as BAD_RATING
from tmallcli.metrics.reviews import (
    NEUTRAL,
    TriageResult,
)
from tmallcli.render.document import BAD, GOOD, WARN, Cell, Column, Document, Section, cell
from tmallcli.render.labels import pick
from tmallcli.render.serialise import Shape, many
from tmallcli.timeframe import AsOf

LABELS: dict[str, tuple[str, str]] = {
    "title": ("中差评处理", "Medium and bad reviews"),
    "good_rate": ("好评率", "Positive rate"),
    "good_rate.none": ("无评价", "no ratings"),
    "good_rate.days": ("近{days}天", "last {days} days"),
    "good": ("好评", "good"),
    "neutral": ("中评", "neutral"),
    "bad": ("差评", "bad"),
    "unrated": ("无评价结果", "unrated"),
    "from_dsr": ("由动态评分推定", "derived from DSR"),
    "unrecognized": ("无法识别的评价结果", "unrecognised 评价结果"),
    "window": ("中差评", "Medium/bad reviews"),
    "reviews": ("中差评", "medium/bad"),
    "unanswered": ("未回复", "unanswered"),
    "overdue": ("超过{hours}小时未回复", "unanswered for more than {hours} h"),
    "all_answered": ("中差评均已回复", "every medium/bad review has a reply"),
    "nothing": ("无中差评", "no medium or bad reviews"),
    "queue": ("中差评跟进队列", "Follow-up queue"),
    "queue.shown": ("显示前 {shown} 条，共 {total} 条", "showing {shown} of {total}"),
    "by_cause": ("中差评原因", "Causes"),
    "items": ("中差评最多的宝贝", "Items with the most medium/bad reviews"),
    "cause": ("原因", "Cause"),
    "causes": ("原因", "Causes"),
    "count": ("条数", "Reviews"),
    "order_id": ("订单编号", "Order"),
    "buyer": ("买家会员名", "Buyer"),
    "rating": ("评价", "Rating"),
    "rated_at": ("评价时间", "Rated at"),
    "hours": ("已过小时", "Hours since"),
    "replied": ("已回复", "Replied"),
    "comment": ("评价内容", "Comment"),
    "action": ("建议处理", "Suggested action"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    # The four causes of seed 001 ❸; a cause added in config shows its config label.
    "cause.product": ("商品问题", "Product"),
    "cause.service": ("服务问题", "Service"),
    "cause.logistics": ("物流问题", "Logistics"),
    "cause.buyer": ("买家原因", "Buyer's own reason"),
    "cause.unclassified": ("未分类", "Unclassified"),
}


def _l(key: str, lang: str) -> str:
    return pick(LABELS, key, lang)


def _first_step(action: str) -> str:
    """立即联系买家致歉，问清… → 立即联系买家致歉 (the part before the first comma)."""
    return re.split(r"[，,；;。]", action, maxsplit=1)[0]


# JSON shape (SPEC §10): the queue entry's keys in the contract's order.
ENTRY = Shape(
    keys=(
        "order_id",
        "buyer",
        "item_id",
        "item_title",
        "rating",
        "rating_from",
        "rated_at",
        "hours",
        "comment",
        "causes",
        "replied",
        "reply",
        "overdue",
        "action",
        "actions",
    )
)


@dataclass
class TriageReport:
    result: TriageResult
    as_of: AsOf

    @property
    def overdue(self) -> bool:
        """--check: an unanswered medium/bad review older than reply_within_hours."""
        return self.result.overdue > 0

    def to_json(self) -> dict[str, Any]:
        r = self.result
        return {
            "as_of": self.as_of.date,
            "as_of_instant": r.as_of,
            "good_rate": r.good_rate,
            "good_rate_window": {
                "start": r.good_rate_start,
                "end": r.window_end,
                "days": r.good_rate_days,
            },
            "counts": dict(r.counts),
            "rated": r.rated,
            "unrated": r.unrated,
            "rating_sources": dict(r.rating_sources),
            "unrecognized_ratings": r.unrecognized_ratings,
            "window": {"start": r.window_start, "end": r.window_end, "days": r.days},
            "reviews": r.reviews,
            "neutral": r.neutral,
            "bad": r.bad,
            "by_cause": dict(r.by_cause),
            "cause_labels": dict(r.cause_labels),
            "cause_actions": dict(r.cause_actions),
            "unanswered": r.unanswered,
            "reply_within_hours": r.reply_within_hours,
            "overdue": r.overdue,
            "queue_total": r.queue_total,
            "queue": many(r.queue, ENTRY),
            "items": many(r.items),
        }

    def _cause(self, key: str, lang: str) -> str:
        """Chinese: the config label (a shop may rename a cause); English: ours when known."""
        if lang == "en" and f"cause.{key}" in LABELS:
            return _l(f"cause.{key}", lang)
        return self.result.cause_labels.get(key, key)

    def document(self, lang: str) -> Document:
        r = self.result
        doc = Document(_l("title", lang))
        doc.line(
            f"{_l('as_of', lang)} {self.as_of.date}  ·  {_l('window', lang)} "
            f"{r.window_start:%Y-%m-%d %H:%M} … {r.window_end:%Y-%m-%d %H:%M}"
        )
        rate = (
            f"{r.good_rate:.2%} ({r.counts['good']}/{r.rated})"
            if r.good_rate is not None
            else _l("good_rate.none", lang)
        )
        counts = "  ·  ".join(f"{_l(k, lang)} {n}" for k, n in r.counts.items())
        doc.line(
            f"{_l('good_rate', lang)} ({_l('good_rate.days', lang).format(days=r.good_rate_days)})"
            f": {rate}  ·  {counts}",
            "bold",
        )
        extras = []
        if r.unrated:
            extras.append(f"{_l('unrated', lang)} {r.unrated}")
        if r.rating_sources.get("dsr"):
            extras.append(f"{_l('from_dsr', lang)} {r.rating_sources['dsr']}")
        if r.unrecognized_ratings:
            extras.append(f"{_l('unrecognized', lang)}: {', '.join(r.unrecognized_ratings)}")
        if extras:
            doc.line("  ·  ".join(extras), WARN)
        doc.line(
            f"{_l('reviews', lang)} {r.reviews} ({_l('neutral', lang)} {r.neutral}  ·  "
            f"{_l('bad', lang)} {r.bad})  ·  {_l('unanswered', lang)} {r.unanswered}"
        )
        if r.overdue:
            overdue = _l("overdue", lang).format(hours=r.reply_within_hours)
            doc.line(f"⚠ {overdue}: {r.overdue}", BAD)
        elif r.reviews and not r.unanswered:
            doc.line(f"✓ {_l('all_answered', lang)}", GOOD)
        elif not r.reviews:
            doc.line(f"✓ {_l('nothing', lang)}", GOOD)
        # First section: the queue (CSV output carries the first section only).
        doc.sections.append(self._queue_section(lang))
        doc.sections.append(self._cause_section(lang))
        doc.sections.append(self._items_section(lang))
        return doc

    def _queue_section(self, lang: str) -> Section:
        r = self.result
        # item_id is left to JSON and the items table: the row must fit a terminal, and the
        # order number (never truncated) already finds the review in 千牛.
        keys = (
            "order_id",
            "buyer",
            "item_title",
            "rating",
            "rated_at",
            "hours",
            "replied",
            "causes",
            "comment",
            "action",
        )
        columns = [Column(k, _l(k, lang), numeric=k == "hours") for k in keys]
        rows = []
        for e in r.queue:
            rating_style = BAD if e.rating == BAD_RATING else WARN if e.rating == NEUTRAL else None
            rows.append(
                [
                    cell(e.order_id),
                    cell(e.buyer),
                    cell(e.item_title),
                    Cell(_l(e.rating, lang), rating_style, e.rating),
                    Cell(f"{e.rated_at:%m-%d %H:%M}", raw=f"{e.rated_at:%Y-%m-%d %H:%M:%S}"),
                    Cell(f"{e.hours:.1f}", BAD if e.overdue else None, e.hours),
                    Cell(
                        _l("yes" if e.replied else "no", lang),
                        None if e.replied else BAD if e.overdue else WARN,
                        e.replied,
                    ),
                    Cell(
                        "、".join(self._cause(c, lang) for c in e.causes),
                        raw=";".join(e.causes),
                    ),
                    cell(e.comment),
                    # The table shows the action's first step; CSV carries the whole text and
                    # the causes table below spells every action out.
                    Cell(_first_step(e.action), raw=e.action),
                ]
            )
        notes = []
        if r.queue_total > len(r.queue):
            notes.append(_l("queue.shown", lang).format(shown=len(r.queue), total=r.queue_total))
        return Section("queue", _l("queue", lang), columns, rows, notes)

    def _cause_section(self, lang: str) -> Section:
        columns = [
            Column("cause", _l("cause", lang)),
            Column("count", _l("count", lang), numeric=True),
            Column("action", _l("action", lang)),
        ]
        rows = [
            [
                Cell(self._cause(key, lang), raw=key),
                cell(n),
                cell(self.result.cause_actions.get(key)),
            ]
            for key, n in self.result.by_cause.items()
        ]
        return Section("by_cause", _l("by_cause", lang), columns, rows)

    def _items_section(self, lang: str) -> Section:
        columns = [
            Column("item_id", _l("item_id", lang)),
            Column("item_title", _l("item_title", lang)),
            Column("count", _l("count", lang), numeric=True),
            Column("bad", _l("bad", lang), numeric=True),
            Column("neutral", _l("neutral", lang), numeric=True),
            Column("unanswered", _l("unanswered", lang), numeric=True),
        ]
        rows = [
            [
                cell(i.item_id),
                cell(i.item_title),
                cell(i.count),
                cell(i.bad),
                cell(i.neutral),
                cell(i.unanswered),
            ]
            for i in self.result.items
        ]
        return Section("items", _l("items", lang), columns, rows)
