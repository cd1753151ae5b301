"""The portfolio benchmark (issue 26 item 4, SPEC §15 "Many shops"): an agency's morning run.

``tmall portfolio SHOPS --jobs 2`` over 20 shops of 100 k orders each (``tmall sample
--orders 100000 --seed K`` in ``bench/cache/portfolio-20x100k/shop-K``), timed as one whole
process, against the sum of the 20 single ``tmall report --dir shop-K`` runs on the same
shops. Target on 2 cores: the portfolio at most 0.6× that sum. Peak memory: wait4's peak
RSS is the largest single process of the tree; the sampled sum over the portfolio process and
its workers (every 50 ms) is what the machine holds at once.

Both sides run cold: ``--no-cache`` when ``tmall portfolio`` has it, else each run finds an
empty cache folder (``TMALL_CACHE_DIR`` for the portfolio's workers, ``--cache-dir`` for the
single runs), so both parse every CSV (and fill the cache) — a first run of the day.

When ``tmall portfolio --help`` fails (the command is not in this tmall), the section is
skipped with one line saying so, and nothing is generated.

``bench/run.py`` calls :func:`bench_portfolio` with its process machinery (this module holds
no process code of its own, so both stay in step).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

PORTFOLIO_TARGET = 0.6  # the portfolio at most 0.6× the sum of its single runs (2 cores)


def portfolio_help(tmall: str) -> tuple[int, str]:
    """Exit code and help text of ``tmall portfolio --help`` (exit 0: the command exists)."""
    try:
        proc = subprocess.run(
            [tmall, "portfolio", "--help"],
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
            check=False,
            env={**os.environ, "COLUMNS": "200"},  # one option per line, not wrapped
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return -1, str(exc)
    return proc.returncode, proc.stdout


def bench_portfolio(
    args: Any,
    runner: Any,
    cache: Path,
    ensure_shop: Callable[..., tuple[Path | None, dict[str, Any]]],
    merge: Callable[[Any, Any], Any],
    warm: Callable[[list[Path]], None],
    files_of: Callable[[Path], dict[str, Path]],
    log: Callable[[str], None],
    display: Callable[[list[str]], str],
) -> dict[str, Any]:
    label, orders = args.portfolio_orders
    count, jobs = args.portfolio_shops, args.portfolio_jobs
    name = f"portfolio-{count}x{label}"
    base = {"shops": count, "orders": orders, "label": label, "jobs": jobs}
    code, help_text = portfolio_help(args.tmall)
    if code != 0:
        reason = (
            f"`tmall portfolio --help` exited {code}: this tmall has no portfolio command "
            "(issue 26 item 2, not merged yet); the portfolio was not timed"
        )
        log(f"[portfolio] skipped: {reason}")
        return {**base, "status": "skipped", "reason": reason}

    root = cache / name
    expected = {f"shop-{k}" for k in range(1, count + 1)}
    if root.is_dir():  # a left-over .partial folder would be a shop to the portfolio
        for item in root.iterdir():
            if item.name not in expected:
                shutil.rmtree(item) if item.is_dir() else item.unlink()
    shops: list[Path] = []
    for k in range(1, count + 1):
        folder, info = ensure_shop(
            args.tmall,
            f"{name} shop-{k}",
            orders,
            "utf-8",
            runner,
            args.as_of,
            seed=k,
            folder=root / f"shop-{k}",
            record=cache / f"{name}.shop-{k}.generated.json",
        )
        if folder is None:
            reason = f"shop-{k} could not be generated: {info.get('error')}"
            return {**base, "status": "failed", "reason": reason}
        shops.append(folder)
    if args.only_generate:
        return {**base, "status": "generated"}

    no_cache = "--no-cache" in help_text
    work = runner.workdir
    out_dir = work / "portfolio-out"
    worker_cache = Path(os.environ.get("TMALL_CACHE_DIR") or work / "cache-default")
    single_cache = work / "cache-portfolio-single"
    html = work / "portfolio-single.html"
    portfolio_argv = [args.tmall, "portfolio", str(root), "--jobs", str(jobs)]
    portfolio_argv += ["--as-of", args.as_of, "--out-dir", str(out_dir)]
    portfolio_argv += ["--no-cache"] if no_cache else []
    cache_args = ["--no-cache"] if no_cache else ["--cache-dir", str(single_cache)]

    def single_argv(shop: Path) -> list[str]:
        return [
            args.tmall,
            "report",
            "--dir",
            str(shop),
            "--as-of",
            args.as_of,
            "--out",
            str(html),
            *cache_args,
        ]

    def fresh_portfolio() -> None:
        shutil.rmtree(out_dir, ignore_errors=True)
        shutil.rmtree(worker_cache, ignore_errors=True)

    def fresh_single() -> None:
        shutil.rmtree(single_cache, ignore_errors=True)

    if not args.no_warm:
        warm([path for shop in shops for path in files_of(shop).values()])
    repeat = args.repeat or 3
    whole = None
    singles: dict[str, Any] = {}
    for round_no in range(repeat):
        # Interleaved (the portfolio, then its shops one by one), again only while the
        # portfolio's first run took at most --repeat-under seconds.
        if round_no == 1 and whole.ok and (whole.seconds or 0) > args.repeat_under:
            break
        m = runner.measure(
            portfolio_argv,
            1,
            tree=True,
            before=fresh_portfolio,
            progress=f"[portfolio] {count} shops, --jobs {jobs} (run {round_no + 1}/{repeat})",
        )
        whole = m if whole is None else merge(whole, m)
        if not whole.ok:
            break
        for shop in shops:
            previous = singles.get(shop.name)
            if previous is not None and not previous.ok:
                continue
            m = runner.measure(single_argv(shop), 1, before=fresh_single)
            singles[shop.name] = m if previous is None else merge(previous, m)
    fresh_portfolio()
    fresh_single()
    html.unlink(missing_ok=True)
    assert whole is not None
    failed = [s for s, m in singles.items() if not m.ok]
    total = None if failed or not singles else sum(m.seconds or 0 for m in singles.values())
    ratio = None if total is None or not whole.ok or not total else (whole.seconds or 0) / total
    result = {
        **base,
        "status": "ok" if whole.ok and not failed else "failed",
        "cache": "--no-cache" if no_cache else "an empty cache folder per run",
        "portfolio": asdict(whole),
        "singles": {s: asdict(m) for s, m in singles.items()},
        "sum_single_s": None if total is None else round(total, 4),
        "ratio": None if ratio is None else round(ratio, 4),
        "argv": {
            "portfolio": temp(display(portfolio_argv)),
            "single": temp(display(single_argv(root / "shop-K"))),
        },
    }
    if not whole.ok:
        result["reason"] = f"tmall portfolio FAILED ({whole.status}): {whole.error}"
    elif failed:
        first = singles[failed[0]]
        result["reason"] = (
            f"single report FAILED on {', '.join(failed)} ({first.status}: {first.error})"
        )
    log(f"[portfolio] {portfolio_line(result)}")
    return result


def temp(command: str) -> str:
    """The run's temporary folder as $TMP, as RESULTS.md writes it for every command."""
    return re.sub(r"bench/cache/run-\d+/", "$TMP/", command)


