"""The HTML shop report (SPEC §11): one self-contained file that opens offline.

Inline CSS, charts as inline SVG drawn by pygal (no JavaScript, no font files, no network:
the browser draws the Chinese labels with its own fonts), a layout that reads on a laptop
and on a phone. Below the charts come the tables of every section, rendered generically
from each command's own ``document(lang)``, and the diagnosis last.
"""

from __future__ import annotations

import re
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from tmallcli.render.document import Cell, Document, Section
from tmallcli.render.labels import pick

if TYPE_CHECKING:
    from tmallcli.render.report import ShopSummary

LABELS: dict[str, tuple[str, str]] = {
    "scores": ("评分", "Scores"),
    "todo": ("今日待办", "To do today"),
    "worst": ("失分最多的 3 项", "The 3 factors costing the most"),
    "charts": ("图表", "Charts"),
    "details": ("明细", "Details"),
    "diagnosis": ("诊断", "Diagnosis"),
    "rows": ("{n} 行", "{n} rows"),
    "rows.cut": ("显示前 {shown} 行, 共 {total} 行", "first {shown} of {total} rows"),
    "rows.more": (
        "只显示前 {shown} 行, 共 {total} 行; 完整列表: {command} -f json",
        "Showing the first {shown} of {total} rows; the full list: {command} -f json",
    ),
    "threshold": ("门槛", "threshold"),
    "score": ("得分", "score"),
    "points_lost": ("失分", "points lost"),
    "no_evidence": ("无明细", "no detail"),
    "footer": (
        "由 tmall {version} 生成 · 离线文件, 不引用任何外部资源 · 图表: pygal (SVG)",
        "Made by tmall {version} · offline file, no external resources · charts: pygal (SVG)",
    ),
    "files": ("读取的文件", "Files read"),
    "ignored": ("忽略的文件", "Files ignored"),
    "skipped": ("未生成的部分", "Sections not produced"),
    "nothing_failed": ("没有未达标的考核项。", "No check failed."),
    "failed_checks": ("未达标的考核项", "Checks that failed"),
    # charts
    "chart.dsr": ("店铺动态评分走势与滚出预测", "DSR trend and roll-off forecast"),
    "chart.dsr.note": (
        "每天结束时的180天窗口评分 (同单一次、每人每月最多3次、评价半小时后显示); "
        "{as_of} 之后的虚线: 没有新评分时, 旧评分滚出窗口后的评分。",
        "The 180-day score at the end of each day (one rating per order, at most 3 per buyer "
        "a month, shown 30 minutes after rating); dashed after {as_of}: the score as old "
        "ratings leave the window with no new ones.",
    ),
    "chart.dsr.partial": (
        "导出最早的评分在 {first}: {complete} 之前的窗口可能缺少更早的评分。",
        "The export's first rating is on {first}: windows before {complete} may miss older ratings.",
    ),
    "chart.dsr.forecast": ("{name} (预测)", "{name} (forecast)"),
    "chart.threshold": ("活动门槛 {value}", "activity threshold {value}"),
    "chart.demotion": ("降权线 {value}", "demotion line {value}"),
    "chart.breakdown": ("基础服务考核分: 各指标失分", "Service score: points lost per metric"),
    "chart.breakdown.note": (
        "总分 {total} = 5 − 各指标失分之和; 失分 = (5 − 得分) × 权重。",
        "Total {total} = 5 − the points lost; points lost = (5 − score) × weight.",
    ),
    "chart.pickup": ("24小时揽收及时率 (按付款日期)", "24h pickup rate by payment date"),
    "chart.pickup.note": (
        "付款日期 {start} … {end}; 虚线为整体 {rate}。",
        "Paid {start} … {end}; dashed: the whole window, {rate}.",
    ),
    "chart.pickup.rate": ("揽收及时率", "pickup rate"),
    "chart.pickup.overall": ("整体", "whole window"),
    "chart.misses": ("旺旺咨询: 各时段漏回", "Wangwang consultations missed by hour"),
    "chart.misses.note": (
        "咨询日期 {start} … {end}, 按买家首条消息的时段; 红色为当天未回复的咨询。",
        "Consultations {start} … {end} by the hour of the buyer's first message; red: not "
        "answered the same day.",
    ),
    "chart.misses.answered": ("已回复", "answered"),
    "chart.misses.missed": ("漏回", "missed"),
    "chart.refunds": ("退款自主完结时长 (小时)", "Refund completion time (hours)"),
    "chart.refunds.note": (
        "{start} … {end} 完结且未经小二介入的退款; 退货退款已扣除买家寄回时间。"
        "最慢一笔取自最慢的 {limit} 笔, 不在其中的类型不显示。",
        "Refunds completed {start} … {end} without platform intervention; return refunds "
        "exclude the buyer's shipping time. The slowest comes from the {limit} slowest "
        "refunds; a type not among them shows none.",
    ),
    "chart.refunds.mean": ("平均", "mean"),
    "chart.refunds.max": ("最慢一笔", "slowest"),
    "chart.refunds.count": ("{type} ({n} 笔)", "{type} ({n})"),
    "no_data": ("无数据", "no data"),
}

