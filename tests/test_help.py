"""``--help`` names what an option takes in words (SPEC §14): FILE, DATE, NUMBER, not the
Python types Typer would print (``PATH``, ``FLOAT``, ``INTEGER``, ``<path>``, ``<list[str]>``)."""

from __future__ import annotations

import pytest

from tests.test_cli import COMMANDS, run_main

PYTHON_TYPES = ("INTEGER", "FLOAT", "PATH", "<int", "<float", "<path>", "<str>", "list[")


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_help_names_option_types_in_words(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run_main([*path, "--help"], capsys)
    assert code == 0
    options = [line for line in out.splitlines() if line.lstrip("│ ").startswith("-")]
    assert options
    shown = [word for line in options for word in PYTHON_TYPES if word in line]
    assert not shown, shown
    # A flag takes no value: no type beside it (Typer's own --help still says <bool>).
    flags = [line for line in options if "<bool>" in line and "--help" not in line]
    assert not flags, flags


def test_help_shows_the_words() -> None:
    import typer.main

    from tmallcli.cli import app

    command = typer.main.get_command(app).commands["score"].commands["dsr"]  # type: ignore[attr-defined]
    metavars = {param.name: param.metavar for param in command.params}
    assert metavars["as_of"] == "DATE"
    assert metavars["output"] == "FILE"
    assert metavars["directory"] == "FOLDER"
    assert metavars["reviews"] == "FILE"
