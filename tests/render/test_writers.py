"""Output writers: atomic files, never replacing a device or pipe; the JSON text."""

from __future__ import annotations

import errno
import json
import os
import stat
import threading
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from tmallcli.errors import OutputError
from tmallcli.render import writers
from tmallcli.render.writers import to_json_bytes, write_atomic


def test_atomic_write_replaces_a_regular_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_pipe_is_written_in_place_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, b"report")
    reader.join(timeout=10)
    assert received == [b"report"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_failing_write_leaves_no_temp_file_and_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")

    def disk_full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writers.os, "replace", disk_full)
    with pytest.raises(OutputError, match="cannot write the output"):
        write_atomic(target, b"new")
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    assert target.read_text(encoding="utf-8") == "old"


def test_an_unwritable_output_is_refused_before_any_input_is_read(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tmallcli.cli import app

    not_a_folder = tmp_path / "orders.csv"
    not_a_folder.write_text("not read\n", encoding="utf-8")
    target = not_a_folder / "payouts.csv"
    args = ["compensate", "late-orders", "--orders", str(tmp_path / "missing.csv")]
    result = CliRunner().invoke(app, [*args, "-o", str(target)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"tmall: error: {target}: cannot write the output (no writable folder {not_a_folder})"
    ]
    assert list(tmp_path.iterdir()) == [not_a_folder]


class Shade(Enum):
    BAD = "差评"


@dataclass
class Line:
    order_id: str
    paid_at: datetime
    shade: Shade
    rate: Fraction


@dataclass
class Payload:
    lines: list[Line]

    def to_json(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "day": date(2026, 11, 20),
            "by_count": {3: "三", 10: "十"},
            "pair": (1, None),
            "share": 0.5,
        }


def test_json_text_writes_times_dates_enums_fractions_and_dataclasses() -> None:
    line = Line("230118", datetime(2026, 11, 20, 9, 30, 5, 123), Shade.BAD, Fraction(1, 8))
    text = to_json_bytes(Payload([line]), [{"message": "dropped 1 row"}]).decode()  # type: ignore[arg-type]
    assert text.endswith("}\n") and '\n  "lines": [\n    {\n      "order_id": "230118",' in text
    assert json.loads(text) == {
        "lines": [
            {"order_id": "230118", "paid_at": "2026-11-20 09:30:05", "shade": "差评", "rate": 0.125}
        ],
        "day": "2026-11-20",
        "by_count": {"3": "三", "10": "十"},
        "pair": [1, None],
        "share": 0.5,
        "input_warnings": [{"message": "dropped 1 row"}],
    }
    assert "差评" in text  # UTF-8, not \u escapes


def test_json_on_stdout_is_utf8_bytes_after_any_pending_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    raw = io.BytesIO()
    text = io.TextIOWrapper(raw, encoding="gb18030")
    text.write("先写的")
    monkeypatch.setattr("sys.stdout", text)
    writers.write_stdout('{"buyer": "小明"}\n'.encode())
    assert raw.getvalue() == "先写的".encode("gb18030") + '{"buyer": "小明"}\n'.encode()

    plain = io.StringIO()  # a stream with no bytes layer (e.g. a test's capture) gets text
    monkeypatch.setattr("sys.stdout", plain)
    writers.write_stdout('{"buyer": "小明"}\n'.encode())
    assert plain.getvalue() == '{"buyer": "小明"}\n'
