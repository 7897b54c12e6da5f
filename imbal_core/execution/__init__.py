"""Execution: a comparison as independent runs, through one pipeline.

- :func:`plan_runs` turns techniques, hyperparameters, sweeps and seeds into a
  :class:`Plan` of :class:`RunSpec` s (variants x seeds), checking every value once;
- :func:`run_comparison` executes a plan (a run cache first, then an executor)
  and assembles the Comparison, telling a :class:`Listener` as runs progress —
  the one path of the CLI, the dashboard, the benchmark and the tests;
- an :class:`Executor` streams :class:`Event` s as runs progress and finish:
  :class:`LocalExecutor` (a process pool, the default), ``RayExecutor``
  (a Ray cluster), :class:`InlineExecutor` (this process).

The same seed gives the same run whichever executor and however many workers.
Nothing here loads TensorFlow in the calling process, except the inline executor.
"""

from __future__ import annotations

from imbal_core.execution._executor import Event, Executor, InlineExecutor, outcome
from imbal_core.execution._local import LocalExecutor
from imbal_core.execution._pipeline import Listener, assemble, run_comparison
from imbal_core.execution._plan import (
    DEFAULT_MODEL,
    Plan,
    RunSpec,
    parse_sweep,
    parse_values,
    plan_runs,
)

KINDS = ("local", "ray", "inline")
RUN_TIME_LIMIT = (
    3600.0  # seconds; a run past it is stopped (a runaway quadratic sampler)
)


def make_executor(
    kind: str = "local",
    workers: int | None = None,
    address: str | None = None,
    time_limit: float | None = None,
) -> Executor:
    """An executor by name: ``local`` (``workers`` processes) or ``ray``, each run
    stopped after ``time_limit`` seconds; or ``inline`` (no limit: this process)."""
    if kind == "local":
        return LocalExecutor(workers, time_limit=time_limit)
    if kind == "ray":
        from imbal_core.execution._ray import RayExecutor  # ray loads only when asked

        return RayExecutor(address, time_limit=time_limit)
    if kind == "inline":
        return InlineExecutor()
    raise ValueError(f"unknown executor {kind!r}; choose from {', '.join(KINDS)}")


__all__ = [
    "DEFAULT_MODEL",
    "KINDS",
    "Event",
    "Executor",
    "InlineExecutor",
    "Listener",
    "LocalExecutor",
    "Plan",
    "RunSpec",
    "assemble",
    "make_executor",
    "RUN_TIME_LIMIT",
    "outcome",
    "parse_sweep",
    "parse_values",
    "plan_runs",
    "run_comparison",
]
