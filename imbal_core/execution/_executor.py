"""The executor interface and the in-process executor.

An executor takes prepared Datasets (one per data split: the holdout split, or a
cross-validation fold each) and independent :class:`RunSpec` s and streams
:class:`Event` s: progress while runs train, and each run as soon as it finishes,
in whatever order they finish. Closing the stream (the consumer stops iterating,
e.g. the user pressed Cancel) cancels what is queued and stops what is running at
its next epoch; the runs already streamed are the caller's to keep.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from imbal_core.execution._plan import RunSpec
from imbal_core.execution._task import execute
from imbal_core.results import Run

if TYPE_CHECKING:
    from imbal_core.data import Dataset

TICK_SECONDS = 0.1  # how often a stream yields while nothing happens
OVERTIME = (
    "stopped after the per-run time limit of {limit:,.0f} s; choose a cheaper "
    "technique, use fewer rows, or raise the time limit."
)


@dataclass
class Event:
    """Progress of run ``index`` (into the specs), or its result when ``run`` is set.

    ``index`` is None for a tick: nothing new, but the consumer may redraw or stop.
    """

    index: int | None
    fraction: float = 0.0
    message: str = ""
    run: Run | None = None


def outcome(run: Run) -> str:
    """A finished run in a few words, for progress lines."""
    return f"done in {run.fit_seconds:.1f} s" if run.ok else f"failed: {run.error}"


class Executor:
    """Runs independent trainings and streams their progress and results."""

    kind = "abstract"
    workers = 1

    def stream(
        self, datasets: Sequence[Dataset], specs: Sequence[RunSpec]
    ) -> Iterator[Event]:
        """Train ``specs``, each on ``datasets[spec.split]``."""
        raise NotImplementedError

    def describe(self) -> str:
        return f"{self.kind}, {self.workers} worker(s)"

    def warm_up(self, wait_for_it: bool = True) -> None:
        """Get workers ready before the first run (a no-op where there is nothing to start)."""

    def close(self) -> None:
        """Release workers; the executor cannot be used afterwards."""


class InlineExecutor(Executor):
    """Every run in this process, one after another (tests, notebooks, debugging).

    Training happens in a helper thread so progress still streams and a closed
    stream stops the run at its next epoch.
    """

    kind = "inline"

    def stream(
        self, datasets: Sequence[Dataset], specs: Sequence[RunSpec]
    ) -> Iterator[Event]:
        events: queue.Queue[Event] = queue.Queue()
        stop = threading.Event()

        def work() -> None:
            for index, spec in enumerate(specs):
                run = execute(
                    datasets[spec.split],
                    spec,
                    lambda f, m, i=index: events.put(Event(i, f, m)),
                    stop.is_set,
                )
                events.put(Event(index, 1.0, outcome(run), run))

        worker = threading.Thread(target=work, name="imbal-inline", daemon=True)
        worker.start()
        finished = 0
        try:
            while finished < len(specs):
                try:
                    event = events.get(timeout=TICK_SECONDS)
                except queue.Empty:
                    event = Event(None)
                finished += event.run is not None
                yield event
        finally:
            stop.set()
            worker.join()  # at most one epoch: the next run must not share its network
