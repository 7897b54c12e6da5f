"""Training from the dashboard: cached per (data, technique, params, seed), run in a
recycled worker process so the server never loads TensorFlow and its memory stays
bounded.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.widgets import plain
from imbal_core import results, techniques
from imbal_core.data import Dataset
from imbal_core.results import Comparison, Run
from imbal_core.worker import TrainingWorker

# A run keeps its validation and test probabilities: ~0.8 MB at full creditcard size,
# so 140 runs (20 configurations of all seven techniques) stay near 120 MB.
TRAIN_CACHE_ENTRIES = 140
TRAIN_CACHE_TTL = 24 * 3600  # seconds; a day of demoing without retraining


class _FailedRun(Exception):
    """Carries a failed run out of the cached trainer so failures are never cached."""

    def __init__(self, run: Run):
        super().__init__(run.error)
        self.run = run


_trainings = 0  # actual trainings in this process (cache misses); tests read it


def training_count() -> int:
    """How many runs this process has actually trained (cache hits excluded)."""
    return _trainings


@st.cache_resource(
    max_entries=TRAIN_CACHE_ENTRIES, ttl=TRAIN_CACHE_TTL, show_spinner=False
)
def _train_cached(
    fingerprint: str,
    technique: str,
    params: tuple[tuple[str, Any], ...],
    seed: int,
    _dataset: Dataset,
    _progress: Callable[[float, str], None] | None,
    _trained: list[bool],
) -> Run:
    global _trainings
    _trainings += 1
    _trained.append(True)  # only reached on a cache miss
    run = training_worker().train(_dataset, technique, dict(params), seed, _progress)
    if not run.ok:
        raise _FailedRun(run)  # exceptions are not cached: a retry may succeed
    return run


@st.cache_resource(show_spinner=False)
def training_worker() -> TrainingWorker:
    """The server's one training process, recycled every 20 trainings.

    Training in the server process itself would keep ~7.5 MB per run forever
    (TensorFlow's traced graphs survive clear_session); see imbal_core/worker.py.
    """
    return TrainingWorker(tasks_per_child=20)


# One training at a time per process: TensorFlow already uses every core, and a run
# whose page was left keeps going and lands in the cache instead of being lost.
_TRAINER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="imbal-train")


class _QuietTrainerThread(logging.Filter):
    """The trainer thread has no ScriptRunContext by design; Streamlit's notice about it is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            threading.current_thread().name.startswith("imbal-train")
            and "ScriptRunContext" in record.getMessage()
        )


for _name in ("streamlit.runtime.scriptrunner_utils.script_run_context", "streamlit"):
    logging.getLogger(_name).addFilter(_QuietTrainerThread())


def train(
    dataset: Dataset,
    technique: str,
    params: dict[str, Any],
    seed: int,
    progress: Callable[[float, str], None] | None = None,
    poll_seconds: float = 0.25,
) -> tuple[Run, bool]:
    """Train one (technique, seed) through the cache; returns the run and whether it was cached.

    The cached trainer runs in a worker thread and reports to a queue; this (script)
    thread draws the progress. Streamlit elements touched inside a cached function
    would be recorded and replayed on every cache hit, which fails for a progress
    bar created outside it, so the cached function never touches Streamlit.
    Never raises for a failing technique: its error is on ``run.error``.
    """
    trained: list[bool] = []
    updates: queue.Queue[tuple[float, str]] = queue.Queue()
    key = tuple(sorted(params.items()))
    future = _TRAINER.submit(
        _train_cached,
        dataset.fingerprint,
        technique,
        key,
        int(seed),
        dataset,
        lambda f, m: updates.put((f, m)),
        trained,
    )
    last = (0.0, "waiting for the trainer")
    while True:
        done = future.done()  # read before draining, so no update is left behind
        try:
            while True:
                last = updates.get_nowait()
        except queue.Empty:
            pass
        if progress is not None:
            progress(*last)
        if done:
            break
        wait([future], timeout=poll_seconds)  # returns at once when the run finishes
    try:
        run = future.result()
    except _FailedRun as failed:
        return failed.run, False
    return run, not trained


def train_comparison(
    dataset: Dataset,
    names: Sequence[str],
    options: dict[str, Any],
    seeds: Sequence[int],
) -> tuple[Comparison, int]:
    """Train every (technique, seed) through the cache, drawing one progress bar per
    technique; returns the comparison and how many runs came from the cache.

    Bad hyperparameters raise :class:`InputError` before anything trains.
    """
    per_technique = techniques.validate_options(len(dataset.y_train), names, options)
    runs: dict[str, list[Run]] = {}
    cached = 0
    for name in names:
        runs[name] = []
        bar = st.progress(0.0, text=f"{results.label(name)}: waiting")
        for i, seed in enumerate(seeds):
            started = time.perf_counter()
            prefix = f"{results.label(name)}, seed {seed}"

            def report(
                fraction: float,
                message: str,
                i=i,
                prefix=prefix,
                started=started,
                bar=bar,
            ) -> None:
                done = (i + min(max(fraction, 0.0), 1.0)) / len(seeds)
                bar.progress(done, text=f"{prefix}: {message} · {elapsed(started)}")

            report(0.0, "starting")
            run, hit = train(dataset, name, per_technique[name], seed, report)
            runs[name].append(run)
            cached += hit
            if not run.ok:
                st.error(f"{prefix} failed: {plain(run.error)}", icon="⚠️")
            state = (
                "cached, no training"
                if hit
                else (f"done in {run.fit_seconds:.1f} s" if run.ok else "failed")
            )
            bar.progress((i + 1) / len(seeds), text=f"{prefix}: {state}")
    comparison = results.comparison_of(dataset, names, options, seeds, runs)
    return comparison, cached


def elapsed(started: float) -> str:
    return f"{time.perf_counter() - started:.0f} s"


def runs_table(comparison: Comparison) -> pd.DataFrame:
    """One row per technique: status, seeds, mean fit seconds, mean test PR-AUC."""
    rows = []
    for name, runs in comparison.runs.items():
        ok = comparison.ok_runs(name)
        failed = [r for r in runs if not r.ok]
        if ok:
            status = (
                "ok"
                if not failed
                else f"ok ({len(failed)} of {len(runs)} seeds failed)"
            )
            unlearned = sum(1 for r in ok if r.warnings)
            if unlearned:  # shown, but flagged: "did not learn: try more epochs…"
                status += f" · did not learn ({unlearned} of {len(ok)} seeds)"
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
                "PR-AUC (test)": round(
                    sum(r.threshold_free["pr_auc"] for r in ok) / len(ok), 4
                )
                if ok
                else None,
            }
        )
    return pd.DataFrame(rows)