FONTS = (
    '-apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
    '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Helvetica Neue", '
    "Arial, sans-serif"
)
DSR_COLOURS = ("#1565c0", "#ef6c00", "#6a1b9a")
GREY = "#9e9e9e"
RED = "#c62828"
BLUE = "#1565c0"

CSS = """
:root{--bad:#c62828;--bad-bg:#fdecea;--good:#2e7d32;--good-bg:#edf7ee;--warn:#a15c00;
--muted:#5f6368;--line:#e3e5e8;--card:#fff;--page:#f4f5f7}
*{box-sizing:border-box}
body{margin:0;font-family:FONTS;color:#202124;background:var(--page);line-height:1.5;
-webkit-text-size-adjust:100%}
main{max-width:1180px;margin:0 auto;padding:16px}
h1{font-size:1.6rem;margin:8px 0 4px}
h2{font-size:1.25rem;margin:28px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:1.05rem;margin:0 0 4px}
.meta{color:var(--muted);font-size:.9rem;margin:0}
.verdict{margin:12px 0;padding:10px 14px;border-radius:8px;font-weight:600}
.verdict.bad{background:var(--bad-bg);color:var(--bad)}
.verdict.good{background:var(--good-bg);color:var(--good)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:12px}
.card{background:var(--card);border-radius:8px;padding:10px 12px;border-left:5px solid var(--line);
box-shadow:0 1px 2px rgba(0,0,0,.06)}
.card.bad{border-left-color:var(--bad);background:var(--bad-bg)}
.card.good{border-left-color:var(--good)}
.card .label{font-size:.85rem;color:var(--muted)}
.card .value{font-size:1.65rem;font-weight:650;font-variant-numeric:tabular-nums}
.card.bad .value{color:var(--bad)}
.card .sub{font-size:.8rem;color:var(--muted)}
.worst{background:var(--card);border-radius:8px;padding:8px 16px 8px 36px;margin:0}
.worst li{margin:6px 0}
.worst .lost{color:var(--bad);font-weight:600}
.worst ul{margin:2px 0;padding-left:18px;color:var(--muted);font-size:.9rem}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,520px),1fr));gap:16px}
figure{background:var(--card);margin:0;padding:12px;border-radius:8px;min-width:0}
figure.wide{grid-column:1/-1}
figcaption p{margin:0 0 6px;color:var(--muted);font-size:.85rem}
figure svg{width:100%;height:auto;display:block;min-width:420px;direction:ltr}
figure.wide svg{min-width:640px}
.chart{overflow-x:auto;-webkit-overflow-scrolling:touch}
/* a narrow screen scrolls the trend, starting at its right end: today and the forecast */
figure.wide .chart{direction:rtl}
section.report{margin-bottom:8px}
section.report .lines{margin:0 0 8px;padding-left:18px;font-size:.9rem}
details{background:var(--card);border-radius:8px;margin:8px 0;padding:4px 12px}
summary{cursor:pointer;font-weight:600;padding:6px 0}
summary .count{color:var(--muted);font-weight:400;font-size:.85rem}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap;
vertical-align:top}
th{background:#fafbfc;position:sticky;top:0}
.num{text-align:right;font-variant-numeric:tabular-nums}
td.wrap{white-space:normal;min-width:14em}
.note{color:var(--muted);font-size:.85rem;margin:4px 0}
.red{color:var(--bad)}.green{color:var(--good)}.yellow{color:var(--warn)}.dim{color:var(--muted)}
.bold{font-weight:600}
footer{color:var(--muted);font-size:.8rem;margin:32px 0 16px}
footer ul{padding-left:18px}
@media (max-width:640px){main{padding:8px}h1{font-size:1.3rem}
.cards{grid-template-columns:repeat(2,minmax(0,1fr));gap:8px}.card .value{font-size:1.3rem}
th,td{padding:3px 5px}}
@media print{details{page-break-inside:avoid}body{background:#fff}}
""".replace("FONTS", FONTS)

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_UUID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_WRAP_AT = 36  # characters: longer cell texts (reasons, evidence, comments) wrap
HTML_ROWS = 200  # rows per table in the page; a big shop's full lists are in the JSON
OPEN_ROWS = 25  # tables up to this long start unfolded
# The command that gives each section on its own (for its full lists).
COMMANDS = {
    "service": "tmall score service",
    "dsr": "tmall score dsr",
    "pickup": "tmall audit pickup",
    "response": "tmall audit response",
    "refunds": "tmall audit refunds",
    "compensation": "tmall compensate late-orders",
    "cs": "tmall score cs --last 30",
    "triage": "tmall reviews triage",
}


