"""The parsed-export cache (SPEC §15 "Parsing once", issue 26): the same JSON and the same
warnings with and without it, a hit parses no CSV, a changed file is read again, a damaged
entry is a warning, the folder stays within its bound, and two runs may fill one entry."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from tmallcli.cli import app
from tmallcli.exports import parsed_cache
from tmallcli.exports.inputs import Inputs
from tmallcli.exports.parsed_cache import CacheSettings, ParsedCache, default_cache_dir
from tmallcli.exports.reader import ExportReader, ReadOptions

SAMPLE = REPO / "sample_data"
ORDERS = SAMPLE / "ExportOrderList20261120.csv"
AS_OF = ["--as-of", "2026-11-20", "-f", "json"]
# /work/baseline/capture.sh's command set: every command that reads exports.
COMMANDS = {
    "service": ["score", "service"],
    "dsr": ["score", "dsr"],
    "cs": ["score", "cs", "--last", "30"],
    "pickup": ["audit", "pickup"],
    "response": ["audit", "response"],
    "refunds": ["audit", "refunds"],
    "compensate": ["compensate", "late-orders"],
    "triage": ["reviews", "triage"],
    "report": ["report"],
    "target": ["score", "service", "--target", "4.5", "--set", "pickup_24h_rate=0.97"],
}

# Commands that fold the tracking events of some packages only (the pickup rate's candidates).
PARTIAL_LOGISTICS = {"service", "pickup", "target"}

runner = CliRunner()

# The tests here are about the Parquet entries, so their runs keep no result (runs/memo.py: a
# second run would read that instead of the entries), but for this one, about both.
KEEP_RESULTS = {"test_sample_shop_same_json_cold_warm_and_without"}


@pytest.fixture(autouse=True)
def entries_only(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.node.originalname not in KEEP_RESULTS:
        monkeypatch.setattr("tmallcli.runs.memo.result_key", lambda *args, **kwargs: None)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed from CSV (every parse of an export goes through ``_collect``)."""
    seen: list[str] = []
    collect = ExportReader._collect

    def counting(self: ExportReader, source: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(source.path.name)
        return collect(self, source, *args, **kwargs)

    monkeypatch.setattr(ExportReader, "_collect", counting)
    return seen


def tmall(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.parquet"))


@pytest.mark.parametrize("name", COMMANDS)
def test_sample_shop_same_json_cold_warm_and_without(
    name: str, tmp_path: Path, parses: list[str]
) -> None:
    cache = tmp_path / "cache"
    args = [*COMMANDS[name], "--dir", str(SAMPLE), *AS_OF]
    without = tmall(*args, "--no-cache")
    assert not cache.exists()
    assert parses, "the run without the cache parsed the exports"
    cold = tmall(*args, "--cache-dir", str(cache))
    written = entries(cache)
    assert written
    parses.clear()
    # The run's kept result (runs/memo.py) removed: a warm run from the parsed entries alone.
    for kept in cache.glob("*.pickle"):
        kept.unlink()
    warm = tmall(*args, "--cache-dir", str(cache))
    # The pickup rate folds only its candidates' tracking events: that read fills no entry
    # (reads_whole), so it parses the logistics export each time; the rest comes from the cache.
    partial = ["logistics.csv"] if name in PARTIAL_LOGISTICS else []
    assert parses == partial, "a warm run parsed an export again"
    parses.clear()
    kept_run = tmall(*args, "--cache-dir", str(cache))
    assert parses == [], "a run with a kept result parsed an export"
    assert without[0] == 0
    assert json.loads(without[1])  # a real result
    assert cold == without
    assert warm == without
    assert kept_run == without
    assert entries(cache) == written


def test_no_cache_writes_nothing_and_the_default_folder_is_the_env_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMALL_CACHE_DIR", str(tmp_path / "env"))
    tmall("score", "dsr", "--reviews", str(SAMPLE / "reviews.csv"), *AS_OF, "--no-cache")
    assert not (tmp_path / "env").exists()
    tmall("score", "dsr", "--reviews", str(SAMPLE / "reviews.csv"), *AS_OF)
    assert len(entries(tmp_path / "env")) == 1


def test_default_folder_follows_xdg_without_the_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TMALL_CACHE_DIR")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "tmallcli"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "tmallcli"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert default_cache_dir() == tmp_path / "local" / "tmallcli" / "Cache"


def _options(folder: Path, max_bytes: int = 1 << 40, **kwargs: Any) -> ReadOptions:
    return ReadOptions(cache=CacheSettings(folder, max_bytes), **kwargs)


def _load(path: Path, folder: Path, columns: tuple[str, ...], **kwargs: Any) -> pl.DataFrame:
    with Inputs({"orders": [str(path)]}, options=_options(folder, **kwargs)) as inputs:
        return inputs.load("orders", columns).frame


def test_a_changed_file_of_the_same_size_is_read_again(tmp_path: Path, parses: list[str]) -> None:
    orders = tmp_path / "orders.csv"
    shutil.copy(ORDERS, orders)
    columns = ("order_id", "paid_amount")
    first = _load(orders, tmp_path / "cache", columns)
    assert _load(orders, tmp_path / "cache", columns).equals(first)
    assert parses == ["orders.csv"]  # the second load hit
    # One order's amount changes, one digit for another: the same size, a new mtime.
    data = orders.read_bytes()  # GB18030, as the sample's orders export is
    lines = data.split(b"\n")
    paid = lines[0].decode("gb18030").split(",").index("买家实际支付金额")
    line = next(line for line in lines[1:] if line.split(b",")[paid][:1] in b"12345678")
    cells = line.split(b",")
    cells[paid] = bytes([cells[paid][0] + 1]) + cells[paid][1:]  # 41.00 → 51.00
    stat = orders.stat()
    orders.write_bytes(data.replace(line, b",".join(cells), 1))
    os.utime(orders, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert orders.stat().st_size == stat.st_size
    again = _load(orders, tmp_path / "cache", columns)
    assert parses == ["orders.csv", "orders.csv"]
    assert not again.equals(first)
    assert again.equals(_load(orders, tmp_path / "none", columns, max_bytes=0))


def test_a_load_of_more_columns_widens_the_entry(tmp_path: Path, parses: list[str]) -> None:
    cache = tmp_path / "cache"
    narrow = _load(ORDERS, cache, ("order_id", "paid_amount"))
    wide = _load(ORDERS, cache, ("order_id", "paid_at", "buyer"))
    assert len(parses) == 2 and len(entries(cache)) == 1
    assert _load(ORDERS, cache, ("order_id", "paid_amount")).equals(narrow)
    assert _load(ORDERS, cache, ("order_id", "paid_at", "buyer")).equals(wide)
    assert len(parses) == 2
    with Inputs({"orders": [str(ORDERS)]}) as plain:  # no cache
        assert plain.load("orders", ("order_id", "paid_at", "buyer")).frame.equals(wide)


def test_the_folded_tracking_events_come_from_their_entry(
    tmp_path: Path, parses: list[str]
) -> None:
    from tests.conftest import default_config
    from tmallcli.metrics.shipping import EVENT_COLUMNS, PackagePickups, PickupWords

    whole = PackagePickups(PickupWords.from_config(default_config().pickup))
    files = {"logistics": [str(SAMPLE / "logistics.csv")]}
    with Inputs(files) as plain:
        expected = plain.load("logistics", EVENT_COLUMNS, whole).frame
    for _ in range(2):
        with Inputs(files, options=_options(tmp_path / "cache")) as inputs:
            folded = inputs.load("logistics", EVENT_COLUMNS, whole).frame
        # (The fold's row order is its group_by's: each package once, in any order.)
        assert folded.sort(folded.columns).equals(expected.sort(expected.columns))
    assert parses == ["logistics.csv"] * 2  # without the cache; the cold run (into its entry)
    assert len(entries(tmp_path / "cache")) == 1


def test_a_partial_fold_fills_no_entry_but_reads_a_whole_one(
    tmp_path: Path, parses: list[str]
) -> None:
    """score service folds only its candidates' packages: it writes no logistics entry (a
    first run pays no more than without the cache), but uses the one the report wrote."""
    cache = tmp_path / "cache"
    service = ["score", "service", "--dir", str(SAMPLE), *AS_OF, "-f", "json"]
    without = tmall(*service, "--no-cache")
    tmall(*service, "--cache-dir", str(cache))
    parses.clear()
    tmall(*service, "--cache-dir", str(cache))
    assert parses == ["logistics.csv"]  # no entry of it
    tmall("report", "--dir", str(SAMPLE), *AS_OF, "-f", "json", "--cache-dir", str(cache))
    parses.clear()
    assert tmall(*service, "--cache-dir", str(cache)) == without
    assert parses == []


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_damaged_entry_is_a_warning_and_is_written_again(
    damage: str, tmp_path: Path, parses: list[str]
) -> None:
    cache = tmp_path / "cache"
    args = ["score", "dsr", "--reviews", str(SAMPLE / "reviews.csv"), *AS_OF]
    code, expected, _ = tmall(*args, "--cache-dir", str(cache))
    (entry,) = entries(cache)
    data = entry.read_bytes()
    entry.write_bytes(
        {"garbage": b"not parquet" * 100, "truncated": data[:-100], "empty": b""}[damage]
    )
    parses.clear()
    code, out, err = tmall(*args, "--cache-dir", str(cache))
    assert (code, out) == (0, expected)
    warnings = [line for line in err.splitlines() if "cache" in line]
    assert len(warnings) == 1, err
    assert warnings[0].startswith("tmall: warning: parsed-export cache entry ")
    assert str(entry) in warnings[0] and "read from the export again" in warnings[0]
    assert parses == ["reviews.csv"]
    assert entry.read_bytes() != b"" and pl.read_parquet(entry).height > 0  # rewritten
    parses.clear()
    assert tmall(*args, "--cache-dir", str(cache)) == (0, expected, "")
    assert parses == []


def test_the_least_recently_used_entries_go_at_the_bound(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    kinds = {"reviews": "reviews.csv", "refunds": "refunds.csv", "chats": "chats.csv"}
    for kind, name in kinds.items():
        with Inputs({kind: [str(SAMPLE / name)]}, options=_options(cache)) as inputs:
            inputs.load(kind)
    reviews, refunds, chats = (
        _entry_of(cache, SAMPLE / name, kind) for kind, name in kinds.items()
    )
    for age, path in enumerate([reviews, refunds, chats]):
        os.utime(path, (1_000_000 + age, 1_000_000 + age))  # used in this order, long ago
    sizes = {p: p.stat().st_size for p in (reviews, refunds, chats)}
    # Reading reviews again makes it the most recently used: past the bound the least
    # recently used (refunds) goes first, then chats.
    with Inputs({"reviews": [str(SAMPLE / "reviews.csv")]}, options=_options(cache)) as inputs:
        inputs.load("reviews")
    bound = sum(sizes.values()) - 1
    ParsedCache(CacheSettings(cache, bound), "").evict()
    assert set(entries(cache)) == {reviews, chats}
    ParsedCache(CacheSettings(cache, sizes[reviews]), "").evict()
    assert entries(cache) == [reviews]


def test_a_write_past_the_bound_evicts_but_keeps_the_new_entry(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with Inputs({"reviews": [str(SAMPLE / "reviews.csv")]}, options=_options(cache)) as inputs:
        inputs.load("reviews")
    (old,) = entries(cache)
    with Inputs({"chats": [str(SAMPLE / "chats.csv")]}, options=_options(cache, 1)) as inputs:
        inputs.load("chats")
    (new,) = entries(cache)
    assert new != old and new == _entry_of(cache, SAMPLE / "chats.csv", "chats")


def _entry_of(folder: Path, path: Path, kind: str) -> Path:
    found = [p for p in entries(folder) if p.name.startswith(_file_id(folder, path))]
    assert len(found) == 1, (kind, found)
    return found[0]


def _file_id(folder: Path, path: Path) -> str:
    name = ParsedCache(CacheSettings(folder, 1), repr((None, None, None))).name(path, "x")
    assert name is not None
    return name.split("-")[0]


def test_two_processes_filling_one_entry_at_once(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    args = [
        sys.executable,
        "-m",
        "tmallcli",
        "report",
        "--dir",
        str(SAMPLE),
        *AS_OF,
        "--cache-dir",
        str(cache),
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [
        subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        for _ in range(2)
    ]
    results = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    assert results[0][0] == results[1][0]
    assert results[0][1] == results[1][1]  # what was read; no warning about the cache
    assert "parsed-export cache" not in results[0][1] and "warning" not in results[0][1]
    names = [p.name for p in cache.iterdir()]
    assert all(not n.startswith(".part-") for n in names), names  # no temporary file left
    code, out, _err = tmall(*args[3:])
    assert (code, out) == (0, results[0][0])
    # The warm run found every entry; both runs kept the same report result (runs/memo.py).
    assert len(entries(cache)) == len([n for n in names if n.endswith(".parquet")])
    assert len([n for n in names if n.startswith("report-") and n.endswith(".pickle")]) == 1


def test_concurrent_writes_of_one_entry_all_succeed(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    cache = ParsedCache(CacheSettings(tmp_path, 1 << 30), "")
    frame = pl.DataFrame({"_row": range(100_000), "x": range(100_000), "_bad": [None] * 100_000})
    meta = {
        "tmallcli": json.dumps(
            {"headers": [], "encoding": "utf-8", "line_offset": 0, "columns": ["x"]}
        )
    }
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: cache.write("same.parquet", frame, meta), range(8)))
    assert [p.name for p in tmp_path.iterdir()] == ["same.parquet"]
    assert pl.read_parquet(tmp_path / "same.parquet").equals(frame)
    assert cache.notes == []


def test_an_unwritable_folder_is_one_warning_and_the_same_result(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    args = ["score", "dsr", "--reviews", str(SAMPLE / "reviews.csv"), *AS_OF]
    code, expected, _ = tmall(*args, "--no-cache")
    code, out, err = tmall(*args, "--cache-dir", str(blocker / "cache"))
    assert (code, out) == (0, expected)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "tmall: warning: cannot write the parsed-export cache in "
    )


@pytest.mark.parametrize("kind", ["logistics", "reviews"])
def test_an_entry_that_cannot_be_written_is_one_warning_and_the_same_rows(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails (a full disk: here a refused option) never stops the run; the
    folded load (logistics, streamed into its entry) and the plain one (reviews) alike."""
    from tests.conftest import default_config
    from tmallcli.metrics.shipping import EVENT_COLUMNS, PackagePickups, PickupWords

    whole = PackagePickups(PickupWords.from_config(default_config().pickup))
    load: dict[str, Any] = {"logistics": (EVENT_COLUMNS, whole), "reviews": (None, None)}
    files = {kind: [str(SAMPLE / f"{kind}.csv")]}
    with Inputs(files) as plain:
        expected = plain.load(kind, *load[kind]).frame
    monkeypatch.setitem(parsed_cache.WRITE_OPTIONS, "compression", "no-such-codec")
    with Inputs(files, options=_options(tmp_path / "cache")) as inputs:
        frame = inputs.load(kind, *load[kind]).frame
        notes = inputs.cache_notes()
    assert frame.sort(frame.columns).equals(expected.sort(expected.columns))
    assert len(notes) == 1 and notes[0].startswith("cannot write the parsed-export cache in ")
    assert entries(tmp_path / "cache") == []
    assert [p.name for p in (tmp_path / "cache").iterdir()] == []  # no temporary file left


def test_the_key_holds_the_mapping_and_the_reader_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def name(**options: Any) -> str | None:
        reader = ExportReader(tmp_path, _options(tmp_path, **options))
        assert reader.cache is not None
        return reader.cache.name(ORDERS, "orders")

    from tmallcli.exports.user_mapping import UserMapping

    plain = name()
    assert name() == plain
    assert name(encoding="gb18030") != plain
    assert name(mapping=UserMapping(values=(("orders", (("status", (("a", "b"),)),)),))) != plain
    monkeypatch.setattr(parsed_cache, "READER_VERSION", parsed_cache.READER_VERSION + 1)
    assert name() != plain


def _corpus_runs() -> list[Any]:
    """Each case of the broken-export corpus through the first command that reads it (and
    with --skip-bad-rows where the case allows it)."""
    from tests.test_broken_corpus import CASES, COMMANDS

    runs = []
    for name, spec in CASES.items():
        command = next(c for c, s in COMMANDS.items() if spec["kind"] in s["reads"])
        runs.append(pytest.param(name, command, False, id=name))
        if spec.get("skip_bad_rows"):
            runs.append(pytest.param(name, command, True, id=f"{name}-skip"))
    return runs


@pytest.mark.parametrize(("name", "command", "skip"), _corpus_runs())
def test_broken_corpus_same_output_cold_warm_and_without(
    name: str, command: str, skip: bool, tmp_path: Path
) -> None:
    """Exit code, JSON and every stderr line (errors, dropped rows, duplicates) alike."""
    from tests.test_broken_corpus import CASES, command_args

    spec = CASES[name]
    extra = [str(a) for a in spec.get("args", [])] + (["--skip-bad-rows"] if skip else [])
    args = command_args(command, {spec["kind"]: spec["path"]}, *extra)
    without = tmall(*args, "--no-cache")
    cold = tmall(*args, "--cache-dir", str(tmp_path))
    warm = tmall(*args, "--cache-dir", str(tmp_path))
    assert cold == without
    assert warm == without


def test_a_workbook_with_entries_is_not_opened_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--dir tells a workbook's sheets' kinds from their entries' headers: a warm run neither
    converts the workbook nor parses it."""
    import csv

    from tests.exports.test_opening import write_xlsx

    def rows(name: str) -> list[list[object]]:
        with (SAMPLE / name).open(encoding="utf-8", newline="") as file:
            return list(csv.reader(file))[:200]

    shop = tmp_path / "shop"
    shop.mkdir()
    write_xlsx(shop / "book.xlsx", {"评价": rows("reviews.csv"), "退款": rows("refunds.csv")})
    opened: list[str] = []
    open_file = ExportReader._open_file

    def counting(self: ExportReader, path: Path, **kwargs: Any) -> Any:
        opened.append(path.name)
        return open_file(self, path, **kwargs)

    monkeypatch.setattr(ExportReader, "_open_file", counting)

    def load() -> list[pl.DataFrame]:
        with Inputs({}, directory=shop, options=_options(tmp_path / "cache")) as inputs:
            return [inputs.load("reviews").frame, inputs.load("refunds").frame]

    cold = load()
    assert sorted(opened) == ["book.xlsx#评价", "book.xlsx#退款"]
    opened.clear()
    warm = load()
    assert opened == []
    assert all(w.equals(c) for w, c in zip(warm, cold, strict=True))
    assert cold[0].height > 100 and cold[1].height > 100


def test_the_bound_comes_from_the_config(tmp_path: Path) -> None:
    """``cache.max_gb`` in tmall.yaml (the tests run in tmp_path): a bound smaller than any
    entry keeps only the last one written; zero is refused."""
    cache = tmp_path / "cache"
    (tmp_path / "tmall.yaml").write_text("cache:\n  max_gb: 0.000001\n", encoding="utf-8")
    args = ["score", "service", "--dir", str(SAMPLE), *AS_OF, "--cache-dir", str(cache)]
    code, out, _ = tmall(*args)
    assert code == 0 and json.loads(out)
    assert len(entries(cache)) == 1
    (tmp_path / "tmall.yaml").write_text("cache:\n  max_gb: 0\n", encoding="utf-8")
    code, out, err = tmall(*args)
    assert code == 2 and out == ""
    assert "cache.max_gb" in err
