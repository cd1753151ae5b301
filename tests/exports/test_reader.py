"""Reading rules of SPEC §2, each with a small file that exercises it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from tmallcli.errors import InputError, UsageError
from tmallcli.exports import csv_scan
from tmallcli.exports.headers import detect_kind
from tmallcli.exports.inputs import Inputs
from tmallcli.exports.opening import open_source
from tmallcli.exports.reader import ReadOptions
from tmallcli.exports.structure import ends_in_quoted_field

ORDER_HEADER = (
    "订单编号,买家会员名,买家实际支付金额,买家应付邮费,订单状态,订单付款时间 ,物流单号 \n"
)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def load(kind: str, *paths: Path, skip: bool = False, encoding: str | None = None, columns=None):
    with Inputs(
        {kind: [str(p) for p in paths]}, options=ReadOptions(skip_bad_rows=skip, encoding=encoding)
    ) as inputs:
        loaded = inputs.load(kind, columns)
        return loaded.frame, loaded.warnings


def test_gb18030_with_excel_wrappers_and_header_spaces(tmp_path: Path) -> None:
    text = ORDER_HEADER + (
        '="100000000000000001",小王,¥12.50,0,"买家已付款，等待卖家发货",2026/11/5 18:37,="SF123"\n'
        '\'100000000000000002,\t阿May\t,"￥1,234.00",10元,交易成功,2026-11-05 18:37:00,YT1;YT2 ZT3\n'
    )
    path = write(tmp_path / "ExportOrderList.csv", text, "gb18030")
    frame, warnings = load("orders", path)
    rows = frame.sort("order_id").to_dicts()
    assert warnings == []
    assert rows[0]["order_id"] == "100000000000000001"
    assert rows[0]["buyer"] == "小王"
    assert rows[0]["paid_amount"] == 1250
    assert rows[0]["status"] == "买家已付款,等待卖家发货"  # full-width comma normalised
    assert rows[0]["paid_at"] == datetime(2026, 11, 5, 18, 37)
    assert rows[0]["tracking_no"] == "SF123"
    assert rows[1]["order_id"] == "100000000000000002"
    assert rows[1]["buyer"] == "阿May"
    assert rows[1]["paid_amount"] == 123400
    assert rows[1]["shipping_fee"] == 1000
    assert rows[1]["tracking_no"] == "YT1,YT2,ZT3"
    assert frame.schema["order_id"] == pl.String


@pytest.mark.parametrize("token", ["", "null", "'null", "NULL", "NaN", "-", "--", "无", "延迟统计"])
def test_null_tokens_are_missing(tmp_path: Path, token: str) -> None:
    path = write(tmp_path / "o.csv", ORDER_HEADER + f"1,b,10,{token},交易成功,2026-11-05,{token}\n")
    frame, _ = load("orders", path)
    assert frame["shipping_fee"].to_list() == [None]
    assert frame["tracking_no"].to_list() == [None]


def test_no_refund_text_in_money_column_is_missing(tmp_path: Path) -> None:
    path = write(tmp_path / "o.csv", ORDER_HEADER + "1,b,10,无退款申请,交易成功,2026-11-05,\n")
    frame, _ = load("orders", path)
    assert frame["shipping_fee"].to_list() == [None]


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("12.5", 1250),
        ("12.50", 1250),
        ("¥12.50", 1250),
        ('"￥1,234.00"', 123400),
        ("1234元", 123400),
        ("0.01", 1),
    ],
)
def test_money_forms(tmp_path: Path, text: str, fen: int) -> None:
    path = write(tmp_path / "o.csv", ORDER_HEADER + f"1,b,{text},,交易成功,2026-11-05,\n")
    frame, _ = load("orders", path)
    assert frame["paid_amount"].to_list() == [fen]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-05 18:37:00", datetime(2026, 11, 5, 18, 37)),
        ("2026-11-05 18:37", datetime(2026, 11, 5, 18, 37)),
        ("2026/11/5 18:37:00", datetime(2026, 11, 5, 18, 37)),
        ("2026/11/05 18:37", datetime(2026, 11, 5, 18, 37)),
        ("2026-11-05", datetime(2026, 11, 5)),
        ("2026/11/5", datetime(2026, 11, 5)),
    ],
)
def test_datetime_forms(tmp_path: Path, text: str, expected: datetime) -> None:
    path = write(tmp_path / "o.csv", ORDER_HEADER + f"1,b,1,,交易成功,{text},\n")
    frame, _ = load("orders", path)
    assert frame["paid_at"].to_list() == [expected]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("yes", True),
        ("false", False),
        ("1", True),
        ("0", False),
    ],
)
def test_booleans(tmp_path: Path, text: str, value: bool) -> None:
    path = write(
        tmp_path / "c.csv",
        f"投诉编号,订单编号,投诉时间,是否成立\nC1,1,2026-11-01 10:00,{text}\n",
    )
    frame, _ = load("complaints", path)
    assert frame["established"].to_list() == [value]
    assert frame["platform_intervened"].to_list() == [True]  # default when the column is absent


def test_scientific_notation_id_is_an_error_with_file_line_column_value(tmp_path: Path) -> None:
    path = write(
        tmp_path / "o.csv",
        ORDER_HEADER
        + "100000000000000001,a,1,,交易成功,2026-11-05,\n1.23457E+18,b,1,,交易成功,2026-11-05,\n",
    )
    with pytest.raises(InputError) as err:
        load("orders", path)
    message = err.value.message
    assert f"{path}:3" in message
    assert "订单编号 (order_id)" in message
    assert "1.23457E+18" in message
    assert "scientific notation" in message


def test_negative_money_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "o.csv", ORDER_HEADER + "1,a,-5.00,,交易成功,2026-11-05,\n")
    with pytest.raises(
        InputError,
        match=r"o\.csv:2: column 买家实际支付金额 \(paid_amount\): negative money \(value '-5.00'\)",
    ):
        load("orders", path)


def test_a_required_column_not_asked_for_is_not_read(tmp_path: Path) -> None:
    """SPEC §12: only the columns a command needs. A bad cell in a required column the
    command does not use stops nothing; its header is still required, a key column is
    still checked, and a row with a field too many is still refused."""
    path = write(tmp_path / "o.csv", ORDER_HEADER + "1,a,-5.00,,交易成功,2026-11-05,\n")
    frame, warnings = load("orders", path, columns=("order_id", "paid_at"))
    assert frame.columns == ["order_id", "paid_at"]
    assert frame.rows() == [("1", datetime(2026, 11, 5))]
    assert warnings == []
    with pytest.raises(InputError, match="negative money"):
        load("orders", path, columns=("order_id", "paid_amount"))
    keyless = write(tmp_path / "k.csv", ORDER_HEADER + ",a,-5.00,,交易成功,2026-11-05,\n")
    with pytest.raises(InputError, match=r"k\.csv:2: column 订单编号 \(order_id\): missing value"):
        load("orders", keyless, columns=("paid_at",))
    long = write(tmp_path / "l.csv", ORDER_HEADER + "1,a,5,,交易成功,2026-11-05,,extra\n")
    with pytest.raises(InputError, match="ragged"):
        load("orders", long, columns=("order_id", "paid_at"))
    # SPEC §2.1: of the orders' columns only 订单编号 and 订单付款时间 are indispensable.
    headless = write(tmp_path / "h.csv", "订单编号,买家会员名,订单状态,买家实际支付金额\n1,a,x,5\n")
    with pytest.raises(InputError, match="missing required column paid_at"):
        load("orders", headless, columns=("order_id", "paid_amount"))


def test_line_number_counts_quoted_line_breaks(tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.csv",
        "订单编号,买家会员名,评价时间,宝贝与描述相符,卖家的服务态度,物流服务的质量,评价内容\n"
        '1,a,2026-11-01,5,5,5,"很好\n第二行\n第三行"\n'
        "2,b,2026-11-01,9,5,5,x\n",
    )
    with pytest.raises(InputError) as err:
        load("reviews", path)
    assert err.value.line == 5
    assert err.value.value == "9"


def test_skip_bad_rows_drops_and_reports(tmp_path: Path) -> None:
    path = write(
        tmp_path / "o.csv",
        ORDER_HEADER
        + "1,a,1,,交易成功,2026-11-05,\n2,b,-1,,交易成功,2026-11-05,\n3,c,1,,交易成功,not-a-date,\n4,d,1,,交易成功,2026-11-05,\n",
    )
    frame, warnings = load("orders", path, skip=True)
    assert sorted(frame["order_id"].to_list()) == ["1", "4"]
    assert {(w["column"], w["rows_dropped"]) for w in warnings} == {
        ("paid_amount", 1),
        ("paid_at", 1),
    }


def test_missing_required_column_names_kind_file_and_alias(tmp_path: Path) -> None:
    path = write(
        tmp_path / "o.csv", "订单编号,买家会员名,订单状态,买家实际支付金额\n1,a,交易成功,5\n"
    )
    with pytest.raises(
        InputError, match=r"orders export .* missing required column paid_at \(订单付款时间"
    ):
        load("orders", path)


def test_ragged_row_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "o.csv",
        ORDER_HEADER + "1,a,1,,交易成功,2026-11-05,\n2,a,1,,交易成功,2026-11-05,,extra\n",
    )
    with pytest.raises(InputError) as err:
        load("orders", path)
    assert err.value.line == 3
    assert "ragged" in err.value.message


def test_several_files_are_concatenated_and_exact_duplicates_dropped(tmp_path: Path) -> None:
    a = write(
        tmp_path / "a.csv",
        ORDER_HEADER + "1,a,1,,交易成功,2026-11-05,\n2,b,2,,交易成功,2026-11-05,\n",
    )
    b = write(
        tmp_path / "b.csv",
        ORDER_HEADER + "2,b,2,,交易成功,2026-11-05,\n3,c,3,,交易成功,2026-11-05,\n",
    )
    frame, warnings = load("orders", tmp_path)
    assert sorted(frame["order_id"].to_list()) == ["1", "2", "3"]
    assert any(w["problem"] == "duplicate rows" and w["rows_dropped"] == 1 for w in warnings)
    del a, b


def test_equal_cs_ratings_of_two_buyers_are_two_ratings(tmp_path: Path) -> None:
    header = "评价时间,客服子账号,评分,标签,评价来源{}\n"
    row = "2026-11-05 10:00:00,店:小李,5,态度好,客服邀评{}\n"
    named = write(
        tmp_path / "a.csv", header.format(",买家") + row.format(",tb_a") + row.format(",tb_b")
    )
    frame, warnings = load("cs_ratings", named, columns=["rated_at", "account", "score"])
    assert frame.height == 2 and warnings == []
    anonymous = write(tmp_path / "b.csv", header.format("") + row.format("") * 2)
    frame, warnings = load("cs_ratings", anonymous, columns=["rated_at", "account", "score"])
    assert frame.height == 1 and [w["rows_dropped"] for w in warnings] == [1]


def test_newer_export_wins_for_the_same_order(tmp_path: Path) -> None:
    write(
        tmp_path / "ExportOrderList20261119.csv",
        ORDER_HEADER + "1,a,1,,买家已付款，等待卖家发货,2026-11-05,\n",
    )
    write(tmp_path / "ExportOrderList20261120.csv", ORDER_HEADER + "1,a,1,,交易成功,2026-11-05,\n")
    frame, _ = load("orders", tmp_path)
    assert frame["status"].to_list() == ["交易成功"]


def test_sub_order_export_folds_items_into_one_order(tmp_path: Path) -> None:
    path = write(
        tmp_path / "sub.csv",
        "主订单编号,子订单编号,买家会员名,买家实际支付金额,订单状态,订单付款时间,物流单号\n"
        "9,9-1,a,10.00,交易成功,2026-11-05 10:00,SF1\n"
        "9,9-2,a,10.00,交易成功,2026-11-05 10:00,SF2\n"
        "8,8-1,b,3.00,交易成功,2026-11-05 11:00,\n",
    )
    frame, _ = load("orders", path)
    rows = {r["order_id"]: r for r in frame.to_dicts()}
    assert rows["9"]["paid_amount"] == 2000  # two items with equal price are not duplicates
    assert rows["9"]["tracking_no"] == "SF1,SF2"
    assert rows["8"]["paid_amount"] == 300


def test_refund_type_derived_from_needs_return(tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.csv",
        "退款编号,订单编号,退款申请时间,退款金额,是否需要退货,退款原因,退款状态,客服介入状态,责任方\n"
        "R1,1,2026-11-01 10:00,5,是,质量问题,退款成功,不需要客服介入,\n"
        "R2,2,2026-11-01 10:00,5,否,多拍,退款成功,客服处理中,卖家\n",
    )
    frame, _ = load("refunds", path)
    rows = {r["refund_id"]: r for r in frame.to_dicts()}
    assert rows["R1"]["refund_type"] == "退货退款"
    assert rows["R2"]["refund_type"] == "仅退款"
    assert rows["R1"]["platform_intervened"] is False
    assert rows["R2"]["platform_intervened"] is True
    assert rows["R2"]["ruling"] == "卖家责任"


def test_header_only_file_gives_an_empty_frame(tmp_path: Path) -> None:
    path = write(tmp_path / "o.csv", ORDER_HEADER)
    frame, _ = load("orders", path)
    assert frame.height == 0
    assert frame.schema["paid_amount"] == pl.Int64


def test_missing_kind_is_a_usage_error(tmp_path: Path) -> None:
    with Inputs({}) as inputs, pytest.raises(UsageError, match="--reviews"):
        inputs.load("reviews")


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (["订单编号", "买家会员名", "买家实际支付金额", "订单状态", "订单付款时间"], "orders"),
        (["物流单号", "时间", "物流状态"], "logistics"),
        (
            [
                "订单编号",
                "买家会员名",
                "评价时间",
                "宝贝与描述相符",
                "卖家的服务态度",
                "物流服务的质量",
            ],
            "reviews",
        ),
        (
            [
                "退款编号",
                "订单编号",
                "退款的申请时间",
                "买家退款金额",
                "售后类型",
                "买家退款原因",
                "退款状态",
            ],
            "refunds",
        ),
        (["买家", "时间", "发送方"], "chats"),
        (["评价时间", "客服子账号", "评分"], "cs_ratings"),
        (["投诉编号", "订单编号", "投诉时间", "是否成立"], "complaints"),
        ([" \ufeff订单编号 ", "买家会员名", "买家实付金额", "订单状态", "付款时间"], "orders"),
    ],
)
def test_kind_detection_from_headers(header: list[str], kind: str) -> None:
    mapping = detect_kind(header)
    assert mapping is not None
    assert mapping.kind.name == kind


def test_full_width_parentheses_in_headers_match() -> None:
    from tmallcli.exports.headers import normalize_header

    assert normalize_header("宝贝ID（数字）") == normalize_header("宝贝ID(数字)")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("12.5.3", "not an amount of money"),
        ("1e5", "not an amount of money"),
        ("12.5a", "not an amount of money"),
        ("1.005", "money with more than 2 decimals (fen)"),
        ("-0.01", "negative money"),
    ],
)
def test_bad_money_forms(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path / "o.csv", ORDER_HEADER + f"1,b,{text},,交易成功,2026-11-05,\n")
    with pytest.raises(InputError, match=re.escape(problem)):
        load("orders", path)


@pytest.mark.parametrize("text", ["2026-02-30", "2026-11-05 25:00", "20261105", "5/11/2026"])
def test_impossible_dates_are_errors(tmp_path: Path, text: str) -> None:
    path = write(tmp_path / "o.csv", ORDER_HEADER + f"1,b,1,,交易成功,{text},\n")
    with pytest.raises(InputError, match="not a date/time"):
        load("orders", path)


def test_mixed_date_formats_in_one_column(tmp_path: Path) -> None:
    path = write(
        tmp_path / "o.csv",
        ORDER_HEADER
        + "1,b,1,,交易成功,2026/11/5 8:05,\n2,b,1,,交易成功,2026-11-05 08:05:00,\n3,b,1,,交易成功,2026-11-05,\n",
    )
    frame, _ = load("orders", path)
    assert frame.sort("order_id")["paid_at"].to_list() == [
        datetime(2026, 11, 5, 8, 5),
        datetime(2026, 11, 5, 8, 5),
        datetime(2026, 11, 5),
    ]


def test_large_file_utf8_head_gb18030_body_is_transcoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large file is taken as UTF-8 from its head; when Polars then meets GB18030 bytes the
    whole file is checked and transcoded (strict UTF-8 first, else GB18030)."""
    from tmallcli.exports import decoding

    monkeypatch.setattr(decoding, "LAZY_VALIDATION_BYTES", 10)
    monkeypatch.setattr(decoding, "HEAD_SIZE", 64)
    header = "order_id,buyer,rated_at,dsr_description,dsr_service,dsr_logistics\n"
    ascii_rows = "".join(f"{i},b{i},2026-11-01 10:00,5,5,5\n" for i in range(5))
    path = tmp_path / "reviews.csv"
    path.write_bytes((header + ascii_rows + "99,小王,2026-11-02 10:00,4,4,4\n").encode("gb18030"))
    frame, _ = load("reviews", path)
    assert frame.filter(pl.col("order_id") == "99")["buyer"].to_list() == ["小王"]


