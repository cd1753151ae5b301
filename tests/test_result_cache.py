"""The result cache (tmallcli/runs/memo.py): a report, score, audit or compensate run again on
the same exports, config, T and options reads the kept result — the same JSON, page, summary
and warnings as computing it — and anything that could change the result makes it compute
again."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from tmallcli.cli import app
from tmallcli.runs import report as report_run

SAMPLE = REPO / "sample_data"
AS_OF = ["--as-of", "2026-11-20"]
runner = CliRunner()


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per report actually computed."""
    seen: list[int] = []
    build = report_run.build_report

    def counting(*args: Any, **kwargs: Any) -> Any:
        seen.append(1)
        return build(*args, **kwargs)

    monkeypatch.setattr(report_run, "build_report", counting)
    return seen


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    folder = tmp_path / "shop"
    shutil.copytree(SAMPLE, folder)
    return folder


def report(folder: Path, cache: Path, *extra: str) -> tuple[int, str, str]:
    args = ["report", "--dir", str(folder), "--cache-dir", str(cache), *AS_OF, *extra]
    result = runner.invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def kept(cache: Path) -> list[Path]:
    return sorted(cache.glob("report-*.pickle"))


def test_second_run_reads_the_kept_result(shop: Path, tmp_path: Path, builds: list[int]) -> None:
    cache = tmp_path / "cache"
    first = report(shop, cache, "-f", "json")
    assert builds == [1] and len(kept(cache)) == 1
    second = report(shop, cache, "-f", "json")
    assert builds == [1]  # not computed again
    assert second == first
    assert '"total": 2.954325622633943,' in first[1]  # the service total, computed once


def test_page_and_summary_the_same_from_the_kept_result(
    shop: Path, tmp_path: Path, builds: list[int]
) -> None:
    cache = tmp_path / "cache"
    pages = []
    for n in (1, 2):
        page = tmp_path / f"report{n}.html"
        code, out, err = report(shop, cache, "-o", str(page))
        pages.append((code, out, err.replace(str(page), "PAGE"), page.read_bytes()))
    assert builds == [1]
    assert pages[0] == pages[1]
    assert "店铺体检报告".encode() in pages[0][3]


@pytest.mark.parametrize("change", ["touch", "new file", "config", "as_of", "lang", "category"])
def test_a_change_computes_again(
    change: str, shop: Path, tmp_path: Path, builds: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    report(shop, cache, "-f", "json")
    extra: list[str] = []
    if change == "touch":  # same size, another modification time
        orders = shop / "ExportOrderList20261120.csv"
        stat = orders.stat()
        os.utime(orders, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000))
    elif change == "new file":  # the report lists what the folder holds and it did not read
        (shop / "notes.txt").write_text("not an export\n", encoding="utf-8")
    elif change == "config":
        (tmp_path / "tmall.yaml").write_text("pickup:\n  hours: 48\n", encoding="utf-8")
        monkeypatch.chdir(tmp_path)
    elif change == "as_of":
        extra = ["--as-of", "2026-11-19"]
    elif change == "lang":
        extra = ["--lang", "zh"]
    else:
        extra = ["--category", "女装"]
    _, out, _ = report(shop, cache, "-f", "json", *extra)
    assert builds == [1, 1], change
    assert len(kept(cache)) == 2
    if change == "new file":
        assert "notes.txt" in out


def test_without_as_of_nothing_is_kept(shop: Path, tmp_path: Path, builds: list[int]) -> None:
    """Without --as-of the rules run at the current instant: an earlier result is not this one."""
    cache = tmp_path / "cache"
    for _ in range(2):
        runner.invoke(app, ["report", "--dir", str(shop), "--cache-dir", str(cache), "-f", "json"])
    assert builds == [1, 1]
    assert kept(cache) == []


def test_no_cache_keeps_nothing(shop: Path, tmp_path: Path, builds: list[int]) -> None:
    cache = tmp_path / "cache"
    for _ in range(2):
        runner.invoke(app, ["report", "--dir", str(shop), "--no-cache", *AS_OF, "-f", "json"])
    assert builds == [1, 1]
    assert not cache.exists()


