"""The local executor: a pool of worker processes on this machine that heals.

Each worker runs TensorFlow on one thread (one training leaves most of a second
core idle, so two workers of one thread beat one of two), loads a Dataset once
(from a file the pool writes once per fingerprint, not once per run) and keeps its
compiled networks warm. Workers are forked from a fork server that loaded
TensorFlow once (:mod:`imbal_core._preload`); the parent never loads it.

One dispatcher thread owns the workers, each behind its own pipe (see
:mod:`imbal_core._worker`), and hands queued runs to idle workers in
the order they were asked for, whichever stream (session) asked. It watches every
worker's process: a worker that dies — killed, out of memory, idle or busy — is
replaced at once; the run it held is retried once on a fresh worker and only then
fails, alone, with its reason. No other run, queued or running, notices. Workers
are also retired after ``tasks_per_child`` runs, so a server that trains all day
keeps its memory bounded.
"""

from __future__ import annotations

import atexit
import itertools
import os
import pickle
import queue
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from imbal_core._worker import main as worker_main
from imbal_core.atomic import write_atomic
from imbal_core.errors import first_line
from imbal_core.execution._executor import (
    OVERTIME,
    TICK_SECONDS,
    Event,
    Executor,
    outcome,
)
from imbal_core.execution._fork_server import fork_server_context
from imbal_core.execution._plan import RunSpec
from imbal_core.execution._task import failed

if TYPE_CHECKING:
    from imbal_core.data import Dataset

RETRIES = 1  # a run whose worker died runs once more on a fresh one
START_FAILURES = 3  # workers failing to start in a row before queued runs fail
DIED = (
    "the training process died twice (killed, or out of memory?); try fewer rows, "
    "a smaller batch or fewer workers."
)


@dataclass
class _Task:
    job: int
    index: int
    spec: RunSpec
    path: str
    fingerprint: str
    attempts: int = 0
    started: float = 0.0  # when a worker took it (time.monotonic)


@dataclass
class _Worker:
    process: Any
    conn: Any
    ready: bool = False
    task: _Task | None = None
    runs: int = 0
    cancelled: set[int] = field(default_factory=set)
    retired: float = 0.0
    overtime: bool = False  # killed for running past the time limit


