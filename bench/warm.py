"""Cold, first and warm runs of the parsed-export cache (SPEC §12 restated, §15 "Parsing once").

``bench/run.py`` times every command three ways on the same shop:

* **cold** — ``--no-cache``: the CSV parsed, as SPEC §12's cold targets mean (the column
  ``tmall s`` of the main table, and the ``report ≤ 1.3× score service`` line);
* **first run** — ``--cache-dir`` an empty folder (emptied before each run): the CSV parsed and
  the cache filled, what a new user pays on the first run of the day;
* **warm** — ``--cache-dir`` the folder the last first run filled: the Parquet entries read.

The **warm floor** is Polars scanning the cache's entries for the columns they hold
(``floor.py --parquet``): the folder is filled by the command itself, so each entry holds
exactly the columns the command read of that file. The entries are found and read through
the package's cache API (:class:`tmallcli.exports.parsed_cache.ParsedCache`).

This module holds what ``run.py`` needs beyond its process machinery: the cache's contents
and the RESULTS.md section. It works on the raw measures (dicts) of RESULTS.json.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

WARM_FLOOR_TARGET = 1.5  # warm runs within 1.5× Polars scanning the cached Parquet
WARM_REPORT_SPEEDUP = 4.0  # warm `report` at least 4× faster than cold …
WARM_REPORT_FROM = 1_000_000  # … on a shop of 1 M orders (and larger)


def cache_contents(folder: Path, read: list[Path]) -> dict[str, Any]:
    """The entries a run left in ``folder``: the warm floor's spec (each entry's Parquet and
    the canonical columns it holds), how many there are, their size, and the files read that
    have none (a file with a bad cell is never cached; the bound may evict one)."""
    from tmallcli.exports.parsed_cache import CacheSettings, ParsedCache

    # The fingerprint only names entries; looking one up by its file name does not use it.
    cache = ParsedCache(CacheSettings.of(folder), fingerprint="")
    spec = []
    size = 0
    names = sorted(p.name for p in folder.glob("*.parquet")) if folder.is_dir() else []
    for name in names:
        if name.startswith(".part-"):  # a temporary file of a write
            continue
        entry = cache.lookup(name)
        if entry is None:
            continue
        spec.append([str(entry.path), list(entry.columns)])
        size += entry.path.stat().st_size
    return {
        "entries": len(spec),
        "files": len(read),
        "uncached": [str(path) for path in read if not cache.has_file(path)],
        "bytes": size,
        "floor_spec": spec,
    }


def seconds(raw: dict[str, Any] | None) -> float | None:
    return raw.get("seconds") if raw and raw.get("status") == "ok" else None


def over(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def cache_line(result: dict[str, Any]) -> str:
    """The progress line of a command's first and warm runs."""
    m = result["measures"]
    cold, fill = seconds(m.get("tmall")), seconds(m.get("tmall_fill"))
    warm, floor = seconds(m.get("tmall_warm")), seconds(m.get("floor_warm"))
    cache = result.get("cache") or {}
    parts = [f"first run {text_s(fill)} ({text_ratio(over(fill, cold))} of cold)"]
    parts.append(f"warm {text_s(warm)} (cold/warm {text_ratio(over(cold, warm))})")
    parts.append(f"warm floor {text_s(floor)} ({text_ratio(over(warm, floor))})")
    parsed = seconds(m.get("tmall_parsed"))
    if parsed is not None:
        parts.append(f"from Parquet {text_s(parsed)} ({text_ratio(over(parsed, floor))})")
    for which in ("fill", "warm"):
        if (cache.get("same_output") or {}).get(which) is False:
            parts.append(f"{which} output differs from cold!")
    if cache.get("uncached"):
        parts.append(f"{len(cache['uncached'])} file(s) not cached")
    error = (m.get("tmall_warm") or {}).get("error")
    if error:
        parts.append(f"warm FAILED: {error}")
    return " · ".join(parts)


