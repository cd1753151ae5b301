"""The report's charts: inline SVG drawn by pygal, without scripts, with stable ids, in a
font list that finds Chinese glyphs on every system (no font file is embedded).

Each chart is drawn twice from the same data: at its page width and at a phone's (360 user
units, fewer axis labels, one legend column), because an SVG scaled from 600 or 1000 units
down to a 390 px screen shrinks its labels to 4–7 px; the style sheet shows one of the two.
Neither carries pygal's marks (its comments, its ``<title>Pygal</title>`` tooltip, its class
name): the ``<title>`` is the chart's own."""

from __future__ import annotations

import re
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from tmallcli.render.html.labels import LABELS

if TYPE_CHECKING:
    from tmallcli.render.labels import Labels
    from tmallcli.render.report import ShopSummary

FONTS = (
    '-apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
    '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Helvetica Neue", '
    "Arial, sans-serif"
)
DSR_COLOURS = ("#1565c0", "#ef6c00", "#6a1b9a")
GREY = "#9e9e9e"
RED = "#c62828"
BLUE = "#1565c0"

# The phone drawing: 360 units fill a 390 px screen's card at about 1:1.
NARROW: dict[str, Any] = {
    "width": 360,
    "legend_at_bottom_columns": 1,
    "classes": ["chart-svg", "narrow"],  # report.css shows it on a phone's screen only
}
Drawn = tuple[str, str, str, str]  # title, note, svg at the page width, svg at a phone's

_TITLE = "chart-title-here"
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_UUID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


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


def _options(t: Labels, **extra: Any) -> dict[str, Any]:
    options: dict[str, Any] = {
        "js": [],  # no <script> from a CDN: the chart is plain SVG
        "style": _style(),
        "disable_xml_declaration": True,
        "width": 600,
        "height": 360,
        "legend_at_bottom": True,
        "truncate_legend": -1,
        "truncate_label": -1,
        "no_data_text": t("no_data"),
        "margin": 12,
        "classes": ["chart-svg"],  # pygal's default class names the library
    }
    options.update(extra)
    return options


def _static(root: Any) -> Any:
    """pygal always embeds its config as a <script>, even with ``js=[]``, and gives legend
    entries ids for that script (the same in every chart): a static chart needs neither."""
    for parent in list(root.iter()):
        if str(parent.tag).rsplit("}", 1)[-1] == "title" and parent.text == "Pygal":
            parent.text = _TITLE  # the chart has no title of its own: _svg writes it
        if str(parent.get("id", "")).startswith("activate-serie"):
            del parent.attrib["id"]
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def _svg(chart: Any, name: str, title: str) -> str:
    """The chart as inline SVG with a stable id, without scripts or pygal's comments (a
    date and links); ``title`` (the figure's caption) becomes the SVG's ``<title>``, the
    text a browser shows on hover and reads to a screen reader."""
    chart.uuid = name
    if _static not in chart.xml_filters:
        chart.add_xml_filter(_static)
    svg = str(chart.render(is_unicode=True))
    svg = _UUID.sub(f"chart-{name}", _COMMENT.sub("", svg))
    return svg.replace(_TITLE, escape(title), 1)


def _svgs(chart: Any, name: str, title: str, **narrow: Any) -> tuple[str, str]:
    """The chart at its page width, and again at a phone's with the ``narrow`` options."""
    wide = _svg(chart, name, title)
    for option, value in {**NARROW, **narrow}.items():
        setattr(chart, option, value)
    return wide, _svg(chart, f"{name}-narrow", title)


def _cjk_room(labels: list[str], font_size: int) -> int:
    """Extra left margin for axis labels: pygal measures text as Latin (≈0.6 em a character),
    a Chinese character takes a whole em."""
    wide = max((sum(1 for ch in text if ord(ch) > 0x2E7F) for text in labels), default=0)
    return 12 + int(wide * font_size * 0.45)


