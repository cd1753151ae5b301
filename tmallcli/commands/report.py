"""``tmall report`` and ``tmall demo``: every score and audit a folder of exports allows,
one screen of results, and a self-contained HTML report (SPEC §11)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.run import Outcome, check_writable, run

if TYPE_CHECKING:
    from tmallcli.commands.options import Bundle
    from tmallcli.runs.dsr import StarOptions

app = typer.Typer()

DEMO_HTML = Path("tmall-demo-report.html")

HtmlOut = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Write the HTML report (self-contained, opens offline) to this file, atomically.",
        rich_help_panel=o.OUTPUT,
    ),
]
DemoOut = Annotated[
    Path,
    typer.Option(
        "--out",
        help="Where to write the HTML report.",
        rich_help_panel=o.OUTPUT,
    ),
]
ReportCheck = Annotated[
    bool,
    typer.Option(
        "--check",
        help="Exit 1 when a check fails: the service score below its threshold, a DSR flag "
        "(< 4.6 / < 4.4), the human CS average below cs.min_average, a refund waiting past "
        "72 h, a bad review unanswered past reviews.reply_within_hours, an export older than "
        "freshness.max_lag_days (for cron).",
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
    out: HtmlOut = None,
    as_of: o.AsOf = None,
    config: o.ConfigFile = None,
    category: o.Category = None,
    check: ReportCheck = False,
    fmt: o.Format = None,
    output: o.OutputFile = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    encoding: o.Encoding = None,
    sheet: o.Sheet = None,
    skip_bad_rows: o.SkipBadRows = False,
    debug: o.Debug = False,
) -> None:
    """店铺体检报告: every score and audit a folder of exports allows, on one screen.

    Finds each export in --dir by its headers (other files are ignored and listed on
    stderr), then runs DSR, 24h pickup, 延迟发货赔付 (a dry computation, never a ledger),
    旺旺 response, refunds, 基础服务考核分, 客服评价 (the last 30 days) and 中差评 triage as
    far as the exports allow. Prints each score against its threshold, the 3 factors that
    cost the most points with their evidence, and today's to-do counts; --out writes the
    HTML report with charts and every table; -f json gives every section's JSON (each
    equal to its own command's). DSR comes from the shop page's --stars / --summary (or a
    DSR summary file in the folder) when given, beside the reviews' own DSR columns if any.

    Example: tmall report --dir exports/ --as-of 2026-11-20 --out report.html --check
    """
    opts = o.bundle(locals())

    def program() -> Outcome:
        from tmallcli.errors import UsageError
        from tmallcli.runs.dsr import StarOptions

        if directory is None:
            raise UsageError("give the folder of exports: --dir DIR")
        return build(opts, out, StarOptions.of(stars, summary))

    run(program, opts.output, debug=debug)


@app.command("demo")
def demo(
    out: DemoOut = DEMO_HTML,
    as_of: o.AsOf = None,
    config: o.ConfigFile = None,
    category: o.Category = None,
    check: ReportCheck = False,
    fmt: o.Format = None,
    output: o.OutputFile = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    debug: o.Debug = False,
) -> None:
    """The shop report on the bundled sample shop (sample_data/), as of its export date.

    Prints the one-screen summary and writes tmall-demo-report.html in the current folder
    (--out to change). The sample is the repository's sample_data/ folder, or the same
    files regenerated into a temporary folder when tmall is installed without it.

    Example: tmall demo --out demo.html
    """
    opts = o.bundle(locals())

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
            return build(demo_opts, out)

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


def build(opts: Bundle, html: Path | None, stars: StarOptions | None = None) -> Outcome:
    """Read the folder, compute every section, write the HTML, return the summary."""
    from tmallcli.render.report import ShopSummary
    from tmallcli.runs.report import run_report

    def announce(files: dict[str, list[str]]) -> None:
        for kind, paths in files.items():
            info(f"{kind}: {', '.join(paths)}")

    check_writable(html)  # before minutes of work, not after
    done = run_report(opts.exports, opts.rules.context(), announce=announce, stars=stars)
    shop = done.result
    for ignored in shop.ignored:
        info(f"ignored {ignored.path} ({ignored.reason})")
    summary = ShopSummary(shop, done.freshness)
    if html is not None:
        from tmallcli.render.html import render_html
        from tmallcli.render.writers import write_atomic

        write_atomic(html, render_html(summary, opts.output.lang.value).encode("utf-8"))
        info(f"wrote {html} (open it in a browser: file://{html.resolve()})")
    return Outcome.of(
        summary, done, check_failed=opts.rules.check and (summary.failed or done.stale)
    )
