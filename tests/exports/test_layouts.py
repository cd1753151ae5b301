"""The §2.1 layout fixtures (tests/data/layouts/): the committed files are exactly what the
layout modules write, and every one of them is there."""

from __future__ import annotations

import importlib.util

from tests.conftest import REPO

LAYOUTS = REPO / "tests" / "data" / "layouts" / "files"


def written() -> dict[str, bytes]:
    spec = importlib.util.spec_from_file_location(
        "make_layouts", REPO / "tests" / "data" / "make_layouts.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.layout_files())


def test_the_committed_layout_files_are_what_the_modules_write() -> None:
    expected = written()
    committed = {
        str(path.relative_to(LAYOUTS)): path.read_bytes()
        for path in LAYOUTS.rglob("*")
        if path.is_file() and path.name != ".gitkeep"
    }
    assert sorted(committed) == sorted(expected), "run python tests/data/make_layouts.py"
    for name, data in expected.items():
        assert committed[name] == data, f"{name}: run python tests/data/make_layouts.py"
