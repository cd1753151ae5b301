"""Output that never crashes on the console's or file's encoding.

Most sellers run ``tmall`` on Chinese Windows, where a redirected or piped stdout is GBK
(cp936): ``tmall report … > log.txt`` must not die with ``UnicodeEncodeError`` on ``✗``. The
streams keep their encoding; a character it lacks is written as its nearest form the code page
has (✓ → √, ✗ → ×), else ``?``, so the text stays readable there. UTF-8 streams are untouched;
JSON is always written as UTF-8 bytes (RFC 8259).
"""

from __future__ import annotations

import codecs
import contextlib
import sys
from typing import TextIO

ERRORS = "tmall-fallback"

# Symbols tmall prints, and what a legacy code page (GBK, GB18030 aside) shows instead.
FALLBACK = {
    "✓": "√",
    "✔": "√",
    "✗": "×",
    "✘": "×",
    "※": "*",
    "→": "->",
    "←": "<-",
    "…": "...",
    "•": "·",
    "⚠": "!",
    "⋯": "...",
}


def _fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for char in exc.object[exc.start : exc.end]:
        substitute = FALLBACK.get(char, "?")
        try:
            substitute.encode(exc.encoding)
        except (UnicodeEncodeError, LookupError):
            substitute = "?"
        out.append(substitute)
    return "".join(out), exc.end


def _is_utf(encoding: str | None) -> bool:
    return bool(encoding) and str(encoding).lower().replace("-", "").replace("_", "") in (
        "utf8",
        "utf8sig",
        "utf16",
        "utf32",
    )


def make_streams_safe(*streams: TextIO) -> None:
    """Give each non-UTF stream (default: stdout and stderr) the fallback error handler."""
    try:
        codecs.lookup_error(ERRORS)
    except LookupError:
        codecs.register_error(ERRORS, _fallback)
    for stream in streams or (sys.stdout, sys.stderr):
        if _is_utf(getattr(stream, "encoding", None)):
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors=ERRORS)
