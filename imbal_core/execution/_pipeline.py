"""The one pipeline: a plan's runs -> (cache, then an executor) -> a Comparison.

The CLI, the dashboard, the benchmark and the tests all call
:func:`run_comparison`. What a caller shows while it runs (progress lines, a live
board) is a :class:`Listener`; what it keeps between comparisons is a run cache
(:mod:`imbal_core.store`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from imbal_core import techniques
from imbal_core.data import folds_summary
from imbal_core.errors import CANCELLED
from imbal_core.execution._executor import Executor, InlineExecutor
from imbal_core.execution._plan import Plan
from imbal_core.execution._task import failed
from imbal_core.results import Comparison, Run, Split

if TYPE_CHECKING:
    from imbal_core.data import Dataset
    from imbal_core.store import RunCache


class Listener:
    """What a caller watches of a running comparison; override what you show.

    ``index`` is a run's position in ``plan.specs``. Each method runs in the
    caller's thread, so raising in one (a stopped Streamlit script) stops the
    comparison: queued runs are cancelled, running ones stop at their next epoch.
    """

    def started(self, plan: Plan, cached: Sequence[int], notes: Sequence[str]) -> None:
        """Before training: which runs came from the cache, what to know of the options."""

    def progress(self, index: int, fraction: float, message: str) -> None:
        """A run's progress (fraction of its training, and e.g. "epoch 3/10")."""

    def finished(self, index: int, run: Run, so_far: Callable[[], Comparison]) -> None:
        """A run finished (or failed); ``so_far()`` is the comparison of the runs
        finished until now, the others counted as cancelled."""

    def tick(self) -> None:
        """Nothing new for a moment (about every 0.1 s while runs train)."""

    def notice(self, message: str) -> None:
        """The run cache could not keep or read a run (one line, said once):
        training goes on; the comparison's results are not affected."""


def run_comparison(
    data: Dataset | Sequence[Dataset],
    plan: Plan,
    executor: Executor | None = None,
    cache: RunCache | None = None,
    listener: Listener | None = None,
) -> Comparison:
    """Every run of ``plan`` on ``data`` (a Dataset, or one per split: the
    cross-validation folds): from ``cache`` when it has them, the rest trained by
    ``executor`` (this process when None). A run that fails, fails alone, with its
    reason; the others finish.
    """
    datasets = list(data) if isinstance(data, Sequence) else [data]
    if plan.splits != len(datasets):
        raise ValueError(
            f"the plan has {plan.splits} split(s), the data {len(datasets)}"
        )
    listener = listener or Listener()
    first = datasets[0]
    notes = plan.skipped + techniques.option_notes(
        plan.names,
        len(first.y_train),
        plan.options,
        categorical=len(first.categorical),
        features=first.source_features,
    )
    splits = [Split(d.y_val, d.y_test, d.amount_val, d.amount_test) for d in datasets]
    summary = folds_summary(datasets)
    keys = [spec.key(datasets[spec.split].fingerprint) for spec in plan.specs]
    finished: dict[int, Run] = {}
    if cache is not None:
        for index, key in enumerate(keys):
            hit = cache.get(key)
            if hit is not None:
                finished[index] = hit

    def so_far() -> Comparison:
        return assemble(summary, plan, finished, splits, notes)

    listener.started(plan, sorted(finished), notes)
    told: set[str] = set()
    _tell(cache, listener, told)
    todo = _longest_first(
        [i for i in range(len(plan.specs)) if i not in finished], plan, datasets
    )
    if todo:
        executor = executor or InlineExecutor()
        stream = executor.stream(datasets, [plan.specs[i] for i in todo])
        try:
            for event in stream:
                if event.index is None:
                    listener.tick()
                elif event.run is None:
                    listener.progress(todo[event.index], event.fraction, event.message)
                else:
                    index = todo[event.index]
                    finished[index] = event.run
                    if cache is not None:
                        cache.put(keys[index], event.run)
                        _tell(cache, listener, told)
                    listener.finished(index, event.run, so_far)
        finally:
            stream.close()  # cancels what is queued or running if we stopped early
    return so_far()


def _longest_first(
    todo: list[int], plan: Plan, datasets: list[Dataset]
) -> list[int]:
    """The order runs are handed out: fold by fold (a worker keeps the last datasets
    it loaded), and in each fold the runs that train on the most rows first, so the
    short ones fill the gaps at the end, on workers whose networks are compiled."""

    def order(index: int) -> tuple[int, int]:
        spec = plan.specs[index]
        negatives, positives = np.bincount(datasets[spec.split].y_train, minlength=2)
        rows = techniques.get(spec.technique).rows_trained(
            int(negatives), int(positives), spec.params
        )
        return spec.split, -rows

    return sorted(todo, key=order)


def _tell(cache: RunCache | None, listener: Listener, told: set[str]) -> None:
    """The cache's new notices, each once per comparison."""
    for message in cache.notices() if cache is not None else ():
        if message not in told:
            told.add(message)
            listener.notice(message)


def assemble(
    dataset: dict,
    plan: Plan,
    finished: dict[int, Run],
    splits: list[Split],
    notes: Sequence[str] = (),
) -> Comparison:
    """The comparison of the finished runs, grouped by column in the plan's order;
    a run that did not finish counts as cancelled."""
    runs: dict[str, list[Run]] = {name: [] for name in plan.names}
    for index, spec in enumerate(plan.specs):
        runs[spec.name].append(finished.get(index) or failed(spec, CANCELLED))
    return Comparison(dataset, plan.config(notes), runs, splits)
