"""Opening any export as a UTF-8 CSV: encodings, Excel workbooks, HTML "xls" (exports/opening.py and
the format modules it hands files to)."""

from __future__ import annotations

import csv
import os
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmallcli.errors import InputError
from tmallcli.exports import decoding, gb18030, workbook
from tmallcli.exports.opening import open_source
from tmallcli.exports.source import Source

HEADER = "订单编号,买家会员名,实付金额"
ROWS = ["4012345678901234567,小王,12.50", "4012345678901234568,李雷😀,1,234.00"]


def rows_of(source: Source) -> list[list[str]]:
    with source.csv_path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path / "work"


def open_(path: Path, workdir: Path, encoding: str | None = None, sheet: str | None = None):
    return open_source(path, encoding=encoding, sheet=sheet, workdir=workdir)


# --- a minimal .xlsx writer (python-calamine only reads) -------------------------

DATETIME_STYLE = 1  # numFmtId 22: m/d/yy h:mm
DATE_STYLE = 2  # numFmtId 14: m/d/yyyy


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):  # (serial number, style index)
        return f'<c r="{ref}" s="{value[1]}"><v>{value[0]}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    text = escape(str(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def write_xlsx(
    path: Path,
    sheets: dict[str, list[list[object]]],
    *,
    hidden: tuple[str, ...] = (),
    first_row: int = 1,
) -> Path:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    ooxml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    count = len(sheets)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            f'ContentType="{ooxml}.worksheet+xml"/>'
            for i in range(1, count + 1)
        )
        archive.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{pkg}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ooxml}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{ooxml}.styles+xml"/>'
            f"{overrides}</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{pkg}/relationships"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        entries = "".join(
            f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"'
            + (' state="hidden"' if name in hidden else "")
            + "/>"
            for i, name in enumerate(sheets, start=1)
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>{entries}</sheets></workbook>',
        )
        links = "".join(
            f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, count + 1)
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{pkg}/relationships">{links}'
            f'<Relationship Id="rId{count + 1}" Type="{rel}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/styles.xml",
            f'<styleSheet xmlns="{main}"><fonts count="1"><font/></fonts>'
            '<fills count="1"><fill/></fills><borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0"/>'
            '<xf numFmtId="22" applyNumberFormat="1"/><xf numFmtId="14" applyNumberFormat="1"/>'
            "</cellXfs></styleSheet>",
        )
        for i, rows in enumerate(sheets.values(), start=1):
            body = "".join(
                f'<row r="{r}">'
                + "".join(_cell(f"{_column(c)}{r}", v) for c, v in enumerate(row))
                + "</row>"
                for r, row in enumerate(rows, start=first_row)
            )
            archive.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'<worksheet xmlns="{main}"><sheetData>{body}</sheetData></worksheet>',
            )
    return path


# 2026-11-05 18:37:00 and 2026-11-05 as Excel serial numbers
SERIAL_DATETIME = 46331.7756944444
SERIAL_DATE = 46331

ORDERS_SHEET: list[list[object]] = [
    ["订单编号", "物流单号", "实付金额", "运费", "付款时间", "日期", "是否退货", "备注"],
    [
        4.012345678901235e18,  # an 19-digit order ID Excel already rounded
        773012345678.0,  # a 12-digit tracking number stored as a number: exact
        12.3,
        0.30000000000000004,
        (SERIAL_DATETIME, DATETIME_STYLE),
        (SERIAL_DATE, DATE_STYLE),
        True,
        None,
    ],
    ["'4012345678901234568", "SF123", 123.0, -5.0, "2026/11/5 8:05", "", False, "含,逗号"],
]


# --- text files: UTF-8, BOM, GB18030 --------------------------------------------------


def test_utf8_is_used_in_place(tmp_path: Path, workdir: Path) -> None:
    path = write(tmp_path / "orders.csv", "\n".join([HEADER, *ROWS, ""]).encode())
    source = open_(path, workdir)
    assert source == Source(display=str(path), path=path, csv_path=path, encoding="utf-8")
    assert not workdir.exists() or not any(workdir.iterdir())


