"""Any command's document as foldable HTML tables: long lists cut with a pointer to the
command that gives them whole, long texts wrapped, Rich styles as CSS classes."""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from tmallcli.render.html.labels import LABELS

if TYPE_CHECKING:
    from tmallcli.render.document import Cell, Document, Section
    from tmallcli.render.labels import Labels

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

_STYLE_CLASSES = ("red", "green", "yellow", "dim", "bold")
# A list of IDs joined by commas (an order's tracking numbers, a buyer's orders): printed,
# where cells wrap to fit the paper, it may break after a comma, never inside an ID.
_ID_LIST_COMMA = re.compile(r"(?<=[0-9A-Za-z]{8}),(?=[0-9A-Za-z]{8})")


def _classes(style: str | None) -> list[str]:
    return [c for c in _STYLE_CLASSES if style and c in style.split()]


def _cell(cell: Cell, numeric: bool) -> str:
    classes = _classes(cell.style)
    if numeric:
        classes.append("num")
    elif len(cell.text) > _WRAP_AT:
        classes.append("wrap")
    attr = f' class="{" ".join(classes)}"' if classes else ""
    return f"<td{attr}>{_ID_LIST_COMMA.sub(',<wbr>', escape(cell.text))}</td>"


def table(
    section: Section,
    labels: Labels,
    source: str,
    *,
    open_rows: int = OPEN_ROWS,
    max_rows: int = HTML_ROWS,
) -> str:
    """One section as a foldable table; ``source`` is the section's key in the report."""
    t = labels.of(LABELS)
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
        notes.append(t("rows.more", shown=len(shown), total=total, command=command))
        count = t("rows.cut", shown=len(shown), total=total)
    else:
        count = t("rows", n=total)
    state = " open" if total <= open_rows else ""
    note_html = "".join(f'<p class="note">{escape(n)}</p>' for n in notes)
    return (
        f'<details{state} id="table-{source}-{escape(section.key)}">'
        f"<summary>{escape(section.title)} "
        f'<span class="count">· {count}</span></summary>'
        f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>{note_html}</details>"
    )


def document_html(doc: Document, key: str, labels: Labels, *, skip: tuple[str, ...] = ()) -> str:
    lines = "".join(
        f'<li class="{" ".join(_classes(style))}">{escape(text)}</li>'
        if _classes(style)
        else f"<li>{escape(text)}</li>"
        for text, style in doc.lines
    )
    tables = "".join(table(s, labels, key) for s in doc.sections if s.key not in skip)
    return (
        f'<section class="report" id="section-{key}"><h2>{escape(doc.title)}</h2>'
        f'<ul class="lines">{lines}</ul>{tables}</section>'
    )
