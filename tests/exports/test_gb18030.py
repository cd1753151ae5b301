"""GB18030 decodes to the same text through iconv and through Python's codec (2022 mapping)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tmallcli.exports import gb18030
from tmallcli.exports.opening import open_source

needs_iconv = pytest.mark.skipif(
    gb18030._iconv() is None, reason="no C library iconv with the GB18030-2022 mapping here"
)

# The 18 four-byte codes of the characters GB18030-2022 moved to two-byte codes: glibc
# refuses them, Python's codec maps them to those characters.
REFUSED = [bytes.fromhex(h) for h in ("82359037", "82359134", "84318236", "84318335")]


def python_way(data: bytes) -> bytes:
    return gb18030.to_2022(data.decode("gb18030")).encode("utf-8")


def iconv_way(data: bytes) -> bytes | None:
    out = io.BytesIO()
    return out.getvalue() if gb18030.transcode(io.BytesIO(data), out) else None


def every_code() -> bytes:
    """Every two-byte code and every four-byte code of the BMP, and every 7th of the
    supplementary planes', that Python's codec decodes (minus the ones iconv refuses)."""
    trails = [*range(0x40, 0x7F), *range(0x80, 0xFF)]
    codes = [bytes((a, b)) for a in range(0x81, 0xFF) for b in trails]
    four = [
        bytes((a, b, c, d))
        for a in [*range(0x81, 0x85), *range(0x90, 0xE4)]
        for b in range(0x30, 0x3A)
        for c in range(0x81, 0xFF)
        for d in range(0x30, 0x3A)
    ]
    codes += [code for i, code in enumerate(four) if code[0] < 0x85 or i % 7 == 0]
    refused = {bytes.fromhex(f"8235{x}") for x in ("9037", "9038", "9039")}
    refused |= {bytes.fromhex(f"8235913{i}") for i in range(5)}
    refused |= {bytes.fromhex(f"84318{x}") for x in ("236", "237", "238", "239")}
    refused |= {bytes.fromhex(f"843183{x}") for x in ("30", "31", "32", "33", "34", "35")}
    valid = []
    for code in codes:
        try:
            code.decode("gb18030")
        except UnicodeDecodeError:
            continue
        if code not in refused:
            valid.append(code)
    # A line end every 1000 codes, so the file is cut into many chunks.
    return b"\n".join(b"".join(valid[i : i + 1000]) for i in range(0, len(valid), 1000))


@needs_iconv
def test_iconv_and_python_give_the_same_text_for_every_code(monkeypatch) -> None:
    monkeypatch.setattr(gb18030, "CHUNK_SIZE", 1 << 16)
    data = every_code()
    assert len(data) > 400_000
    assert iconv_way(data) == python_way(data)


@pytest.mark.parametrize(
    ("code", "char"),
    [
        ("a6d9", "\ufe10"),  # ︐ vertical comma: Private Use Area in GB18030-2000
        ("fe59", "\u9fb4"),  # 龴
        ("fe51", "\U00020087"),  # 𠂇
        ("a8bc", "\u1e3f"),  # ḿ: swapped with 8135F437 in 2022
        ("8135f437", "\ue7c7"),
    ],
)
def test_codes_whose_mapping_changed_read_the_2022_way(code: str, char: str) -> None:
    data = b"a," + bytes.fromhex(code) + b"\n"
    assert python_way(data) == f"a,{char}\n".encode()
    if gb18030._iconv() is not None:
        assert iconv_way(data) == f"a,{char}\n".encode()


def test_the_2022_table_is_what_iconv_does() -> None:
    """A wrong entry of TO_2022 would switch iconv off (its probe fails) and the other tests
    would skip: compare the table with the C library's own conversion instead."""
    libc = gb18030._library()
    try:
        converted = bytes(gb18030._convert(libc, gb18030._PROBE)) if libc else None
    except gb18030._Refused:
        converted = None
    old_way = gb18030._PROBE.decode("gb18030").encode("utf-8")
    if converted is None or converted == old_way:
        pytest.skip("this C library has no GB18030-2022 iconv")
    assert converted == gb18030.to_2022(gb18030._PROBE.decode("gb18030")).encode("utf-8")
    assert gb18030._iconv() is not None


@needs_iconv
@pytest.mark.parametrize("code", REFUSED, ids=lambda c: c.hex())
def test_a_code_iconv_refuses_is_read_the_python_way(
    tmp_path: Path, code: bytes, monkeypatch
) -> None:
    monkeypatch.setattr(gb18030, "CHUNK_SIZE", 64)
    data = "订单编号,备注\n".encode("gb18030") + b"".join(
        f"{i},小王\n".encode("gb18030") for i in range(40)
    )
    data += b"41," + code + b"\n"
    assert iconv_way(data) is None
    path = tmp_path / "orders.csv"
    path.write_bytes(data)

    source = open_source(path, encoding=None, sheet=None, workdir=tmp_path / "work")

    assert source.encoding == "gb18030"
    assert source.csv_path.read_bytes() == python_way(data)
    assert source.csv_path.read_bytes().endswith(f"41,{code.decode('gb18030')}\n".encode())


@needs_iconv
@pytest.mark.parametrize("chunk_size", [1, 3, 16, 1 << 20])
def test_chunks_are_written_in_order(monkeypatch, chunk_size: int) -> None:
    monkeypatch.setattr(gb18030, "CHUNK_SIZE", chunk_size)
    long_line = "很长的一行" * 50  # longer than the small chunks: carried over whole
    text = "".join(f"{i},小王{i % 7},{long_line if i % 97 == 0 else ''}\r\n" for i in range(3000))
    text += "末行没有换行"
    assert iconv_way(text.encode("gb18030")) == text.encode("utf-8")
