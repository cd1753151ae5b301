"""Write the broken-export corpus: ``python tests/data/broken/make_corpus.py``.

Each kind of export gets one small valid file (``valid/<kind>.csv``, the companion every
command reads for the kinds it is not testing) and the same file broken in one way each
(``<kind>/<case>.csv``). Files whose damage is made of bytes (binary garbage, GB18030,
truncation) are easier to read here than in a diff, so the whole corpus is generated from
this script and committed; ``tests/test_broken_corpus.py`` checks that the committed files
are exactly what this script writes. What each case must do is in ``cases.yaml``.

Times have zero seconds and the reports run on ``--as-of 2026-11-20``. Value cases add
*extra* rows (new order numbers) to the valid file, so with ``--skip-bad-rows`` a command
must print exactly what it prints for the valid file.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

Row = list[str]


class Kind:
    def __init__(self, header: Row, rows: list[Row], dated: list[int]) -> None:
        self.header = header
        self.rows = rows
        self.dated = dated  # indexes of the date/time columns

    def text(self, rows: list[Row] | None = None, header: Row | None = None) -> str:
        lines = [header or self.header, *(self.rows if rows is None else rows)]
        return "".join(",".join(_quote(cell) for cell in line) + "\n" for line in lines)


def _quote(cell: str) -> str:
    if any(c in cell for c in ',"\n') or cell.startswith("="):
        return '"' + cell.replace('"', '""') + '"'
    return cell


O1, O2, O3, O4 = (f"30000000000000000{i}" for i in range(1, 5))
SHIPPED = "卖家已发货，等待买家确认"

# fmt: off
KINDS: dict[str, Kind] = {
    "orders": Kind(
        [
            "订单编号",
            "买家会员名",
            "买家实际支付金额",
            "买家应付邮费",
            "订单状态",
            "订单付款时间",
            "发货时间",
            "揽收时间",
            "物流单号",
            "物流公司",
        ],
        [
            [f'="{O1}"', "amy", "100.00", "0.00", SHIPPED, "2026-11-01 10:00:00",
             "2026-11-01 18:00:00", "2026-11-01 20:00:00", "YT0001", "圆通速递"],
            [f'="{O2}"', "amy", "50.00", "0.00", SHIPPED, "2026-11-01 12:00:00",
             "2026-11-04 09:00:00", "2026-11-04 10:00:00", "YT0002", "圆通速递"],
            [f'="{O3}"', "bob", "20.00", "0.00", "买家已付款，等待卖家发货", "2026-11-10 09:00:00",
             "", "", "", ""],
            [f'="{O4}"', "cat", "80.00", "5.00", "交易成功", "2026-11-05 08:00:00",
             "2026-11-05 12:00:00", "2026-11-05 15:00:00", "ZT0004", "中通快递"],
        ],
        [5, 6, 7],
    ),
    "logistics": Kind(
        ["物流单号", "订单编号", "时间", "物流状态"],
        [
            ["YT0001", O1, "2026-11-01 20:00:00", "【杭州市】圆通速递 快递员 已揽收"],
            ["YT0001", O1, "2026-11-02 08:00:00", "【杭州市】快件已发往 西安转运中心"],
            ["YT0002", O2, "2026-11-04 10:00:00", "【杭州市】圆通速递 快递员 已揽收"],
            ["ZT0004", O4, "2026-11-05 15:00:00", "【杭州市】中通快递 已揽收"],
        ],
        [2],
    ),
    "reviews": Kind(
        ["订单编号", "买家会员名", "评价时间", "宝贝与描述相符", "卖家的服务态度",
         "物流服务的质量", "评价结果", "评价内容", "宝贝ID"],
        [
            [O1, "amy", "2026-11-06 10:00:00", "5", "5", "4", "好评", "很好，下次还来", "1001"],
            [O2, "amy", "2026-11-08 10:00:00", "2", "3", "1", "差评", "发货太慢了", "1001"],
            [O4, "cat", "2026-11-09 10:00:00", "4", "5", "5", "好评", "不错", "1002"],
        ],
        [2],
    ),
    "refunds": Kind(
        ["退款编号", "订单编号", "退款申请时间", "退款金额", "售后类型", "退款原因",
         "退款状态", "退款完结时间", "是否已发货"],
        [
            ["900000000000000001", O3, "2026-11-11 10:00:00", "20.00", "仅退款", "缺货",
             "退款成功", "2026-11-11 20:00:00", "否"],
            ["900000000000000002", O4, "2026-11-12 10:00:00", "30.00", "退货退款", "不想要了",
             "退款成功", "2026-11-14 10:00:00", "是"],
        ],
        [2, 7],
    ),
    "chats": Kind(
        ["买家", "时间", "发送方", "方向"],
        [
            ["amy", "2026-11-10 10:00:00", "amy", "买家"],
            ["amy", "2026-11-10 10:01:00", "店铺:小王", "卖家"],
            ["bob", "2026-11-12 15:00:00", "bob", "买家"],
            ["bob", "2026-11-12 15:05:00", "店铺:小李", "卖家"],
        ],
        [1],
    ),
    "cs_ratings": Kind(
        ["评价时间", "客服子账号", "评分", "标签", "评价来源"],
        [
            ["2026-11-10 11:00:00", "店铺:小王", "5", "态度好", "平台自动邀评"],
            ["2026-11-12 16:00:00", "店铺:小李", "3", "回复慢", "消费者自主评价"],
            ["2026-11-13 16:00:00", "服务助手", "4", "", "消费者自主评价"],
        ],
        [0],
    ),
    "complaints": Kind(
        ["投诉编号", "订单编号", "投诉时间", "判定时间", "是否成立"],
        [
            ["500000000001", O3, "2026-11-12 10:00:00", "2026-11-14 10:00:00", "是"],
            ["500000000002", O2, "2026-11-13 10:00:00", "2026-11-14 11:00:00", "否"],
        ],
        [2, 3],
    ),
}

# fmt: on

# An extra row per kind: a new order / refund / complaint, so dropping it changes nothing.
EXTRA: dict[str, Row] = {
    "orders": ['="300000000000000009"', "dan", "60.00", "0.00", SHIPPED, "2026-11-02 10:00:00",
               "2026-11-02 11:00:00", "2026-11-02 12:00:00", "YT0009", "圆通速递"],
    "logistics": ["YT0009", "300000000000000009", "2026-11-02 12:00:00", "【杭州市】圆通速递 已揽收"],
    "reviews": ["300000000000000009", "dan", "2026-11-07 10:00:00", "5", "5", "5", "好评", "好", "1003"],
    "refunds": ["900000000000000009", "300000000000000009", "2026-11-13 10:00:00", "10.00",
                "仅退款", "不想要了", "退款成功", "2026-11-13 12:00:00", "是"],
    "chats": ["dan", "2026-11-14 09:00:00", "dan", "买家"],
    "cs_ratings": ["2026-11-14 09:00:00", "店铺:小王", "4", "", "平台自动邀评"],
    "complaints": ["500000000009", "300000000000000009", "2026-11-14 10:00:00",
                   "2026-11-14 12:00:00", "是"],
}  # fmt: skip

# Where a value case breaks the extra row: {case: {kind: (column index, bad value)}}.
BAD_VALUES: dict[str, dict[str, tuple[int, str]]] = {
    "scientific_ids": {
        "orders": (0, "3.00000E+17"),
        "logistics": (0, "7.83497E+13"),
        "reviews": (0, "3.00000E+17"),
        "refunds": (0, "9.00000E+17"),
        "complaints": (0, "5.00000E+11"),
    },
    "negative_money": {"orders": (2, "-60.00"), "refunds": (3, "-10.00")},
    "impossible_date": {
        kind: (spec.dated[0], "2026-02-30 10:00:00") for kind, spec in KINDS.items()
    },
    "unknown_date_format": {
        kind: (spec.dated[0], "11/02/2026 10:00") for kind, spec in KINDS.items()
    },
    # (A 0 is a grade too, an open-platform code: in a plain 客服评价 file it is a grade the
    # config does not know, warned about and left out, tests/commands/test_layouts_cs_ratings.py.)
    "bad_score": {"reviews": (3, "6"), "cs_ratings": (2, "6")},
    "missing_key": {"reviews": (0, ""), "chats": (0, ""), "refunds": (0, "")},
}


def _mixed_dates(value: str, index: int) -> str:
    """The same instant in another allowed form (SPEC §2), by row."""
    date, time = value.split(" ")
    y, m, d = date.split("-")
    forms = [
        value,
        f"{y}/{int(m)}/{int(d)} {time[:5]}",
        f"{date} {time[:5]}",
        f"{y}/{m}/{d} {time}",
    ]
    return forms[index % len(forms)]


def _with_extra(rows: list[Row], extra: list[Row]) -> list[Row]:
    """The extra rows after the first valid row and at the end (so the first is on line 3)."""
    return [rows[0], extra[0], *rows[1:], *extra[1:]]


def _second(row: Row) -> Row:
    """A second extra row: an 8 wherever the first row's numbers and times have a 9."""
    return [c.replace("9", "8") if c[:1].isdigit() or c[:1] in '="Y' else c for c in row]


