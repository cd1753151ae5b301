"""`tmall score dsr` through the CLI: exit codes, JSON contract (SPEC §3), output files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tmallcli.cli import app

HEADER = (
    "订单编号,买家会员名,评价时间,宝贝与描述相符,卖家的服务态度,物流服务的质量,宝贝ID,宝贝标题\n"
)
runner = CliRunner()


def reviews_file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "reviews.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def seed_reviews(tmp_path: Path) -> Path:
    # The seed's worked example: 45×5, 3×4, 1×3, 1×1 → 4.82
    stars = [5] * 45 + [4] * 3 + [3] + [1]
    rows = [
        f"{i},b{i},2026-11-{1 + i % 18:02d} 10:00:00,{s},5,4,I1,T恤" for i, s in enumerate(stars)
    ]
    return reviews_file(tmp_path, rows)


def test_json_contract_and_seed_number(seed_reviews: Path) -> None:
    result = runner.invoke(
        app, ["score", "dsr", "--reviews", str(seed_reviews), "--as-of", "2026-11-20", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2026-11-20"
    assert set(data["dimensions"]) == {"description", "service", "logistics"}
    description = data["dimensions"]["description"]
    assert description["score"] == 4.82
    assert description["count"] == 50
    assert description["flags"] == []
    assert description["five_star_needed"] == {"4.4": 0, "4.6": 0}
    logistics = data["dimensions"]["logistics"]
    assert logistics["score"] == 4.0
    assert logistics["flags"] == ["search_demotion", "activity_ineligible"]
    # (4.4·50 − 200) / 0.6 = 33.3 → 34;  (4.6·50 − 200) / 0.4 = 75
    assert logistics["five_star_needed"] == {"4.4": 34, "4.6": 75}
    assert data["excluded"] == {"duplicate_order": 0, "over_monthly_cap": 0, "outside_window": 0}
    assert isinstance(data["items"], list)
    assert data["items"][0]["item_id"] == "I1"
    assert data["input_warnings"] == []


def test_check_exits_1_when_a_dimension_is_flagged(seed_reviews: Path) -> None:
    result = runner.invoke(
        app, ["score", "dsr", "--reviews", str(seed_reviews), "--as-of", "2026-11-20", "--check"]
    )
    assert result.exit_code == 1
    assert "4.82" in result.stdout


@pytest.mark.usefixtures("fresh_enough")
def test_check_exits_0_when_nothing_is_flagged(tmp_path: Path) -> None:
    path = reviews_file(
        tmp_path, ["1,a,2026-11-01 10:00,5,5,5,I1,T", "2,b,2026-11-02 10:00,5,5,5,I1,T"]
    )
    result = runner.invoke(
        app, ["score", "dsr", "--reviews", str(path), "--as-of", "2026-11-20", "--check"]
    )
    assert result.exit_code == 0


def test_industry_comparison_uses_the_category(tmp_path: Path) -> None:
    path = reviews_file(tmp_path, ["1,a,2026-11-01 10:00,4,4,4,I1,T"])
    config = tmp_path / "my.yaml"
    config.write_text(
        "service_score:\n  categories:\n    女装:\n      dsr_industry: {description: 5.0, service: 4.0, logistics: 4.0}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        [
            "score",
            "dsr",
            "--reviews",
            str(path),
            "--as-of",
            "2026-11-20",
            "--category",
            "女装",
            "--config",
            str(config),
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    dims = json.loads(result.stdout)["dimensions"]
    assert dims["description"]["vs_industry_percent"] == -20.0
    assert dims["service"]["vs_industry_percent"] == 0.0


def test_bad_value_exits_2_with_one_line_naming_file_line_column_value(tmp_path: Path) -> None:
    path = reviews_file(
        tmp_path, ["1,a,2026-11-01 10:00,5,5,5,I1,T", "2,b,2026-11-01 10:00,7,5,5,I1,T"]
    )
    result = runner.invoke(app, ["score", "dsr", "--reviews", str(path), "--as-of", "2026-11-20"])
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith("tmall: error: ")
    assert f"{path}:3" in first and "宝贝与描述相符" in first and "'7'" in first
    assert "Traceback" not in result.stderr


def test_skip_bad_rows_reports_the_drop_in_json(tmp_path: Path) -> None:
    path = reviews_file(
        tmp_path, ["1,a,2026-11-01 10:00,5,5,5,I1,T", "2,b,2026-11-01 10:00,7,5,5,I1,T"]
    )
    result = runner.invoke(
        app,
        [
            "score",
            "dsr",
            "--reviews",
            str(path),
            "--as-of",
            "2026-11-20",
            "--skip-bad-rows",
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["dimensions"]["description"]["count"] == 1
    assert data["input_warnings"][0]["rows_dropped"] == 1
    assert "dropped 1 row" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "dsr", "--as-of", "2026-11-20"], "--reviews"),
        (["score", "dsr", "--reviews", "nope.csv"], "nope.csv"),
        (["score", "dsr", "--reviews", "{reviews}", "--as-of", "20/11/2026"], "--as-of"),
        (["score", "dsr", "--reviews", "{reviews}", "--category", "不存在"], "unknown category"),
    ],
)
def test_usage_and_input_errors_exit_2(seed_reviews: Path, args: list[str], message: str) -> None:
    args = [a.replace("{reviews}", str(seed_reviews)) for a in args]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_csv_output_file_has_bom_and_is_written_atomically(
    seed_reviews: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dsr.csv"
    result = runner.invoke(
        app,
        [
            "score",
            "dsr",
            "--reviews",
            str(seed_reviews),
            "--as-of",
            "2026-11-20",
            "-f",
            "csv",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode())
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("评分项,评分,评分人数")
    assert lines[1].startswith("宝贝与描述相符,4.82,50")  # the dimension's name under zh
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".dsr.csv")] == []


def test_csv_on_stdout_has_no_bom_and_lang_en(seed_reviews: Path) -> None:
    result = runner.invoke(
        app,
        [
            "score",
            "dsr",
            "--reviews",
            str(seed_reviews),
            "--as-of",
            "2026-11-20",
            "-f",
            "csv",
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0
    assert not result.stdout.startswith("\ufeff")
    assert result.stdout.splitlines()[0].startswith("Dimension,Score,Ratings")


def test_markdown_output(seed_reviews: Path) -> None:
    result = runner.invoke(
        app, ["score", "dsr", "--reviews", str(seed_reviews), "--as-of", "2026-11-20", "-f", "md"]
    )
    assert result.exit_code == 0
    assert "| 宝贝与描述相符 | 4.82 | 50 |" in result.stdout


def test_input_file_is_not_modified(seed_reviews: Path) -> None:
    before = seed_reviews.read_bytes()
    runner.invoke(app, ["score", "dsr", "--reviews", str(seed_reviews), "--as-of", "2026-11-20"])
    assert seed_reviews.read_bytes() == before


def test_broken_pipe_ends_quietly(seed_reviews: Path) -> None:
    proc = subprocess.run(
        f"{sys.executable} -m tmallcli score dsr --reviews {seed_reviews} --as-of 2026-11-20 -f json | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert "Traceback" not in proc.stderr
    assert "BrokenPipe" not in proc.stderr


def test_bundled_sample_shop_numbers() -> None:
    """The bundled shop, checked by hand-written independent code when it was generated."""
    from tests.conftest import REPO

    result = runner.invoke(
        app,
        ["score", "dsr", "--dir", str(REPO / "sample_data"), "--as-of", "2026-11-20", "-f", "json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    dims = data["dimensions"]
    assert (dims["description"]["score"], dims["description"]["count"]) == (4534 / 957, 957)
    assert (dims["service"]["score"], dims["service"]["count"]) == (4590 / 957, 957)
    assert (dims["logistics"]["score"], dims["logistics"]["count"]) == (4606 / 955, 955)
    assert data["excluded"] == {"duplicate_order": 80, "over_monthly_cap": 4, "outside_window": 33}
    assert data["items"][0]["item_title"].startswith("加厚珊瑚绒四件套")
    assert data["input_warnings"] == []


def test_flag_lines_in_the_table(tmp_path: Path) -> None:
    path = reviews_file(
        tmp_path, ["1,a,2026-11-01 10:00,4,5,5,I1,T", "2,b,2026-11-02 10:00,5,5,5,I1,T"]
    )
    result = runner.invoke(app, ["score", "dsr", "--reviews", str(path), "--as-of", "2026-11-20"])
    assert "⚠ 宝贝与描述相符 4.50: < 4.6 不能报名官方活动" in result.stdout


def test_csv_file_for_excel_keeps_long_ids_as_text(tmp_path: Path) -> None:
    """An 18-digit order number in a CSV for Excel is written ="…" (Excel would show 1.23457E+17)."""
    orders = tmp_path / "o.csv"
    orders.write_text(
        "订单编号,买家会员名,买家实际支付金额,订单状态,订单付款时间,揽收时间\n"
        "100000000000000001,a,10,买家已付款,2026-11-01 10:00,\n",
        encoding="utf-8",
    )
    out = tmp_path / "untimely.csv"
    result = runner.invoke(
        app,
        [
            "audit",
            "pickup",
            "--orders",
            str(orders),
            "--as-of",
            "2026-11-20",
            "-f",
            "csv",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert '"=""100000000000000001"""' in out.read_text(encoding="utf-8-sig")
    plain = runner.invoke(
        app, ["audit", "pickup", "--orders", str(orders), "--as-of", "2026-11-20", "-f", "csv"]
    )
    assert "\n100000000000000001," in plain.stdout