def _t(key: str, lang: str, **values: object) -> str:
    return pick(LABELS, key, lang, **values)


# ---------------------------------------------------------------------------- charts


def _style() -> Any:
    from pygal.style import Style

    return Style(
        font_family=FONTS,
        label_font_family=FONTS,
        major_label_font_family=FONTS,
        value_font_family=FONTS,
        value_label_font_family=FONTS,
        tooltip_font_family=FONTS,
        title_font_family=FONTS,
        legend_font_family=FONTS,
        no_data_font_family=FONTS,
        background="transparent",
        plot_background="#ffffff",
        foreground="#3c4043",
        foreground_strong="#202124",
        foreground_subtle="#9aa0a6",
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=13,
        value_font_size=11,
        colors=(BLUE, RED, "#2e7d32", "#ef6c00", "#6a1b9a", GREY),
    )


def _options(lang: str, **extra: Any) -> dict[str, Any]:
    options: dict[str, Any] = {
        "js": [],  # no <script> from a CDN: the chart is plain SVG
        "style": _style(),
        "disable_xml_declaration": True,
        "width": 600,
        "height": 360,
        "legend_at_bottom": True,
        "truncate_legend": -1,
        "truncate_label": -1,
        "no_data_text": _t("no_data", lang),
        "margin": 12,
    }
    options.update(extra)
    return options


def _static(root: Any) -> Any:
    """pygal always embeds its config as a <script>, even with ``js=[]``, and gives legend
    entries ids for that script (the same in every chart): a static chart needs neither."""
    for parent in list(root.iter()):
        if str(parent.get("id", "")).startswith("activate-serie"):
            del parent.attrib["id"]
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def _svg(chart: Any, name: str) -> str:
    """The chart as inline SVG with a stable id, without scripts or pygal's comments (a
    date and links)."""
    chart.uuid = name
    chart.add_xml_filter(_static)
    svg = str(chart.render(is_unicode=True))
    return _UUID.sub(f"chart-{name}", _COMMENT.sub("", svg))


def _cjk_room(labels: list[str], font_size: int) -> int:
    """Extra left margin for axis labels: pygal measures text as Latin (≈0.6 em a character),
    a Chinese character takes a whole em."""
    wide = max((sum(1 for ch in text if ord(ch) > 0x2E7F) for text in labels), default=0)
    return 12 + int(wide * font_size * 0.45)


