"""Runtime messages in the user's language (SPEC §14): errors, hints, warnings and run notes.

gettext's shape without its files: the English sentence in the code is the catalogue key,
marked with :func:`tr` and named placeholders, and ``tmallcli/i18n/zh_*.py`` map it to its
Chinese. Dynamic parts (file names, columns, values) are placeholders and stay verbatim::

    raise InputError(path, tr("not a date in the form {form}", form="YYYY-MM-DD"))

The language is chosen once at the CLI edge — ``--lang``, else ``TMALL_LANG``, else the config's
``lang`` once the config is loaded, else zh — and held in a context variable, so a message
raised deep in the exports or the config reads it without a parameter threaded through every
call. A caller of the library that never chooses gets the English templates, as gettext's
untranslated default. Labels of tables and reports are :class:`~tmallcli.render.labels.Labels`,
not here. ``tests/test_messages.py`` checks that every marked template has its zh entry.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextvars import ContextVar
from functools import cache

LANGUAGES = ("zh", "en")
DEFAULT = "zh"  # the CLI's language when nothing chooses one (SPEC §14)
ENV = "TMALL_LANG"


# (language, settled): settled when --lang or TMALL_LANG chose, so the config's `lang` does not
# override it. The library speaks English until the CLI edge chooses (see the docstring).
_CHOICE: ContextVar[tuple[str, bool]] = ContextVar("tmall_message_language", default=("en", True))


@cache
def _zh() -> dict[str, str]:
    from tmallcli.i18n.catalogue import ZH

    return ZH


def tr(template: str, /, **params: object) -> str:
    """``template`` in the chosen language, its ``{name}`` placeholders filled from ``params``
    (verbatim: a file name, a column, a value is never translated)."""
    text = template
    if _CHOICE.get()[0] == "zh":
        text = _zh().get(template, template)
    # A template without parameters is taken as it is, braces included (a problem text looked
    # up by value, e.g. a cell's, may hold any character).
    return text.format(**params) if params else text


def N_(template: str) -> str:  # gettext's name for "translate later"
    """Mark a template kept in a table (translated where it is used, with :func:`tr`)."""
    return template


def language() -> str:
    """The language messages are written in now (``zh`` or ``en``)."""
    return _CHOICE.get()[0]


def _known(value: str | None) -> str | None:
    """``zh`` / ``en`` out of an option or environment value (``zh_CN.UTF-8`` reads as zh)."""
    if not value:
        return None
    value = value.strip().lower()
    return next((lang for lang in LANGUAGES if value.startswith(lang)), None)


def option_in(args: Sequence[str]) -> str | None:
    """The value of the last ``--lang X`` / ``--lang=X`` among the command-line arguments."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    return found


def choose(args: Sequence[str]) -> str:
    """Choose the language at the CLI edge from the command's arguments and the environment:
    ``--lang``, else ``TMALL_LANG``, else zh until the config is loaded (:func:`adopt_config`)."""
    chosen = _known(option_in(args)) or _known(os.environ.get(ENV))
    _CHOICE.set((chosen or DEFAULT, chosen is not None))
    return language()


def adopt_config(lang: str | None) -> None:
    """The config's ``lang``, unless ``--lang`` or ``TMALL_LANG`` chose already."""
    if lang in LANGUAGES and not _CHOICE.get()[1]:
        _CHOICE.set((lang, False))


def use(lang: str) -> None:
    """Write messages in ``lang`` from now on (a library caller's choice; tests)."""
    _CHOICE.set((lang, True))
