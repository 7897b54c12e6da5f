"""Execution: a comparison as independent runs, executed by one executor layer.

- :func:`plan_runs` turns techniques, hyperparameters, sweeps and seeds into
  :class:`RunSpec` s (variants x seeds), checking every value first;
- an :class:`Executor` streams :class:`Event` s as runs progress and finish:
  :class:`LocalExecutor` (a process pool, the default), :class:`RayExecutor`
  (a Ray cluster), :class:`InlineExecutor` (this process);
- :func:`run_comparison` is the one path from a Dataset to a Comparison that the
  CLI, the benchmark and the tests share (the dashboard streams itself, to draw).

The same seed gives the same run whichever executor and however many workers.
Nothing here loads TensorFlow in the calling process, except the inline executor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from imbal_core.execution._executor import Event, Executor, InlineExecutor, outcome
from imbal_core.execution._local import LocalExecutor
from imbal_core.execution._plan import RunSpec, check_sweeps, parse_sweep, plan_runs
from imbal_core.execution._task import attach, failed
from imbal_core.results import Comparison, Run, comparison_of

if TYPE_CHECKING:
    from imbal_core.data import Dataset

KINDS = ("local", "ray", "inline")


def make_executor(
    kind: str = "local", workers: int | None = None, address: str | None = None
) -> Executor:
    """An executor by name: ``local`` (``workers`` processes), ``ray`` or ``inline``."""
    if kind == "local":
        return LocalExecutor(workers)
    if kind == "ray":
        from imbal_core.execution._ray import RayExecutor  # ray loads only when asked

        return RayExecutor(address)
    if kind == "inline":
        return InlineExecutor()
    raise ValueError(f"unknown executor {kind!r}; choose from {', '.join(KINDS)}")


def collect(
    executor: Executor,
    dataset: Dataset,
    specs: Sequence[RunSpec],
    on_event: Callable[[RunSpec, Event], None] | None = None,
) -> dict[str, list[Run]]:
    """Every spec's run, grouped by technique or variant in the specs' order."""
    finished: dict[int, Run] = {}
    for event in executor.stream(dataset, specs):
        if event.index is None:
            continue
        if event.run is not None:
            finished[event.index] = event.run
        if on_event is not None:
            on_event(specs[event.index], event)
    runs: dict[str, list[Run]] = {}
    for index, spec in enumerate(specs):
        runs.setdefault(spec.name, []).append(finished[index])
    return runs


def run_comparison(
    dataset: Dataset,
    names: Sequence[str],
    options: dict[str, Any],
    seeds: Sequence[int] = (42,),
    executor: Executor | None = None,
    sweeps: Mapping[str, Sequence[float]] | None = None,
    on_event: Callable[[RunSpec, Event], None] | None = None,
) -> Comparison:
    """Train every technique (or variant) with every seed; failures stay per run.

    Without an executor, runs train in this process (:class:`InlineExecutor`).
    """
    sweeps = check_sweeps(names, sweeps)
    specs = plan_runs(names, options, seeds, sweeps, len(dataset.y_train))
    runs = collect(executor or InlineExecutor(), dataset, specs, on_event)
    return comparison_of(dataset, list(runs), options, seeds, runs, sweeps)


__all__ = [
    "attach",
    "KINDS",
    "Event",
    "Executor",
    "InlineExecutor",
    "LocalExecutor",
    "RunSpec",
    "check_sweeps",
    "collect",
    "failed",
    "make_executor",
    "outcome",
    "parse_sweep",
    "plan_runs",
    "run_comparison",
]
