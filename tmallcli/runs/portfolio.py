"""``tmall portfolio``: an agency's shops, each shop's report, one table worst first (SPEC §15).

The shops come from a folder of shop folders or a ``shops.yaml``
(:mod:`tmallcli.config.shops`); ``--shard i/n`` keeps the i-th of n slices of them, sorted by
name, so n machines (cron on each, or a Kubernetes Indexed Job) share one portfolio without
overlap; each shop's report runs in its own worker process, at most ``--jobs`` at a time, and
hands back one small :class:`ShopRow` (the page and the JSON are written by the worker, not
carried back). ``portfolio merge`` joins the shards' JSON into one table.

The worker itself (one shop's report, written as HTML and JSON) is the CLI's
(``tmallcli.commands.portfolio_shop``): it renders, which runs do not.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from tmallcli.errors import InputError, UsageError
from tmallcli.i18n import tr
from tmallcli.runs.context import Exports

SHOPS_FILES = (".yaml", ".yml")
SHOP_CONFIG = "tmall.yaml"  # a shop folder's own config (its shop.name, category, rules)

# Worst first: a shop whose report could not be made, then one failing a check, then the rest;
# within each, the lowest 基础服务考核分 first (a shop without one before those with one: it is
# not known to be fine), then by name.
STATUS_ORDER = ("error", "check_failed", "ok")


@dataclass(frozen=True)
class Shop:
    name: str
    folder: Path  # the shop's exports
    config: Path | None = None  # its tmall.yaml (None: the portfolio's --config, else ./tmall.yaml)
    category: str | None = None  # None: the portfolio's --category, else the config's default


@dataclass(frozen=True)
class ShopJob:
    """What one worker needs for one shop: small and picklable (sent to another process)."""

    shop: Shop
    as_of: str | None
    html: Path
    json: Path
    config: Path | None = None  # the portfolio's --config, when the shop has none of its own
    category: str | None = None
    allow_partial: bool = False
    lang: str = "zh"
    # How the portfolio reads exports (its reading options; the shop's folder replaces the
    # folder): every shop read alike.
    exports: Exports = field(default_factory=Exports)


@dataclass
class ShopRow:
    """One shop's line of the portfolio table: its headline figures and verdicts."""

    shop: str
    status: str  # ok | check_failed | error
    error: str | None = None  # the one line `tmall report` would print (status error)
    service_total: float | None = None
    partial: bool = False
    failed_checks: list[str] = field(default_factory=list)
    report: str | None = None  # the shop's HTML report
    report_json: str | None = None
    category: str | None = None
    metrics_used: int | None = None
    metrics_total: int | None = None
    dsr_description: float | None = None
    dsr_service: float | None = None
    dsr_logistics: float | None = None
    pickup_24h_rate: float | None = None
    # The exports older than freshness.max_lag_days (SPEC §14): a stale shop fails --check.
    stale: list[str] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        return {"error": 2, "check_failed": 1}.get(self.status, 0)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Portfolio:
    as_of: str
    rows: list[ShopRow]
    shard: tuple[int, int] | None = None


def worst_first(rows: Iterable[ShopRow]) -> list[ShopRow]:
    def rank(row: ShopRow) -> tuple[int, int, float, str]:
        total = row.service_total
        return (
            STATUS_ORDER.index(row.status),
            0 if total is None else 1,
            0.0 if total is None else total,
            row.shop,
        )

    return sorted(rows, key=rank)


def exit_status(rows: Sequence[ShopRow], *, check: bool) -> int:
    """The worst of the shops' exit codes: 2 (an error) > 1 (a check failed, with --check) > 0."""
    worst = max((row.exit_status for row in rows), default=0)
    return worst if check or worst == 2 else 0


# ------------------------------------------------------------------------------ the shops