# The required column a missing-column case leaves out (logistics has 订单编号 in place of
# 物流单号, so it loses 时间; reviews need no 订单编号 (SPEC §2.1), so they lose the buyer).
MISSING_COLUMN = {"logistics": 2, "reviews": 1}


def files() -> dict[str, bytes]:
    """Every corpus file: relative path → bytes."""
    out: dict[str, bytes] = {}
    rng = random.Random(20261120)
    for name, spec in KINDS.items():
        valid = spec.text()
        out[f"valid/{name}.csv"] = valid.encode("utf-8")
        lines = valid.splitlines(keepends=True)
        out[f"{name}/empty.csv"] = b""
        out[f"{name}/header_only.csv"] = lines[0].encode("utf-8")
        # Binary garbage: a PNG signature, NUL bytes, then noise.
        out[f"{name}/binary.csv"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(200)
        # A download cut off inside a quoted field (no closing quote, no newline).
        last = lines[-1].rstrip("\n")
        cut_quote = ",".join([*last.split(",")[:-1], '"' + last.split(",")[-1][:2]])
        out[f"{name}/truncated_quote.csv"] = "".join([*lines[:-1], cut_quote]).encode("utf-8")
        # A download cut off between two fields of the last row: fewer fields than the header.
        fields = last.split(",")
        out[f"{name}/ragged_short.csv"] = "".join(
            [*lines[:-1], ",".join(fields[: max(1, len(fields) // 2)])]
        ).encode("utf-8")
        # A row with one field too many in the middle.
        long_rows = [*lines[:2], lines[2].rstrip("\n") + ",多余\n", *lines[3:]]
        out[f"{name}/ragged_long.csv"] = "".join(long_rows).encode("utf-8")
        # The valid file in GB18030, to be read with --encoding utf-8.
        out[f"{name}/gb18030.csv"] = valid.encode("gb18030")
        # The first required column (the first header) left out.
        drop = MISSING_COLUMN.get(name, 0)
        out[f"{name}/missing_column.csv"] = spec.text(
            [row[:drop] + row[drop + 1 :] for row in spec.rows],
            spec.header[:drop] + spec.header[drop + 1 :],
        ).encode("utf-8")
        # The last two rows exported twice.
        out[f"{name}/duplicate_rows.csv"] = (valid + "".join(lines[-2:])).encode("utf-8")
        # Every allowed date/time form, mixed in one column.
        mixed = [
            [_mixed_dates(c, i + j) if j in spec.dated and c else c for j, c in enumerate(row)]
            for i, row in enumerate(spec.rows)
        ]
        out[f"{name}/mixed_date_formats.csv"] = spec.text(mixed).encode("utf-8")
        # Rows dated after --as-of (2027): they have not happened yet and change nothing.
        future = [
            [c.replace("2026-11", "2027-11") if j in spec.dated else c for j, c in enumerate(row)]
            for row in (EXTRA[name], _second(EXTRA[name]))
        ]
        out[f"{name}/future_dates.csv"] = spec.text(_with_extra(spec.rows, future)).encode("utf-8")
        # Blank lines and Excel's rows of empty cells, in the middle and at the end.
        empty_row = "," * (len(spec.header) - 1) + "\n"
        blank = [*lines[:2], "\n", empty_row, *lines[2:], "\r\n", empty_row, "\n"]
        out[f"{name}/blank_lines.csv"] = "".join(blank).encode("utf-8")
        for case, where in BAD_VALUES.items():
            if name not in where:
                continue
            column, value = where[name]
            bad_rows = []
            for row in (EXTRA[name], _second(EXTRA[name])):
                broken = list(row)
                broken[column] = value
                bad_rows.append(broken)
            out[f"{name}/{case}.csv"] = spec.text(_with_extra(spec.rows, bad_rows)).encode("utf-8")
    # A short row in the middle that loses its key cell (the error path finds it).
    logistics = KINDS["logistics"].text().splitlines(keepends=True)
    out["logistics/ragged_short_middle.csv"] = "".join(
        [*logistics[:2], "YT0009,300000000000000009\n", *logistics[2:]]
    ).encode("utf-8")
    # Folders: one without any export file, one whose only CSV is not a seller-center export.
    out["misc/no_exports/notes.md"] = b"# not an export\n"
    out["misc/unrecognised/contacts.csv"] = "姓名,电话\n张三,13800000000\n".encode()
    return out


def write(root: Path = HERE) -> list[Path]:
    written = []
    for relative, data in sorted(files().items()):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    paths = write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
    print(f"wrote {len(paths)} files")
