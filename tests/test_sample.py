"""`tmall sample` and the checked-in sample_data/: determinism, consistency across kinds,
encodings and the realistic defects the scores must find."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from tmallcli.commands.sample import sample as sample_command
from tmallcli.errors import UsageError
from tmallcli.sample import KINDS, bundled_sample, generate_shop

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DATA = REPO / "sample_data"
AS_OF = date(2026, 11, 20)
END = datetime(2026, 11, 20, 23, 59, 59)
ISO = "%Y-%m-%d %H:%M:%S"
SLASH = "%Y/%-m/%-d %-H:%M"
TIME_COLUMNS = {
    "orders": ["订单创建时间", "订单付款时间", "发货时间", "签收时间"],
    "logistics": ["时间"],
    "reviews": ["评价时间"],
    "refunds": ["退款的申请时间", "卖家同意退货时间", "买家退货时间", "退款完结时间", "签收时间"],
    "chats": ["时间"],
    "cs_ratings": ["评价时间"],
    "complaints": ["投诉时间", "判定时间"],
}


def read(folder: Path, kind: str) -> pl.DataFrame:
    """Every column as text, headers trimmed, Excel wrappers stripped (small files only)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    raw = (folder / manifest["files"][kind][0]).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    frame = pl.read_csv(io.StringIO(text), infer_schema=False)
    frame = frame.rename({c: c.strip() for c in frame.columns})
    return frame.with_columns(
        pl.col(pl.String)
        .str.strip_chars("\t")
        .str.strip_prefix("'")
        .str.replace(r'^="(.*)"$', "$1")
    )


def times(frame: pl.DataFrame, column: str, fmt: str = ISO) -> pl.Series:
    return frame.get_column(column).str.strptime(pl.Datetime, fmt, strict=True)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shop")
    generate_shop(folder, orders=1500, seed=11, as_of=AS_OF)
    return folder


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first = generate_shop(tmp_path / "a", orders=700, seed=3, encoding="gb18030", wrappers=True)
    second = generate_shop(tmp_path / "b", orders=700, seed=3, encoding="gb18030", wrappers=True)
    other = generate_shop(tmp_path / "c", orders=700, seed=4, encoding="gb18030", wrappers=True)
    for kind in KINDS:
        assert first[kind][0].read_bytes() == second[kind][0].read_bytes(), kind
    assert first["orders"][0].read_bytes() != other["orders"][0].read_bytes()
    assert (tmp_path / "a" / "manifest.json").read_bytes() == (
        tmp_path / "b" / "manifest.json"
    ).read_bytes()


