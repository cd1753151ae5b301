"""The shop report run (tmallcli/runs/report.py), the DSR trend behind its chart, the summary
and the HTML page (SPEC §11)."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from tests.conftest import REPO, SampleReport, default_config
from tmallcli.exports.inputs import Inputs
from tmallcli.metrics.dsr import COLUMNS, DsrRules, compute_dsr, rate_reviews, score_trend
from tmallcli.render.html import render_html
from tmallcli.render.labels import EN, ZH, Labels
from tmallcli.render.report import SECTIONS, ShopSummary
from tmallcli.runs.context import context
from tmallcli.runs.report import ShopReport, build_report

SAMPLE = REPO / "sample_data"
AS_OF = "2026-11-20"


def shop_report(folder: Path, as_of: str = AS_OF) -> ShopReport:
    ctx = context(as_of)
    with Inputs({}, directory=folder) as files:
        return build_report(files, ctx, directory=folder)


@pytest.fixture
def sample(sample_report: SampleReport) -> ShopReport:
    return sample_report.shop


@pytest.fixture
def summary(sample_report: SampleReport) -> ShopSummary:
    return sample_report.summary


@pytest.fixture
def page(sample_report: SampleReport) -> str:
    """The page `tmall report --out` wrote (the default language, zh)."""
    return sample_report.html.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- library


def test_every_section_runs_on_the_sample_shop(sample: ShopReport) -> None:
    assert sample.skipped == {}
    for name in SECTIONS:
        assert getattr(sample, name) is not None, name
    assert sorted(sample.files) == sorted(
        ["orders", "logistics", "reviews", "refunds", "chats", "cs_ratings", "complaints"]
    )
    assert sample.files["orders"] == [str(SAMPLE / "ExportOrderList20261120.csv")]
    assert [(Path(i.path).name, i.reason) for i in sample.ignored] == [
        ("manifest.json", "not an export file (.csv, .txt, .xlsx, .xls)")
    ]


def test_the_same_numbers_as_the_commands(sample: ShopReport) -> None:
    assert sample.service is not None and sample.pickup is not None
    assert round(sample.service.total or 0, 2) == 2.95 and sample.service.passed is False
    assert (sample.pickup.timely, sample.pickup.population) == (553, 608)
    assert sample.compensation is not None
    assert len(sample.compensation.settlement.payouts) == 48
    assert sample.compensation.settlement.total_fen == 299413
    # 客服评价 over the last 30 days, ending yesterday.
    assert sample.cs is not None
    assert (str(sample.cs.period.start), str(sample.cs.period.end)) == ("2026-10-21", "2026-11-19")
    assert sample.triage is not None and (sample.triage.unanswered, sample.triage.overdue) == (7, 6)


def test_a_folder_with_reviews_only_skips_the_rest(tmp_path: Path) -> None:
    shutil.copy(SAMPLE / "reviews.csv", tmp_path / "评价.csv")
    (tmp_path / "notes.txt").write_text("备忘\n", encoding="utf-8")
    report = shop_report(tmp_path)
    assert report.dsr is not None and report.triage is not None and report.service is not None
    assert report.pickup is None and report.compensation is None and report.cs is None
    assert set(report.skipped) == {"pickup", "response", "refunds", "compensation", "cs"}
    assert report.skipped["cs"] == "no cs_ratings export"
    assert [(Path(i.path).name, i.reason) for i in report.ignored] == [
        ("notes.txt", "headers match no export kind")
    ]
    summary = ShopSummary(report)
    assert set(summary.todo()) == {"reviews_to_answer"}
    page = render_html(summary, "zh")
    assert 'id="chart-dsr-figure"' in page and "pickup-daily" not in page


def test_each_export_is_read_once_and_each_step_is_counted() -> None:
    """SPEC §12: the report parses each export once, with the union of the columns its
    sections read; the progress bar has exactly as many steps as build_report takes."""
    from tmallcli.runs.report import steps as count_steps

    ctx = context(AS_OF)
    with Inputs({}, directory=SAMPLE) as files:
        reads: list[str] = []
        parse = files.reader._read_files

        def parse_counted(kind: Any, *args: Any, **kwargs: Any) -> Any:
            reads.append(kind.name)
            return parse(kind, *args, **kwargs)

        files.reader._read_files = parse_counted  # type: ignore[method-assign]
        steps: list[str] = []
        build_report(files, ctx, advance=steps.append)
        assert len(steps) == count_steps(files) == 15
    assert sorted(reads) == sorted(
        ["orders", "logistics", "reviews", "refunds", "chats", "cs_ratings", "complaints"]
    )


def test_a_section_judges_duplicates_on_its_own_columns(tmp_path: Path) -> None:
    """Two review rows that differ only in a column the DSR does not read (评价内容) are one
    rating to the DSR and two reviews to the triage, as in their own commands' loads."""
    from tmallcli.metrics import dsr
    from tmallcli.metrics import reviews as triage

    lines = (SAMPLE / "reviews.csv").read_text(encoding="utf-8").splitlines()
    header, row = lines[0], lines[1]
    columns = header.split(",")
    cells = row.split(",")
    comment = columns.index("评价内容")
    changed = list(cells)
    changed[comment] = "换了一句话"
    (tmp_path / "reviews.csv").write_text(
        "\n".join([header, row, ",".join(changed), *lines[2:]]) + "\n", encoding="utf-8"
    )
    with Inputs({"reviews": [str(tmp_path / "reviews.csv")]}) as together:
        for_dsr, for_triage = together.load_parts("reviews", [dsr.COLUMNS, triage.COLUMNS])
    with Inputs({"reviews": [str(tmp_path / "reviews.csv")]}) as apart:
        own_dsr = apart.load("reviews", dsr.COLUMNS)
        own_triage = apart.load("reviews", triage.COLUMNS)
    assert for_dsr.frame.equals(own_dsr.frame) and for_triage.frame.equals(own_triage.frame)
    assert for_triage.frame.height == for_dsr.frame.height + 1
    assert for_dsr.warnings == own_dsr.warnings


