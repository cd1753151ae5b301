"""``tmall portfolio`` and ``portfolio merge`` → one table of shops, worst first (SPEC §15).

JSON: ``{"as_of", "shard", "shops": [{"shop", "status", "error", "service_total", "partial",
"failed_checks", "report", …}]}``; the table, CSV and Markdown one row per shop; the HTML index
the same table, each shop's name linking its report (relative links, so the folder can be
moved or served as it is).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from tmallcli.render.document import BAD, GOOD, WARN, Cell, Column, Document, Section, cell
from tmallcli.render.labels import labels_for
from tmallcli.render.report import LABELS as REPORT_LABELS

if TYPE_CHECKING:
    from tmallcli.render.labels import Labels
    from tmallcli.runs.portfolio import Portfolio, ShopRow

LABELS: dict[str, tuple[str, str]] = {
    "title": ("店铺总览", "Portfolio"),
    "line": (
        "统计日期 {as_of} · {shops} 家店铺: {errors} 家出错, {failed} 家未达标, {ok} 家达标",
        "As of {as_of} · {shops} shop(s): {errors} error(s), {failed} failing a check, {ok} ok",
    ),
    "shard": ("第 {index}/{count} 片", "shard {index}/{count}"),
    "worst_first": (
        "排序: 出错 > 未达标 > 达标, 同类按基础服务考核分从低到高",
        "Worst first: error, then failing a check, then ok; within each, the lowest service "
        "score first",
    ),
    "shops": ("店铺", "Shops"),
    "shop": ("店铺", "Shop"),
    "status": ("状态", "Status"),
    "status.ok": ("✓ 达标", "✓ ok"),
    "status.check_failed": ("✗ 未达标", "✗ check failed"),
    "status.error": ("✗ 出错", "✗ error"),
    "service_total": REPORT_LABELS["service_total"],
    "dsr": ("DSR 描述/服务/物流", "DSR described / service / logistics"),
    "pickup": ("24小时揽收及时率", "24h pickup rate"),
    "failed_checks": ("未达标项", "Failed checks"),
    "error": ("错误", "Error"),
    "report": ("报告", "Report"),
    "coverage": ("({used}/{total} 项)", "({used}/{total} metrics)"),
    "check.service_total": REPORT_LABELS["service_total"],
    "check.dsr.description": ("DSR 描述相符", "DSR described"),
    "check.dsr.service": ("DSR 服务态度", "DSR service"),
    "check.dsr.logistics": ("DSR 物流服务", "DSR logistics"),
    "check.cs_average": ("客服评价", "CS rating"),
    "check.refunds_72h": REPORT_LABELS["refunds_72h"],
    "check.reviews_overdue": REPORT_LABELS["reviews_overdue"],
    "check.stale": ("{kind} 导出过期", "{kind} export stale"),
}
STYLES = {"ok": GOOD, "check_failed": BAD, "error": BAD}


def service_text(row: ShopRow, t: Labels) -> str:
    """``2.95``, or ``2.95 (6/8 项)`` for a total from part of its metrics (SPEC §14)."""
    if row.service_total is None:
        return "—"
    text = f"{row.service_total:.2f}"
    if row.partial and row.metrics_used is not None:
        text += " " + t("coverage", used=row.metrics_used, total=row.metrics_total)
    return text


def dsr_text(row: ShopRow) -> str:
    scores = (row.dsr_description, row.dsr_service, row.dsr_logistics)
    if all(s is None for s in scores):
        return "—"
    return " / ".join("—" if s is None else f"{s:.2f}" for s in scores)


def checks_text(row: ShopRow, t: Labels) -> str:
    checks = [t(f"check.{key}") for key in row.failed_checks]
    return ", ".join(checks + [t("check.stale", kind=kind) for kind in row.stale])


@dataclass
class PortfolioReport:
    portfolio: Portfolio

    def to_json(self) -> dict[str, Any]:
        shard = self.portfolio.shard
        return {
            "as_of": self.portfolio.as_of,
            # "i/n" for one slice (merge checks that every slice is there once), else null
            "shard": None if shard is None else f"{shard[0]}/{shard[1]}",
            "shops": [row.to_json() for row in self.portfolio.rows],
        }

    def headline(self, t: Labels) -> str:
        rows = self.portfolio.rows
        count = {status: sum(r.status == status for r in rows) for status in STYLES}
        line = t(
            "line",
            as_of=self.portfolio.as_of,
            shops=len(rows),
            errors=count["error"],
            failed=count["check_failed"],
            ok=count["ok"],
        )
        if self.portfolio.shard is not None:
            index, total = self.portfolio.shard
            line += " · " + t("shard", index=index, count=total)
        return line

    def columns(self, t: Labels) -> list[Column]:
        return [
            Column("shop", t("shop")),
            Column("status", t("status")),
            Column("service_total", t("service_total"), numeric=True),
            Column("dsr", t("dsr")),
            Column("pickup_24h_rate", t("pickup"), numeric=True),
            Column("failed_checks", t("failed_checks")),
            Column("error", t("error")),
            Column("report", t("report")),
        ]

    def cells(self, row: ShopRow, t: Labels) -> list[Cell]:
        rate = row.pickup_24h_rate
        return [
            Cell(row.shop, raw=row.shop),
            Cell(t(f"status.{row.status}"), STYLES[row.status], row.status),
            Cell(
                service_text(row, t),
                WARN if row.partial else None,
                "" if row.service_total is None else row.service_total,
            ),
            Cell(dsr_text(row)),
            cell(None) if rate is None else Cell(f"{rate:.2%}", raw=rate),
            Cell(checks_text(row, t), BAD if row.failed_checks or row.stale else None),
            Cell(row.error or "", BAD if row.error else None),
            Cell(row.report or ""),
        ]

    def document(self, labels: Labels) -> Document:
        t = labels.of(LABELS)
        doc = Document(t("title"))
        doc.line(self.headline(t))
        doc.line(t("worst_first"), "dim")
        rows = [self.cells(row, t) for row in self.portfolio.rows]
        doc.sections.append(Section("shops", t("shops"), self.columns(t), rows))
        return doc


def index_html(report: PortfolioReport, index: Path, lang: str) -> str:
    """The HTML index at ``index``: the table, each shop's name linking its report relative
    to the index's folder (a shop without a report, an error row, has its error instead)."""
    from tmallcli.render.html.page import css

    t = labels_for(lang).of(LABELS)
    columns = report.columns(t)
    head = "".join(f"<th>{escape(c.label)}</th>" for c in columns if c.key != "report")
    body = []
    for row in report.portfolio.rows:
        cells = report.cells(row, t)
        tds = []
        for column, value in zip(columns, cells, strict=True):
            if column.key == "report":
                continue
            text = escape(value.text)
            if column.key == "shop" and row.report:
                href = os.path.relpath(Path(row.report).resolve(), index.resolve().parent)
                text = f'<a href="{escape(quote(Path(href).as_posix()))}">{text}</a>'
            # the report's cell classes (report.css): the table's colours, numbers aligned
            classes = [c for c in ("red", "green", "yellow", "bold") if c in (value.style or "")]
            classes += ["num"] if column.numeric else []
            klass = f' class="{" ".join(classes)}"' if classes else ""
            tds.append(f"<td{klass}>{text}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    title = t("title")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} {escape(report.portfolio.as_of)}</title>"
        f"<style>\n{css()}</style></head><body><main>"
        f'<header><h1>{escape(title)}</h1><p class="meta">{escape(report.headline(t))}</p>'
        f'<p class="meta">{escape(t("worst_first"))}</p></header>'
        f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div></main></body></html>\n"
    )
