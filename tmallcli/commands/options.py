"""Shared command-line options, defined once as ``Annotated`` aliases and reused by every command.

Nothing here imports Polars or Rich: ``tmall --help`` must stay fast.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tmallcli.exports.kinds import KIND_NAMES, OPTION_NAMES
from tmallcli.i18n import tr
from tmallcli.runs.context import Exports

if TYPE_CHECKING:
    from tmallcli.runs.context import RunContext

# The export options, named as the kinds of export they give (``--cs-ratings`` gives cs_ratings).
EXPORT_OPTIONS = KIND_NAMES


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    xlsx = "xlsx"


class PageFormat(str, Enum):
    """``tmall report`` / ``demo``: the formats of every command, and the HTML page."""

    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    xlsx = "xlsx"
    html = "html"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


INPUTS = "Inputs"
OUTPUT = "Output"
RULES = "Rules"


def _check_day(value: str | None) -> str | None:
    """Reject a malformed date while parsing options: a usage error imports nothing heavy."""
    if value is not None:
        try:
            date.fromisoformat(value.strip())
        except ValueError:
            problem = tr("--as-of: not a date in the form YYYY-MM-DD (got {value!r})", value=value)
            sys.stderr.write(tr("tmall: error: {message}", message=problem) + "\n")
            raise typer.Exit(2) from None
    return value


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        callback=_check_day,
        help="Report date T (YYYY-MM-DD, Asia/Shanghai). Default: today; the as-of instant is "
        "T 23:59:59, or now when not given.",
        rich_help_panel=RULES,
    ),
]
ConfigFile = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="User YAML deep-merged over config/default.yaml (default: ./tmall.yaml if present).",
        rich_help_panel=RULES,
    ),
]
Category = Annotated[
    str | None,
    typer.Option(
        "--category",
        metavar="CATEGORY",
        help="Category block of the config (类目), e.g. 女装.",
        rich_help_panel=RULES,
    ),
]
Check = Annotated[
    bool,
    typer.Option(
        "--check",
        metavar="",
        help="Exit 1 when a threshold fails, a flag is raised or an export is older than "
        "freshness.max_lag_days (for cron).",
        rich_help_panel=RULES,
    ),
]
AllowPartial = Annotated[
    bool,
    typer.Option(
        "--allow-partial",
        metavar="",
        help="With --check: judge a service score total computed from part of the metrics "
        "(an export missing) like a whole one, instead of exiting 1.",
        rich_help_panel=RULES,
    ),
]
Format = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format (default: from the --output file's extension .json / .csv / .md / "
        ".xlsx, else table).",
        rich_help_panel=OUTPUT,
        case_sensitive=False,
        show_default=False,
    ),
]
OutputFile = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to this file (atomically) instead of stdout.",
        rich_help_panel=OUTPUT,
    ),
]
TableName = Annotated[
    str | None,
    typer.Option(
        "--table",
        metavar="NAME",
        help="Which of the command's tables the table / csv / md / xlsx output carries (default: "
        "the main list for csv, every table otherwise); an unknown NAME lists the names.",
        rich_help_panel=OUTPUT,
        show_default=False,
    ),
]
NoBom = Annotated[
    bool,
    typer.Option(
        "--no-bom",
        metavar="",
        help="Do not start a CSV file with a UTF-8 BOM (Excel needs it).",
        rich_help_panel=OUTPUT,
    ),
]


def _choose_lang(ctx: typer.Context, value: Lang) -> Lang:
    """``--lang`` given: messages speak it from here on (SPEC §14; cli.root chose the rest)."""
    source = ctx.get_parameter_source("lang")
    if source is not None and source.name == "COMMANDLINE":
        from tmallcli import i18n

        i18n.choose(["--lang", value.value])
    return value


LangOpt = Annotated[
    Lang,
    typer.Option(
        "--lang",
        callback=_choose_lang,
        help="Language of labels and messages: zh (platform terms) or en. Messages also "
        "follow TMALL_LANG, else the config's lang.",
        rich_help_panel=OUTPUT,
        case_sensitive=False,
    ),
]
Debug = Annotated[
    bool,
    typer.Option(
        "--debug", metavar="", help="Show the traceback of an error.", rich_help_panel=OUTPUT
    ),
]

MinRate = Annotated[
    float | None,
    typer.Option(
        "--min-rate",
        metavar="RATE",
        min=0.0,
        max=1.0,
        help="Target rate 0–1 (e.g. 0.95): below it the rate shows red, and --check exits 1.",
        rich_help_panel=RULES,
    ),
]
Limit = Annotated[
    int | None,
    typer.Option(
        "--limit",
        metavar="ROWS",
        min=0,
        help="How many rows the command's main list shows (default: from the config; 0 = all).",
        rich_help_panel=OUTPUT,
    ),
]

_FILES_HELP = "a file, a glob or a folder; repeatable"


def _export_option(kind: str, what: str) -> typer.models.OptionInfo:
    """The option giving one kind's files, named as exports/kinds.py names it."""
    return typer.Option(
        OPTION_NAMES[kind], metavar="FILE", help=f"{what} ({_FILES_HELP}).", rich_help_panel=INPUTS
    )


