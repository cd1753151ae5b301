"""SPEC §14 "Freshness" and "Shop identity": every command says how far each export reaches
(JSON ``inputs``), which exports are too old for T (``stale``, stderr, --check, the report's
banner), which metrics' windows run past their data, and the report's title names the shop."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from tmallcli.cli import app
from tmallcli.exports.inputs import Read
from tmallcli.runs.context import context
from tmallcli.runs.freshness import freshness_of

runner = CliRunner()
SAMPLE = REPO / "sample_data"
FRESH = "2026-11-20"  # the sample's export date: every export ends that evening
STALE = "2026-12-08"  # 18 days later: a cron run on exports nobody downloaded again

# The sample's exports as each reaches (newest row), checked by hand against the files below.
THROUGH = {
    "orders": "2026-11-20 23:00:23",
    "logistics": "2026-11-20 23:53:21",
    "reviews": "2026-11-20 23:52:07",
    "refunds": "2026-11-20 21:30:00",
    "chats": "2026-11-20 20:35:31",
    "cs_ratings": "2026-11-20 13:39:56",
    "complaints": "2026-11-14 02:27:38",  # exempt: a shop goes days without a complaint
}

# Every command on the sample shop, and the exports it reads (in the kinds' order).
COMMANDS = {
    "service": (
        ["score", "service"],
        ["orders", "logistics", "reviews", "refunds", "chats", "complaints"],
    ),
    "dsr": (["score", "dsr"], ["reviews"]),
    "cs": (["score", "cs", "--last", "30"], ["cs_ratings"]),
    "pickup": (["audit", "pickup"], ["orders", "logistics"]),
    "response": (["audit", "response"], ["chats"]),
    "refunds": (["audit", "refunds"], ["orders", "refunds"]),
    "compensate": (["compensate", "late-orders"], ["orders", "logistics", "refunds"]),
    "triage": (["reviews", "triage"], ["reviews"]),
    "report": (["report"], list(THROUGH)),
}


def run(args: list[str], as_of: str, *extra: str) -> object:
    return runner.invoke(app, [*args, "--dir", str(SAMPLE), "--as-of", as_of, *extra])


def run_json(args: list[str], as_of: str, *extra: str) -> dict:
    result = run(args, as_of, "-f", "json", *extra)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


# ---------------------------------------------------------------------------- fresh


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_lists_its_inputs_and_nothing_stale_on_the_export_date(name: str) -> None:
    args, kinds = COMMANDS[name]
    data = run_json(args, FRESH)
    assert data["stale"] == []
    assert [i["kind"] for i in data["inputs"]] == kinds
    for entry in data["inputs"]:
        assert set(entry) == {"kind", "files", "rows", "data_through"}
        if entry["kind"] == "logistics" and name in ("service", "pickup"):
            # These fold only the packages of the orders the rate assesses (paid T−32 … T−3,
            # and the watchlist): the newest event among those (docs/DECISIONS.md).
            assert entry["data_through"] == "2026-11-20 22:52:24"
            continue
        assert entry["data_through"] == THROUGH[entry["kind"]]
        assert entry["files"] and all(Path(f).parent == SAMPLE for f in entry["files"])


def test_inputs_rows_and_dates_are_the_files_own() -> None:
    """By hand: the rows and the newest time of two exports, read with the csv module."""
    with (SAMPLE / "reviews.csv").open(encoding="utf-8-sig", newline="") as handle:
        reviews = list(csv.DictReader(handle))
    with (SAMPLE / "ExportOrderList20261120.csv").open(encoding="gb18030", newline="") as handle:
        orders = list(csv.DictReader(handle))
    assert (len(reviews), max(r["评价时间"] for r in reviews)) == (1153, "2026-11-20 23:52:07")
    assert (len(orders), max(o["订单付款时间"] for o in orders if o["订单付款时间"])) == (
        3000,
        "2026-11-20 23:00:23",
    )
    inputs = {i["kind"]: i for i in run_json(["score", "service"], FRESH)["inputs"]}
    assert (inputs["reviews"]["rows"], inputs["reviews"]["data_through"]) == (
        1153,
        "2026-11-20 23:52:07",
    )
    assert (inputs["orders"]["rows"], inputs["orders"]["data_through"]) == (
        3000,
        "2026-11-20 23:00:23",
    )
    assert (inputs["complaints"]["rows"], inputs["refunds"]["rows"]) == (30, 271)
    assert inputs["chats"]["rows"] == 2190


def test_a_fresh_run_warns_nothing_and_marks_no_metric() -> None:
    result = run(["score", "service"], FRESH, "-f", "json")
    assert "stale" not in result.stderr
    metrics = json.loads(result.stdout)["metrics"]
    assert not any("stale" in m for m in metrics.values())


# ---------------------------------------------------------------------------- stale


def test_stale_exports_are_warned_with_both_dates_and_listed_in_json() -> None:
    result = run(["score", "service"], STALE, "-f", "json")
    assert result.exit_code == 0  # no --check: the figures are still given
    lines = [x for x in result.stderr.splitlines() if "stale" in x]
    assert lines[0] == (
        "tmall: warning: stale orders export: its newest row is 2026-11-20 23:00:23, 18 days "
        "before the as-of date 2026-12-08 (freshness.max_lag_days: 2); its figures may be out "
        "of date: download a fresh export, or give --as-of for the day it covers"
    )
    assert len(lines) == 5  # one per stale kind; complaints are exempt
    assert all("2026-12-08" in line and "2026-11-20" in line for line in lines)
    data = json.loads(result.stdout)
    assert data["stale"] == [
        {"kind": kind, "data_through": THROUGH[kind]}
        for kind in ("orders", "logistics", "reviews", "refunds", "chats")
    ]
    assert data["total"] is not None  # computed all the same


def low_threshold(tmp_path: Path) -> Path:
    config = tmp_path / "low.yaml"
    config.write_text("service_score:\n  categories:\n    默认:\n      threshold: 1.0\n", "utf-8")
    return config


def test_check_trips_on_stale_exports_alone_in_score_service(tmp_path: Path) -> None:
    config = str(low_threshold(tmp_path))  # the sample's 2.95 passes: only freshness can trip
    fresh = run(["score", "service"], FRESH, "--config", config, "--check", "-f", "json")
    assert fresh.exit_code == 0 and json.loads(fresh.stdout)["passed"] is True
    stale = run(["score", "service"], STALE, "--config", config, "--check", "-f", "json")
    assert stale.exit_code == 1
    assert json.loads(stale.stdout)["passed"] is True  # the score passed; its data did not


def test_check_trips_on_stale_exports_alone_in_the_report(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy(SAMPLE / "chats.csv", folder)  # the service score from the 旺旺 metrics only
    config = str(low_threshold(tmp_path))
    # --allow-partial: the 2/8 total would trip --check on its own (coverage, SPEC §14).
    args = ["report", "--dir", str(folder), "--config", config, "--check", "--allow-partial"]
    args += ["-f", "json"]
    fresh = runner.invoke(app, [*args, "--as-of", FRESH])
    assert fresh.exit_code == 0, fresh.output
    assert json.loads(fresh.stdout)["summary"]["failed"] == []
    stale = runner.invoke(app, [*args, "--as-of", STALE])
    assert stale.exit_code == 1
    data = json.loads(stale.stdout)
    assert data["summary"]["failed"] == []
    assert data["stale"] == [{"kind": "chats", "data_through": "2026-11-20 20:35:31"}]
    assert "stale chats export: its newest row is 2026-11-20 20:35:31" in stale.stderr


def test_other_commands_check_trips_on_stale_exports() -> None:
    """score dsr passes its own check on the sample (no DSR flag); 18 days later it trips."""
    assert run(["score", "dsr"], FRESH, "--check").exit_code == 0
    assert run(["score", "dsr"], STALE, "--check").exit_code == 1


def test_report_shows_the_stale_banner_at_the_top(tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    result = run(["report"], STALE, "--out", str(page))
    lines = result.stdout.splitlines()
    banner = next(i for i, line in enumerate(lines) if line.startswith("【数据过期】"))
    assert banner <= 3  # under the title, the date line and the verdict, before any table
    assert "早于统计日期 2026-12-08 超过 2 天" in lines[banner]
    assert "订单报表 截至 2026-11-20 23:00（18 天前）" in result.stdout
    assert "数据截至: 订单报表 2026-11-20 23:00 · 物流详情 2026-11-20 23:53" in result.stdout
    html = page.read_text(encoding="utf-8")
    header = html[html.index("<header>") : html.index("</header>")]
    assert '<div class="stale-banner" role="alert">【数据过期】' in header
    assert header.index("stale-banner") < header.index('class="verdict')
    assert "数据截至: 订单报表 2026-11-20 23:00" in header
    english = run(["report"], STALE, "--lang", "en")
    assert "[STALE DATA] These exports end more than 2 days before the as-of date 2026-12-08" in (
        english.stdout
    )


def test_fresh_report_has_the_data_through_line_and_no_banner(tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    result = run(["report"], FRESH, "--out", str(page))
    assert "【数据过期】" not in result.stdout
    assert "数据截至: 订单报表 2026-11-20 23:00" in result.stdout
    assert "投诉 2026-11-14 02:27" in result.stdout
    html = page.read_text(encoding="utf-8")
    assert "stale-banner" not in html.split("</style>")[1]
    assert '<p class="meta data-through">数据截至: 订单报表 2026-11-20 23:00' in html


# ---------------------------------------------------------------------------- metrics


def test_a_metric_whose_window_runs_past_the_data_is_marked_stale() -> None:
    """Data ending T−4 (2026-11-20 for T = 2026-11-24): the 24h pickup window (T−32 … T−3)
    ends one day after the orders, within the 2 days allowed; the refund times' T−30 … T−1
    runs 3 days past the refunds; the complaint rate's T−34 … T−5 ends before the data."""
    data = run_json(["score", "service"], "2026-11-24")
    metrics = data["metrics"]
    assert "stale" not in metrics["pickup_24h_rate"]
    assert "stale" not in metrics["complaint_rate"]
    for key in ("refund_only_hours", "return_refund_hours", "dispute_refund_rate"):
        assert metrics[key]["stale"] is True
    assert metrics["response_rate"]["stale"] is True
    assert metrics["item_review_score"]["stale"] is True  # the DSR's window ends on T
    assert metrics["refund_only_hours"]["value"] is not None  # computed all the same
    table = run(["score", "service"], "2026-11-24").stdout
    row = next(line for line in table.splitlines() if "仅退款自主完结时长" in line)
    assert "数据过期" in row
    row = next(line for line in table.splitlines() if "24小时揽收及时率" in line)
    assert "数据过期" not in row


