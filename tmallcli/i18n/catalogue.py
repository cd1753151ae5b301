"""The zh catalogue: every marked English template (the key) and its Chinese.

One module per layer keeps each list short and merges apart; to translate a new message, add
one line ``"the English template": "中文",`` to the module of the layer that says it — the
placeholders (``{file}``, ``{value!r}`` …) exactly as in the English. ``tests/test_messages.py``
fails on a marked template without an entry and on an entry no code uses.
"""

from __future__ import annotations

from tmallcli.i18n.zh_cli import CLI
from tmallcli.i18n.zh_config import CONFIG
from tmallcli.i18n.zh_exports import EXPORTS
from tmallcli.i18n.zh_runs import RUNS

PARTS: dict[str, dict[str, str]] = {
    "zh_cli": CLI,
    "zh_config": CONFIG,
    "zh_exports": EXPORTS,
    "zh_runs": RUNS,
}
ZH: dict[str, str] = {key: text for part in PARTS.values() for key, text in part.items()}
