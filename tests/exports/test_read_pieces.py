"""A file read in pieces (bounded memory) reads exactly as the whole file: same rows, same
values, same errors with the same line numbers, same dropped-row counts."""

from __future__ import annotations

from pathlib import Path

import pytest

import tmallcli.exports.read as read_module
from tmallcli.config import load_config
from tmallcli.errors import InputError
from tmallcli.exports.inputs import Inputs
from tmallcli.exports.read import ReadOptions
from tmallcli.metrics.shipping import EVENT_COLUMNS, PackagePickups, PickupWords

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data"
FILES = {
    "orders": "ExportOrderList20261120.csv",  # GB18030 with ="…" wrappers: transcoded first
    "logistics": "logistics.csv",
    "reviews": "reviews.csv",
    "refunds": "refunds.csv",
    "chats": "chats.csv",
    "cs_ratings": "cs_ratings.csv",
    "complaints": "complaints.csv",
}
WORDS = PickupWords.from_config(load_config().pickup)


def load(files: dict[str, list[str]], kind: str, *, skip: bool = False, reduce=None):
    with Inputs(files, options=ReadOptions(skip_bad_rows=skip)) as inputs:
        loaded = inputs.load(kind, None if reduce is None else EVENT_COLUMNS, reduce)
        return loaded.frame, loaded.warnings


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read_module, "PIECE_FROM", 2048)
    monkeypatch.setattr(read_module, "PIECE_BYTES", 2048)


def whole_and_pieced(monkeypatch: pytest.MonkeyPatch, *args, **kwargs):
    whole = load(*args, **kwargs)
    monkeypatch.setattr(read_module, "PIECE_FROM", 2048)
    monkeypatch.setattr(read_module, "PIECE_BYTES", 2048)
    pieced = load(*args, **kwargs)
    monkeypatch.undo()
    return whole, pieced


@pytest.mark.parametrize("kind", list(FILES))
def test_every_sample_export_reads_the_same_in_pieces(
    monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    files = {kind: [str(SAMPLE / FILES[kind])]}
    (whole, warnings), (pieced, pieced_warnings) = whole_and_pieced(monkeypatch, files, kind)
    assert whole.height > 0
    assert pieced.equals(whole)
    assert pieced_warnings == warnings


def test_folded_tracking_events_are_the_same_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"logistics": [str(SAMPLE / FILES["logistics"])]}
    reduce = PackagePickups(WORDS)
    (whole, _), (pieced, _) = whole_and_pieced(monkeypatch, files, "logistics", reduce=reduce)
    key = ["tracking_no", "order_id"]
    assert whole.height > 1000
    assert pieced.sort(key, nulls_last=True).equals(whole.sort(key, nulls_last=True))


HEADER = "物流单号,订单编号,时间,物流状态\n"


def events_file(path: Path, rows: int, bad: dict[int, str]) -> Path:
    lines = [HEADER]
    for i in range(rows):
        when = bad.get(i, f"2026-11-{1 + i % 28:02d} 10:00:00")
        lines.append(f'SF{i:08d},{1000 + i},{when},"【杭州市】 已揽收, 第{i}件"\n')
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_a_bad_value_deep_in_a_piece_names_the_same_line(
    tmp_path: Path, small_pieces: None
) -> None:
    path = events_file(tmp_path / "l.csv", 400, {250: "2026-13-45 10:00:00"})
    with pytest.raises(InputError) as caught:
        load({"logistics": [str(path)]}, "logistics")
    assert ":252: column 时间 (event_at)" in str(caught.value)


def test_skipped_bad_rows_in_several_pieces_are_counted_once_each(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = events_file(tmp_path / "l.csv", 400, {5: "soon", 150: "2026/11/5 9:00", 390: "x"})
    files = {"logistics": [str(path)]}
    (whole, warnings), (pieced, pieced_warnings) = whole_and_pieced(
        monkeypatch, files, "logistics", skip=True
    )
    assert whole.height == 398  # the 2026/11/5 row is a time in another form, not a bad one
    assert pieced.equals(whole)
    assert pieced_warnings == warnings
    assert [w["rows_dropped"] for w in warnings] == [2]


def stray_quote_file(path: Path, quoted_line_breaks: bool) -> Path:
    lines = [HEADER]
    for i in range(300):
        text = f'"已揽收\n第{i}件"' if quoted_line_breaks else f"已揽收 第{i}件"
        text = '屏幕15.6"笔记本' if i == 3 else text
        lines.append(f"SF{i:08d},{1000 + i},2026-11-01 10:00:00,{text}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("quoted_line_breaks", [False, True])
def test_a_stray_quote_fails_the_same_in_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quoted_line_breaks: bool
) -> None:
    """An unquoted 15.6" opens a quote for Polars too (it counts quotes the same way): the
    file is refused, with the same message, whole or in pieces."""
    files = {"logistics": [str(stray_quote_file(tmp_path / "l.csv", quoted_line_breaks))]}
    with pytest.raises(InputError) as whole:
        load(files, "logistics")
    monkeypatch.setattr(read_module, "PIECE_FROM", 2048)
    monkeypatch.setattr(read_module, "PIECE_BYTES", 2048)
    with pytest.raises(InputError) as pieced:
        load(files, "logistics")
    assert str(pieced.value) == str(whole.value)


@pytest.mark.parametrize("damaged", [False, True])
def test_a_utf8_head_with_gb18030_later_is_transcoded_or_refused_in_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damaged: bool
) -> None:
    """A large file taken as UTF-8 from its head meets other bytes in a later piece: it is
    checked in full, then GB18030 is transcoded and read, damaged UTF-8 is refused — the
    same as without pieces."""
    from tmallcli.exports import sources

    monkeypatch.setattr(sources, "LAZY_VALIDATION_BYTES", 10)
    monkeypatch.setattr(sources, "HEAD_SIZE", 64)
    # An ASCII head (canonical header names), so the head reads as UTF-8.
    rows = "".join(f"SF{i:08d},{1000 + i},2026-11-01 10:00:00,in transit\n" for i in range(300))
    body = ("tracking_no,order_id,event_at,event\n" + rows).encode("ascii")
    tail = "SF99999999,9999,2026-11-02 10:00:00,小王 已揽收\n".encode("gb18030")
    path = tmp_path / "l.csv"
    path.write_bytes(body + (b"\xff\xfe,x\n" if damaged else tail))
    files = {"logistics": [str(path)]}
    if damaged:
        with pytest.raises(InputError) as whole:
            load(files, "logistics")
        monkeypatch.setattr(read_module, "PIECE_FROM", 2048)
        monkeypatch.setattr(read_module, "PIECE_BYTES", 2048)
        with pytest.raises(InputError) as pieced:
            load(files, "logistics")
        assert str(pieced.value) == str(whole.value)
        return
    (whole, _), (pieced, _) = whole_and_pieced(monkeypatch, files, "logistics")
    assert whole.height == 301 and whole["event"].to_list()[-1] == "小王 已揽收"
    assert pieced.equals(whole)