def test_the_spec_example_window_with_data_ending_18_days_earlier() -> None:
    """SPEC §14: a T−30 … T−1 window with data ending T−18 is computed and marked stale."""
    metrics = run_json(["score", "service"], STALE)["metrics"]
    assert metrics["refund_only_hours"]["stale"] is True
    assert metrics["refund_only_hours"]["value"] == pytest.approx(5.0, abs=0.05)
    report = run_json(["report"], STALE)
    scores = {s["key"]: s for s in report["summary"]["scores"]}
    assert scores["refund_only_hours"]["stale"] is True
    assert scores["service_total"]["stale"] is True  # it rests on stale metrics
    assert report["service"]["metrics"]["refund_only_hours"]["stale"] is True


# ---------------------------------------------------------------------------- the rule


def reads(*rows: tuple[str, str | None]) -> list[Read]:
    return [
        Read(kind, ("f.csv",), 1, None if at is None else datetime.fromisoformat(at))
        for kind, at in rows
    ]


def test_an_export_is_stale_one_day_past_the_allowed_lag() -> None:
    ctx = context("2026-11-22")  # max_lag_days 2: data ending 2026-11-20 is still fresh
    fresh = freshness_of(reads(("orders", "2026-11-20 00:00:01")), ctx)
    assert fresh.stale == []
    late = freshness_of(reads(("orders", "2026-11-19 23:59:59")), ctx)
    assert [(s.kind, s.data_through) for s in late.stale] == [
        ("orders", datetime(2026, 11, 19, 23, 59, 59))
    ]
    assert late.messages() == [
        "stale orders export: its newest row is 2026-11-19 23:59:59, 3 days before the as-of "
        "date 2026-11-22 (freshness.max_lag_days: 2); its figures may be out of date: download "
        "a fresh export, or give --as-of for the day it covers"
    ]