def chart_dsr(summary: ShopSummary, lang: str) -> tuple[str, str, str] | None:
    import pygal

    from tmallcli.metrics.dsr import format_threshold
    from tmallcli.render.labels import label

    r = summary.report
    trend, result = r.dsr_trend, r.dsr
    if (
        trend is None
        or result is None
        or not any(v is not None for p in trend.points for v in p.scores.values())
    ):
        return None
    values = [v for p in trend.points for v in p.scores.values() if v is not None]
    thresholds = next(iter(result.dimensions.values())).thresholds if result.dimensions else {}
    low = min(values)
    guides = [float(t) for t in thresholds.values() if float(t) >= low - 0.15]
    bottom = max(1.0, min([low, *guides]) - 0.05)
    top = min(5.0, max(values) + 0.05)
    chart = pygal.Line(
        **_options(
            lang,
            width=1000,
            height=480,
            show_dots=False,
            stroke_style={"width": 2.5},
            range=(bottom, top),
            x_labels_major_every=14,
            show_minor_x_labels=False,
            legend_at_bottom_columns=4,
            margin_bottom=48,  # pygal sizes the legend for Latin text: room for 2 rows
            value_formatter=lambda v: f"{v:.2f}",
            style=_colours(*DSR_COLOURS, *DSR_COLOURS, *[RED, GREY][: len(guides)]),
        )
    )
    chart.x_labels = [f"{p.day:%m-%d}" for p in trend.points]
    for key in result.dimensions:
        chart.add(
            label(f"dsr.{key}", lang),
            [p.scores[key] if p.offset <= 0 else None for p in trend.points],
        )
    for key in result.dimensions:
        chart.add(
            _t("chart.dsr.forecast", lang, name=label(f"dsr.{key}", lang)),
            [p.scores[key] if p.offset >= 0 else None for p in trend.points],
            stroke_style={"width": 2.5, "dasharray": "6, 4"},
        )
    for threshold in sorted(thresholds.values(), reverse=True):
        if float(threshold) in guides:
            key = "chart.threshold" if threshold == max(thresholds.values()) else "chart.demotion"
            chart.add(
                _t(key, lang, value=format_threshold(threshold)),
                [float(threshold)] * len(trend.points),
                stroke_style={"width": 1.5, "dasharray": "2, 4"},
                show_dots=False,
            )
    note = _t("chart.dsr.note", lang, as_of=r.as_of.date)
    first, complete = trend.first_rating, trend.complete_from
    if first is not None and complete is not None and complete > trend.points[0].day:
        note += " " + _t("chart.dsr.partial", lang, first=f"{first:%Y-%m-%d}", complete=complete)
    return _t("chart.dsr", lang), note, _svg(chart, "dsr-trend")


def chart_breakdown(summary: ShopSummary, lang: str) -> tuple[str, str, str] | None:
    import pygal

    from tmallcli.metrics.service_score import round2
    from tmallcli.render.service import LABELS as SERVICE_LABELS

    s = summary.report.service
    if s is None or s.total is None:
        return None
    metrics = sorted(
        (m for m in s.metrics.values() if m.weight > 0 and m.score is not None),
        key=lambda m: (-m.points_lost, m.key),
    )
    if not metrics:
        return None
    labels = [pick(SERVICE_LABELS, m.key, lang) for m in reversed(metrics)]
    chart = pygal.HorizontalBar(
        **_options(
            lang,
            height=70 + 34 * len(metrics),
            margin_left=_cjk_room(labels, 12),
            show_legend=False,
            print_values=True,
            value_formatter=lambda v: f"{v:.2f}",
        )
    )
    chart.x_labels = labels
    chart.add(
        _t("points_lost", lang),
        [
            {"value": round(m.points_lost, 4), "color": RED if m.points_lost >= 0.25 else BLUE}
            for m in reversed(metrics)
        ],
    )
    note = _t("chart.breakdown.note", lang, total=f"{round2(s.total):.2f}")
    return _t("chart.breakdown", lang), note, _svg(chart, "score-breakdown")