def text_s(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if value < 10 else f"{value:.2f}" if value < 100 else f"{value:.1f}"


def portfolio_line(result: dict[str, Any] | None) -> str:
    """One line: the portfolio's wall time against the sum of its single runs, or why not."""
    if not result:
        return "not run (--no-portfolio)"
    shape = f"{result['shops']} shops × {result['label']} orders, --jobs {result['jobs']}"
    if result.get("status") != "ok":
        return f"{shape}: {result.get('status')} — {result.get('reason', '')}".rstrip(" —")
    whole = result["portfolio"]
    ratio = result["ratio"]
    verdict = "met" if ratio <= PORTFOLIO_TARGET else "**missed**"
    tree = whole.get("tree_rss_mb")
    return (
        f"{shape}: {text_s(whole['seconds'])} s against {text_s(result['sum_single_s'])} s for "
        f"the single runs = {ratio:.2f}× (target ≤ {PORTFOLIO_TARGET}×: {verdict}); peak RSS "
        f"{whole['rss_mb']:,.0f} MB in one process, "
        + (f"{tree:,.0f} MB for the whole process tree" if tree else "tree not sampled")
    )


def render_portfolio(result: dict[str, Any] | None) -> list[str]:
    if not result:
        return []
    lines = [
        f"## Portfolio: {result['shops']} shops × {result['label']} orders",
        "",
        portfolio_line(result) + ".",
        "",
    ]
    if result.get("status") != "ok":
        return lines
    whole = result["portfolio"]
    singles = result["singles"]
    biggest = max((m["rss_mb"] or 0 for m in singles.values()), default=0)
    anon = whole.get("anon_mb")
    lines += [
        f"Both sides cold ({result['cache']}), best of {len(whole['runs'])} run(s) each; "
        "the portfolio's wall time is the whole `tmall portfolio` process, its workers included; "
        "the single runs are `tmall report --dir shop-K --out F.html` one after the other "
        "(each shop's best run, summed). The portfolio also writes each shop's JSON report "
        "and its index, which the single runs do not.",
        "",
        "| | wall s | peak RSS of one process MB | peak RSS of all its processes MB (anon) |",
        "|---|---:|---:|---:|",
        f"| `tmall portfolio --jobs {result['jobs']}` | {text_s(whole['seconds'])} "
        f"| {whole['rss_mb']:,.0f} | {(whole.get('tree_rss_mb') or 0):,.0f}"
        + (f" ({anon:,.0f})" if anon else "")
        + " |",
        f"| {len(singles)} single `tmall report` runs, summed | {text_s(result['sum_single_s'])} "
        f"| {biggest:,.0f} (the largest) | — |",
        "",
        "```bash",
        result["argv"]["portfolio"],
        result["argv"]["single"],
        "```",
        "",
    ]
    return lines
