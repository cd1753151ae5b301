"""Write the §2.1 layout fixtures: ``python tests/data/make_layouts.py``.

Every module of ``tests/data/layouts/`` with a ``files()`` function contributes files under
``tests/data/layouts/files/`` (see ``tests/data/layouts/__init__.py``).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = HERE / "layouts" / "files"


def layout_files() -> dict[str, bytes]:
    """Every fixture file (path under ``files/`` → bytes), from every layouts module."""
    sys.path.insert(0, str(HERE.parent.parent))
    import tests.data.layouts as layouts

    found: dict[str, bytes] = {}
    for info in sorted(pkgutil.iter_modules(layouts.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"tests.data.layouts.{info.name}")
        files = getattr(module, "files", None)
        if files is None:
            continue
        for name, data in files().items():
            if name in found:
                raise SystemExit(f"{info.name}: {name} is written by another module too")
            found[name] = data
    return found


def main() -> None:
    for name, data in layout_files().items():
        path = FILES / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(HERE)}")


if __name__ == "__main__":
    main()
