"""千牛 chat records exported as text (SPEC §2.1): read as the chats kind, in GBK and UTF-8,
streamed, with the seller told by the sub-account colon and errors naming file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from tmallcli.cli import app
from tmallcli.errors import InputError
from tmallcli.exports import decoding
from tmallcli.exports.chat_text import chat_rows, looks_like_chat_text
from tmallcli.exports.inputs import Inputs

runner = CliRunner()
LAYOUTS = REPO / "tests" / "data" / "layouts" / "files" / "chats"
RECORDS = [LAYOUTS / "qianniu_chat_gbk.txt", LAYOUTS / "qianniu_chat_utf8.txt"]


def rows(text: str) -> list[tuple[str, str, str, str]]:
    return list(chat_rows(text.splitlines(keepends=True), "chat.txt"))


@pytest.mark.parametrize("record", RECORDS, ids=["gbk-crlf", "utf8-lf"])
def test_audit_response_on_the_chat_record(record: Path) -> None:
    """T = 2026-11-20, window 2026-10-21 … 2026-11-19. Consultations (buyer, date):
    tb_小明 11-18 asks 09:00:05, 小王 09:01:10 (65 s); 花花2026 11-18 asks 14:00:00 (小李's
    13:59 message comes before the question), 小李 14:10:00 (600 s); 花花2026 11-19 22:30:00,
    no reply; 大壮 11-19 10:00:00, 小王 10:02:00 (120 s); 二狗子 11-19 11:00:00, 小王 11:04:00
    (240 s: the seller answers the buyer who wrote last).
    旺旺响应率 = 4 / 5 = 0.8; 人工平均响应时长 = (65 + 600 + 120 + 240) / 4 = 256.25 s.
    Turns in 08:00–23:00: 小明 09:00:05 (65 s) and 09:05:00 (30 s), 花花 14:00 (600 s), 花花
    22:30 (none), 大壮 10:00 (120 s) and 10:03 (none), 二狗子 11:00 (240 s): 3 of 7 within
    180 s → 3分钟人工响应率 = 3 / 7."""
    result = runner.invoke(
        app, ["audit", "response", "--chats", str(record), "--as-of", "2026-11-20", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["consultations"], data["answered"], data["missed"]) == (5, 4, 1)
    assert data["response_rate"] == 0.8
    assert data["human_response_seconds"] == 256.25
    assert (data["turns"], data["fast_turns"]) == (7, 3)
    assert data["response_3min_rate"] == pytest.approx(3 / 7)
    assert [(u["buyer"], u["date"]) for u in data["unanswered"]] == [("花花2026", "2026-11-19")]
    # 天猫旗舰店：小李 (full-width colon) is the same sub-account as 天猫旗舰店:小李.
    accounts = {a["account"] for a in data["by_account"]}
    assert accounts == {"天猫旗舰店:小王", "天猫旗舰店:小李"}


def test_the_record_is_the_chats_kind_for_data_check_score_service_and_dir() -> None:
    check = runner.invoke(app, ["data", "check", str(RECORDS[0]), "-f", "json"])
    assert check.exit_code == 0, check.output
    (file,) = json.loads(check.stdout)["files"]
    assert (file["kind"], file["encoding"], file["rows"]) == ("chats", "gb18030 chat text", 13)
    assert file["problems"] == []
    service = runner.invoke(
        app, ["score", "service", "--chats", str(RECORDS[1]), "--as-of", "2026-11-20", "-f", "json"]
    )
    assert service.exit_code == 0, service.output
    metrics = json.loads(service.stdout)["metrics"]
    assert metrics["response_rate"]["value"] == 0.8
    assert metrics["human_response_seconds"]["value"] == 256.25
    with Inputs({}, directory=LAYOUTS) as inputs:
        assert sorted(inputs.files["chats"]) == sorted(str(p) for p in RECORDS)


def test_both_encodings_give_the_same_rows() -> None:
    with Inputs({"chats": [str(RECORDS[0])]}) as gbk, Inputs({"chats": [str(RECORDS[1])]}) as utf8:
        assert gbk.load("chats").frame.equals(utf8.load("chats").frame)


def test_conversion_streams_across_chunk_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Decoded 7 bytes at a time: GBK characters and CRLFs split across chunks, same rows."""
    with Inputs({"chats": [str(RECORDS[0])]}) as whole:
        expected = whole.load("chats").frame
    monkeypatch.setattr(decoding, "CHUNK_SIZE", 7)
    with Inputs({"chats": [str(RECORDS[0])]}) as chunked:
        assert chunked.load("chats").frame.equals(expected)