def test_exempt_kinds_and_exports_without_a_time_are_never_stale() -> None:
    ctx = context("2026-11-22")
    judged = freshness_of(
        reads(("complaints", "2026-10-01 10:00:00"), ("order_items", None), ("chats", None)), ctx
    )
    assert judged.stale == []
    assert [r.kind for r in judged.inputs] == ["chats", "complaints", "order_items"]  # kinds' order


def test_a_window_is_stale_when_it_ends_more_than_the_lag_after_the_data() -> None:
    from datetime import date

    f = freshness_of(
        reads(("refunds", "2026-11-20 21:30:00"), ("complaints", "2026-10-01 00:00:00")),
        context("2026-11-24"),
    )
    assert not f.window_stale(["refunds"], date(2026, 11, 22))  # 2 days: allowed
    assert f.window_stale(["refunds"], date(2026, 11, 23))  # 3 days past the refunds
    assert not f.window_stale(["complaints"], date(2026, 11, 23))  # exempt
    assert not f.window_stale(["chats"], date(2026, 11, 23))  # not read
    assert not f.window_stale(["refunds"], None)  # no window of rows (the DSR page)


def test_the_lag_is_config(tmp_path: Path) -> None:
    config = tmp_path / "lag.yaml"
    config.write_text("freshness:\n  max_lag_days: 20\n", encoding="utf-8")
    data = run_json(["audit", "pickup"], STALE, "--config", str(config))
    assert data["stale"] == []
    config.write_text("freshness:\n  max_lag_days: -1\n", encoding="utf-8")
    result = run(["audit", "pickup"], STALE, "--config", str(config))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "tmall: error: config: freshness.max_lag_days: must be at least 0"
    )
    config.write_text("freshness:\n  exempt_kinds: [complaint]\n", encoding="utf-8")
    result = run(["audit", "pickup"], STALE, "--config", str(config))
    assert "freshness.exempt_kinds" in result.stderr and "unknown export kind 'complaint'" in (
        result.stderr
    )


