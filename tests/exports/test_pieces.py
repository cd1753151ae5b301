"""A large CSV file cut into pieces of whole records (bounded memory for Polars)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmallcli.exports.pieces import NoCut, header_end, pieces, record_end


def records(text: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.decode("utf-8"), newline="")))


def test_a_cut_falls_after_a_record_never_inside_a_quoted_field() -> None:
    data = b'1,"a\nb",x\n2,"c\n' + b'd",y\n'
    assert record_end(data) == len(data)
    assert record_end(data[:-5]) == len(b'1,"a\nb",x\n')  # the open quote: back one record


def test_the_header_may_hold_a_quoted_line_break() -> None:
    data = b'a,"b\nc"\n1,2\n'
    assert header_end(data) == len(b'a,"b\nc"\n')


cell = st.text(alphabet=st.sampled_from(list('ab,"\n\r 元')), max_size=6)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(cell, min_size=3, max_size=3), max_size=40), st.integers(8, 64))
def test_pieces_hold_every_record_once_in_order(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], size: int
) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows([["x", "y", "z"], *rows])
    path = tmp_path_factory.mktemp("pieces") / "f.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    try:
        parts = list(pieces(path, size))
    except NoCut:  # a record longer than the blocks allow: the reader reads the file whole
        return
    header = [["x", "y", "z"]]
    read = []
    for part in parts:
        got = records(part)
        assert got[:1] == header
        read += got[1:]
    assert read == rows


def test_an_open_quote_is_no_cut(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"a,b\n" + b'1,"open\n' + b"2,x\n" * 200)
    with pytest.raises(NoCut):
        list(pieces(path, 16))
