"""Output writers: atomic files, and never replacing a device or pipe."""

from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path

import pytest

from tmallcli.errors import OutputError
from tmallcli.render import writers
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
