"""``tmall data check``: each export's kind, column mapping, rows, dates and problems."""

from __future__ import annotations

from typing import Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.data import app
from tmallcli.commands.run import Outcome, run
from tmallcli.exports.kinds import KIND_NAMES


@app.command("check")
def check(
    files: Annotated[
        list[str], typer.Argument(metavar="FILE", help="Export files, globs or folders.")
    ],
    kind: Annotated[
        str | None,
        typer.Option("--kind", metavar="KIND", help=f"Read as this kind: {', '.join(KIND_NAMES)}."),
    ] = None,
    config: o.ConfigFile = None,
    as_of: o.AsOf = None,
    check: o.Check = False,
    fmt: o.Format = None,
    output: o.OutputFile = None,
    table: o.TableName = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    encoding: o.Encoding = None,
    sheet: o.Sheet = None,
    debug: o.Debug = False,
) -> None:
    """Detect each file's kind from its headers; print the column mapping, rows, date range and every problem.

    For the headers it could not map, it prints a commented `columns:` block to paste into
    tmall.yaml (your own mapping, read by every command). With --check, exit 1 when any
    problem is found, or when an export's newest row is older than the as-of date (default
    today) minus freshness.max_lag_days.

    Example: tmall data check ExportOrderList20261120.csv reviews.csv
    """
    opts = o.bundle(locals())

    def program() -> Outcome:
        from tmallcli.render.check import CheckReport
        from tmallcli.runs.data import run_data_check

        done = run_data_check(
            files, kind, encoding=encoding, sheet=sheet, config=config, as_of=as_of
        )
        report = CheckReport(done.result)
        failed = report.problem_count > 0 or done.stale
        return Outcome.of(report, done, check_failed=check and failed)

    run(program, opts.output, debug=debug)