def test_manifest_and_row_counts(shop: Path) -> None:
    manifest = json.loads((shop / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of"] == "2026-11-20"
    assert manifest["seed"] == 11
    assert manifest["orders"] == 1500
    assert manifest["files"]["orders"] == ["ExportOrderList20261120.csv"]
    assert set(manifest["files"]) == set(KINDS)
    for kind in KINDS:
        assert read(shop, kind).height == manifest["rows"][kind], kind
    rows = manifest["rows"]
    assert rows["orders"] == 1500
    # about 3 tracking events per order (SPEC §12), a review for a good share of orders
    assert 2.5 * rows["orders"] < rows["logistics"] < 4.5 * rows["orders"]
    assert 0.2 * rows["orders"] < rows["reviews"] < 0.6 * rows["orders"]
    assert rows["refunds"] > 0.04 * rows["orders"]
    assert rows["chats"] > 0 and rows["cs_ratings"] > 0 and rows["complaints"] > 0


def test_the_shop_has_every_export_kind_in_the_readers_order(shop: Path) -> None:
    # The kinds are listed once, in exports/kinds.py: the generator writes exactly those
    # (but the item-detail export, order_items, which the orders export makes unneeded),
    # and the manifest lists them in that order.
    from tmallcli.exports.kinds import KINDS as EXPORT_KINDS

    simulated = [kind for kind in EXPORT_KINDS if kind != "order_items"]
    manifest = json.loads((shop / "manifest.json").read_text(encoding="utf-8"))
    assert tuple(simulated) == KINDS
    assert list(manifest["files"]) == simulated
    assert list(manifest["rows"]) == simulated


def test_order_ids_are_unique_18_digit_strings(shop: Path) -> None:
    orders = read(shop, "orders")
    ids = orders.get_column("订单编号")
    assert ids.dtype == pl.String
    assert ids.str.contains(r"^[1-9]\d{17}$").all()
    assert ids.n_unique() == orders.height
    assert (ids.cast(pl.Int64) > 2**53).all()  # Excel or a float reader would mangle them


def test_every_kind_refers_to_the_same_orders(shop: Path) -> None:
    orders = read(shop, "orders")
    order_ids = set(orders.get_column("订单编号"))
    for kind in ("reviews", "refunds", "complaints", "logistics"):
        referenced = set(read(shop, kind).get_column("订单编号"))
        assert referenced <= order_ids, kind

    # every tracking number of the events belongs to the order the event names
    packages = orders.select(
        "订单编号", pl.col("物流单号").str.split(",").alias("物流单号")
    ).explode("物流单号")
    events = read(shop, "logistics").select("物流单号", "订单编号").unique()
    joined = events.join(packages, on="物流单号", how="left", suffix="_orders")
    assert joined.get_column("订单编号_orders").null_count() == 0
    assert (joined.get_column("订单编号") == joined.get_column("订单编号_orders")).all()
    assert packages.get_column("物流单号").drop_nulls().n_unique() == packages.height - (
        packages.get_column("物流单号").null_count()
    )

    buyers = set(orders.get_column("买家会员名"))
    review_buyers = (
        read(shop, "reviews")
        .join(orders, on="订单编号")
        .filter(pl.col("买家会员名") != pl.col("买家会员名_right"))
    )
    assert review_buyers.height == 0
    chat_buyers = set(read(shop, "chats").get_column("买家"))
    assert chat_buyers & buyers and chat_buyers - buyers  # customers and mere visitors


def test_nothing_happens_after_the_as_of_instant(shop: Path) -> None:
    for kind, columns in TIME_COLUMNS.items():
        frame = read(shop, kind)
        fmt = SLASH if kind == "refunds" else ISO
        for column in columns:
            assert (times(frame, column, fmt).drop_nulls() <= END).all(), (kind, column)


def test_refunds_agree_with_their_orders(shop: Path) -> None:
    orders = read(shop, "orders").select(
        "订单编号",
        pl.col("订单付款时间").str.strptime(pl.Datetime, ISO).alias("paid"),
        pl.col("买家实际支付金额").cast(pl.Float64).alias("paid_amount"),
    )
    refunds = read(shop, "refunds").with_columns(
        pl.col("退款的申请时间").str.strptime(pl.Datetime, SLASH).alias("applied"),
        pl.col("买家退款金额").str.strip_prefix("¥").cast(pl.Float64).alias("amount"),
    )
    joined = refunds.join(orders, on="订单编号")
    assert joined.height == refunds.height
    assert (joined.get_column("amount") <= joined.get_column("paid_amount")).all()
    assert (joined.get_column("applied") > joined.get_column("paid")).all()
    stockouts = refunds.filter(pl.col("买家退款原因") == "缺货")
    assert (stockouts.get_column("是否已发货") == "否").all()
    assert refunds.get_column("退款编号").n_unique() == refunds.height
    assert refunds.get_column("买家退款金额").str.starts_with("¥").any()


def test_review_verdict_matches_the_scores(shop: Path) -> None:
    reviews = read(shop, "reviews").with_columns(
        pl.min_horizontal(
            pl.col("宝贝与描述相符", "卖家的服务态度", "物流服务的质量").cast(pl.Int64)
        ).alias("low")
    )
    scored = reviews.filter(
        pl.all_horizontal(
            pl.col("宝贝与描述相符", "卖家的服务态度", "物流服务的质量").is_not_null()
        )
    )
    expected = (
        pl.when(pl.col("low") >= 4)
        .then(pl.lit("好评"))
        .when(pl.col("low") == 3)
        .then(pl.lit("中评"))
        .otherwise(pl.lit("差评"))
    )
    assert (scored.get_column("评价结果") == scored.select(expected).to_series()).all()
    assert set(reviews.get_column("评价结果")) == {"好评", "中评", "差评"}


def test_gb18030_files_decode_as_gb18030_only(tmp_path: Path) -> None:
    written = generate_shop(tmp_path, orders=300, seed=5, encoding="gb18030")
    first_header = {"orders": "订单编号", "logistics": "物流单号", "reviews": "订单编号",
                    "refunds": "退款编号", "chats": "买家", "cs_ratings": "评价时间",
                    "complaints": "投诉编号"}  # fmt: skip
    for kind in KINDS:
        data = written[kind][0].read_bytes()
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        assert data.decode("gb18030").startswith(first_header[kind] + ","), kind
    assert read(tmp_path, "orders").height == 300


def test_wrappers_protect_ids_in_the_orders_export(tmp_path: Path) -> None:
    generate_shop(tmp_path, orders=2000, seed=7, wrappers=True)
    text = (tmp_path / "ExportOrderList20261120.csv").read_bytes().decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0].split(",")[15] == "物流单号 "  # the real header's stray space
    assert sum(line.startswith('"=""') for line in lines) > 1900
    assert any(line.startswith(("'", "\t")) for line in lines)
    # stripped, the ids match the other exports
    order_ids = set(read(tmp_path, "orders").get_column("订单编号"))
    assert set(read(tmp_path, "refunds").get_column("订单编号")) <= order_ids


def test_bad_arguments_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        generate_shop(tmp_path, orders=0, seed=1)
    with pytest.raises(UsageError):
        generate_shop(tmp_path, orders=10, seed=-1)
    with pytest.raises(UsageError):
        generate_shop(tmp_path, orders=10, seed=1, encoding="latin-1")
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError):
        generate_shop(tmp_path / "file", orders=10, seed=1)


