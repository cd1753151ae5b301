"""The HTML shop report: the page (:mod:`.page`), its charts (:mod:`.charts`), the sections'
tables (:mod:`.tables`) and the style sheet ``report.css`` (package data)."""

from __future__ import annotations

from tmallcli.render.html.charts import charts
from tmallcli.render.html.page import render_html
from tmallcli.render.html.tables import document_html, table

__all__ = ["charts", "document_html", "render_html", "table"]