def test_a_damaged_result_is_a_warning_and_computed_again(
    shop: Path, tmp_path: Path, builds: list[int]
) -> None:
    cache = tmp_path / "cache"
    first = report(shop, cache, "-f", "json")
    (entry,) = kept(cache)
    entry.write_bytes(b"not a pickle")
    _, out, err = report(shop, cache, "-f", "json")
    assert builds == [1, 1]
    assert out == first[1]
    assert f"parsed-export cache entry {entry} is unreadable" in err
    assert len(kept(cache)) == 1 and kept(cache)[0].read_bytes() != b"not a pickle"


def test_the_key_is_the_same_in_every_process(shop: Path, tmp_path: Path) -> None:
    """Sets in the config pickle in the order of the process's string hash: the key must not."""
    script = (
        "import sys; from pathlib import Path\n"
        "from tmallcli.runs.context import Exports, context\n"
        "from tmallcli.runs.memo import result_key\n"
        "ctx = context('2026-11-20')\n"
        "ex = Exports(directory=Path(sys.argv[1]), cache_dir=Path(sys.argv[2]))\n"
        "with ex.open(ctx) as files: print(result_key('report', files, ex, ctx, None))\n"
    )
    keys = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        done = subprocess.run(
            [sys.executable, "-c", script, str(shop), str(tmp_path / "c")],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            check=True,
        )
        keys.add(done.stdout.strip())
    assert len(keys) == 1 and next(iter(keys)).startswith("report-")


def test_payouts_pickle_as_columns_and_come_back_equal(shop: Path) -> None:
    from tmallcli.runs.context import Exports, context
    from tmallcli.runs.report import run_report

    done = run_report(Exports(directory=shop, cache=False), context("2026-11-20"))
    assert done.result.compensation is not None
    settlement = done.result.compensation.settlement
    back = pickle.loads(pickle.dumps(settlement, protocol=5))
    assert back == settlement
    assert len(back.payouts) == 48 and back.total_fen == settlement.total_fen
    assert any(line.refund_ids for p in back.payouts for line in p.lines)
    assert any(
        line.paid_at is None or line.end_at is None for p in back.payouts for line in p.lines
    )


# Each command and the function its run computes with (counted: a kept result calls none).
COMMANDS = [
    (["audit", "pickup"], "tmallcli.runs.pickup", "pickup_of"),
    (["audit", "refunds"], "tmallcli.runs.refunds", "refunds_of"),
    (["audit", "response"], "tmallcli.runs.response", "response_of"),
    (["reviews", "triage"], "tmallcli.runs.triage", "triage_of"),
    (["score", "dsr"], "tmallcli.runs.dsr", "dsr_of"),
    (["score", "cs"], "tmallcli.runs.cs", "cs_of"),
    (["score", "service"], "tmallcli.runs.service", "components"),
    (["compensate", "late-orders"], "tmallcli.runs.compensation", "proposal_of"),
]


def counted(monkeypatch: pytest.MonkeyPatch, module: str, name: str) -> list[int]:
    import importlib

    target = importlib.import_module(module)
    seen: list[int] = []
    original = getattr(target, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        seen.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, counting)
    return seen