def test_large_damaged_utf8_file_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tmallcli.exports import decoding

    monkeypatch.setattr(decoding, "LAZY_VALIDATION_BYTES", 10)
    monkeypatch.setattr(decoding, "HEAD_SIZE", 64)
    header = "order_id,buyer,rated_at,dsr_description,dsr_service,dsr_logistics\n"
    good = "".join(f"{i},小王小李小张小赵{i},2026-11-01 10:00,5,5,5\n" for i in range(5))
    path = tmp_path / "reviews.csv"
    path.write_bytes((header + good).encode("utf-8") + b"99,\xff\xfe,2026-11-02 10:00,4,4,4\n")
    with pytest.raises(InputError, match="not valid UTF-8"):
        load("reviews", path)


# --------------------------------------------------------------------------- ragged and blank rows

ORDER_ROW = "{id},a,10.00,,交易成功,2026-11-05 10:00,SF{id}\n"


def test_blank_lines_and_rows_of_empty_cells_are_no_records(tmp_path: Path) -> None:
    # Excel leaves ",,,,,," rows; some exports end with an empty line or two.
    body = ORDER_ROW.format(id=1) + "\n,,,,,,\n" + ORDER_ROW.format(id=2) + "\r\n,,,,,,\n\n"
    frame, warnings = load("orders", write(tmp_path / "o.csv", ORDER_HEADER + body))
    assert sorted(frame["order_id"]) == ["1", "2"]
    assert warnings == []


