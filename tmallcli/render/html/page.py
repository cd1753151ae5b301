"""The HTML shop report (SPEC §11): one self-contained file that opens offline.

Inline CSS (``report.css``, package data), charts as inline SVG drawn by pygal (no font
files, no network: the browser draws the Chinese labels with its own fonts), a layout that
reads on a laptop and on a phone (390 px: nothing wider than the screen, each chart drawn
for it, wide tables scrolling inside their card), a table of contents under the header.
Below the charts come the tables of every section, rendered generically from each command's
own ``document(labels)``, and the diagnosis last.

Printed, the folded tables print unfolded: the print style sheet opens ``<details>``
(``::details-content``, Chromium 131+, Safari 18.4+, Firefox 143+) and ``PRINT_SCRIPT``, the
page's only script, opens them before printing in older browsers and folds them back after.
"""

from __future__ import annotations

from functools import cache
from html import escape
from importlib.resources import files
from typing import TYPE_CHECKING

from tmallcli.render.freshness import LABELS as FRESHNESS
from tmallcli.render.freshness import freshness_html
from tmallcli.render.html.charts import FONTS, charts
from tmallcli.render.html.labels import LABELS
from tmallcli.render.html.sparkline import sparkline
from tmallcli.render.html.tables import HTML_ROWS, document_html, table
from tmallcli.render.labels import labels_for

if TYPE_CHECKING:
    from tmallcli.render.labels import Labels
    from tmallcli.render.report import ShopSummary


# Older engines keep a folded <details> hidden whatever the print style sheet says; every
# engine fires beforeprint / afterprint around printing (and print preview).
PRINT_SCRIPT = (
    "addEventListener('beforeprint',function(){"
    "document.querySelectorAll('details:not([open])').forEach(function(d){"
    "d.open=true;d.setAttribute('data-print-opened','')})});"
    "addEventListener('afterprint',function(){"
    "document.querySelectorAll('details[data-print-opened]').forEach(function(d){"
    "d.open=false;d.removeAttribute('data-print-opened')})});"
)


@cache
def css() -> str:
    """The page's style sheet; ``report.css`` writes ``FONTS`` where the font list goes,
    the one the charts use too."""
    text = files(__package__).joinpath("report.css").read_text(encoding="utf-8")
    return text.replace("FONTS", FONTS)


def _score_cards(summary: ShopSummary, t: Labels) -> str:
    cards = []
    for line in summary.score_lines(t):
        state = "" if line.passed is None else " good" if line.passed else " bad"
        sub = []
        if line.threshold_display != "—":
            sub.append(f"{t('threshold')} {line.threshold_display}")
        if line.score is not None:
            sub.append(f"{t('score')} {line.score:.2f}")
        if line.points_lost:
            sub.append(f"{t('points_lost')} {line.points_lost:.2f}")
        if line.stale:  # its window runs past its export's data (SPEC §14)
            sub.append(t.of(FRESHNESS)("stale.metric").strip(" （）()"))
        mark = "" if line.passed is None else "✓ " if line.passed else "✗ "
        cards.append(
            f'<div class="card{state}" data-key="{escape(line.key)}">'
            f'<div class="label">{mark}{escape(line.label)}</div>'
            f'<div class="value">{escape(line.display)}</div>'
            f'<div class="sub">{escape(" · ".join(sub))}</div>'
            f"{sparkline(line.key, summary.trends, t)}</div>"
        )
    return f'<div class="cards">{"".join(cards)}</div>'


def _todo_cards(summary: ShopSummary, t: Labels) -> str:
    cards = [
        f'<div class="card{" bad" if urgent else ""}" data-key="{key}">'
        f'<div class="label">{escape(task)}</div><div class="value">{count}</div>'
        f'<div class="sub">{escape(detail)}</div></div>'
        for key, task, count, detail, urgent in summary.todo_lines(t)
    ]
    return f'<div class="cards">{"".join(cards)}</div>'


def _worst(summary: ShopSummary, t: Labels) -> str:
    items = []
    for w in summary.worst(t):
        evidence = "".join(f"<li>{escape(e)}</li>" for e in w["evidence"]) or (
            f"<li>{t('no_evidence')}</li>"
        )
        items.append(
            f'<li><b>{escape(w["label"])}</b> · <span class="lost">'
            f"{t('points_lost')} {w['points_lost']:.2f}</span><ul>{evidence}</ul></li>"
        )
    return f'<ol class="worst">{"".join(items)}</ol>' if items else ""


