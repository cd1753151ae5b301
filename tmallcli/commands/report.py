"""``tmall report`` and ``tmall demo``: every score and audit a folder of exports allows,
one screen of results, and a self-contained HTML report (SPEC §11)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.run import Outcome, check_writable, run
from tmallcli.i18n import tr

if TYPE_CHECKING:
    from tmallcli.commands.options import Bundle
    from tmallcli.runs.dsr import StarOptions

app = typer.Typer()

DEMO_HTML = Path("tmall-demo-report.html")
TREND_DAYS = 90  # the HTML's trend next to each score (SPEC §15)

# One output option (SPEC §14): -o report.html writes the HTML page (self-contained, opens
# offline) and still prints the one-screen summary; .json / .md / .csv / .xlsx write that format.
# --out is the option's older name.
ReportOutput = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        "--out",
        metavar="FILE",
        help="Write to this file (atomically), in the format its extension names: .html the "
        "HTML report (the summary still printed), .json, .md, .csv, .xlsx (every table).",
        rich_help_panel=o.OUTPUT,
    ),
]
ReportFormat = Annotated[
    o.PageFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format (default: from the --output file's extension, else table).",
        rich_help_panel=o.OUTPUT,
        case_sensitive=False,
        show_default=False,
    ),
]
ReportCheck = Annotated[
    bool,
    typer.Option(
        "--check",
        metavar="",
        help="Exit 1 when a check fails: the service score below its threshold or computed from "
        "part of its metrics (unless --allow-partial), a DSR flag "
        "(< 4.6 / < 4.4), the human CS average below cs.min_average, a refund waiting past "
        "72 h, a bad review unanswered past reviews.reply_within_hours, an export older than "
        "freshness.max_lag_days (for cron).",
        rich_help_panel=o.RULES,
    ),
]


ReportLedger = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        metavar="FILE",
        help="Count the to-do's payouts from this payout ledger's open list (owed, not yet "
        "marked paid) and say how many are new today; the ledger is only read.",
        rich_help_panel=o.RULES,
    ),
]


def info(message: str) -> None:
    sys.stderr.write(f"tmall: {message}\n")


@app.command("report")
def report(
    directory: o.ExportDir = None,
    stars: o.Stars = None,
    summary: o.DsrSummary = None,
    ledger: ReportLedger = None,
    as_of: o.AsOf = None,
    config: o.ConfigFile = None,
    category: o.Category = None,
    check: ReportCheck = False,
    allow_partial: o.AllowPartial = False,
    history: o.HistoryFile = None,
    fmt: ReportFormat = None,
    output: ReportOutput = None,
    table: o.TableName = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    encoding: o.Encoding = None,
    sheet: o.Sheet = None,
    skip_bad_rows: o.SkipBadRows = False,
    no_cache: o.NoCache = False,
    cache_dir: o.CacheDir = None,
    debug: o.Debug = False,
) -> None:
    """店铺体检报告: every score and audit a folder of exports allows, on one screen.

    Finds each export in --dir by its headers (other files are ignored and listed on
    stderr), then runs DSR, 24h pickup, 延迟发货赔付 (a dry computation; with --ledger the
    to-do counts that ledger's open list, read only),
    旺旺 response, refunds, 基础服务考核分, 客服评价 (the last 30 days) and 中差评 triage as
    far as the exports allow. Prints each score against its threshold, the 3 factors that
    cost the most points with their evidence, and today's to-do counts; -o report.html
    writes the HTML report with charts and every table; -f json gives every section's JSON
    (each equal to its own command's); -o report.xlsx every table, one sheet each. DSR comes
    from the shop page's --stars / --summary (or a DSR summary file in the folder) when
    given, beside the reviews' own DSR columns if any.

    Example: tmall report --dir exports/ --as-of 2026-11-20 -o report.html --check
    """
    opts = o.bundle(locals())
    opts.output.page = True

    def program() -> Outcome:
        from tmallcli.errors import UsageError
        from tmallcli.runs.dsr import StarOptions

        if directory is None:
            raise UsageError(tr("give the folder of exports: --dir DIR"))
        return build(
            opts, StarOptions.of(stars, summary), ledger=ledger, allow_partial=allow_partial
        )

    run(program, opts.output, debug=debug)


@app.command("demo")
def demo(
    as_of: o.AsOf = None,
    config: o.ConfigFile = None,
    category: o.Category = None,
    check: ReportCheck = False,
    fmt: ReportFormat = None,
    output: ReportOutput = None,
    table: o.TableName = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    debug: o.Debug = False,
) -> None:
    """The shop report on the bundled sample shop (sample_data/), as of its export date.

    Prints the one-screen summary and writes tmall-demo-report.html in the current folder
    (-o to change, or -f for another format instead of the page). The sample is the
    repository's sample_data/ folder, or the same files regenerated into a temporary
    folder when tmall is installed without it.

    Example: tmall demo -o demo.html
    """
    if output is None and fmt is None and table is None:
        output = DEMO_HTML  # the demo's point: the page to open
    opts = o.bundle(locals())
    opts.output.page = True

    def program() -> Outcome:
        import tempfile
        from dataclasses import replace

        with tempfile.TemporaryDirectory(prefix="tmall-demo-") as scratch:
            folder, sample_as_of = sample_folder(Path(scratch))
            demo_opts = replace(
                opts,
                exports=replace(opts.exports, directory=folder),
                rules=replace(opts.rules, as_of=as_of or sample_as_of),
            )
            return build(demo_opts)

    run(program, opts.output, debug=debug)


def sample_folder(scratch: Path) -> tuple[Path, str | None]:
    """``sample_data/`` next to the package (a source checkout), else regenerated into
    ``scratch`` (the generator is deterministic: the same bytes); with its as-of date."""
    import json

    import tmallcli

    bundled = Path(tmallcli.__file__).resolve().parent.parent / "sample_data"
    if not (bundled / "manifest.json").is_file():
        from tmallcli.sample import bundled_sample

        bundled = scratch / "sample_data"
        bundled.mkdir()
        bundled_sample(bundled)
    manifest = json.loads((bundled / "manifest.json").read_text(encoding="utf-8"))
    as_of = manifest.get("as_of")
    return bundled, None if as_of is None else str(as_of)


def build(
    opts: Bundle,
    stars: StarOptions | None = None,
    *,
    ledger: Path | None = None,
    allow_partial: bool = False,
) -> Outcome:
    """Read the folder, compute every section, write the HTML page when -o names one, return
    the summary."""
    from tmallcli.commands.recording import keep
    from tmallcli.render.report import ShopSummary
    from tmallcli.runs.report import run_report

    def announce(files: dict[str, list[str]]) -> None:
        for kind, paths in files.items():
            info(kind + ": " + ", ".join(paths))  # names only: nothing to translate

    html = opts.output.output if opts.output.resolved_format() == "html" else None
    check_writable(html)  # before minutes of work, not after
    ctx = opts.rules.context()
    done = run_report(opts.exports, ctx, announce=announce, stars=stars, ledger=ledger)
    shop = done.result
    for ignored in shop.ignored:
        info(tr("ignored {path} ({reason})", path=ignored.path, reason=ignored.reason))
    # --history: today's figures recorded, then each score's last 90 days for the HTML.
    kept = keep(opts, shop, ctx, trend_days=TREND_DAYS if html is not None else 0)
    summary = ShopSummary(
        shop, freshness=done.freshness, allow_partial=allow_partial, trends=kept.trends
    )
    if html is not None:
        from tmallcli.render.html import render_html
        from tmallcli.render.writers import write_atomic

        write_atomic(html, render_html(summary, opts.output.lang.value).encode("utf-8"))
        info(
            tr(
                "wrote {html} (open it in a browser: file://{path})",
                html=html,
                path=html.resolve(),
            )
        )
    # --check: a failed score line (a partial service total among them unless --allow-partial),
    # or a stale export (SPEC §14); kept.outcome adds a figure dropped past history.max_drop.
    failed = summary.failed or done.stale
    outcome = Outcome.of(summary, done, check_failed=opts.rules.check and failed)
    if opts.rules.check and summary.partial_failed and shop.service is not None:
        from tmallcli.render.verdicts import partial_check_reason

        outcome.notes.append(partial_check_reason(shop.service.coverage))
    return kept.outcome(outcome)
