"""Training from the dashboard: the engine's one pipeline with the server's executor
(worker processes or a Ray cluster) and run cache, shared by every session; the
Train page's live board is the pipeline's listener. The server process itself
never loads TensorFlow.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from dashboard import session
from dashboard.widgets import plain, table
from imbal_core import models, results, tables, techniques, tracking
from imbal_core.data import Dataset
from imbal_core.errors import InputError
from imbal_core.execution import (
    RUN_TIME_LIMIT,
    Executor,
    Listener,
    Plan,
    make_executor,
    outcome,
    parse_values,
    plan_runs,
    run_comparison,
)
from imbal_core.results import Comparison, Run
from imbal_core.store import MemoryCache, RunCache, RunStore, default_root, disabled

EXECUTORS = {"local": "This machine", "ray": "Ray cluster"}
EXECUTOR_VARIABLE = "IMBAL_EXECUTOR"  # "ray" makes the Ray cluster the default
CLOCK_SECONDS = 0.5  # the training clock redraws at most this often on progress


def run_cache() -> RunCache:
    """Finished runs by (data, split, model, technique, params, seed), for every
    session: the run store at ``$IMBAL_STORE`` (shared with the CLI and other
    servers), or this process's memory when it is ``off``."""
    return _memory() if disabled() else store_at(str(default_root()))


def store() -> RunStore | None:
    """The run store with the History (None when ``$IMBAL_STORE`` is ``off``)."""
    found = run_cache()
    return found if isinstance(found, RunStore) else None


@st.cache_resource(show_spinner=False)
def store_at(root: str) -> RunStore:
    return RunStore(root)


@st.cache_resource(show_spinner=False)
def _memory() -> MemoryCache:
    return MemoryCache()


def training_count() -> int:
    """How many runs this server has actually trained (cache hits excluded)."""
    return run_cache().trained


def default_executor_kind() -> str:
    kind = os.environ.get(EXECUTOR_VARIABLE, "local")
    return kind if kind in EXECUTORS else "local"


@st.cache_resource(show_spinner=False)
def executor(kind: str = "local") -> Executor:
    """The server's executor, shared by every session. Local: one worker process per
    core, each keeping its compiled networks warm, recycled every 200 runs; a run
    past the time limit is stopped and fails alone."""
    return make_executor(kind, time_limit=RUN_TIME_LIMIT)


def warm_up() -> None:
    """Start the local workers in the background while the user fills in the form:
    loading TensorFlow takes seconds, and the first Train should not pay for it."""
    executor("local").warm_up(wait_for_it=False)


def combinations(text: str) -> list[str]:
    """The recipes typed in "Add combinations": names joined with +, comma-separated
    (checked with the other techniques when the plan is made)."""
    return [name.strip() for name in text.split(",") if name.strip()]


def options_and_sweeps(
    names: Sequence[str],
    values: Mapping[str, Any],
    sweep: bool,
    chosen: Sequence[str] = (models.DEFAULT,),
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The selected techniques' and models' hyperparameters: one value is an
    option, several (sweep mode, comma-separated; layer shapes separated by ;) a
    sweep. A bad list raises :class:`InputError`."""
    own = {p.name: p for name in names for p in techniques.get(name).params}
    own.update(
        {p.name: p for m in models.checked(list(chosen)) for p in models.get(m).params}
    )
    options: dict[str, Any] = {}
    sweeps: dict[str, list[Any]] = {}
    for name, value in values.items():
        if name in own:
            found = parse_values(value, own[name]) if sweep else [value]
            if len(found) == 1:
                options[name] = found[0]
            else:
                sweeps[name] = found
    return options, sweeps


def plan(
    names: Sequence[str],
    values: Mapping[str, Any],
    sweep: bool,
    shared: Mapping[str, Any],
    seeds: Sequence[int],
    chosen: Sequence[str] = (models.DEFAULT,),
    splits: int = 1,
) -> Plan:
    """The Train form's runs: its techniques on its models, their values (lists in
    sweep mode), the network's training settings, seeds and data splits (1, or the
    folds). A bad value raises :class:`InputError` first."""
    options, sweeps = options_and_sweeps(names, values, sweep, chosen)
    return plan_runs(names, {**options, **shared}, seeds, sweeps, chosen, splits)


def train(
    datasets: Sequence[Dataset], plan: Plan, kind: str = "local"
) -> tuple[Comparison, int]:
    """Every run of ``plan`` not in the cache, on the server's executor, drawn live
    where this is called. Returns the comparison and how many runs were cached.

    Each finished run is cached and put in the session at once: if the script is
    stopped (Cancel, or the user leaves the page) queued and running runs stop and
    the finished ones are kept.
    """
    board = Board()
    comparison = run_comparison(datasets, plan, executor(kind), run_cache(), board)
    session.set_comparison(comparison)  # also when every run came from the cache
    remember(comparison, board)
    return comparison, len(board.cached)


def remember(comparison: Comparison, board: Board) -> None:
    """Keep a finished comparison in the History (and log it to MLflow when the
    server is set up with a tracking server), at the Compare page's settings."""
    kept, uri = store(), tracking.configured_uri()
    if kept is None and uri is None:
        return
    settings = session.operating_point(), session.costs(comparison), session.objective()
    found = session.view().results_json(*settings)
    if kept is not None:
        kept.history.record(comparison, found)
        for notice in kept.notices():
            board.notice(notice)
    if uri is not None:
        try:
            tracking.log_comparison(comparison, found, uri)
        except InputError as exc:  # a tracking server that is down costs a warning
            board.notice(str(exc))


