"""Train in a child process, so a long-lived server's memory stays bounded.

TensorFlow keeps the traced train/predict graphs of every model a process has built,
even after ``keras.backend.clear_session()`` (about 7.5 MB per training measured here;
tensorflow/tensorflow#61791). A one-shot CLI run does not care; a Streamlit server
that trains all day does. :class:`TrainingWorker` runs :func:`training.train_one`
in one child process and replaces that child every ``tasks_per_child`` trainings,
which hands all of that memory back to the operating system.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from imbal_core.data import Dataset
from imbal_core.results import Run

if TYPE_CHECKING:  # the parent (e.g. the Streamlit server) never loads TensorFlow:
    from imbal_core.model import Progress  # only the child imports training code

_events: Any = None  # the child's end of the progress queue


def _start_child(events: Any) -> None:
    global _events
    _events = events


def _train_in_child(
    dataset: Dataset, technique: str, params: dict[str, Any], seed: int
) -> Run:
    from imbal_core.training import train_one

    run = train_one(dataset, technique, params, seed, lambda f, m: _events.put((f, m)))
    run.y_val = run.y_test = None  # the parent has them; don't send them back
    return run


class TrainingWorker:
    """One training at a time, in a child process that is recycled to free memory."""

    def __init__(self, tasks_per_child: int = 20):
        # spawn, not fork: forking a process that already runs TensorFlow threads is unsafe.
        self._context = multiprocessing.get_context("spawn")
        self._tasks_per_child = tasks_per_child
        self._lock = threading.Lock()
        self._events = self._context.Queue()
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=1,
            mp_context=self._context,
            max_tasks_per_child=self._tasks_per_child,
            initializer=_start_child,
            initargs=(self._events,),
        )

    def train(
        self,
        dataset: Dataset,
        technique: str,
        params: dict[str, Any],
        seed: int = 42,
        progress: Progress | None = None,
    ) -> Run:
        """Like :func:`training.train_one` (never raises for a failing technique)."""
        with self._lock:  # progress events on the queue belong to the one running task
            future = self._pool.submit(
                _train_in_child, dataset, technique, dict(params), seed
            )
            while True:
                try:
                    fraction, message = self._events.get(timeout=0.2)
                except queue.Empty:
                    if future.done():
                        break
                    continue
                if progress is not None:
                    progress(fraction, message)
            try:
                run = future.result()
            except BrokenProcessPool:
                # The child died (killed, out of memory): this run fails alone.
                self._pool = self._new_pool()
                run = Run(technique, seed, dict(params), dataset.y_val, dataset.y_test)
                run.error = "the training process died (out of memory?); try fewer rows or a smaller batch."
        run.y_val, run.y_test = dataset.y_val, dataset.y_test
        return run

    def child_pid(self) -> int | None:
        """The current child's process id (None before the first training)."""
        processes = getattr(self._pool, "_processes", None) or {}
        return next(iter(processes), None)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
