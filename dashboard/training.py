"""Training from the dashboard: runs go to the server's executor (worker processes or
a Ray cluster) and stream back; each finished run is cached by (data fingerprint,
technique, params, seed), so it is never trained twice and survives a Cancel.
The server process itself never loads TensorFlow.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import session
from dashboard.widgets import plain
from imbal_core import results, techniques
from imbal_core.data import Dataset
from imbal_core.errors import CANCELLED
from imbal_core.execution import (
    Executor,
    RunSpec,
    attach,
    check_sweeps,
    failed,
    make_executor,
    parse_sweep,
    plan_runs,
)
from imbal_core.results import Comparison, Run

# A run keeps its validation and test probabilities: ~0.8 MB at full creditcard size,
# so 140 runs (20 configurations of all seven techniques) stay near 120 MB.
RUN_CACHE_ENTRIES = 140
RUN_CACHE_SECONDS = 24 * 3600  # a day of demoing without retraining
EXECUTORS = {"local": "This machine", "ray": "Ray cluster"}
EXECUTOR_VARIABLE = "IMBAL_EXECUTOR"  # "ray" makes the Ray cluster the default


class RunCache:
    """Finished, successful runs by (fingerprint, technique, params, seed); LRU with a TTL.

    Failures are never cached: a retry may succeed.
    """

    def __init__(
        self, entries: int = RUN_CACHE_ENTRIES, seconds: float = RUN_CACHE_SECONDS
    ):
        self.entries, self.seconds = entries, seconds
        self._runs: OrderedDict[tuple, tuple[float, Run]] = OrderedDict()
        self._lock = threading.Lock()
        self.trained = 0  # runs actually trained by this server (tests read it)

    def get(self, fingerprint: str, spec: RunSpec) -> Run | None:
        key = (fingerprint, spec.cache_key)
        with self._lock:
            stored = self._runs.get(key)
            if stored is None or time.time() - stored[0] > self.seconds:
                self._runs.pop(key, None)
                return None
            self._runs.move_to_end(key)
            return stored[1]

    def put(self, fingerprint: str, spec: RunSpec, run: Run) -> None:
        with self._lock:
            self.trained += 1
            if run.ok:
                self._runs[(fingerprint, spec.cache_key)] = (time.time(), run)
                while len(self._runs) > self.entries:
                    self._runs.popitem(last=False)


@st.cache_resource(show_spinner=False)
def run_cache() -> RunCache:
    return RunCache()


def training_count() -> int:
    """How many runs this server has actually trained (cache hits excluded)."""
    return run_cache().trained


def default_executor_kind() -> str:
    kind = os.environ.get(EXECUTOR_VARIABLE, "local")
    return kind if kind in EXECUTORS else "local"


@st.cache_resource(show_spinner=False)
def executor(kind: str = "local") -> Executor:
    """The server's executor, shared by every session. Local: one worker process per
    core, each keeping its compiled networks warm, recycled every 200 runs."""
    return make_executor(kind)


def warm_up() -> None:
    """Start the local workers in the background while the user fills in the form:
    loading TensorFlow takes seconds, and the first Train should not pay for it."""
    executor("local").warm_up(wait_for_it=False)


def options_and_sweeps(
    names: Sequence[str], values: Mapping[str, Any], sweep: bool
) -> tuple[dict[str, Any], dict[str, list[float]]]:
    """The selected techniques' hyperparameters: one value is an option, several
    (sweep mode, comma-separated) a sweep. A bad list raises :class:`InputError`."""
    own = {p.name for name in names for p in techniques.get(name).params}
    options: dict[str, Any] = {}
    sweeps: dict[str, list[float]] = {}
    for name, value in values.items():
        if name in own:
            found = parse_sweep(f"{name}={value}")[1] if sweep else [value]
            if len(found) == 1:
                options[name] = found[0]
            else:
                sweeps[name] = found
    return options, sweeps


def train_comparison(
    dataset: Dataset,
    names: Sequence[str],
    options: dict[str, Any],
    seeds: Sequence[int],
    sweeps: Mapping[str, Sequence[float]] | None = None,
    kind: str = "local",
) -> tuple[Comparison, int]:
    """Train every (technique or variant, seed) not in the cache, concurrently,
    drawing one progress bar per technique and the runs table as runs finish.

    Returns the comparison and how many runs came from the cache. Bad
    hyperparameters raise :class:`InputError` before anything trains. Each finished
    run goes to the cache and the session's comparison at once, so if the script is
    stopped (Cancel, or the user leaves the page) queued and running runs stop and
    the finished ones are kept.
    """
    sweeps = check_sweeps(names, sweeps)
    specs = plan_runs(names, options, seeds, sweeps, len(dataset.y_train))
    cache = run_cache()
    finished: dict[int, Run] = {}
    for index, spec in enumerate(specs):
        hit = cache.get(dataset.fingerprint, spec)
        if hit is not None:
            finished[index] = hit
    cached = len(finished)
    todo = [i for i in range(len(specs)) if i not in finished]
    board = _Board(specs, finished)
    started = time.perf_counter()
    stream = (
        executor(kind).stream(dataset, [specs[i] for i in todo]) if todo else iter(())
    )
    try:
        for event in stream:
            if event.index is not None:
                index = todo[event.index]
                if event.run is not None:
                    finished[index] = event.run
                    cache.put(dataset.fingerprint, specs[index], event.run)
                    board.finished(index)
                    partial = _assemble(
                        dataset, specs, finished, options, seeds, sweeps
                    )
                    # In the session at once: Cancel stops this script and starts the
                    # next run concurrently, so only what is stored already is kept.
                    session.set_comparison(partial)
                    board.table(partial)
                else:
                    board.progress(index, event.fraction, event.message)
            board.tick(elapsed(started))
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()  # cancels queued runs and stops running ones at their next epoch
    return _assemble(dataset, specs, finished, options, seeds, sweeps), cached


def _assemble(
    dataset: Dataset,
    specs: Sequence[RunSpec],
    finished: dict[int, Run],
    options: dict[str, Any],
    seeds: Sequence[int],
    sweeps: Mapping[str, Sequence[float]] | None,
) -> Comparison:
    """The comparison of the runs finished so far; unfinished ones count as cancelled."""
    runs: dict[str, list[Run]] = {}
    for index, spec in enumerate(specs):
        run = finished.get(index)
        if run is None:
            run = attach(failed(spec, CANCELLED), dataset)
        runs.setdefault(spec.name, []).append(run)
    return results.comparison_of(dataset, list(runs), options, seeds, runs, sweeps)


class _Board:
    """The live view of a training: a progress bar per technique, the runs table."""

    def __init__(self, specs: Sequence[RunSpec], finished: dict[int, Run]):
        self.specs, self.done = specs, finished
        self.fraction: dict[int, float] = {}
        self.message: dict[int, str] = {}
        self.names = list(dict.fromkeys(s.name for s in specs))
        self.clock = st.empty()
        self.bars = {
            n: st.progress(0.0, text=f"{results.label(n)}: waiting") for n in self.names
        }
        self.runs = st.empty()
        for index in finished:
            self.message[index] = "cached, no training"
        for name in self.names:
            self._draw(name)

    def progress(self, index: int, fraction: float, message: str) -> None:
        self.fraction[index], self.message[index] = fraction, message
        self._draw(self.specs[index].name)

    def finished(self, index: int) -> None:
        run = self.done[index]
        self.message[index] = (
            f"done in {run.fit_seconds:.1f} s" if run.ok else f"failed: {run.error}"
        )
        if not run.ok:
            st.error(
                f"{results.label(self.specs[index].name)}, seed {self.specs[index].seed} "
                f"failed: {plain(run.error)}",
                icon="⚠️",
            )
        self._draw(self.specs[index].name)

    def tick(self, elapsed_text: str) -> None:
        self.clock.caption(
            f"{len(self.done)} of {len(self.specs)} run(s) finished · {elapsed_text}"
        )

    def table(self, comparison: Comparison) -> None:
        self.runs.dataframe(runs_table(comparison), width="stretch", hide_index=True)

    def _draw(self, name: str) -> None:
        mine = [i for i, s in enumerate(self.specs) if s.name == name]
        total = sum(1.0 if i in self.done else self.fraction.get(i, 0.0) for i in mine)
        latest = [
            f"seed {self.specs[i].seed}: {self.message[i]}"
            for i in mine
            if i in self.message
        ]
        done = sum(i in self.done for i in mine)
        text = f"{results.label(name)}: {done}/{len(mine)} seed(s) done"
        if latest:
            text += " · " + " · ".join(latest[-2:])
        self.bars[name].progress(min(total / len(mine), 1.0), text=plain(text))


def elapsed(started: float) -> str:
    return f"{time.perf_counter() - started:.0f} s"


def runs_table(comparison: Comparison) -> pd.DataFrame:
    """One row per technique or variant: status, seeds, mean fit seconds, mean test PR-AUC."""
    rows = []
    for name, runs in comparison.runs.items():
        ok = comparison.ok_runs(name)
        failed_runs = [r for r in runs if not r.ok]
        if ok:
            status = (
                "ok"
                if not failed_runs
                else f"ok ({len(failed_runs)} of {len(runs)} seeds failed or cancelled)"
            )
            unlearned = sum(1 for r in ok if r.warnings)
            if unlearned:  # shown, but flagged: "did not learn: try more epochs…"
                status += f" · did not learn ({unlearned} of {len(ok)} seeds)"
        elif comparison.error(name) == CANCELLED:
            status = "cancelled"
        else:
            status = f"failed: {comparison.error(name)}"
        rows.append(
            {
                "technique": results.label(name),
                "status": status,
                "seeds": len(runs),
                "fit seconds": round(sum(r.fit_seconds for r in ok) / len(ok), 1)
                if ok
                else None,
                "epochs run": _mean([r.epochs_run for r in ok]),
                "best epoch": _mean([r.best_epoch for r in ok]),
                "PR-AUC (test)": round(
                    sum(r.threshold_free["pr_auc"] for r in ok) / len(ok), 4
                )
                if ok
                else None,
            }
        )
    return pd.DataFrame(rows)


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 1) if known else None
