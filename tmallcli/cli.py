"""The ``tmall`` command: a root Typer app with one sub-app per command group.

Command modules import Polars and Rich inside their functions, so ``tmall --help`` and
usage errors stay fast (SPEC §12: under 0.3 s, no Polars import).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

import typer

from tmallcli import __version__
from tmallcli.commands import (
    audit,
    compensate,
    config,
    data,
    history,
    report,
    reviews,
    sample,
    score,
)
from tmallcli.i18n import tr

app = typer.Typer(
    name="tmall",
    help="Platform service scores from Tmall / Taobao seller-center exports: DSR, 24h pickup, "
    "late-shipment compensation, 基础服务考核分, customer-service ratings and bad reviews.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
# Each group is a Typer app whose modules register their commands with ``@app.command``;
# report, demo and sample sit at the top level.
app.add_typer(score.app, name="score")
app.add_typer(audit.app, name="audit")
app.add_typer(compensate.app, name="compensate")
app.add_typer(reviews.app, name="reviews")
app.add_typer(data.app, name="data")
app.add_typer(config.app, name="config")
app.add_typer(sample.app)
app.add_typer(report.app)
app.add_typer(history.app, name="history")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tmall {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """tmall — where the shop's platform scores stand, why, and what to do today."""
    # The language of what tmall says (SPEC §14): the command's --lang, else TMALL_LANG, else
    # zh until the config's `lang` is read. Chosen here, before the command's options are
    # parsed, so their errors speak it too: from the program's arguments (main passes them);
    # called in process (tests) the --lang option's own callback chooses when it is given.
    from tmallcli import i18n

    i18n.choose(ctx.obj.get("argv", ()) if isinstance(ctx.obj, dict) else ())


def main() -> None:
    # `tmall … | head` must end quietly, as csvkit does: restore the default SIGPIPE action.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # A GBK console or file (Chinese Windows) gets √ for ✓, × for ✗: never a crash.
    from tmallcli.render.console import make_streams_safe

    make_streams_safe()
    # The language, for usage errors before the root callback chooses it again.
    from tmallcli import i18n

    argv = sys.argv[1:]
    i18n.choose(argv)
    try:
        code = app(prog_name="tmall", standalone_mode=False, obj={"argv": argv})
    except KeyboardInterrupt:
        sys.stderr.write(tr("tmall: interrupted") + "\n")
        sys.exit(130)
    except Exception as exc:
        sys.exit(_usage_error(exc))
    sys.exit(code if isinstance(code, int) else 0)


def entry() -> None:
    """The ``tmall`` program: :func:`main`, then the process ends at once with its status.

    The interpreter's teardown does nothing a finished run needs (every output is written and
    closed, the ledger committed, the scratch folder removed, by then), yet takes 0.07 s of a
    small run — finalising Polars, pydantic, Rich and Typer — and up to 0.2 s after a 10 M-order
    one. ``main`` itself exits as usual, for callers that catch its ``SystemExit``.
    """
    try:
        main()
    except SystemExit as exc:
        status = _exit_status(exc.code)
    else:
        status = 0
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing left to say
            stream.flush()
    os._exit(status)


def _exit_status(code: object) -> int:
    """The status ``sys.exit(code)`` would end the process with."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


def _usage_error(exc: Exception) -> int:
    """Typer's usage errors as one line, like every other error of tmall (SPEC §1: exit 2)."""
    if type(exc).__name__ == "NoArgsIsHelpError":  # the help was shown: nothing went wrong
        return 0
    format_message = getattr(exc, "format_message", None)
    if format_message is None or not hasattr(exc, "exit_code"):
        raise exc  # a bug: let it show its traceback
    # Click's own sentence stays as Click says it; our frame around it speaks the language.
    sys.stderr.write(tr("tmall: error: {message}", message=format_message()) + "\n")
    context = getattr(exc, "ctx", None)
    if context is not None:
        see = tr("see '{command} --help'", command=context.command_path)
        sys.stderr.write(tr("tmall: hint: {hint}", hint=see) + "\n")
    return int(exc.exit_code)


if __name__ == "__main__":
    main()
