"""Opening the SQLite database, queueing its writers, and the store's errors and time format.

SQLite lets one writer in at a time and makes the others wait in a busy handler that sleeps and
retries; under load that gives long tails (measured with two server processes of eight threads:
p99 about 550 ms). Writers here queue instead: a thread lock within the process plus an OS file
lock (``flock`` on ``<database>.lock``) across processes, held around ``BEGIN IMMEDIATE`` ...
``COMMIT`` (p99 about 60 ms in the same test). The file lock is released by the kernel if its
process dies, so a crashed writer never blocks the others. Readers take no lock: WAL lets them
read while a write goes on.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .scheduler import StudyScheduler

SYNCHRONOUS = ("OFF", "NORMAL", "FULL", "EXTRA")
# A card can be shown when it is live: not retired itself, its question neither retired nor draft.
# Queries using it name cards ``c`` and questions ``q``.
VISIBLE = "c.retired = 0 AND q.retired = 0 AND q.draft = 0"


class StoreError(Exception):
    """Base of the errors the store raises on purpose."""


class NotFound(StoreError, LookupError):
    """Something named by the caller does not exist (or is not the caller's): a 404."""


class Conflict(StoreError):
    """The request cannot be carried out in the current state: a 409."""


class UserExists(Conflict):
    def __init__(self, name: str) -> None:
        super().__init__(f"a user named {name!r} already exists (names ignore case)")
        self.name = name


class UnknownCard(NotFound):
    pass


class CardRetired(Conflict):
    """The card's question was removed, lost that cloze number, or is a draft now."""


class CardChanged(Conflict):
    """The card was answered since the page that answers it was shown (another tab, another
    device): this answer would be a second review of one showing."""


class CardNotDue(Conflict):
    """The card is not due: a review now would move its schedule for nothing."""

    def __init__(self, message: str, due: datetime) -> None:
        super().__init__(message)
        self.due = due


class UnknownAttempt(NotFound):
    pass


class UnknownQuestion(NotFound):
    pass


class AttemptFinished(Conflict):
    pass


class StoreBusy(StoreError):
    """The write lock could not be had within the busy timeout: a 503, try again."""


def ts(moment: datetime) -> str:
    """A moment as stored: ISO 8601 in UTC with microseconds, so that text order is time order."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected an aware datetime, got naive {moment!r}")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def connect(path: str | Path, *, synchronous: str = "FULL", busy_timeout: float = 30.0) -> Database:
    """Open the database in autocommit mode (transactions are explicit) with WAL and foreign keys.

    ``synchronous=FULL`` syncs the WAL on every commit, so an acknowledged answer survives a power
    cut; ``NORMAL`` survives a crash of the process or the OS only.
    """
    level = synchronous.upper()
    if level not in SYNCHRONOUS:
        raise ValueError(
            f"synchronous must be one of {', '.join(SYNCHRONOUS)}, got {synchronous!r}"
        )
    conn = sqlite3.connect(str(path), timeout=busy_timeout, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA synchronous = {level}")  # checked against SYNCHRONOUS above
    conn.execute("PRAGMA foreign_keys = ON")
    return Database(conn, execute_plugins=False)


class _Process:
    """This process's id, kept current across ``fork``: ``os.getpid()`` is a system call, and
    the write lock asks twice per answer whether it runs in the process that opened its file."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        os.register_at_fork(after_in_child=self._forked)

    def _forked(self) -> None:
        self.pid = os.getpid()


_process = _Process()


class WriteLock:
    """The writers' queue for one database file: a thread lock plus ``flock`` on ``<db>.lock``.

    Keep one per process and database (the web keeps it with the app) and pass it to every
    ``Store``: the thread lock only queues threads that share it. The lock file is opened once per
    process id, because a descriptor inherited over ``fork`` would share its lock with the parent.
    """

    def __init__(self, database: str | Path, timeout: float = 30.0) -> None:
        self.path = Path(f"{database}.lock")
        self.timeout = timeout
        self._thread_lock = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

    def _file(self) -> int:
        if self._fd is None or self._pid != _process.pid:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = _process.pid
        return self._fd

    def acquire(self) -> None:
        if not self._thread_lock.acquire(timeout=self.timeout):
            raise StoreBusy(f"no write lock on {self.path} within {self.timeout} s")
        try:
            fcntl.flock(self._file(), fcntl.LOCK_EX)
        except BaseException:
            self._thread_lock.release()
            raise

    def release(self) -> None:
        try:
            fcntl.flock(self._file(), fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()

    def __enter__(self) -> WriteLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def close(self) -> None:
        if self._fd is not None and self._pid == _process.pid:
            os.close(self._fd)
        self._fd = None


class StoreBase:
    """The connection, the scheduler and the write transaction every part of the store uses."""

    def __init__(self, db: Database, lock: WriteLock, scheduler: StudyScheduler) -> None:
        self.db = db
        self.conn: sqlite3.Connection = db.conn
        self.lock = lock
        self.scheduler = scheduler
        self._depth = 0

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: queue on the write lock, ``BEGIN IMMEDIATE``, ``COMMIT``.

        Do the reading and computing before entering, so that the lock is held for as short a
        time as possible. A nested ``write()`` joins the outer transaction.
        """
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self.lock.acquire()
        try:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as e:
                # Only a writer that bypasses the lock (the sqlite3 shell, another tool) gets here.
                raise StoreBusy(f"database stayed locked: {e}") from e
            self._depth = 1
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        finally:
            self._depth = 0
            self.lock.release()

    def _one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()


def placeholders(values: Sequence[Any]) -> str:
    """``?, ?, ?`` for an ``IN (...)`` list of ``values`` (the values themselves are bound)."""
    return ", ".join("?" * len(values))


def bank_filter(bank_ids: Sequence[str] | None) -> tuple[str, list[str]]:
    """An ``AND c.bank_id IN (...)`` clause and its parameters; nothing for all banks."""
    if bank_ids is None:
        return "", []
    ids = list(bank_ids)
    return f" AND c.bank_id IN ({placeholders(ids)})", ids
