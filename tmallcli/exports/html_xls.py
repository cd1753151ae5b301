"""The "``.xls``" files that are HTML tables (千牛's downloads): the first table's rows as CSV."""

from __future__ import annotations

import html.parser
import re
from pathlib import Path
from typing import IO, Any

from tmallcli.errors import InputError
from tmallcli.exports.decoding import TextPlan, decoded
from tmallcli.exports.source import Source, converted, text_writer
from tmallcli.i18n import tr

_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")


class _TableWriter(html.parser.HTMLParser):
    """Write the rows of the first ``<table>`` to a CSV writer as they complete."""

    def __init__(self, writer: Any) -> None:
        super().__init__(convert_charrefs=True)
        self._writer = writer
        self.depth = 0  # <table> nesting; rows and cells count only at depth 1
        self.done = False
        self.rows_written = 0
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._width = 0
        self._empty_rows = 0  # held back: trailing empty rows are dropped

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "table":
            self.depth += 1
        elif self.depth == 1 and tag == "tr":
            self._end_row()
            self._row = []
        elif self.depth == 1 and tag in ("td", "th"):
            self._end_cell()
            if self._row is None:
                self._row = []
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.done or self.depth == 0:
            return
        if tag == "table":
            if self.depth == 1:
                self._end_row()
                self.done = True
            self.depth -= 1
        elif self.depth == 1 and tag == "tr":
            self._end_row()
        elif self.depth == 1 and tag in ("td", "th"):
            self._end_cell()

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self.done:
            self._cell.append(data)

    def finish(self) -> None:
        """Flush a last row left open by a file that ends without ``</table>``."""
        if not self.done:
            self._end_row()

    def _end_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            self._row.append(_HTML_SPACE.sub(" ", "".join(self._cell)).strip())
        self._cell = None

    def _end_row(self) -> None:
        self._end_cell()
        row, self._row = self._row, None
        if row is None:
            return
        if self.rows_written == 0:
            if not any(row):
                return  # blank rows before the header
            self._width = len(row)
        elif not any(row):
            self._empty_rows += 1
            return
        for _ in range(self._empty_rows):
            self._writer.writerow([""] * self._width)
        self._empty_rows = 0
        if len(row) < self._width:  # HTML leaves trailing empty cells out
            row.extend([""] * (self._width - len(row)))
        self._writer.writerow(row)
        self.rows_written += 1


def convert_html(path: Path, plan: TextPlan, *, workdir: Path, display: str) -> Source:
    def write(out: IO[bytes]) -> None:
        writer, close = text_writer(out)
        parser = _TableWriter(writer)
        try:
            for text in decoded(path, plan, display):
                parser.feed(text)
                if parser.done:
                    break
            parser.close()
            parser.finish()
        finally:
            close()
        if parser.rows_written == 0:
            raise InputError(display, tr("HTML file holds no table rows (no header row)"))

    csv_path = converted(path, workdir, write)
    return Source(display=display, path=path, csv_path=csv_path, encoding="html-xls")
