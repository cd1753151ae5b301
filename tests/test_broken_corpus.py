"""The broken-export corpus (tests/data/broken, SPEC §13): every case through every command.

Each case of ``cases.yaml`` runs through every command that reads its kind, the other kinds
coming from the corpus' valid files, and through ``tmall data check``. A broken export ends
in exit 2 with one line naming the file (line, column, value where there is one), nothing on
stdout and never a traceback; or, with ``--skip-bad-rows``, in exactly the valid file's
output with the dropped rows counted. No input file is ever modified.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys
import traceback
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from tmallcli.cli import app
from tmallcli.exports.kinds import KIND_NAMES

CORPUS = Path(__file__).resolve().parent / "data" / "broken"
MANIFEST = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
COMMANDS: dict[str, dict[str, Any]] = MANIFEST["commands"]
AS_OF = ["--as-of", "2026-11-20"]
MISSING = CORPUS / "misc" / "does_not_exist.csv"

runner = CliRunner()


def option(kind: str) -> str:
    return "--" + kind.replace("_", "-")


def valid(kind: str) -> Path:
    return CORPUS / "valid" / f"{kind}.csv"


def command_args(command: str, files: dict[str, Path] | None = None, *extra: str) -> list[str]:
    """The command over the valid files, with ``files`` in place of their kinds."""
    spec = COMMANDS[command]
    args = [str(a) for a in spec["args"]]
    for kind in spec["reads"]:
        args += [option(kind), str((files or {}).get(kind, valid(kind)))]
    return [*args, *AS_OF, "-f", "json", *extra]


def digest(args: list[str]) -> dict[str, str]:
    """Checksums of every existing file named in ``args``."""
    paths = [Path(a) for a in args if a.startswith("/") and Path(a).is_file()]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def invoke(args: list[str]) -> Result:
    """Run ``tmall``: inputs unchanged, never an uncaught exception."""
    before = digest(args)
    result = runner.invoke(app, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        detail = "".join(traceback.format_exception(*result.exc_info)) if result.exc_info else ""
        pytest.fail(f"uncaught {result.exception!r} for tmall {' '.join(args)}\n{detail}")
    assert digest(args) == before, "an input file was modified"
    return result


def assert_one_error(result: Result, *expected: str) -> str:
    """Exit 2, one ``tmall: error:`` line (+ a hint) holding every ``expected`` text."""
    assert result.exit_code == 2, (result.exit_code, result.stdout[:300], result.stderr)
    assert result.stdout == "", "a failed run printed a result"
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("tmall: error: ")]
    assert len(errors) == 1, lines
    assert all(line.startswith(("tmall: error: ", "tmall: hint: ")) for line in lines), lines
    assert len(lines) <= 2, lines
    for text in expected:
        assert text in errors[0], (text, errors[0])
    return errors[0]


def output(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, (result.exit_code, result.stderr)
    return json.loads(result.stdout)


def dig(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def without(data: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    """The output minus ``input_warnings``, the files each input was read from (a broken
    file's name, not the valid one's: SPEC §14 ``inputs``) and the dotted ``paths``."""
    data = json.loads(json.dumps(data))
    data.pop("input_warnings", None)
    for read in data.get("inputs", []):
        read.pop("files", None)
    for path in paths:
        *parents, last = path.split(".")
        holder = data
        for part in parents:
            holder = holder[part]
        holder.pop(last)
    return data


def rows_apart(data: dict[str, Any], reference: dict[str, Any], kind: str) -> None:
    """Take ``kind``'s row count out of both ``inputs`` (SPEC §14), the broken export's being
    at least the valid one's (its extra rows are read; a folded kind may count them as one)."""
    for read, valid_read in zip(data["inputs"], reference["inputs"], strict=True):
        if read["kind"] == kind:
            assert read.pop("rows") >= valid_read.pop("rows")


@cache
def valid_output(command: str) -> str:
    return json.dumps(without(output(invoke(command_args(command))), []), sort_keys=True)