Orders = Annotated[list[str] | None, _export_option("orders", "Orders export 订单报表")]
Logistics = Annotated[list[str] | None, _export_option("logistics", "Tracking events 物流详情")]
Reviews = Annotated[list[str] | None, _export_option("reviews", "Reviews export 评价")]
Refunds = Annotated[list[str] | None, _export_option("refunds", "Refunds export 退款")]
Chats = Annotated[list[str] | None, _export_option("chats", "旺旺/千牛 chat messages")]
CsRatings = Annotated[list[str] | None, _export_option("cs_ratings", "客服评价 ratings")]
Complaints = Annotated[list[str] | None, _export_option("complaints", "投诉 complaints")]
# The shop's DSR page (SPEC §3): its star counts, typed or written down in a small file.
Stars = Annotated[
    list[str] | None,
    typer.Option(
        "--stars",
        metavar="DIMENSION=COUNTS",
        help="The DSR page's star counts of one dimension, 5★ to 1★: description=30,10,5,3,2 "
        "(also service, logistics, or 描述相符 / 服务态度 / 物流服务); repeatable.",
        rich_help_panel=INPUTS,
    ),
]
DsrSummary = Annotated[
    list[Path] | None,
    typer.Option(
        "--summary",
        metavar="FILE",
        help="A small CSV / Excel / YAML file of the DSR page: per dimension the five star "
        "counts, or the raters and the five percentages, or the score and the raters.",
        rich_help_panel=INPUTS,
    ),
]
OrderItems = Annotated[
    list[str] | None,
    _export_option(
        "order_items",
        "Item-detail export 宝贝报表 ExportOrderDetailList: names each order's items; "
        "alone, with payment columns, read as the orders",
    ),
]
ExportDir = Annotated[
    Path | None,
    typer.Option(
        "--dir",
        metavar="FOLDER",
        help="Folder of exports; each kind is found by its headers.",
        rich_help_panel=INPUTS,
    ),
]
Encoding = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        metavar="ENCODING",
        help="Force the input encoding (default: strict UTF-8, else GB18030).",
        rich_help_panel=INPUTS,
    ),
]
Sheet = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        metavar="SHEET",
        help="Read this sheet of an .xlsx export (default: every sheet, each classified by its "
        "headers).",
        rich_help_panel=INPUTS,
    ),
]
HistoryFile = Annotated[
    Path | None,
    typer.Option(
        "--history",
        metavar="FILE",
        help="SQLite history: record this run's headline figures for the shop and T (a re-run "
        "of the day replaces them; created on first use); with --check, exit 1 when one "
        "worsened by more than history.max_drop since the previous recorded day.",
        rich_help_panel=RULES,
    ),
]
SkipBadRows = Annotated[
    bool,
    typer.Option(
        "--skip-bad-rows",
        metavar="",
        help="Drop rows with bad values and report them instead of failing.",
        rich_help_panel=INPUTS,
    ),
]

NoCache = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        metavar="",
        help="Parse the exports without the parsed-export cache (neither read nor written).",
        rich_help_panel=INPUTS,
    ),
]
CacheDir = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        metavar="FOLDER",
        help="Folder of the parsed-export cache (default: $TMALL_CACHE_DIR, else the user "
        "cache folder, e.g. ~/.cache/tmallcli).",
        rich_help_panel=INPUTS,
        show_default=False,
    ),
]


