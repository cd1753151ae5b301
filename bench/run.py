"""Benchmark every ``tmall`` command against the parse floor, DuckDB and pandas (SPEC §12).

    .venv/bin/python bench/run.py --sizes 100k,1m,10m --gb18030

For each shop size (generated once with ``tmall sample --seed 1`` into ``bench/cache/`` and
reused while its ``manifest.json`` matches) every command runs as a whole process; its wall
time (``time.perf_counter``) and peak RSS (``os.wait4`` → ``ru_maxrss``) are recorded, and in
the same run, on the same files:

* the parse floor — ``bench/floor.py``: Polars scanning the columns the command reads;
* DuckDB — ``bench/duckdb_impl.py``: the command's headline numbers in SQL;
* pandas — ``bench/pandas_impl.py``: the same numbers as an analyst would compute them.

The headline numbers of tmall (from its JSON), DuckDB and pandas are cross-checked, and
everything is written to ``bench/RESULTS.md`` (and the raw figures to ``bench/RESULTS.json``).
Progress goes to stderr. A process that fails, times out or outgrows the memory limit is
recorded as FAILED with the tail of its stderr; the run goes on.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import importlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from common import COMMANDS, DEFAULT_AS_OF
from portfolio import bench_portfolio, portfolio_line, render_portfolio
from warm import (
    WARM_FLOOR_TARGET,
    WARM_REPORT_SPEEDUP,
    cache_contents,
    cache_line,
    render_cache,
    summary_cells,
)

from tmallcli.exports.kinds import KINDS as EXPORT_KINDS

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / "cache"
SEED = 1

MEMORY_TARGET_MB = 4000.0  # SPEC §12: peak memory under 4 GB (4·10⁹ bytes)
FLOOR_TARGET = 1.5  # within 1.5× the parse floor
REPORT_TARGET = 1.3  # report at most 1.3× score service on the same shop
GB18030_TARGET = 2.0  # GB18030 input at most 2× the UTF-8 time
STARTUP_TARGET_S = 0.3  # tmall --help and usage errors
PLACEHOLDER_HEADING = "## What was slow and what changed it"
PLACEHOLDER_BODY = (
    "<!-- To be written by the lead: what profiling showed was slow, and what changed it.\n"
    "     bench/run.py keeps this section when it rewrites the file (everything up to the\n"
    "     next level-2 heading, so use ### for sub-headings). -->"
)

TOOLS = ("tmall", "floor", "duckdb", "pandas")
ENV_CACHE_DIR = "TMALL_CACHE_DIR"
MIN_AVAILABLE_BYTES = 1_000_000_000  # kill a process when the machine has less memory available
PROGRESS_FROM = 1_000_000  # from this shop size on, every process start is logged


# --------------------------------------------------------------------------- commands


@dataclass(frozen=True)
class Command:
    name: str  # the key the baselines use
    label: str  # how a user types it
    argv: tuple[str, ...]  # after `tmall`; {orders} … are the shop's files, {dir} the shop
    # kind → the package constant naming the canonical columns the command reads
    # ("module:ATTR"), or None for every column of the kind (data check).
    reads: tuple[tuple[str, str | None], ...]
    as_of: bool = True
    gb18030: bool = False  # orders-heavy: also timed on the GB18030 copy of the shop
    # The floor, DuckDB and pandas compute this command's headline numbers (common.COMMANDS);
    # without them only tmall runs and the cross-check leaves the command out.
    references: bool = True
    # tmall writes the HTML report to {html} (as the seller runs it) instead of its JSON.
    html: bool = False
    # The command reads through the parsed-export cache (SPEC §15): its cold runs take
    # --no-cache, and it is timed warm too. `data check` reads the files themselves, always.
    cache: bool = True


COMMAND_SPECS: tuple[Command, ...] = (
    Command(
        "score-dsr",
        "score dsr",
        ("score", "dsr", "--reviews", "{reviews}"),
        (("reviews", "tmallcli.metrics.dsr:COLUMNS"),),
    ),
    Command(
        "audit-pickup",
        "audit pickup",
        ("audit", "pickup", "--orders", "{orders}", "--logistics", "{logistics}"),
        (
            ("orders", "tmallcli.metrics.shipping:ORDER_COLUMNS"),
            ("logistics", "tmallcli.metrics.shipping:EVENT_COLUMNS"),
        ),
        gb18030=True,
    ),
    Command(
        "compensate-late-orders",
        "compensate late-orders",
        (
            "compensate",
            "late-orders",
            "--orders",
            "{orders}",
            "--logistics",
            "{logistics}",
            "--refunds",
            "{refunds}",
        ),
        (
            ("orders", "tmallcli.metrics.compensation:ORDERS_COLUMNS"),
            ("logistics", "tmallcli.metrics.shipping:EVENT_COLUMNS"),
            ("refunds", "tmallcli.metrics.compensation:REFUND_COLUMNS"),
        ),
        gb18030=True,
    ),
    Command(
        "audit-response",
        "audit response",
        ("audit", "response", "--chats", "{chats}"),
        (("chats", "tmallcli.metrics.response:COLUMNS"),),
    ),
    Command(
        "audit-refunds",
        "audit refunds",
        ("audit", "refunds", "--refunds", "{refunds}", "--orders", "{orders}"),
        (
            ("refunds", "tmallcli.metrics.refunds:COLUMNS"),
            ("orders", "tmallcli.metrics.refunds:ORDER_COLUMNS"),
        ),
        gb18030=True,
    ),
    Command(
        "score-cs",
        "score cs",
        ("score", "cs", "--cs-ratings", "{cs_ratings}", "--last", "30"),
        (("cs_ratings", "tmallcli.metrics.cs_ratings:COLUMNS"),),
    ),
    Command(
        "reviews-triage",
        "reviews triage",
        ("reviews", "triage", "--reviews", "{reviews}"),
        (("reviews", "tmallcli.metrics.reviews:COLUMNS"),),
    ),
    Command(
        "score-service",
        "score service",
        ("score", "service", "--dir", "{dir}"),
        (
            ("orders", "tmallcli.metrics.shipping:ORDER_COLUMNS"),
            ("reviews", "tmallcli.metrics.dsr:COLUMNS"),
            ("logistics", "tmallcli.metrics.shipping:EVENT_COLUMNS"),
            ("refunds", "tmallcli.metrics.refunds:COLUMNS"),
            ("chats", "tmallcli.metrics.response:COLUMNS"),
            ("complaints", "tmallcli.metrics.disputes:COLUMNS"),
        ),
        gb18030=True,
    ),
    Command(
        "data-check",
        "data check",
        ("data", "check", "{orders}"),
        (("orders", None),),
        as_of=False,
        gb18030=True,
        cache=False,
    ),
    # The shop report as the seller runs it (SPEC §11): every export of the folder read once
    # for all its parts, the one-screen summary on stdout and the HTML report with its charts
    # and tables; SPEC §12 holds it to 1.3× `score service`. No reference computes it.
    Command(
        "report",
        "report",
        ("report", "--dir", "{dir}", "--out", "{html}"),
        # The kinds `tmall sample` writes (every one but order_items, which it does not simulate).
        tuple((kind, None) for kind in EXPORT_KINDS if kind != "order_items"),
        references=False,
        html=True,
    ),
)
COMMAND_NAMES = tuple(c.name for c in COMMAND_SPECS)
SPECS = {c.name: c for c in COMMAND_SPECS}
assert tuple(c.name for c in COMMAND_SPECS if c.references) == COMMANDS

# The canonical columns each constant held when this harness was written: used only when the
# package no longer has the constant (the harness must not break while tmallcli changes).
FALLBACK_COLUMNS: dict[str, tuple[str, ...]] = {
    "tmallcli.metrics.dsr:COLUMNS": (
        "order_id",
        "buyer",
        "rated_at",
        "dsr_description",
        "dsr_service",
        "dsr_logistics",
        "item_id",
        "item_title",
    ),
    "tmallcli.metrics.shipping:ORDER_COLUMNS": (
        "order_id",
        "buyer",
        "paid_amount",
        "shipping_fee",
        "status",
        "paid_at",
        "shipped_at",
        "picked_up_at",
        "promised_ship_by",
        "tracking_no",
        "carrier",
        "warehouse",
    ),
    "tmallcli.metrics.shipping:EVENT_COLUMNS": ("tracking_no", "order_id", "event_at", "event"),
    "tmallcli.metrics.compensation:REFUND_COLUMNS": (
        "refund_id",
        "order_id",
        "applied_at",
        "amount",
        "reason",
        "status",
        "shipped",
        "completed_at",
    ),
    "tmallcli.metrics.refunds:COLUMNS": (
        "refund_id",
        "order_id",
        "applied_at",
        "amount",
        "refund_type",
        "reason",
        "status",
        "stage",
        "shipped",
        "merchant_agreed_at",
        "buyer_returned_at",
        "completed_at",
        "platform_intervened",
        "ruling",
        "signed_at",
    ),
    "tmallcli.metrics.refunds:ORDER_COLUMNS": ("order_id", "paid_at"),
    "tmallcli.metrics.response:COLUMNS": (
        "buyer",
        "sent_at",
        "sender",
        "direction",
        "is_auto",
        "is_assistant",
    ),
    "tmallcli.metrics.cs_ratings:COLUMNS": ("rated_at", "account", "score", "tags", "source"),
    "tmallcli.metrics.reviews:COLUMNS": (
        "order_id",
        "buyer",
        "rated_at",
        "dsr_description",
        "dsr_service",
        "dsr_logistics",
        "rating",
        "comment",
        "reply",
        "item_id",
        "item_title",
    ),
    "tmallcli.metrics.disputes:COLUMNS": (
        "complaint_id",
        "order_id",
        "created_at",
        "judged_at",
        "established",
        "platform_intervened",
        "type",
    ),
}
FALLBACK_COLUMNS["tmallcli.metrics.compensation:ORDERS_COLUMNS"] = (
    *(
        c
        for c in FALLBACK_COLUMNS["tmallcli.metrics.shipping:ORDER_COLUMNS"]
        if c not in ("carrier", "warehouse")
    ),
    "item_id",
    "item_title",
    "auto_compensation",
    "service_promise",
    "delivered_at",
    "promise_broken",
)


def canonical_columns(ref: str, notes: list[str]) -> tuple[str, ...]:
    module_name, attr = ref.split(":")
    try:
        value = getattr(importlib.import_module(module_name), attr)
        return tuple(value)
    except (ImportError, AttributeError) as exc:
        note = f"{ref} not importable ({exc.__class__.__name__}); floor uses the columns of {ref} at the time bench/run.py was written"
        if note not in notes:
            notes.append(note)
        return FALLBACK_COLUMNS[ref]


def floor_columns(kind: str, ref: str | None, path: Path, notes: list[str]) -> list[str]:
    """The file's headers for the columns the command reads of ``kind`` (the reader's rule:
    the requested columns, the kind's key columns, identity columns and alternatives)."""
    from tmallcli.exports.headers import map_columns
    from tmallcli.exports.kinds import KINDS, columns_read

    spec = KINDS[kind]
    mapping = map_columns(spec, read_header_line(path))
    asked = None if ref is None else canonical_columns(ref, notes)
    names = columns_read(spec, asked, set(mapping.found))
    return [mapping.found[name] for name in names if name in mapping.found]