def test_utf8_bom_is_used_in_place_and_polars_drops_the_bom(tmp_path: Path, workdir: Path):
    path = write(tmp_path / "orders.csv", b"\xef\xbb\xbf" + f"{HEADER}\n{ROWS[0]}\n".encode())
    source = open_(path, workdir)
    assert (source.csv_path, source.encoding) == (path, "utf-8-sig")
    frame = pl.read_csv(source.csv_path, infer_schema=False)
    assert frame.columns == ["订单编号", "买家会员名", "实付金额"]


def test_display_is_what_the_user_typed(tmp_path: Path, workdir: Path) -> None:
    path = write(tmp_path / "orders.csv", b"a,b\n1,2\n")
    source = open_source(path, encoding=None, sheet=None, workdir=workdir, display="o.csv")
    assert source.display == "o.csv"


@pytest.fixture(params=["iconv", "python"])
def gb18030_path(request, monkeypatch) -> str:
    """Run the test with GB18030 converted by the C library's iconv, and by Python's codec
    (as on a machine without a usable iconv)."""
    if request.param == "iconv" and gb18030._iconv() is None:
        pytest.skip("no C library iconv with the GB18030-2022 mapping here")
    if request.param == "python":
        monkeypatch.setattr(gb18030, "_iconv", lambda: None)
    return request.param


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 5, 7, 4096])
def test_gb18030_is_detected_and_transcoded_across_chunk_boundaries(
    tmp_path: Path, workdir: Path, monkeypatch, chunk_size: int, gb18030_path: str
) -> None:
    # é and 😀 are 4-byte sequences in GB18030, 小王 2-byte: every split point is hit.
    text = "订单编号,买家会员名,备注\r\n1,小王,café 😀\r\n2,张三,“引号”\r\n"
    original = text.encode("gb18030")
    path = write(tmp_path / "ExportOrderList202611.csv", original)
    monkeypatch.setattr(decoding, "CHUNK_SIZE", chunk_size)
    monkeypatch.setattr(gb18030, "CHUNK_SIZE", chunk_size)

    source = open_(path, workdir)

    assert source.encoding == "gb18030"
    assert source.csv_path.parent == workdir
    assert source.csv_path.suffix == ".csv"
    assert source.csv_path.read_bytes() == text.encode("utf-8")
    assert path.read_bytes() == original  # input never modified
    frame = pl.read_csv(source.csv_path, infer_schema=False)
    assert frame["买家会员名"].to_list() == ["小王", "张三"]
    assert frame["备注"].to_list() == ["café 😀", "“引号”"]


def test_mostly_ascii_gb18030_is_still_detected(tmp_path: Path, workdir: Path) -> None:
    text = "order_id,buyer\n" + "".join(f"{i},buyer{i}\n" for i in range(5000)) + "9,小王\n"
    path = write(tmp_path / "orders.csv", text.encode("gb18030"))
    source = open_(path, workdir)
    assert source.encoding == "gb18030"
    assert source.csv_path.read_text(encoding="utf-8") == text


def test_forced_utf8_on_gb18030_names_the_line(tmp_path: Path, workdir: Path) -> None:
    data = b"order_id,buyer\n1,wang\n" + "2,小王\n".encode("gb18030")
    path = write(tmp_path / "orders.csv", data)
    with pytest.raises(InputError) as caught:
        open_(path, workdir, encoding="utf-8")
    error = caught.value
    assert (error.file, error.line) == (str(path), 3)
    assert "not valid UTF-8" in error.message
    assert "--encoding gb18030" in (error.hint or "")