def chart_pickup(summary: ShopSummary, lang: str) -> tuple[str, str, str] | None:
    import pygal

    p = summary.report.pickup
    if p is None or not p.daily or p.rate is None:
        return None
    rates = [None if t.rate is None else round(t.rate * 100, 2) for t in p.daily]
    known = [v for v in rates if v is not None]
    bottom = max(0.0, min([*known, p.rate * 100]) - 5)
    chart = pygal.Line(
        **_options(
            lang,
            range=(bottom, 100),
            x_label_rotation=0,
            x_labels_major_every=7,
            show_minor_x_labels=False,
            dots_size=3,
            value_formatter=lambda v: f"{v:.1f}%",
            style=_colours(BLUE, GREY),
        )
    )
    chart.x_labels = [f"{t.key:%m-%d}" if isinstance(t.key, date) else str(t.key) for t in p.daily]
    chart.add(_t("chart.pickup.rate", lang), rates)
    chart.add(
        f"{_t('chart.pickup.overall', lang)} {p.rate:.2%}",
        [round(p.rate * 100, 2)] * len(rates),
        show_dots=False,
        stroke_style={"width": 1.5, "dasharray": "4, 4"},
    )
    note = _t(
        "chart.pickup.note", lang, start=p.window_start, end=p.window_end, rate=f"{p.rate:.2%}"
    )
    return _t("chart.pickup", lang), note, _svg(chart, "pickup-daily")


def chart_misses(summary: ShopSummary, lang: str) -> tuple[str, str, str] | None:
    import pygal

    c = summary.report.response
    if c is None or not c.by_hour:
        return None
    hours = {h.hour: h for h in c.by_hour}
    chart = pygal.StackedBar(
        **_options(lang, height=340, legend_at_bottom_columns=2, style=_colours("#b0bec5", RED))
    )
    chart.x_labels = [str(h) for h in range(24)]
    chart.add(
        _t("chart.misses.answered", lang),
        [hours[h].answered if h in hours else 0 for h in range(24)],
    )
    chart.add(
        _t("chart.misses.missed", lang), [hours[h].missed if h in hours else 0 for h in range(24)]
    )
    note = _t("chart.misses.note", lang, start=c.window_start, end=c.window_end)
    return _t("chart.misses", lang), note, _svg(chart, "misses-by-hour")


def _colours(*colours: str) -> Any:
    style = _style()
    style.colors = colours
    return style


def chart_refunds(summary: ShopSummary, lang: str) -> tuple[str, str, str] | None:
    import pygal

    r = summary.report.refunds
    if r is None or not r.by_type:
        return None
    types = [b for b in r.by_type if b.key is not None and b.hours is not None]
    if not types:
        return None
    # The slowest list is sorted slowest first over the same refunds as by_type: the first
    # of a type is that type's slowest.
    slowest: dict[str, float] = {}
    for s in r.slowest:
        slowest.setdefault(s.refund_type, s.hours)
    chart = pygal.Bar(
        **_options(
            lang,
            height=320,
            print_values=True,
            value_formatter=lambda v: f"{v:.1f}",
            legend_at_bottom_columns=2,
            style=_colours(BLUE, "#ef9a9a"),
        )
    )
    chart.x_labels = [_t("chart.refunds.count", lang, type=b.key, n=b.count) for b in types]
    chart.add(_t("chart.refunds.mean", lang), [b.hours for b in types])
    chart.add(_t("chart.refunds.max", lang), [slowest.get(str(b.key)) for b in types])
    note = _t(
        "chart.refunds.note",
        lang,
        start=r.window_start,
        end=r.window_end,
        limit=r.rules.slowest_limit,
    )
    return _t("chart.refunds", lang), note, _svg(chart, "refund-durations")


CHARTS = (chart_dsr, chart_breakdown, chart_pickup, chart_misses, chart_refunds)


def charts(summary: ShopSummary, lang: str) -> list[tuple[str, str, str, str]]:
    """(name, title, note, svg) of every chart the report's data allows."""
    found = []
    for make in CHARTS:
        drawn = make(summary, lang)
        if drawn is not None:
            found.append((make.__name__.removeprefix("chart_"), *drawn))
    return found


# ---------------------------------------------------------------------------- tables

_STYLE_CLASSES = ("red", "green", "yellow", "dim", "bold")


def _classes(style: str | None) -> list[str]:
    return [c for c in _STYLE_CLASSES if style and c in style.split()]


