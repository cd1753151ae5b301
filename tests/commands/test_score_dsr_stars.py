"""`tmall score dsr`, `score service` and `report` with the shop page's star counts (SPEC §3
"Where the DSR data really comes from"), on the fixture files of tests/data/layouts/dsr_summary.py."""

from __future__ import annotations

import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from tmallcli.cli import app

runner = CliRunner()
FILES = REPO / "tests" / "data" / "layouts" / "files" / "dsr_summary"
SAMPLE = REPO / "sample_data"
AS_OF = ["--as-of", "2026-11-20"]


def dsr(*args: str, code: int = 0) -> dict:
    result = runner.invoke(app, ["score", "dsr", *AS_OF, "-f", "json", *args])
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def fails(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("tmall: error: ") and "Traceback" not in result.stderr
    return lines[0]


def test_stars_give_the_spec_example_and_keep_the_json_keys() -> None:
    # 30,10,5,3,2 → 213/50 = 4.26; 5-star ratings needed: 12 for 4.4, 43 for 4.6.
    data = dsr("--stars", "description=30,10,5,3,2", "--stars", "服务态度=45,3,1,0,1")
    assert {"as_of", "dimensions", "excluded", "items"} <= set(data)
    assert set(data["dimensions"]) == {"description", "service", "logistics"}
    d = data["dimensions"]["description"]
    assert (d["score"], d["count"]) == (4.26, 50)
    assert d["five_star_needed"] == {"4.4": 12, "4.6": 43}
    assert d["flags"] == ["search_demotion", "activity_ineligible"]
    assert d["stars"] == {"5": 30, "4": 10, "3": 5, "2": 3, "1": 2}
    # 服务态度 = service: 225 + 12 + 3 + 1 = 241 / 50 = 4.82, above the 4.8 industry average.
    s = data["dimensions"]["service"]
    assert (s["score"], s["flags"], s["vs_industry_percent"]) == (
        4.82,
        [],
        float((Fraction(241, 50) - Fraction(48, 10)) / Fraction(48, 10) * 100),  # 0.42 %
    )
    # Not given: no number invented.
    assert data["dimensions"]["logistics"]["score"] is None
    assert data["dimensions"]["logistics"]["five_star_needed"] == {"4.4": None, "4.6": None}
    # What the counting rules excluded and the items are unknown from the page.
    assert data["source"] == "stars"
    assert data["excluded"] == {
        "duplicate_order": None,
        "over_monthly_cap": None,
        "outside_window": None,
    }
    assert data["items"] == []


def test_add_what_if_and_check() -> None:
    # Three more 1-star: 216/53 = 4.0755; needed (233.2 − 216)/0.6 → 29, (243.8 − 216)/0.4 → 70.
    data = dsr(
        "--stars", "description=30,10,5,3,2", "--add", "description=0,0,0,0,3", "--check", code=1
    )
    after = data["what_if"]["description"]
    assert after["added"] == {"5": 0, "4": 0, "3": 0, "2": 0, "1": 3}
    assert (after["score"], after["count"]) == (216 / 53, 53)
    assert after["five_star_needed"] == {"4.4": 29, "4.6": 70}
    # 4,4,2,0,0 → 4.2; ten 5-star ratings land exactly on 4.6 → no flag after them.
    data = dsr("--stars", "logistics=4,4,2,0,0", "--add", "logistics=10,0,0,0,0")
    assert data["dimensions"]["logistics"]["five_star_needed"]["4.6"] == 10
    assert data["what_if"]["logistics"]["score"] == 4.6
    assert data["what_if"]["logistics"]["flags"] == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--stars", "description=30,10,5"], "expected 5 whole counts"),
        (["--stars", "quality=1,2,3,4,5"], "DIMENSION one of description"),
        (["--stars", "description=1,1,1,1,1", "--stars", "描述相符=1,1,1,1,1"], "given twice"),
        (["--add", "description=0,0,0,0,3"], "--add needs the page's star counts"),
        ([], "give the reviews export"),
        (["--stars", "service=1,1,1,1,1", "--add", "description=0,0,0,0,3"], "no star counts"),
    ],
)
def test_bad_star_options_are_one_line(args: list[str], words: str) -> None:
    assert words in fails("score", "dsr", *AS_OF, *args)


def test_summary_of_counts_gbk_as_excel_saves_it() -> None:
    data = dsr("--summary", str(FILES / "店铺动态评分.csv"))
    dims = data["dimensions"]
    # 4.26 / 4.82 / 42/10 = 4.2 (for 4.4: (44 − 42)/0.6 = 3.3 → 4; for 4.6: 4/0.4 = 10 exactly)
    assert [dims[k]["score"] for k in ("description", "service", "logistics")] == [4.26, 4.82, 4.2]
    assert dims["logistics"]["five_star_needed"] == {"4.4": 4, "4.6": 10}
    assert dims["service"]["origin"].endswith("店铺动态评分.csv:3")