def test_forced_utf8_line_number_counts_across_chunks(
    tmp_path: Path, workdir: Path, monkeypatch
) -> None:
    lines = [f"{i},小王" for i in range(200)]
    data = ("\n".join(lines[:150]) + "\n").encode() + "150,小王\n".encode("gbk")
    path = write(tmp_path / "orders.csv", data)
    monkeypatch.setattr(decoding, "CHUNK_SIZE", 64)
    with pytest.raises(InputError) as caught:
        open_(path, workdir, encoding="UTF8")
    assert caught.value.line == 151


def test_forced_gbk_is_used(tmp_path: Path, workdir: Path) -> None:
    path = write(tmp_path / "orders.csv", f"{HEADER}\n1,小王,2\n".encode("gbk"))
    source = open_(path, workdir, encoding="GBK")
    assert source.encoding == "gbk"
    assert rows_of(source)[1] == ["1", "小王", "2"]


def test_forced_utf8_on_utf8_bom(tmp_path: Path, workdir: Path) -> None:
    path = write(tmp_path / "orders.csv", b"\xef\xbb\xbfa,b\n1,2\n")
    source = open_(path, workdir, encoding="utf-8")
    assert (source.csv_path, source.encoding) == (path, "utf-8-sig")


def test_unknown_encoding(tmp_path: Path, workdir: Path) -> None:
    path = write(tmp_path / "orders.csv", b"a,b\n")
    for name in ("klingon", "rot13"):
        with pytest.raises(InputError, match=f"unknown encoding '{name}'"):
            open_(path, workdir, encoding=name)


def test_bytes_invalid_even_in_gb18030(tmp_path: Path, workdir: Path, gb18030_path: str) -> None:
    data = f"{HEADER}\n1,小王,2\n".encode("gb18030") + b"2,\xff\xfe,3\n"
    path = write(tmp_path / "orders.csv", data)
    with pytest.raises(InputError) as caught:
        open_(path, workdir)
    assert caught.value.line == 3
    assert "not valid gb18030" in caught.value.message
    assert not workdir.exists() or not any(workdir.iterdir())  # partial output removed


def test_damaged_utf8_is_an_error_not_mojibake(tmp_path: Path, workdir: Path) -> None:
    # A UTF-8 file with one stray GBK line: reading it all as GB18030 would garble
    # every Chinese header, so it is reported where it breaks.
    data = f"{HEADER}\n{ROWS[0]}\n".encode() + "3,张三,1\n".encode("gbk")
    path = write(tmp_path / "orders.csv", data)
    with pytest.raises(InputError) as caught:
        open_(path, workdir)
    assert caught.value.line == 3
    assert "not valid UTF-8" in caught.value.message


def test_truncated_utf8_file(tmp_path: Path, workdir: Path) -> None:
    data = f"{HEADER}\n1,小王".encode()[:-1]  # cut inside 王
    path = write(tmp_path / "orders.csv", data)
    with pytest.raises(InputError, match="truncated") as caught:
        open_(path, workdir)
    assert caught.value.line == 2


@pytest.mark.parametrize(
    "data",
    [b"a,b\n1,\x00\x01\x02\n", b"PK\x03\x04\x14\x00\x00\x00rest of a zip"],
    ids=["nul-bytes", "zip-renamed-csv"],
)
def test_binary_data(tmp_path: Path, workdir: Path, data: bytes) -> None:
    path = write(tmp_path / "orders.csv", data)
    with pytest.raises(InputError, match=r"not a text export \(binary data\)"):
        open_(path, workdir)


def test_xlsx_renamed_csv_hints_at_the_rename(tmp_path: Path, workdir: Path) -> None:
    path = write_xlsx(tmp_path / "orders.csv", {"Sheet1": [["a"]]})
    with pytest.raises(InputError) as caught:
        open_(path, workdir)
    assert "rename it to .xlsx" in (caught.value.hint or "")


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"  \r\n\n", b"\xef\xbb\xbf\r\n"], ids=repr)
def test_empty_file(tmp_path: Path, workdir: Path, data: bytes) -> None:
    path = write(tmp_path / "orders.csv", data)
    with pytest.raises(InputError) as caught:
        open_(path, workdir)
    assert caught.value.message == f"{path}: empty file (no header row)"


