"""Text exports: which encoding a file is in, whether it is valid, and its UTF-8 copy.

Polars reads UTF-8 only. A file with a BOM is what the BOM says; without one it is UTF-8
when it decodes as such, else GB18030/GBK (the classic 订单报表 and anything re-saved by
Excel on Chinese Windows), unless ``--encoding`` names the codec. Files are validated and
transcoded in a streaming way, never the whole file in one Python string; GB18030's one
mapping and its fast iconv path are :mod:`tmallcli.exports.gb18030`.
"""

from __future__ import annotations

import codecs
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from tmallcli.errors import InputError
from tmallcli.exports import gb18030
from tmallcli.exports.gb18030 import Stopped, is_gb18030, to_2022
from tmallcli.exports.paths import os_problem
from tmallcli.exports.source import Source, converted
from tmallcli.i18n import tr

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

_UTF8_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


def read_head(path: Path, display: str) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(HEAD_SIZE)
    except OSError as exc:
        raise InputError(display, os_problem(exc)) from None


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
class TextPlan:
    codec: str  # Python codec used to decode
    label: str  # Source.encoding
    verified: bool = True  # False: only the head of a large file was checked


def text_plan(path: Path, head: bytes, *, encoding: str | None, display: str) -> TextPlan:
    """Pick the codec: ``encoding`` if given, else BOM, else strict UTF-8, else GB18030."""
    if encoding is not None:
        codec = _lookup_codec(encoding, display)
        if not codec.startswith(("utf-16", "utf-32")) and b"\x00" in head:
            raise InputError(display, tr("not a text export (binary data)"))
        if codec in ("utf-8", "utf-8-sig"):
            _validate_utf8(path, display, forced=True)
            label = "utf-8-sig" if head.startswith(_UTF8_BOM) else "utf-8"
            return TextPlan("utf-8", label)
        return TextPlan(codec, codec)

    if head.startswith(_UTF32_BOMS):  # before UTF-16: FF FE 00 00 starts with FF FE
        return TextPlan("utf-32", "utf-32")
    if head.startswith(_UTF16_BOMS):
        # Excel's "Unicode text (*.txt)" export: UTF-16 with a BOM, tab-separated.
        return TextPlan("utf-16", "utf-16")
    if b"\x00" in head:
        raise InputError(display, tr("not a text export (binary data)"))
    if head.startswith(_UTF8_BOM):
        _validate_utf8(path, display, forced=True)
        return TextPlan("utf-8", "utf-8-sig")
    if _file_size(path, display) > LAZY_VALIDATION_BYTES and _head_is_utf8(head):
        return TextPlan("utf-8", "utf-8", verified=False)
    if _validate_utf8(path, display, forced=False):
        return TextPlan("utf-8", "utf-8")
    return TextPlan("gb18030", "gb18030")


def _file_size(path: Path, display: str) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise InputError(display, os_problem(exc)) from None


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
    """A ``lossy`` source transcoded to UTF-8 (what
    :func:`~tmallcli.exports.opening.open_source` would have given)."""
    if not source.lossy:
        return source
    plan = TextPlan(codecs.lookup(source.encoding).name, source.encoding)
    return transcode_file(source.path, plan, workdir=workdir, display=source.display, stop=stop)


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
    :func:`text_plan`, applied to the whole file)."""
    if source.verified:
        return source
    if _validate_utf8(source.path, source.display, forced=False):
        return replace(source, verified=True)
    plan = TextPlan("gb18030", "gb18030")
    return transcode_file(source.path, plan, workdir=workdir, display=source.display)


def _lookup_codec(encoding: str, display: str) -> str:
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise InputError(
            display,
            tr("unknown encoding {encoding!r}", encoding=encoding),
            hint=tr("use a Python codec name such as utf-8, gb18030 or gbk"),
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
                tr("file ends in the middle of a UTF-8 character (truncated download?)"),
                line=line,
            ) from None
        raise InputError(
            display,
            tr(
                "not valid UTF-8 (byte offset {offset}: {reason})",
                offset=bad.offset,
                reason=bad.reason,
            ),
            line=line,
            hint=tr(
                "if the file is GBK/GB18030 (Excel on Chinese Windows), try --encoding gb18030"
            ),
        ) from None
    except OSError as exc:
        raise InputError(display, os_problem(exc)) from None
    return True


def check_not_empty(head: bytes, plan: TextPlan, display: str) -> None:
    if len(head) >= HEAD_SIZE:
        return
    text = head.decode(plan.codec, "replace")
    if not text.lstrip("\ufeff").strip():
        raise InputError(display, tr("empty file (no header row)"))


def _decode_error(path: Path, plan: TextPlan, bad: _Undecodable, display: str) -> InputError:
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


def decoded(path: Path, plan: TextPlan, display: str) -> Iterator[str]:
    try:
        yield from _iter_decoded(path, plan.codec)
    except _Undecodable as bad:
        raise _decode_error(path, plan, bad, display) from None


def text_lines(chunks: Iterable[str]) -> Iterator[str]:
    """Split decoded text on "\\n" only (as ``newline=""`` does), keeping the ends."""
    rest = ""
    for chunk in chunks:
        parts = (rest + chunk).split("\n")
        rest = parts.pop()
        for part in parts:
            yield part + "\n"
    if rest:
        yield rest


def transcode_file(
    path: Path,
    plan: TextPlan,
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
        for text in decoded(path, plan, display):
            if stop is not None and stop.is_set():
                raise Stopped(display)
            out.write(text.encode("utf-8"))

    csv_path = converted(path, workdir, write)
    return Source(display=display, path=path, csv_path=csv_path, encoding=plan.label)
