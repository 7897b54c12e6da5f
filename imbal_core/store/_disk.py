"""The run store: finished runs on disk, shared by every process that opens the folder.

The folder (``$IMBAL_STORE``, by default ``~/.local/share/imbalance-compare``)::

    index.sqlite            one row per run (its key, record, files, size, last use)
                            and per comparison in the History
    runs/<key>-<n>.val.npy  a run's validation probabilities (its own dtype, no pickle)
    runs/<key>-<n>.test.npy and its test probabilities
    comparisons/<id>.zip    a finished comparison, as a saved-comparison file

A process killed at any moment leaves nothing half-written that is read: arrays
are written whole under a new name (temporary file, then rename), and only then
is the row that names them committed; arrays nobody names are orphans, removed
later. A row's checksums catch a file damaged afterwards: that entry is dropped
with one notice and trained again. When the folder cannot be written (a full
disk, a read-only folder) training goes on, runs are kept in memory only, and one
notice says so.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import math
import secrets
import sqlite3
import threading
import time
import zlib
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import numpy as np

from imbal_core.atomic import atomic_file
from imbal_core.errors import InputError, first_line
from imbal_core.results import Run
from imbal_core.results._archive import entry_of, run_of
from imbal_core.store._history import History
from imbal_core.store._index import Index, default_limit, default_root, patiently
from imbal_core.store._memory import MemoryCache, RunCache

# What can change a run's probabilities besides its spec and this tool's version;
# part of every key, so an upgrade trains again instead of showing others' runs.
RESULT_PACKAGES = (
    "tensorflow",
    "keras",
    "scikit-learn",
    "imbalanced-learn",
    "lightgbm",
    "numpy",
)
ORPHAN_AGE = 600.0  # seconds: an unnamed array younger than this may be mid-write


@functools.cache
def _versions() -> dict[str, str | None]:
    """Installed versions cannot change under a running process: read them once."""
    from imbal_core import package_versions

    return package_versions(*RESULT_PACKAGES)


class RunStore(RunCache):
    """Runs by key in a folder on disk (with the runs read or written by this
    process also in memory); every method is safe from any thread or process."""

    def __init__(self, root: str | Path | None = None, limit: int | None = None):
        self.root = Path(root).expanduser() if root else default_root()
        self.limit = default_limit() if limit is None else int(limit)
        self.index = Index(self.root)
        self.trained = 0  # runs offered to the store, i.e. actually trained
        self._memory = MemoryCache()
        self._notices: list[str] = []
        self._faulty = False
        self._lock = threading.Lock()
        self.problem: str | None = None  # why the folder cannot be used, if it cannot
        self.writable = self._open()
        self.history = History(self)

    # ------------------------------------------------------------ the cache
    def get(self, key: Hashable) -> Run | None:
        kept = self._memory.get(key)
        if kept is not None or not self.writable:
            return kept
        digest = self.digest(key)
        try:
            row = self._row(digest)
            for _ in range(2):
                if row is None:
                    return None
                try:
                    run = self._read(json.loads(row))
                except (OSError, ValueError, InputError, KeyError, TypeError) as exc:
                    again = self._row(digest)
                    if again != row:  # replaced or evicted meanwhile: read that
                        row = again
                        continue
                    self._drop(digest, row)
                    self._tell(
                        f"a stored run was damaged ({first_line(exc, 80)}); it was "
                        "removed and is trained again."
                    )
                    return None
                self._touch(digest)
                self._memory.keep(key, run)
                return run
        except sqlite3.Error as exc:
            self.fault(exc)
        return None

    def put(self, key: Hashable, run: Run) -> None:
        with self._lock:
            self.trained += 1
        if not run.ok:
            return
        self._memory.keep(key, run)
        if not self.writable:
            return
        try:
            self._write(key, run)
            self.evict()
            self._faulty = False  # writable again: a new fault is told again
        except (OSError, sqlite3.Error) as exc:
            self.fault(exc)

    def fault(self, exc: BaseException) -> None:
        """The folder failed a read or a write: one notice until it works again."""
        with self._lock:
            told, self._faulty = self._faulty, True
        if not told:
            self._tell(self._unusable(exc))

    def notices(self) -> list[str]:
        """What went wrong with the store since last asked (each said once), and
        every time while the folder cannot be used at all."""
        with self._lock:
            taken, self._notices = self._notices, []
        return taken + ([self.problem] if self.problem else [])

    # ------------------------------------------------------------ the folder
    @staticmethod
    def digest(key: Hashable) -> str:
        """A key, with the versions of what computes results, as a file-safe name."""
        from imbal_core import __version__

        spec = json.dumps([list(key), __version__, _versions()], default=str)
        return hashlib.sha256(spec.encode()).hexdigest()[:32]

    def usage(self) -> dict[str, Any]:
        """Where the store is, what it holds and its cap (for the page and the CLI)."""
        found = {"root": str(self.root), "limit": self.limit, "writable": self.writable}
        found.update(runs=0, comparisons=0, bytes=0)
        if self.writable:
            with self.index.connect() as db:
                for table in ("runs", "comparisons"):
                    count, size = db.execute(
                        f"SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM {table}"
                    ).fetchone()
                    found[table], found["bytes"] = count, found["bytes"] + size
        return found

    def evict(self) -> None:
        """Least recently used runs and comparisons out until the store fits its cap."""
        doomed: list[tuple[str, str, str]] = []
        with self.index.write() as db:
            total = sum(
                db.execute(f"SELECT COALESCE(SUM(bytes), 0) FROM {t}").fetchone()[0]
                for t in ("runs", "comparisons")
            )
            if total <= self.limit:
                return
            rows = db.execute(
                "SELECT 'runs', key, record, bytes, used FROM runs UNION ALL "
                "SELECT 'comparisons', id, entry, bytes, used FROM comparisons "
                "ORDER BY 5"
            )
            for table, name, text, size, _ in rows.fetchall():
                if total <= self.limit:
                    break
                doomed.append((table, name, text))
                total -= size
            for table, name, _ in doomed:
                column = "key" if table == "runs" else "id"
                db.execute(f"DELETE FROM {table} WHERE {column}=?", (name,))
        for table, name, text in doomed:
            self._remove(self._files(table, name, text))

    def _open(self) -> bool:
        def open_folder() -> None:
            self.index.create()
            (self.root / "runs").mkdir(exist_ok=True)
            (self.root / "comparisons").mkdir(exist_ok=True)
            self._remove_orphans()

        try:
            patiently(open_folder)  # two processes opening a new store at once
            return True
        except (OSError, sqlite3.Error) as exc:
            self.problem = self._unusable(exc)
            return False

    def _unusable(self, exc: BaseException) -> str:
        return (
            f"runs are not kept: the run store at {self.root} cannot be written "
            f"({first_line(exc, 80)}); training goes on. Free some space, or set "
            "IMBAL_STORE (--store) to a writable folder."
        )

    def _row(self, digest: str) -> str | None:
        with self.index.connect() as db:
            found = db.execute(
                "SELECT record FROM runs WHERE key=?", (digest,)
            ).fetchone()
        return found[0] if found else None

    def _read(self, record: dict[str, Any]) -> Run:
        run = run_of(record["run"], "a stored run")
        arrays = []
        for name, length, checksum in zip(
            record["files"], record["lengths"], record["crc32"], strict=True
        ):
            data = (self.root / "runs" / name).read_bytes()
            if zlib.crc32(data) != checksum:
                raise ValueError(f"{name} does not match its checksum")
            array = np.load(io.BytesIO(data), allow_pickle=False)
            if array.shape != (length,) or array.dtype.kind != "f":
                raise ValueError(f"{name} is not {length} probabilities")
            arrays.append(array)
        run.proba_val, run.proba_test = arrays
        run.split = int(record.get("split", 0))
        return run

    def _write(self, key: Hashable, run: Run) -> None:
        digest, token = self.digest(key), secrets.token_hex(4)
        files, lengths, checksums = [], [], []
        for part, array in (("val", run.proba_val), ("test", run.proba_test)):
            buffer = io.BytesIO()
            np.save(buffer, np.asarray(array), allow_pickle=False)
            data = buffer.getvalue()
            name = f"{digest}-{token}.{part}.npy"
            with atomic_file(self.root / "runs" / name) as handle:
                handle.write(data)
            files.append(name)
            lengths.append(len(array))
            checksums.append(zlib.crc32(data))
        record = {
            "run": entry_of(run, run.technique),
            "split": run.split,
            "files": files,
            "lengths": lengths,
            "crc32": checksums,
        }
        size = sum((self.root / "runs" / name).stat().st_size for name in files)
        now = time.time()
        try:
            with self.index.write() as db:
                old = db.execute(
                    "SELECT record FROM runs WHERE key=?", (digest,)
                ).fetchone()
                db.execute(
                    "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?)",
                    (
                        digest,
                        json.dumps(list(key), default=str),
                        json.dumps(record),
                        size,
                        now,
                    ),
                )
        except BaseException:
            self._remove([self.root / "runs" / name for name in files])
            raise
        if old:  # the same run written again (another process trained it too)
            self._remove(self._files("runs", digest, old[0]))

    def _touch(self, digest: str) -> None:
        """Mark a run used now (least recently used goes first); a store that has
        become unwritable still serves what it read."""
        try:
            with self.index.write() as db:
                db.execute("UPDATE runs SET used=? WHERE key=?", (time.time(), digest))
        except sqlite3.Error as exc:
            self.fault(exc)

    def _drop(self, digest: str, row: str) -> None:
        with self.index.write() as db:
            db.execute("DELETE FROM runs WHERE key=? AND record=?", (digest, row))
        self._remove(self._files("runs", digest, row))

    def _files(self, table: str, name: str, text: str) -> list[Path]:
        """The files a row of ``table`` names."""
        if table == "comparisons":
            return [self.root / "comparisons" / f"{name}.zip"]
        try:
            return [self.root / "runs" / f for f in json.loads(text).get("files") or []]
        except (ValueError, AttributeError, TypeError):
            return []

    @staticmethod
    def _remove(paths: list[Path]) -> None:
        for path in paths:
            try:
                path.unlink()
            except OSError:
                pass  # gone already, or the folder is read-only now: an orphan

    def _remove_orphans(self) -> None:
        """Files no row names: a process was killed between writing them and the row
        (or mid-write: a temporary file). Young ones may be another's write."""
        with self.index.connect() as db:
            named = {
                path
                for table, name, text in db.execute(
                    "SELECT 'runs', key, record FROM runs UNION ALL "
                    "SELECT 'comparisons', id, entry FROM comparisons"
                )
                for path in self._files(table, name, text)
            }
        cutoff = time.time() - ORPHAN_AGE
        for folder in ("runs", "comparisons"):
            for path in (self.root / folder).iterdir():
                if path not in named and _modified(path) < cutoff:
                    self._remove([path])

    def _tell(self, notice: str) -> None:
        with self._lock:
            self._notices.append(notice)


def _modified(path: Path) -> float:
    """When ``path`` last changed; +inf when it is gone meanwhile (another process
    renamed its temporary file or replaced the run): nothing to remove."""
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return math.inf
