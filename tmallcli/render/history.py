"""``tmall history`` and ``tmall history backfill`` → JSON and tables (SPEC §15).

JSON: ``{"shop", "metrics": {figure: [{"as_of", "value"}, …]}}``, each series oldest first,
the value as recorded (unrounded: the exact figure the run judged). The table, CSV and
Markdown put one day per row and one figure per column, so a CSV opens in Excel as a series
to chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tmallcli.render.document import Cell, Column, Document, Section, cell
from tmallcli.render.report import LABELS as REPORT_LABELS
from tmallcli.render.service import HOURS, SECONDS, format_value
from tmallcli.render.service import LABELS as SERVICE_LABELS

if TYPE_CHECKING:
    from tmallcli.render.labels import Labels
    from tmallcli.runs.backfill import Backfill
    from tmallcli.runs.history import Series

LABELS: dict[str, tuple[str, str]] = {
    **SERVICE_LABELS,
    "service_total": REPORT_LABELS["service_total"],
    "good_rate": REPORT_LABELS["good_rate"],
    "dsr_description": ("DSR 宝贝与描述相符", "DSR item as described"),
    "dsr_service": ("DSR 卖家的服务态度", "DSR seller service"),
    "dsr_logistics": ("DSR 物流服务的质量", "DSR logistics service"),
    "cs_human_average": ("客服评价 人工均分 (近30天)", "Human CS rating (30 days)"),
    "history.title": ("历史走势", "History"),
    "history.line": ("店铺 {shop} · 文件 {path}", "Shop {shop} · file {path}"),
    "history.span": ("{first} 至 {last}, 共 {days} 天", "{first} to {last}, {days} day(s)"),
    "history.empty": ("没有记录", "nothing recorded"),
    "history.series": ("每日指标", "Daily figures"),
    "backfill.title": ("历史回填", "History backfill"),
    "backfill.line": (
        "店铺 {shop} · 写入 {path}: {days} 天, {figures} 个指标值",
        "Shop {shop} · wrote {path}: {days} day(s), {figures} figure(s)",
    ),
    "backfill.days": ("回填的日期", "Days backfilled"),
    "figures": ("指标数", "Figures"),
    "as_of": ("统计日期", "As of"),
}
RATES = {"good_rate"}
# Times carry their unit in the column's label, so a cell is a plain number (a column of
# numbers keeps its width in a terminal table; "5.9 小时" would fold like text).
UNITS = {**dict.fromkeys(HOURS, ("小时", "h")), **dict.fromkeys(SECONDS, ("秒", "s"))}


def shown(key: str, value: float, labels: Labels) -> Cell:
    if key in RATES:
        text = f"{value:.2%}"
    elif key in HOURS:
        text = f"{value:.1f}"
    elif key in SECONDS:
        text = f"{value:.0f}"
    else:
        text = format_value(key, value, labels)
    return Cell(text, raw=value)


def heading(key: str, labels: Labels) -> str:
    unit = UNITS.get(key)
    return labels(key) if unit is None else f"{labels(key)} ({labels.either(*unit)})"


def series_json(shop: str, metrics: dict[str, list[Any]]) -> dict[str, Any]:
    return {
        "shop": shop,
        "metrics": {
            key: [{"as_of": p.as_of.isoformat(), "value": p.value} for p in points]
            for key, points in metrics.items()
        },
    }


def day_rows(
    metrics: dict[str, list[Any]], labels: Labels
) -> tuple[list[Column], list[list[Cell]]]:
    """One row per day, one column per figure (a day a figure was not recorded: —)."""
    days = sorted({p.as_of for points in metrics.values() for p in points})
    by_day = {key: {p.as_of: p.value for p in points} for key, points in metrics.items()}
    columns = [Column("as_of", labels("as_of"))]
    columns += [Column(key, heading(key, labels), numeric=True) for key in metrics]
    rows = [
        [
            Cell(day.isoformat(), raw=day.isoformat()),
            *(
                cell(None) if day not in by_day[key] else shown(key, by_day[key][day], labels)
                for key in metrics
            ),
        ]
        for day in days
    ]
    return columns, rows


@dataclass
class HistoryReport:
    series: Series

    def to_json(self) -> dict[str, Any]:
        return series_json(self.series.shop, self.series.metrics)

    def document(self, labels: Labels) -> Document:
        t = labels.of(LABELS)
        doc = Document(t("history.title"))
        doc.line(t("history.line", shop=self.series.shop, path=self.series.path))
        columns, rows = day_rows(self.series.metrics, t)
        if rows:
            doc.line(
                t("history.span", first=rows[0][0].text, last=rows[-1][0].text, days=len(rows))
            )
        else:
            doc.line(t("history.empty"), "dim")
        doc.sections.append(Section("series", t("history.series"), columns, rows))
        return doc


@dataclass
class BackfillReport:
    """What ``history backfill`` recorded: the same JSON shape as ``tmall history``."""

    backfill: Backfill

    def to_json(self) -> dict[str, Any]:
        b = self.backfill
        return {"history": b.path, **series_json(b.shop, b.metrics)}

    def document(self, labels: Labels) -> Document:
        t = labels.of(LABELS)
        b = self.backfill
        doc = Document(t("backfill.title"))
        figures = sum(len(points) for points in b.metrics.values())
        doc.line(t("backfill.line", shop=b.shop, path=b.path, days=len(b.days), figures=figures))
        columns, rows = day_rows(b.metrics, t)
        doc.sections.append(Section("days", t("backfill.days"), columns, rows))
        return doc
