"""Turn any seller-center export into a UTF-8 CSV file that Polars can scan.

Polars' ``scan_csv`` reads UTF-8 only, while the exports a seller downloads come as
UTF-8, UTF-8 with a BOM, GB18030/GBK (the classic 订单报表 ``ExportOrderList*.csv`` and
anything re-saved by Excel on Chinese Windows), ``.xlsx`` workbooks from 千牛, and
"``.xls``" files that are really HTML tables, XML spreadsheets or plain text.
:func:`open_source` sniffs each file and hands it to the module that reads its format
(:mod:`~tmallcli.exports.decoding`, :mod:`~tmallcli.exports.workbook`,
:mod:`~tmallcli.exports.html_xls`, :mod:`~tmallcli.exports.chat_text` for 千牛 chat records), which gives back a :class:`~tmallcli.exports.source.Source`
whose ``csv_path`` Polars can read. Values are not parsed here: every cell stays text,
exactly as the seller sees it.
"""

from __future__ import annotations

import codecs
import csv
import threading
from pathlib import Path
from typing import IO

from tmallcli.errors import InputError
from tmallcli.exports.chat_text import convert_chat_text, looks_like_chat_text
from tmallcli.exports.decoding import (
    ASCII_COMPATIBLE,
    TextPlan,
    check_not_empty,
    decoded,
    read_head,
    text_lines,
    text_plan,
    transcode_file,
)
from tmallcli.exports.html_xls import convert_html
from tmallcli.exports.paths import os_problem
from tmallcli.exports.source import Source, converted, text_writer
from tmallcli.exports.workbook import (
    OLE2_SIGNATURE,
    SPREADSHEET_ML_NS,
    WORKBOOK_SUFFIXES,
    ZIP_SIGNATURE,
    convert_spreadsheet_ml,
    open_workbook,
)
from tmallcli.i18n import tr


def open_source(
    path: Path,
    *,
    encoding: str | None,
    sheet: str | None,
    workdir: Path,
    display: str | None = None,
    stop: threading.Event | None = None,
    transcode: bool = True,
) -> Source:
    """Sniff ``path`` and return a :class:`Source` with a UTF-8 CSV Polars can scan.

    ``encoding`` (any Python codec name) overrides detection for text files; ``sheet``
    picks a worksheet by name in a workbook (ignored for text files). Converted files
    are written to ``workdir``; the caller owns that folder and its clean-up. ``stop``, once
    set, ends a GB18030 transcoding (run in the background) with
    :class:`~tmallcli.exports.gb18030.Stopped`. With ``transcode`` false a GB18030/GBK CSV is
    not transcoded yet: its source is ``lossy``.
    """
    path = Path(path)
    display = display if display is not None else str(path)
    head = read_head(path, display)
    workbook_suffix = path.suffix.lower() in WORKBOOK_SUFFIXES
    if workbook_suffix and head.startswith((ZIP_SIGNATURE, OLE2_SIGNATURE)):
        return open_workbook(path, head, sheet=sheet, workdir=workdir, display=display)
    return _open_text(
        path,
        head,
        encoding=encoding,
        sheet=sheet,
        workdir=workdir,
        display=display,
        sniff_markup=workbook_suffix,
        stop=stop,
        transcode=transcode,
    )


def _open_text(
    path: Path,
    head: bytes,
    *,
    encoding: str | None,
    sheet: str | None,
    workdir: Path,
    display: str,
    sniff_markup: bool,
    stop: threading.Event | None = None,
    transcode: bool = True,
) -> Source:
    if head.startswith(ZIP_SIGNATURE) or head.startswith(OLE2_SIGNATURE):
        kind = ".xlsx" if head.startswith(ZIP_SIGNATURE) else ".xls"
        raise InputError(
            display,
            tr("not a text export (binary data)"),
            hint=tr("the file looks like an Excel workbook; rename it to {kind}", kind=kind),
        )
    plan = text_plan(path, head, encoding=encoding, display=display)
    check_not_empty(head, plan, display)

    try:
        if sniff_markup:
            start = head[:8192].decode(plan.codec, "replace")[:4096]
            lowered = start.lower()
            if SPREADSHEET_ML_NS in start and "<workbook" in lowered:
                return convert_spreadsheet_ml(
                    path, plan, sheet=sheet, workdir=workdir, display=display
                )
            if "<table" in lowered or "<html" in lowered:
                return convert_html(path, plan, workdir=workdir, display=display)

        if looks_like_chat_text(head[:8192].decode(plan.codec, "replace"), path.suffix):
            return convert_chat_text(path, plan, workdir=workdir, display=display)
        first_line = _first_line(head, plan.codec)
        if _is_tab_separated(first_line):
            return _convert_tsv(path, plan, workdir=workdir, display=display)
        if plan.codec == "utf-8":
            return Source(
                display=display,
                path=path,
                csv_path=path,
                encoding=plan.label,
                verified=plan.verified,
            )
        if not transcode and codecs.lookup(plan.codec).name in ASCII_COMPATIBLE:
            return Source(
                display=display, path=path, csv_path=path, encoding=plan.label, lossy=True
            )
        return transcode_file(path, plan, workdir=workdir, display=display, stop=stop)
    except OSError as exc:
        raise InputError(display, os_problem(exc)) from None


def _first_line(head: bytes, codec: str) -> str:
    text = head.decode(codec, "replace").lstrip("\ufeff")
    for line in text.split("\n"):
        if line.strip():
            return line.rstrip("\r")
    return ""


def _is_tab_separated(first_line: str) -> bool:
    # A header with tabs between names and no comma. Leading/trailing tabs alone are
    # Excel-protection wrappers on a one-column CSV, not separators.
    return "," not in first_line and "\t" in first_line.strip()


def _convert_tsv(path: Path, plan: TextPlan, *, workdir: Path, display: str) -> Source:
    def write(out: IO[bytes]) -> None:
        writer, close = text_writer(out)
        reader = csv.reader(text_lines(decoded(path, plan, display)), delimiter="\t")
        try:
            writer.writerows(reader)
        except csv.Error as exc:
            raise InputError(
                display,
                tr("cannot split the tab-separated rows: {exc}", exc=exc),
                line=reader.line_num,
            ) from None
        finally:
            close()

    csv_path = converted(path, workdir, write)
    return Source(display=display, path=path, csv_path=csv_path, encoding=plan.label)
