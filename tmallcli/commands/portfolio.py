"""``tmall portfolio SHOPS`` and ``tmall portfolio merge FILE…``: an agency's shops side by
side, worst first (SPEC §15)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from tmallcli.commands import options as o
from tmallcli.commands.run import Outcome, run
from tmallcli.i18n import tr

if TYPE_CHECKING:
    import click

    from tmallcli.runs.portfolio import Portfolio


class PortfolioGroup(TyperGroup):
    """``tmall portfolio SHOPS`` is the command itself, ``merge`` its one sub-command: the first
    word picks (a shop folder named ``merge`` is given as ``./merge``)."""

    allow_interspersed_args = True  # options after SHOPS, as every other command takes them

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] in self.commands:
            super().parse_args(ctx, [])  # the portfolio's own options keep their defaults
            ctx._protected_args, ctx.args = args[:1], args[1:]
            return ctx.args
        return super().parse_args(ctx, args)


app = typer.Typer(cls=PortfolioGroup, invoke_without_command=True, subcommand_metavar="")

PORTFOLIO = "Portfolio"
INDEX = "index.html"
TABLE_JSON = "portfolio.json"

Shops = Annotated[
    Path | None,
    typer.Argument(
        metavar="SHOPS",
        help="A folder with one sub-folder of exports per shop (a shop's tmall.yaml in its "
        "folder is its config), or a shops.yaml listing name, folder, category, config.",
        show_default=False,
    ),
]
Jobs = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        metavar="NUMBER",
        min=1,
        help="Shops reported at once, each in its own process (default: the number of cores).",
        rich_help_panel=PORTFOLIO,
        show_default=False,
    ),
]
OutDir = Annotated[
    Path,
    typer.Option(
        "--out-dir",
        metavar="FOLDER",
        help="Where the shops' reports (reports/<shop>.html and .json), index.html and "
        "portfolio.json are written (with --shard I/N: index-I-of-N.html, "
        "portfolio-I-of-N.json).",
        rich_help_panel=PORTFOLIO,
    ),
]
Shard = Annotated[
    str | None,
    typer.Option(
        "--shard",
        metavar="I/N",
        help="Only the I-th of N slices of the shops sorted by name (1/3, 2/3, 3/3 on three "
        "machines); join their JSON with `tmall portfolio merge`.",
        rich_help_panel=PORTFOLIO,
        show_default=False,
    ),
]
PortfolioCheck = Annotated[
    bool,
    typer.Option(
        "--check",
        metavar="",
        help="Exit 1 when a shop fails a check of `tmall report --check` (exit 2 when a shop's "
        "report could not be made, with or without --check).",
        rich_help_panel=o.RULES,
    ),
]


@app.callback()
def portfolio(
    context: typer.Context,
    shops: Shops = None,
    jobs: Jobs = None,
    out_dir: OutDir = Path("tmall-portfolio"),
    shard: Shard = None,
    as_of: o.AsOf = None,
    config: o.ConfigFile = None,
    category: o.Category = None,
    check: PortfolioCheck = False,
    allow_partial: o.AllowPartial = False,
    no_cache: o.NoCache = False,
    cache_dir: o.CacheDir = None,
    fmt: o.Format = None,
    output: o.OutputFile = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    debug: o.Debug = False,
) -> None:
    """店铺总览 (代运营): every shop's report, and one table of the shops, worst first.

    Runs `tmall report` on each shop's folder in parallel processes (--jobs), writes each
    shop's HTML and JSON report under --out-dir with index.html (the table, each shop
    linking its report) and portfolio.json, and prints the table: per shop its status,
    基础服务考核分 (with its coverage when partial), DSR, 24小时揽收及时率 and the checks it
    fails. Worst first: shops whose report failed (bad input: the row says why, the other
    shops still run), then shops failing a check, then the rest; within each, the lowest
    service score first. Exit 2 when a shop's report failed; with --check, 1 when a shop
    fails a check. --shard I/N runs one slice of the shops, for several machines.

    Example: tmall portfolio shops/ --as-of 2026-11-20 --jobs 2 --out-dir portfolio/ --check
    """
    if context.invoked_subcommand is not None:
        return
    opts = o.bundle(locals())
    worst = [0]

    def program() -> Outcome:
        from tmallcli.errors import UsageError

        if shops is None:
            raise UsageError(tr("give the shops: a folder of shop folders, or a shops.yaml"))
        done = run_portfolio(
            shops,
            opts,
            jobs=jobs or cores(),
            out_dir=out_dir,
            shard=shard,
            allow_partial=allow_partial,
        )
        return outcome_of(done, check=check, worst=worst)

    exit_worst(lambda: run(program, opts.output, debug=debug), worst)


@app.command("merge")
def merge(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FILE...",
            help="The shards' JSON (tmall portfolio -f json, or their portfolio.json).",
            show_default=False,
        ),
    ] = None,
    index: Annotated[
        Path | None,
        typer.Option(
            "--index",
            metavar="FILE",
            help="Also write an HTML index of the merged table there, each shop linking its "
            "report (links relative to the index, to the report paths the shards wrote).",
            rich_help_panel=o.OUTPUT,
        ),
    ] = None,
    check: PortfolioCheck = False,
    fmt: o.Format = None,
    output: o.OutputFile = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    debug: o.Debug = False,
) -> None:
    """店铺总览合并: the shards' tables as one, worst first (the JSON of `tmall portfolio`).

    Each shop must be in one file only (a shard run twice is exit 2), and the files of one
    day. The exit code is the shops' as in `tmall portfolio`: 2 when a shop's report failed,
    with --check 1 when a shop fails a check.

    Example: tmall portfolio merge shard-1.json shard-2.json shard-3.json -o portfolio.json
    """
    opts = o.bundle(locals())
    worst = [0]

    def program() -> Outcome:
        from tmallcli.errors import UsageError
        from tmallcli.runs.portfolio import merge_portfolios

        if not files:
            raise UsageError(tr("give the shards' JSON files to merge"))
        merged = merge_portfolios(files)
        if index is not None:
            write_index(merged, index, opts.output.lang.value)
        return outcome_of(merged, check=check, worst=worst)

    exit_worst(lambda: run(program, opts.output, debug=debug), worst)


def cores() -> int:
    """The cores this process may use (a container's or taskset's share, where the system
    says), the default of --jobs."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def exit_worst(body: Any, worst: list[int]) -> None:
    """``body`` (the command's run), ending with 2 when a shop's report failed: the table is
    printed first, as for any other shop."""
    try:
        body()
    except typer.Exit as exc:
        if exc.exit_code in (0, 1) and worst[0] == 2:
            raise typer.Exit(2) from None
        raise