def read_header_line(path: Path) -> list[str]:
    import csv

    with open(path, encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


# --------------------------------------------------------------------------- processes


@dataclass
class Measure:
    status: str  # ok | failed | timeout | memory | skipped
    seconds: float | None = None  # best of the runs
    rss_mb: float | None = None  # the largest peak RSS of the runs
    runs: list[float] = field(default_factory=list)
    # The largest anonymous RSS seen (sampled every 50 ms from /proc): memory the process owns,
    # without the pages of the memory-mapped input files that peak RSS also counts.
    anon_mb: float | None = None
    returncode: int | None = None
    error: str | None = None  # stderr tail when not ok
    output: str | None = None  # where the last run's result went (stdout or -o file)
    # With tree sampling (the portfolio's worker processes): the largest sum of the RSS of the
    # process and all its descendants, sampled every 50 ms (wait4's peak RSS is one process's).
    tree_rss_mb: float | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass
class ProcessRun:
    seconds: float
    rss_mb: float
    returncode: int
    killed: str | None  # timeout | memory
    anon_mb: float | None = None
    tree_rss_mb: float | None = None


def anon_rss_mb(pid: int) -> float | None:
    """RssAnon of a live process (Linux), or None."""
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"RssAnon:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except (OSError, ValueError, IndexError):
        return None
    return None


def tree_memory_mb(pid: int) -> tuple[float, float] | None:
    """(RSS, anonymous RSS) summed over a live process and all its descendants (Linux)."""
    pids = [pid]
    with contextlib.suppress(Exception):
        import psutil

        pids += [child.pid for child in psutil.Process(pid).children(recursive=True)]
    rss = anon = 0.0
    for one in pids:
        try:
            with open(f"/proc/{one}/status", "rb") as handle:
                for line in handle:
                    if line.startswith(b"VmRSS:"):
                        rss += int(line.split()[1]) * 1024 / 1e6
                    elif line.startswith(b"RssAnon:"):
                        anon += int(line.split()[1]) * 1024 / 1e6
        except (OSError, ValueError, IndexError):
            continue
    return (rss, anon) if rss else None


def run_process(
    argv: list[str],
    *,
    stdout: Path,
    stderr: Path,
    cwd: Path,
    timeout: float,
    memory_limit_mb: float | None,
    env: dict[str, str] | None = None,
    tree: bool = False,
) -> ProcessRun:
    """One whole process: wall time from Popen to wait4, peak RSS from wait4's rusage (with
    ``tree``, also the sampled sum over the process and its descendants)."""
    try:
        import psutil
    except ImportError:  # the bench extra was not installed: no memory guard
        psutil = None
    killed: list[str] = []
    anon: list[float] = [0.0]
    tree_rss: list[float] = [0.0]
    done = threading.Event()
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=cwd, env=env
        )

        def watchdog() -> None:
            watched = None
            if psutil is not None:
                with contextlib.suppress(Exception):
                    watched = psutil.Process(proc.pid)
            ticks = 0
            while not done.wait(0.05):
                if tree:
                    both = tree_memory_mb(proc.pid)
                    if both is not None:
                        tree_rss[0] = max(tree_rss[0], both[0])
                        anon[0] = max(anon[0], both[1])
                else:
                    sample = anon_rss_mb(proc.pid)
                    if sample is not None:
                        anon[0] = max(anon[0], sample)
                ticks += 1
                if ticks % 10:
                    continue
                if time.perf_counter() - start > timeout:
                    killed.append("timeout")
                    proc.kill()
                    return
                if watched is not None:
                    try:
                        rss = watched.memory_info().rss
                        for child in watched.children(recursive=True):
                            rss += child.memory_info().rss
                    except Exception:
                        continue
                    # Over its own limit, or the machine is nearly out of memory (others
                    # work on it too: never let a baseline wake the OOM killer).
                    low = psutil.virtual_memory().available < MIN_AVAILABLE_BYTES
                    if low or (memory_limit_mb is not None and rss / 1e6 > memory_limit_mb):
                        killed.append("memory")
                        proc.kill()
                        return

        guard = threading.Thread(target=watchdog, daemon=True)
        guard.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        guard.join()
    return ProcessRun(
        seconds,
        usage.ru_maxrss * 1024 / 1e6,
        proc.returncode,
        killed[0] if killed else None,
        anon[0] or None,
        tree_rss[0] or None,
    )


def tail(path: Path, lines: int = 6) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])


class Runner:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.timeout = args.timeout
        self.memory_limit_mb = args.memory_limit_gb * 1000 if args.memory_limit_gb else None
        self.workdir = workdir
        self.counter = 0

    def measure(
        self,
        argv: list[str],
        repeat: int,
        *,
        ok_codes: tuple[int, ...] = (0,),
        output: Path | None = None,
        timeout: float | None = None,
        progress: str | None = None,
        env: dict[str, str] | None = None,
        tree: bool = False,
        before: Any = None,
    ) -> Measure:
        """Best wall time of ``repeat`` runs; peak RSS the largest; stops at the first failure."""
        runs: list[ProcessRun] = []
        limit = timeout or self.timeout
        for _ in range(repeat):
            if progress:
                log(f"    … {progress}")
            if before is not None:
                before()  # e.g. empty the cache folder of a first run
            self.counter += 1
            out = self.workdir / f"p{self.counter}.out"
            err = self.workdir / f"p{self.counter}.err"
            try:
                run = run_process(
                    argv,
                    stdout=out,
                    stderr=err,
                    cwd=self.workdir,
                    timeout=limit,
                    memory_limit_mb=self.memory_limit_mb,
                    env=env,
                    tree=tree,
                )
            except OSError as exc:
                return Measure("failed", error=f"cannot start {argv[0]}: {exc}")
            if run.killed or run.returncode not in ok_codes:
                status = run.killed or "failed"
                if status == "timeout":
                    reason = f"killed after {limit:.0f} s"
                elif status == "memory":
                    cap = (
                        f"above {self.memory_limit_mb:.0f} MB RSS or "
                        if self.memory_limit_mb
                        else ""
                    )
                    reason = f"killed {cap}with under 1 GB of memory left on the machine"
                else:
                    reason = f"exit {run.returncode}"
                return Measure(
                    status,
                    seconds=run.seconds,
                    rss_mb=run.rss_mb,
                    returncode=run.returncode,
                    error=f"{reason}: {tail(err)}".strip(),
                )
            runs.append(run)
            last_out = str(output or out)
        return Measure(
            "ok",
            seconds=min(r.seconds for r in runs),
            rss_mb=max(r.rss_mb for r in runs),
            runs=[round(r.seconds, 4) for r in runs],
            anon_mb=max((r.anon_mb or 0 for r in runs), default=0) or None,
            returncode=runs[-1].returncode,
            output=last_out,
            tree_rss_mb=max((r.tree_rss_mb or 0 for r in runs), default=0) or None,
        )


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- shops


