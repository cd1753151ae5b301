"""``tmall data check``: what each export is and every problem in it (SPEC §2)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tmallcli.i18n import tr

if TYPE_CHECKING:
    from tmallcli.exports.check import FileCheck


def run_data_check(
    paths: list[str],
    kind: str | None = None,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    config: Path | None = None,
) -> list[FileCheck]:
    """Each file's kind (from its headers, or ``kind``), mapping, rows, date range and problems,
    read with the user's own mapping (tmall.yaml ``columns:`` / ``values:``, or ``config``)."""
    import shutil
    import tempfile

    from tmallcli import i18n
    from tmallcli.config import load_config
    from tmallcli.errors import UsageError
    from tmallcli.exports.check import check_files
    from tmallcli.exports.kinds import KINDS
    from tmallcli.exports.paths import expand_paths
    from tmallcli.exports.reader import ExportReader, ReadOptions

    if kind is not None and kind not in KINDS:
        raise UsageError(
            tr("--kind: unknown kind {kind!r} (one of {value})", kind=kind, value=", ".join(KINDS))
        )
    loaded = load_config(config)
    i18n.adopt_config(loaded.lang)
    mapping = loaded.mapping
    workdir = Path(tempfile.mkdtemp(prefix="tmall-"))
    try:
        options = ReadOptions(encoding=encoding, sheet=sheet, mapping=mapping)
        reader = ExportReader(workdir, options)
        return check_files(reader, expand_paths(paths), kind)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
