"""A benchmark: every (data set x model x technique x fold x seed) as runs through
the one pipeline, data set after data set, on one executor and one run store.

A data set that cannot be cross-validated (too few positives for the folds) is
skipped with its reason; a run that fails, fails alone. A killed benchmark
started again with the same arguments reads what finished from the run store
and trains only the rest.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from imbal_core import data
from imbal_core.errors import InputError
from imbal_core.execution import Listener, Plan, run_comparison
from imbal_core.results import Comparison, Run

if TYPE_CHECKING:
    from imbal_core.benchmark.suites import Entry
    from imbal_core.execution import Executor
    from imbal_core.store import RunCache


@dataclass
class Benchmark:
    """What a benchmark found: its settings, each data set (with its status) and
    the comparison of every data set that ran, by data set name."""

    config: dict[str, Any]
    datasets: list[dict[str, Any]]
    comparisons: dict[str, Comparison] = field(default_factory=dict)


@dataclass
class Tally:
    """Where a benchmark is: runs done of all, from the store, and its pace."""

    total: int
    done: int = 0
    cached: int = 0
    trained: int = 0
    started: float = field(default_factory=time.perf_counter)

    def eta(self) -> float | None:
        """Seconds left at the pace of the runs trained so far (None before one)."""
        if not self.trained:
            return None
        pace = (time.perf_counter() - self.started) / self.trained
        return pace * (self.total - self.done)


Told = Callable[[Tally, str], None]
"""``told(tally, line)``: a run finished, a data set was skipped or read from the
run store; ``line`` says which, in words."""


def run_benchmark(
    entries: Sequence[Entry],
    plan: Plan,
    folds: int,
    repeats: int = 1,
    executor: Executor | None = None,
    cache: RunCache | None = None,
    told: Told | None = None,
    settings: dict[str, Any] | None = None,
) -> Benchmark:
    """Cross-validate ``plan`` (made with ``splits=folds * repeats``) on every entry."""
    if plan.splits != folds * repeats:
        raise ValueError("the plan's splits must be folds x repeats")
    data.check_folds(folds, repeats)
    if not entries:
        raise InputError(
            "no data set matches the filters; widen them or add --data files"
        )
    tally = Tally(total=len(entries) * len(plan.specs))
    benchmark = Benchmark(
        {**plan.config(), "folds": folds, "repeats": repeats, **(settings or {})}, []
    )
    for entry in entries:
        described = entry.describe()
        try:
            splits = data.prepare_folds(
                entry.read(),
                folds=folds,
                repeats=repeats,
                source=entry.name,
                target=entry.target,
                positive=entry.positive,
                drop=entry.drop,
            )
        except InputError as exc:
            tally.done += len(plan.specs)
            benchmark.datasets.append(
                {**described, "status": "skipped", "error": str(exc)}
            )
            if told is not None:
                told(tally, f"{entry.name}: skipped: {exc}")
            continue
        listener = _Forward(tally, entry.name, told)
        benchmark.comparisons[entry.name] = run_comparison(
            splits, plan, executor, cache, listener
        )
        benchmark.datasets.append({**described, "status": "ok", "error": None})
    return benchmark


class _Forward(Listener):
    """One data set's runs, counted into the benchmark's tally."""

    def __init__(self, tally: Tally, name: str, told: Told | None):
        self.tally, self.name, self.told = tally, name, told

    def started(self, plan: Plan, cached: Sequence[int], notes: Sequence[str]) -> None:
        self.plan = plan
        self.tally.cached += len(cached)
        self.tally.done += len(cached)
        if cached and self.told is not None:
            self.told(
                self.tally,
                f"{self.name}: {len(cached)} of {len(plan.specs)} run(s) from the run "
                "store, not trained again",
            )

    def finished(self, index: int, run: Run, so_far: Callable[[], Comparison]) -> None:
        from imbal_core.execution import outcome
        from imbal_core.results import label

        self.tally.done += 1
        self.tally.trained += 1
        spec = self.plan.specs[index]
        if self.told is not None:
            self.told(
                self.tally,
                f"{self.name} · {label(spec.name)} "
                f"{spec.describe(self.plan.splits)}: {outcome(run)}",
            )