def test_a_truncated_last_row_is_an_error_even_when_skipping_bad_rows(tmp_path: Path) -> None:
    # A download cut off between two fields: Polars would read the row with empty cells,
    # and an order "not picked up yet" would be paid compensation.
    path = write(tmp_path / "o.csv", ORDER_HEADER + ORDER_ROW.format(id=1) + "2,a,10.00,,交易成功")
    for skip in (False, True):
        with pytest.raises(InputError) as err:
            load("orders", path, skip=skip)
        assert err.value.line == 3
        assert "ragged row: 5 fields where the header has 7" in err.value.message


def test_a_last_row_closing_a_quoted_comment_is_not_taken_for_a_record(tmp_path: Path) -> None:
    header = "订单编号,买家会员名,评价时间,宝贝与描述相符,卖家的服务态度,物流服务的质量,评价内容\n"
    body = '1,a,2026-11-05 10:00,5,5,5,"很好\n下次再来"\n'  # the last line alone has 1 field
    frame, _ = load("reviews", write(tmp_path / "r.csv", header + body))
    assert frame["comment"].to_list() == ["很好\n下次再来"]


def test_a_short_row_that_loses_a_key_is_named_ragged(tmp_path: Path) -> None:
    header = "物流单号,订单编号,时间,物流状态\n"
    body = "SF1,1,2026-11-05 10:00,已揽收\nSF2,2\nSF3,3,2026-11-05 11:00,已揽收\n"
    with pytest.raises(InputError) as err:
        load("logistics", write(tmp_path / "l.csv", header + body))
    assert err.value.line == 3
    assert err.value.message.endswith("ragged row: 2 fields where the header has 4")