def test_output_file_gets_the_usual_permissions(seed_reviews: Path, tmp_path: Path) -> None:
    import os

    out = tmp_path / "dsr.json"
    runner.invoke(
        app,
        [
            "score",
            "dsr",
            "--reviews",
            str(seed_reviews),
            "--as-of",
            "2026-11-20",
            "-f",
            "json",
            "-o",
            str(out),
        ],
    )
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "dsr", "--nope"], "No such option: --nope"),
        (["score", "dsr", "-f", "xml"], "'xml' is not one of"),
        (["score", "dsr", "--reviews", "x.csv", "--as-of", "20/11/2026"], "--as-of: not a date"),
    ],
)
def test_usage_errors_are_one_line_from_the_real_entry_point(args: list[str], message: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "tmallcli", *args], capture_output=True, text=True)
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert lines[0].startswith("tmall: error: ") and message in lines[0]
    assert all(line.startswith("tmall: ") for line in lines)
    assert proc.stdout == ""


def test_the_real_entry_point_writes_everything_and_keeps_the_exit_status(
    seed_reviews: Path,
) -> None:
    """`tmall` ends the process without the interpreter's teardown (cli.entry): what it
    printed to a pipe is all there, and --check's status 1 comes through."""
    args = ["score", "dsr", "--reviews", str(seed_reviews), "--as-of", "2026-11-20", "-f", "json"]
    proc = subprocess.run(
        [sys.executable, "-m", "tmallcli", *args, "--check"], capture_output=True, text=True
    )
    assert proc.returncode == 1
    in_process = runner.invoke(app, args)
    assert proc.stdout == in_process.stdout
    assert json.loads(proc.stdout)["dimensions"]["description"]["score"] == 4.82


@pytest.mark.parametrize(
    ("code", "status", "said"), [(None, 0, ""), (0, 0, ""), (2, 2, ""), ("boom", 1, "boom\n")]
)
def test_entry_exit_status_is_what_sys_exit_would_give(
    code: object, status: int, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tmallcli.cli import _exit_status

    assert _exit_status(code) == status
    assert capsys.readouterr().err == said