# ---------------------------------------------------------------------------- DSR trend


def reviews_frame(rows: list[tuple[str, str, datetime, int]]) -> pl.LazyFrame:
    return pl.LazyFrame(
        {
            "order_id": [r[0] for r in rows],
            "buyer": [r[1] for r in rows],
            "rated_at": [r[2] for r in rows],
            "dsr_description": [r[3] for r in rows],
            "dsr_service": [5] * len(rows),
            "dsr_logistics": [None] * len(rows),
            "item_id": ["i1"] * len(rows),
            "item_title": ["枕头"] * len(rows),
        },
        schema_overrides={
            "rated_at": pl.Datetime("us"),
            "dsr_description": pl.Int8,
            "dsr_service": pl.Int8,
            "dsr_logistics": pl.Int8,
        },
    ).select(COLUMNS)


RULES = replace(
    DsrRules.from_config(default_config(), default_config().category()),
    thresholds={"activity_ineligible": Fraction(46, 10)},
)
INSTANT = datetime(2026, 11, 20, 23, 59, 59)


def test_trend_enters_after_30_minutes_and_leaves_after_180_days() -> None:
    start = INSTANT - timedelta(days=180)  # 2026-05-24 23:59:59, not in the window
    frame = reviews_frame(
        [
            ("late", "a", INSTANT - timedelta(minutes=20), 1),  # shown tomorrow
            ("edge", "b", start, 3),  # leaves today (window open on the left)
            ("in", "c", start + timedelta(seconds=1), 4),  # leaves tomorrow
            ("mid", "d", datetime(2026, 9, 1, 12), 5),
            ("future", "e", INSTANT + timedelta(hours=1), 1),  # after the as-of: not yet
        ]
    )
    trend = score_trend(frame, RULES, INSTANT, history_days=3, forecast_days=2)
    by_offset = {p.offset: p for p in trend.points}
    assert sorted(by_offset) == [-2, -1, 0, 1, 2]
    assert by_offset[0].day.isoformat() == "2026-11-20"
    assert by_offset[-1].counts["description"] == 3  # edge, in, mid
    assert by_offset[-1].scores["description"] == 4.0
    assert by_offset[0].counts["description"] == 2  # in, mid
    assert by_offset[0].scores["description"] == 4.5
    assert by_offset[1].counts["description"] == 2  # mid, late (shown), in has left
    assert by_offset[1].scores["description"] == 3.0
    assert by_offset[0].counts["logistics"] == 0 and by_offset[0].scores["logistics"] is None
    assert trend.first_rating == start
    assert trend.complete_from is not None and trend.complete_from.isoformat() == "2026-11-20"


