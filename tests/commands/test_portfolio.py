"""``tmall portfolio`` and ``portfolio merge`` (SPEC §15): three generated shops and a broken
one, worst first, each row the shop's own report; shards merged equal the whole; the same
table with one process or two."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from tmallcli.cli import app
from tmallcli.runs.portfolio import Shop, ShopRow, parse_shard, shard, worst_first

AS_OF = "2026-11-20"
ORDERS = 400  # small shops: the point is the table, not the rules
runner = CliRunner()


def invoke(args: list[str]) -> Any:
    return runner.invoke(app, [str(a) for a in args])


@dataclass
class Agency:
    shops: Path
    out: Path
    code: int
    table: dict[str, Any]
    stderr: str


@pytest.fixture(scope="module")
def shops(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """shops/旗舰店, shops/outlet, shops/专卖店 (tmall sample, seeds 1-3) and shops/broken: the
    first shop's exports with one paid amount that is not money."""
    from datetime import date

    from tmallcli.sample import generate_shop

    root = tmp_path_factory.mktemp("agency") / "shops"
    for seed, name in enumerate(("旗舰店", "outlet", "专卖店"), start=1):
        generate_shop(root / name, orders=ORDERS, seed=seed, as_of=date(2026, 11, 20))
    shutil.copytree(root / "旗舰店", root / "broken")
    orders = root / "broken" / "ExportOrderList20261120.csv"
    lines = orders.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("买家实际支付金额")] = "十二元"
    lines[3] = ",".join(cells)
    orders.write_text("\n".join(lines), encoding="utf-8")
    return root


def run_portfolio(shops: Path, out: Path, *extra: str) -> Agency:
    result = invoke(["portfolio", shops, "--as-of", AS_OF, "--out-dir", out, "-f", "json", *extra])
    table = json.loads(result.stdout) if result.stdout.strip() else {}
    return Agency(shops, out, result.exit_code, table, result.stderr)


@pytest.fixture(scope="module")
def agency(shops: Path, tmp_path_factory: pytest.TempPathFactory) -> Agency:
    return run_portfolio(shops, tmp_path_factory.mktemp("portfolio") / "out", "--jobs", "2")


def report_json(shop: Path) -> dict[str, Any]:
    done = invoke(["report", "--dir", shop, "--as-of", AS_OF, "-f", "json"])
    return json.loads(done.stdout)


def test_a_row_per_shop_worst_first_the_broken_shop_first(agency: Agency) -> None:
    rows = agency.table["shops"]
    assert agency.table["as_of"] == AS_OF
    assert rows[0]["shop"] == "broken"
    assert sorted(r["shop"] for r in rows) == sorted(["broken", "旗舰店", "outlet", "专卖店"])
    assert [r["status"] for r in rows] == ["error", "check_failed", "check_failed", "check_failed"]
    totals = [r["service_total"] for r in rows[1:]]
    assert totals == sorted(totals)
    assert len(set(totals)) == 3  # three different shops, not one report three times


def test_each_row_is_the_shops_own_report(agency: Agency) -> None:
    for row in agency.table["shops"][1:]:
        own = report_json(agency.shops / row["shop"])
        scores = {s["key"]: s["value"] for s in own["summary"]["scores"]}
        assert row["service_total"] == scores["service_total"]
        assert row["dsr_description"] == scores["dsr.description"]
        assert row["pickup_24h_rate"] == scores["pickup_24h_rate"]
        assert row["failed_checks"] == own["summary"]["failed"]
        assert row["partial"] is own["summary"]["partial"] is False
        assert row["error"] is None
        # the report written for the shop is that report
        written = json.loads(Path(row["report_json"]).read_text(encoding="utf-8"))
        assert written["summary"] == own["summary"]


def test_the_broken_shop_is_its_error_line_and_the_exit_code_is_2(
    agency: Agency, shops: Path
) -> None:
    alone = invoke(["report", "--dir", shops / "broken", "--as-of", AS_OF])
    errors = [line for line in alone.stderr.splitlines() if line.startswith("tmall: error: ")]
    said = errors[0].removeprefix("tmall: error: ")
    row = agency.table["shops"][0]
    assert row["error"] == said
    assert re.search(r"ExportOrderList20261120\.csv:4: .*'十二元'", said)
    assert row["service_total"] is None and row["report"] is None
    assert agency.code == 2
    assert f"tmall: warning: shop broken: {said}" in agency.stderr


def test_the_index_links_every_report_that_exists(agency: Agency) -> None:
    index = agency.out / "index.html"
    page = index.read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', page)
    assert sorted(name for _, name in links) == sorted(["旗舰店", "outlet", "专卖店"])
    for href, name in links:
        assert not href.startswith("/")  # relative: the folder can move
        target = index.parent / unquote(href)
        assert target.is_file(), href
        assert target.resolve() == Path(agency.out / "reports" / f"{name}.html").resolve()
        assert "<html" in target.read_text(encoding="utf-8")
    assert "broken" in page and "十二元" in page  # the error row, without a link
    on_disk = json.loads((agency.out / "portfolio.json").read_text(encoding="utf-8"))
    assert on_disk["shops"] == agency.table["shops"]


def test_one_process_or_two_give_the_same_table(agency: Agency, shops: Path) -> None:
    alone = run_portfolio(shops, agency.out, "--jobs", "1")
    assert alone.code == 2
    assert alone.table == agency.table


