"""One shop of ``tmall portfolio``: its report, written as HTML and JSON, and its table row.

Runs in a worker process (sent there by name: a module-level function of a module that imports
nothing heavy at its top). It is ``tmall report --dir SHOP -o report.html`` without a terminal:
no progress bar, nothing on stderr — the portfolio's table says what the shop's run said.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tmallcli.runs.portfolio import ShopJob, ShopRow

if TYPE_CHECKING:
    from tmallcli.render.report import ShopSummary


def report_shop(job: ShopJob) -> ShopRow:
    """``job``'s shop reported; bad input (an export, its config, a missing folder) is the
    row's error: the one line ``tmall report`` would print."""
    import gc
    from dataclasses import replace

    from tmallcli import i18n
    from tmallcli.commands.run import GC_THRESHOLD
    from tmallcli.errors import TmallError
    from tmallcli.render.html import render_html
    from tmallcli.render.report import ShopSummary
    from tmallcli.render.writers import to_json_bytes, write_atomic
    from tmallcli.runs.context import context
    from tmallcli.runs.report import run_report

    i18n.use(job.lang)  # a worker process starts without the portfolio's choice
    gc.set_threshold(*GC_THRESHOLD)  # as `tmall report` runs (commands/run.py says why)
    shop = job.shop
    try:
        ctx = context(job.as_of, shop.config or job.config, shop.category or job.category)
        exports = replace(job.exports, directory=shop.folder, files={}, progress=None)
        done = run_report(exports, ctx)
        summary = ShopSummary(
            done.result, freshness=done.freshness, allow_partial=job.allow_partial
        )
        job.html.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(job.html, render_html(summary, job.lang).encode("utf-8"))
        write_atomic(job.json, to_json_bytes(summary, done.input_warnings, done.freshness))
    except TmallError as exc:
        return ShopRow(shop.name, "error", exc.message)
    return headline(shop.name, summary, job)


def headline(name: str, summary: ShopSummary, job: ShopJob) -> ShopRow:
    """The row: the figures as the report's summary gives them (its JSON ``summary.scores``)."""
    values = {line.key: line.value for line in summary.score_lines()}
    failed = [line.key for line in summary.failed_checks()]
    service = summary.report.service
    coverage = None if service is None else service.coverage

    def number(key: str) -> float | None:
        value = values.get(key)
        return None if value is None else float(value)

    stale = [] if summary.freshness is None else [s.kind for s in summary.freshness.stale]
    return ShopRow(
        name,
        "check_failed" if failed or stale else "ok",
        service_total=number("service_total"),
        partial=coverage is not None and coverage.partial,
        failed_checks=failed,
        report=str(job.html),
        report_json=str(job.json),
        category=summary.report.category,
        metrics_used=None if coverage is None else coverage.metrics_used,
        metrics_total=None if coverage is None else coverage.metrics_total,
        dsr_description=number("dsr.description"),
        dsr_service=number("dsr.service"),
        dsr_logistics=number("dsr.logistics"),
        pickup_24h_rate=number("pickup_24h_rate"),
        stale=stale,
    )