def test_a_trailing_comma_in_the_header_is_no_column_to_fill(tmp_path: Path) -> None:
    header = ORDER_HEADER.rstrip("\n") + ",\n"  # a trailing empty name; rows without it
    frame, _ = load("orders", write(tmp_path / "o.csv", header + ORDER_ROW.format(id=1)))
    assert frame["order_id"].to_list() == ["1"]


@pytest.mark.parametrize(
    "broken",
    [
        "2,a,10.00,,交易成功,2026-11-05 10:00,SF2,多余\n",  # one field too many
        '2,a,10.00,,交易成功,2026-11-05 10:00,"SF2',  # a quote left open at the end
        "2,a,10.00,,交易成功,2026-11-05 10:00,SF2,\n",  # one empty field too many
        # A quote opened and never closed: it swallows the records below it.
        '2,a,10.00,,交易成功,2026-11-05 10:00,"SF2\n' + ORDER_ROW.format(id=3) * 3,
    ],
    ids=["long row", "open quote", "empty field too many", "open quote swallowing rows"],
)
def test_a_damaged_row_is_found_in_a_column_the_command_does_not_read(
    tmp_path: Path, broken: str
) -> None:
    # Polars checks a record's fields only when every column is read: a command that reads
    # two columns must not get a shifted row or a cut file past it.
    path = write(tmp_path / "o.csv", ORDER_HEADER + ORDER_ROW.format(id=1) + broken)
    with pytest.raises(InputError) as err:
        load("orders", path, columns=("order_id", "paid_at"))
    assert err.value.line == 3