def test_shards_merged_equal_the_whole(agency: Agency, shops: Path, tmp_path: Path) -> None:
    parts = []
    for index in (1, 2):
        part = run_portfolio(shops, agency.out, "--jobs", "1", "--shard", f"{index}/2")
        parts.append(tmp_path / f"shard-{index}.json")
        parts[-1].write_text(json.dumps(part.table, ensure_ascii=False), encoding="utf-8")
        assert len(part.table["shops"]) == 2
        on_disk = agency.out / f"portfolio-{index}-of-2.json"  # beside the whole's, not over it
        assert json.loads(on_disk.read_text(encoding="utf-8"))["shops"] == part.table["shops"]
        assert (agency.out / f"index-{index}-of-2.html").is_file()
    first, second = ({r["shop"] for r in json.loads(p.read_text())["shops"]} for p in parts)
    assert not first & second
    merged = invoke(["portfolio", "merge", *parts, "-f", "json", "--index", tmp_path / "i.html"])
    assert merged.exit_code == 2  # the broken shop's row, as in the whole
    assert json.loads(merged.stdout) == agency.table
    hrefs = re.findall(r'<a href="([^"]+)">', (tmp_path / "i.html").read_text(encoding="utf-8"))
    assert len(hrefs) == 3
    assert all((tmp_path / unquote(href)).is_file() for href in hrefs)  # relative to the index
    # a shard given twice, a shard missing, a shop in two files: exit 2, one line
    twice = invoke(["portfolio", "merge", parts[0], parts[0], parts[1]])
    assert twice.exit_code == 2
    assert twice.stderr.splitlines()[0] == f"tmall: error: {parts[0]}: shard 1/2 is also {parts[0]}"
    alone = invoke(["portfolio", "merge", parts[1]])
    assert alone.exit_code == 2
    assert alone.stderr.splitlines()[0] == (
        "tmall: error: shard 1/2 of 2 is missing: its shops would be left out"
    )
    whole = tmp_path / "whole.json"
    whole.write_text(json.dumps(agency.table), encoding="utf-8")
    both = invoke(["portfolio", "merge", whole, parts[0], parts[1]])
    assert both.exit_code == 2
    assert "each shop belongs to one shard" in both.stderr.splitlines()[0]
    assert agency.table["shard"] is None


def test_check_exits_1_when_a_shop_fails_a_check(shops: Path, tmp_path: Path) -> None:
    listed = tmp_path / "shops.yaml"
    listed.write_text(
        f"shops:\n  - name: 一号店\n    folder: {shops / 'outlet'}\n"
        f"  - folder: {shops / '专卖店'}\n    category: 女装\n",
        encoding="utf-8",
    )
    plain = run_portfolio(listed, tmp_path / "out", "--jobs", "1")
    assert plain.code == 0
    assert sorted(r["shop"] for r in plain.table["shops"]) == ["一号店", "专卖店"]
    assert {r["category"] for r in plain.table["shops"]} >= {"女装"}
    checked = run_portfolio(listed, tmp_path / "out", "--jobs", "1", "--check")
    assert checked.code == 1
    assert checked.table == plain.table


def test_a_bad_shops_yaml_is_one_line_naming_the_key(tmp_path: Path) -> None:
    listed = tmp_path / "shops.yaml"
    listed.write_text("shops:\n  - name: a\n    folder: x\n  - name: b\n    foldr: y\n")
    done = invoke(["portfolio", listed])
    assert done.exit_code == 2
    assert done.stderr.splitlines()[0] == (
        "tmall: error: config: shops.yaml: shops[1].folder: missing (required key)"
    )


@pytest.mark.parametrize("text", ["0/2", "3/2", "1-2", "a/b"])
def test_a_bad_shard_is_exit_2(text: str, tmp_path: Path) -> None:
    (tmp_path / "s" / "a").mkdir(parents=True)
    done = invoke(["portfolio", tmp_path / "s", "--shard", text])
    assert done.exit_code == 2
    assert done.stderr.splitlines()[0].startswith("tmall: error: --shard: give i/n")


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8])
def test_shards_cover_every_shop_once(count: int) -> None:
    shops = [Shop(name, Path(name)) for name in ("e", "a", "d", "c", "b", "f", "g")]
    slices = [shard(shops, i, count) for i in range(1, count + 1)]
    names = [s.name for part in slices for s in part]
    assert names == sorted(s.name for s in shops)  # in order, each once
    assert parse_shard(" 2/3 ") == (2, 3)


def test_worst_first_errors_then_failed_checks_then_lowest_score() -> None:
    rows = [
        ShopRow("b", "ok", service_total=4.9),
        ShopRow("a", "ok", service_total=4.1),
        ShopRow("c", "check_failed", service_total=4.5),
        ShopRow("d", "check_failed", service_total=None),
        ShopRow("e", "error", "bad"),
        ShopRow("f", "check_failed", service_total=3.0),
    ]
    assert [r.shop for r in worst_first(rows)] == ["e", "d", "f", "c", "a", "b"]


def dying_worker(job: Any) -> ShopRow:
    """A worker the system kills on shop "b" (as for memory): spawned by name from here."""
    import os

    if job.shop.name == "b":
        os._exit(9)
    return ShopRow(job.shop.name, "ok", service_total=4.0)


def test_a_worker_that_dies_is_its_shops_row_and_the_others_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tmallcli.runs.portfolio import ShopJob, run_shops

    # The spawned workers import dying_worker by its module name, tests.commands.test_portfolio,
    # with this process's sys.path: pytest's importlib mode leaves the checkout off it.
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))

    jobs = [
        ShopJob(Shop(name, tmp_path / name), AS_OF, tmp_path / "x.html", tmp_path / "x.json")
        for name in ("a", "b", "c")
    ]
    rows = {row.shop: row for row in run_shops(jobs, dying_worker, 2)}
    assert [rows[name].status for name in "abc"] == ["ok", "error", "ok"]
    assert rows["b"].error is not None
    assert rows["b"].error.startswith("the shop's report stopped unexpectedly (BrokenProcessPool")
    assert f"tmall report --dir {tmp_path / 'b'} --debug" in rows["b"].error