def test_header_only_file_is_fine(tmp_path: Path, workdir: Path) -> None:
    path = write(tmp_path / "orders.csv", f"{HEADER}\n".encode())
    assert open_(path, workdir).csv_path == path


def test_a_folder_or_missing_file_is_an_input_error(tmp_path: Path, workdir: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        open_(tmp_path, workdir)
    with pytest.raises(InputError, match="no such file"):
        open_(tmp_path / "gone.csv", workdir)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_permission_denied(tmp_path: Path, workdir: Path) -> None:
    path = write(tmp_path / "orders.csv", b"a\n")
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="permission denied"):
            open_(path, workdir)
    finally:
        path.chmod(0o644)


# --- tab-separated text -----------------------------------------------------------


def test_tab_separated_csv_becomes_comma_csv(tmp_path: Path, workdir: Path) -> None:
    text = '订单编号\t买家会员名\t备注\n1\t小王\t含,逗号\n2\t张三\t"引 号"\n'
    path = write(tmp_path / "orders.csv", text.encode())
    source = open_(path, workdir)
    assert source.csv_path != path and source.encoding == "utf-8"
    assert rows_of(source) == [
        ["订单编号", "买家会员名", "备注"],
        ["1", "小王", "含,逗号"],
        ["2", "张三", "引 号"],
    ]


def test_excel_unicode_text_export(tmp_path: Path, workdir: Path) -> None:
    # Excel "Unicode text (*.txt)": UTF-16 LE with a BOM, tab-separated, CRLF.
    text = "订单编号\t买家会员名\r\n1\t小王\r\n"
    path = write(tmp_path / "orders.txt", codecs_bom_utf16(text))
    source = open_(path, workdir)
    assert source.encoding == "utf-16"
    assert rows_of(source) == [["订单编号", "买家会员名"], ["1", "小王"]]


def codecs_bom_utf16(text: str) -> bytes:
    return b"\xff\xfe" + text.encode("utf-16-le")


def test_gb18030_tab_separated(tmp_path: Path, workdir: Path, monkeypatch) -> None:
    monkeypatch.setattr(decoding, "CHUNK_SIZE", 3)
    text = "订单编号\t买家\r\n1\t小王\r\n2\t\t\r\n"
    path = write(tmp_path / "orders.txt", text.encode("gb18030"))
    source = open_(path, workdir)
    assert source.encoding == "gb18030"
    assert rows_of(source) == [["订单编号", "买家"], ["1", "小王"], ["2", "", ""]]


def test_one_column_with_a_protective_tab_is_not_tab_separated(
    tmp_path: Path, workdir: Path
) -> None:
    path = write(tmp_path / "orders.csv", "物流单号\t\n\t773012345678\n".encode())
    assert open_(path, workdir).csv_path == path


# --- .xlsx --------------------------------------------------------------------------


def test_xlsx_first_sheet_as_the_seller_sees_it(tmp_path: Path, workdir: Path) -> None:
    path = write_xlsx(tmp_path / "orders.xlsx", {"订单": ORDERS_SHEET, "说明": [["x"]]})
    source = open_(path, workdir)
    assert source.encoding == "xlsx"
    assert source.csv_path.parent == workdir
    assert rows_of(source) == [
        ["订单编号", "物流单号", "实付金额", "运费", "付款时间", "日期", "是否退货", "备注"],
        ["4.01235E+18", "773012345678", "12.3", "0.3", "2026-11-05 18:37:00", "2026-11-05",
         "true", ""],
        ["'4012345678901234568", "SF123", "123", "-5", "2026/11/5 8:05", "", "false",
         "含,逗号"],
    ]  # fmt: skip
    frame = pl.read_csv(source.csv_path, infer_schema=False)
    assert frame["订单编号"].to_list() == ["4.01235E+18", "'4012345678901234568"]


