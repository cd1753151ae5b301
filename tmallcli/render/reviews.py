"""中差评 triage result → JSON contract (SPEC §10) and labelled tables."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tmallcli.metrics.reviews import BAD as BAD_RATING
from tmallcli.metrics.reviews import NEUTRAL
from tmallcli.render.document import BAD, GOOD, WARN, Cell, Column, Document, Section, cell
from tmallcli.render.serialise import Shape, many
from tmallcli.render.verdicts import ILLUSTRATIVE, illustrative_note, marked

if TYPE_CHECKING:
    from tmallcli.metrics.reviews import TriageResult
    from tmallcli.render.labels import Labels
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
    threshold_source: str | None = None  # of reply_within_hours (SPEC §14)

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
            "threshold_source": self.threshold_source,
            "overdue": r.overdue,
            "queue_total": r.queue_total,
            "queue": many(r.queue, ENTRY),
            "items": many(r.items),
        }

    def _cause(self, key: str, t: Labels) -> str:
        """Chinese: the config label (a shop may rename a cause); English: ours when known."""
        if t.en and f"cause.{key}" in LABELS:
            return t(f"cause.{key}")
        return self.result.cause_labels.get(key, key)

    def document(self, labels: Labels) -> Document:
        t = labels.of(LABELS)
        r = self.result
        doc = Document(t("title"))
        doc.line(
            f"{t('as_of')} {self.as_of.date}  ·  {t('window')} "
            f"{r.window_start:%Y-%m-%d %H:%M} … {r.window_end:%Y-%m-%d %H:%M}"
        )
        rate = (
            f"{r.good_rate:.2%} ({r.counts['good']}/{r.rated})"
            if r.good_rate is not None
            else t("good_rate.none")
        )
        counts = "  ·  ".join(f"{t(k)} {n}" for k, n in r.counts.items())
        doc.line(
            f"{t('good_rate')} ({t('good_rate.days').format(days=r.good_rate_days)})"
            f": {rate}  ·  {counts}",
            "bold",
        )
        extras = []
        if r.unrated:
            extras.append(f"{t('unrated')} {r.unrated}")
        if r.rating_sources.get("dsr"):
            extras.append(f"{t('from_dsr')} {r.rating_sources['dsr']}")
        if r.unrecognized_ratings:
            extras.append(f"{t('unrecognized')}: {', '.join(r.unrecognized_ratings)}")
        if extras:
            doc.line("  ·  ".join(extras), WARN)
        doc.line(
            f"{t('reviews')} {r.reviews} ({t('neutral')} {r.neutral}  ·  "
            f"{t('bad')} {r.bad})  ·  {t('unanswered')} {r.unanswered}"
        )
        if r.overdue:
            hours = marked(str(r.reply_within_hours), self.threshold_source)
            overdue = t("overdue").format(hours=hours)
            doc.line(f"⚠ {overdue}: {r.overdue}", BAD)
            if self.threshold_source == ILLUSTRATIVE:
                doc.line(illustrative_note(labels), "dim")
        elif r.reviews and not r.unanswered:
            doc.line(f"✓ {t('all_answered')}", GOOD)
        elif not r.reviews:
            doc.line(f"✓ {t('nothing')}", GOOD)
        # First section: the queue (CSV output carries the first section only).
        doc.sections.append(self._queue_section(t))
        doc.sections.append(self._cause_section(t))
        doc.sections.append(self._items_section(t))
        return doc

    def _queue_section(self, t: Labels) -> Section:
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
        columns = [Column(k, t(k), numeric=k == "hours") for k in keys]
        rows = []
        for e in r.queue:
            rating_style = BAD if e.rating == BAD_RATING else WARN if e.rating == NEUTRAL else None
            rows.append(
                [
                    cell(e.order_id),
                    cell(e.buyer),
                    cell(e.item_title),
                    Cell(t(e.rating), rating_style, e.rating),
                    Cell(f"{e.rated_at:%m-%d %H:%M}", raw=f"{e.rated_at:%Y-%m-%d %H:%M:%S}"),
                    Cell(f"{e.hours:.1f}", BAD if e.overdue else None, e.hours),
                    Cell(
                        t("yes" if e.replied else "no"),
                        None if e.replied else BAD if e.overdue else WARN,
                        e.replied,
                    ),
                    Cell(
                        "、".join(self._cause(c, t) for c in e.causes),
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
            notes.append(t("queue.shown").format(shown=len(r.queue), total=r.queue_total))
        return Section("queue", t("queue"), columns, rows, notes)

    def _cause_section(self, t: Labels) -> Section:
        columns = [
            Column("cause", t("cause")),
            Column("count", t("count"), numeric=True),
            Column("action", t("action")),
        ]
        rows = [
            [
                Cell(self._cause(key, t), raw=key),
                cell(n),
                cell(self.result.cause_actions.get(key)),
            ]
            for key, n in self.result.by_cause.items()
        ]
        return Section("by_cause", t("by_cause"), columns, rows)

    def _items_section(self, t: Labels) -> Section:
        columns = [
            Column("item_id", t("item_id")),
            Column("item_title", t("item_title")),
            Column("count", t("count"), numeric=True),
            Column("bad", t("bad"), numeric=True),
            Column("neutral", t("neutral"), numeric=True),
            Column("unanswered", t("unanswered"), numeric=True),
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
        return Section("items", t("items"), columns, rows)