def test_trend_applies_the_monthly_cap_and_one_rating_per_order() -> None:
    day = datetime(2026, 11, 2, 10)
    frame = reviews_frame(
        [
            ("o1", "buyer", day, 5),
            ("o1", "buyer", day + timedelta(minutes=1), 1),  # the same order again
            ("o2", "buyer", day + timedelta(hours=1), 5),
            ("o3", "buyer", day + timedelta(hours=2), 5),
            ("o4", "buyer", day + timedelta(hours=3), 1),  # 4th of the month: ignored
        ]
    )
    trend = score_trend(frame, RULES, INSTANT, history_days=1, forecast_days=0)
    assert [(p.counts["description"], p.scores["description"]) for p in trend.points] == [(3, 5.0)]


def test_trend_today_and_roll_off_points_equal_the_dsr(sample: ShopReport) -> None:
    ctx = context(AS_OF)
    rules = DsrRules.from_config(ctx.config, ctx.category)
    with Inputs({"reviews": [str(SAMPLE / "reviews.csv")]}) as files:
        reviews = files.load("reviews", COLUMNS).lazy()
        result = compute_dsr(reviews, rules, ctx.as_of.instant)
        trend = score_trend(reviews, rules, ctx.as_of.instant, history_days=90)
    points = {p.offset: p for p in trend.points}
    assert len(points) == 90 + 30 and min(points) == -89 and max(points) == 30
    for key, dim in result.dimensions.items():
        assert points[0].counts[key] == dim.count
        assert points[0].scores[key] == dim.score
    for roll in result.rolloff:
        assert points[roll.days].scores == roll.scores
        assert points[roll.days].counts == roll.counts
    assert sample.dsr_trend is not None
    assert [p.scores for p in sample.dsr_trend.points] == [p.scores for p in trend.points]
    # The sample's first rating is on 2026-05-07: only windows from 2026-11-03 on are whole.
    assert str(trend.complete_from) == "2026-11-03"


def test_reviews_rated_once_give_the_same_dsr_and_trend() -> None:
    # The report ranks the monthly cap once (rate_reviews) for the score and its trend.
    ctx = context(AS_OF)
    rules = DsrRules.from_config(ctx.config, ctx.category)
    with Inputs({"reviews": [str(SAMPLE / "reviews.csv")]}) as files:
        reviews = files.load("reviews", COLUMNS).lazy()
        rated = rate_reviews(reviews, rules.monthly_cap)
        at = ctx.as_of.instant
        assert compute_dsr(rated, rules, at) == compute_dsr(reviews, rules, at)
        assert score_trend(rated, rules, at) == score_trend(reviews, rules, at)
    assert rated.rows.height == 1153 and rated.events.height == 1073  # one per order
    assert rated.events.get_column("within_cap").sum() == 1069  # 4 over the monthly cap


# ---------------------------------------------------------------------------- summary


def test_summary_scores_and_checks(summary: ShopSummary) -> None:
    lines = {line.key: line for line in summary.score_lines()}
    assert lines["service_total"].display == "2.95" and lines["service_total"].passed is False
    assert lines["dsr.description"].display == "4.74" and lines["dsr.description"].passed
    assert lines["pickup_24h_rate"].display == "90.95%" and lines["pickup_24h_rate"].passed is None
    assert "response_3min_rate" not in lines  # weight 0 in the default category
    assert lines["refunds_72h"].value == 4 and lines["reviews_overdue"].value == 6
    assert [line.key for line in summary.failed_checks()] == [
        "service_total",
        "cs_average",
        "refunds_72h",
        "reviews_overdue",
    ]
    assert summary.failed


def test_summary_worst_three_with_evidence(summary: ShopSummary) -> None:
    worst = summary.worst()
    assert [w["metric"] for w in worst] == [
        "pickup_24h_rate",
        "human_response_seconds",
        "item_review_score",
    ]
    service = summary.sections["service"]
    assert service is not None
    assert worst[0]["points_lost"] == service.to_json()["metrics"]["pickup_24h_rate"]["points_lost"]
    assert worst[0]["points_lost"] == pytest.approx(0.6785, abs=5e-5)  # in full: 0.67845…
    assert worst[0]["evidence"][0].startswith("物流公司 极兔速递: 72.5%")


