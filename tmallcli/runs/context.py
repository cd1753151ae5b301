"""What every run starts from: the config, the category, the report date and the exports."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from tmallcli.config import CategoryConfig, Config
    from tmallcli.config.origins import ServiceSources
    from tmallcli.exports.inputs import Inputs, Read
    from tmallcli.runs.freshness import Freshness
    from tmallcli.timeframe import AsOf

T = TypeVar("T")


@dataclass
class RunContext:
    """The merged config, the category block the rules use and T."""

    config: Config
    category_name: str
    category: CategoryConfig
    as_of: AsOf

    def threshold_source(self, *path: str) -> str:
        """A verdict's threshold by its key path, as JSON ``threshold_source`` names it:
        platform, illustrative or config (SPEC §14)."""
        return self.config.threshold_source(*path)

    @property
    def service_sources(self) -> ServiceSources:
        """Where the category's 基础服务考核分 threshold, weights and scales come from."""
        from tmallcli.config.origins import service_sources

        return service_sources(self.config, self.category_name)


def context(
    as_of: str | None = None,
    config: Path | None = None,
    category: str | None = None,
    *,
    cwd: Path | None = None,
) -> RunContext:
    """Load and validate the config (default + user file), pick the category, resolve T."""
    from tmallcli import i18n
    from tmallcli.config import load_config
    from tmallcli.timeframe import resolve_as_of

    day = resolve_as_of(as_of)
    loaded = load_config(config, cwd=cwd)
    i18n.adopt_config(loaded.lang)
    name = category or loaded.service_score.default_category
    return RunContext(loaded, name, loaded.category(name), day)


@dataclass(frozen=True)
class Exports:
    """Where each kind of export comes from (explicit files or ``--dir``) and how to read them."""

    files: Mapping[str, list[str]] = field(default_factory=dict)
    directory: Path | None = None
    encoding: str | None = None
    sheet: str | None = None
    skip_bad_rows: bool = False
    # The parsed-export cache (SPEC §15): on unless ``cache`` is False; its folder
    # ``cache_dir``, else TMALL_CACHE_DIR, else the user cache folder.
    cache: bool = True
    cache_dir: Path | None = None
    # Shows a file's reading (a Rich bar on a terminal); the CLI passes it, the core never
    # imports render.
    progress: Callable[[str, int], Any] | None = None

    @contextmanager
    def open(
        self, ctx: RunContext | None = None, *, kind: type[Inputs] | None = None
    ) -> Iterator[Inputs]:
        """The run's :class:`~tmallcli.exports.inputs.Inputs`, read with ``ctx``'s config: the
        user's header and value mapping and how an order's items fold (SPEC §2.1; without
        ``ctx``, the shipped config's). Transcoded copies are removed when the block ends.
        ``kind``: a subclass to open them as (``history backfill`` holds every load)."""
        from tmallcli.exports.folding import OrderStatuses
        from tmallcli.exports.inputs import Inputs
        from tmallcli.exports.parsed_cache import DEFAULT_MAX_GB, CacheSettings
        from tmallcli.exports.reader import ReadOptions
        from tmallcli.exports.user_mapping import NO_MAPPING

        options = ReadOptions(
            encoding=self.encoding,
            sheet=self.sheet,
            skip_bad_rows=self.skip_bad_rows,
            mapping=NO_MAPPING if ctx is None else ctx.config.mapping,
            order_statuses=None if ctx is None else OrderStatuses.from_config(ctx.config),
            cache=CacheSettings.of(
                self.cache_dir, DEFAULT_MAX_GB if ctx is None else ctx.config.cache.max_gb
            )
            if self.cache
            else None,
            happened_by=None if ctx is None else ctx.as_of.instant,
            **({} if self.progress is None else {"progress": self.progress}),
        )
        opened = (kind or Inputs)(dict(self.files), directory=self.directory, options=options)
        with opened as files:
            yield files


@dataclass
class Run(Generic[T]):
    """A command's result, what it read, and what it has to say about its inputs."""

    result: T
    read: list[Read] = field(default_factory=list)
    input_warnings: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # printed as warnings on stderr
    # How far each export reaches and which are too old for T (SPEC §14; JSON inputs, stale).
    freshness: Freshness | None = None

    @property
    def stale(self) -> bool:
        """Is an export the run read older than T − freshness.max_lag_days?"""
        return self.freshness is not None and bool(self.freshness.stale)


def finish(result: T, files: Inputs, notes: list[str] | None = None, *, ctx: RunContext) -> Run[T]:
    """``result`` with the record of what ``files`` read (and what ``--dir`` left out, and why),
    judged for freshness against ``ctx``'s T. The cache's own notes are not in it: see
    :func:`run_once`."""
    from tmallcli.runs.freshness import freshness_of

    reads = files.reads()
    notes = [*files.notes(), *(notes or [])]
    return Run(result, reads, files.warnings, notes, freshness_of(reads, ctx))


def run_once(
    command: str,
    exports: Exports,
    ctx: RunContext,
    options: Any,
    compute: Callable[[Inputs], Run[T]],
) -> Run[T]:
    """``compute`` on the opened ``exports``, or the run it gave before on the same inputs,
    config, T and ``options`` (everything else of the command's that changes its result):
    :mod:`tmallcli.runs.memo`. The parsed-export cache's notes of this run are said last."""
    from dataclasses import replace

    from tmallcli.runs.memo import remembered

    with exports.open(ctx) as files:
        run = remembered(command, files, exports, ctx, options, lambda: compute(files))
        return replace(run, notes=[*run.notes, *files.cache_notes()])
