"""Output writers: atomic files, and never replacing a device or pipe."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from tmallcli.render.writers import write_atomic


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