def parse_size(text: str) -> tuple[str, int]:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([km]?)", text.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 100k, 1m, 10m)")
    number = float(match.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2)]
    return text.strip().lower(), int(number)


def shop_ok(folder: Path, orders: int, encoding: str, seed: int = SEED) -> bool:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if manifest.get("orders") != orders or manifest.get("seed") != seed:
        return False
    if set(manifest.get("encodings", {}).values()) != {encoding}:
        return False
    files = manifest.get("files", {})
    return all((folder / name).is_file() for names in files.values() for name in names)


def ensure_shop(
    tmall: str,
    label: str,
    orders: int,
    encoding: str,
    runner: Runner,
    as_of: str,
    *,
    seed: int = SEED,
    folder: Path | None = None,
    record: Path | None = None,
) -> tuple[Path | None, dict[str, Any]]:
    """The shop ``folder`` (default ``bench/cache/shop-<label>``), generated by ``tmall sample``
    unless its manifest already says the same size, seed and encoding; ``record`` keeps how
    long its generation took (default next to it)."""
    suffix = "" if encoding == "utf-8" else f"-{encoding}"
    folder = folder or CACHE / f"shop-{label}{suffix}"
    record = record or CACHE / f"shop-{label}{suffix}.generated.json"
    if shop_ok(folder, orders, encoding, seed):
        info = {"cached": True}
        with contextlib.suppress(OSError, ValueError):
            info.update(json.loads(record.read_text(encoding="utf-8")))
            info["cached"] = True
        log(f"[{label}] shop {folder.relative_to(ROOT)}: cached")
        return folder, info
    partial = folder.with_name(folder.name + ".partial")
    for stale in (folder, partial):
        if stale.exists():
            shutil.rmtree(stale)
    folder.parent.mkdir(parents=True, exist_ok=True)
    argv = [tmall, "sample", "--orders", str(orders), "--seed", str(seed), "--as-of", as_of]
    argv += ["--encoding", encoding, "--out", str(partial)]
    log(f"[{label}] generating {orders:,} orders ({encoding}) …")
    measure = runner.measure(argv, 1, timeout=max(runner.timeout, 3600.0))
    if not measure.ok or not shop_ok(partial, orders, encoding, seed):
        log(f"[{label}] generation FAILED: {measure.error}")
        return None, {"cached": False, "status": measure.status, "error": measure.error}
    partial.rename(folder)
    info = {
        "cached": False,
        "seconds": round(measure.seconds or 0, 2),
        "rss_mb": round(measure.rss_mb or 0, 1),
        "command": " ".join(["tmall", *argv[1:-1], str(folder.relative_to(ROOT))]),
    }
    record.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    log(f"[{label}] generated in {info['seconds']} s")
    return folder, info


def shop_summary(folder: Path) -> dict[str, Any]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    return {"rows": manifest.get("rows", {}), "bytes": size, "files": manifest.get("files", {})}


def files_of(folder: Path) -> dict[str, Path]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {kind: folder / names[0] for kind, names in manifest["files"].items() if names}


def warm(paths: list[Path]) -> None:
    """Read the files once so that no tool pays for the disk (page cache for everyone)."""
    for path in paths:
        with open(path, "rb") as handle:
            while handle.read(16 << 20):
                pass


# --------------------------------------------------------------------------- headlines


def tmall_headline(command: str, data: dict[str, Any]) -> dict[str, Any]:
    """The numbers the baselines compute, picked out of tmall's JSON."""
    if command == "score-dsr":
        out: dict[str, Any] = dict(data["excluded"])
        for key, dim in data["dimensions"].items():
            out[key] = dim["score"]
            out[f"{key}_count"] = dim["count"]
        return out
    if command == "audit-pickup":
        return {k: data[k] for k in ("rate", "population", "timely", "late", "not_picked")}
    if command == "compensate-late-orders":
        reconciliation = data.get("reconciliation")
        if reconciliation:
            total = reconciliation["computed_total_fen"]
        else:
            groups = {
                p["group_id"]: p["group_amount_fen"]
                for p in data["payouts"]
                if p["kind"] == "late_shipment"
            }
            total = sum(groups.values())
        return {
            "late_orders": data["late_orders"],
            "late_groups": data["late_groups"],
            "late_total_fen": total,
        }
    if command == "audit-response":
        keys = ("consultations", "answered", "response_rate", "human_response_seconds")
        return {k: data[k] for k in (*keys, "response_3min_rate")}
    if command == "audit-refunds":
        counts = data["counts"]
        out = {
            k: data[k] for k in ("refund_only_hours", "return_refund_hours", "dispute_refund_rate")
        }
        out.update(
            {k: counts[k] for k in ("refund_only", "return_refund", "disputes", "orders_paid")}
        )
        return out
    if command == "score-cs":
        return {
            "human_count": data["human"]["count"],
            "human_average": data["human"]["average"],
            "bot_count": data["bot"]["count"],
            "bot_average": data["bot"]["average"],
        }
    if command == "reviews-triage":
        counts = data["counts"]
        return {
            "good_rate": data["good_rate"],
            "good": counts["good"],
            "neutral": counts["neutral"],
            "bad": counts["bad"],
            "neutral_30d": data["neutral"],
            "bad_30d": data["bad"],
        }
    if command == "score-service":
        return {k: v["value"] for k, v in data["metrics"].items() if k in SERVICE_METRICS}
    if command == "data-check":
        first = data["files"][0]
        return {
            "rows": first["rows"],
            "date_start": first["date_range"]["start"],
            "date_end": first["date_range"]["end"],
            "problems": data["problems"],
        }
    raise KeyError(command)


SERVICE_METRICS = (
    "item_review_score",
    "pickup_24h_rate",
    "refund_only_hours",
    "return_refund_hours",
    "response_rate",
    "response_3min_rate",
    "human_response_seconds",
    "dispute_refund_rate",
    "complaint_rate",
)


def read_headline(
    tool: str, command: str, measure: Measure
) -> tuple[dict[str, Any] | None, str | None]:
    if not measure.ok or not measure.output:
        return None, None
    try:
        data = json.loads(Path(measure.output).read_text(encoding="utf-8"))
        return (tmall_headline(command, data) if tool == "tmall" else data), None
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        return None, f"{tool}: cannot read the headline numbers ({exc.__class__.__name__}: {exc})"


def decimals(value: float) -> int:
    text = repr(float(value))
    if "e" in text or "inf" in text or "nan" in text:
        return 6
    return len(text.split(".")[1]) if "." in text else 0