def test_xlsx_named_sheet(tmp_path: Path, workdir: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {"订单": ORDERS_SHEET, "退款": [["退款编号"], [7.0]]})
    assert rows_of(open_(path, workdir, sheet="退款")) == [["退款编号"], ["7"]]
    assert rows_of(open_(path, workdir, sheet=" 退款 ")) == [["退款编号"], ["7"]]


def test_xlsx_unknown_sheet_lists_the_sheets(tmp_path: Path, workdir: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {"订单": ORDERS_SHEET, "Sheet2": [["a"]]})
    with pytest.raises(InputError) as caught:
        open_(path, workdir, sheet="退款")
    assert "no sheet named '退款' (sheets: '订单', 'Sheet2')" in caught.value.message


def test_xlsx_skips_a_hidden_first_sheet(tmp_path: Path, workdir: Path) -> None:
    path = write_xlsx(
        tmp_path / "book.xlsx", {"lookup": [["code"]], "订单": [["订单编号"]]}, hidden=("lookup",)
    )
    assert rows_of(open_(path, workdir)) == [["订单编号"]]


def test_xlsx_empty_sheet(tmp_path: Path, workdir: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {"Sheet1": []})
    with pytest.raises(InputError, match="empty sheet 'Sheet1'"):
        open_(path, workdir)


def test_xlsx_trailing_empty_rows_dropped_inner_kept(tmp_path: Path, workdir: Path) -> None:
    sheet: list[list[object]] = [["a", "b"], ["1", "2"], [None, ""], ["3", "4"], [""], [None]]
    source = open_(write_xlsx(tmp_path / "book.xlsx", {"S": sheet}), workdir)
    assert rows_of(source) == [["a", "b"], ["1", "2"], ["", ""], ["3", "4"]]


def test_xlsx_data_below_row_one_sets_line_offset(tmp_path: Path, workdir: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {"S": [["订单编号"], ["1"]]}, first_row=3)
    source = open_(path, workdir)
    assert rows_of(source)[0] == ["订单编号"]
    assert source.line_offset == 2


def test_xlsx_saved_with_an_xls_name_is_read(tmp_path: Path, workdir: Path) -> None:
    path = write_xlsx(tmp_path / "orders.xls", {"订单": [["订单编号"], [5.0]]})
    source = open_(path, workdir)
    assert source.encoding == "xlsx"
    assert rows_of(source) == [["订单编号"], ["5"]]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("orders.xlsx", b"PK\x03\x04" + b"not really a zip" * 20),
        ("orders.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
    ],
)
def test_damaged_workbook(tmp_path: Path, workdir: Path, name: str, data: bytes) -> None:
    path = write(tmp_path / name, data)
    with pytest.raises(InputError, match="cannot read the Excel workbook"):
        open_(path, workdir)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (123.0, "123"),
        (-0.0, "0"),
        (12.5, "12.5"),
        (0.1 + 0.2, "0.3"),
        (999999999999999.0, "999999999999999"),  # 15 digits: exact in Excel
        (1234567890123456.0, "1.23457E+15"),  # 16 digits: Excel already dropped one
        (4.012345678901235e18, "4.01235E+18"),
        (7, "7"),
        (True, "true"),
        (False, "false"),
        ("", ""),
        (None, ""),
    ],
)
def test_excel_cell_text(value: object, text: str) -> None:
    assert workbook.excel_text(value) == text


def test_excel_cell_text_dates_and_times() -> None:
    import datetime as dt

    assert workbook.excel_text(dt.datetime(2026, 11, 5, 18, 37, 0)) == "2026-11-05 18:37:00"
    assert workbook.excel_text(dt.datetime(2026, 11, 5, 18, 36, 59, 999_600)) == (
        "2026-11-05 18:37:00"
    )
    assert workbook.excel_text(dt.date(2026, 11, 5)) == "2026-11-05"
    assert workbook.excel_text(dt.time(8, 5)) == "08:05:00"
    assert workbook.excel_text(dt.timedelta(hours=26, seconds=5)) == "26:00:05"