class Board(Listener):
    """The live view of a training: a clock, a progress bar per technique, failures
    as they happen and the runs table."""

    def started(self, plan: Plan, cached: Sequence[int], notes: Sequence[str]) -> None:
        self.specs, self.cached, self.clock_started = (
            plan.specs,
            set(cached),
            time.perf_counter(),
        )
        self.splits = plan.splits
        self.done: set[int] = set(cached)
        self.told: set[str] = set()
        self.fraction: dict[int, float] = {}
        self.message = {index: "cached, no training" for index in cached}
        for note in notes:  # before anything trains: a slow sampler is named here
            st.warning(plain(note), icon="⚠️")
        self.clock = st.empty()
        self.bars = {
            name: st.progress(0.0, text=f"{results.label(name)}: waiting")
            for name in plan.names
        }
        self.failures = st.container()
        self.runs = st.empty()
        for name in plan.names:
            self._draw(name)
        self.tick()

    def progress(self, index: int, fraction: float, message: str) -> None:
        self.fraction[index], self.message[index] = fraction, message
        self._draw(self.specs[index].name)
        # Epochs can report faster than the stream's idle ticks come: keep the clock.
        if time.perf_counter() - self.ticked >= CLOCK_SECONDS:
            self.tick()

    def finished(self, index: int, run: Run, so_far: Callable[[], Comparison]) -> None:
        partial = so_far()
        # In the session at once: Cancel stops this script and starts the next run
        # concurrently, so only what is stored already is kept.
        session.set_comparison(partial)
        self.done.add(index)
        self.message[index] = outcome(run)
        spec = self.specs[index]
        if not run.ok:
            self.failures.error(
                f"{results.label(spec.name)}, {spec.describe(self.splits)} failed: "
                f"{plain(run.error)}",
                icon="⚠️",
            )
        self._draw(spec.name)
        self.tick()  # the count of finished runs changed
        with self.runs.container():
            table(tables.runs_table(partial))

    def notice(self, message: str) -> None:
        if message not in self.told:  # the store's, each said once
            self.told.add(message)
            self.failures.warning(plain(message), icon="⚠️")

    def tick(self) -> None:
        self.clock.caption(
            f"{len(self.done)} of {len(self.specs)} run(s) finished · {elapsed(self.clock_started)}"
        )
        self.ticked = time.perf_counter()

    def _draw(self, name: str) -> None:
        mine = [i for i, s in enumerate(self.specs) if s.name == name]
        total = sum(1.0 if i in self.done else self.fraction.get(i, 0.0) for i in mine)
        latest = [
            f"{self.specs[i].describe(self.splits)}: {self.message[i]}"
            for i in mine
            if i in self.message
        ]
        done = sum(i in self.done for i in mine)
        text = f"{results.label(name)}: {done}/{len(mine)} run(s) done"
        if latest:
            text += " · " + " · ".join(latest[-2:])
        self.bars[name].progress(min(total / len(mine), 1.0), text=plain(text))


def elapsed(started: float) -> str:
    return f"{time.perf_counter() - started:.0f} s"


def report(status: Any, comparison: Comparison, cached: int) -> None:
    """Close the training's status box and say in one line how it went."""
    runs = [run for column in comparison.runs.values() for run in column]
    failed = [n for n in comparison.runs if not comparison.ok_runs(n)]
    everything = len(failed) == len(comparison.runs)
    status.update(
        label=f"Done: {len(comparison.runs)} technique(s) or variant(s), {cached} run(s) "
        "from the cache" + (f" · {len(failed)} failed" if failed else ""),
        state="error" if everything else "complete",
        expanded=bool(failed),
    )
    if everything:
        st.error(
            "No technique trained: every run failed (the reasons are above). Change the "
            "settings and press Train again.",
            icon="🚫",
        )
    elif failed:
        st.warning(
            f"{len(failed)} of {len(comparison.runs)} failed (see above); the others "
            "trained and are on the Compare page.",
            icon="⚠️",
        )
    else:
        st.success(
            f"{len(runs)} run(s): {cached} from the cache (same data, technique, "
            f"parameters and seed), {len(runs) - cached} trained now.",
            icon="✅",
        )