def same(a: Any, b: Any) -> bool:
    """Equal, with floats compared to the coarser of the two precisions (at most 6 places):
    tmall rounds scores to 4 places, the baselines print full floats. Within half a unit of
    the last place, so a 1-in-20 000 difference in a rate printed in full is caught."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        places = min(decimals(a), decimals(b), 6)
        # a value rounded to `places` is within half a unit of the exact one
        return abs(float(a) - float(b)) <= 0.5 * 10.0**-places + 1e-12
    return str(a) == str(b)


def cross_check(command: str, heads: dict[str, dict[str, Any] | None]) -> list[dict[str, Any]]:
    """Every headline key where DuckDB or pandas differ from tmall (or one is missing)."""
    base = heads.get("tmall")
    if base is None:
        return []
    rows = []
    for tool in ("duckdb", "pandas"):
        other = heads.get(tool)
        if other is None:
            continue
        for key in sorted(set(base) | set(other)):
            if not same(base.get(key), other.get(key)):
                rows.append(
                    {
                        "command": command,
                        "tool": tool,
                        "key": key,
                        "tmall": base.get(key),
                        "other": other.get(key),
                    }
                )
    return rows


# --------------------------------------------------------------------------- the run


def tool_argv(
    tool: str,
    command: Command,
    shop: Path,
    files: dict[str, Path],
    args: argparse.Namespace,
    output: Path,
    notes: list[str],
    cache_dir: Path | None = None,
) -> list[str]:
    if tool == "tmall":
        subst = {kind: str(path) for kind, path in files.items()}
        subst |= {"dir": str(shop), "html": str(output)}
        argv = [args.tmall, *(part.format(**subst) for part in command.argv)]
        if command.as_of:
            argv += ["--as-of", args.as_of]
        if command.cache:
            # Cold (the CSV parsed: SPEC §12's cold targets) unless a cache folder is given:
            # the cache is on by default and would make every run after the first warm.
            argv += ["--cache-dir", str(cache_dir)] if cache_dir else ["--no-cache"]
        if command.html:
            return argv
        return [*argv, "--format", "json", "--output", str(output)]
    if tool == "floor":
        spec = [
            [str(files[kind]), floor_columns(kind, ref, files[kind], notes)]
            for kind, ref in command.reads
        ]
        return [args.python, str(BENCH / "floor.py"), json.dumps(spec, ensure_ascii=False)]
    script = {"duckdb": "duckdb_impl.py", "pandas": "pandas_impl.py"}[tool]
    return [args.python, str(BENCH / script), command.name, str(shop), "--as-of", args.as_of]


def fmt_s(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if value < 10 else f"{value:.2f}" if value < 100 else f"{value:.1f}"


def ratio(a: Measure | None, b: Measure | None) -> float | None:
    if a is None or b is None or not a.ok or not b.ok or not b.seconds:
        return None
    return (a.seconds or 0) / b.seconds


def fmt_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def bench_size(
    label: str,
    orders: int,
    shop: Path,
    gb_shop: Path | None,
    commands: list[Command],
    args: argparse.Namespace,
    runner: Runner,
    notes: list[str],
) -> dict[str, Any]:
    repeat = args.repeat or 3
    files = files_of(shop)
    results: dict[str, Any] = {
        "repeat": repeat,
        "repeat_under": args.repeat_under,
        "commands": {},
        "gb18030": {},
        "disagreements": [],
    }
    for command in commands:
        needed = [files[kind] for kind, _ in command.reads]
        if not args.no_warm:
            warm(needed)
        measures: dict[str, Measure] = {}
        tmall_suffix = ".html" if command.html else ".json"
        outputs = {
            tool: runner.workdir
            / f"{label}-{command.name}-{tool}{tmall_suffix if tool.startswith('tmall') else '.json'}"
            for tool in (*TOOLS, "tmall_fill", "tmall_warm")
        }
        argvs = {
            tool: tool_argv(tool, command, shop, files, args, outputs[tool], notes)
            for tool in TOOLS
            if tool in args.tools and (tool == "tmall" or command.references)
        }
        # The first run of a new user: the cache on, its folder empty (emptied before each
        # run), so the run parses the CSV and fills the cache; the last one's folder is then
        # the filled cache of the warm runs.
        fill_dir = runner.workdir / f"cache-{label}-{command.name}"
        if command.cache and "fill" in args.cache_runs:
            argvs["tmall_fill"] = tool_argv(
                "tmall", command, shop, files, args, outputs["tmall_fill"], notes, fill_dir
            )
        # Interleaved rounds (tmall, floor, DuckDB, pandas, then again): background load on
        # a shared machine hits every tool alike. The tools a target compares (tmall, the
        # floor, DuckDB) run the same number of times: again only while the first round took
        # each of them at most --repeat-under seconds. pandas, never near a target, runs
        # again while its own run is that short.
        runs = repeat
        for round_no in range(repeat):
            if round_no == 1:
                compared = [measures[t] for t in ("tmall", "floor", "duckdb") if t in measures]
                if any(m.ok and (m.seconds or 0) > args.repeat_under for m in compared):
                    runs = 1
            for tool, argv in argvs.items():
                previous = measures.get(tool)
                if previous is not None and not previous.ok:
                    continue
                if previous is not None and tool == "pandas":
                    if (previous.seconds or 0) > args.repeat_under:
                        continue
                elif round_no >= runs:
                    continue
                m = runner.measure(
                    argv,
                    1,
                    output=outputs[tool] if tool.startswith("tmall") else None,
                    progress=f"[{label}] {command.label}: {tool} (run {round_no + 1}/{repeat})"
                    if orders >= PROGRESS_FROM
                    else None,
                    before=functools.partial(empty_folder, fill_dir)
                    if tool == "tmall_fill"
                    else None,
                )
                measures[tool] = merge(previous, m) if round_no else m
        for tool in ("tmall", "floor", "duckdb", "pandas"):
            if tool in measures:
                continue
            measures[tool] = Measure("skipped")
        heads: dict[str, dict[str, Any] | None] = {}
        problems = []
        for tool in ("tmall", "duckdb", "pandas") if command.references else ():
            head, problem = read_headline(tool, command.name, measures[tool])
            heads[tool] = head
            if problem:
                problems.append(problem)
        digests = {tool: output_digest(measures.get(tool)) for tool in ("tmall", "tmall_fill")}
        for path in outputs.values():  # tmall's JSON at 10 M orders is large
            path.unlink(missing_ok=True)
        disagreements = [] if args.no_check else cross_check(command.name, heads)
        for problem in problems:
            disagreements.append(
                {"command": command.name, "tool": "-", "key": problem, "tmall": None, "other": None}
            )
        results["disagreements"].extend(disagreements)
        results["commands"][command.name] = {
            "measures": {tool: asdict(m) for tool, m in measures.items()},
            "headlines": heads,
            "argv": {tool: display_argv(argv) for tool, argv in argvs.items()},
        }
        t, f, d, p = (measures[k] for k in ("tmall", "floor", "duckdb", "pandas"))
        log(
            f"[{label}] {command.label:<24} tmall {status_text(t)}"
            + (
                f" · floor {status_text(f)} ({fmt_ratio(ratio(t, f))})"
                f" · duckdb {status_text(d)} · pandas {status_text(p)}"
                if command.references
                else " (no reference computes it)"
            )
            + (f" · {len(disagreements)} disagreement(s)" if disagreements else "")
        )
        for tool in ("tmall", "floor", "duckdb", "pandas"):
            if measures[tool].status not in ("ok", "skipped"):
                log(f"    {tool} {measures[tool].status}: {measures[tool].error}")
        if command.cache and args.cache_runs:
            fill = measures.pop("tmall_fill", None)
            cached = cache_rounds(
                label, orders, command, shop, files, args, runner, notes, fill, fill_dir, outputs
            )
            cached["same_output"]["fill"] = same_digest(digests["tmall"], digests["tmall_fill"])
            cached["same_output"]["warm"] = same_digest(digests["tmall"], cached.pop("digest"))
            results["commands"][command.name]["measures"].update(cached.pop("measures"))
            results["commands"][command.name]["cache"] = cached
            log(f"[{label}] {command.label:<24} {cache_line(results['commands'][command.name])}")

        if gb_shop is not None and command.gb18030:
            gb_files = files_of(gb_shop)
            if not args.no_warm:
                warm([gb_files[kind] for kind, _ in command.reads])
            output = runner.workdir / f"{label}-{command.name}-gb18030.json"
            argv = tool_argv("tmall", command, gb_shop, gb_files, args, output, notes)
            gb = runner.measure(
                argv,
                runs,  # as many runs as the UTF-8 run it is compared with
                output=output,
                progress=f"[{label}] {command.label}: tmall on GB18030"
                if orders >= PROGRESS_FROM
                else None,
            )
            head, problem = read_headline("tmall", command.name, gb)
            output.unlink(missing_ok=True)
            same_numbers = None
            if head is not None and heads.get("tmall") is not None:
                same_numbers = not cross_check(
                    command.name, {"tmall": heads["tmall"], "duckdb": head}
                )
            results["gb18030"][command.name] = {
                "measure": asdict(gb),
                "same_numbers": same_numbers,
                "argv": display_argv(argv),
                "problem": problem,
            }
            log(
                f"[{label}] {command.label:<24} GB18030 {status_text(gb)}"
                f" ({fmt_ratio(ratio(gb, t))} of UTF-8)"
                + ("" if same_numbers in (None, True) else " · numbers differ from UTF-8!")
            )
    service = results["commands"].get("score-service")
    whole = results["commands"].get("report")
    if service is not None and whole is not None:
        r = report_ratio(whole, service)
        results["report_vs_service"] = None if r is None else round(r, 4)
    return results


def cache_rounds(
    label: str,
    orders: int,
    command: Command,
    shop: Path,
    files: dict[str, Path],
    args: argparse.Namespace,
    runner: Runner,
    notes: list[str],
    fill: Measure | None,
    fill_dir: Path,
    outputs: dict[str, Path],
) -> dict[str, Any]:
    """The command warm: its cache folder filled by the last first run (or by one untimed run
    when first runs are not timed), then tmall and the warm floor — Polars scanning the
    cached Parquet entries for the columns they hold — interleaved, best of the runs."""
    out: dict[str, Any] = {"measures": {}, "same_output": {}, "digest": None}
    if fill is not None:
        out["measures"]["tmall_fill"] = asdict(fill)
    if fill is None or not fill.ok:
        argv = tool_argv(
            "tmall", command, shop, files, args, outputs["tmall_fill"], notes, fill_dir
        )
        filled = runner.measure(argv, 1, before=lambda: empty_folder(fill_dir))
        outputs["tmall_fill"].unlink(missing_ok=True)
        if not filled.ok:
            out["measures"]["tmall_warm"] = asdict(
                Measure("failed", error=f"the run filling the cache failed: {filled.error}")
            )
            return out
    read = sorted({files[kind] for kind, _ in command.reads})
    out.update(cache_contents(fill_dir, read))
    if "warm" not in args.cache_runs:
        shutil.rmtree(fill_dir, ignore_errors=True)
        return out
    argvs = {
        "tmall_warm": tool_argv(
            "tmall", command, shop, files, args, outputs["tmall_warm"], notes, fill_dir
        ),
        "floor_warm": [
            args.python,
            str(BENCH / "floor.py"),
            "--parquet",
            json.dumps(out["floor_spec"], ensure_ascii=False),
        ],
    }
    befores: dict[str, Any] = {}
    if command.name in KEEPS_RESULT:
        # The command keeps its result (tmallcli/runs/memo.py), so its warm run reads that;
        # this run has it removed first: warm from the parsed Parquet alone (another T).
        argvs["tmall_parsed"] = argvs["tmall_warm"]
        befores["tmall_parsed"] = lambda: drop_kept_results(fill_dir)
    repeat = args.repeat or 3
    measures: dict[str, Measure] = {}
    for round_no in range(repeat):
        if round_no == 1 and any(
            m.ok and (m.seconds or 0) > args.repeat_under for m in measures.values()
        ):
            break
        for tool, argv in argvs.items():
            previous = measures.get(tool)
            if previous is not None and not previous.ok:
                continue
            m = runner.measure(
                argv,
                1,
                before=befores.get(tool),
                output=outputs[tool] if tool == "tmall_warm" else None,
                progress=f"[{label}] {command.label}: {tool} (run {round_no + 1}/{repeat})"
                if orders >= PROGRESS_FROM
                else None,
            )
            measures[tool] = merge(previous, m) if previous is not None else m
    out["digest"] = output_digest(measures.get("tmall_warm"))
    outputs["tmall_warm"].unlink(missing_ok=True)
    shutil.rmtree(fill_dir, ignore_errors=True)  # Parquet of every file read: GBs at 10 M
    out["measures"].update({tool: asdict(m) for tool, m in measures.items()})
    out["argv"] = {tool: display_argv(argv) for tool, argv in argvs.items()}
    return out


def empty_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


# The commands whose run keeps its result for the next run on the same inputs (every one but
# data check, which has no T).
KEEPS_RESULT = frozenset(
    {
        "report",
        "score-service",
        "score-dsr",
        "score-cs",
        "audit-pickup",
        "audit-response",
        "audit-refunds",
        "reviews-triage",
        "compensate-late-orders",
    }
)


def drop_kept_results(folder: Path) -> None:
    """The results a run kept (``<command>-*.pickle``) removed; the parsed Parquet stays."""
    for kept in folder.glob("*.pickle"):
        kept.unlink(missing_ok=True)


def output_digest(measure: Measure | None) -> str | None:
    """sha256 of the file a tmall run wrote (its JSON or HTML), or None."""
    if measure is None or not measure.ok or not measure.output:
        return None
    try:
        return hashlib.sha256(Path(measure.output).read_bytes()).hexdigest()
    except OSError:
        return None


def same_digest(a: str | None, b: str | None) -> bool | None:
    return None if a is None or b is None else a == b


def run_portfolio(args: argparse.Namespace, runner: Runner) -> dict[str, Any]:
    """The portfolio of ``--portfolio-shops`` shops (bench/portfolio.py), or why it was not run."""
    return bench_portfolio(
        args, runner, CACHE, ensure_shop, merge, warm, files_of, log, display_argv
    )


def report_ratio(report: dict[str, Any], service: dict[str, Any]) -> float | None:
    """The report's wall time over `score service`'s on the same shop (SPEC §12: ≤ 1.3×)."""
    return ratio(Measure(**report["measures"]["tmall"]), Measure(**service["measures"]["tmall"]))


def merge(previous: Measure | None, new: Measure) -> Measure:
    if previous is None or not new.ok:
        return new if previous is None or not new.ok else previous
    return Measure(
        "ok",
        seconds=min(previous.seconds or 0, new.seconds or 0),
        rss_mb=max(previous.rss_mb or 0, new.rss_mb or 0),
        runs=[*previous.runs, *new.runs],
        anon_mb=max(previous.anon_mb or 0, new.anon_mb or 0) or None,
        returncode=new.returncode,
        output=new.output,
        tree_rss_mb=max(previous.tree_rss_mb or 0, new.tree_rss_mb or 0) or None,
    )


def status_text(m: Measure) -> str:
    if m.ok:
        anon = f", anon {m.anon_mb:.0f}" if m.anon_mb is not None else ""
        return f"{fmt_s(m.seconds)} s ({m.rss_mb:.0f} MB{anon})"
    return m.status.upper() if m.status == "skipped" else f"FAILED ({m.status})"


def display_argv(argv: list[str]) -> str:
    """A command line with repository paths made relative, for RESULTS.md."""
    parts = []
    for part in argv:
        text = part.replace(str(ROOT) + os.sep, "")
        if part == sys.executable or part.endswith("/python") or part.endswith("/python3"):
            text = "python"
        if text.endswith("/tmall") or text == "tmall":
            text = "tmall"
        parts.append(
            text if re.fullmatch(r"[\w./:=,@+-]+", text) else "'" + text.replace("'", "'\\''") + "'"
        )
    return " ".join(parts)


def warm_imports(args: argparse.Namespace) -> None:
    """Compile the package and load every library once, untimed: the first timed process
    must not pay for writing ``__pycache__`` or paging in shared libraries."""
    code = (
        "import compileall, importlib, pkgutil, tmallcli\n"
        "compileall.compile_dir(tmallcli.__path__[0], quiet=1)\n"
        "names = [m.name for m in pkgutil.walk_packages(tmallcli.__path__, 'tmallcli.')]\n"
        "for name in [*names, 'polars', 'pandas', 'duckdb', 'numpy']:\n"
        "    if not name.endswith('__main__'):\n"
        "        try:\n"
        "            importlib.import_module(name)\n"
        "        except Exception:\n"
        "            pass\n"
        "print(len(names))\n"
    )
    subprocess.run([args.python, "-c", code], capture_output=True, check=False, cwd=BENCH)
    subprocess.run([args.tmall, "--help"], capture_output=True, check=False)


def startup_times(args: argparse.Namespace, runner: Runner) -> dict[str, Any]:
    """tmall --help and a usage error (best of 5), with Python and Polars start-up for scale."""
    checks = {
        "tmall --help": ([args.tmall, "--help"], (0,)),
        "tmall score dsr --as-of x (usage error)": (
            [args.tmall, "score", "dsr", "--as-of", "x"],
            (2,),
        ),
        "python -c pass (reference)": ([args.python, "-c", "pass"], (0,)),
        "python -c 'import polars' (reference)": ([args.python, "-c", "import polars"], (0,)),
    }
    out = {}
    for name, (argv, codes) in checks.items():
        m = runner.measure(argv, 5, ok_codes=codes)
        out[name] = asdict(m)
        log(f"[startup] {name:<44} {status_text(m)}")
    return out


# --------------------------------------------------------------------------- machine


def machine_info(args: argparse.Namespace) -> dict[str, Any]:
    def cpu_model() -> str:
        with contextlib.suppress(OSError):
            for line in Path("/proc/cpuinfo").read_text().splitlines():
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
        return platform.processor() or "unknown"

    def memory_gb() -> float | None:
        with contextlib.suppress(OSError, ValueError, IndexError):
            for line in Path("/proc/meminfo").read_text().splitlines():
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024 / 1e9
        return None

    def version(dist: str) -> str:
        probe = subprocess.run(
            [
                args.python,
                "-c",
                f"from importlib import metadata; print(metadata.version({dist!r}))",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        return probe.stdout.strip() or "not installed"

    def git(*cmd: str) -> str:
        probe = subprocess.run(
            ["git", "-C", str(ROOT), *cmd], capture_output=True, text=True, check=False
        )
        return probe.stdout.strip()

    dirty = git("status", "--porcelain", "--", "tmallcli")
    python = subprocess.run(
        [args.python, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "date": datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu": cpu_model(),
        "memory_gb": round(memory_gb() or 0, 1),
        "os": platform.platform(),
        "python": python,
        "versions": {d: version(d) for d in ("tmallcli", "polars", "pandas", "duckdb")},
        "git": (git("rev-parse", "--short", "HEAD") or "unknown")
        + (" + uncommitted changes in tmallcli/" if dirty else ""),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# --------------------------------------------------------------------------- RESULTS.md


def mark(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "**missed**")


def render(report: dict[str, Any], previous_notes: str | None) -> str:
    machine = report["machine"]
    lines = [
        "# tmall benchmark results",
        "",
        "Written by `bench/run.py` (SPEC §12, issue 7). Every figure below comes from one run on",
        "the machine described here; each process is timed whole (start-up included), best of the",
        "runs shown, peak RSS from `wait4`. Column meanings: `bench/README.md`.",
        "",
        "## Machine",
        "",
        f"* date: {machine['date']}",
        f"* CPU: {machine['cpu']}, {machine['nproc']} cores (nproc); memory {machine['memory_gb']} GB",
        f"* OS: {machine['os']}",
        f"* Python {machine['python']} · "
        + " · ".join(f"{k} {v}" for k, v in machine["versions"].items()),
        f"* tmallcli at git {machine['git']}",
        f"* load average at start: {', '.join(map(str, machine['load_average_at_start']))}"
        + (
            f"; at end: {', '.join(map(str, report['load_average_at_end']))}"
            if report.get("load_average_at_end")
            else ""
        )
        + " (a shared machine: other work inflates every tool's times alike)",
        "",
        "## Reproduce",
        "",
        "```bash",
        '.venv/bin/pip install -e ".[bench]"',
        f".venv/bin/python {' '.join(report['argv'])}",
        "```",
        "",
        "Shops are `tmall sample --orders N --seed 1` in `bench/cache/shop-<size>/` (GB18030 copies in",
        "`shop-<size>-gb18030/`, same seed), reused while their `manifest.json` matches.",
        f"As-of date: `--as-of {report['as_of']}`.",
        "",
        "## Targets (SPEC §12, 2-core machine)",
        "",
        f"* every command within {FLOOR_TARGET}× the parse floor, and no slower than DuckDB;",
        f"* `report` at most {REPORT_TARGET}× `score service` on the same shop (at 1 M and 10 M), both cold;",
        f"* cold runs are `--no-cache` (the CSV parsed); warm runs (the parsed-export cache filled) "
        f"within {WARM_FLOOR_TARGET}× Polars scanning the cached Parquet, and `report` at 1 M "
        f"at least {WARM_REPORT_SPEEDUP:g}× faster warm than cold;",
        f"* peak memory under 4 GB ({MEMORY_TARGET_MB:.0f} MB);",
        f"* GB18030 input at most {GB18030_TARGET:.0f}× the UTF-8 time;",
        "* a portfolio of 20 shops × 100 k orders (`tmall portfolio --jobs 2`) at most 0.6× the "
        "sum of its single runs;",
        f"* `tmall --help` and usage errors under {STARTUP_TARGET_S} s.",
        "",
    ]
    summary = summary_rows(report)
    if summary:
        lines += [
            "## Summary",
            "",
            "| size | commands | ≤ 1.5× floor | ≤ DuckDB | < 4 GB | report ≤ 1.3× service (cold) "
            "| warm ≤ 1.5× warm floor | warm report ≥ 4× faster (1 M) | GB18030 ≤ 2× | failed |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        lines += summary
        lines.append("")
        if "portfolio" in report:
            lines += [f"Portfolio: {portfolio_line(report['portfolio'])}.", ""]
    for label, size in report["sizes"].items():
        lines += render_size(label, size)
    lines += render_portfolio(report.get("portfolio"))
    lines += render_startup(report.get("startup"))
    lines += render_checks(report)
    lines += render_processes(report)
    notes = report.get("notes") or []
    if notes:
        lines += ["## Notes from the run", ""] + [f"* {n}" for n in notes] + [""]
    lines += [PLACEHOLDER_HEADING, "", previous_notes or PLACEHOLDER_BODY, ""]
    return "\n".join(lines).rstrip() + "\n"


def summary_rows(report: dict[str, Any]) -> list[str]:
    rows = []
    for label, size in report["sizes"].items():
        if "commands" not in size:
            continue
        floor_ok = duck_ok = mem_ok = failed = total = referenced = 0
        for name, result in size["commands"].items():
            total += 1
            spec = SPECS.get(name)
            has_references = spec is None or spec.references
            referenced += has_references
            t, f, d = (Measure(**result["measures"][k]) for k in ("tmall", "floor", "duckdb"))
            if not t.ok:
                failed += 1
                continue
            mem_ok += (t.rss_mb or 0) < MEMORY_TARGET_MB
            if not has_references:
                continue
            r = ratio(t, f)
            floor_ok += r is not None and r <= FLOOR_TARGET
            r = ratio(t, d)
            duck_ok += r is not None and r <= 1.0
        gb = size.get("gb18030") or {}
        gb_ok = sum(
            1
            for name, g in gb.items()
            if (
                r := ratio(
                    Measure(**g["measure"]), Measure(**size["commands"][name]["measures"]["tmall"])
                )
            )
            is not None
            and r <= GB18030_TARGET
        )
        gb_text = f"{gb_ok}/{len(gb)}" if gb else "not run"
        warm_floor, warm_report = summary_cells(size, size.get("orders"))
        rows.append(
            f"| {label} | {total} | {floor_ok}/{referenced} | {duck_ok}/{referenced} | {mem_ok}/{total}"
            f" | {report_text(size)} | {warm_floor} | {warm_report} | {gb_text} | {failed} |"
        )
    return rows


def report_text(size: dict[str, Any]) -> str:
    """`report` over `score service`, with its mark against the 1.3× target, or —."""
    commands = size.get("commands") or {}
    if "report" not in commands or "score-service" not in commands:
        return "—"
    r = report_ratio(commands["report"], commands["score-service"])
    return "—" if r is None else f"{fmt_ratio(r)} {mark(r <= REPORT_TARGET)}"


def render_size(label: str, size: dict[str, Any]) -> list[str]:
    shop = size.get("shop") or {}
    lines = [f"## {label} orders", ""]
    if size.get("error"):
        return [*lines, f"Not run: {size['error']}", ""]
    rows = shop.get("rows", {})
    generated = size.get("generated") or {}
    gen_text = (
        f"generated in {generated['seconds']} s (peak RSS {generated.get('rss_mb', '?')} MB)"
        if generated.get("seconds") is not None
        else "cached from an earlier run"
    )
    lines += [
        "Shop: "
        + ", ".join(f"{k} {v:,}" for k, v in rows.items())
        + f" rows; {shop.get('bytes', 0) / 1e6:,.0f} MB of CSV; {gen_text}. "
        + f"Best of {size['repeat']} run(s)"
        + (
            f"; a command where tmall, the floor or DuckDB took over"
            f" {size['repeat_under']:g} s is run once by all three, pandas again while its"
            f" run takes under {size['repeat_under']:g} s."
            if size.get("repeat_under") is not None and size["repeat"] > 1
            else "."
        ),
        "",
        "| command | tmall s (cold) | floor s | tmall/floor | DuckDB s | tmall/DuckDB | pandas s | tmall/pandas | tmall peak RSS (anon) MB | ≤ 1.5× floor | ≤ DuckDB | < 4 GB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    failures = []
    for spec in COMMAND_SPECS:
        result = size["commands"].get(spec.name)
        if result is None:
            continue
        m = {k: Measure(**v) for k, v in result["measures"].items()}
        t, f, d, p = m["tmall"], m["floor"], m["duckdb"], m["pandas"]

        def cell(x: Measure, spec: Command = spec) -> str:
            if x.ok:
                return fmt_s(x.seconds)
            if not spec.references and x.status == "skipped":
                return "—"  # no floor, DuckDB or pandas computes it
            return "skipped" if x.status == "skipped" else "FAILED"

        r_floor, r_duck, r_pandas = ratio(t, f), ratio(t, d), ratio(t, p)
        anon = f" ({t.anon_mb:,.0f})" if t.anon_mb is not None else ""
        rss = f"{t.rss_mb:,.0f}{anon}" if t.ok and t.rss_mb is not None else "—"
        lines.append(
            f"| `{spec.label}` | {cell(t)} | {cell(f)} | {fmt_ratio(r_floor)} | {cell(d)} | {fmt_ratio(r_duck)}"
            f" | {cell(p)} | {fmt_ratio(r_pandas)} | {rss}"
            f" | {mark(None if r_floor is None else r_floor <= FLOOR_TARGET)}"
            f" | {mark(None if r_duck is None else r_duck <= 1.0)}"
            f" | {mark(t.rss_mb < MEMORY_TARGET_MB if t.ok and t.rss_mb is not None else None)} |"
        )
        for tool, x in m.items():
            if x.status not in ("ok", "skipped"):
                failures.append(
                    f"* `{spec.label}` — {tool} FAILED ({x.status}): `{(x.error or '').replace(chr(10), ' ⏎ ')[-600:]}`"
                )
    lines.append("")
    commands = size["commands"]
    if "report" in commands and "score-service" in commands:
        whole = Measure(**commands["report"]["measures"]["tmall"])
        service = Measure(**commands["score-service"]["measures"]["tmall"])
        r = report_ratio(commands["report"], commands["score-service"])
        rss = f"{whole.rss_mb:,.0f} MB" if whole.ok and whole.rss_mb is not None else "—"
        lines += [
            f"`report` / `score service` on this shop, both cold (`--no-cache`): {fmt_s(whole.seconds) if whole.ok else 'FAILED'} s"
            f" / {fmt_s(service.seconds) if service.ok else 'FAILED'} s ="
            f" {fmt_ratio(r)} (target ≤ {REPORT_TARGET}×: {mark(None if r is None else r <= REPORT_TARGET)});"
            f" `report` peak RSS {rss}"
            f" (< 4 GB: {mark(whole.rss_mb < MEMORY_TARGET_MB if whole.ok and whole.rss_mb is not None else None)}).",
            "",
        ]
    lines += render_cache(label, size, {c.name: c.label for c in COMMAND_SPECS})
    lines += [
        "Peak RSS of every process, MB (in brackets: the largest anonymous RSS sampled every",
        "50 ms — what the process itself holds; peak RSS also counts the pages of the input files",
        "Polars memory-maps, up to the size of the largest file read):",
        "",
        "| command | tmall | floor | DuckDB | pandas |",
        "|---|---:|---:|---:|---:|",
    ]
    for spec in COMMAND_SPECS:
        result = size["commands"].get(spec.name)
        if result is None:
            continue
        cells = []
        for tool in TOOLS:
            x = Measure(**result["measures"][tool])
            anon = f" ({x.anon_mb:,.0f})" if x.anon_mb is not None else ""
            cells.append(f"{x.rss_mb:,.0f}{anon}" if x.ok and x.rss_mb is not None else "—")
        lines.append(f"| `{spec.label}` | " + " | ".join(cells) + " |")
    lines.append("")
    gb = size.get("gb18030") or {}
    if gb:
        lines += [
            "GB18030 input (the same shop, every file GB18030; tmall transcodes before Polars reads):",
            "",
            "| command | UTF-8 s | GB18030 s | GB18030/UTF-8 | ≤ 2× | same numbers | GB18030 peak RSS MB |",
            "|---|---:|---:|---:|---|---|---:|",
        ]
        for spec in COMMAND_SPECS:
            g = gb.get(spec.name)
            if g is None:
                continue
            gm = Measure(**g["measure"])
            um = Measure(**size["commands"][spec.name]["measures"]["tmall"])
            r = ratio(gm, um)
            same_text = {True: "yes", False: "**no**", None: "—"}[g.get("same_numbers")]
            rss = f"{gm.rss_mb:,.0f}" if gm.ok and gm.rss_mb is not None else "—"
            lines.append(
                f"| `{spec.label}` | {fmt_s(um.seconds) if um.ok else 'FAILED'} | {fmt_s(gm.seconds) if gm.ok else 'FAILED'}"
                f" | {fmt_ratio(r)} | {mark(None if r is None else r <= GB18030_TARGET)} | {same_text} | {rss} |"
            )
            if not gm.ok:
                failures.append(
                    f"* `{spec.label}` — tmall on GB18030 FAILED ({gm.status}): `{(gm.error or '').replace(chr(10), ' ⏎ ')[-600:]}`"
                )
        lines.append("")
    if failures:
        lines += ["Failures:", "", *failures, ""]
    return lines


def render_startup(startup: dict[str, Any] | None) -> list[str]:
    if not startup:
        return []
    lines = [
        "## Start-up (best of 5)",
        "",
        f"| command | s | peak RSS MB | < {STARTUP_TARGET_S} s |",
        "|---|---:|---:|---|",
    ]
    for name, raw in startup.items():
        m = Measure(**raw)
        target = "" if "reference" in name else mark(m.ok and (m.seconds or 0) < STARTUP_TARGET_S)
        seconds = fmt_s(m.seconds) if m.ok else f"FAILED ({m.error})"
        rss = f"{m.rss_mb:,.0f}" if m.rss_mb is not None else "—"
        lines.append(f"| `{name}` | {seconds} | {rss} | {target} |")
    return [*lines, ""]


def render_checks(report: dict[str, Any]) -> list[str]:
    lines = ["## Cross-check: tmall vs DuckDB vs pandas", ""]
    checked = [label for label, s in report["sizes"].items() if s.get("checked")]
    if not checked:
        return [*lines, "Not run.", ""]
    lines += [
        "The headline numbers of each command (tmall's JSON; the baselines print the same keys) are",
        "compared on the "
        + ", ".join(checked)
        + " shop(s): integers exactly, floats to the coarser",
        "of the two precisions (tmall rounds scores to 4 places). The GB18030 runs are compared with",
        "the UTF-8 run the same way.",
        "",
    ]
    rows = [
        (label, d)
        for label, s in report["sizes"].items()
        if s.get("checked")
        for d in s.get("disagreements", [])
    ]
    if not rows:
        lines += ["All headline numbers agree.", ""]
    else:
        lines += [
            "| size | command | baseline | number | tmall | baseline |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {label} | {d['command']} | {d['tool']} | {d['key']} | {d['tmall']} | {d['other']} |"
            for label, d in rows
        ]
        lines.append("")
    lines += [
        "Where the baselines simplify the tool's rules (so a disagreement on another shop may",
        "come from these, not from a bug):",
        "",
        *(f"* {item}" for item in SIMPLIFICATIONS),
        "",
    ]
    return lines


SIMPLIFICATIONS = (
    "Headline numbers only: none of the tool's lists, breakdowns, diagnoses, forecasts, "
    "the auto-refund replay or the payout ledger.",
    "Reading: the generated shop's headers by name (first alias only), one UTF-8 file per kind; "
    'no GB18030 / `.xlsx`, no Excel wrappers (`="…"`), no null words beyond pandas\' defaults '
    "(DuckDB: empty cells only), no sub-order folding, no removal of exact duplicate rows "
    "(the tool drops them: one duplicate chat row in the 100k shop, which changes no headline "
    "number); a bad value becomes NaN / NULL silently instead of an error naming file and line.",
    "`score dsr`: rows of one order tied on (评价时间, 宝贝ID) keep file order in tmall and pandas, "
    "an arbitrary one in DuckDB (`row_number()`); tmall rounds half-up from the exact fraction, "
    "the baselines print the float mean (compared to 4 places).",
    "`audit pickup` / `compensate`: the orders export's 揽收时间 column (which the tool prefers "
    "when present) is not read, the generated shop has none.",
    "`compensate late-orders`: the late-shipment rule only — late orders, 24-hour groups and "
    "Σ min(500 yuan, group) before deducting what the platform already paid (tmall's "
    "`reconciliation.computed_total_fen`); no 当日达/次日达 promise payouts, no 缺货 payouts.",
    "`audit refunds`: 售后类型 only (the tool also derives the type from 是否需要退货); the "
    "completed-status filter is the tool's default (any refund with a 退款完结时间).",
    "`score cs`: `--last 30` only. `reviews triage`: counts and 好评率 only, no cause keywords.",
    "`score service`: the metric values only (no scales, weights or total); each metric reads its "
    "own files, so the orders export is read three times by each baseline.",
    "`report`: not cross-checked and without a floor, DuckDB or pandas reference (nothing "
    "but tmall computes the whole report); each of its sections is its own command's "
    "computation, cross-checked through that command.",
    "`data check`: `problems` is the number of unparseable cells in the 时间 / 金额 / 邮费 "
    "columns plus Excel-mangled IDs; tmall counts distinct problems. Both are 0 on a clean shop.",
)


def render_processes(report: dict[str, Any]) -> list[str]:
    """The exact command line of every process, from the first size that ran."""
    for label, size in report["sizes"].items():
        commands = size.get("commands")
        if not commands:
            continue
        lines = [
            "## The processes timed",
            "",
            f"<details><summary>Command lines at {label} (the other sizes differ only in the "
            "shop folder; tmall's JSON, and the report's HTML, go to a temporary file)</summary>",
            "",
        ]
        for spec in COMMAND_SPECS:
            result = commands.get(spec.name)
            if result is None:
                continue
            lines += [f"`{spec.label}`:", "", "```bash"]
            lines += [re.sub(r"bench/cache/run-\d+/", "$TMP/", v) for v in result["argv"].values()]
            lines += ["```", ""]
        return [*lines, "</details>", ""]
    return []


def previous_notes(path: Path) -> str | None:
    """The lead's "What was slow" section of an earlier RESULTS.md, kept across runs."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    start = text.find(PLACEHOLDER_HEADING)
    if start < 0:
        return None
    body = text[start + len(PLACEHOLDER_HEADING) :]
    nxt = re.search(r"^## ", body, flags=re.MULTILINE)
    body = (body[: nxt.start()] if nxt else body).strip()
    return body or None