# --- "xls" files that are HTML, XML or text -----------------------------------------

HTML_XLS = """<html xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<style>td {{ mso-number-format:"\\@"; }}</style></head>
<body>
<table border=1>
  <thead><tr><th>订单编号</th><th> 买家会员名 </th><th>物流单号&nbsp;</th><th>备注</th></tr></thead>
  <tbody>
  <tr><td>4012345678901234567</td><td><b>小王</b></td><td>SF&amp;1</td><td>含,逗号<br>第二行</td></tr>
  <tr><td>4012345678901234568<td>张
     三<td>
  </tr>
  <tr><td></td><td></td></tr>
  </tbody>
</table>
<table><tr><td>second table</td></tr></table>
</body></html>
"""


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_html_xls(tmp_path: Path, workdir: Path, charset: str) -> None:
    data = HTML_XLS.format(charset=charset).encode("gb18030" if charset == "gbk" else "utf-8")
    path = write(tmp_path / "ExportOrderList.xls", data)
    source = open_(path, workdir)
    assert source.encoding == "html-xls"
    assert rows_of(source) == [
        ["订单编号", "买家会员名", "物流单号", "备注"],
        ["4012345678901234567", "小王", "SF&1", "含,逗号 第二行"],
        ["4012345678901234568", "张 三", "", ""],
    ]


def test_html_xls_without_table_rows(tmp_path: Path, workdir: Path) -> None:
    path = write(tmp_path / "orders.xls", b"<html><body><table></table></body></html>")
    with pytest.raises(InputError, match="no table rows"):
        open_(path, workdir)


def test_xml_spreadsheet_xls(tmp_path: Path, workdir: Path) -> None:
    ns = 'xmlns="urn:schemas-microsoft-com:office:spreadsheet" ' + (
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"'
    )
    xml = f"""<?xml version="1.0" encoding="gb2312"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook {ns}>
 <Worksheet ss:Name="说明"><Table><Row><Cell><Data ss:Type="String">x</Data></Cell></Row>
 </Table></Worksheet>
 <Worksheet ss:Name="订单"><Table>
  <Row><Cell><Data ss:Type="String">订单编号</Data></Cell><Cell><Data ss:Type="String">金额</Data>
  </Cell><Cell><Data ss:Type="String">时间</Data></Cell></Row>
  <Row><Cell><Data ss:Type="Number">4.0123456789012301E+18</Data></Cell>
   <Cell ss:Index="3"><Data ss:Type="DateTime">2026-11-05T18:37:00.000</Data></Cell></Row>
  <Row ss:Index="4"><Cell><Data ss:Type="String">小王</Data></Cell>
   <Cell><Data ss:Type="Number">12.5</Data></Cell></Row>
 </Table></Worksheet>
</Workbook>
"""
    path = write(tmp_path / "orders.xls", xml.encode("gb18030"))
    source = open_(path, workdir, sheet="订单")
    assert source.encoding == "xml-xls"
    assert rows_of(source) == [
        ["订单编号", "金额", "时间"],
        ["4.01235E+18", "", "2026-11-05 18:37:00"],
        ["", "", ""],
        ["小王", "12.5"],
    ]
    assert rows_of(open_(path, workdir)) == [["x"]]
    with pytest.raises(InputError, match="no sheet named '退款'"):
        open_(path, workdir, sheet="退款")


def test_xls_that_is_comma_text_is_used_in_place(tmp_path: Path, workdir: Path) -> None:
    path = write(tmp_path / "orders.xls", f"{HEADER}\n{ROWS[0]}\n".encode())
    assert open_(path, workdir).csv_path == path