class LocalExecutor(Executor):
    """``workers`` processes (default: one per core) that train runs concurrently;
    a run still going after ``time_limit`` seconds is stopped (its worker killed) and
    fails alone with that reason."""

    kind = "local"

    def __init__(
        self,
        workers: int | None = None,
        tasks_per_child: int = 200,
        time_limit: float | None = None,
    ):
        self.workers = max(1, int(workers or os.cpu_count() or 1))
        self.tasks_per_child = tasks_per_child
        self.time_limit = time_limit
        self._context = fork_server_context()  # workers fork from a warm server
        self._wanted = False  # workers start at the first warm_up or stream
        self._jobs = itertools.count(1)
        self._inboxes: dict[int, queue.Queue[Event]] = {}
        self._queued: deque[_Task] = deque()
        self._pool: list[_Worker] = []
        self._lock = threading.Lock()  # guards _queued, _inboxes and _pool's tasks
        self._files = tempfile.TemporaryDirectory(prefix="imbal-datasets-")
        self._start_failures, self._broken = 0, ""
        self._retiring: list[_Worker] = []  # told to stop; reaped by the dispatcher
        self._closed = threading.Event()
        self._ready = threading.Condition(self._lock)
        self._dispatcher = threading.Thread(
            target=self._dispatch, name="imbal-pool", daemon=True
        )
        self._dispatcher.start()
        # Runs before multiprocessing's own exit hook (registered earlier, so run later),
        # which kills the workers: without it the dispatcher would replace them while the
        # interpreter exits, and a half-started worker prints a traceback.
        atexit.register(self._stop_dispatching)

    # ----------------------------------------------------------- public side
    def warm_up(self, wait_for_it: bool = True) -> None:
        """Start every worker now (TensorFlow takes seconds to load), not at the first run."""
        with self._ready:
            self._wanted = True
            if wait_for_it:
                self._ready.wait_for(lambda: self._broken or self._up(), timeout=300)

    def _up(self) -> bool:
        """Every worker started and ready (called with the lock held)."""
        return len(self._pool) >= self.workers and all(w.ready for w in self._pool)

    def stream(
        self, datasets: Sequence[Dataset], specs: Sequence[RunSpec]
    ) -> Iterator[Event]:
        job = next(self._jobs)
        inbox: queue.Queue[Event] = queue.Queue()
        paths = [self._dataset_file(dataset) for dataset in datasets]
        with self._lock:
            self._inboxes[job] = inbox
            self._start_failures = 0  # a new request tries to start workers again
            self._queued.extend(
                _Task(job, i, spec, paths[spec.split], datasets[spec.split].fingerprint)
                for i, spec in enumerate(specs)
            )
            self._wanted = True
        finished: set[int] = set()
        try:
            while len(finished) < len(specs):
                try:
                    event = inbox.get(timeout=TICK_SECONDS)
                except queue.Empty:
                    yield Event(None)
                    continue
                if event.index in finished:
                    continue  # progress that raced its own result
                if event.run is not None:
                    finished.add(event.index)
                yield event
        finally:
            self._cancel(job)

    def worker_pids(self) -> list[int]:
        """The current workers' process ids."""
        with self._lock:
            return [w.process.pid for w in self._pool if w.process.pid]

    def close(self) -> None:
        atexit.unregister(self._stop_dispatching)
        self._stop_dispatching()
        with self._lock:
            for worker in self._pool:
                if not worker.ready:  # still loading TensorFlow: it holds nothing
                    worker.process.kill()
                self._retire(worker)
            self._pool.clear()
        while self._retiring:
            self._reap(patience=5.0)
        self._files.cleanup()

    # ----------------------------------------------------------- parent side
    def _stop_dispatching(self) -> None:
        self._closed.set()
        self._dispatcher.join(timeout=30)

    def _dataset_file(self, dataset: Dataset) -> str:
        path = Path(self._files.name) / f"{dataset.fingerprint}.pickle"
        with self._lock:
            if not path.exists():
                write_atomic(
                    path, pickle.dumps(dataset, protocol=pickle.HIGHEST_PROTOCOL)
                )
        return str(path)

    def _cancel(self, job: int) -> None:
        """Drop ``job``'s queued runs; its running ones stop at their next epoch."""
        with self._lock:
            self._inboxes.pop(job, None)
            self._queued = deque(t for t in self._queued if t.job != job)
            for worker in self._pool:
                if worker.task is not None and worker.task.job == job:
                    worker.cancelled.add(job)
                    _tell(worker, ("cancel", job))

    def _dispatch(self) -> None:
        """The dispatcher: start workers, hand out queued runs, relay messages,
        replace the dead."""
        while not self._closed.is_set():
            self._start_workers()
            with self._lock:
                self._hand_out()
                waitables = [w.conn for w in self._pool] + [
                    w.process.sentinel for w in self._pool
                ]
            for ready in wait(waitables, timeout=TICK_SECONDS / 2):
                with self._lock:
                    self._handle(ready)
            self._stop_overtime()
            self._reap()

    def _start_workers(self) -> None:
        """Start workers up to the pool's size once any are wanted, unless they keep
        failing to start (then queued runs have failed with the reason). Without the
        lock: the first start waits until the fork server has loaded TensorFlow
        (seconds), and only the runs should wait for that."""
        log = str(Path(self._files.name) / "workers.log")
        while True:
            with self._lock:
                failing = self._start_failures >= START_FAILURES
                if not self._wanted or len(self._pool) >= self.workers or failing:
                    return
            if self._closed.is_set():
                return
            parent, child = self._context.Pipe(duplex=True)
            process = self._context.Process(
                target=worker_main, args=(child, log), name="imbal-worker", daemon=True
            )
            try:
                process.start()
            except Exception as exc:  # e.g. the fork server died: never the dispatcher
                parent.close()
                with self._lock:
                    self._start_failed(f"{type(exc).__name__}: {first_line(exc)}")
                continue
            finally:
                child.close()
            with self._lock:
                self._pool.append(_Worker(process, parent))

    def _stop_overtime(self) -> None:
        """Kill the worker of a run past the time limit: a sampler in scikit-learn
        cannot be interrupted any other way. The dispatcher then sees it die."""
        if self.time_limit is None:
            return
        now = time.monotonic()
        with self._lock:
            for worker in self._pool:
                task = worker.task
                if task is not None and now - task.started > self.time_limit:
                    worker.overtime = True
                    worker.process.kill()

    def _hand_out(self) -> None:
        for worker in self._pool:
            if not self._queued:
                return
            if worker.ready and worker.task is None and worker.process.is_alive():
                task = self._queued.popleft()
                task.attempts += 1
                task.started = time.monotonic()
                worker.task = task
                _tell(
                    worker,
                    (
                        "run",
                        task.job,
                        task.index,
                        task.path,
                        task.fingerprint,
                        task.spec,
                    ),
                )
                self._deliver(task.job, Event(task.index, 0.0, "started"))

    def _handle(self, ready: Any) -> None:
        worker = next(
            (w for w in self._pool if ready in (w.conn, w.process.sentinel)), None
        )
        if worker is None:
            return  # already replaced
        if ready is worker.conn:
            try:
                message = worker.conn.recv()
            except (EOFError, OSError):
                message = None
            if message is not None:
                self._on_message(worker, message)
                return
        self._on_death(worker)

    def _on_message(self, worker: _Worker, message: tuple) -> None:
        kind = message[0]
        if kind == "ready":
            worker.ready, self._start_failures = True, 0
            self._ready.notify_all()
        elif kind == "broken":
            self._pool.remove(worker)
            self._retire(worker)
            self._start_failed(message[1])
        elif kind == "progress":
            _, job, index, fraction, text = message
            if job not in worker.cancelled:
                self._deliver(job, Event(index, fraction, text))
        elif kind == "done":
            _, job, index, run = message
            worker.task, worker.runs = None, worker.runs + 1
            worker.cancelled.discard(job)
            self._deliver(job, Event(index, 1.0, outcome(run), run))
            if worker.runs >= self.tasks_per_child:  # a fresh process gives memory back
                self._pool.remove(worker)
                self._retire(worker)

    def _on_death(self, worker: _Worker) -> None:
        """A worker died: the dispatcher replaces it; what it held is retried, once,
        on a fresh worker."""
        self._pool.remove(worker)
        self._retire(worker)
        if not worker.ready:  # it never started: count it, or it respawns for ever
            self._start_failed(
                f"the training process exited while starting (exit code "
                f"{worker.process.exitcode}; out of memory?)"
            )
        task, worker.task = worker.task, None
        if task is not None and task.job in self._inboxes:
            if worker.overtime:
                run = failed(task.spec, OVERTIME.format(limit=self.time_limit))
                self._deliver(task.job, Event(task.index, 1.0, outcome(run), run))
            elif task.attempts <= RETRIES:
                self._queued.appendleft(task)
            else:
                run = failed(task.spec, DIED)
                self._deliver(task.job, Event(task.index, 1.0, outcome(run), run))

    def _start_failed(self, reason: str) -> None:
        """A worker could not start (called with the lock held): after
        ``START_FAILURES`` in a row, the queued runs fail with ``reason``."""
        self._start_failures += 1
        self._broken = reason
        if self._start_failures >= START_FAILURES:
            self._fail_queued(
                f"no training process could start ({reason}); free memory "
                "or use fewer workers."
            )
        self._ready.notify_all()

    def _fail_queued(self, reason: str) -> None:
        while self._queued:
            task = self._queued.popleft()
            run = failed(task.spec, reason)
            self._deliver(task.job, Event(task.index, 1.0, outcome(run), run))

    def _deliver(self, job: int, event: Event) -> None:
        inbox = self._inboxes.get(job)
        if inbox is not None:
            inbox.put(event)

    def _retire(self, worker: _Worker) -> None:
        """Tell a worker to stop (with the lock held); :meth:`_reap` collects it."""
        _tell(worker, ("stop",))
        worker.retired = time.monotonic()
        self._retiring.append(worker)

    def _reap(self, patience: float = 10.0) -> None:
        """Collect stopped workers; kill one that ignores ``stop`` for ``patience`` s."""
        with self._lock:
            retiring = list(self._retiring)
        for worker in retiring:
            worker.process.join(timeout=0.05)
            if (
                worker.process.is_alive()
                and time.monotonic() - worker.retired > patience
            ):
                worker.process.kill()
                worker.process.join(timeout=5)
            if not worker.process.is_alive():
                worker.conn.close()
                with self._lock:
                    self._retiring.remove(worker)


def _tell(worker: _Worker, message: tuple) -> None:
    try:
        worker.conn.send(message)
    except (BrokenPipeError, OSError):  # it died; the dispatcher will notice
        pass