# The output formats a file's extension names (SPEC §14: -o 红包.csv writes CSV).
EXTENSION_FORMATS = {
    ".json": "json",
    ".csv": "csv",
    ".md": "md",
    ".markdown": "md",
    ".xlsx": "xlsx",
}
# ... and for the report, whose page is HTML (another command's -o x.html is its table as text).
PAGE_EXTENSIONS = {".html": "html", ".htm": "html"}


@dataclass
class OutputOptions:
    format: OutputFormat | PageFormat | None = None  # None: from the file's extension, else table
    output: Path | None = None
    bom: bool = True
    lang: Lang = Lang.zh
    table: str | None = None  # --table NAME: one of the command's tables
    page: bool = False  # the command has an HTML page (report, demo)

    def resolved_format(self) -> str:
        """``--format``, else the one the ``--output`` file's extension names, else table; a
        format that contradicts the extension (``-f table -o 红包.csv``) is a usage error, and
        so are an .xlsx workbook to stdout and ``--table`` with JSON or the HTML page (they
        carry every table)."""
        from tmallcli.errors import UsageError

        extensions = {**EXTENSION_FORMATS, **PAGE_EXTENSIONS} if self.page else EXTENSION_FORMATS
        named = None if self.output is None else extensions.get(self.output.suffix.lower())
        if self.format is None:
            fmt = named or OutputFormat.table.value
        elif named is not None and named != self.format.value:
            raise UsageError(
                tr(
                    "--format {value} contradicts the output file {output} (its extension means {named}): drop --format or change the file name",
                    value=self.format.value,
                    output=self.output,
                    named=named,
                )
            )
        else:
            fmt = self.format.value
        if fmt in ("xlsx", "html") and self.output is None:
            raise UsageError(
                tr("--format {fmt} writes a file: give it with -o FILE.{fmt}", fmt=fmt)
            )
        if self.table is not None and fmt in ("json", "html"):
            raise UsageError(
                tr(
                    "--table picks one table for table, csv, md or xlsx output; {fmt} carries them all",
                    fmt=fmt,
                )
            )
        return fmt


@dataclass
class RuleOptions:
    as_of: str | None = None
    config: Path | None = None
    category: str | None = None
    check: bool = False

    def context(self) -> RunContext:
        """Load the config, pick the category, resolve T (see :func:`tmallcli.runs.context.context`)."""
        from tmallcli.runs.context import context

        return context(self.as_of, self.config, self.category)


@dataclass
class Bundle:
    """The options every command shares, gathered once: where the exports are, the rules'
    options, how to write the output."""

    exports: Exports
    rules: RuleOptions
    output: OutputOptions
    debug: bool = False
    history: Path | None = None  # --history FILE (SPEC §15)


def bundle(params: Mapping[str, Any]) -> Bundle:
    """The shared options out of a command's parameters (its ``locals()``), by their names
    here: the export options (``--orders`` … ``--dir``, ``--encoding``, ``--sheet``,
    ``--skip-bad-rows``, ``--no-cache``, ``--cache-dir``), the rules' (``--as-of``, ``--config``, ``--category``, ``--check``)
    and the output's (``--format``, ``--output``, ``--no-bom``, ``--lang``, ``--debug``)."""
    from tmallcli.render.progress import progress

    files = {kind: list(params[kind]) for kind in EXPORT_OPTIONS if params.get(kind)}
    return Bundle(
        exports=Exports(
            files,
            directory=params.get("directory"),
            encoding=params.get("encoding"),
            sheet=params.get("sheet"),
            skip_bad_rows=bool(params.get("skip_bad_rows", False)),
            cache=not params.get("no_cache", False),
            cache_dir=params.get("cache_dir"),
            progress=progress,
        ),
        rules=RuleOptions(
            as_of=params.get("as_of"),
            config=params.get("config"),
            category=params.get("category"),
            check=bool(params.get("check", False)),
        ),
        output=OutputOptions(
            format=params.get("fmt"),
            output=params.get("output"),
            bom=not params.get("no_bom", False),
            lang=params.get("lang", Lang.zh),
            table=params.get("table"),
        ),
        debug=bool(params.get("debug", False)),
        history=params.get("history"),
    )
