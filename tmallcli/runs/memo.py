"""The result cache: the second run of a day of ``tmall report`` or of a score / audit /
compensate command on the same exports reads the first one's result instead of computing it
again (SPEC §15 "parsing once", one step on), when T is given (``--as-of``).

The parsed-export cache spares a run the CSV parsing; what is left is the rules: a 1 M-order
shop's report still spends most of its time folding 3 M tracking events, settling the payouts,
rolling the DSR trend, and ``compensate`` at 10 M orders folds 33 M events and settles the
payouts again from the Parquet (27 s warm, against 3 s for Polars to scan that Parquet).
When nothing a run depends on has changed — the same files (resolved path, size,
modification time in ns), the same folder listing (the report lists what it ignored), the same
merged config and category, the same T, the same reading options, the command's own options
that change its result, the message language, the same tmallcli code and Polars — its result
is the same, so it is kept after the first run, in the cache folder, and read back by the next.
What is done after the result — the rendering (table, HTML, JSON, CSV, xlsx, ``--table``),
``--history``, ``--check``, what-if values and ``--target`` of ``score service``, and the
ledger (``compensate``'s settlement and recording, the report's open list) — works on it as on
a computed one: the ledger is read after the cache, so a payout marked paid since shows at once
and one already recorded is never recorded twice.

A kept result is a pickle of the run's result objects, in the user's own cache folder (as
trusted as the code next to it); one that cannot be read is said once, removed, and the result
computed again. ``--no-cache`` neither reads nor writes it. The key names the code by the size
and modification time of every file of the installed package, so an upgrade (or an edited
checkout) never reads a result an older version computed.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from collections.abc import Callable

    from tmallcli.exports.inputs import Inputs
    from tmallcli.exports.parsed_cache import ParsedCache
    from tmallcli.runs.context import Exports, RunContext

T = TypeVar("T")

# Bump when what a result holds changes shape in a way the code fingerprint would not see.
MEMO_VERSION = 1


@cache
def code_fingerprint() -> str:
    """The installed tmallcli, by each file's name, size and modification time (~200 stats)."""
    import tmallcli

    root = Path(tmallcli.__file__).parent
    digest = hashlib.sha256(tmallcli.__version__.encode())
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def stable(value: Any) -> Any:
    """``value`` as plain, ordered data whose ``repr`` is the same in every process (a set's
    order, and so its pickle, follows the per-process string hash): config models with the
    origin of each value (it decides ``threshold_source``), dataclasses, mappings, sets; a path
    with what identifies its content (``--summary FILE`` read again after an edit). The plain
    values, most of a config, are told first (a config is a few thousand of them)."""
    from dataclasses import fields, is_dataclass
    from pathlib import PurePath

    from pydantic import BaseModel

    from tmallcli.exports.parsed_cache import ParsedCache

    def walk(value: Any) -> Any:
        if isinstance(value, _PLAIN):
            return value
        if isinstance(value, dict):
            return sorted((repr(walk(k)), walk(v)) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return [walk(v) for v in value]
        if isinstance(value, (set, frozenset)):
            return sorted(repr(walk(v)) for v in value)
        if isinstance(value, BaseModel):
            origins = getattr(value, "_origins", None) or {}
            return (
                type(value).__name__,
                walk(value.model_dump(mode="python")),
                walk(dict(origins)),
            )
        if is_dataclass(value) and not isinstance(value, type):
            return (
                type(value).__name__,
                [(f.name, walk(getattr(value, f.name))) for f in fields(value)],
            )
        if isinstance(value, PurePath):
            return ("path", str(value), ParsedCache.file_id(Path(value)))
        return repr(value)

    return walk(value)


_PLAIN = (str, int, float, bool, type(None))


def _folder_state(directory: Path) -> list[tuple[str, bool, int, int]]:
    listed = []
    for entry in sorted(directory.iterdir(), key=lambda p: p.name):
        stat = entry.stat()
        listed.append((entry.name, entry.is_dir(), stat.st_size, stat.st_mtime_ns))
    return listed


def result_key(
    command: str, files: Inputs, exports: Exports, ctx: RunContext, options: Any = None
) -> str | None:
    """The name of ``command``'s kept result for these inputs, or None when none is kept: T
    not given (the rules are then evaluated at the current instant — the watchlist's hours,
    what is overdue — so an hour-old result is not this run's), or an input that cannot be
    told for certain (a file gone meanwhile)."""
    if not ctx.as_of.given:
        return None
    import polars as pl

    from tmallcli import i18n
    from tmallcli.exports.parsed_cache import BLOB_SUFFIX, ParsedCache

    # Each file as the parsed-export cache names it (resolved path, sheet, size, mtime ns).
    used = {kind: paths for kind, paths in files.files.items() if paths}
    named = sorted(
        (kind, [ParsedCache.file_id(Path(p)) for p in paths]) for kind, paths in used.items()
    )
    summaries = [ParsedCache.file_id(Path(p)) for p in files.dsr_summaries]
    if any(None in ids for _, ids in named) or None in summaries:
        return None  # a file gone meanwhile
    try:
        parts = (
            MEMO_VERSION,
            command,
            code_fingerprint(),
            pl.__version__,
            sys.version,
            i18n.language(),
            stable((ctx.config, ctx.category_name, ctx.category, ctx.as_of)),
            stable(options),
            (exports.encoding, exports.sheet, exports.skip_bad_rows),
            named,
            summaries,
            None if exports.directory is None else _folder_state(exports.directory),
        )
    except OSError:
        return None
    return f"{command}-{hashlib.sha256(repr(parts).encode()).hexdigest()[:40]}{BLOB_SUFFIX}"


def kept_result(cache: ParsedCache, name: str) -> Any | None:
    """The result kept under ``name``; None when there is none (or it is damaged: said once,
    removed)."""
    data = cache.read_blob(name)
    if data is None:
        return None
    from tmallcli.metrics.compensation.results import no_cycle_collection

    try:
        # Tens of thousands of small objects come back, none in a cycle: the collector's
        # passes over all of them would cost more than making them.
        with no_cycle_collection():
            return pickle.loads(data)
    except Exception as exc:  # any damage: the cache must never stop a run
        cache.unreadable(cache.directory / name, exc)
        return None


def keep_result(cache: ParsedCache, name: str, result: Any) -> None:
    """Keep ``result`` under ``name`` for the next run (quietly nothing when it cannot be
    pickled: the run is right without it)."""
    try:
        data = pickle.dumps(result, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        return
    cache.write_blob(name, data)


def remembered(
    command: str,
    files: Inputs,
    exports: Exports,
    ctx: RunContext,
    options: Any,
    compute: Callable[[], T],
) -> T:
    """``compute()``, kept for the next run; or what it gave a run before on the same inputs
    (:func:`result_key`; ``options``: whatever else of ``command``'s changes the result). What
    ``compute`` gives must not carry the cache's notes (:meth:`Inputs.cache_notes`): those
    belong to the run that says them."""
    cache = files.reader.cache
    key = None if cache is None else result_key(command, files, exports, ctx, options)
    if cache is not None and key is not None:
        kept = kept_result(cache, key)
        if kept is not None:
            return cast(T, kept)
    result = compute()
    if cache is not None and key is not None:
        keep_result(cache, key, result)
    return result
