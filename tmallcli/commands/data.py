"""``tmall data …``: inspect seller-center exports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.run import Outcome, run
from tmallcli.exports.kinds import KIND_NAMES

app = typer.Typer(help="Inspect exports: kind, column mapping, problems.", no_args_is_help=True)


@app.command("check")
def check(
    files: Annotated[list[str], typer.Argument(help="Export files, globs or folders.")],
    kind: Annotated[
        str | None, typer.Option("--kind", help=f"Read as this kind: {', '.join(KIND_NAMES)}.")
    ] = None,
    check: o.Check = False,
    fmt: o.Format = o.OutputFormat.table,
    output: o.OutputFile = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    encoding: o.Encoding = None,
    sheet: o.Sheet = None,
    debug: o.Debug = False,
) -> None:
    """Detect each file's kind from its headers; print the column mapping, rows, date range and every problem.

    With --check, exit 1 when any problem is found.

    Example: tmall data check ExportOrderList20261120.csv reviews.csv
    """
    out = o.OutputOptions(format=fmt, output=output, bom=not no_bom, lang=lang)

    def program() -> Outcome:
        import shutil
        import tempfile

        from tmallcli.errors import UsageError
        from tmallcli.exports.check import check_files
        from tmallcli.exports.paths import expand_paths
        from tmallcli.exports.reader import ExportReader, ReadOptions
        from tmallcli.render.check import CheckReport

        if kind is not None and kind not in KIND_NAMES:
            raise UsageError(f"--kind: unknown kind {kind!r} (one of {', '.join(KIND_NAMES)})")
        workdir = Path(tempfile.mkdtemp(prefix="tmall-"))
        try:
            reader = ExportReader(workdir, ReadOptions(encoding=encoding, sheet=sheet))
            report = CheckReport(check_files(reader, expand_paths(files), kind))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        return Outcome(report, check_failed=check and report.problem_count > 0)

    run(program, out, debug=debug)
