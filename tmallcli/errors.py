"""Typed errors raised by the core and mapped to exit codes once, at the CLI edge."""

from __future__ import annotations

from enum import IntEnum

from tmallcli.i18n import tr


class ExitStatus(IntEnum):
    OK = 0
    CHECK_FAILED = 1  # a --check condition tripped (cron alerting)
    ERROR = 2  # bad usage, bad input, bad config


class TmallError(Exception):
    """Base class: a problem the user can fix. Printed as one line, never a traceback."""

    exit_status = ExitStatus.ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(TmallError):
    """Options that do not fit together, a missing required input, a bad --as-of."""


class ConfigError(TmallError):
    """A config key or value is wrong; the message starts with the key path."""

    def __init__(self, key_path: str, problem: str, hint: str | None = None) -> None:
        super().__init__(
            tr("config: {key_path}: {problem}", key_path=key_path, problem=problem), hint
        )
        self.key_path = key_path


class InputError(TmallError):
    """An export cannot be read or holds a bad value.

    ``line`` counts as a text editor does: the header is line 1.
    """

    def __init__(
        self,
        file: str,
        problem: str,
        *,
        line: int | None = None,
        column: str | None = None,
        value: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = file if line is None else f"{file}:{line}"
        parts = [where]
        if column is not None:
            parts.append(tr("column {column}", column=column))
        text = ": ".join(parts) + f": {problem}"
        if value is not None:
            # The cell as it is in the export, quoted: never translated.
            text = tr("{text} (value {value!r})", text=text, value=value)
        super().__init__(text, hint)
        self.file = file
        self.line = line
        self.column = column
        self.value = value


class OutputError(TmallError):
    """The --output file cannot be written."""
