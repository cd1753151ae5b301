"""The user's file arguments (files, globs, folders) as the export files they name.

A folder stands for the export files directly inside it; an operating system error is said
in the seller's words (:func:`os_problem`).
"""

from __future__ import annotations

import errno
import glob
import os
from collections.abc import Callable
from pathlib import Path

from tmallcli.errors import InputError
from tmallcli.exports.kinds import option_name
from tmallcli.i18n import tr

EXPORT_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls")
# One sheet of a 千牛 workbook is named ``book.xlsx#订单报表`` (SPEC §2.1: each sheet is
# classified like a file): what ``--dir`` and ``data check`` list, and a user may type.
SHEET_MARK = "#"
_SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def split_sheet(path: Path) -> tuple[Path, str | None]:
    """``book.xlsx#订单报表`` → (``book.xlsx``, ``"订单报表"``); any other path → (path, None).
    A file that exists under the whole name (a ``#`` in its own name) stays whole."""
    text = str(path)
    if SHEET_MARK not in text:
        return path, None
    lowered = text.lower()
    for suffix in _SHEET_SUFFIXES:
        at = lowered.find(suffix + SHEET_MARK)
        if at > 0:
            base = Path(text[: at + len(suffix)])
            sheet = text[at + len(suffix) + len(SHEET_MARK) :]
            try:
                if sheet and base.is_file() and not path.exists():
                    return base, sheet
            except OSError:
                return path, None
    return path, None


def sheet_path(path: Path, sheet: str) -> Path:
    """The name of one sheet of the workbook ``path`` (see :func:`split_sheet`)."""
    return Path(f"{path}{SHEET_MARK}{sheet}")


def expand_paths(args: list[str], *, kind: str | None = None) -> list[Path]:
    """Expand file arguments (files, globs, folders) into a sorted list of files.

    A folder stands for the export files directly inside it (``EXPORT_SUFFIXES``;
    hidden files and ``~$`` Excel lock files are skipped). The same file named twice
    (say by a glob and by name) is kept once. ``kind`` (e.g. ``"cs_ratings"``) only
    names the option in error messages.
    """
    found: list[Path] = []
    for arg in args:
        found.extend(_expand_one(arg, kind))
    keyed = sorted(((_resolved(path), path) for path in found), key=lambda pair: pair[0])
    unique: list[Path] = []
    seen: set[str] = set()
    for key, path in keyed:
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _expand_one(arg: str, kind: str | None) -> list[Path]:
    def fail(problem: str) -> InputError:
        if kind:
            problem += f" ({option_name(kind)})"
        return InputError(arg, problem)

    path = Path(os.path.expanduser(arg)) if arg else None
    if path is None:
        raise fail(tr("no such file"))
    try:
        if path.is_dir():
            return _folder_exports(path, arg, fail)
        if path.exists():
            return [path]
    except OSError as exc:
        raise fail(os_problem(exc)) from None
    if split_sheet(path)[1] is not None:
        return [path]
    if glob.has_magic(arg):
        matches = sorted(glob.glob(os.path.expanduser(arg), recursive=True))
        files = [Path(m) for m in matches if Path(m).is_file() and not _is_lock_file(Path(m))]
        if not files:
            raise fail(tr("glob matched no file"))
        return files
    raise fail(tr("no such file"))


def _folder_exports(folder: Path, arg: str, fail: Callable[[str], InputError]) -> list[Path]:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
        files = [
            entry
            for entry in entries
            if entry.suffix.lower() in EXPORT_SUFFIXES
            and not entry.name.startswith(".")
            and not _is_lock_file(entry)
            and entry.is_file()
        ]
    except OSError as exc:
        raise fail(tr("cannot list folder: {os_problem}", os_problem=os_problem(exc))) from None
    if not files:
        raise fail(tr("folder holds no export ({value})", value=", ".join(EXPORT_SUFFIXES)))
    return files


def _is_lock_file(path: Path) -> bool:
    # Excel keeps "~$name.xlsx" next to an open workbook; it is not an export.
    return path.name.startswith("~$")


def _resolved(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # symlink loop
        return str(path.absolute())


def os_problem(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return tr("no such file")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return tr("permission denied")
    if exc.errno == errno.EISDIR:
        return tr("is a folder, not a file")
    return (exc.strerror or str(exc)).lower()
