"""Turn any seller-center export into a UTF-8 CSV file that Polars can scan.

Polars' ``scan_csv`` reads UTF-8 only, while the exports a seller downloads come as
UTF-8, UTF-8 with a BOM, GB18030/GBK (the classic 订单报表 ``ExportOrderList*.csv`` and
anything re-saved by Excel on Chinese Windows), ``.xlsx`` workbooks from 千牛, and
"``.xls``" files that are really HTML tables, XML spreadsheets or plain text. This module
sniffs each file, validates and transcodes it in a streaming way (never the whole file in
one Python string) and hands back a :class:`Source` whose ``csv_path`` Polars can read.
Values are not parsed here: every cell stays text, exactly as the seller sees it.

It also expands the user's file arguments (files, globs, folders) with
:func:`expand_paths`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import errno
import glob
import html.parser
import io
import os
import re
import tempfile
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from tmallcli.errors import InputError, TmallError
from tmallcli.exports import gb18030
from tmallcli.exports.gb18030 import Stopped, is_gb18030, to_2022

EXPORT_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls")

# Bytes read per step when validating or transcoding a text file. Module level so a
# test can shrink it and put multi-byte characters across chunk boundaries.
CHUNK_SIZE = 4 << 20

# How much of the file's start is sniffed for NUL bytes, signatures, the header line.
HEAD_SIZE = 64 << 10
# Files larger than this are taken as UTF-8 when their head is (see Source.verified).
LAZY_VALIDATION_BYTES = 8 << 20

# A file that decodes as UTF-8 for this many bytes of multi-byte characters (≈8 Chinese
# characters) and then fails is a damaged UTF-8 file, not GB18030: GBK text read as
# UTF-8 fails within a few characters (measured: never past 10 extra bytes in 200 000
# random 40-character lines). Falling back to GB18030 there would turn the whole file
# into mojibake and the real problem into a confusing "missing column" later.
UTF8_EVIDENCE_BYTES = 16

# Excel keeps 15 significant digits: an integer of 16+ digits stored as a number (an
# 18/19-digit 订单编号 typed or pasted into Excel) has lost its last digits and cannot
# be recovered. Such cells are written as Excel shows them (1.23457E+18) so the ID
# check downstream rejects them instead of joining on a wrong ID.
EXCEL_EXACT_INT_LIMIT = 10**15

_UTF8_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_ZIP_SIGNATURE = b"PK\x03\x04"
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_SPREADSHEET_ML_NS = "urn:schemas-microsoft-com:office:spreadsheet"


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
    # UTF-8 anywhere in a file, so the reader calls :func:`verify_source` only when a scan
    # fails, instead of reading every large file twice.
    verified: bool = True
    # True: every column is read as text, as Polars checks a quoted field only in the columns
    # it keeps. False (usual): the columns a command does not use are split and counted but
    # not kept; the reader turns to True when Polars warns that the file's quoting is broken.
    all_text: bool = False
    # True: ``csv_path`` is the original GB18030/GBK file, not yet transcoded, which Polars
    # may read with ``utf8-lossy`` for columns whose cells all prove ASCII (the same bytes in
    # either encoding): see :meth:`ExportReader._read_lossily`. Otherwise it is transcoded
    # (:func:`transcoded`) before it is read.
    lossy: bool = False


# ---------------------------------------------------------------------------
# expand_paths


def expand_paths(args: list[str], *, kind: str | None = None) -> list[Path]:
    """Expand file arguments (files, globs, folders) into a sorted list of files.

    A folder stands for the export files directly inside it (``EXPORT_SUFFIXES``;
    hidden files and ``~$`` Excel lock files are skipped). The same file named twice
    (say by a glob and by name) is kept once. ``kind`` (e.g. ``"cs_ratings"``) only
    names the option in error messages.
    """
    found: list[Path] = []
    for arg in args:
        found.extend(_expand_one(arg, kind))
    keyed = sorted(((_resolved(path), path) for path in found), key=lambda pair: pair[0])
    unique: list[Path] = []
    seen: set[str] = set()
    for key, path in keyed:
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _expand_one(arg: str, kind: str | None) -> list[Path]:
    def fail(problem: str) -> InputError:
        if kind:
            problem += f" (--{kind.replace('_', '-')})"
        return InputError(arg, problem)

    path = Path(os.path.expanduser(arg)) if arg else None
    if path is None:
        raise fail("no such file")
    try:
        if path.is_dir():
            return _folder_exports(path, arg, fail)
        if path.exists():
            return [path]
    except OSError as exc:
        raise fail(_os_problem(exc)) from None
    if glob.has_magic(arg):
        matches = sorted(glob.glob(os.path.expanduser(arg), recursive=True))
        files = [Path(m) for m in matches if Path(m).is_file() and not _is_lock_file(Path(m))]
        if not files:
            raise fail("glob matched no file")
        return files
    raise fail("no such file")


def _folder_exports(folder: Path, arg: str, fail: Callable[[str], InputError]) -> list[Path]:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
        files = [
            entry
            for entry in entries
            if entry.suffix.lower() in EXPORT_SUFFIXES
            and not entry.name.startswith(".")
            and not _is_lock_file(entry)
            and entry.is_file()
        ]
    except OSError as exc:
        raise fail(f"cannot list folder: {_os_problem(exc)}") from None
    if not files:
        raise fail(f"folder holds no export ({', '.join(EXPORT_SUFFIXES)})")
    return files


def _is_lock_file(path: Path) -> bool:
    # Excel keeps "~$name.xlsx" next to an open workbook; it is not an export.
    return path.name.startswith("~$")


def _resolved(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # symlink loop
        return str(path.absolute())


# ---------------------------------------------------------------------------
# open_source


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
    set, ends a GB18030 transcoding (run in the background) with :class:`Stopped`. With
    ``transcode`` false a GB18030/GBK CSV is not transcoded yet: its source is ``lossy``.
    """
    path = Path(path)
    display = display if display is not None else str(path)
    head = _read_head(path, display)
    workbook_suffix = path.suffix.lower() in _WORKBOOK_SUFFIXES
    if workbook_suffix and head.startswith((_ZIP_SIGNATURE, _OLE2_SIGNATURE)):
        return _open_workbook(path, head, sheet=sheet, workdir=workdir, display=display)
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


