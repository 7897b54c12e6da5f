"""What is measured, each in its own fresh interpreter (``python -m benchmarks.measure
SPEC``, started by :mod:`benchmarks.harness`), so neither memory nor TensorFlow
state leaks from one measurement into the next.

- ``seed``: one of the seed notebook's techniques, its own code;
- ``comparison``: the same techniques as one comparison through the engine's
  pipeline on a ``LocalExecutor``: starting the workers (a fresh fork server loads
  TensorFlow and forks them) while the data is prepared, as the CLI does, training, prediction, the
  dashboard's metrics, shutdown;
- ``cache``: the same configuration trained again, answered by the run cache;
- ``slider``: every metric and every operating-point figure at a new threshold.

Each clock starts after the same heavy imports (reported apart); peak memory is
VmHWM from ``/proc/<pid>/status``.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

FULL_ROWS = 284_807
SEED_OPTIONS = {
    "batch_size": 256,
    "gamma": 2.0,
    "alpha": 0.25,
    "k_neighbors": 5,
    "n_estimators": 10,
}
CREDITCARD_CSV = Path("data/creditcard.csv")


def vm_hwm_mb(pid: int | str = "self") -> float | None:
    """A process's resident-memory high-water mark (VmHWM) in MB; None if unknown."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # not Linux, or the process is gone
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def _parent(pid: int) -> int | None:
    """``pid``'s parent process id; None if unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def peak_rss_mb() -> float:
    """This process's resident-memory high-water mark, in MB."""
    found = vm_hwm_mb()
    if found is not None:
        return found
    import resource  # not Linux: ru_maxrss is in KB there too on Linux, bytes on macOS

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _frame(rows: int, real: bool) -> Any:
    """The data both sides start from: the real file when asked, else make_demo."""
    if real:
        import pandas as pd

        return pd.read_csv(CREDITCARD_CSV)
    from imbal_core.data import make_demo

    return make_demo(rows=rows)


def _run_seed(spec: dict[str, Any]) -> dict[str, Any]:
    from sklearn.metrics import average_precision_score

    from benchmarks import seed_reference

    frame = _frame(spec["rows"], spec["real"])
    y_test, proba = seed_reference.run_technique(
        spec["technique"],
        frame,
        epochs=spec["epochs"],
        n_estimators=SEED_OPTIONS["n_estimators"],
        seed=spec.get("seed", 42),
    )
    return {
        "pr_auc": float(average_precision_score(y_test, proba)),
        "test_rows": len(y_test),
    }


def _engine_dataset(spec: dict[str, Any]) -> Any:
    from imbal_core import data

    if spec["real"]:
        return data.prepare(
            data.read_csv(CREDITCARD_CSV), source="creditcard", drop=("Time",)
        )
    # load_source("demo") generates the frame with make_demo, like the seed side.
    return data.load_source("demo", rows=spec["rows"])


def _run_comparison(spec: dict[str, Any]) -> dict[str, Any]:
    """The techniques as one comparison on a fresh LocalExecutor of ``workers``
    processes: data, worker start-up (TensorFlow loads in each), training,
    prediction, the dashboard's metrics, shutdown."""
    from sklearn.metrics import average_precision_score

    from imbal_core.execution import LocalExecutor, plan_runs, run_comparison
    from imbal_core.results import technique_summary

    started = time.perf_counter()
    executor = LocalExecutor(spec["workers"])
    try:
        # As the CLI does: the workers load TensorFlow while the data is prepared.
        executor.warm_up(wait_for_it=False)
        dataset = _engine_dataset(spec)
        prepared = time.perf_counter()
        executor.warm_up()  # every worker up, TensorFlow loaded: inside the clock
        ready = time.perf_counter()
        options = {"epochs": spec["epochs"], **SEED_OPTIONS}
        seeds = spec.get("seeds", [42])
        plan = plan_runs(spec["techniques"], options, seeds)
        comparison = run_comparison(dataset, plan, executor)
        results = {}
        for name in spec["techniques"]:
            technique_summary(comparison, name, 0.5)  # the metrics the dashboard shows
            failed = [run for run in comparison.runs[name] if not run.ok]
            if failed:
                raise RuntimeError(
                    f"{name} failed in the engine (seed {failed[0].seed}): "
                    f"{failed[0].error}"
                )
            runs = comparison.ok_runs(name)
            pr_aucs = {
                str(r.seed): float(average_precision_score(r.y_test, r.proba_test))
                for r in runs
            }
            results[name] = {
                "pr_auc": pr_aucs[str(seeds[0])],
                "pr_aucs": pr_aucs,  # seed -> PR-AUC
                "fit_seconds": runs[0].fit_seconds,
                "test_rows": len(runs[0].y_test),
            }
        pids = executor.worker_pids()
        worker_peaks = [vm_hwm_mb(pid) for pid in pids]
        server = _parent(pids[0]) if pids else None
        server_peak = vm_hwm_mb(server) if server is not None else None
    finally:
        executor.close()
    known = [mb for mb in worker_peaks if mb is not None]
    return {
        "workers": executor.workers,
        "techniques": results,
        "prepare_s": prepared - started,
        "ready_s": ready - started,  # every worker up (they start with the clock)
        "worker_peaks_mb": known,
        "workers_peak_mb": sum(known) if known else None,
        # The fork server the workers were forked from (TensorFlow loaded, shared
        # with them copy-on-write, so partly counted in theirs too).
        "server_peak_mb": server_peak,
    }