def text_s(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if value < 10 else f"{value:.2f}" if value < 100 else f"{value:.1f}"


def text_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def mark(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "**missed**")


def warm_ok(result: dict[str, Any]) -> bool | None:
    """Warm within 1.5× the warm floor (None when either was not timed)."""
    m = result.get("measures", {})
    r = over(seconds(m.get("tmall_warm")), seconds(m.get("floor_warm")))
    return None if r is None else r <= WARM_FLOOR_TARGET


def report_speedup(size: dict[str, Any]) -> float | None:
    """Cold `report` over warm `report` on this shop."""
    result = (size.get("commands") or {}).get("report")
    if result is None:
        return None
    m = result["measures"]
    return over(seconds(m.get("tmall")), seconds(m.get("tmall_warm")))


def summary_cells(size: dict[str, Any], orders: int | None) -> tuple[str, str]:
    """The summary's "warm ≤ 1.5× warm floor" and "warm report ≥ 4× faster" cells."""
    results = [r for r in (size.get("commands") or {}).values() if r.get("cache")]
    if not results:
        return "not run", "not run"
    marks = [warm_ok(r) for r in results]
    timed = [x for x in marks if x is not None]
    floor_text = f"{sum(timed)}/{len(timed)}" if timed else "—"
    speedup = report_speedup(size)
    if speedup is None:
        return floor_text, "—"
    target = mark(speedup >= WARM_REPORT_SPEEDUP) if (orders or 0) >= WARM_REPORT_FROM else "(1 M+)"
    return floor_text, f"{text_ratio(speedup)} {target}"


def render_cache(label: str, size: dict[str, Any], labels: dict[str, str]) -> list[str]:
    """The per-size table of cold, first and warm runs (``labels``: command name → as typed)."""
    rows = [(name, r) for name, r in (size.get("commands") or {}).items() if r.get("cache")]
    if not rows:
        return []
    lines = [
        f"Cold, first and warm runs at {label} (the parsed-export cache, SPEC §15): cold is "
        "`--no-cache` (`tmall s (cold)` above); the first run has `--cache-dir` an empty folder "
        "(the CSV parsed and the cache filled: a new user's first run); warm has the folder the "
        "last first run filled. The warm floor is Polars scanning the cached Parquet entries "
        "for the columns they hold (`floor.py --parquet`). A command that keeps its result "
        "(`tmallcli/runs/memo.py`: same exports, config, `--as-of` and options) reads it warm; "
        "`from Parquet` is its warm run with that result removed first (a warm run for another "
        "T: the parsed Parquet alone, the rules computed again). Same output: the JSON (the "
        "report's HTML) of the first / warm run byte for byte the cold run's.",
        "",
        "| command | cold s | first run s | first/cold | warm s | cold/warm | warm floor s "
        "| warm/warm floor | ≤ 1.5× warm floor | from Parquet s | from Parquet/warm floor "
        "| cache MB | entries / files | same output |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---|",
    ]
    notes = []
    for name, result in rows:
        m = result["measures"]
        cache = result["cache"]
        cold, fill = seconds(m.get("tmall")), seconds(m.get("tmall_fill"))
        warm, floor = seconds(m.get("tmall_warm")), seconds(m.get("floor_warm"))
        parsed = seconds(m.get("tmall_parsed"))
        r = over(warm, floor)
        same = cache.get("same_output") or {}
        same_text = "/".join(
            {True: "yes", False: "**no**", None: "—"}[same.get(k)] for k in ("fill", "warm")
        )
        lines.append(
            f"| `{labels.get(name, name)}` | {text_s(cold)} | {text_s(fill)} "
            f"| {text_ratio(over(fill, cold))} | {text_s(warm)} | {text_ratio(over(cold, warm))} "
            f"| {text_s(floor)} | {text_ratio(r)} "
            f"| {mark(None if r is None else r <= WARM_FLOOR_TARGET)} "
            f"| {text_s(parsed)} | {text_ratio(over(parsed, floor))} "
            f"| {cache.get('bytes', 0) / 1e6:,.1f} | {cache.get('entries', 0)} / {cache.get('files', 0)} "
            f"| {same_text} |"
        )
        for path in cache.get("uncached") or []:
            notes.append(
                f"* `{labels.get(name, name)}`: no cache entry for `{path}` (read from the CSV warm too)"
            )
        for tool in ("tmall_fill", "tmall_warm", "floor_warm"):
            raw = m.get(tool) or {}
            if raw and raw.get("status") not in ("ok", "skipped"):
                error = (raw.get("error") or "").replace("\n", " ⏎ ")[-600:]
                notes.append(f"* `{labels.get(name, name)}` — {tool} FAILED: `{error}`")
    lines.append("")
    speedup = report_speedup(size)
    if speedup is not None:
        m = size["commands"]["report"]["measures"]
        cold, parsed = seconds(m.get("tmall")), seconds(m.get("tmall_parsed"))
        lines += [
            f"`report` cold / warm on this shop: {text_s(cold)} s / "
            f"{text_s(seconds(m.get('tmall_warm')))} s = {text_ratio(speedup)} faster warm "
            f"(target at 1 M orders: ≥ {WARM_REPORT_SPEEDUP:g}×). The warm run reads the "
            "result the first run kept (same exports, config and `--as-of`: "
            "`tmallcli/runs/memo.py`); with that result removed before each run — a warm "
            "report for another T, from the parsed Parquet alone — it takes "
            f"{text_s(parsed)} s (cold/that {text_ratio(over(cold, parsed))}).",
            "",
        ]
    if notes:
        lines += [*notes, ""]
    return lines