def _cell(cell: Cell, numeric: bool) -> str:
    classes = _classes(cell.style)
    if numeric:
        classes.append("num")
    elif len(cell.text) > _WRAP_AT:
        classes.append("wrap")
    attr = f' class="{" ".join(classes)}"' if classes else ""
    return f"<td{attr}>{escape(cell.text)}</td>"


def table(
    section: Section,
    lang: str,
    source: str,
    *,
    open_rows: int = OPEN_ROWS,
    max_rows: int = HTML_ROWS,
) -> str:
    """One section as a foldable table; ``source`` is the section's key in the report."""
    shown = section.rows[:max_rows]
    head = "".join(
        f"<th{' class=num' if c.numeric else ''}>{escape(c.label)}</th>" for c in section.columns
    )
    body = "".join(
        "<tr>"
        + "".join(_cell(c, col.numeric) for c, col in zip(row, section.columns, strict=False))
        + "</tr>"
        for row in shown
    )
    notes = list(section.notes)
    total = len(section.rows)
    if total > len(shown):
        command = COMMANDS.get(source, "tmall")
        notes.append(_t("rows.more", lang, shown=len(shown), total=total, command=command))
        count = _t("rows.cut", lang, shown=len(shown), total=total)
    else:
        count = _t("rows", lang, n=total)
    state = " open" if total <= open_rows else ""
    note_html = "".join(f'<p class="note">{escape(n)}</p>' for n in notes)
    return (
        f'<details{state} id="table-{source}-{escape(section.key)}">'
        f"<summary>{escape(section.title)} "
        f'<span class="count">· {count}</span></summary>'
        f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>{note_html}</details>"
    )


def document_html(doc: Document, key: str, lang: str, *, skip: tuple[str, ...] = ()) -> str:
    lines = "".join(
        f'<li class="{" ".join(_classes(style))}">{escape(text)}</li>'
        if _classes(style)
        else f"<li>{escape(text)}</li>"
        for text, style in doc.lines
    )
    tables = "".join(table(s, lang, key) for s in doc.sections if s.key not in skip)
    return (
        f'<section class="report" id="section-{key}"><h2>{escape(doc.title)}</h2>'
        f'<ul class="lines">{lines}</ul>{tables}</section>'
    )


# ---------------------------------------------------------------------------- page


def _score_cards(summary: ShopSummary, lang: str) -> str:
    cards = []
    for line in summary.score_lines(lang):
        state = "" if line.passed is None else " good" if line.passed else " bad"
        sub = []
        if line.threshold_display != "—":
            sub.append(f"{_t('threshold', lang)} {line.threshold_display}")
        if line.score is not None:
            sub.append(f"{_t('score', lang)} {line.score:.2f}")
        if line.points_lost:
            sub.append(f"{_t('points_lost', lang)} {line.points_lost:.2f}")
        mark = "" if line.passed is None else "✓ " if line.passed else "✗ "
        cards.append(
            f'<div class="card{state}" data-key="{escape(line.key)}">'
            f'<div class="label">{mark}{escape(line.label)}</div>'
            f'<div class="value">{escape(line.display)}</div>'
            f'<div class="sub">{escape(" · ".join(sub))}</div></div>'
        )
    return f'<div class="cards">{"".join(cards)}</div>'


def _todo_cards(summary: ShopSummary, lang: str) -> str:
    cards = [
        f'<div class="card{" bad" if urgent else ""}" data-key="{key}">'
        f'<div class="label">{escape(task)}</div><div class="value">{count}</div>'
        f'<div class="sub">{escape(detail)}</div></div>'
        for key, task, count, detail, urgent in summary.todo_lines(lang)
    ]
    return f'<div class="cards">{"".join(cards)}</div>'


def _worst(summary: ShopSummary, lang: str) -> str:
    items = []
    for w in summary.worst(lang):
        evidence = "".join(f"<li>{escape(e)}</li>" for e in w["evidence"]) or (
            f"<li>{_t('no_evidence', lang)}</li>"
        )
        items.append(
            f'<li><b>{escape(w["label"])}</b> · <span class="lost">'
            f"{_t('points_lost', lang)} {w['points_lost']:.2f}</span><ul>{evidence}</ul></li>"
        )
    return f'<ol class="worst">{"".join(items)}</ol>' if items else ""