def chart_dsr(summary: ShopSummary, labels: Labels) -> Drawn | None:
    import pygal

    from tmallcli.metrics.dsr import format_threshold

    t = labels.of(LABELS)
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
    guides = [float(at) for at in thresholds.values() if float(at) >= low - 0.15]
    bottom = max(1.0, min([low, *guides]) - 0.05)
    top = min(5.0, max(values) + 0.05)
    chart = pygal.Line(
        **_options(
            t,
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
            t(f"dsr.{key}"),
            [p.scores[key] if p.offset <= 0 else None for p in trend.points],
        )
    for key in result.dimensions:
        chart.add(
            t("chart.dsr.forecast", name=t(f"dsr.{key}")),
            [p.scores[key] if p.offset >= 0 else None for p in trend.points],
            stroke_style={"width": 2.5, "dasharray": "6, 4"},
        )
    for threshold in sorted(thresholds.values(), reverse=True):
        if float(threshold) in guides:
            key = "chart.threshold" if threshold == max(thresholds.values()) else "chart.demotion"
            chart.add(
                t(key, value=format_threshold(threshold)),
                [float(threshold)] * len(trend.points),
                stroke_style={"width": 1.5, "dasharray": "2, 4"},
                show_dots=False,
            )
    note = t("chart.dsr.note", as_of=r.as_of.date)
    first, complete = trend.first_rating, trend.complete_from
    if first is not None and complete is not None and complete > trend.points[0].day:
        note += " " + t("chart.dsr.partial", first=f"{first:%Y-%m-%d}", complete=complete)
    # about five dates across a phone; the legend in one column, a row per line, which
    # pygal sizes itself (no Latin-width guess to make room for)
    narrow = {
        "height": 500,
        "margin_bottom": 12,
        "x_labels_major_every": max(14, -(-len(trend.points) // 5)),
    }
    return t("chart.dsr"), note, *_svgs(chart, "dsr-trend", t("chart.dsr"), **narrow)


def chart_breakdown(summary: ShopSummary, labels: Labels) -> Drawn | None:
    import pygal

    from tmallcli.metrics.service_score import round2
    from tmallcli.render.service import LABELS as SERVICE_LABELS

    t = labels.of(LABELS)
    s = summary.report.service
    if s is None or s.total is None:
        return None
    metrics = sorted(
        (m for m in s.metrics.values() if m.weight > 0 and m.score is not None),
        key=lambda m: (-m.points_lost, m.key),
    )
    if not metrics:
        return None
    service = t.of(SERVICE_LABELS)
    names = [service(m.key) for m in reversed(metrics)]
    chart = pygal.HorizontalBar(
        **_options(
            t,
            height=70 + 34 * len(metrics),
            margin_left=_cjk_room(names, 12),
            show_legend=False,
            print_values=True,
            value_formatter=lambda v: f"{v:.2f}",
        )
    )
    chart.x_labels = names
    chart.add(
        t("points_lost"),
        [
            {"value": round(m.points_lost, 4), "color": RED if m.points_lost >= 0.25 else BLUE}
            for m in reversed(metrics)
        ],
    )
    note = t("chart.breakdown.note", total=f"{round2(s.total):.2f}")
    # the metrics' names leave a phone a narrow plot: its round values labelled only
    narrow = {"show_minor_x_labels": False}
    return (
        t("chart.breakdown"),
        note,
        *_svgs(chart, "score-breakdown", t("chart.breakdown"), **narrow),
    )


def chart_pickup(summary: ShopSummary, labels: Labels) -> Drawn | None:
    import pygal

    t = labels.of(LABELS)
    p = summary.report.pickup
    if p is None or not p.daily or p.rate is None:
        return None
    rates = [None if day.rate is None else round(day.rate * 100, 2) for day in p.daily]
    known = [v for v in rates if v is not None]
    bottom = max(0.0, min([*known, p.rate * 100]) - 5)
    chart = pygal.Line(
        **_options(
            t,
            range=(bottom, 100),
            x_label_rotation=0,
            x_labels_major_every=7,
            show_minor_x_labels=False,
            dots_size=3,
            value_formatter=lambda v: f"{v:.1f}%",
            style=_colours(BLUE, GREY),
        )
    )
    chart.x_labels = [
        f"{day.key:%m-%d}" if isinstance(day.key, date) else str(day.key) for day in p.daily
    ]
    chart.add(t("chart.pickup.rate"), rates)
    chart.add(
        f"{t('chart.pickup.overall')} {p.rate:.2%}",
        [round(p.rate * 100, 2)] * len(rates),
        show_dots=False,
        stroke_style={"width": 1.5, "dasharray": "4, 4"},
    )
    note = t("chart.pickup.note", start=p.window_start, end=p.window_end, rate=f"{p.rate:.2%}")
    return t("chart.pickup"), note, *_svgs(chart, "pickup-daily", t("chart.pickup"))


def chart_misses(summary: ShopSummary, labels: Labels) -> Drawn | None:
    import pygal

    t = labels.of(LABELS)
    c = summary.report.response
    if c is None or not c.by_hour:
        return None
    hours = {h.hour: h for h in c.by_hour}
    chart = pygal.StackedBar(
        **_options(t, height=340, legend_at_bottom_columns=2, style=_colours("#b0bec5", RED))
    )
    chart.x_labels = [str(h) for h in range(24)]
    chart.add(
        t("chart.misses.answered"),
        [hours[h].answered if h in hours else 0 for h in range(24)],
    )
    chart.add(t("chart.misses.missed"), [hours[h].missed if h in hours else 0 for h in range(24)])
    note = t("chart.misses.note", start=c.window_start, end=c.window_end)
    # 24 hours in 300 units: every third hour labelled
    narrow = {"x_labels_major_every": 3, "show_minor_x_labels": False}
    return t("chart.misses"), note, *_svgs(chart, "misses-by-hour", t("chart.misses"), **narrow)


def _colours(*colours: str) -> Any:
    style = _style()
    style.colors = colours
    return style


def chart_refunds(summary: ShopSummary, labels: Labels) -> Drawn | None:
    import pygal

    t = labels.of(LABELS)
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
            t,
            height=320,
            print_values=True,
            value_formatter=lambda v: f"{v:.1f}",
            legend_at_bottom_columns=2,
            style=_colours(BLUE, "#ef9a9a"),
        )
    )
    chart.x_labels = [t("chart.refunds.count", type=b.key, n=b.count) for b in types]
    chart.add(t("chart.refunds.mean"), [b.hours for b in types])
    chart.add(t("chart.refunds.max"), [slowest.get(str(b.key)) for b in types])
    note = t(
        "chart.refunds.note",
        start=r.window_start,
        end=r.window_end,
        limit=r.rules.slowest_limit,
    )
    # a type's name and count take more than its share of 300 units: slanted
    narrow = {"x_label_rotation": 30}
    return t("chart.refunds"), note, *_svgs(chart, "refund-durations", t("chart.refunds"), **narrow)


CHARTS = (chart_dsr, chart_breakdown, chart_pickup, chart_misses, chart_refunds)


def charts(summary: ShopSummary, labels: Labels) -> list[tuple[str, str, str, str, str]]:
    """(name, title, note, svg, phone svg) of every chart the report's data allows."""
    found = []
    for make in CHARTS:
        drawn = make(summary, labels)
        if drawn is not None:
            found.append((make.__name__.removeprefix("chart_"), *drawn))
    return found