def command(words: list[str], folder: Path, *extra: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*words, "--dir", str(folder), *AS_OF, "-f", "json", *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("words", "module", "name"), COMMANDS, ids=lambda v: str(v))
def test_every_command_reads_its_kept_result(
    words: list[str],
    module: str,
    name: str,
    shop: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = counted(monkeypatch, module, name)
    cache = ["--cache-dir", str(tmp_path / "cache")]
    first = command(words, shop, *cache)
    assert seen == [1] and len(list((tmp_path / "cache").glob("*.pickle"))) == 1
    second = command(words, shop, *cache)
    assert seen == [1], "computed again"
    assert second == first
    assert command(words, shop, "--no-cache") == first  # what computing it gives
    assert seen == [1, 1]


def test_a_command_option_that_changes_the_result_computes_again(
    shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = counted(monkeypatch, "tmallcli.runs.pickup", "pickup_of")
    cache = ["--cache-dir", str(tmp_path / "cache")]
    whole = command(["audit", "pickup"], shop, *cache)
    capped = command(["audit", "pickup"], shop, *cache, "--limit", "1")
    assert seen == [1, 1] and capped != whole
    assert command(["audit", "pickup"], shop, *cache, "--limit", "1") == capped
    assert seen == [1, 1]


def test_what_if_values_apply_to_a_kept_service_run(
    shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--set works after the result: a kept run gives the what-if total of a computed one."""
    seen = counted(monkeypatch, "tmallcli.runs.service", "components")
    cache = ["--cache-dir", str(tmp_path / "cache")]
    command(["score", "service"], shop, *cache)
    what_if = ["--set", "pickup_24h_rate=1"]
    kept_run = command(["score", "service"], shop, *cache, *what_if)
    assert seen == [1]
    assert kept_run == command(["score", "service"], shop, "--no-cache", *what_if)


def test_a_kept_compensation_records_in_the_ledger_as_a_computed_one(
    shop: Path, tmp_path: Path
) -> None:
    """The ledger is settled after the kept proposal: a second run records nothing new, as
    without the cache, and says the same."""
    import re

    def run(cache: list[str], ledger: Path) -> str:
        _, out, _ = command(["compensate", "late-orders"], shop, *cache, "--ledger", str(ledger))
        out = out.replace(str(ledger), "LEDGER")
        return re.sub(r'"(run_id|recorded_at)": "[^"]*"', "X", out)

    cached, plain = ["--cache-dir", str(tmp_path / "cache")], ["--no-cache"]
    with_cache = [run(cached, tmp_path / "a.db") for _ in range(2)]
    without = [run(plain, tmp_path / "b.db") for _ in range(2)]
    assert with_cache == without
    assert with_cache[0] != with_cache[1]  # the second run found the first one's lines owed


def test_a_path_in_the_options_is_named_by_its_content(tmp_path: Path) -> None:
    """--summary FILE edited in place (same path) is another input."""
    from tmallcli.runs.memo import stable

    summary = tmp_path / "dsr.csv"
    summary.write_text("a\n", encoding="utf-8")
    before = stable(("summaries", (summary,)))
    stat = summary.stat()
    os.utime(summary, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000))
    assert stable(("summaries", (summary,))) != before


def test_payouts_are_made_as_they_are_read(shop: Path) -> None:
    """A settlement holds its payouts as columns: a slice (the page's 200 rows) or one payout
    is made alone and equals the same payout of the whole list; the summary and the total
    come from the columns; a walk makes them all once."""
    from tmallcli.metrics.compensation.results import Payouts, payouts_from_columns
    from tmallcli.render.compensation import _summary
    from tmallcli.runs.compensation import run_late_orders
    from tmallcli.runs.context import Exports, context

    done = run_late_orders(Exports(directory=shop, cache=False), context("2026-11-20"))
    payouts = done.result.settlement.payouts
    assert isinstance(payouts, Payouts)
    whole = payouts_from_columns(payouts.lines, payouts.columns)
    assert len(whole) == len(payouts) == 48
    assert any(len(p.lines) > 1 for p in whole)  # a group of several orders is sliced right
    for part in (slice(0, 5), slice(10, 20), slice(-5, None), slice(0, 200), slice(None, None, 3)):
        assert Payouts(payouts.lines, payouts.columns)[part] == whole[part]
    for index in (0, 7, -1, 47):
        assert Payouts(payouts.lines, payouts.columns)[index] == whole[index]
    with pytest.raises(IndexError):
        Payouts(payouts.lines, payouts.columns)[48]
    summary = _summary(payouts)  # from the columns, against the same counted from the objects
    for kind, row in summary.items():
        of_kind = [p for p in whole if p.kind == kind]
        assert row["count"] == len(of_kind)
        assert row["orders"] == sum(len(p.order_ids) for p in of_kind)
        assert row["total_fen"] == sum(p.amount_fen for p in of_kind)
    assert sum(row["count"] for row in summary.values()) == 48
    assert done.result.settlement.total_fen == sum(p.amount_fen for p in whole) == 299413
    assert list(payouts) == whole and payouts == whole
