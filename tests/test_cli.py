"""Every command, looped over (as sqlite-utils' test_commands_have_help): each has help with an
example, a usage error is exit 2 with one line, and ``--help`` imports no Polars. And the
layers of the package import only downwards (docs/ARCHITECTURE.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tmallcli.cli import app, main


def command_paths() -> list[tuple[str, ...]]:
    import typer.main

    root = typer.main.get_command(app)
    paths: list[tuple[str, ...]] = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        subs = getattr(command, "commands", None)
        if subs is None or getattr(command, "invoke_without_command", False):
            paths.append((name,))  # a command, or a group that is a command itself (history)
        if subs is not None:
            paths += [(name, sub) for sub in subs]
    return sorted(paths)


COMMANDS = command_paths()


def test_the_commands_are_all_there() -> None:
    assert [" ".join(p) for p in COMMANDS] == [
        "audit pickup",
        "audit refunds",
        "audit response",
        "compensate late-orders",
        "compensate ledger",
        "compensate mark-paid",
        "compensate void",
        "config show",
        "data check",
        "demo",
        "history",
        "history backfill",
        "report",
        "reviews triage",
        "sample",
        "score cs",
        "score dsr",
        "score service",
    ]


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    old = sys.argv
    sys.argv = ["tmall", *args]
    try:
        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    else:
        code = 0
    finally:
        sys.argv = old
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_help_has_an_example(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main([*path, "--help"], capsys)
    assert code == 0
    assert "Example: tmall " + " ".join(path) in " ".join(out.split())


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_a_usage_error_is_one_line_and_exit_2(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_main([*path, "--no-such-option"], capsys)
    assert code == 2 and out == ""
    errors = [line for line in err.splitlines() if line.startswith("tmall: error: ")]
    assert errors == ["tmall: error: No such option: --no-such-option"]
    assert "Traceback" not in err


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_help_imports_no_polars(path: tuple[str, ...]) -> None:
    code = (
        "import sys\nfrom tmallcli.cli import main\n"
        f"sys.argv = ['tmall', *{list(path)!r}, '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('polars' in sys.modules, 'pygal' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert done.stdout.splitlines()[-1] == "False False"


# ------------------------------------------------------------------------------- layers

PACKAGE = REPO / "tmallcli"


def runtime_imports(path: Path) -> set[str]:
    """The tmallcli modules a file imports when it runs (not those under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for child in node.body for n in ast.walk(child)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tmallcli"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("tmallcli")}
    return found


def imports_of(layer: str) -> dict[str, set[str]]:
    return {
        str(path.relative_to(REPO)): runtime_imports(path)
        for path in sorted((PACKAGE / layer).rglob("*.py"))
    }


def reaching(imports: dict[str, set[str]], layers: tuple[str, ...]) -> list[str]:
    return [
        f"{file} imports {module}"
        for file, modules in imports.items()
        for module in sorted(modules)
        if any(module == f"tmallcli.{x}" or module.startswith(f"tmallcli.{x}.") for x in layers)
    ]


@pytest.mark.parametrize("layer", ["exports", "metrics", "config"])
def test_data_does_not_climb_back_up(layer: str) -> None:
    """exports, metrics and config know nothing of runs, commands or render (STYLE.md)."""
    assert reaching(imports_of(layer), ("runs", "commands", "render", "cli")) == []


def test_metrics_read_no_files() -> None:
    """A metric takes frames and config: loading exports is the runs' job."""
    assert reaching(imports_of("metrics"), ("exports",)) == []


def test_commands_go_through_the_runs() -> None:
    """Commands parse options, call a run and render: they load nothing and compute nothing
    themselves (the export kinds' names aside, which the options are made from)."""
    imports = imports_of("commands")
    for modules in imports.values():
        modules.discard("tmallcli.exports.kinds")
    layers = ("exports", "metrics", "config", "ledger", "ledger_marks", "payout_file")
    assert reaching(imports, layers) == []


def test_render_and_runs_do_not_import_the_cli() -> None:
    assert reaching(imports_of("render"), ("commands", "cli", "runs")) == []
    assert reaching(imports_of("runs"), ("commands", "cli", "render")) == []
