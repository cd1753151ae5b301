"""``tmall data check``: what each export is and every problem in it (SPEC §2)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tmallcli.i18n import tr

if TYPE_CHECKING:
    from tmallcli.exports.check import FileCheck
    from tmallcli.exports.inputs import Read
    from tmallcli.exports.user_mapping import UserMapping
    from tmallcli.runs.context import Run


def run_data_check(
    paths: list[str],
    kind: str | None = None,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    config: Path | None = None,
    as_of: str | None = None,
) -> Run[list[FileCheck]]:
    """Each file's kind (from its headers, or ``kind``), mapping, rows, date range and problems,
    read with the user's own mapping (tmall.yaml ``columns:`` / ``values:``, or ``config``);
    with how far each kind reaches, judged against T (``as_of``, default today)."""
    from tmallcli.runs.context import Run, context
    from tmallcli.runs.freshness import freshness_of

    ctx = context(as_of, config)
    checks = _checks(paths, kind, encoding=encoding, sheet=sheet, mapping=ctx.config.mapping)
    reads = kind_reads(checks)
    return Run(checks, reads, freshness=freshness_of(reads, ctx))


def kind_reads(checks: list[FileCheck]) -> list[Read]:
    """The files checked, one record per kind: its files, their rows (as they stand in the
    files: data check drops no duplicates) and the newest row of them all."""
    from tmallcli.exports.inputs import Read

    by_kind: dict[str, list[FileCheck]] = {}
    for check in checks:
        if check.kind is not None:
            by_kind.setdefault(check.kind, []).append(check)
    reads = []
    for name, found in by_kind.items():
        ends = [c.date_range[1] for c in found if c.date_range[1] is not None]
        rows = sum(c.rows for c in found)
        reads.append(Read(name, tuple(c.file for c in found), rows, max(ends, default=None)))
    return reads


def _checks(
    paths: list[str],
    kind: str | None,
    *,
    encoding: str | None,
    sheet: str | None,
    mapping: UserMapping,
) -> list[FileCheck]:
    import shutil
    import tempfile

    from tmallcli.errors import UsageError
    from tmallcli.exports.check import check_files
    from tmallcli.exports.kinds import KINDS
    from tmallcli.exports.paths import expand_paths
    from tmallcli.exports.reader import ExportReader, ReadOptions

    if kind is not None and kind not in KINDS:
        raise UsageError(
            tr("--kind: unknown kind {kind!r} (one of {value})", kind=kind, value=", ".join(KINDS))
        )
    workdir = Path(tempfile.mkdtemp(prefix="tmall-"))
    try:
        options = ReadOptions(encoding=encoding, sheet=sheet, mapping=mapping)
        reader = ExportReader(workdir, options)
        return check_files(reader, expand_paths(paths), kind)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
