"""The run cache interface, and the in-memory cache with an LRU bound and a lifetime."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable

from imbal_core.results import Run

# A run keeps its validation and test probabilities: ~0.8 MB at full creditcard size,
# so 140 runs (20 configurations of all seven techniques) stay near 120 MB.
ENTRIES = 140
SECONDS = 24 * 3600  # a day of demoing without retraining


class RunCache:
    """Where finished runs are kept, by run key; the pipeline's only view of it."""

    def get(self, key: Hashable) -> Run | None:
        raise NotImplementedError

    def put(self, key: Hashable, run: Run) -> None:
        """Keep ``run`` (only if it succeeded: a failure may not happen again)."""
        raise NotImplementedError

    def notices(self) -> list[str]:
        """One-line notices of what went wrong keeping runs, since last asked."""
        return []


class MemoryCache(RunCache):
    """Runs in this process: least recently used dropped first, each for a day."""

    def __init__(self, entries: int = ENTRIES, seconds: float = SECONDS):
        self.entries, self.seconds = entries, seconds
        self._runs: OrderedDict[Hashable, tuple[float, Run]] = OrderedDict()
        self._lock = threading.Lock()  # sessions of one server share it
        self.trained = 0  # runs offered to the cache, i.e. actually trained

    def get(self, key: Hashable) -> Run | None:
        with self._lock:
            stored = self._runs.get(key)
            if stored is None or time.time() - stored[0] > self.seconds:
                self._runs.pop(key, None)
                return None
            self._runs.move_to_end(key)
            return stored[1]

    def put(self, key: Hashable, run: Run) -> None:
        with self._lock:
            self.trained += 1
        self.keep(key, run)

    def keep(self, key: Hashable, run: Run) -> None:
        """Keep ``run`` without counting it as trained (read from somewhere else)."""
        with self._lock:
            if run.ok:
                self._runs[key] = (time.time(), run)
                while len(self._runs) > self.entries:
                    self._runs.popitem(last=False)