@pytest.mark.parametrize("orders", [1, 2, 17])
def test_tiny_shops_work(tmp_path: Path, orders: int) -> None:
    generate_shop(tmp_path, orders=orders, seed=1, as_of=date(2025, 3, 1))
    assert read(tmp_path, "orders").height == orders


def test_the_checked_in_sample_is_current(tmp_path: Path) -> None:
    bundled_sample(tmp_path)
    for path in sorted(tmp_path.iterdir()):
        assert (SAMPLE_DATA / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_checked_in_sample_has_the_realistic_problems() -> None:
    raw = (SAMPLE_DATA / "ExportOrderList20261120.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("gb18030").startswith("订单编号,")
    assert (SAMPLE_DATA / "cs_ratings.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (SAMPLE_DATA / "reviews.csv").read_bytes().startswith("订单编号".encode())
    manifest = json.loads((SAMPLE_DATA / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["orders"], manifest["seed"], manifest["as_of"]) == (3000, 7, "2026-11-20")
    assert sum(p.stat().st_size for p in SAMPLE_DATA.iterdir()) < 3_000_000

    # a buyer rating more than 3 times in one month (SPEC §3 cap)
    reviews = read(SAMPLE_DATA, "reviews").with_columns(
        times(read(SAMPLE_DATA, "reviews"), "评价时间").dt.strftime("%Y-%m").alias("month")
    )
    per_month = reviews.unique("订单编号").group_by("买家会员名", "month").len()
    assert per_month.get_column("len").max() > 3  # type: ignore[operator]
    # unanswered bad reviews, and a rating inside the last 30 minutes
    bad = reviews.filter(pl.col("评价结果").is_in(["中评", "差评"]))
    assert bad.get_column("解释内容").null_count() > 0
    assert (times(reviews, "评价时间") > END - timedelta(minutes=30)).any()

    # a question at 23:59 answered at 00:01 the next day (SPEC §6: not answered)
    chats = read(SAMPLE_DATA, "chats").with_columns(
        times(read(SAMPLE_DATA, "chats"), "时间").alias("at")
    )
    asked = chats.filter(pl.col("方向") == "买家", pl.col("at").dt.strftime("%H:%M") == "23:59")
    answered = chats.filter(pl.col("方向") == "卖家", pl.col("at").dt.strftime("%H:%M") == "00:01")
    assert asked.join(answered, on="买家").height > 0
    assert chats.get_column("是否机器人").eq("是").any()
    assert chats.get_column("是否自动回复").eq("是").any()

    # refunds waiting for the seller past 72 h, and platform-intervened ones ruled 卖家责任
    refunds = read(SAMPLE_DATA, "refunds")
    waiting = refunds.filter(pl.col("退款状态") == "待卖家处理")
    applied = times(waiting, "退款的申请时间", SLASH)
    assert (applied < END - timedelta(hours=72)).any()
    assert refunds.filter(pl.col("责任方") == "卖家责任").height > 0

    # the bot and an account whose ratings carry no tags (暂无标签评价)
    ratings = read(SAMPLE_DATA, "cs_ratings")
    assert ratings.get_column("客服子账号").eq("服务助手").any()
    untagged = ratings.group_by("客服子账号").agg(pl.col("标签").is_null().all().alias("none"))
    assert untagged.get_column("none").any()


def test_cli_writes_and_summarises(tmp_path: Path) -> None:
    app = typer.Typer()
    app.command("sample")(sample_command)
    app.callback()(lambda: None)
    runner = CliRunner()
    out = tmp_path / "demo"
    result = runner.invoke(app, ["sample", "--orders", "120", "--seed", "9", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "orders" in result.stderr and "120 rows" in result.stderr
    assert result.stdout == ""
    assert json.loads((out / "manifest.json").read_text())["seed"] == 9

    bad = runner.invoke(app, ["sample", "--as-of", "2026-02-30", "--out", str(out)])
    assert bad.exit_code == 2
    assert bad.stderr.startswith("tmall: error: --as-of")
    bad = runner.invoke(app, ["sample", "--encoding", "big5", "--out", str(out)])
    assert bad.exit_code == 2
    assert "--encoding" in bad.stderr


def test_command_module_does_not_import_polars() -> None:
    code = "import sys, tmallcli.commands.sample; print('polars' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
