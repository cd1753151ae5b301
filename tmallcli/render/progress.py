"""Progress on stderr for long work, only when stderr is a terminal (never in cron logs)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterator


class Step(Protocol):
    def advance(self, label: str) -> None: ...


class _Silent:
    def advance(self, label: str) -> None:
        return None


class _Bar:
    def __init__(self, progress: object, task: object) -> None:
        self._progress = progress
        self._task = task

    def advance(self, label: str) -> None:
        self._progress.update(self._task, advance=1, description=label)  # type: ignore[attr-defined]


@contextmanager
def progress(description: str, total: int) -> Iterator[Step]:
    """A bar of ``total`` steps on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty() or total <= 0:
        yield _Silent()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    )
    with bar:
        yield _Bar(bar, bar.add_task(description, total=total))
