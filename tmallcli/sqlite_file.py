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

BUSY_TIMEOUT_SECONDS = 30.0


def is_busy(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc)


class SqliteFile:
    """An open tmall SQLite file. Use :meth:`open` and the :meth:`transaction` context manager."""

    NOUN: ClassVar[str]  # "ledger", "history": how the messages name the file
    ERROR: ClassVar[type[TmallError]]
    TABLES: ClassVar[set[str]]
    # MIGRATIONS[n] upgrades a file at schema version n to n + 1 (0: a new, empty file).
    MIGRATIONS: ClassVar[dict[int, Callable[[sqlite3.Connection], None]]]

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
        noun = cls.NOUN
        if path.is_dir():
            raise cls.ERROR(f"{path}: is a folder, not a {noun} file")
        if not path.exists():
            if not create:
                return cls(None, path)
            if not path.parent.exists():
                raise cls.ERROR(f"{path}: cannot create the {noun} (no folder {path.parent})")
        try:
            conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise cls.ERROR(f"{path}: cannot open the {noun} ({exc})") from None
        return cls(conn, path)

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
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            self._prepare(write=write)
        except sqlite3.Error as exc:
            self._rollback()
            raise self._error(exc) from None
        except BaseException:
            self._rollback()
            raise
        try:
            yield self
            if write:
                conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise self._error(exc) from None
        except BaseException:
            self._rollback()
            raise
        else:
            self._rollback()

    def _rollback(self) -> None:
        conn = self.conn
        if conn is not None and conn.in_transaction:
            # A broken file may refuse even this; the error that brought us here is raised.
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")

    def _error(self, exc: sqlite3.Error) -> TmallError:
        noun = self.NOUN
        if is_busy(exc):
            return self.ERROR(
                f"{self.path}: {noun} is busy (another tmall run holds it)",
                hint="try again when the other run has finished",
            )
        text = str(exc)
        if "not a database" in text or "malformed" in text:
            return self.ERROR(f"{self.path}: not a tmall {noun} (not an SQLite database)")
        if "readonly" in text or "read-only" in text:
            return self.ERROR(f"{self.path}: the {noun} is read-only ({text})")
        return self.ERROR(f"{self.path}: {noun} error ({text})")

    def _prepare(self, *, write: bool) -> None:
        """Check the schema version; upgrade an older file (writing runs only)."""
        assert self.conn is not None
        noun = self.NOUN
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
                f"{self.path}: {noun} schema version {version} is newer than this tmall "
                f"supports ({newest})",
                hint=f"upgrade tmall to use this {noun}",
            )
        if version == 0 and tables:
            raise self.ERROR(
                f"{self.path}: not a tmall {noun} (an SQLite database with other tables: "
                f"{', '.join(sorted(tables))})"
            )
        if version > 0 and not tables >= self.TABLES:
            missing = ", ".join(sorted(self.TABLES - tables))
            raise self.ERROR(f"{self.path}: not a tmall {noun} (tables {missing} missing)")
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