def configured_name(config: Path | None) -> str | None:
    """The config's ``shop.name``, read lightly before any run (to sort and shard by it); a
    config that cannot be read is the shop's error row later, not here."""
    import yaml

    if config is None or not config.is_file():
        return None
    try:
        data = yaml.safe_load(config.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    shop = data.get("shop") if isinstance(data, dict) else None
    name = shop.get("name") if isinstance(shop, dict) else None
    return name.strip() if isinstance(name, str) and name.strip() else None


def find_shops(path: Path) -> list[Shop]:
    """The shops of ``SHOPS``: a ``shops.yaml``, or a folder whose sub-folders are the shops
    (a shop's name: its config's ``shop.name``, else the folder's name), sorted by name."""
    if path.is_file() and path.suffix.lower() in SHOPS_FILES:
        shops = _listed(path)
    elif path.is_dir():
        shops = []
        for folder in sorted(path.iterdir()):
            if folder.is_dir() and not folder.name.startswith("."):
                config = folder / SHOP_CONFIG
                own = config if config.is_file() else None
                shops.append(Shop(configured_name(own) or folder.name, folder, own))
    elif path.exists():
        raise UsageError(
            tr(
                "{path}: give a folder of shop folders or a shops.yaml",
                path=path,
            )
        )
    else:
        raise InputError(str(path), tr("no such folder"))
    seen: dict[str, Path] = {}
    for shop in shops:
        if shop.name in seen:
            raise UsageError(
                tr(
                    "two shops are named {name!r}: {first} and {second}",
                    name=shop.name,
                    first=seen[shop.name],
                    second=shop.folder,
                )
            )
        seen[shop.name] = shop.folder
    if not shops:
        raise UsageError(tr("{path}: no shops in it", path=path))
    return sorted(shops, key=lambda s: s.name)


def _listed(path: Path) -> list[Shop]:
    from tmallcli.config.shops import read_shops_file

    base = path.parent
    shops = []
    for entry in read_shops_file(path).shops:
        folder = base / entry.folder
        config = None if entry.config is None else base / entry.config
        if config is None and (folder / SHOP_CONFIG).is_file():
            config = folder / SHOP_CONFIG
        name = entry.name or configured_name(config) or folder.name
        shops.append(Shop(name, folder, config, entry.category))
    return shops


SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_shard(text: str) -> tuple[int, int]:
    """``--shard i/n`` → (i, n), 1 ≤ i ≤ n."""
    found = SHARD.match(text)
    if found is None or not 1 <= int(found[1]) <= int(found[2]):
        raise UsageError(
            tr("--shard: give i/n with 1 ≤ i ≤ n, e.g. --shard 2/3 (got {value!r})", value=text)
        )
    return int(found[1]), int(found[2])


def shard(shops: Sequence[Shop], index: int, count: int) -> list[Shop]:
    """The ``index``-th (1-based) of ``count`` contiguous slices of the shops sorted by name:
    every shop in exactly one slice, whatever machine computes it."""
    ordered = sorted(shops, key=lambda s: s.name)
    start, end = (index - 1) * len(ordered) // count, index * len(ordered) // count
    return ordered[start:end]


def report_file_name(name: str) -> str:
    """A shop's name as a file name on every system (``/``, ``:`` … become ``_``)."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .")
    return safe or "_"


# ------------------------------------------------------------------------------ the runs


def _worker_start(threads: int) -> None:
    """Each worker's Polars gets its share of the cores (set before Polars is imported):
    N workers each using every core would only fight over them."""
    os.environ.setdefault("POLARS_MAX_THREADS", str(threads))


def run_shops(
    jobs: Sequence[ShopJob],
    worker: Callable[[ShopJob], ShopRow],
    processes: int,
    *,
    done: Callable[[ShopRow], None] | None = None,
) -> list[ShopRow]:
    """Each job's row, from ``worker`` (a module-level function: it is sent by name to the
    worker processes). At most ``processes`` shops are in flight; a worker that dies (killed
    for memory) or fails unexpectedly is that shop's error row, and the rest still run.
    One process: the shops run here, one after another."""
    tell = done or (lambda row: None)
    rows: list[ShopRow] = []
    if processes <= 1 or len(jobs) <= 1:
        for job in jobs:
            rows.append(worker(job))
            tell(rows[-1])
        return rows
    finished, lost = _in_pool(jobs, worker, processes, tell)
    # A worker that died (the system killed it for memory) breaks the whole pool: every shop
    # still running or waiting is lost with it, and which one died is not said. Those shops
    # run again one by one, each in a process of its own: the one that dies again is the row
    # that says so; the others get their report.
    for job in lost:
        again, _ = _in_pool([job], worker, 1, tell)
        finished += again
    return finished


def _in_pool(
    jobs: Sequence[ShopJob],
    worker: Callable[[ShopJob], ShopRow],
    processes: int,
    tell: Callable[[ShopRow], None],
) -> tuple[list[ShopRow], list[ShopJob]]:
    """The rows of ``jobs`` run in a pool of ``processes``, and the jobs a broken pool lost
    (none when ``jobs`` is one job: its loss is its row)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    threads = max(1, (os.cpu_count() or 1) // processes)
    rows: list[ShopRow] = []
    lost: list[ShopJob] = []
    # spawn: a fresh interpreter per worker (fork would copy Polars' thread pool mid-flight).
    with ProcessPoolExecutor(
        max_workers=min(processes, len(jobs)),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_start,
        initargs=(threads,),
    ) as pool:
        futures = {pool.submit(worker, job): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            try:
                row = future.result()
            except BrokenProcessPool as exc:
                if len(jobs) > 1:
                    lost.append(job)
                    continue
                row = _stopped(job, exc)
            except Exception as exc:  # one shop's crash is its row, not the run's
                row = _stopped(job, exc)
            rows.append(row)
            tell(row)
    return rows, lost


def _stopped(job: ShopJob, exc: BaseException) -> ShopRow:
    return ShopRow(
        job.shop.name,
        "error",
        tr(
            "the shop's report stopped unexpectedly ({error}); run tmall report "
            "--dir {folder} --debug to see why",
            error=f"{type(exc).__name__}: {exc}",
            folder=job.shop.folder,
        ),
    )


# ------------------------------------------------------------------------------ merge

ROW_KEYS = {f.name for f in fields(ShopRow)}


def read_portfolio(path: Path) -> Portfolio:
    """A ``portfolio -f json`` file (a shard's) back as rows."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(path), tr("not JSON ({error})", error=exc)) from None
    shops = data.get("shops") if isinstance(data, dict) else None
    if not isinstance(shops, list) or not all(
        isinstance(s, dict) and isinstance(s.get("shop"), str) and s.get("status") in STATUS_ORDER
        for s in shops
    ):
        raise InputError(
            str(path), tr("not the JSON of tmall portfolio (no shops list of shop rows)")
        )
    rows = [ShopRow(**{k: v for k, v in s.items() if k in ROW_KEYS}) for s in shops]
    slice_ = data.get("shard")
    return Portfolio(
        str(data.get("as_of")), rows, None if not isinstance(slice_, str) else parse_shard(slice_)
    )


def merge_portfolios(paths: Sequence[Path]) -> Portfolio:
    """The shards' rows in one table, worst first; a shop in two files, or files of different
    days, is an error (a shard run twice, or yesterday's file left in the folder)."""
    merged: list[ShopRow] = []
    where: dict[str, Path] = {}
    as_of: str | None = None
    slices: dict[tuple[int, int] | None, Path] = {}
    for path in paths:
        part = read_portfolio(path)
        if part.shard is not None and part.shard in slices:
            raise InputError(
                str(path),
                tr(
                    "shard {index}/{count} is also {other}",
                    index=part.shard[0],
                    count=part.shard[1],
                    other=slices[part.shard],
                ),
            )
        slices[part.shard] = path
        if as_of is not None and part.as_of != as_of:
            raise InputError(
                str(path),
                tr(
                    "as of {day}, the other files as of {first}: merge one day's shards",
                    day=part.as_of,
                    first=as_of,
                ),
            )
        as_of = part.as_of
        for row in part.rows:
            if row.shop in where:
                raise InputError(
                    str(path),
                    tr(
                        "shop {shop!r} is also in {other}: each shop belongs to one shard",
                        shop=row.shop,
                        other=where[row.shop],
                    ),
                )
            where[row.shop] = path
            merged.append(row)
    counts = {count for _, count in filter(None, slices)}
    if len(counts) > 1:
        raise UsageError(
            tr(
                "the files are slices of different splits ({splits}): merge the shards of one run",
                splits=", ".join(f"/{n}" for n in sorted(counts)),
            )
        )
    if counts:  # the slices of one --shard I/N run: every slice, or shops would go missing
        count = counts.pop()
        missing = [str(i) for i in range(1, count + 1) if (i, count) not in slices]
        if missing:
            raise UsageError(
                tr(
                    "shard {missing} of {count} is missing: its shops would be left out",
                    missing=", ".join(f"{i}/{count}" for i in missing),
                    count=count,
                ),
                hint=tr("merge every slice's portfolio-I-of-N.json"),
            )
    return Portfolio(as_of or "", worst_first(merged))
