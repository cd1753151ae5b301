"""The tracking export read folded (one row per package, :class:`PackagePickups`): its bad rows
are caught, named and skipped exactly as in a plain load, though they fold apart in the same
single query; and a large file that turns out not to be UTF-8 is transcoded or refused."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tmallcli.config import load_config
from tmallcli.errors import InputError
from tmallcli.exports.inputs import Inputs
from tmallcli.exports.reader import ReadOptions
from tmallcli.metrics.shipping import EVENT_COLUMNS, PackagePickups, PickupWords

WORDS = PickupWords.from_config(load_config().pickup)
HEADER = "物流单号,订单编号,时间,物流状态\n"


def load(files: dict[str, list[str]], *, skip: bool = False, folded: bool = True):
    with Inputs(files, options=ReadOptions(skip_bad_rows=skip)) as inputs:
        loaded = inputs.load(
            "logistics",
            EVENT_COLUMNS if folded else None,
            PackagePickups(WORDS) if folded else None,
        )
        return loaded.frame, loaded.warnings


def events_file(path: Path, rows: int, bad: dict[int, str]) -> Path:
    lines = [HEADER]
    for i in range(rows):
        when = bad.get(i, f"2026-11-{1 + i % 28:02d} 10:00:00")
        lines.append(f'SF{i:08d},{1000 + i},{when},"【杭州市】 已揽收, 第{i}件"\n')
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("folded", [True, False])
def test_a_bad_value_names_its_line_folded_or_not(tmp_path: Path, folded: bool) -> None:
    path = events_file(tmp_path / "l.csv", 400, {250: "2026-13-45 10:00:00"})
    with pytest.raises(InputError) as caught:
        load({"logistics": [str(path)]}, folded=folded)
    assert ":252: column 时间 (event_at)" in str(caught.value)
    assert "2026-13-45 10:00:00" in str(caught.value)


def test_skipped_bad_rows_are_counted_once_each_and_fold_into_nothing(tmp_path: Path) -> None:
    path = events_file(tmp_path / "l.csv", 400, {5: "soon", 150: "2026/11/5 9:00", 390: "x"})
    frame, warnings = load({"logistics": [str(path)]}, skip=True)
    assert frame.height == 398  # the 2026/11/5 row is a time in another form, not a bad one
    assert frame.columns == ["tracking_no", "order_id", "pickup_at", "event_at"]
    assert set(frame.get_column("tracking_no")).isdisjoint({"SF00000005", "SF00000390"})
    assert [(w["column"], w["rows_dropped"]) for w in warnings] == [("event_at", 2)]
    plain, plain_warnings = load({"logistics": [str(path)]}, skip=True, folded=False)
    assert plain.height == 398 and plain_warnings == warnings


def test_a_bad_row_of_a_package_leaves_its_good_rows_folded(tmp_path: Path) -> None:
    """A package with one bad event: skipped, the package keeps its other events' pickup."""
    path = tmp_path / "l.csv"
    path.write_text(
        HEADER
        + "T1,A,2026-11-01 20:00:00,已揽收\n"
        + "T1,A,yesterday,已揽收\n"
        + "T1,A,2026-11-01 18:00:00,已揽收\n",
        encoding="utf-8",
    )
    frame, warnings = load({"logistics": [str(path)]}, skip=True)
    assert frame.rows() == [("T1", "A", datetime(2026, 11, 1, 18), datetime(2026, 11, 1, 20))]
    assert warnings[0]["rows_dropped"] == 1
    with pytest.raises(InputError) as caught:
        load({"logistics": [str(path)]})
    assert ":3: column 时间 (event_at)" in str(caught.value)


def test_a_bad_row_with_neither_number_is_still_caught(tmp_path: Path) -> None:
    """The fold drops rows that name no package — but not a bad one: its key columns are
    empty because its ID was unreadable (Excel's 1.23E+14), not because it had none."""
    path = tmp_path / "l.csv"
    path.write_text(
        HEADER + "T1,A,2026-11-01 20:00:00,已揽收\n" + "1.23457E+14,,2026-11-01 20:00:00,已揽收\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load({"logistics": [str(path)]})
    assert ":3: column 物流单号 (tracking_no)" in str(caught.value)
    assert "scientific notation" in str(caught.value)


@pytest.mark.parametrize("damaged", [False, True])
def test_a_utf8_head_with_gb18030_later_is_transcoded_or_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damaged: bool
) -> None:
    """A large file taken as UTF-8 from its head meets other bytes later: it is checked in
    full, then GB18030 is transcoded and read, damaged UTF-8 is refused."""
    from tmallcli.exports import decoding

    monkeypatch.setattr(decoding, "LAZY_VALIDATION_BYTES", 10)
    monkeypatch.setattr(decoding, "HEAD_SIZE", 64)
    # An ASCII head (canonical header names), so the head reads as UTF-8.
    rows = "".join(f"SF{i:08d},{1000 + i},2026-11-01 10:00:00,in transit\n" for i in range(300))
    body = ("tracking_no,order_id,event_at,event\n" + rows).encode("ascii")
    tail = "SF99999999,9999,2026-11-02 10:00:00,小王 已揽收\n".encode("gb18030")
    path = tmp_path / "l.csv"
    path.write_bytes(body + (b"\xff\xfe,x\n" if damaged else tail))
    files = {"logistics": [str(path)]}
    if damaged:
        for folded in (False, True):
            with pytest.raises(InputError) as caught:
                load(files, folded=folded)
            assert str(caught.value).endswith(
                ":302: bytes that are not valid gb18030 (byte offset 14136)"
            )
        return
    plain, _ = load(files, folded=False)
    assert plain.height == 301 and plain["event"].to_list()[-1] == "小王 已揽收"
    folded, _ = load(files)
    assert folded.height == 301
    assert folded.filter(folded["tracking_no"] == "SF99999999")["pickup_at"].to_list() == [
        datetime(2026, 11, 2, 10)
    ]
