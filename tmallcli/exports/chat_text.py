"""千牛 chat records exported as text (SPEC §2.1), read as the ``chats`` kind.

The export is not a table: a date line ``2026-11-18``, then per message a line
``nick HH:MM:SS`` and the message's text on the following line(s); blank lines may separate
messages. A nick in the shop's sub-account form ``店铺名:名字`` is the seller, any other nick a
buyer. :func:`convert_chat_text` turns such a file into the canonical CSV columns of the
``chats`` kind (buyer, sent_at, sender, direction) line by line, the way the other readers of
:mod:`~tmallcli.exports.opening` turn a TSV or an HTML ``.xls`` into a CSV: the file is never
held whole in a Python string. The message texts are not kept (no rule reads them).

Which buyer a seller's message answers (docs/DECISIONS.md, "千牛 chat text"): a conversation
starts at the top of the file, after a separator line (``=====`` / ``-----``) or at a header
line ``消息对象:nick`` (also 聊天对象 / 会话对象); a seller's message answers the buyer who
wrote last in the conversation, or the header's buyer. Seller messages before any buyer of a
conversation answer its first buyer; a conversation with no buyer at all (the shop writing
and nobody answering) has no consultation and is left out. A line ``A --> B`` (the form some
千牛 versions write) names the receiver: a seller writing to ``B`` answers buyer ``B``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import IO

from tmallcli.errors import InputError
from tmallcli.exports.decoding import TextPlan, decoded, text_lines
from tmallcli.exports.source import Source, converted, text_writer
from tmallcli.i18n import tr

# The columns written, canonical names of the chats kind (exports/kinds.py).
HEADER = ("buyer", "sent_at", "sender", "direction")
BUYER, SELLER = "买家", "卖家"

# A seller sub-account is ``店铺名:名字``. 千牛 writes an ASCII colon; a full-width one (a file
# retyped or re-saved on a Chinese keyboard) means the same, and is written as ASCII. Taobao
# member names cannot hold a colon, so no buyer is taken for the shop.
SELLER_COLONS = (":", "：")
ARROW = "-->"

_DATE = r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})"
DATE_LINE = re.compile(rf"^{_DATE}$", re.ASCII)
# ``nick HH:MM:SS`` (also ``nick 2026-11-18 HH:MM:SS``): the time is checked after the match,
# so a time out of range is an error, not message text.
MESSAGE_LINE = re.compile(
    rf"^(?P<nick>.*?\S)\s+(?:(?P<date>{_DATE})\s+)?"
    r"(?P<time>\d{1,2}:\d{1,2}:\d{1,2})$",
    re.ASCII,  # ASCII digits only: \d would take full-width ones, which no time is written in
)
SEPARATOR_LINE = re.compile(r"^[=\-_─—*]{5,}$")
CONVERSATION_HEADER = re.compile(r"^(?:消息对象|聊天对象|会话对象)\s*[:：]\s*(?P<nick>.+)$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2}):(\d{2})$", re.ASCII)
_SEPARATOR_CHARS = frozenset("=-_─—*")
_HEADER_STARTS = frozenset("消聊会")

# How many non-blank lines of a file's head are looked at to tell a chat record.
SNIFF_LINES = 20


def is_seller(nick: str) -> bool:
    return ":" in nick or "：" in nick  # SELLER_COLONS


def looks_like_chat_text(head: str, suffix: str) -> bool:
    """Is this file's head a 千牛 chat record? Its first line is a date, a separator or a
    conversation header; or, for a ``.txt`` file whose first line is no CSV or TSV header, one
    of its first lines is a date or a ``nick HH:MM:SS`` line."""
    lines = [line.strip() for line in head.lstrip("\ufeff").splitlines() if line.strip()]
    lines = lines[:SNIFF_LINES]
    if not lines:
        return False
    first = lines[0]
    if DATE_LINE.match(first) or SEPARATOR_LINE.match(first) or CONVERSATION_HEADER.match(first):
        return True
    if suffix.lower() != ".txt" or "," in first or "\t" in first:
        return False
    return any(DATE_LINE.match(line) or MESSAGE_LINE.match(line) for line in lines)


class _Conversation:
    """The messages of one conversation whose buyer is not known yet, and the buyer."""

    def __init__(self, buyer: str | None = None) -> None:
        self.buyer = buyer
        self.waiting: list[tuple[str, str]] = []  # seller messages before any buyer


def _read_date(match: re.Match[str], display: str, line: int, text: str) -> date:
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise InputError(display, tr("not a date"), line=line, value=text) from None


def _read_time(text: str, display: str, line: int) -> str:
    if len(text) == 8 and "00:00:00" <= text <= "23:59:59" and text[3] < "6" and text[6] < "6":
        return text  # the usual HH:MM:SS (MESSAGE_LINE matched: digits and colons only)
    match = _TIME.match(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59 or int(match[3]) > 59:
        raise InputError(
            display,
            tr("malformed time in a message line (expected HH:MM:SS)"),
            line=line,
            value=text,
        )
    return f"{int(match[1]):02d}:{match[2]}:{match[3]}"


def chat_rows(lines: Iterable[str], display: str) -> Iterable[tuple[str, str, str, str]]:
    """(buyer, sent_at, sender, direction) of each message, in file order (seller messages
    waiting for their conversation's buyer come out when it is known)."""
    day: date | None = None
    day_text = ""
    conversation = _Conversation()
    in_message = False
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n").strip()
        if number == 1:
            line = line.lstrip("\ufeff").strip()
        if not line:
            continue
        # Each pattern is tried only on a line that starts (or ends) as it must: most lines are
        # message text, which then costs no regex at all.
        first = line[0]
        if first in _SEPARATOR_CHARS and SEPARATOR_LINE.match(line):
            conversation, in_message = _Conversation(), False
            continue
        header = CONVERSATION_HEADER.match(line) if first in _HEADER_STARTS else None
        if header is not None:
            conversation, in_message = _Conversation(header["nick"].strip()), False
            continue
        date_line = DATE_LINE.match(line) if "0" <= first <= "9" else None
        if date_line is not None:
            day, in_message = _read_date(date_line, display, number, line), False
            day_text = day.isoformat()
            continue
        message = MESSAGE_LINE.match(line) if line[-3:-2] == ":" else None
        if message is None:
            if in_message or day is None:
                # The message's text; before the first date line, the export's title lines.
                continue
            raise InputError(
                display,
                tr("expected a message line `nick HH:MM:SS` after the date line"),
                line=number,
                value=line,
            )
        clock = _read_time(message["time"], display, number)
        if message["date"] is not None:
            own_day = DATE_LINE.match(message["date"])
            assert own_day is not None
            day = _read_date(own_day, display, number, message["date"])
            day_text = day.isoformat()
        if day is None:
            raise InputError(
                display,
                tr("message line before any date line"),
                line=number,
                value=line,
                hint=tr("a 千牛 chat record starts each day with a line such as 2026-11-18"),
            )
        in_message = True
        sent_at = f"{day_text} {clock}"
        sender, receiver = message["nick"], ""
        if ARROW in sender:
            sender, _, receiver = (part.strip() for part in sender.partition(ARROW))
        if is_seller(sender):
            # One sub-account whichever colon a line has: the staffing figures count it once.
            sender = sender.replace("：", ":")
        if not is_seller(sender):
            conversation.buyer = sender
            for waiting_at, waiting_sender in conversation.waiting:
                yield sender, waiting_at, waiting_sender, SELLER
            conversation.waiting.clear()
            yield sender, sent_at, sender, BUYER
        elif receiver and not is_seller(receiver):
            conversation.buyer = receiver
            yield receiver, sent_at, sender, SELLER
        elif conversation.buyer is not None:
            yield conversation.buyer, sent_at, sender, SELLER
        else:
            conversation.waiting.append((sent_at, sender))


def convert_chat_text(path: Path, plan: TextPlan, *, workdir: Path, display: str) -> Source:
    """The chat record as a CSV of the chats kind's canonical columns, written line by line."""

    def write(out: IO[bytes]) -> None:
        writer, close = text_writer(out)
        try:
            writer.writerow(HEADER)
            writer.writerows(chat_rows(text_lines(decoded(path, plan, display)), display))
        finally:
            close()

    csv_path = converted(path, workdir, write)
    return Source(display=display, path=path, csv_path=csv_path, encoding=f"{plan.label} chat text")