def dropped(data: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for warning in data["input_warnings"]:
        counts[warning["problem"]] = counts.get(warning["problem"], 0) + warning["rows_dropped"]
    return counts


# --------------------------------------------------------------------------- the manifest


def _spec(name: str) -> dict[str, Any]:
    kind, case = name.split("/")
    default = MANIFEST["defaults"].get(case, {})
    entry = MANIFEST["cases"][name] or {}
    spec = {**default, **entry, "kind": kind, "name": name}
    spec["error"] = [*default.get("error", []), *entry.get("error", [])]
    spec["path"] = CORPUS / kind / f"{spec.get('file', case)}.csv"
    return spec


CASES = {name: _spec(name) for name in MANIFEST["cases"]}


def _runs() -> list[Any]:
    runs = []
    for name, spec in CASES.items():
        readers = [c for c, s in COMMANDS.items() if spec["kind"] in s["reads"]]
        for command in readers:
            runs.append(pytest.param(name, command, False, id=f"{name}-{command}"))
        skip = spec.get("skip_bad_rows")
        # A damaged file fails the same with --skip-bad-rows: shown on one command.
        for command in readers[:1] if skip == "same" else readers if skip else []:
            runs.append(pytest.param(name, command, True, id=f"{name}-{command}-skip"))
    return runs


def corpus_files() -> set[str]:
    return {
        p.relative_to(CORPUS).as_posix()
        for p in CORPUS.rglob("*")
        if p.is_file() and p.parent != CORPUS and "__pycache__" not in p.parts
    }


def test_every_corpus_file_is_a_case_a_companion_or_a_place() -> None:
    used = {spec["path"].relative_to(CORPUS).as_posix() for spec in CASES.values()}
    companions = {f"valid/{kind}.csv" for spec in COMMANDS.values() for kind in spec["reads"]}
    places = {
        p.relative_to(CORPUS).as_posix()
        for place in MANIFEST["places"].values()
        if "dir" in place
        for p in (CORPUS / place["dir"]).iterdir()
    }
    assert corpus_files() == used | companions | places
    assert not MISSING.exists()


def test_the_committed_corpus_is_what_make_corpus_writes() -> None:
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected: dict[str, bytes] = module.files()
    assert set(expected) == corpus_files()
    for relative, data in expected.items():
        assert (CORPUS / relative).read_bytes() == data, f"{relative}: run make_corpus.py"


def test_every_command_that_reads_exports_is_in_the_manifest() -> None:
    """The manifest's `reads` are each command's input options (so no reader is left out)."""
    for command, spec in COMMANDS.items():
        help_text = runner.invoke(app, [*spec["args"][:2], "--help"], terminal_width=200).stdout
        offered = {kind for kind in KIND_NAMES if f"{option(kind)} " in help_text}
        assert offered == set(spec["reads"]) | set(spec.get("also_reads", [])), command


@pytest.mark.parametrize(("name", "command", "skip"), _runs())
def test_broken_export(name: str, command: str, skip: bool) -> None:
    spec = CASES[name]
    extra = [str(a) for a in spec.get("args", [])]
    if skip:
        extra.append("--skip-bad-rows")
    result = invoke(command_args(command, {spec["kind"]: spec["path"]}, *extra))
    if command in spec.get("unread", {}):
        # The broken column is not one the command reads: nothing to say, nothing dropped.
        data = output(result)
        assert dropped(data) == {}
        differ = spec["unread"][command]
        for path, value in differ.items():
            assert dig(data, path) == value, path
        reference = without(json.loads(valid_output(command)), list(differ))
        compared = without(data, list(differ))
        rows_apart(compared, reference, spec["kind"])  # the broken rows are read, and kept
        assert compared == reference
        return
    skip_spec = spec.get("skip_bad_rows")
    if spec["exit"] == 2 and not (skip and isinstance(skip_spec, dict)):
        assert_one_error(result, str(spec["path"]), *spec["error"])
        return
    data = output(result)
    if skip:
        # The bad rows are extra rows: dropping them gives exactly the valid output.
        assert dropped(data) == skip_spec
        assert json.dumps(without(data, []), sort_keys=True) == valid_output(command)
        return
    assert dropped(data) == spec.get("warnings", {})
    for path, value in spec.get("json", {}).get(command, {}).items():
        assert dig(data, path) == value, path
    if spec.get("same_as_valid"):
        ignore = spec.get("ignore", {}).get(command, [])
        reference = without(json.loads(valid_output(command)), ignore)
        compared = without(data, ignore)
        if spec.get("extra_rows"):  # the same newest row (before T), more rows read
            rows_apart(compared, reference, spec["kind"])
        assert compared == reference


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.usefixtures("fresh_enough")  # the corpus's rows end days before its as-of
def test_data_check(name: str) -> None:
    """`tmall data check` reports the problem instead of failing (exit 1 with --check)."""
    spec = CASES[name]
    args = ["data", "check", str(spec["path"]), *AS_OF, "--check", "-f", "json"]
    result = invoke([*args, *[str(a) for a in spec.get("args", [])]])
    expected = spec["check"]
    assert result.exit_code == expected["exit"], result.stderr
    (report,) = json.loads(result.stdout)["files"]
    texts = [problem["problem"] for problem in report["problems"]]
    if expected["exit"] == 0:
        assert texts == []
    for text in expected.get("problems", []):
        assert any(text in problem for problem in texts), (text, texts)


# --------------------------------------------------------------------------- places


PLACES = MANIFEST["places"]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_missing_file(command: str) -> None:
    first = COMMANDS[command]["reads"][0]
    result = invoke(command_args(command, {first: MISSING}))
    assert_one_error(result, str(MISSING), *PLACES["missing_file"]["error"], option(first))


@pytest.mark.parametrize("place", ["no_exports", "unrecognised"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_folder_without_exports(command: str, place: str) -> None:
    folder = CORPUS / PLACES[place]["dir"]
    args = [*map(str, COMMANDS[command]["args"]), "--dir", str(folder), *AS_OF]
    assert_one_error(invoke(args), str(folder), *PLACES[place]["error"])


@pytest.mark.parametrize("command", [*COMMANDS, "data check"])
def test_an_unwritable_output(command: str, tmp_path: Path) -> None:
    target = valid("orders") / "out.json"  # a "folder" that is a file: even root cannot
    if command == "data check":
        args = ["data", "check", str(valid("orders")), "-f", "json"]
    else:
        args = command_args(command)
    result = invoke([*args, "-o", str(target)])
    assert_one_error(result, str(target), *PLACES["unwritable_output"]["error"])


def test_data_check_on_missing_and_empty_places() -> None:
    assert_one_error(invoke(["data", "check", str(MISSING)]), str(MISSING), "no such file")
    folder = CORPUS / PLACES["no_exports"]["dir"]
    assert_one_error(invoke(["data", "check", str(folder)]), "folder holds no export")
    unrecognised = CORPUS / PLACES["unrecognised"]["dir"]
    result = invoke(["data", "check", str(unrecognised), "--check", "-f", "json"])
    assert result.exit_code == 1
    (report,) = json.loads(result.stdout)["files"]
    assert report["kind"] is None


# --------------------------------------------------------------------------- a real process

REAL = [
    ("audit pickup", "orders", "binary", []),
    ("compensate late-orders", "orders", "ragged_short", []),
    ("score service", "refunds", "gb18030", ["--encoding", "utf-8"]),
    ("score dsr", "reviews", "truncated_quote", ["--skip-bad-rows"]),
    ("audit pickup", "orders", "valid", ["--encoding", "utf-16"]),  # no BOM: was a traceback
]


@pytest.mark.parametrize(("command", "kind", "case", "extra"), REAL)
def test_no_traceback_reaches_a_real_stderr(
    command: str, kind: str, case: str, extra: list[str]
) -> None:
    path = valid(kind) if case == "valid" else CORPUS / kind / f"{case}.csv"
    args = command_args(command, {kind: path}, *extra)
    done = subprocess.run(
        [sys.executable, "-m", "tmallcli", *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len([line for line in lines if line.startswith("tmall: error: ")]) == 1, lines
    assert all(line.startswith(("tmall: error: ", "tmall: hint: ")) for line in lines), lines
