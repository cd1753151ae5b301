"""One input file as Polars reads it (:class:`Source`), and the converted copies behind it.

A file that is not already a UTF-8 CSV is written as one into the run's workdir
(:func:`converted`), by the module that reads its format.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tmallcli.errors import TmallError
from tmallcli.exports.paths import os_problem
from tmallcli.i18n import tr


@dataclass(frozen=True)
class Source:
    """One input file, ready for ``pl.scan_csv(source.csv_path, glob=False)``."""

    display: str  # what error messages name: the path as the user gave it
    path: Path  # the original file (never modified)
    csv_path: Path  # UTF-8 CSV: the original when it already is one, else a file in workdir
    # (or the GB18030 original itself while ``lossy``)
    # "utf-8", "utf-8-sig", "gb18030" (or the --encoding codec), "utf-16",
    # "xlsx", "xls" (BIFF), "html-xls", "xml-xls"
    encoding: str
    # Add to a CSV line number to get the line/row number in the original. Non-zero
    # only for a sheet whose data starts below row 1.
    line_offset: int = 0
    # False: a large file taken as UTF-8 from its first bytes only. Polars rejects invalid
    # UTF-8 anywhere in a file, so the reader calls :func:`~tmallcli.exports.decoding.verify_source`
    # only when a scan fails, instead of reading every large file twice.
    verified: bool = True
    # True: every column is read as text, as Polars checks a quoted field only in the columns
    # it keeps. False (usual): the columns a command does not use are split and counted but
    # not kept; the reader turns to True when Polars warns that the file's quoting is broken.
    all_text: bool = False
    # True: ``csv_path`` is the original GB18030/GBK file, not yet transcoded, which Polars
    # may read with ``utf8-lossy`` for columns whose cells all prove ASCII (the same bytes in
    # either encoding): see :meth:`~tmallcli.exports.reader.ExportReader._read_lossily`.
    # Otherwise it is transcoded (:func:`~tmallcli.exports.decoding.transcoded`) first.
    lossy: bool = False


def _temp_csv(workdir: Path, path: Path) -> tuple[Path, IO[bytes]]:
    try:
        workdir.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", path.stem)[:40] or "export"
        handle, name = tempfile.mkstemp(prefix=f"{stem}-", suffix=".csv", dir=workdir)
    except OSError as exc:
        raise TmallError(
            tr(
                "cannot write a temporary file in {workdir}: {os_problem}",
                workdir=workdir,
                os_problem=os_problem(exc),
            )
        ) from None
    return Path(name), os.fdopen(handle, "wb")


def converted(
    path: Path,
    workdir: Path,
    write: Callable[[IO[bytes]], None],
) -> Path:
    """Run ``write`` into a fresh file in ``workdir``; remove it if anything fails."""
    out_path, out = _temp_csv(workdir, path)
    try:
        with out:
            write(out)
    except BaseException:
        out_path.unlink(missing_ok=True)
        raise
    return out_path


def text_writer(out: IO[bytes]) -> tuple[Any, Callable[[], None]]:
    wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    writer = csv.writer(wrapper, lineterminator="\n")

    def close() -> None:
        wrapper.flush()
        wrapper.detach()

    return writer, close
