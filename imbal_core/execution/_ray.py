"""The Ray executor: each run a Ray task, so a comparison or a sweep spreads over a cluster.

The Dataset goes to the object store once (``ray.put``) and every task receives the
reference; each task asks for one CPU (TensorFlow runs one thread per run, see
:mod:`imbal_core.execution._task`); results stream back with ``ray.wait`` as they
finish, and each epoch's progress through one small actor the driver reads every
tick. Ray reuses its worker processes, so they keep their compiled networks warm
between runs. The package
itself ships with the job (``runtime_env`` ``py_modules``): a cluster's workers need
only the requirements installed.
"""

from __future__ import annotations

import itertools
import os
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from imbal_core.errors import InputError, first_line
from imbal_core.execution._executor import (
    OVERTIME,
    TICK_SECONDS,
    Event,
    Executor,
    outcome,
)
from imbal_core.execution._plan import RunSpec
from imbal_core.execution._task import configure_tensorflow, execute, failed
from imbal_core.results import Run

if TYPE_CHECKING:
    from imbal_core.data import Dataset

ADDRESS_VARIABLE = "IMBAL_RAY_ADDRESS"


def _run_on_ray(
    dataset: Dataset, spec: RunSpec, board: Any, job: int, index: int
) -> Run:
    import ray

    posted = [board.put.remote(job, index, 0.0, "started")]  # time limit starts here
    configure_tensorflow()

    def progress(fraction: float, message: str) -> None:
        posted[0] = board.put.remote(job, index, fraction, message)  # no wait

    run = execute(dataset, spec, progress)
    # The board runs one caller's posts in order: once the last is in, all are, so
    # the driver reads every epoch before it sees the run finished (a fast run's
    # result could otherwise overtake its own progress).
    ray.get(posted[0])
    return run


class _Board:
    """A Ray actor holding progress messages until the driver collects them.

    An actor rather than Ray's queue: tasks post without waiting for an answer,
    and the driver takes all of a job's messages in one call per tick.
    """

    def __init__(self) -> None:
        self.events: dict[int, list[tuple[int, float, str]]] = {}

    def put(self, job: int, index: int, fraction: float, message: str) -> None:
        self.events.setdefault(job, []).append((index, fraction, message))

    def take(self, job: int) -> list[tuple[int, float, str]]:
        return self.events.pop(job, [])


class RayExecutor(Executor):
    """Runs on the Ray cluster at ``address`` (or ``$IMBAL_RAY_ADDRESS``); without
    one, on a local Ray started for this process. A run still going ``time_limit``
    seconds after it started is cancelled (its worker killed) and fails alone."""

    kind = "ray"

    def __init__(self, address: str | None = None, time_limit: float | None = None):
        self.time_limit = time_limit
        try:
            import ray
        except ImportError:
            raise InputError(
                "the Ray executor needs ray: pip install -r requirements.txt."
            ) from None
        self._ray = ray
        self.address = address or os.environ.get(ADDRESS_VARIABLE) or None
        if not ray.is_initialized():
            package = str(Path(__file__).resolve().parents[1])
            try:
                ray.init(
                    address=self.address,
                    runtime_env={"py_modules": [package]},
                    include_dashboard=False,
                    log_to_driver=False,
                    logging_level="error",
                )
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise InputError(
                    f"cannot reach a Ray cluster at {self.address!r}: {first_line(exc)}; "
                    "check the address (ray start --head prints it) or leave it out "
                    "to start a local Ray."
                ) from None
        self.workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
        # A task whose worker died (killed, out of memory) runs once more; a run's own
        # error is already a failed Run, never an exception, so it is not retried.
        self._task = ray.remote(num_cpus=1, max_retries=1, retry_exceptions=False)(
            _run_on_ray
        )
        self._board = ray.remote(num_cpus=0)(_Board).remote()
        self._jobs = itertools.count(1)
        self._stored: OrderedDict[str, Any] = OrderedDict()  # fingerprint -> ObjectRef

    def describe(self) -> str:
        return f"ray at {self.address or 'a local Ray'}, {self.workers} CPU slot(s)"

    def _references(self, datasets: Sequence[Dataset]) -> list[Any]:
        """Each Dataset in the object store, put there once per fingerprint (the
        last comparison's, or two, are kept for the next)."""
        for dataset in datasets:
            if dataset.fingerprint not in self._stored:
                self._stored[dataset.fingerprint] = self._ray.put(dataset)
            self._stored.move_to_end(dataset.fingerprint)
        references = [self._stored[d.fingerprint] for d in datasets]
        while len(self._stored) > max(2, len(datasets)):
            self._stored.popitem(last=False)
        return references

    def stream(
        self, datasets: Sequence[Dataset], specs: Sequence[RunSpec]
    ) -> Iterator[Event]:
        ray = self._ray
        references = self._references(datasets)
        job = next(self._jobs)
        tasks = {
            self._task.remote(references[spec.split], spec, self._board, job, index): (
                index
            )
            for index, spec in enumerate(specs)
        }
        pending = list(tasks)
        finished: set[int] = set()
        started: dict[int, float] = {}
        overtime: set[int] = set()
        try:
            while pending:
                done, pending = ray.wait(pending, num_returns=1, timeout=TICK_SECONDS)
                news = ray.get(self._board.take.remote(job))
                for index, fraction, message in news:
                    started.setdefault(index, time.monotonic())
                    if index not in finished:
                        yield Event(index, fraction, message)
                overtime |= self._stop_overtime(pending, tasks, started, overtime)
                if not done and not news:
                    yield Event(None)
                for ref in done:
                    index = tasks[ref]
                    finished.add(index)
                    try:
                        run = ray.get(ref)
                    except Exception as exc:  # its worker died twice: fail alone
                        run = failed(specs[index], f"on Ray: {first_line(exc)}")
                    if index in overtime:
                        run = failed(
                            specs[index], OVERTIME.format(limit=self.time_limit)
                        )
                    yield Event(index, 1.0, outcome(run), run)
        finally:
            for ref in pending:
                ray.cancel(ref)  # queued tasks are dropped, running ones interrupted
            self._board.take.remote(job)  # drop what came after

    def _stop_overtime(
        self,
        pending: list[Any],
        tasks: dict[Any, int],
        started: dict[int, float],
        stopped: set[int],
    ) -> set[int]:
        """Cancel, killing its worker, each run past the time limit; their indices."""
        if self.time_limit is None:
            return set()
        now, late = time.monotonic(), set()
        for ref in pending:
            index = tasks[ref]
            if index not in stopped and now - started.get(index, now) > self.time_limit:
                self._ray.cancel(ref, force=True)
                late.add(index)
        return late

    def close(self) -> None:
        self._stored.clear()