def _read_head(path: Path, display: str) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(HEAD_SIZE)
    except OSError as exc:
        raise InputError(display, _os_problem(exc)) from None


def _os_problem(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EISDIR:
        return "is a folder, not a file"
    return (exc.strerror or str(exc)).lower()


# ---------------------------------------------------------------------------
# text files: encoding detection, validation, transcoding


class _Undecodable(Exception):
    """Bytes at ``offset`` do not decode; ``truncated``: the file ends mid-character."""

    def __init__(self, offset: int, reason: str, truncated: bool, valid_chars: int) -> None:
        super().__init__(reason)
        self.offset = offset
        self.reason = reason
        self.truncated = truncated
        self.valid_chars = valid_chars  # characters decoded before ``offset``


def _iter_decoded(path: Path, codec: str) -> Iterator[str]:
    """Yield the file's text chunk by chunk; raise :class:`_Undecodable` at a bad byte.

    The incremental decoder keeps a multi-byte character that is split across two
    chunks until its last byte arrives.
    """
    decoder = codecs.getincrementaldecoder(codec)("strict")
    mapping_2022 = is_gb18030(codec)  # GB18030 is read with the 2022 mapping (gb18030.py)
    chunk_size = CHUNK_SIZE
    chunk_start = 0
    chars = 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(chunk_size)
            final = len(chunk) < chunk_size
            try:
                text = decoder.decode(chunk, final)
            except UnicodeDecodeError as exc:
                # exc.object is the decoder's pending bytes + this chunk.
                pending = len(exc.object) - len(chunk)
                offset = chunk_start - pending + exc.start
                prefix = exc.object[: exc.start]
                valid = chars + len(prefix.decode(codec, "replace"))
                truncated = (
                    final
                    and exc.end >= len(exc.object)
                    and any(
                        word in exc.reason for word in ("end of data", "incomplete", "truncated")
                    )
                )
                raise _Undecodable(offset, exc.reason, truncated, valid) from None
            except UnicodeError as exc:
                # A plain UnicodeError has no position: UTF-16/32 forced with --encoding on
                # a stream without a BOM ("does not start with BOM").
                raise _Undecodable(chunk_start, str(exc), False, chars) from None
            if text:
                chars += len(text)
                yield to_2022(text) if mapping_2022 else text
            chunk_start += len(chunk)
            if final:
                return


def _line_at(path: Path, offset: int, codec: str) -> int:
    """Line number (1-based, as an editor counts) of the byte at ``offset``."""
    ascii_newline = "\n".encode(codec, "replace") == b"\n"
    decoder = codecs.getincrementaldecoder(codec)("replace")
    lines = 1
    remaining = offset
    with path.open("rb") as handle:
        while remaining > 0:
            chunk = handle.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                break
            if ascii_newline:  # UTF-8, GB18030: no multi-byte character holds 0x0A
                lines += chunk.count(b"\n")
            else:  # UTF-16/32: count decoded newlines instead of bytes
                try:
                    lines += decoder.decode(chunk).count("\n")
                except UnicodeError:  # no BOM: even "replace" cannot tell the byte order
                    decoder = codecs.getincrementaldecoder(f"{codec}-le")("replace")
                    lines += decoder.decode(chunk).count("\n")
            remaining -= len(chunk)
    return lines


@dataclass(frozen=True)
class _TextPlan:
    codec: str  # Python codec used to decode
    label: str  # Source.encoding
    verified: bool = True  # False: only the head of a large file was checked


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
    if head.startswith(_ZIP_SIGNATURE) or head.startswith(_OLE2_SIGNATURE):
        kind = ".xlsx" if head.startswith(_ZIP_SIGNATURE) else ".xls"
        raise InputError(
            display,
            "not a text export (binary data)",
            hint=f"the file looks like an Excel workbook; rename it to {kind}",
        )
    plan = _text_plan(path, head, encoding=encoding, display=display)
    _check_not_empty(head, plan, display)

    try:
        if sniff_markup:
            start = head[:8192].decode(plan.codec, "replace")[:4096]
            lowered = start.lower()
            if _SPREADSHEET_ML_NS in start and "<workbook" in lowered:
                return _convert_spreadsheet_ml(
                    path, plan, sheet=sheet, workdir=workdir, display=display
                )
            if "<table" in lowered or "<html" in lowered:
                return _convert_html(path, plan, workdir=workdir, display=display)

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
        return _transcode(path, plan, workdir=workdir, display=display, stop=stop)
    except OSError as exc:
        raise InputError(display, _os_problem(exc)) from None


def _text_plan(path: Path, head: bytes, *, encoding: str | None, display: str) -> _TextPlan:
    """Pick the codec: ``encoding`` if given, else BOM, else strict UTF-8, else GB18030."""
    if encoding is not None:
        codec = _lookup_codec(encoding, display)
        if not codec.startswith(("utf-16", "utf-32")) and b"\x00" in head:
            raise InputError(display, "not a text export (binary data)")
        if codec in ("utf-8", "utf-8-sig"):
            _validate_utf8(path, display, forced=True)
            label = "utf-8-sig" if head.startswith(_UTF8_BOM) else "utf-8"
            return _TextPlan("utf-8", label)
        return _TextPlan(codec, codec)

    if head.startswith(_UTF32_BOMS):  # before UTF-16: FF FE 00 00 starts with FF FE
        return _TextPlan("utf-32", "utf-32")
    if head.startswith(_UTF16_BOMS):
        # Excel's "Unicode text (*.txt)" export: UTF-16 with a BOM, tab-separated.
        return _TextPlan("utf-16", "utf-16")
    if b"\x00" in head:
        raise InputError(display, "not a text export (binary data)")
    if head.startswith(_UTF8_BOM):
        _validate_utf8(path, display, forced=True)
        return _TextPlan("utf-8", "utf-8-sig")
    if _file_size(path, display) > LAZY_VALIDATION_BYTES and _head_is_utf8(head):
        return _TextPlan("utf-8", "utf-8", verified=False)
    if _validate_utf8(path, display, forced=False):
        return _TextPlan("utf-8", "utf-8")
    return _TextPlan("gb18030", "gb18030")


def _file_size(path: Path, display: str) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise InputError(display, _os_problem(exc)) from None


def _head_is_utf8(head: bytes) -> bool:
    """The first bytes decode as UTF-8 (a character cut at the end of the head is fine)."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


# Codecs whose multi-byte characters never hold a byte below 0x30, so the CSV's commas,
# quotes and line ends, and every ASCII cell, are the same bytes as in UTF-8.
ASCII_COMPATIBLE = frozenset({"gb18030", "gbk", "gb2312"})


def transcoded(source: Source, *, workdir: Path, stop: threading.Event | None = None) -> Source:
    """A ``lossy`` source transcoded to UTF-8 (what :func:`open_source` would have given)."""
    if not source.lossy:
        return source
    plan = _TextPlan(codecs.lookup(source.encoding).name, source.encoding)
    return _transcode(source.path, plan, workdir=workdir, display=source.display, stop=stop)


def header_line(source: Source) -> bytes:
    """A ``lossy`` source's header row as UTF-8 (it ends at the first line end)."""
    with source.path.open("rb") as handle:
        head = handle.read(HEAD_SIZE)
    end = head.find(b"\n")
    line = head if end < 0 else head[: end + 1]
    text = line.decode(source.encoding)
    return (to_2022(text) if is_gb18030(source.encoding) else text).encode("utf-8")


def verify_source(source: Source, *, workdir: Path) -> Source:
    """Check a lazily accepted UTF-8 file in full: the same source when it is UTF-8, a
    GB18030 transcoding when it is not, or the damaged-UTF-8 error (the rule of
    :func:`_text_plan`, applied to the whole file)."""
    if source.verified:
        return source
    if _validate_utf8(source.path, source.display, forced=False):
        return replace(source, verified=True)
    plan = _TextPlan("gb18030", "gb18030")
    return _transcode(source.path, plan, workdir=workdir, display=source.display)


def _lookup_codec(encoding: str, display: str) -> str:
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise InputError(
            display,
            f"unknown encoding {encoding!r}",
            hint="use a Python codec name such as utf-8, gb18030 or gbk",
        )
    return info.name


def _validate_utf8(path: Path, display: str, *, forced: bool) -> bool:
    """True when the whole file is UTF-8.

    When detecting (``forced`` false), a file that fails at its first multi-byte
    characters is GB18030 (False); one that fails after plenty of valid UTF-8 is a
    damaged UTF-8 file and an error, as is any failure when UTF-8 was asked for.
    """
    try:
        for _ in _iter_decoded(path, "utf-8"):
            pass
    except _Undecodable as bad:
        multibyte_bytes = bad.offset - bad.valid_chars
        if not forced and multibyte_bytes < UTF8_EVIDENCE_BYTES:
            return False
        line = _line_at(path, bad.offset, "utf-8")
        if bad.truncated:
            raise InputError(
                display,
                "file ends in the middle of a UTF-8 character (truncated download?)",
                line=line,
            ) from None
        raise InputError(
            display,
            f"not valid UTF-8 (byte offset {bad.offset}: {bad.reason})",
            line=line,
            hint="if the file is GBK/GB18030 (Excel on Chinese Windows), try --encoding gb18030",
        ) from None
    except OSError as exc:
        raise InputError(display, _os_problem(exc)) from None
    return True


def _check_not_empty(head: bytes, plan: _TextPlan, display: str) -> None:
    if len(head) >= HEAD_SIZE:
        return
    text = head.decode(plan.codec, "replace")
    if not text.lstrip("\ufeff").strip():
        raise InputError(display, "empty file (no header row)")


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


def _temp_csv(workdir: Path, path: Path) -> tuple[Path, IO[bytes]]:
    try:
        workdir.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", path.stem)[:40] or "export"
        handle, name = tempfile.mkstemp(prefix=f"{stem}-", suffix=".csv", dir=workdir)
    except OSError as exc:
        raise TmallError(
            f"cannot write a temporary file in {workdir}: {_os_problem(exc)}"
        ) from None
    return Path(name), os.fdopen(handle, "wb")


def _converted(
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


def _decode_error(path: Path, plan: _TextPlan, bad: _Undecodable, display: str) -> InputError:
    line = _line_at(path, bad.offset, plan.codec)
    hint = "the file may be damaged; --encoding names the encoding if it is not UTF-8 or GB18030"
    if bad.truncated:
        problem = f"file ends in the middle of a {plan.label} character (truncated?)"
    elif "BOM" in bad.reason:
        problem = f"not {plan.label} text ({bad.reason})"
        hint = f"without a BOM, name the byte order: --encoding {plan.codec}-le (or -be)"
    else:
        problem = f"bytes that are not valid {plan.label} (byte offset {bad.offset})"
    return InputError(display, problem, line=line, hint=hint)


def _decoded(path: Path, plan: _TextPlan, display: str) -> Iterator[str]:
    try:
        yield from _iter_decoded(path, plan.codec)
    except _Undecodable as bad:
        raise _decode_error(path, plan, bad, display) from None


def _transcode(
    path: Path,
    plan: _TextPlan,
    *,
    workdir: Path,
    display: str,
    stop: threading.Event | None = None,
) -> Source:
    def write(out: IO[bytes]) -> None:
        if is_gb18030(plan.codec):
            with path.open("rb") as handle:
                if gb18030.transcode(handle, out, stop):
                    return
            # iconv is not usable here, or refused some bytes: Python's codec takes the
            # codes iconv does not, and names the line of a damaged byte.
            out.seek(0)
            out.truncate()
        for text in _decoded(path, plan, display):
            if stop is not None and stop.is_set():
                raise Stopped(display)
            out.write(text.encode("utf-8"))

    csv_path = _converted(path, workdir, write)
    return Source(display=display, path=path, csv_path=csv_path, encoding=plan.label)


def _lines(chunks: Iterable[str]) -> Iterator[str]:
    """Split decoded text on "\\n" only (as ``newline=""`` does), keeping the ends."""
    rest = ""
    for chunk in chunks:
        parts = (rest + chunk).split("\n")
        rest = parts.pop()
        for part in parts:
            yield part + "\n"
    if rest:
        yield rest


def _text_writer(out: IO[bytes]) -> tuple[Any, Callable[[], None]]:
    wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    writer = csv.writer(wrapper, lineterminator="\n")

    def close() -> None:
        wrapper.flush()
        wrapper.detach()

    return writer, close


def _convert_tsv(path: Path, plan: _TextPlan, *, workdir: Path, display: str) -> Source:
    def write(out: IO[bytes]) -> None:
        writer, close = _text_writer(out)
        reader = csv.reader(_lines(_decoded(path, plan, display)), delimiter="\t")
        try:
            writer.writerows(reader)
        except csv.Error as exc:
            raise InputError(
                display, f"cannot split the tab-separated rows: {exc}", line=reader.line_num
            ) from None
        finally:
            close()

    csv_path = _converted(path, workdir, write)
    return Source(display=display, path=path, csv_path=csv_path, encoding=plan.label)


# ---------------------------------------------------------------------------
# "xls" files that are HTML tables (千牛) or XML Spreadsheet 2003


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


def _convert_html(path: Path, plan: _TextPlan, *, workdir: Path, display: str) -> Source:
    def write(out: IO[bytes]) -> None:
        writer, close = _text_writer(out)
        parser = _TableWriter(writer)
        try:
            for text in _decoded(path, plan, display):
                parser.feed(text)
                if parser.done:
                    break
            parser.close()
            parser.finish()
        finally:
            close()
        if parser.rows_written == 0:
            raise InputError(display, "HTML file holds no table rows (no header row)")

    csv_path = _converted(path, workdir, write)
    return Source(display=display, path=path, csv_path=csv_path, encoding="html-xls")


def _convert_spreadsheet_ml(
    path: Path, plan: _TextPlan, *, sheet: str | None, workdir: Path, display: str
) -> Source:
    """XML Spreadsheet 2003: ``<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">``."""
    names: list[str] = []

    def write(out: IO[bytes]) -> None:
        writer, close = _text_writer(out)
        try:
            rows = _spreadsheet_ml_rows(_decoded(path, plan, display), sheet, names)
            written, _ = _write_sheet_rows(writer, rows)
        except (ET.ParseError, ValueError) as exc:
            raise InputError(display, f"cannot read the XML spreadsheet: {exc}") from None
        finally:
            close()
        if sheet is not None and sheet not in names:
            listed = ", ".join(repr(name) for name in names)
            raise InputError(display, f"no sheet named {sheet!r} (sheets: {listed})")
        if written == 0:
            raise InputError(display, "empty sheet (no header row)")

    csv_path = _converted(path, workdir, write)
    return Source(display=display, path=path, csv_path=csv_path, encoding="xml-xls")


def _spreadsheet_ml_rows(
    chunks: Iterable[str], sheet: str | None, names: list[str]
) -> Iterator[list[str]]:
    """Rows of the first worksheet (or the one named ``sheet``); collects sheet names."""
    ns = "{" + _SPREADSHEET_ML_NS + "}"
    parser: Any = ET.XMLPullParser(events=("start", "end"))
    in_sheet = False
    done = False
    row: list[str] = []
    row_number = 0  # 1-based number of the last row yielded
    for chunk in chunks:
        parser.feed(chunk)
        for event, elem in parser.read_events():
            tag = elem.tag
            if event == "start":
                if tag == ns + "Worksheet":
                    name = elem.get(ns + "Name", "")
                    names.append(name)
                    in_sheet = not done and (sheet is None or name == sheet)
                elif in_sheet and tag == ns + "Row":
                    index = int(elem.get(ns + "Index") or row_number + 1)
                    for _ in range(row_number + 1, index):  # rows skipped by ss:Index
                        yield [""]
                    row_number = index
                    row = []
                continue
            if not in_sheet:
                if tag == ns + "Row":
                    elem.clear()
                continue
            if tag == ns + "Cell":
                index = int(elem.get(ns + "Index") or len(row) + 1)
                row.extend([""] * (index - 1 - len(row)))
                row.append(_spreadsheet_ml_value(elem.find(ns + "Data")))
                elem.clear()
            elif tag == ns + "Row":
                yield row
                elem.clear()
            elif tag == ns + "Worksheet":
                in_sheet, done = False, True
    parser.close()


def _spreadsheet_ml_value(data: ET.Element | None) -> str:
    if data is None:
        return ""
    text = "".join(data.itertext())
    kind = data.get("{" + _SPREADSHEET_ML_NS + "}Type", "String")
    if kind == "Number":
        try:
            return _excel_text(float(text))
        except ValueError:
            return text
    if kind == "DateTime":
        try:
            return _excel_text(dt.datetime.fromisoformat(text))
        except ValueError:
            return text
    if kind == "Boolean":
        return "true" if text.strip() in ("1", "true", "TRUE") else "false"
    return text


# ---------------------------------------------------------------------------
# workbooks (.xlsx and real BIFF .xls) via python-calamine


def _open_workbook(
    path: Path, head: bytes, *, sheet: str | None, workdir: Path, display: str
) -> Source:
    import python_calamine

    is_zip = head.startswith(_ZIP_SIGNATURE)
    suffix_fits = (path.suffix.lower() in (".xlsx", ".xlsm")) == is_zip
    try:
        if suffix_fits:
            workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        else:  # an .xlsx saved as .xls or the reverse: let calamine sniff the bytes
            with path.open("rb") as handle:
                workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
        names = list(workbook.sheet_names)
        if not names:
            raise InputError(display, "the workbook holds no sheet")
        name = _pick_sheet(workbook, names, sheet, display)
        worksheet = workbook.get_sheet_by_name(name)
        rows = worksheet.iter_rows()
        leading = 0

        def write(out: IO[bytes]) -> None:
            nonlocal leading
            writer, close = _text_writer(out)
            try:
                written, leading = _write_sheet_rows(writer, rows)
            finally:
                close()
            if written == 0:
                raise InputError(display, f"empty sheet {name!r} (no header row)")

        csv_path = _converted(path, workdir, write)
    except python_calamine.PasswordError:
        raise InputError(display, "the workbook is password-protected") from None
    except python_calamine.CalamineError as exc:
        hint = "an encrypted .xlsx is stored this way" if not is_zip else None
        raise InputError(display, f"cannot read the Excel workbook: {exc}", hint=hint) from None
    except OSError as exc:
        raise InputError(display, _os_problem(exc)) from None
    return Source(
        display=display,
        path=path,
        csv_path=csv_path,
        encoding="xlsx" if is_zip else "xls",
        line_offset=leading,
    )


def _pick_sheet(workbook: Any, names: list[str], sheet: str | None, display: str) -> str:
    if sheet is None:
        # The first visible sheet: a hidden first sheet is a lookup table, not the export.
        import python_calamine

        shown = python_calamine.SheetVisibleEnum.Visible
        visible = [meta.name for meta in workbook.sheets_metadata if meta.visible == shown]
        return visible[0] if visible else names[0]
    if sheet in names:
        return sheet
    loose = [name for name in names if name.strip().casefold() == sheet.strip().casefold()]
    if len(loose) == 1:
        return loose[0]
    listed = ", ".join(repr(name) for name in names)
    raise InputError(display, f"no sheet named {sheet!r} (sheets: {listed})")


def _write_sheet_rows(writer: Any, rows: Iterable[list[Any]]) -> tuple[int, int]:
    """Write every row as text; returns (rows written, empty rows skipped above the header).

    Empty rows above the header and after the last row are dropped; empty rows in
    between are kept so that a CSV line still maps to one sheet row.
    """
    text = _excel_text
    written = 0
    leading = 0
    held_empty = 0
    width = 0
    for row in rows:
        cells = [value if type(value) is str else text(value) for value in row]
        if not any(cells):
            if written:
                held_empty += 1
            else:
                leading += 1
            continue
        if held_empty:
            writer.writerows([[""] * max(width, 1)] * held_empty)
            written += held_empty
            held_empty = 0
        width = len(cells)
        writer.writerow(cells)
        written += 1
    return written, leading


def _excel_text(value: object) -> str:
    """A cell as the seller sees it in Excel, for the text parser downstream."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            return ""
        if number.is_integer():
            if abs(number) >= EXCEL_EXACT_INT_LIMIT:
                return f"{number:.5E}"
            return str(int(number))
        # 15 significant digits, as Excel shows: 0.30000000000000004 -> 0.3
        return format(number, ".15g")
    if isinstance(value, dt.datetime):
        if value.microsecond >= 500_000:
            value += dt.timedelta(microseconds=1_000_000 - value.microsecond)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
        sign = "-" if seconds < 0 else ""
        hours, rest = divmod(abs(seconds), 3600)
        return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"
    if value is None:
        return ""
    return str(value)