def test_rows_direction_and_the_buyer_a_seller_answers() -> None:
    text = (
        "2026-11-18\n"
        "店铺:小王 08:00:00\n亲，上新了\n"  # before any buyer: answers the first buyer
        "小明 08:05:00\n\n多行\n消息\n\n"
        "店铺:小王 08:06:00\n好\n"
        "------------------------------\n"
        "店铺:小李 09:00:00\n催付\n"  # a conversation with no buyer: no consultation
        "------------------------------\n"
        "消息对象:阿花\n"
        "店铺:小李 10:00:00\n在吗\n"  # the header names the buyer
        "店铺:小李 --> 大刘 11:00:00\n您好\n"  # the receiver is named
        "大刘 2026-11-19 09:00:00\n谢谢\n"  # a message line with its own date
    )
    assert rows(text) == [
        ("小明", "2026-11-18 08:00:00", "店铺:小王", "卖家"),
        ("小明", "2026-11-18 08:05:00", "小明", "买家"),
        ("小明", "2026-11-18 08:06:00", "店铺:小王", "卖家"),
        ("阿花", "2026-11-18 10:00:00", "店铺:小李", "卖家"),
        ("大刘", "2026-11-18 11:00:00", "店铺:小李", "卖家"),
        ("大刘", "2026-11-19 09:00:00", "大刘", "买家"),
    ]


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("小明 09:00:00\n你好\n", 1, "message line before any date line"),
        ("2026-11-18\n小明 09:00:00\n在吗\n店铺:小王 25:01:00\n在\n", 4, "malformed time"),
        ("2026-11-18\n小明 9:5:00\n", 2, "malformed time"),
        ("2026-11-18\n小明 09:00\n", 2, "expected a message line"),
        ("2026-02-30\n小明 09:00:00\n", 1, "not a date"),
    ],
)
def test_errors_name_the_line(text: str, line: int, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        rows(text)
    assert caught.value.line == line
    assert problem in caught.value.message
    assert caught.value.message.startswith(f"chat.txt:{line}: ")


def test_a_bad_record_is_one_line_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "聊天记录.txt"
    path.write_bytes("2026-11-18\r\n小明 09:00:00\r\n在吗\r\n店铺:小王 9:61:00\r\n".encode("gbk"))
    result = runner.invoke(
        app, ["audit", "response", "--chats", str(path), "--as-of", "2026-11-20"]
    )
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"tmall: error: {path}:4: malformed time")
    assert "9:61:00" in first


def test_only_chat_records_are_sniffed() -> None:
    assert looks_like_chat_text("2026-11-18\r\n小明 09:00:00\r\n", ".csv")
    assert looks_like_chat_text("\ufeff=====\n消息对象:小明\n", ".txt")
    assert looks_like_chat_text("小明 09:00:00\n你好\n", ".txt")  # read, then refused at line 1
    assert not looks_like_chat_text("小明 09:00:00\n你好\n", ".csv")
    assert not looks_like_chat_text("买家,时间,发送方\n小明,2026-11-18 09:00:00,小明\n", ".txt")
    assert not looks_like_chat_text("买家\t时间\t发送方\n", ".txt")
