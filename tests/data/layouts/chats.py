"""千牛 chat records exported as text (SPEC §2.1): a date line, then per message ``nick HH:MM:SS``
and the text on the following line(s), blank lines between some messages.

The same record twice: GBK with CRLF line ends (saved on Chinese Windows) and UTF-8 with LF.
It holds three conversations: one under a ``消息对象:`` header between separator lines, one
whose seller writes first and then with a full-width colon (``天猫旗舰店：小李``), and one with
two buyers and no separator between them (the seller answers the one who wrote last).

The numbers ``audit response --as-of 2026-11-20`` gives (window 2026-10-21 … 2026-11-19) are
in tests/exports/test_chat_text.py.
"""

from __future__ import annotations

CHAT_RECORD = """\
================================================================
消息对象:tb_小明
================================================================
2026-11-18
tb_小明 09:00:05
你好，在吗？
这件衣服有M码吗

天猫旗舰店:小王 09:01:10
亲，在的
有M码哦

tb_小明 09:05:00
好的，谢谢
天猫旗舰店:小王 09:05:30
不客气
================================================================
消息对象:花花2026
================================================================
2026-11-18
天猫旗舰店:小李 13:59:00
亲，您的订单已发货
花花2026 14:00:00
什么时候到？
天猫旗舰店：小李 14:10:00
明天到哦

2026-11-19
花花2026 22:30:00
还没到
================================================================
2026-11-19
大壮 10:00:00
能便宜点吗
天猫旗舰店:小王 10:02:00
亲，已经是最低价了
大壮 10:03:00
那算了

二狗子 11:00:00
在吗
天猫旗舰店:小王 11:04:00
在的
"""


def files() -> dict[str, bytes]:
    return {
        "chats/qianniu_chat_gbk.txt": CHAT_RECORD.replace("\n", "\r\n").encode("gbk"),
        "chats/qianniu_chat_utf8.txt": CHAT_RECORD.encode("utf-8"),
    }