def write_report(report: dict[str, Any], out: Path, notes_text: str | None) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(render(report, notes_text), encoding="utf-8")
    tmp.replace(out)
    raw = out.with_suffix(".json")
    tmp = raw.with_name(raw.name + ".tmp")
    tmp.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    tmp.replace(raw)


# --------------------------------------------------------------------------- main


def default_tmall() -> str:
    here = Path(sys.executable).parent / "tmall"
    return str(here) if here.exists() else (shutil.which("tmall") or "tmall")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time every tmall command against the parse floor, DuckDB and pandas.",
        epilog="Example: .venv/bin/python bench/run.py --sizes 100k,1m --gb18030",
    )
    parser.add_argument("--sizes", default="100k,1m,10m", help="shop sizes, e.g. 100k,1m,10m")
    parser.add_argument(
        "--commands",
        default=",".join(COMMAND_NAMES),
        help="commands to time (default all): " + ",".join(COMMAND_NAMES),
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="best of N runs (default: 3; see --repeat-under)",
    )
    parser.add_argument(
        "--repeat-under",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="repeat a command only while its first run took tmall, the floor and DuckDB at "
        "most this long (default: 30; pandas: its own run): the light commands are timed "
        "best of --repeat at 10 M orders too, a run of minutes once",
    )
    parser.add_argument(
        "--gb18030",
        action="store_true",
        help="also time the orders-heavy commands on a GB18030 copy of each shop",
    )
    parser.add_argument(
        "--only-generate", action="store_true", help="generate the shops, time nothing"
    )
    parser.add_argument(
        "--out", type=Path, default=BENCH / "RESULTS.md", help="the report (and its .json)"
    )
    parser.add_argument(
        "--tools",
        default=",".join(TOOLS),
        help="which of tmall,floor,duckdb,pandas to run (default all)",
    )
    parser.add_argument(
        "--cache-runs",
        default="fill,warm",
        metavar="fill,warm",
        help="besides the cold runs (--no-cache): 'fill' times the first run with an empty "
        "--cache-dir, 'warm' the runs with the cache filled and the warm floor (Polars "
        "scanning the cached Parquet); 'none' for cold runs only (default: fill,warm)",
    )
    parser.add_argument(
        "--cache-max-gb",
        type=float,
        default=None,
        metavar="GB",
        help="cache.max_gb for the first and warm runs (a tmall.yaml in the run's working "
        "folder; default: the config's 5 GB, as a user has it)",
    )
    parser.add_argument(
        "--no-portfolio",
        action="store_true",
        help="skip the portfolio (tmall portfolio SHOPS --jobs N against the sum of single runs)",
    )
    parser.add_argument(
        "--portfolio-shops", type=int, default=20, metavar="N", help="shops (default 20)"
    )
    parser.add_argument(
        "--portfolio-orders",
        default="100k",
        metavar="SIZE",
        help="orders per portfolio shop (default 100k)",
    )
    parser.add_argument(
        "--portfolio-jobs", type=int, default=2, metavar="N", help="--jobs (default 2)"
    )
    parser.add_argument(
        "--no-startup", action="store_true", help="skip the --help / usage-error timings"
    )
    parser.add_argument(
        "--no-check", action="store_true", help="skip the cross-check of the numbers"
    )
    parser.add_argument(
        "--no-warm", action="store_true", help="do not pre-read the files into the page cache"
    )
    parser.add_argument(
        "--timeout", type=float, default=1800.0, help="seconds per process (default 1800)"
    )
    parser.add_argument(
        "--memory-limit-gb",
        type=float,
        default=None,
        help="kill a process above this RSS (default: 75%% of the machine's memory)",
    )
    parser.add_argument(
        "--as-of", default=DEFAULT_AS_OF, help=f"report date (default {DEFAULT_AS_OF})"
    )
    parser.add_argument("--tmall", default=default_tmall(), help="the tmall executable")
    parser.add_argument("--python", default=sys.executable, help="the Python for the baselines")
    args = parser.parse_args(argv)
    try:
        args.sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    args.commands = [c.strip() for c in args.commands.split(",") if c.strip()]
    unknown = [c for c in args.commands if c not in COMMAND_NAMES]
    if unknown:
        parser.error(
            f"unknown command(s) {', '.join(unknown)}; choose from {', '.join(COMMAND_NAMES)}"
        )
    args.cache_runs = [
        m.strip() for m in args.cache_runs.split(",") if m.strip() not in ("", "none")
    ]
    if any(m not in ("fill", "warm") for m in args.cache_runs):
        parser.error("--cache-runs: fill, warm, both (fill,warm) or none")
    try:
        args.portfolio_orders = parse_size(args.portfolio_orders)
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    if args.portfolio_shops < 1 or args.portfolio_jobs < 1:
        parser.error("--portfolio-shops and --portfolio-jobs must be at least 1")
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    if "tmall" not in args.tools or any(t not in TOOLS for t in args.tools):
        parser.error(f"--tools: tmall plus any of {', '.join(TOOLS[1:])}")
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.memory_limit_gb is None:
        with contextlib.suppress(OSError, ValueError):
            for line in Path("/proc/meminfo").read_text().splitlines():
                if line.startswith("MemTotal:"):
                    args.memory_limit_gb = int(line.split()[1]) * 1024 / 1e9 * 0.75
    args.argv = ["bench/run.py", *(argv if argv is not None else sys.argv[1:])]
    return args


