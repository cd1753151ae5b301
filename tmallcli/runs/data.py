"""``tmall data check``: what each export is and every problem in it (SPEC §2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tmallcli.exports.check import FileCheck


def run_data_check(
    paths: list[str],
    kind: str | None = None,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
) -> list[FileCheck]:
    """Each file's kind (from its headers, or ``kind``), mapping, rows, date range and problems."""
    import shutil
    import tempfile
    from pathlib import Path

    from tmallcli.errors import UsageError
    from tmallcli.exports.check import check_files
    from tmallcli.exports.kinds import KINDS
    from tmallcli.exports.paths import expand_paths
    from tmallcli.exports.reader import ExportReader, ReadOptions

    if kind is not None and kind not in KINDS:
        raise UsageError(f"--kind: unknown kind {kind!r} (one of {', '.join(KINDS)})")
    workdir = Path(tempfile.mkdtemp(prefix="tmall-"))
    try:
        reader = ExportReader(workdir, ReadOptions(encoding=encoding, sheet=sheet))
        return check_files(reader, expand_paths(paths), kind)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