def _diagnosis(summary: ShopSummary, t: Labels) -> str:
    parts = []
    failed = summary.failed_checks(t)
    if failed:
        rows = "".join(
            f"<li class=red>{escape(line.label)}: {escape(line.display)} "
            f"({t('threshold')} {escape(line.threshold_display)})</li>"
            for line in failed
        )
        parts.append(f"<h3>{t('failed_checks')}</h3><ul>{rows}</ul>")
    else:
        parts.append(f'<p class="green">{t("nothing_failed")}</p>')
    service = summary.sections["service"]
    if service is not None:
        doc = service.document(t)
        parts += [
            table(s, t, "service", open_rows=HTML_ROWS)
            for s in doc.sections
            if s.key == "diagnosis"
        ]
    for key in ("dsr", "cs"):
        report = summary.sections[key]
        if report is None:
            continue
        doc = report.document(t)
        parts += [
            table(s, t, f"diagnosis-{key}")
            for s in doc.sections
            if s.key in ("items", "lowest_accounts", "low_rating_tags")
        ]
    return "".join(parts)


def _footer(summary: ShopSummary, t: Labels) -> str:
    from tmallcli import __version__

    r = summary.report
    files = "".join(
        f"<li>{escape(kind)}: {escape(', '.join(paths))}</li>" for kind, paths in r.files.items()
    )
    parts = [f"<p>{t('files')}</p><ul>{files}</ul>"]
    if r.ignored:
        ignored = "".join(f"<li>{escape(i.path)} ({escape(i.reason)})</li>" for i in r.ignored)
        parts.append(f"<p>{t('ignored')}</p><ul>{ignored}</ul>")
    if r.skipped:
        skipped = "".join(
            f"<li>{escape(k)}: {escape(reason)}</li>" for k, reason in r.skipped.items()
        )
        parts.append(f"<p>{t('skipped')}</p><ul>{skipped}</ul>")
    parts.append(f"<p>{t('footer', version=__version__)}</p>")
    return f"<footer>{''.join(parts)}</footer>"


def _toc(parts: list[tuple[str, str]], sections: list[tuple[str, str]], t: Labels) -> str:
    """The contents under the header: a link to each part of the page, the detail tables'
    sections under 明细 (``sections``: anchor, title)."""
    items = []
    for anchor, label in parts:
        sub = ""
        if anchor == "details" and sections:
            sub = "<ol>" + "".join(
                f'<li><a href="#{a}">{escape(title)}</a></li>' for a, title in sections
            )
            sub += "</ol>"
        items.append(f'<li><a href="#{anchor}">{escape(label)}</a>{sub}</li>')
    return (
        f'<nav class="toc" aria-label="{escape(t("toc"))}">'
        f'<div class="toc-title">{escape(t("toc"))}</div><ol>{"".join(items)}</ol></nav>'
    )


def render_html(summary: ShopSummary, lang: str | Labels = "zh") -> str:
    """The whole page; ``lang`` is ``--lang``'s value (or labels already made from it)."""
    from tmallcli.render.report import SECTIONS

    t = labels_for(lang).of(LABELS)
    r = summary.report
    doc = summary.document(t)
    meta = "".join(f'<p class="meta">{escape(text)}</p>' for text, _ in doc.lines[:1])
    failed = summary.failed_checks(t)
    verdict_text = doc.lines[1][0] if len(doc.lines) > 1 else ""
    verdict = f'<div class="verdict {"bad" if failed else "good"}">{escape(verdict_text)}</div>'
    figures = "".join(
        f'<figure class="{"wide" if name == "dsr" else ""}" id="chart-{name}-figure">'
        f"<figcaption><h3>{escape(title)}</h3><p>{escape(note)}</p></figcaption>"
        f'<div class="chart">{svg}{phone}</div></figure>'
        for name, title, note, svg, phone in charts(summary, t)
    )
    docs = [
        (key, report.document(t))
        for key in SECTIONS
        if (report := summary.sections[key]) is not None
    ]
    sections = "".join(document_html(d, key, t, skip=("diagnosis",)) for key, d in docs)
    title = f"{doc.title} · {r.as_of.date}"
    parts = [
        ("scores", t("scores"), _score_cards(summary, t)),
        ("todo", t("todo"), _todo_cards(summary, t)),
        ("worst", t("worst"), _worst(summary, t)),
        ("charts", t("charts"), f'<div class="charts">{figures}</div>'),
        ("details", t("details"), sections),
        ("diagnosis", t("diagnosis"), _diagnosis(summary, t)),
    ]
    toc = _toc(
        [(a, label) for a, label, _ in parts], [(f"section-{k}", d.title) for k, d in docs], t
    )
    body = (
        f"<header><h1>{escape(doc.title)}</h1>{meta}"
        f"{freshness_html(summary.freshness, t)}{verdict}</header>"
        f"{toc}"
        + "".join(f'<h2 id="{a}">{label}</h2>{html}' for a, label, html in parts)
        + f"{_footer(summary, t)}"
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if t.lang == "zh" else "en"}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>\n{css()}</style></head>"
        f"<body><main>{body}</main><script>{PRINT_SCRIPT}</script></body></html>\n"
    )