def test_summary_of_percentages() -> None:
    data = dsr("--summary", str(FILES / "dsr_percent.csv"))
    dims = data["dimensions"]
    # 50 × 60/20/10/6/4 % = 30,10,5,3,2 → 4.26, exact.
    assert dims["description"]["stars"] == {"5": 30, "4": 10, "3": 5, "2": 3, "1": 2}
    assert dims["description"]["approximate"] is False
    # 7 × 57.14/14.29/14.29/14.29/0 % → 4,1,1,1,0 → 29/7 = 4.1429; for 4.4: (30.8 − 29)/0.6 = 3,
    # for 4.6: (32.2 − 29)/0.4 = 8.
    assert dims["service"]["score"] == 29 / 7
    assert dims["service"]["five_star_needed"] == {"4.4": 3, "4.6": 8}
    # 1000 raters: the rounded shares give 1001 ratings → 961,21,9,4,5 = 4929/1000, approximate.
    assert dims["logistics"]["stars"] == {"5": 961, "4": 21, "3": 9, "2": 4, "1": 5}
    assert dims["logistics"]["score"] == 4.929 and dims["logistics"]["approximate"] is True
    assert any("1001" in n for n in data["notes"])


def test_summary_of_score_and_raters_and_yaml() -> None:
    data = dsr("--summary", str(FILES / "dsr_score.csv"))
    logistics = data["dimensions"]["logistics"]
    # 4.5 over 100 taken as exact: (460 − 450) / 0.4 = 25.
    assert logistics["stars"] is None and logistics["figures"] == "score"
    assert logistics["five_star_needed"] == {"4.4": 0, "4.6": 25}
    assert logistics["flags"] == ["activity_ineligible"]
    data = dsr("--summary", str(FILES / "dsr_page.yaml"))
    assert [data["dimensions"][k]["score"] for k in ("description", "service", "logistics")] == [
        4.26,
        4.82,  # 50 × 90/6/2/0/2 % = 45,3,1,0,1
        4.5,
    ]


def test_a_bad_summary_cell_names_file_line_column_and_value() -> None:
    line = fails("score", "dsr", *AS_OF, "--summary", str(FILES / "dsr_bad.csv"))
    assert "dsr_bad.csv:3: column 4星" in line and "'3.5'" in line


def test_dir_finds_the_summary_by_its_headers(tmp_path: Path) -> None:
    shutil.copy(FILES / "店铺动态评分.csv", tmp_path)
    data = dsr("--dir", str(tmp_path))
    assert data["dimensions"]["description"]["five_star_needed"] == {"4.4": 12, "4.6": 43}


def test_reviews_without_dsr_columns() -> None:
    reviews = str(FILES / "reviews_no_dsr.csv")
    line = fails("score", "dsr", *AS_OF, "--reviews", reviews)
    assert "no DSR columns" in line and "--stars" in line
    result = runner.invoke(
        app,
        [
            "score",
            "dsr",
            *AS_OF,
            "-f",
            "json",
            "--reviews",
            reviews,
            "--stars",
            "description=30,10,5,3,2",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["dimensions"]["description"]["score"] == 4.26
    assert "no DSR columns" in result.stderr


def test_both_inputs_side_by_side() -> None:
    data = dsr("--reviews", str(SAMPLE / "reviews.csv"), "--stars", "description=30,10,5,3,2")
    assert data["source"] == "stars+ratings"
    assert data["dimensions"]["description"]["score"] == 4.26  # the page's: what the platform uses
    ratings = data["ratings"]["dimensions"]["description"]
    # The sample's reviews recompute 4.7377 (tmall score dsr --reviews alone).
    alone = dsr("--reviews", str(SAMPLE / "reviews.csv"))
    assert ratings["score"] == alone["dimensions"]["description"]["score"] == 4534 / 957
    assert ratings["page_score"] == 4.26
    assert ratings["difference"] == float(Fraction(4534, 957) - Fraction(426, 100))
    # What was excluded and the items come from the ratings: real numbers.
    assert data["excluded"] == alone["excluded"] and data["items"] == alone["items"]


def test_service_score_reads_the_page() -> None:
    result = runner.invoke(
        app,
        ["score", "service", *AS_OF, "-f", "json", "--stars", "description=30,10,5,3,2"],
    )
    assert result.exit_code == 0, result.output
    metric = json.loads(result.stdout)["metrics"]["item_review_score"]
    assert metric["value"] == 4.26 and metric["status"] == "ok"
    # Scale 4.0 → 0, 4.5 → 2.5: 2.5 × 0.26 / 0.5 = 1.3.
    assert metric["score"] == pytest.approx(1.3, rel=1e-12)


def test_report_uses_a_summary_in_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "shop"
    shutil.copytree(SAMPLE, folder)
    shutil.copy(FILES / "店铺动态评分.csv", folder)
    result = runner.invoke(app, ["report", "--dir", str(folder), *AS_OF, "-f", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    section = report["sections"]["dsr"] if "sections" in report else report["dsr"]
    assert section["source"] == "stars+ratings"
    assert section["dimensions"]["logistics"]["score"] == 4.2
    assert report["service"]["metrics"]["item_review_score"]["value"] == 4.26
    assert "dsr_summary: " in result.stderr
