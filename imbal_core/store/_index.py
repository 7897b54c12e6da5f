"""The store's folder and its SQLite index: where it is, how it is opened, its tables.

SQLite (the standard library's, in WAL mode) rather than DuckDB: the index is a
few small rows read and written one at a time by several processes at once (two
servers, a server and the CLI). SQLite's file locking and write-ahead log are
made for that: readers never block the writer, and a writer waits its turn
(``timeout``). DuckDB is an analytical engine that lets one process write a file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
VARIABLE = "IMBAL_STORE"  # the folder; "off" trains without a store
LIMIT_VARIABLE = "IMBAL_STORE_MB"  # the size cap in MB
LIMIT_MB = 2048.0  # ~4,000 full-size creditcard runs
WAIT = 30.0  # seconds a writer waits for another process's transaction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    key TEXT PRIMARY KEY,     -- digest of the run's full spec (see RunStore.digest)
    spec TEXT NOT NULL,       -- that spec as JSON, for people reading the index
    record TEXT NOT NULL,     -- the run's fields, files, lengths and checksums (JSON)
    bytes INTEGER NOT NULL,
    used REAL NOT NULL        -- last read or write (least recently used goes first)
);
CREATE TABLE IF NOT EXISTS comparisons (
    id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    entry TEXT NOT NULL,      -- what History lists (JSON)
    bytes INTEGER NOT NULL,
    used REAL NOT NULL
);
"""


def default_root() -> Path:
    """``$IMBAL_STORE``, else the per-user data folder (XDG's, else ~/.local/share)."""
    chosen = os.environ.get(VARIABLE, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "imbalance-compare"


def default_limit() -> int:
    """The size cap in bytes: ``$IMBAL_STORE_MB`` when it is a positive number."""
    try:
        megabytes = float(os.environ.get(LIMIT_VARIABLE, LIMIT_MB))
    except ValueError:
        megabytes = LIMIT_MB
    return int((megabytes if megabytes > 0 else LIMIT_MB) * 2**20)


def disabled() -> bool:
    return os.environ.get(VARIABLE, "").strip().lower() == "off"


def busy(exc: BaseException) -> bool:
    """SQLite refused a lock it would not wait for (another process is creating the
    index, switching it to WAL or recovering it): worth trying again shortly."""
    text = str(exc)
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in text or "busy" in text
    )


def patiently(step: Callable[[], T]) -> T:
    """``step``, tried again for up to ``WAIT`` seconds while SQLite is :func:`busy`."""
    deadline = time.monotonic() + WAIT
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if not busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Index:
    """The index of one store folder: one connection per thread, so any thread or
    process can use it at any time."""

    def __init__(self, root: Path):
        self.root = root
        self.path = root / "index.sqlite"
        self._local = threading.local()

    def create(self) -> None:
        """Make the folder and the tables; an index that is not a database (a
        damaged file) is moved aside and a new one started: the store is a cache."""
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            self._create_once()
        except sqlite3.DatabaseError as exc:
            if "not a database" not in str(exc) and "malformed" not in str(exc):
                raise
            aside = self.path.with_name(f"index.damaged-{time.time():.0f}.sqlite")
            os.replace(self.path, aside)
            self._create_once()

    def _create_once(self) -> None:
        with self.connect() as db:
            # WAL is a property of the file: set once, here, not on every connection
            # (switching takes a lock that busy waiting does not cover).
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    @contextlib.contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection (kept open: a connection that closes last
        checkpoints and removes the WAL, and one opening meanwhile is told "locked"
        without waiting)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(
                self.path, timeout=WAIT, isolation_level=None, check_same_thread=False
            )
            db.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints
            self._local.db = db
        try:
            yield db
        except sqlite3.DatabaseError:
            self._local.db = None  # a broken connection is not reused
            db.close()
            raise

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction that takes the write lock at once (so two writers queue
        instead of both reading and then one failing to upgrade)."""
        with self.connect() as db:
            patiently(lambda: db.execute("BEGIN IMMEDIATE"))
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