def _run_cache(spec: dict[str, Any]) -> dict[str, Any]:
    """The engine's run cache (the dashboard's, shared by its sessions): the first
    comparison trains (inline, here), the repeats of the same (data, technique,
    params, seed) come from ``MemoryCache`` through the same pipeline."""
    from imbal_core.execution import plan_runs, run_comparison
    from imbal_core.store import MemoryCache

    dataset = _engine_dataset(spec)
    plan = plan_runs(
        [spec["technique"]], {"epochs": spec["epochs"], **SEED_OPTIONS}, [42]
    )
    cache = MemoryCache()

    started = time.perf_counter()
    first = run_comparison(dataset, plan, cache=cache)
    first_s = time.perf_counter() - started
    if not first.ok_runs(spec["technique"]):
        raise RuntimeError(
            f"{spec['technique']} failed: {first.error(spec['technique'])}"
        )
    repeats = []
    for _ in range(3):
        started = time.perf_counter()
        run_comparison(dataset, plan, cache=cache)
        repeats.append(time.perf_counter() - started)
    if cache.trained != 1:
        raise RuntimeError("a repeat trained again instead of hitting the cache")
    return {
        "first_s": first_s,
        "repeat_s": statistics.median(repeats),
        "how": "the engine's run cache, `imbal_core.store.MemoryCache`, through "
        "`run_comparison`; the first comparison trained inline",
    }


def _run_slider(spec: dict[str, Any]) -> dict[str, Any]:
    """Every metric and figure for 7 techniques at a new threshold, on synthetic
    probabilities, through the Compare page's ``ComparisonView``."""
    import numpy as np

    from imbal_core import figures, techniques
    from imbal_core.evaluate import Costs
    from imbal_core.results import Comparison, ComparisonView, Run, Split

    rng = np.random.default_rng(0)
    test_rows, val_rows = spec["test_rows"], spec["test_rows"] * 4 // 5
    positive_rate = 492 / FULL_ROWS

    def fake(n: int, strength: float) -> tuple[Any, Any]:
        y = (rng.random(n) < positive_rate).astype(np.int64)
        y[:2] = [0, 1]
        logits = rng.normal(-4.0, 1.5, n) + y * strength
        return y, 1 / (1 + np.exp(-logits))

    names = list(techniques.DEFAULT)
    y_val, _ = fake(val_rows, 0)
    y_test, _ = fake(test_rows, 0)
    runs = {}
    for i, name in enumerate(names):
        strength = 3.0 + 0.4 * i
        proba_val = 1 / (
            1 + np.exp(-(rng.normal(-4.0, 1.5, val_rows) + y_val * strength))
        )
        proba_test = 1 / (
            1 + np.exp(-(rng.normal(-4.0, 1.5, test_rows) + y_test * strength))
        )
        runs[name] = [Run(name, 42, {}, proba_val, proba_test)]
    amounts_val = np.round(np.exp(rng.normal(3.4, 1.4, val_rows)), 2)
    amounts_test = np.round(np.exp(rng.normal(3.4, 1.4, test_rows)), 2)
    split = Split(y_val, y_test, amounts_val, amounts_test)
    comparison = Comparison({"rows": test_rows}, {"techniques": names}, runs, [split])
    costs = Costs(missed=None, review=5.0)
    charts = figures.AT_OPERATING_POINT

    # The Compare page's own path: one ComparisonView, re-scored per threshold.
    view = ComparisonView(comparison, entries=1)  # no memo hits between moves

    def metrics(threshold: float) -> dict[str, Any]:
        return view.summaries(threshold, costs)

    def move(threshold: float) -> None:
        results = metrics(threshold)
        for chart in charts:
            chart(results)

    started = time.perf_counter()
    move(0.5)  # first view: curves and AUCs computed (then cached on each Run)
    first = time.perf_counter() - started
    timings = []
    for threshold in np.linspace(0.05, 0.95, 15):
        started = time.perf_counter()
        move(float(threshold))
        timings.append(time.perf_counter() - started)
    metric_timings = []
    for threshold in np.linspace(0.05, 0.95, 15):
        started = time.perf_counter()
        metrics(float(threshold))
        metric_timings.append(time.perf_counter() - started)
    return {
        "techniques": len(names),
        "test_rows": test_rows,
        "metrics_only_ms": statistics.median(metric_timings) * 1000,
        "first_ms": first * 1000,
        "move_ms": statistics.median(timings) * 1000,
        "move_max_ms": max(timings) * 1000,
        "figures": [f"figures.{f.__name__}" for f in charts],
    }


def worker(spec: dict[str, Any]) -> None:
    """Run one measurement in this (fresh) process; its JSON goes to ``spec['out']``."""
    started = time.perf_counter()
    # The same heavy imports on both sides, outside the clock.
    import keras  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import sklearn  # noqa: F401
    import tensorflow  # noqa: F401
    from imblearn import over_sampling  # noqa: F401

    import_s = time.perf_counter() - started
    run = {
        "seed": _run_seed,
        "comparison": _run_comparison,
        "cache": _run_cache,
        "slider": _run_slider,
    }[spec["impl"]]
    started = time.perf_counter()
    result = run(spec)
    result.update(
        wall_s=time.perf_counter() - started, import_s=import_s, peak_mb=peak_rss_mb()
    )
    Path(spec["out"]).write_text(json.dumps(result))


if __name__ == "__main__":  # one measurement in a fresh interpreter (see harness)
    worker(json.loads(sys.argv[1]))


# ------------------------------------------------------------------ parent side
