"""The file handed back to ``tmall compensate mark-paid --file`` (SPEC §5.1).

Two kinds, told apart by their headers:

* the payout CSV this tool wrote (``late-orders --ledger -f csv``), with its 行号 (line IDs)
  and 运行 (run) columns and the 已发放 (paid) column the sender filled in: a row marked
  是 / Y / 1 / ✓ … is paid, an empty or 否 row was not sent;
* a red-packet record (the platform's or 千牛's list of what went out): a buyer column and an
  amount column, optionally a status column (a failed packet is not paid).

Either may come as CSV (UTF-8 or GB18030) or saved from Excel (.xlsx / .xls, its first visible sheet;
cells read as Excel shows them, a row's line is its row in the sheet).

Reading is strict: a value that is neither yes nor no, or an amount that is not money, is
one error naming the file, line, column and value, and nothing is marked.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from tmallcli.errors import InputError
from tmallcli.i18n import tr

# Header names, compared lower-cased without spaces.
LINE_IDS = ("行号", "lineids", "line_ids", "行id")
RUN_IDS = ("运行", "run", "run_id", "runid")
PAID = ("已发放", "paid", "是否已发放", "已发")
BUYERS = ("买家", "买家会员名", "买家昵称", "会员名", "用户昵称", "收款人", "buyer", "buyernick")
AMOUNTS = ("金额(元)", "金额", "红包金额", "发放金额", "实发金额", "amount(yuan)", "amount")
STATUSES = ("发放状态", "状态", "status")

YES = {
    "是",
    "已发",
    "已发放",
    "已付",
    "已付款",
    "y",
    "yes",
    "1",
    "true",
    "x",
    "✓",
    "√",
    "paid",
    "ok",
}
NO = {"", "否", "未发", "未发放", "n", "no", "0", "false", "失败", "failed", "-", "—"}
FAILED_WORDS = ("失败", "fail", "退回", "未发", "未领取")


@dataclass
class PaidRow:
    """One row of a handed-back file; ``line`` counts as an editor does (header = 1)."""

    line: int
    line_ids: list[int] = field(default_factory=list)  # the payout CSV's 行号
    run_id: str | None = None
    buyer: str | None = None
    amount_fen: int | None = None
    paid: bool = True  # False: the sender left it unmarked, or the packet failed

    def describe(self) -> dict[str, object]:
        """The row as the JSON ``unmatched`` / ``not_paid`` lists show it."""
        data: dict[str, object] = {"line": self.line}
        if self.line_ids:
            data["line_ids"] = self.line_ids
        if self.run_id:
            data["run_id"] = self.run_id
        if self.buyer is not None:
            data["buyer"] = self.buyer
        if self.amount_fen is not None:
            data["amount_fen"] = self.amount_fen
        return data


@dataclass
class PaidFile:
    path: str
    kind: str  # "payout_csv" | "record"
    rows: list[PaidRow]


def _key(header: str) -> str:
    return "".join(header.split()).lower().replace("（", "(").replace("）", ")")


def _find(headers: list[str], names: tuple[str, ...]) -> int | None:
    keys = [_key(h) for h in headers]
    for name in names:
        if name in keys:
            return keys.index(name)
    return None


def _text(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(str(path), tr("cannot read the file as UTF-8 or GB18030 text"))


def _fen(path: str, line: int, column: str, text: str) -> int:
    cleaned = text.strip().replace("¥", "").replace("￥", "").removesuffix("元").replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")):
        raise InputError(path, tr("not an amount in yuan"), line=line, column=column, value=text)
    return int(value * 100)


def _ids(path: str, line: int, column: str, text: str) -> list[int]:
    parts = [p for p in text.replace("，", ",").replace(";", ",").replace(" ", ",").split(",")]
    try:
        return [int(p) for p in parts if p.strip()]
    except ValueError:
        raise InputError(
            path, tr("not a list of line IDs"), line=line, column=column, value=text
        ) from None


def _is_workbook(path: Path) -> bool:
    from tmallcli.exports.workbook import OLE2_SIGNATURE, ZIP_SIGNATURE

    with path.open("rb") as handle:
        head = handle.read(8)
    return head.startswith((ZIP_SIGNATURE, OLE2_SIGNATURE))


def _sheet_rows(path: Path) -> tuple[list[list[str]], int]:
    """The first visible sheet's rows as Excel shows the cells, and how many empty rows above the
    header were left out (so a row's line is its row number in the sheet)."""
    import python_calamine

    from tmallcli.exports.workbook import excel_text, visible_sheets

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        # As an export's: a hidden sheet is a lookup table, not the list.
        names = visible_sheets(workbook)
        if not names:
            raise InputError(str(path), tr("the workbook holds no sheet"))
        rows = [
            [excel_text(cell).strip() for cell in row]
            for row in workbook.get_sheet_by_name(names[0]).to_python(skip_empty_area=False)
        ]
    except python_calamine.PasswordError:
        raise InputError(str(path), tr("the workbook is password-protected")) from None
    except python_calamine.CalamineError as exc:
        raise InputError(str(path), tr("cannot read the Excel workbook: {exc}", exc=exc)) from None
    leading = 0
    while leading < len(rows) and not any(rows[leading]):
        leading += 1
    return rows[leading:], leading


def read_paid_file(path: Path) -> PaidFile:
    """The rows of a handed-back payout CSV or red-packet record: a CSV (UTF-8 or GB18030) or
    the same saved from Excel as .xlsx / .xls (its first visible sheet)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), tr("no such file"))
    name = str(path)
    if _is_workbook(path):
        rows, leading = _sheet_rows(path)
    else:
        rows, leading = list(csv.reader(io.StringIO(_text(path)))), 0
    if not rows:
        raise InputError(name, tr("empty file: expected the payout CSV or a red-packet record"))
    headers = rows[0]
    ids_at, run_at, paid_at = (_find(headers, n) for n in (LINE_IDS, RUN_IDS, PAID))
    buyer_at, amount_at, status_at = (_find(headers, n) for n in (BUYERS, AMOUNTS, STATUSES))
    body = [(number, row) for number, row in enumerate(rows[1:], start=2 + leading) if any(row)]

    def value(row: list[str], at: int | None) -> str:
        return row[at].strip() if at is not None and at < len(row) else ""

    if ids_at is not None:
        if paid_at is None:
            raise InputError(
                name,
                tr("the payout CSV has no 已发放 (paid) column"),
                hint=tr("add it and mark each red packet sent with 是, then hand the file back"),
            )
        found = []
        for number, row in body:
            mark = value(row, paid_at)
            if mark.lower() not in YES | NO:
                raise InputError(
                    name, tr("not yes or no"), line=number, column=headers[paid_at], value=mark
                )
            found.append(
                PaidRow(
                    number,
                    line_ids=_ids(name, number, headers[ids_at], value(row, ids_at)),
                    run_id=value(row, run_at) or None,
                    buyer=value(row, buyer_at) or None,
                    paid=mark.lower() in YES,
                )
            )
        return PaidFile(name, "payout_csv", found)
    if buyer_at is None or amount_at is None:
        raise InputError(
            name,
            tr(
                "neither the payout CSV (行号 / Line IDs) nor a red-packet record (buyer and amount "
                "columns)"
            ),
        )
    records = []
    for number, row in body:
        status = value(row, status_at)
        failed = any(word in status.lower() for word in FAILED_WORDS)
        records.append(
            PaidRow(
                number,
                buyer=value(row, buyer_at),
                amount_fen=_fen(name, number, headers[amount_at], value(row, amount_at)),
                paid=not failed,
            )
        )
    return PaidFile(name, "record", records)
