"""One function per command: load what it needs, call the metrics, return a typed result.

The sqlite-utils ``db.py`` of this project (STYLE.md): the Typer commands in
:mod:`tmallcli.commands` parse options, call a run and render its result; ``tmall report`` calls
the same parts on exports it loads once. Nothing else loads exports. Every run result records
what it read (:class:`~tmallcli.runs.context.Read`: kind, files, rows, newest row time).

Modules import Polars inside functions or under ``TYPE_CHECKING`` where the CLI imports them at
start-up (``tmall --help`` must not import Polars).
"""