def test_xls_that_is_tab_separated_gb18030(tmp_path: Path, workdir: Path) -> None:
    path = write(tmp_path / "orders.xls", "订单编号\t买家\n1\t小王\n".encode("gb18030"))
    source = open_(path, workdir)
    assert source.encoding == "gb18030"
    assert rows_of(source) == [["订单编号", "买家"], ["1", "小王"]]


def test_sheet_is_ignored_for_text_files(tmp_path: Path, workdir: Path) -> None:
    path = write(tmp_path / "orders.csv", b"a,b\n")
    assert open_(path, workdir, sheet="Sheet1").csv_path == path


def test_converted_files_do_not_collide(tmp_path: Path, workdir: Path) -> None:
    (tmp_path / "a").mkdir()
    data = "订单编号\n小王\n".encode("gb18030")
    one = write(tmp_path / "a" / "orders.csv", data)
    two = write(tmp_path / "orders.csv", data)
    first, second = open_(one, workdir), open_(two, workdir)
    assert first.csv_path != second.csv_path
    assert (
        first.csv_path.read_bytes() == second.csv_path.read_bytes() == "订单编号\n小王\n".encode()
    )


def test_os_errors_become_input_errors(tmp_path: Path, workdir: Path, monkeypatch) -> None:
    import errno

    path = write(tmp_path / "orders.csv", b"a\n")

    def denied(self: Path, *args: object, **kwargs: object):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(InputError) as caught:
        open_(path, workdir)
    assert caught.value.message == f"{path}: permission denied"


def test_utf16_bad_surrogate_names_the_line(tmp_path: Path, workdir: Path) -> None:
    data = b"\xff\xfe" + "a\tb\r\n1\t2\r\n".encode("utf-16-le") + b"\x00\xdc\x41\x00"
    path = write(tmp_path / "orders.txt", data)
    with pytest.raises(InputError) as caught:
        open_(path, workdir)
    assert caught.value.line == 3
    assert "not valid utf-16" in caught.value.message


# Characters a GB18030 export holds: ASCII, GBK hanzi, 4-byte ones (é, emoji), CRLF.
_GB_TEXT = st.text(
    alphabet=st.sampled_from(list('ab,1.\t "\r\n') + list("订单小王张三，：“”é😀𠀀€")),
    max_size=60,
)


@given(text=_GB_TEXT, chunk_size=st.integers(min_value=1, max_value=9))
@settings(max_examples=150, deadline=None)
def test_transcoding_round_trips_any_text(text: str, chunk_size: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        raw = ("订单编号,备注\n" + text).encode("gb18030")
        path = write(base / "orders.csv", raw)
        original = decoding.CHUNK_SIZE, gb18030.CHUNK_SIZE
        decoding.CHUNK_SIZE = gb18030.CHUNK_SIZE = chunk_size
        try:
            source = open_(path, base / "work", encoding="gb18030")
        finally:
            decoding.CHUNK_SIZE, gb18030.CHUNK_SIZE = original
        assert source.csv_path.read_bytes() == raw.decode("gb18030").encode("utf-8")


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
@pytest.mark.parametrize("pad", [b"", b" ", b"  ", b"   "], ids=lambda p: f"{len(p)}")
def test_forced_utf16_or_32_on_a_utf8_file_is_an_input_error(
    tmp_path: Path, workdir: Path, codec: str, pad: bytes
) -> None:
    # Python's UTF-16 decoder raises a bare UnicodeError (no position) on an even-length
    # stream without a BOM: it was a traceback.
    data = (HEADER + "\n" + ROWS[0] + "\n").encode("utf-8") + pad
    path = write(tmp_path / "orders.csv", data)
    with pytest.raises(InputError) as caught:
        open_(path, workdir, encoding=codec)
    assert caught.value.line == 1
    if codec == "utf-16" and len(data) % 2 == 0:
        assert "does not start with BOM" in caught.value.message
        assert caught.value.hint is not None and "--encoding utf-16-le" in caught.value.hint