def test_columns_not_read_are_split_but_a_quote_at_the_end_reads_every_column(
    tmp_path: Path,
) -> None:
    """Quoted fields spanning lines in a column the command does not read, in the middle and
    at the end of the file, are whole records (the end one sends the file down the path that
    reads every column as text); the rows and their line numbers stay right."""
    header = "订单编号,买家会员名,买家实际支付金额,订单状态,订单付款时间,买家留言\n"
    body = (
        '1,a,10.00,交易成功,2026-11-05 10:00,"第一行\n第二行, 还有逗号"\n'
        "2,b,-1.00,交易成功,2026-11-05 10:00,\n"
        '3,c,12.00,交易成功,2026-11-05 10:00,"留言\n跨两行"\n'
    )
    path = write(tmp_path / "o.csv", header + body)
    source = open_source(path, encoding=None, sheet=None, workdir=tmp_path)
    assert ends_in_quoted_field(source)
    with pytest.raises(InputError) as err:
        load("orders", path, columns=("order_id", "paid_amount"))
    assert err.value.line == 4  # the comment of record 1 holds a line break
    frame, warnings = load("orders", path, skip=True, columns=("order_id", "paid_amount"))
    assert frame["order_id"].to_list() == ["1", "3"]
    assert [w["rows_dropped"] for w in warnings] == [1]
    shorter = write(tmp_path / "p.csv", header + body.rsplit("3,", 1)[0])
    assert not ends_in_quoted_field(
        open_source(shorter, encoding=None, sheet=None, workdir=tmp_path)
    )
    frame, _ = load("orders", shorter, skip=True, columns=("order_id", "paid_amount"))
    assert frame["order_id"].to_list() == ["1"]


def test_a_kind_read_twice_reports_its_dropped_rows_once(tmp_path: Path) -> None:
    body = ORDER_ROW.format(id=1) + "2,a,-1.00,,交易成功,2026-11-05 10:00,SF2\n"
    body += ORDER_ROW.format(id=1)
    path = write(tmp_path / "o.csv", ORDER_HEADER + body)
    options = ReadOptions(skip_bad_rows=True)
    with Inputs({"orders": [str(path)]}, options=options) as inputs:
        inputs.load("orders", ("order_id", "paid_amount", "paid_at"))
        inputs.load("orders", ("order_id", "paid_at", "tracking_no"))
        warnings = sorted((w["problem"], w["rows_dropped"]) for w in inputs.warnings)
    assert warnings == [("duplicate rows", 1), ("negative money", 1)]


def test_a_released_load_still_reports_what_it_dropped(tmp_path: Path) -> None:
    body = ORDER_ROW.format(id=1) + "2,a,-1.00,,交易成功,2026-11-05 10:00,SF2\n"
    path = write(tmp_path / "o.csv", ORDER_HEADER + body)
    columns = ("order_id", "paid_amount", "paid_at")
    with Inputs({"orders": [str(path)]}, options=ReadOptions(skip_bad_rows=True)) as inputs:
        inputs.load("orders", columns)
        inputs.release("orders", columns)
        assert not inputs.loaded("orders", columns)
        assert [(w["problem"], w["rows_dropped"]) for w in inputs.warnings] == [
            ("negative money", 1)
        ]
        # Read again, it is one problem, not two; and the rows are back.
        assert inputs.load("orders", columns).frame.height == 1
        assert [w["rows_dropped"] for w in inputs.warnings] == [1]


def test_a_bare_carriage_return_in_the_last_row_is_no_crash(tmp_path: Path) -> None:
    # csv.reader refuses a string with "\r" inside an unquoted field (found by the fuzz test).
    path = tmp_path / "c.csv"
    path.write_bytes(
        "买家,时间,发送方\na,2026-11-05 10:00:00,a\nb,2026-11-05 10:00:00,b\rx\n".encode()
    )
    frame, _ = load("chats", path)
    assert frame.height == 2


