"""A pool worker's life: load TensorFlow once, then train the runs the parent sends
(see :mod:`imbal_core.execution._local`).

Spoken over one duplex pipe per worker (no shared queue, no shared memory, so a
worker that dies takes nothing of anyone else's with it):

- parent -> worker: ``("run", job, index, path, fingerprint, spec)``, ``("cancel",
  job)`` while a run of ``job`` trains, ``("stop",)`` when the worker is retired;
- worker -> parent: ``("ready", pid)`` once TensorFlow is loaded, ``("progress",
  job, index, fraction, message)``, ``("done", job, index, run)``, or
  ``("broken", reason)`` when it cannot start (then it exits).
"""

from __future__ import annotations

import os
import pickle
import sys
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from imbal_core.errors import first_line

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from imbal_core.data import Dataset

DATASETS_KEPT = 2  # prepared datasets a worker keeps loaded (by fingerprint)


def main(conn: Connection, log: str) -> None:
    """The worker process's entry point (spawned by the local executor).

    Its module imports nothing heavy, so starting the process costs little; its
    stderr goes to ``log`` (a file of the pool's) before anything else loads, so a
    worker that cannot even start (no memory left) never floods its caller's
    terminal, and TensorFlow's C++ notices stay out of it too.
    """
    import os

    _quiet(log)
    try:
        from imbal_core.execution._task import configure_tensorflow, execute

        configure_tensorflow()
        import imbal_core.training  # noqa: F401  (TensorFlow loads now, not in the first run)
    except BaseException as exc:  # e.g. MemoryError under a tight memory limit
        detail = first_line(exc)
        _send(conn, ("broken", type(exc).__name__ + (f": {detail}" if detail else "")))
        return
    _send(conn, ("ready", os.getpid()))
    datasets: OrderedDict[str, Dataset] = OrderedDict()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            _exit()
        if message[0] == "stop":
            _exit()
        if message[0] != "run":
            continue  # a cancel for a run that already ended
        _, job, index, path, fingerprint, spec = message
        dataset = _load(datasets, path, fingerprint)
        cancelled = False

        def stopped(job: int = job) -> bool:
            nonlocal cancelled
            while not cancelled and conn.poll():
                order = conn.recv()
                cancelled = order[0] == "cancel" and order[1] == job
                if order[0] == "stop":
                    cancelled = True
            return cancelled

        run = execute(
            dataset,
            spec,
            lambda f, m, job=job, index=index: _send(
                conn, ("progress", job, index, f, m)
            ),
            stopped,
        )
        _send(conn, ("done", job, index, run))


def _exit() -> None:
    """End the process now: it holds nothing to save, and letting the interpreter tear
    TensorFlow down takes ~2 s, which every comparison on fresh workers waited for."""
    sys.stderr.flush()
    os._exit(0)


def _quiet(log: str) -> None:
    try:
        descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    except OSError:
        return
    os.dup2(descriptor, 2)
    os.close(descriptor)


def _load(datasets: OrderedDict[str, Dataset], path: str, fingerprint: str) -> Dataset:
    if fingerprint not in datasets:
        with open(path, "rb") as file:
            datasets[fingerprint] = pickle.load(
                file
            )  # our own file, written by the parent
        while len(datasets) > DATASETS_KEPT:
            datasets.popitem(last=False)
    datasets.move_to_end(fingerprint)
    return datasets[fingerprint]


def _send(conn: Connection, message: Any) -> None:
    try:
        conn.send(message)
    except (BrokenPipeError, OSError):  # the parent is gone; nothing to tell
        pass
