"""Fuzzing the reader: any bytes end in a result or in one clean error line (SPEC §13).

Hypothesis writes exports the way they go wrong in the field: the kind's Chinese headers in
any order (some missing, some extra), cells with quotes, commas, line breaks, tabs, Excel's
``="…"`` and ``'`` wrappers, a BOM, NUL bytes, IDs in scientific notation; then encodes them
as UTF-8, UTF-8 with BOM, GB18030 or UTF-16, may cut the file anywhere, or replaces it with
random bytes. ``tmall data check`` and the kind's main command must exit 0, 1 or 2, with
exactly one ``tmall: error:`` line for 2, and never raise.
"""

from __future__ import annotations

import tempfile
import traceback
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from tmallcli.cli import app
from tmallcli.exports.kinds import KINDS

runner = CliRunner()

# The kind's main command (the first to read it) and the valid companions it needs.
MAIN = {
    "orders": ["audit", "pickup"],
    "logistics": ["audit", "pickup"],
    "reviews": ["score", "dsr"],
    "refunds": ["audit", "refunds"],
    "chats": ["audit", "response"],
    "cs_ratings": ["score", "cs", "--last", "30"],
    "complaints": ["score", "service"],
    # Alone, with its payment columns, the item-detail export is read as the orders.
    "order_items": ["audit", "pickup"],
}
VALID = Path(__file__).resolve().parent.parent / "data" / "broken" / "valid"
COMPANIONS = {"logistics": ["--orders", str(VALID / "orders.csv")]}
COMPANIONS["complaints"] = COMPANIONS["logistics"]

CELLS = st.one_of(
    st.text(max_size=10),
    st.sampled_from(
        [
            '="300000000000000001"',
            "'300000000000000002",
            "\t12\t",
            "1.23457E+18",
            "-5.00",
            "¥12.50",
            "￥1,234.00",
            "2026-11-05 18:37:00",
            "2026/11/5 18:37",
            "2026-02-30",
            "是",
            "否",
            "5",
            "6",
            "null",
            "无",
            "延迟统计",
            "\ufeff",
            "\x00",
            '"',
            '""',
            "a,b",
            "第一行\n第二行",
            "\r\n",
            'x"y',
            "<table><tr><td>",
        ]
    ),
)


@st.composite
def exports(draw: st.DrawFn) -> tuple[str, bytes, str]:
    """(kind, file bytes, encoding used) for an export of a random kind."""
    kind = draw(st.sampled_from(sorted(KINDS)))
    spec = KINDS[kind]
    headers = [
        draw(st.sampled_from(column.aliases))
        for column in spec.columns
        if column.required or draw(st.booleans())
    ]
    headers = list(draw(st.permutations(headers)))
    if headers and draw(st.booleans()):
        headers = headers[:-1] if draw(st.booleans()) else [*headers, " 备注 "]
    rows = draw(st.lists(st.lists(CELLS, max_size=len(headers) + 1), max_size=6))

    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if draw(st.booleans()) else text

    line_end = draw(st.sampled_from(["\n", "\r\n"]))
    text = ",".join(headers) + line_end
    text += "".join(",".join(cell(c) for c in row) + line_end for row in rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]  # a download cut off anywhere
    if draw(st.integers(0, 9)) == 0:
        data = draw(st.binary(max_size=300))
    return kind, data, encoding


def assert_clean(result: Result, args: list[str]) -> None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        detail = "".join(traceback.format_exception(*result.exc_info)) if result.exc_info else ""
        raise AssertionError(f"uncaught {result.exception!r}: tmall {' '.join(args)}\n{detail}")
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert len([line for line in lines if line.startswith("tmall: error: ")]) == 1, lines
        assert result.stdout == ""


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    export=exports(),
    suffix=st.sampled_from([".csv", ".csv", ".txt", ".xls"]),
    force_encoding=st.booleans(),
    skip_bad_rows=st.booleans(),
)
def test_any_file_ends_in_a_result_or_one_clean_error(
    export: tuple[str, bytes, str], suffix: str, force_encoding: bool, skip_bad_rows: bool
) -> None:
    kind, data, encoding = export
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export{suffix}"
        path.write_bytes(data)
        forced = ["--encoding", encoding] if force_encoding else []
        check = ["data", "check", str(path), "--check", "-f", "json", *forced]
        command = [*MAIN[kind], f"--{kind.replace('_', '-')}", str(path), *COMPANIONS.get(kind, [])]
        command += ["--as-of", "2026-11-20", "-f", "json", *forced]
        if skip_bad_rows:
            command.append("--skip-bad-rows")
        for args in (check, command):
            assert_clean(runner.invoke(app, args), args)
        assert path.read_bytes() == data  # the input is never modified