def test_later_copies_of_a_row_are_dropped_and_the_order_kept(tmp_path: Path) -> None:
    """Exact copies anywhere (within a file, across files) go, the first one stays, and the
    rows keep their file order; rows that differ in one cell are both kept."""
    header = "物流单号,订单编号,时间,物流状态\n"
    row = "T{},A,2026-11-0{} 10:00:00,{}\n"
    write(
        tmp_path / "a.csv",
        header
        + row.format(3, 1, "运输中")
        + row.format(1, 1, "已揽收")
        + row.format(3, 1, "运输中")
        + row.format(2, 2, "运输中"),
    )
    write(
        tmp_path / "b.csv",
        header
        + row.format(1, 1, "已揽收")
        + row.format(1, 1, "已签收")
        + row.format(3, 1, "运输中"),
    )
    frame, warnings = load("logistics", tmp_path)
    assert frame.select("tracking_no", "event").rows() == [
        ("T3", "运输中"),
        ("T1", "已揽收"),
        ("T2", "运输中"),
        ("T1", "已签收"),
    ]
    assert [(w["problem"], w["rows_dropped"]) for w in warnings] == [("duplicate rows", 3)]


EVENTS_HEADER = "物流单号,订单编号,时间,物流状态\n"


def test_the_other_exports_are_opened_in_the_background(tmp_path: Path, monkeypatch) -> None:
    from tmallcli.exports import gb18030

    monkeypatch.setattr(gb18030, "CHUNK_SIZE", 256)  # many chunks
    orders = write(tmp_path / "o.csv", ORDER_HEADER + ORDER_ROW.format(id=1), "gb18030")
    body = "".join(f"SF{i},{i},2026-11-05 11:00:00,【杭州市】快递员 已揽收\n" for i in range(500))
    events = write(tmp_path / "l.csv", EVENTS_HEADER + body, "gb18030")
    with Inputs({"orders": [str(orders)], "logistics": [str(events)]}) as inputs:
        inputs.load("orders", ("order_id", "paid_at"))
        assert list(inputs.reader._opening) == [events.resolve()]  # started with the orders
        frame = inputs.load("logistics").frame
        assert not inputs.reader._opening
        assert inputs.reader.source(events).encoding == "gb18030"
    assert frame.height == 500
    assert frame.get_column("event").unique().to_list() == ["【杭州市】快递员 已揽收"]


def test_a_bad_export_opened_in_the_background_fails_when_it_is_read(tmp_path: Path) -> None:
    orders = write(tmp_path / "o.csv", ORDER_HEADER + ORDER_ROW.format(id=1))
    data = (EVENTS_HEADER + "SF1,1,2026-11-05 11:00:00,已揽收\n").encode("gb18030") + b"SF2,\xff\n"
    events = tmp_path / "l.csv"
    events.write_bytes(data)
    missing = tmp_path / "none.csv"
    with Inputs(
        {"orders": [str(orders)], "logistics": [str(events)], "refunds": [str(missing)]}
    ) as inputs:
        assert inputs.load("orders").frame.height == 1  # the others' problems wait their turn
        with pytest.raises(InputError) as caught:
            inputs.load("logistics")
        assert (caught.value.file, caught.value.line) == (str(events), 3)
        assert "not valid gb18030" in caught.value.message
        with pytest.raises(InputError, match=r"none\.csv"):
            inputs.load("refunds")


def test_closing_stops_a_background_transcoding(tmp_path: Path, monkeypatch) -> None:
    import time

    from tmallcli.exports import gb18030

    monkeypatch.setattr(gb18030, "CHUNK_SIZE", 64)
    body = "".join(f"SF{i},{i},2026-11-05 11:00:00,已揽收\n" for i in range(200_000))
    events = write(tmp_path / "l.csv", EVENTS_HEADER + body, "gb18030")
    inputs = Inputs({"logistics": [str(events)]})
    workdir = inputs._workdir
    inputs.reader.prefetch([events])
    deadline = time.perf_counter() + 5
    while not (workdir.exists() and any(workdir.iterdir())) and time.perf_counter() < deadline:
        time.sleep(0.01)  # until the copy is being written
    started = time.perf_counter()
    inputs.close()
    assert time.perf_counter() - started < 5  # the whole file in 64-byte chunks takes longer
    assert not workdir.exists()
    with pytest.raises(gb18030.Stopped):
        inputs.reader._opening[events.resolve()].result()


