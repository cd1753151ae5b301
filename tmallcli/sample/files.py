"""Writing a shop: each export file chunk by chunk in its encoding (UTF-8, GB18030 or GBK,
with a BOM or CRLF where asked), and ``manifest.json``."""

from __future__ import annotations

import codecs
import io
import json
from pathlib import Path
from typing import Any

import polars as pl

from tmallcli.errors import UsageError
from tmallcli.i18n import tr


def check_encoding(name: str) -> str:
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        canonical = ""
    if canonical not in ("utf-8", "gb18030", "gbk"):
        raise UsageError(tr("--encoding must be utf-8 or gb18030 (got {name!r})", name=name))
    return canonical


class CsvSink:
    """One export file, written chunk by chunk. Non-UTF-8 output is transcoded from Polars'
    UTF-8 in slices through incremental codecs, never as one string."""

    SLICE = 1 << 20

    def __init__(self, path: Path, encoding: str, *, bom: bool, crlf: bool) -> None:
        self.path = path
        self.rows = 0
        self._header = True
        self._terminator = "\r\n" if crlf else "\n"
        self._fh = path.open("wb")
        if bom:
            self._fh.write(codecs.BOM_UTF8)
        self._encoder = None if encoding == "utf-8" else codecs.getincrementalencoder(encoding)()
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def write(self, frame: pl.DataFrame) -> None:
        options: dict[str, Any] = {
            "include_header": self._header,
            "line_terminator": self._terminator,
        }
        if self._encoder is None:
            frame.write_csv(self._fh, **options)
        else:
            buffer = io.BytesIO()
            frame.write_csv(buffer, **options)
            data = buffer.getbuffer()
            for offset in range(0, len(data), self.SLICE):
                text = self._decoder.decode(data[offset : offset + self.SLICE])
                self._fh.write(self._encoder.encode(text))
            data.release()
        self._header = False
        self.rows += frame.height

    def close(self) -> None:
        if self._encoder is not None:
            tail = self._decoder.decode(b"", final=True)
            self._fh.write(self._encoder.encode(tail, final=True))
        self._fh.close()


def write_manifest(out_dir: Path, manifest: dict[str, Any]) -> None:
    """``manifest.json``: what was generated, with which options, and how many rows each
    file holds (the bench reuses a shop while it matches)."""
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