def _diagnosis(summary: ShopSummary, lang: str) -> str:
    parts = []
    failed = summary.failed_checks(lang)
    if failed:
        rows = "".join(
            f"<li class=red>{escape(line.label)}: {escape(line.display)} "
            f"({_t('threshold', lang)} {escape(line.threshold_display)})</li>"
            for line in failed
        )
        parts.append(f"<h3>{_t('failed_checks', lang)}</h3><ul>{rows}</ul>")
    else:
        parts.append(f'<p class="green">{_t("nothing_failed", lang)}</p>')
    service = summary.sections["service"]
    if service is not None:
        doc = service.document(lang)
        parts += [
            table(s, lang, "service", open_rows=HTML_ROWS)
            for s in doc.sections
            if s.key == "diagnosis"
        ]
    for key in ("dsr", "cs"):
        report = summary.sections[key]
        if report is None:
            continue
        doc = report.document(lang)
        parts += [
            table(s, lang, f"diagnosis-{key}")
            for s in doc.sections
            if s.key in ("items", "lowest_accounts", "low_rating_tags")
        ]
    return "".join(parts)


def _footer(summary: ShopSummary, lang: str) -> str:
    from tmallcli import __version__

    r = summary.report
    files = "".join(
        f"<li>{escape(kind)}: {escape(', '.join(paths))}</li>" for kind, paths in r.files.items()
    )
    parts = [f"<p>{_t('files', lang)}</p><ul>{files}</ul>"]
    if r.ignored:
        ignored = "".join(f"<li>{escape(i.path)} ({escape(i.reason)})</li>" for i in r.ignored)
        parts.append(f"<p>{_t('ignored', lang)}</p><ul>{ignored}</ul>")
    if r.skipped:
        skipped = "".join(
            f"<li>{escape(k)}: {escape(reason)}</li>" for k, reason in r.skipped.items()
        )
        parts.append(f"<p>{_t('skipped', lang)}</p><ul>{skipped}</ul>")
    parts.append(f"<p>{_t('footer', lang, version=__version__)}</p>")
    return f"<footer>{''.join(parts)}</footer>"


def render_html(summary: ShopSummary, lang: str = "zh") -> str:
    from tmallcli.runs.report import SECTIONS

    r = summary.report
    doc = summary.document(lang)
    meta = "".join(f'<p class="meta">{escape(text)}</p>' for text, _ in doc.lines[:1])
    failed = summary.failed_checks(lang)
    verdict_text = doc.lines[1][0] if len(doc.lines) > 1 else ""
    verdict = f'<div class="verdict {"bad" if failed else "good"}">{escape(verdict_text)}</div>'
    figures = "".join(
        f'<figure class="{"wide" if name == "dsr" else ""}" id="chart-{name}-figure">'
        f"<figcaption><h3>{escape(title)}</h3><p>{escape(note)}</p></figcaption>"
        f'<div class="chart">{svg}</div></figure>'
        for name, title, note, svg in charts(summary, lang)
    )
    sections = "".join(
        document_html(report.document(lang), key, lang, skip=("diagnosis",))
        for key in SECTIONS
        if (report := summary.sections[key]) is not None
    )
    title = f"{doc.title} · {r.as_of.date}"
    body = (
        f"<header><h1>{escape(doc.title)}</h1>{meta}{verdict}</header>"
        f'<h2 id="scores">{_t("scores", lang)}</h2>{_score_cards(summary, lang)}'
        f'<h2 id="todo">{_t("todo", lang)}</h2>{_todo_cards(summary, lang)}'
        f'<h2 id="worst">{_t("worst", lang)}</h2>{_worst(summary, lang)}'
        f'<h2 id="charts">{_t("charts", lang)}</h2><div class="charts">{figures}</div>'
        f'<h2 id="details">{_t("details", lang)}</h2>{sections}'
        f'<h2 id="diagnosis">{_t("diagnosis", lang)}</h2>{_diagnosis(summary, lang)}'
        f"{_footer(summary, lang)}"
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )
