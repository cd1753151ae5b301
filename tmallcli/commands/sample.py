"""``tmall sample``: generate a consistent demo shop (CLI glue over :mod:`tmallcli.sample`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from tmallcli.commands.run import error_line
from tmallcli.errors import TmallError, UsageError
from tmallcli.i18n import tr

app = typer.Typer()

DEFAULT_AS_OF = "2026-11-20"  # the bundled sample_data/ date; fixed so a seed gives the same files


@app.command("sample")
def sample(
    orders: Annotated[
        int, typer.Option("--orders", metavar="NUMBER", help="Number of orders to generate.")
    ] = 2000,
    seed: Annotated[
        int,
        typer.Option(
            "--seed",
            metavar="NUMBER",
            help="Random seed: the same seed gives byte-identical files.",
        ),
    ] = 7,
    out: Annotated[
        Path,
        typer.Option(
            "--out", metavar="FOLDER", help="Folder to write the exports and manifest.json into."
        ),
    ] = Path("sample_out"),
    encoding: Annotated[
        str,
        typer.Option(
            "--encoding",
            metavar="ENCODING",
            help="File encoding: utf-8, or gb18030 as the classic 订单报表.",
        ),
    ] = "utf-8",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help=f"The shop's export date T (YYYY-MM-DD). Default: {DEFAULT_AS_OF}.",
        ),
    ] = None,
    excel_wrappers: Annotated[
        bool,
        typer.Option(
            "--excel-wrappers",
            metavar="",
            help='Protect ids in the orders export as Excel leaves them: ="…", a leading tab or \', CRLF.',
        ),
    ] = False,
) -> None:
    """Generate one consistent shop: orders, tracking events, reviews, refunds, 旺旺 chats,
    客服评价 and complaints, with the same orders, buyers and refunds across the files and
    realistic problems planted (late pickups, bad reviews, slow refunds, missed chats).

    Deterministic for a seed; fast enough for 10 million orders (benchmarks).

    Example: tmall sample --orders 100000 --seed 7 --out shop100k
    """
    try:
        _generate(orders, seed, out, encoding, as_of, excel_wrappers)
    except TmallError as exc:
        error_line(exc.message, exc.hint)
        raise typer.Exit(int(exc.exit_status)) from None


def _generate(
    orders: int, seed: int, out: Path, encoding: str, as_of: str | None, excel_wrappers: bool
) -> None:
    from tmallcli.timeframe import parse_day

    day = parse_day("--as-of", as_of if as_of is not None else DEFAULT_AS_OF)
    if encoding.lower().replace("_", "-") not in ("utf-8", "utf8", "gb18030"):
        raise UsageError(
            tr("--encoding must be utf-8 or gb18030 (got {encoding!r})", encoding=encoding)
        )
    if orders < 1:
        raise UsageError(tr("--orders must be at least 1 (got {orders})", orders=orders))

    from tmallcli.sample import generate_shop

    on_terminal = sys.stderr.isatty()

    def progress(message: str) -> None:
        if on_terminal:
            sys.stderr.write(f"\rtmall sample: {message}")
            sys.stderr.flush()

    written = generate_shop(
        out,
        orders=orders,
        seed=seed,
        as_of=day,
        encoding=encoding,
        progress=progress,
        wrappers=excel_wrappers,
    )
    if on_terminal:
        sys.stderr.write("\n")
    import json

    rows = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["rows"]
    wrote = tr(
        "tmall sample: wrote {out} (seed {seed}, as of {day}, {encoding})",
        out=out,
        seed=seed,
        day=f"{day:%Y-%m-%d}",
        encoding=encoding,
    )
    sys.stderr.write(wrote + "\n")
    for kind, paths in written.items():
        for path in paths:
            count = tr("{rows:>12,} rows", rows=rows[kind])
            sys.stderr.write(f"  {kind:<11} {count}  {path.name}\n")