def outcome_of(done: Portfolio, *, check: bool, worst: list[int]) -> Outcome:
    from tmallcli.render.portfolio import PortfolioReport
    from tmallcli.runs.portfolio import exit_status

    worst[0] = exit_status(done.rows, check=check)
    notes = [
        tr("shop {shop}: {error}", shop=row.shop, error=row.error)
        for row in done.rows
        if row.status == "error"
    ]
    return Outcome(PortfolioReport(done), check_failed=worst[0] == 1, notes=notes)


def write_index(done: Portfolio, index: Path, lang: str) -> None:
    from tmallcli.render.portfolio import PortfolioReport, index_html
    from tmallcli.render.writers import write_atomic

    write_atomic(index, index_html(PortfolioReport(done), index, lang).encode("utf-8"))


def run_portfolio(
    shops: Path,
    opts: o.Bundle,
    *,
    jobs: int,
    out_dir: Path,
    shard: str | None,
    allow_partial: bool,
) -> Portfolio:
    """The shops found, sliced, reported in parallel; the table, index.html and
    portfolio.json written in ``out_dir``."""
    from dataclasses import replace

    from tmallcli import i18n
    from tmallcli.commands.portfolio_shop import report_shop
    from tmallcli.render.portfolio import PortfolioReport
    from tmallcli.render.progress import progress
    from tmallcli.render.writers import to_json_bytes, write_atomic
    from tmallcli.runs.portfolio import (
        Portfolio,
        ShopJob,
        find_shops,
        parse_shard,
        report_file_name,
        run_shops,
        worst_first,
    )
    from tmallcli.timeframe import resolve_as_of

    slice_ = None if shard is None else parse_shard(shard)
    as_of = resolve_as_of(opts.rules.as_of).date.isoformat()  # bad --as-of: before any work
    found = find_shops(shops)
    if slice_ is not None:
        from tmallcli.runs.portfolio import shard as slice_of

        found = slice_of(found, *slice_)
    out_dir.mkdir(parents=True, exist_ok=True)
    reports = out_dir / "reports"
    todo = [
        ShopJob(
            shop,
            opts.rules.as_of,
            reports / (report_file_name(shop.name) + ".html"),
            reports / (report_file_name(shop.name) + ".json"),
            config=opts.rules.config,
            category=opts.rules.category,
            allow_partial=allow_partial,
            lang=i18n.language(),
            exports=replace(opts.exports, progress=None),  # sent to another process
        )
        for shop in found
    ]
    with progress("portfolio", len(todo)) as bar:
        rows = run_shops(todo, report_shop, jobs, done=lambda row: bar.advance(row.shop))
    done = Portfolio(as_of, worst_first(rows), slice_)
    index, table = out_dir / INDEX, out_dir / TABLE_JSON
    if slice_ is not None:  # shards sharing one folder (a network volume) keep their own tables
        index = out_dir / f"index-{slice_[0]}-of-{slice_[1]}.html"
        table = out_dir / f"portfolio-{slice_[0]}-of-{slice_[1]}.json"
    write_index(done, index, opts.output.lang.value)
    write_atomic(table, to_json_bytes(PortfolioReport(done), []))
    return done
