"""A file tmall keeps in SQLite (the payout ledger, the history): opened, versioned and
written the same way.

* One run is one transaction: ``BEGIN IMMEDIATE`` … ``COMMIT`` to write, so a second run
  waits (busy timeout) instead of failing, and a crash before the commit leaves the file as
  it was; ``BEGIN`` … ``ROLLBACK`` to only read.
* The schema is created and versioned by the tool (``PRAGMA user_version``): a newer version
  than this tmall knows is refused, an SQLite file with other tables is refused, an older one
  is upgraded by the subclass's ``MIGRATIONS`` inside the first writing transaction.
* Every SQLite error becomes one line naming the file (busy, not a database, read-only).

A subclass names what it is (``NOUN``, "ledger"), its error class, its schema version
(:meth:`SqliteFile.schema_version`), its tables and its migrations; :mod:`tmallcli.ledger` and :mod:`tmallcli.history` are the two.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar, Self

from tmallcli.errors import TmallError
from tmallcli.i18n import N_, tr

BUSY_TIMEOUT_SECONDS = 30.0

# Each file's messages as whole sentences (by NOUN), so each language words them its own way.
MESSAGES: dict[str, dict[str, str]] = {
    "ledger": {
        "folder": N_("{path}: is a folder, not a ledger file"),
        "no_folder": N_("{path}: cannot create the ledger (no folder {parent})"),
        "cannot_open": N_("{path}: cannot open the ledger ({exc})"),
        "busy": N_("{path}: ledger is busy (another tmall run holds it)"),
        "not_sqlite": N_("{path}: not a tmall ledger (not an SQLite database)"),
        "read_only": N_("{path}: the ledger is read-only ({text})"),
        "error": N_("{path}: ledger error ({text})"),
        "newer": N_(
            "{path}: ledger schema version {version} is newer than this tmall supports ({supported})"
        ),
        "upgrade": N_("upgrade tmall to use this ledger"),
        "other_tables": N_(
            "{path}: not a tmall ledger (an SQLite database with other tables: {tables})"
        ),
        "missing_tables": N_("{path}: not a tmall ledger (tables {tables} missing)"),
        "missing": N_("{path}: no such ledger file"),
    },
    "history": {
        "folder": N_("{path}: is a folder, not a history file"),
        "no_folder": N_("{path}: cannot create the history (no folder {parent})"),
        "cannot_open": N_("{path}: cannot open the history ({exc})"),
        "busy": N_("{path}: history is busy (another tmall run holds it)"),
        "not_sqlite": N_("{path}: not a tmall history (not an SQLite database)"),
        "read_only": N_("{path}: the history is read-only ({text})"),
        "error": N_("{path}: history error ({text})"),
        "newer": N_(
            "{path}: history schema version {version} is newer than this tmall supports ({supported})"
        ),
        "upgrade": N_("upgrade tmall to use this history"),
        "other_tables": N_(
            "{path}: not a tmall history (an SQLite database with other tables: {tables})"
        ),
        "missing_tables": N_("{path}: not a tmall history (tables {tables} missing)"),
        "missing": N_("{path}: no such history file"),
    },
}


def is_busy(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc)


class SqliteFile:
    """An open tmall SQLite file. Use :meth:`open` and the :meth:`transaction` context manager."""

    NOUN: ClassVar[str]  # "ledger", "history": its messages in MESSAGES (whole sentences)
    ERROR: ClassVar[type[TmallError]]
    TABLES: ClassVar[set[str]]
    # MIGRATIONS[n] upgrades a file at schema version n to n + 1 (0: a new, empty file).
    MIGRATIONS: ClassVar[dict[int, Callable[[sqlite3.Connection], None]]]

    def _say(self, key: str, **params: object) -> str:
        return tr(MESSAGES[self.NOUN][key], **params)

    def schema_version(self) -> int:
        """The version this tmall writes (the subclass's module's ``SCHEMA_VERSION``)."""
        raise NotImplementedError

    def __init__(self, conn: sqlite3.Connection | None, path: Path) -> None:
        self.conn = conn  # None: a file that does not exist yet, opened only to read
        self.path = path
        self.version = 0

    @classmethod
    def open(
        cls, path: Path, *, create: bool = True, timeout: float = BUSY_TIMEOUT_SECONDS
    ) -> Self:
        path = Path(path)
        said = MESSAGES[cls.NOUN]
        if path.is_dir():
            raise cls.ERROR(tr(said["folder"], path=path))
        if not path.exists():
            if not create:
                return cls(None, path)
            if not path.parent.exists():
                raise cls.ERROR(tr(said["no_folder"], path=path, parent=path.parent))
        try:
            conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise cls.ERROR(tr(said["cannot_open"], path=path, exc=exc)) from None
        return cls(conn, path)

    @classmethod
    def open_existing(cls, path: Path, *, timeout: float = BUSY_TIMEOUT_SECONDS) -> Self:
        """An existing file, opened without creating it (listing, marking, reading)."""
        path = Path(path)
        if not path.exists():
            raise cls.ERROR(tr(MESSAGES[cls.NOUN]["missing"], path=path))
        return cls.open(path, create=False, timeout=timeout)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Self]:
        """``BEGIN IMMEDIATE`` … ``COMMIT`` to write; ``BEGIN`` … ``ROLLBACK`` to only read.

        Any exception inside rolls back, so a failed run leaves the file as it was.
        """
        conn = self.conn
        if conn is None:
            yield self
            return
        with self._rolled_back_on_error():
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            self._prepare(write=write)
        with self._rolled_back_on_error():
            yield self
            if write:
                conn.execute("COMMIT")
        self._rollback()

    @contextmanager
    def _rolled_back_on_error(self) -> Iterator[None]:
        """Any exception rolls back; an SQLite error becomes one line naming the file."""
        try:
            yield
        except sqlite3.Error as exc:
            self._rollback()
            raise self._error(exc) from None
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        conn = self.conn
        if conn is not None and conn.in_transaction:
            # A broken file may refuse even this; the error that brought us here is raised.
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")

    def _error(self, exc: sqlite3.Error) -> TmallError:
        if is_busy(exc):
            return self.ERROR(
                self._say("busy", path=self.path),
                hint=tr("try again when the other run has finished"),
            )
        text = str(exc)
        if "not a database" in text or "malformed" in text:
            return self.ERROR(self._say("not_sqlite", path=self.path))
        if "readonly" in text or "read-only" in text:
            return self.ERROR(self._say("read_only", path=self.path, text=text))
        return self.ERROR(self._say("error", path=self.path, text=text))

    def _prepare(self, *, write: bool) -> None:
        """Check the schema version; upgrade an older file (writing runs only)."""
        assert self.conn is not None
        version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {
            row[0]
            for row in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        newest = self.schema_version()
        if version > newest:
            raise self.ERROR(
                self._say("newer", path=self.path, version=version, supported=newest),
                hint=self._say("upgrade"),
            )
        if version == 0 and tables:
            raise self.ERROR(
                self._say("other_tables", path=self.path, tables=", ".join(sorted(tables)))
            )
        if version > 0 and not tables >= self.TABLES:
            missing = ", ".join(sorted(self.TABLES - tables))
            raise self.ERROR(self._say("missing_tables", path=self.path, tables=missing))
        if write:
            while version < newest:
                self.MIGRATIONS[version](self.conn)
                version += 1
                self.conn.execute(f"PRAGMA user_version = {version}")
        self.version = version

    @property
    def empty(self) -> bool:
        """No schema yet: a new file, or a read before the first writing run."""
        return self.conn is None or self.version == 0
