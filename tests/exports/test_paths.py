"""The user's file arguments as export files: files, globs, folders (exports/paths.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tmallcli.errors import InputError
from tmallcli.exports.paths import EXPORT_SUFFIXES, expand_paths


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_export_suffixes() -> None:
    assert EXPORT_SUFFIXES == (".csv", ".txt", ".xlsx", ".xls")


def test_expand_paths_file_glob_folder_sorted_and_deduplicated(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    for name in ["b.csv", "a.XLSX", "c.xls", "notes.md", ".hidden.csv", "~$a.xlsx", "d.txt"]:
        (folder / name).write_text("x")
    (folder / "sub").mkdir()
    (folder / "sub" / "deep.csv").write_text("x")

    assert [p.name for p in expand_paths([str(folder)])] == ["a.XLSX", "b.csv", "c.xls", "d.txt"]

    by_glob = expand_paths([str(folder / "*.csv"), str(folder / "b.csv")])
    assert by_glob == [folder / "b.csv"]  # .hidden.csv not matched, b.csv once

    everything = expand_paths(
        [str(folder / "c.xls"), str(folder), str(folder / "*.xls*"), str(folder / "b.csv")]
    )
    assert [p.name for p in everything] == ["a.XLSX", "b.csv", "c.xls", "d.txt"]
    assert all(isinstance(p, Path) for p in everything)


def test_expand_paths_same_file_by_two_spellings(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("orders.csv").write_text("x")
    result = expand_paths(["orders.csv", str(tmp_path / "orders.csv"), "./orders.csv"])
    assert len(result) == 1


def test_expand_paths_explicit_file_of_any_suffix(tmp_path: Path) -> None:
    tsv = write(tmp_path / "orders.tsv", b"a\tb\n")
    assert expand_paths([str(tmp_path / "orders.tsv")]) == [tsv]


def test_expand_paths_glob_skips_excel_lock_files(tmp_path: Path) -> None:
    (tmp_path / "~$orders.xlsx").write_text("lock")
    (tmp_path / "orders.xlsx").write_text("x")
    assert [p.name for p in expand_paths([str(tmp_path / "*orders.xlsx")])] == ["orders.xlsx"]


def test_expand_paths_missing_file(tmp_path: Path) -> None:
    arg = str(tmp_path / "ExportOrderList.csv")
    with pytest.raises(InputError) as caught:
        expand_paths([arg])
    assert caught.value.file == arg
    assert str(caught.value) == f"{arg}: no such file"


def test_expand_paths_glob_matching_nothing_names_the_option(tmp_path: Path) -> None:
    arg = str(tmp_path / "ExportOrderList*.csv")
    with pytest.raises(InputError) as caught:
        expand_paths([arg], kind="cs_ratings")
    assert str(caught.value) == f"{arg}: glob matched no file (--cs-ratings)"


def test_expand_paths_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "readme.md").write_text("x")
    with pytest.raises(InputError) as caught:
        expand_paths([str(tmp_path)])
    assert "folder holds no export (.csv, .txt, .xlsx, .xls)" in str(caught.value)


def test_expand_paths_empty_argument() -> None:
    with pytest.raises(InputError, match="no such file"):
        expand_paths([""])