def test_summary_todo_counts(summary: ShopSummary) -> None:
    assert summary.todo() == {
        "orders_to_chase": {
            "count": 12,
            "late_shipment_risk": 9,
            "compensation_fen": 100128,
            "compensation": "1001.28",
        },
        "payouts_due": {"count": 48, "total_fen": 299413, "total": "2994.13"},
        "reviews_to_answer": {"count": 7, "overdue": 6, "reply_within_hours": 24},
        "refunds_waiting": {"count": 7, "past_72h": 4},
    }


def test_one_screen_document(summary: ShopSummary) -> None:
    doc = summary.document(ZH)
    assert doc.title == "店铺体检报告 · 默认"  # SPEC §14: the category (the sample names no shop)
    assert [s.key for s in doc.sections] == ["scores", "worst", "todo"]
    assert "✗ 4 项未达标" in doc.lines[1][0]
    rows = sum(len(s.rows) for s in doc.sections) + len(doc.lines)
    assert rows <= 30  # one screen
    english = summary.document(EN)
    assert english.title == "Shop health report · 默认"
    assert english.sections[2].rows[0][0].text == "Orders to chase (not picked up)"


# ---------------------------------------------------------------------------- HTML

URL = re.compile(
    r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""", re.I
)


def test_html_is_self_contained(page: str) -> None:
    # Nothing to fetch: no src/href/url()/@import to a network address, and no script but
    # the inline one that unfolds the lists for printing.
    from tmallcli.render.html.page import PRINT_SCRIPT

    assert not URL.search(page)
    assert "<link" not in page.lower()
    assert re.findall(r"<script[^>]*>", page, re.I) == ["<script>"]
    assert f"<script>{PRINT_SCRIPT}</script>" in page
    assert "http" not in PRINT_SCRIPT and "src" not in PRINT_SCRIPT
    # The only http(s) strings are the SVG namespace URIs (an identifier, never fetched).
    namespaces = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    found = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    assert found <= namespaces, found - namespaces
    for uri in found:
        assert all(
            m.group(1) in ("xmlns", "xmlns:xlink")
            for m in re.finditer(r'(\S+)="' + re.escape(uri) + '"', page)
        )


def test_html_page_for_laptop_and_phone(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert '<html lang="zh-CN">' in page and '<meta charset="utf-8">' in page
    assert "@media (max-width:640px)" in page and "overflow-x:auto" in page


def test_html_has_every_chart_as_inline_svg(page: str) -> None:
    charts = ["dsr-trend", "score-breakdown", "pickup-daily", "misses-by-hour", "refund-durations"]
    for name in charts:
        # each drawn twice: at the page's width and at a phone's (shown by report.css)
        assert f'<svg xmlns="http://www.w3.org/2000/svg" id="chart-{name}"' in page, name
        assert f'id="chart-{name}-narrow" class="chart-svg narrow"' in page, name
    assert page.count("<svg") == 2 * len(charts)
    assert "pygal.org" not in page  # pygal's comments are dropped


def test_html_has_chinese_labels_scores_todo_tables_and_diagnosis(page: str) -> None:
    for text in (
        "店铺体检报告",
        "基础服务考核分",
        "2.95",
        "宝贝与描述相符",
        "24小时揽收及时率",
        "今日待办",
        "待跟进揽收订单",
        "失分最多的 3 项",
        "店铺动态评分走势与滚出预测",
        "旺旺咨询: 各时段漏回",
        "退款自主完结时长 (小时)",
        "诊断: 失分最多的指标",
        "中差评跟进队列",
        "延迟发货赔付",
        "客服评价",
    ):
        assert text in page, text
    # Section tables follow in the spec's order, the diagnosis last.
    order = [page.index(f'id="section-{key}"') for key in SECTIONS]
    assert order == sorted(order)
    assert page.index('id="diagnosis"') > order[-1]
    assert page.count('id="table-service-diagnosis"') == 1  # once, at the end
    assert page.index('id="table-service-diagnosis"') > page.index('id="diagnosis"')
    ids = re.findall(r'id="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # no id twice


def test_html_tables_are_cut_at_200_rows(sample: ShopReport) -> None:
    from tmallcli.render.document import Cell, Column, Section
    from tmallcli.render.html import table

    rows = [[Cell(str(n))] for n in range(250)]
    html = table(
        Section("payouts", "待发红包", [Column("n", "n")], rows), Labels("zh"), "compensation"
    )
    assert html.count("<tr>") == 1 + 200
    assert "显示前 200 行, 共 250 行" in html
    assert "完整列表: tmall compensate late-orders -f json" in html
    assert "<details id=" in html  # long: folded


def test_html_marks_failures_red(page: str) -> None:
    assert '<div class="card bad" data-key="service_total">' in page
    assert '<div class="card good" data-key="dsr.description">' in page
    assert '<div class="verdict bad">' in page


def test_html_escapes_text(sample: ShopReport) -> None:
    from dataclasses import replace

    odd = replace(sample, category="<b>&家纺</b>")
    page = render_html(ShopSummary(odd), "zh")
    assert "<b>&家纺</b>" not in page and "&lt;b&gt;&amp;家纺&lt;/b&gt;" in page


def test_html_is_deterministic(summary: ShopSummary, page: str) -> None:
    assert render_html(summary, "zh") == page


def test_html_in_english(summary: ShopSummary) -> None:
    page = render_html(summary, "en")
    assert '<html lang="en">' in page and "DSR trend and roll-off forecast" in page
    assert "To do today" in page


def test_html_has_a_table_of_contents(page: str, summary: ShopSummary) -> None:
    toc = re.search(r'<nav class="toc" aria-label="目录">(.*?)</nav>', page, re.S)
    assert toc is not None and page.index("</header>") < toc.start()
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc.group(1))
    # every part of the page and every detail section, in the page's order, by name
    parts = re.findall(r'<h2 id="([^"]+)">([^<]+)</h2>', page)
    sections = re.findall(r'<section class="report" id="([^"]+)"><h2>([^<]+)</h2>', page)
    assert [a for a, _ in parts] == ["scores", "todo", "worst", "charts", "details", "diagnosis"]
    assert len(sections) == len(SECTIONS)
    assert sorted(links) == sorted(parts + sections)
    assert [a for a, _ in links] == sorted(
        (a for a, _ in links), key=lambda a: page.index(f'id="{a}"')
    )
    assert ("worst", "失分最多的 3 项") in links and ("section-triage", "中差评处理") in links
    english = render_html(summary, "en")
    assert '<nav class="toc" aria-label="Contents"><div class="toc-title">Contents</div>' in english
    assert '<a href="#todo">To do today</a>' in english


def test_html_charts_carry_no_third_party_marks(page: str) -> None:
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) == 10
    captions = re.findall(r"<figcaption><h3>([^<]+)</h3>", page)
    for svg in svgs:
        for mark in ("pygal", "kozea", "generated", "http://", "https://", "<script", "<a "):
            if mark == "http://":  # the SVG namespace is the one URI allowed
                svg = svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
                svg = svg.replace('xmlns:xlink="http://www.w3.org/1999/xlink"', "")
            assert mark not in svg.lower(), mark
        # the hover text is the chart's own title, not the library's name
        title = re.search(r"</defs><title>([^<]*)</title>", svg)
        assert title is not None and title.group(1) in captions
        # scales with its card: a viewBox, no fixed size on the drawing itself
        root = svg[: svg.index(">")]
        assert "viewBox=" in root and "width=" not in root and "height=" not in root


def test_html_print_style_sheet_unfolds_the_lists(page: str) -> None:
    css = page[page.index("<style>") : page.index("</style>")]
    # its own rule: an engine that does not know the pseudo-element drops only that rule
    assert "@media print{details::details-content{content-visibility:visible;display:block}}" in css
    assert "@media screen and (max-width:640px){figure svg.narrow{display:block}" in css


def test_html_id_lists_may_break_after_their_commas_only() -> None:
    """Printed, cells wrap to fit the paper: a list of IDs at its commas, never an ID or an
    amount's thousands separator."""
    from tmallcli.render.document import Cell, Column, Section
    from tmallcli.render.html import table

    rows = [[Cell("SF1446962857536,SF1421516860408"), Cell("1,001.28")]]
    html = table(Section("x", "x", [Column("a", "a"), Column("b", "b")], rows), ZH, "pickup")
    assert "<td>SF1446962857536,<wbr>SF1421516860408</td><td>1,001.28</td>" in html