def test_data_check_lists_inputs_and_judges_them_against_its_as_of() -> None:
    files = [str(p) for p in sorted(SAMPLE.glob("*.csv"))]
    fresh = runner.invoke(app, ["data", "check", *files, "--as-of", FRESH, "-f", "json", "--check"])
    assert fresh.exit_code == 0, fresh.output
    data = json.loads(fresh.stdout)
    assert data["stale"] == []
    inputs = {i["kind"]: i for i in data["inputs"]}
    assert inputs["logistics"]["rows"] == 9768  # the events as they stand in the file
    assert {k: i["data_through"] for k, i in inputs.items()} == THROUGH
    stale = runner.invoke(app, ["data", "check", *files, "--as-of", STALE, "--check"])
    assert stale.exit_code == 1
    assert "stale logistics export: its newest row is 2026-11-20 23:53:21" in stale.stderr


# ---------------------------------------------------------------------------- shop identity

ORDER_HEADERS = (
    "订单编号,买家会员名,买家实际支付金额,订单状态,订单付款时间,发货时间,物流单号,店铺Id,店铺名称"
)


def classic_orders(folder: Path, shop: str) -> Path:
    """A classic 订单报表 as the seller center writes it: GBK, ="…" IDs, 店铺名称."""
    folder.mkdir(exist_ok=True)
    rows = [
        f'="3205000000000000001",amy,59.00,交易成功,2026-11-18 10:00:00,2026-11-18 15:00:00,SF1,="77",{shop}',
        f'="3205000000000000002",bob,99.00,卖家已发货，等待买家确认,2026-11-19 11:00:00,2026-11-19 16:00:00,SF2,="77",{shop}',
        f'="3205000000000000003",cat,19.90,交易成功,2026-11-19 12:00:00,2026-11-19 18:00:00,SF3,="77",{shop}',
    ]
    path = folder / "ExportOrderList20261120.csv"
    path.write_bytes(("\r\n".join([ORDER_HEADERS, *rows]) + "\r\n").encode("gbk"))
    return path


