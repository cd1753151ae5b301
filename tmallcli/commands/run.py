"""The CLI edge: run a command's program, render its result, map errors to exit codes.

Modelled on httpie: ``program`` is the logic without error handling; this module is the
only place that turns a :class:`~tmallcli.errors.TmallError` into one line on stderr.
"""

from __future__ import annotations

import gc
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from tmallcli.commands.options import OutputOptions
from tmallcli.errors import ExitStatus, TmallError
from tmallcli.i18n import tr
from tmallcli.render.document import Renderable

if TYPE_CHECKING:
    from tmallcli.runs.context import Run
    from tmallcli.runs.freshness import Freshness


@dataclass
class Outcome:
    result: Renderable
    check_failed: bool = False
    input_warnings: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # warnings about the result, said first
    # What the run read and which exports are stale (SPEC §14): warned first, JSON inputs/stale.
    freshness: Freshness | None = None

    @classmethod
    def of(cls, result: Renderable, run: Run[Any], *, check_failed: bool = False) -> Outcome:
        """The rendered ``result`` of ``run``, with what the run has to say."""
        return cls(result, check_failed, run.input_warnings, run.notes, run.freshness)


def error_line(message: str, hint: str | None = None) -> None:
    sys.stderr.write(tr("tmall: error: {message}", message=message) + "\n")
    if hint:
        sys.stderr.write(tr("tmall: hint: {hint}", hint=hint) + "\n")


def warn(message: str) -> None:
    sys.stderr.write(tr("tmall: warning: {message}", message=message) + "\n")


def check_writable(output: Path | None) -> None:
    """Refuse an ``--output`` whose folder is missing or read-only, before any work is done."""
    import os

    from tmallcli.errors import OutputError

    if output is None:
        return
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise OutputError(
            tr(
                "{output}: cannot write the output (no writable folder {folder})",
                output=output,
                folder=folder,
            )
        )


# A run builds a report's rows as hundreds of thousands of small objects that form no cycles
# (a 10 M-order shop's compensation: 180 k payout lines); collecting every 700 allocations
# walked them all again and again, a third of the time spent making and rendering them.
GC_THRESHOLD = (200_000, 20, 20)


def run(program: Callable[[], Outcome], out: OutputOptions, *, debug: bool = False) -> None:
    """Run ``program`` and exit with 0, 1 (a --check tripped) or 2 (bad usage or input)."""
    from tmallcli.render.writers import emit

    gc.set_threshold(*GC_THRESHOLD)

    try:
        fmt = out.resolved_format()
        check_writable(out.output)
        outcome = program()
        if outcome.freshness is not None:
            for line in outcome.freshness.messages():
                warn(line)
        for note in outcome.notes:
            warn(note)
        for warning in outcome.input_warnings:
            warn(warning["message"])
        target = out.output
        if fmt == "html":  # the report's page, written by the program: the screen gets the summary
            fmt, target = "table", None
        emit(
            outcome.result,
            fmt=fmt,
            output=target,
            bom=out.bom,
            lang=out.lang.value,
            input_warnings=outcome.input_warnings,
            freshness=outcome.freshness,
            table=out.table,
        )
    except TmallError as exc:
        if debug:
            traceback.print_exc()
        error_line(exc.message, exc.hint)
        raise typer.Exit(int(exc.exit_status)) from None
    except BrokenPipeError:
        raise typer.Exit(int(ExitStatus.OK)) from None
    raise typer.Exit(int(ExitStatus.CHECK_FAILED if outcome.check_failed else ExitStatus.OK))