@contextlib.contextmanager
def workdir() -> Iterator[Path]:
    CACHE.mkdir(parents=True, exist_ok=True)
    folder = CACHE / f"run-{os.getpid()}"
    folder.mkdir(exist_ok=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    commands = [c for c in COMMAND_SPECS if c.name in args.commands]
    with workdir() as work:
        # No tmall process of the benchmark uses the user's cache folder: cold runs say
        # --no-cache, first and warm runs --cache-dir, and anything else (the portfolio's
        # workers) finds this folder, emptied before each run that uses it.
        os.environ[ENV_CACHE_DIR] = str(work / "cache-default")
        if args.cache_max_gb is not None:
            (work / "tmall.yaml").write_text(
                f"cache:\n  max_gb: {args.cache_max_gb}\n", encoding="utf-8"
            )
        runner = Runner(args, work)
        shops: dict[str, tuple[Path | None, Path | None, dict[str, Any]]] = {}
        for label, orders in args.sizes:
            shop, info = ensure_shop(args.tmall, label, orders, "utf-8", runner, args.as_of)
            gb_shop = None
            if args.gb18030 and shop is not None:
                gb_shop, gb_info = ensure_shop(
                    args.tmall, label, orders, "gb18030", runner, args.as_of
                )
                info = {**info, "gb18030": gb_info}
            shops[label] = (shop, gb_shop, info)
        if args.only_generate:
            made = all(s is not None for s, _, _ in shops.values())
            if not args.no_portfolio:
                made &= run_portfolio(args, runner).get("status") in ("generated", "skipped")
            return 0 if made else 1

        notes: list[str] = []
        report: dict[str, Any] = {
            "machine": machine_info(args),
            "argv": args.argv,
            "as_of": args.as_of,
            "sizes": {},
            "notes": notes,
        }
        keep = previous_notes(args.out)
        warm_imports(args)
        if not args.no_startup:
            report["startup"] = startup_times(args, runner)
            write_report(report, args.out, keep)
        for label, orders in args.sizes:
            shop, gb_shop, info = shops[label]
            if shop is None:
                report["sizes"][label] = {
                    "error": f"the shop could not be generated: {info.get('error')}"
                }
                continue
            result = bench_size(label, orders, shop, gb_shop, commands, args, runner, notes)
            result["shop"] = shop_summary(shop)
            result["orders"] = orders
            result["generated"] = info
            result["checked"] = (
                not args.no_check and {"duckdb", "pandas"} & set(args.tools) != set()
            )
            report["sizes"][label] = result
            report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
            write_report(report, args.out, keep)
            log(f"[{label}] written to {args.out}")
        if not args.no_portfolio:
            report["portfolio"] = run_portfolio(args, runner)
            report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
            write_report(report, args.out, keep)
        disagreements = sum(len(s.get("disagreements", [])) for s in report["sizes"].values())
        if disagreements:
            log(f"cross-check: {disagreements} disagreement(s), listed in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