def test_the_title_names_the_shop_from_the_orders_export(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    classic_orders(folder, "木槿生活旗舰店")
    page = tmp_path / "r.html"
    args = ["report", "--dir", str(folder), "--as-of", FRESH, "--category", "女装"]
    written = runner.invoke(app, [*args, "-o", str(page)])  # one output per run: the page,
    assert written.exit_code in (0, 1), written.output
    result = runner.invoke(app, [*args, "-f", "json"])  # then the JSON
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    assert data["title"] == "店铺体检报告 · 木槿生活旗舰店 · 女装"
    assert (data["shop"], data["shop_source"]) == ("木槿生活旗舰店", "exports")
    assert "<h1>店铺体检报告 · 木槿生活旗舰店 · 女装</h1>" in page.read_text(encoding="utf-8")
    table = runner.invoke(app, args).stdout
    assert table.splitlines()[0] == "店铺体检报告 · 木槿生活旗舰店 · 女装"


def test_the_title_names_the_shop_from_cs_ratings(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "客服评价.csv").write_text(
        "店铺,客服子账号,顾客名称,评价时间,评价结果\n"
        "木槿生活旗舰店,木槿生活旗舰店:小王,tb_a,2026-11-19 10:00:00,非常满意\n"
        "木槿生活旗舰店,木槿生活旗舰店:小李,tb_b,2026-11-19 11:00:00,满意\n",
        encoding="utf-8",
    )
    data = run_json_dir(folder)
    assert (data["shop"], data["shop_source"]) == ("木槿生活旗舰店", "exports")
    assert data["title"] == "店铺体检报告 · 木槿生活旗舰店 · 默认"


def run_json_dir(folder: Path, *extra: str) -> dict:
    result = runner.invoke(
        app, ["report", "--dir", str(folder), "--as-of", FRESH, "-f", "json", *extra]
    )
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_config_shop_name_wins_over_the_exports(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    classic_orders(folder, "导出里的店名")
    config = tmp_path / "shop.yaml"
    config.write_text("shop:\n  name: 木槿生活旗舰店\n", encoding="utf-8")
    data = run_json_dir(folder, "--config", str(config))
    assert (data["shop"], data["shop_source"]) == ("木槿生活旗舰店", "config")
    assert data["title"] == "店铺体检报告 · 木槿生活旗舰店 · 默认"
    sample = run_json(["report"], FRESH, "--config", str(config))
    assert sample["title"] == "店铺体检报告 · 木槿生活旗舰店 · 默认"


def test_no_shop_name_anywhere_leaves_the_category_alone() -> None:
    data = run_json(["report"], FRESH)
    assert (data["shop"], data["shop_source"]) == (None, None)
    assert data["title"] == "店铺体检报告 · 默认"


def test_the_title_names_the_shop_from_the_2024_refunds_export(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    layout = REPO / "tests" / "data" / "layouts" / "files" / "refunds"
    shutil.copy(layout / "refund_2024_20261120.csv", folder)
    data = run_json_dir(folder)
    assert (data["shop"], data["shop_source"]) == ("木槿生活旗舰店", "exports")
    assert [i["kind"] for i in data["inputs"]] == ["refunds"]


def test_rows_after_the_as_of_instant_do_not_move_data_through() -> None:
    """A re-run for an earlier day (or a row mistyped into the future) does not make the
    export reach further than T: those rows have not happened on T."""
    with (SAMPLE / "ExportOrderList20261120.csv").open(encoding="gb18030", newline="") as handle:
        paid = [o["订单付款时间"] for o in csv.DictReader(handle) if o["订单付款时间"]]
    newest = max(p for p in paid if p <= "2026-11-15 23:59:59")
    data = run_json(["audit", "pickup"], "2026-11-15")
    orders = data["inputs"][0]
    assert (orders["kind"], orders["rows"]) == ("orders", 3000)  # every row is still read
    assert orders["data_through"] == newest
    assert newest.startswith("2026-11-15 ") and data["stale"] == []


def test_check_combines_stale_exports_with_the_history_drop(tmp_path: Path) -> None:
    """--check on a command with --history: its own condition, a stale export and a figure
    dropped past history.max_drop each trip it alone (SPEC §14, §15)."""
    from datetime import date

    from tmallcli.history import record

    path = tmp_path / "h.db"
    args = ["audit", "pickup"]
    history = ("--history", str(path), "--check", "--min-rate", "0")
    # The day before each run at 0 %: the rate cannot drop, so only freshness can trip.
    now = datetime(2026, 12, 8, 8, 0)
    for day in (date(2026, 11, 19), date(2026, 12, 7)):
        record(path, "sample_data", day, {"pickup_24h_rate": 0.0}, command="t", now=now)
    fresh = run(args, FRESH, *history, "-f", "json")
    assert fresh.exit_code == 0, fresh.output
    assert json.loads(fresh.stdout)["stale"] == []
    stale = run(args, STALE, *history, "-f", "json")
    assert stale.exit_code == 1
    data = json.loads(stale.stdout)  # the history's outcome keeps the run's inputs and stale
    assert [s["kind"] for s in data["stale"]] == ["orders", "logistics"]
    assert [i["kind"] for i in data["inputs"]] == ["orders", "logistics"]
    assert "stale orders export: its newest row is 2026-11-20 23:00:23" in stale.stderr
    assert "worsened" not in stale.stderr
    # A fresh run whose rate dropped 9 points since the day before: the history trips it.
    record(path, "sample_data", date(2026, 11, 19), {"pickup_24h_rate": 1.0}, command="t", now=now)
    dropped = run(args, FRESH, *history)
    assert dropped.exit_code == 1
    assert "history: pickup_24h_rate worsened by 9.046 percentage points" in dropped.stderr
    assert "stale" not in dropped.stderr