def _passes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records each read of a file: True the fast way, False the tolerant way."""
    passes: list[bool] = []
    parsed = csv_scan.parsed

    def spy(*args: Any, fast: bool = False, **kwargs: Any) -> Any:
        passes.append(fast)
        return parsed(*args, fast=fast, **kwargs)

    monkeypatch.setattr(csv_scan, "parsed", spy)
    return passes


def test_a_file_in_the_refunds_export_forms_is_read_fast(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 2026/5/29 6:22 and ¥258.06 in some rows, as the refunds export writes them: the forms
    # are taken from the file's first records, and the file needs no tolerant pass.
    rows = "".join(
        f"{i},b,{'¥' if i % 4 == 0 else ''}{i}.5{i % 10},,交易成功,2026/5/{1 + i % 28} {i % 24}:05,\n"
        for i in range(1, 41)
    )
    path = write(tmp_path / "o.csv", ORDER_HEADER + rows)
    passes = _passes(monkeypatch)
    frame, _ = load("orders", path)
    assert passes == [True]
    frame = frame.sort(pl.col("order_id").cast(pl.Int64))
    assert frame["paid_amount"].head(4).to_list() == [151, 252, 353, 454]
    assert frame["paid_at"][3] == datetime(2026, 5, 5, 4, 5)


def test_cells_past_the_head_in_another_form_are_read_the_tolerant_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = "".join(
        f"{i},b,¥1.00,,交易成功,2026/5/1 6:05,\n" for i in range(1, csv_scan.HEAD_BYTES // 30)
    )
    path = write(
        tmp_path / "o.csv",
        ORDER_HEADER + head + "999999,b,1,234.00元,,交易成功,2026-05-01 06:05:07,\n",
    )
    path.write_text(path.read_text().replace("1,234.00元", '"1,234.00元"'))
    passes = _passes(monkeypatch)
    frame, _ = load("orders", path)
    assert passes == [True, False]
    last = frame.filter(pl.col("order_id") == "999999").row(0, named=True)
    assert (last["paid_amount"], last["paid_at"]) == (123400, datetime(2026, 5, 1, 6, 5, 7))
    assert frame.height == csv_scan.HEAD_BYTES // 30


def test_a_head_that_ends_inside_a_quoted_cell_leaves_the_usual_forms(tmp_path: Path) -> None:
    text = ORDER_HEADER + '1,b,¥1.00,,"交易\n' + "成功" * csv_scan.HEAD_BYTES + '",2026/5/1 6:05,\n'
    path = write(tmp_path / "o.csv", text)
    frame, _ = load("orders", path)
    assert frame.row(0, named=True)["paid_at"] == datetime(2026, 5, 1, 6, 5)


def test_categories_are_read_as_categorical_with_the_same_values(tmp_path: Path) -> None:
    """``categories``: the columns come as Categorical from the read (duplicates still
    dropped), every other column and every value as in a plain load; a request with
    categories is a load of its own, released by its own key."""
    body = ORDER_ROW.format(id=1) + ORDER_ROW.format(id=2) + ORDER_ROW.format(id=1)
    body += "3,b,5.00,,交易关闭,2026-11-05 10:00,SF3\n"
    path = write(tmp_path / "o.csv", ORDER_HEADER + body)
    columns = ("order_id", "status", "paid_amount", "tracking_no")
    with Inputs({"orders": [str(path)]}) as inputs:
        plain = inputs.load("orders", columns).frame
        held = inputs.load("orders", columns, categories=("status", "tracking_no")).frame
        assert inputs.loaded("orders", columns, categories=("tracking_no", "status"))
        inputs.release("orders", columns, categories=("status", "tracking_no"))
        assert inputs.loaded("orders", columns)
        assert not inputs.loaded("orders", columns, categories=("status", "tracking_no"))
    assert held.schema["status"] == pl.Categorical
    assert held.schema["tracking_no"] == pl.Categorical
    assert held.schema["order_id"] == pl.String
    assert held.height == 3  # the repeated row of order 1 dropped, as in the plain load
    assert held.with_columns(pl.col("status", "tracking_no").cast(pl.String)).equals(plain)
    assert plain.get_column("status").to_list() == ["交易成功", "交易成功", "交易关闭"]


def test_categories_fold_sub_orders_and_files_as_the_strings_do(tmp_path: Path) -> None:
    """Read as Categorical, a sub-order export folds into one row per order and the file
    given last wins, exactly as with the strings (the values are the same text)."""
    header = "主订单编号,子订单编号,买家会员名,买家实际支付金额,订单状态,订单付款时间,物流单号\n"
    older = write(
        tmp_path / "a.csv",
        header + "9,9-1,a,10.00,等待卖家发货,2026-11-05 10:00,\n"
        "8,8-1,b,3.00,交易成功,2026-11-05 11:00,SF8\n",
    )
    newer = write(
        tmp_path / "b.csv",
        header + "9,9-1,a,10.00,,2026-11-05 10:00,SF1\n"
        "9,9-2,a,10.00,卖家已发货,2026-11-05 10:00,SF2\n",
    )
    columns = ("order_id", "status", "paid_amount", "tracking_no")
    with Inputs({"orders": [str(older), str(newer)]}) as inputs:
        plain = inputs.load("orders", columns).frame.sort("order_id")
        held = inputs.load("orders", columns, categories=("status",)).frame.sort("order_id")
    assert held.schema["status"] == pl.Categorical
    assert held.with_columns(pl.col("status").cast(pl.String)).equals(plain)
    assert plain.select(columns).rows() == [
        ("8", "交易成功", 300, "SF8"),
        ("9", "卖家已发货", 2000, "SF1,SF2"),
    ]


# --------------------------------------------------------------------------- GB18030 as it is


def test_ascii_columns_of_a_gb18030_export_are_read_without_transcoding(tmp_path: Path) -> None:
    """A load of ID, time and money columns reads a GB18030 file as it is: its ASCII cells are
    the same bytes in UTF-8. The rows equal those of the same file in UTF-8, and no copy is
    written."""
    text = ORDER_HEADER + "".join(ORDER_ROW.format(id=i) for i in range(1, 40))
    text += '40,乙,1234.00,,"买家已付款，等待卖家发货",2026-11-06 08:00,SF40\n'
    gb = write(tmp_path / "gb.csv", text, "gb18030")
    utf8 = write(tmp_path / "u.csv", text)
    columns = ("order_id", "paid_amount", "paid_at")
    with Inputs({"orders": [str(gb)]}) as inputs:
        frame = inputs.load("orders", columns).frame
        assert inputs.reader.source(gb, lossy=True).lossy
        assert not any(inputs._workdir.iterdir())  # nothing transcoded
    expected, _ = load("orders", utf8, columns=columns)
    assert frame.equals(expected)
    assert frame.filter(pl.col("order_id") == "40").row(0) == (
        "40",
        123400,
        datetime(2026, 11, 6, 8),
    )
    # A text column needs the real characters: the file is transcoded first.
    with Inputs({"orders": [str(gb)]}) as inputs:
        frame = inputs.load("orders", ("order_id", "buyer", "status")).frame
        assert not inputs.reader.source(gb).lossy
    assert frame.filter(pl.col("order_id") == "40").row(0) == (
        "40",
        "乙",
        "买家已付款,等待卖家发货",
    )


def test_a_cell_that_is_not_ascii_sends_a_gb18030_export_to_transcoding(tmp_path: Path) -> None:
    """楼 is C2 A5 in GB18030, which is ¥ in UTF-8: read as it is, 楼12.50 would be ¥12.50.
    Every cell read must prove ASCII, else the file is transcoded and read as any other: here
    the money is an error naming its true text."""
    rows = "".join(f"{i},a,楼12.50,,交易成功,2026-11-05 10:00,SF{i}\n" for i in range(1, 30))
    gb = write(tmp_path / "gb.csv", ORDER_HEADER + rows, "gb18030")
    with pytest.raises(InputError) as err:
        load("orders", gb, columns=("order_id", "paid_amount"))
    assert (err.value.line, err.value.value) == (2, "楼12.50")
    # A problem of any kind is named from the transcoded file, its line as in an editor.
    bad = ORDER_HEADER + ORDER_ROW.format(id=1) + '"x\ny",a,1,,交易成功,2026-13-05 10:00,\n'
    gb = write(tmp_path / "bad.csv", bad, "gb18030")
    with pytest.raises(InputError) as err:
        load("orders", gb, columns=("order_id", "paid_at"))
    assert (err.value.line, err.value.value) == (3, "2026-13-05 10:00")


def test_a_folder_is_recognised_without_transcoding(tmp_path: Path) -> None:
    """A folder's exports are told by their headers: a GB18030 one is not transcoded for that,
    nor for a read of its ASCII columns (the dispute rate's orders)."""
    text = ORDER_HEADER + "".join(ORDER_ROW.format(id=i) for i in range(1, 6))
    orders = write(tmp_path / "ExportOrderList.csv", text, "gb18030")
    with Inputs({}, directory=tmp_path) as inputs:
        assert inputs.reader.source(orders, lossy=True).lossy
        assert inputs.load("orders", ("order_id", "paid_at")).frame.height == 5
        assert not any(inputs._workdir.iterdir())
        assert inputs.load("orders", ("order_id", "status")).frame.height == 5
        assert not inputs.reader.source(orders).lossy


def test_a_file_polars_panics_on_is_a_clean_error(tmp_path: Path) -> None:
    """Found by the fuzz test: Polars 2.1's reader panics on this row (a quote inside an
    unquoted cell, one left open at the end) when the columns not read are typed away. The
    reader reads it as text instead, where the problem is an error naming the line."""
    header = "物流服务,评价时间,宝贝标题,服务态度,宝贝ID,评价内容,描述相符,订单号,买家昵称,解释内容, 备注\n"
    row = '"NaN",\x8bg\xa7\U0010dbdb\x1e\x16)\xd7\x04#,延迟统计,\x02\x1f\\\xb5\x9d\x10\x08,"",'
    row += '<table><tr><td>,"\U000ca31e",x"y,"\xd8\x84","'
    path = write(tmp_path / "r.csv", header + row)
    columns = ("order_id", "buyer", "rated_at", "dsr_description", "dsr_service")
    with pytest.raises(InputError, match=r"r\.csv:2: broken CSV"):
        load("reviews", path, columns=columns)


def test_the_reader_reports_each_file_read_to_the_progress_it_is_given(tmp_path: Path) -> None:
    """Progress is the caller's (the CLI passes its bar on stderr); by default nothing."""
    shown: list[tuple[str, object]] = []

    class Step:
        def advance(self, label: str) -> None:
            shown.append(("advance", label))

    @contextmanager
    def progress(description: str, total: int) -> Iterator[Step]:
        shown.append((description, total))
        yield Step()
        shown.append(("done", description))

    older = write(tmp_path / "a.csv", ORDER_HEADER + "1,b,1.00,0,交易成功,2026-11-05 18:37,\n")
    newer = write(tmp_path / "b.csv", ORDER_HEADER + "2,b,1.00,0,交易成功,2026-11-05 18:37,\n")
    files = {"orders": [str(older), str(newer)]}
    with Inputs(files, options=ReadOptions(progress=progress)) as inputs:
        assert inputs.load("orders").frame.height == 2
    assert shown == [
        ("orders", 2),
        ("advance", f"orders: {older}"),
        ("advance", f"orders: {newer}"),
        ("done", "orders"),
    ]
