"""The local executor: a pool of worker processes on this machine.

Each worker runs TensorFlow on one thread (one training leaves most of a second
core idle, so two workers of one thread beat one of two), loads
a Dataset once (from a file the pool writes once per fingerprint, not once per
run) and keeps its compiled networks warm. Workers are recycled every
``tasks_per_child`` runs, so a server that trains all day keeps its memory bounded.
The parent never loads TensorFlow.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import pickle
import queue
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any

from imbal_core.errors import first_line
from imbal_core.execution._executor import TICK_SECONDS, Event, Executor, outcome
from imbal_core.execution._plan import RunSpec
from imbal_core.execution._task import configure_tensorflow, execute, failed
from imbal_core.results import Run

if TYPE_CHECKING:
    from imbal_core.data import Dataset

CANCEL_SLOTS = 4096  # job ids wrap around this many cancel flags
DIED = "the training process died (out of memory?); try fewer rows or a smaller batch."

# ----------------------------------------------------------------- worker side
_events: Any = None  # the shared progress queue
_cancel: Any = None  # one flag per job slot, set by the parent
_datasets: OrderedDict[str, Dataset] = OrderedDict()


def _start_worker(events: Any, cancel: Any) -> None:
    global _events, _cancel
    _events, _cancel = events, cancel
    configure_tensorflow()
    import imbal_core.training  # noqa: F401  (TensorFlow loads now, not in the first run)


def _load(path: str, fingerprint: str) -> Dataset:
    if fingerprint not in _datasets:
        with open(path, "rb") as file:
            _datasets[fingerprint] = pickle.load(
                file
            )  # our own file, written by the parent
        while len(_datasets) > 2:
            _datasets.popitem(last=False)
    return _datasets[fingerprint]


def _run(path: str, fingerprint: str, spec: RunSpec, job: int, index: int) -> Run:
    slot = job % CANCEL_SLOTS
    return execute(
        _load(path, fingerprint),
        spec,
        lambda f, m: _events.put((job, index, f, m)),
        lambda: bool(_cancel[slot]),
    )


# ----------------------------------------------------------------- parent side
class LocalExecutor(Executor):
    """``workers`` processes (default: one per core) that train runs concurrently."""

    kind = "local"

    def __init__(self, workers: int | None = None, tasks_per_child: int = 200):
        self.workers = max(1, int(workers or os.cpu_count() or 1))
        self.tasks_per_child = tasks_per_child
        # spawn, not fork: forking a process that already runs TensorFlow threads is unsafe.
        self._context = multiprocessing.get_context("spawn")
        self._events = self._context.Queue()
        self._cancel = self._context.Array("b", CANCEL_SLOTS, lock=False)
        self._jobs = itertools.count(1)
        self._inboxes: dict[int, queue.Queue] = {}
        self._files = tempfile.TemporaryDirectory(prefix="imbal-datasets-")
        self._lock = threading.Lock()
        self._pool = self._new_pool()
        threading.Thread(target=self._route, name="imbal-events", daemon=True).start()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self._context,
            max_tasks_per_child=self.tasks_per_child,
            initializer=_start_worker,
            initargs=(self._events, self._cancel),
        )

    def _route(self) -> None:
        """Hand each progress message from the shared queue to its job's stream."""
        while True:
            try:
                job, index, fraction, message = self._events.get()
            except (EOFError, OSError, ValueError):  # queue closed at shutdown
                return
            inbox = self._inboxes.get(job)
            if inbox is not None:
                inbox.put(Event(index, fraction, message))

    def _dataset_file(self, dataset: Dataset) -> str:
        path = Path(self._files.name) / f"{dataset.fingerprint}.pickle"
        with self._lock:
            if not path.exists():
                partial = path.with_suffix(".partial")
                with open(partial, "wb") as file:
                    pickle.dump(dataset, file, protocol=pickle.HIGHEST_PROTOCOL)
                partial.replace(path)
        return str(path)

    def warm_up(self, wait_for_it: bool = True) -> None:
        """Start every worker now (TensorFlow takes seconds to load), not at the first run."""
        with self._lock:
            futures = [self._pool.submit(int) for _ in range(self.workers)]
        if wait_for_it:
            wait(futures)

    def stream(self, dataset: Dataset, specs: Sequence[RunSpec]) -> Iterator[Event]:
        job = next(self._jobs)
        slot = job % CANCEL_SLOTS
        self._cancel[slot] = 0
        inbox: queue.Queue[Event] = queue.Queue()
        self._inboxes[job] = inbox
        path = self._dataset_file(dataset)
        with self._lock:
            pool = self._pool
            futures: dict[Future, int] = {
                pool.submit(_run, path, dataset.fingerprint, spec, job, index): index
                for index, spec in enumerate(specs)
            }
        pending = set(futures)
        finished: set[int] = set()
        try:
            while pending:
                done, pending = wait(
                    pending, timeout=TICK_SECONDS, return_when=FIRST_COMPLETED
                )
                ticked = False
                while not inbox.empty():
                    event = inbox.get_nowait()
                    if event.index not in finished:
                        ticked = True
                        yield event
                for future in done:
                    index = futures[future]
                    finished.add(index)
                    run = self._result(future, specs[index], pool)
                    ticked = True
                    yield Event(index, 1.0, outcome(run), run)
                if not ticked:
                    yield Event(None)
        finally:
            self._cancel[slot] = 1  # running runs stop at their next epoch
            for future in futures:
                future.cancel()  # queued runs never start
            self._inboxes.pop(job, None)

    def _result(self, future: Future, spec: RunSpec, pool: ProcessPoolExecutor) -> Run:
        try:
            return future.result()
        except BrokenProcessPool:
            # A worker died (killed, out of memory): its runs fail alone; a new pool
            # takes the next job.
            with self._lock:
                if self._pool is pool:
                    self._pool = self._new_pool()
            return failed(spec, DIED)
        except Exception as exc:  # e.g. a result that cannot travel back: fail alone
            return failed(spec, f"{type(exc).__name__}: {first_line(exc)}")

    def worker_pids(self) -> list[int]:
        """The current workers' process ids (empty before the first run)."""
        return list(getattr(self._pool, "_processes", None) or {})

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._events.close()
        self._files.cleanup()
