"""Benchmark: the seed notebook's code against our engine, on the same machine and data.

Run ``python -m benchmarks.run`` (full size: 284,807 rows, 10 epochs; many minutes on
2 cores) or ``python -m benchmarks.run --quick`` (20,000 rows, 2 epochs).

What is measured, each in a fresh subprocess, one after the other (so neither memory
nor TensorFlow state leaks from one measurement into the next):

- **Seed side**: each of the notebook's six techniques in its own process; their sum
  is the notebook's serial time.
- **Engine side**: the same techniques as *one* comparison through the executor layer
  (``run_comparison`` on a ``LocalExecutor``), once per ``--workers`` count. The
  clock covers data preparation, starting the worker processes (each loads
  TensorFlow: the honest end-to-end cost), training, prediction, the dashboard's
  metrics (``technique_summary``) and shutting the workers down. The speed-up is
  the seed's sum over the comparison's wall time at the largest worker count; the
  workers speed-up compares the largest count with the smallest.

In both, the clock starts **after** the same heavy imports (TensorFlow, Keras,
sklearn, imbalanced-learn, pandas: ~10 s, reported apart). Peak memory is VmHWM
(resident high-water mark, imports included) from ``/proc/<pid>/status``: the
measuring process's own, plus, for the engine, each worker's (summed). PR-AUC is
sklearn's average precision, each side on its own test split (the seed's
unstratified one; our stratified one).

Extras (``--skip-extras`` skips them): ``python -m imbal_core train`` on a small CSV,
all seven techniques x 3 seeds, timed end to end with interpreter start-up; a repeat
training answered by the dashboard's run cache; a threshold move on the Compare page.
``--scales`` times the engine's comparison on more rows. The 1-minute load average
before every measurement is kept with it (``load_before``): the machine may be shared.

Outputs: a table on stdout, ``benchmarks/results/latest.json`` and
``benchmarks/results/latest.md`` (a Markdown snippet for the README).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.seed_reference import TECHNIQUES as SEED_TECHNIQUES
from imbal_core import package_versions

FULL_ROWS = 284_807
SEED_OPTIONS = {
    "batch_size": 256,
    "gamma": 2.0,
    "alpha": 0.25,
    "k_neighbors": 5,
    "n_estimators": 10,
}
CREDITCARD_CSV = Path("data/creditcard.csv")
ROOT = Path(__file__).resolve().parent.parent  # the repository: every subprocess's cwd
RESULTS = Path(__file__).resolve().parent / "results"
# The small-CSV CLI measurement: all techniques x CLI_SEEDS seeds, CLI_EPOCHS epochs.
CLI_ROWS, CLI_SEEDS, CLI_EPOCHS = 1500, 3, 10
# Targets of issues #4 and #11.
TARGET_SPEEDUP = 4.0  # seed's serial sum / engine's whole comparison (max workers)
TARGET_PR_AUC_DROP = 0.03  # mean PR-AUC at most this much below the seed's
TARGET_WORKERS_SPEEDUP = 1.6  # whole comparison: max workers vs the fewest
TARGET_CLI_S = 20.0  # the small-CSV CLI run, end to end
TARGET_CACHE_S = 1.0
TARGET_SLIDER_MS = 150.0


# ------------------------------------------------------------------ worker side
def _vm_hwm_mb(pid: int | str = "self") -> float | None:
    """A process's resident-memory high-water mark (VmHWM) in MB; None if unknown."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # not Linux, or the process is gone
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def _peak_rss_mb() -> float:
    """This process's resident-memory high-water mark, in MB."""
    found = _vm_hwm_mb()
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

    from imbal_core.execution import LocalExecutor, run_comparison
    from imbal_core.results import technique_summary

    started = time.perf_counter()
    dataset = _engine_dataset(spec)
    prepared = time.perf_counter()
    executor = LocalExecutor(spec["workers"])
    try:
        executor.warm_up()  # every worker up, TensorFlow loaded: inside the clock
        ready = time.perf_counter()
        options = {"epochs": spec["epochs"], **SEED_OPTIONS}
        comparison = run_comparison(
            dataset, spec["techniques"], options, executor=executor
        )
        results = {}
        for name in spec["techniques"]:
            technique_summary(comparison, name, 0.5)  # the metrics the dashboard shows
            run = comparison.runs[name][0]
            if not run.ok:
                raise RuntimeError(f"{name} failed in the engine: {run.error}")
            results[name] = {
                "pr_auc": float(average_precision_score(run.y_test, run.proba_test)),
                "fit_seconds": run.fit_seconds,
                "test_rows": len(run.y_test),
            }
        worker_peaks = [_vm_hwm_mb(pid) for pid in executor.worker_pids()]
    finally:
        executor.close()
    known = [mb for mb in worker_peaks if mb is not None]
    return {
        "workers": executor.workers,
        "techniques": results,
        "prepare_s": prepared - started,
        "startup_s": ready - prepared,
        "worker_peaks_mb": known,
        "workers_peak_mb": sum(known) if known else None,
    }


def _run_cache(spec: dict[str, Any]) -> dict[str, Any]:
    """The dashboard's run cache: the first call trains (inline, here), the repeats
    of the same (data, technique, params, seed) are answered by ``RunCache.get``."""
    from dashboard.training import RunCache
    from imbal_core.execution import InlineExecutor, collect, plan_runs

    dataset = _engine_dataset(spec)
    options = {"epochs": spec["epochs"], **SEED_OPTIONS}
    [run_spec] = plan_runs(
        [spec["technique"]], options, (42,), None, len(dataset.y_train)
    )
    cache = RunCache()

    def train() -> Any:
        run = cache.get(dataset.fingerprint, run_spec)
        if run is None:
            run = collect(InlineExecutor(), dataset, [run_spec])[run_spec.name][0]
            cache.put(dataset.fingerprint, run_spec, run)
        return run

    started = time.perf_counter()
    first = train()
    first_s = time.perf_counter() - started
    if not first.ok:
        raise RuntimeError(f"{spec['technique']} failed: {first.error}")
    repeats = []
    for _ in range(3):
        started = time.perf_counter()
        train()
        repeats.append(time.perf_counter() - started)
    if cache.trained != 1:
        raise RuntimeError("a repeat trained again instead of hitting the cache")
    return {
        "first_s": first_s,
        "repeat_s": statistics.median(repeats),
        "how": "the dashboard's run cache, `dashboard.training.RunCache`; the first "
        "run trained inline through `collect(InlineExecutor(), ...)`",
    }


def _run_slider(spec: dict[str, Any]) -> dict[str, Any]:
    """Every metric and figure for 7 techniques at a new threshold, on synthetic
    probabilities, through the Compare page's ``ComparisonView``."""
    import numpy as np

    from imbal_core import techniques
    from imbal_core.evaluate import Costs
    from imbal_core.results import Comparison, ComparisonView, Run

    rng = np.random.default_rng(0)
    test_rows, val_rows = spec["test_rows"], spec["test_rows"] * 4 // 5
    positive_rate = 492 / FULL_ROWS

    def fake(n: int, strength: float) -> tuple[Any, Any]:
        y = (rng.random(n) < positive_rate).astype(np.int64)
        y[:2] = [0, 1]
        logits = rng.normal(-4.0, 1.5, n) + y * strength
        return y, 1 / (1 + np.exp(-logits))

    names = list(techniques.REGISTRY)
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
        runs[name] = [Run(name, 42, {}, y_val, y_test, proba_val, proba_test)]
    amounts_val = np.round(np.exp(rng.normal(3.4, 1.4, val_rows)), 2)
    amounts_test = np.round(np.exp(rng.normal(3.4, 1.4, test_rows)), 2)
    comparison = Comparison(
        {"rows": test_rows}, {"techniques": names}, runs, amounts_val, amounts_test
    )
    costs = Costs(missed=None, review=5.0)
    figures = _chart_functions()

    # The Compare page's own path: one ComparisonView, re-scored per threshold.
    view = ComparisonView(comparison, entries=1)  # no memo hits between moves

    def metrics(threshold: float) -> dict[str, Any]:
        return view.summaries(threshold, costs)

    def move(threshold: float) -> None:
        results = metrics(threshold)
        for function in figures:
            function(results, threshold)

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
        "figures": [f"figures.{f.__name__}" for f in figures],
    }


def _chart_functions() -> list[Any]:
    """``imbal_core.figures``' public functions taking (techniques, threshold)."""
    import inspect

    from imbal_core import figures

    found = []
    for name in figures.__all__:
        function = getattr(figures, name)
        if not inspect.isfunction(function):
            continue
        parameters = list(inspect.signature(function).parameters)
        if len(parameters) >= 2 and parameters[1] == "threshold":
            found.append(function)
    return found


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
        wall_s=time.perf_counter() - started, import_s=import_s, peak_mb=_peak_rss_mb()
    )
    Path(spec["out"]).write_text(json.dumps(result))


# ------------------------------------------------------------------ parent side
def _env() -> dict[str, str]:
    return {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0"}


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def measure(spec: dict[str, Any], log: Any) -> dict[str, Any]:
    """Run ``spec`` in a fresh interpreter; its Keras chatter goes to ``log``."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    load = _load()
    command = [
        sys.executable,
        "-m",
        "benchmarks.run",
        "--worker",
        json.dumps({**spec, "out": out}),
    ]
    done = subprocess.run(command, stdout=log, stderr=log, env=_env(), cwd=ROOT)
    try:
        if done.returncode != 0:
            what = spec.get("technique") or f"{spec.get('workers')} worker(s)"
            raise RuntimeError(
                f"{spec['impl']} {what} failed (exit {done.returncode}); see the log."
            )
        result = json.loads(Path(out).read_text())
    finally:
        Path(out).unlink(missing_ok=True)
    result["load_before"] = load
    return result


def _cli(arguments: list[str], log: Any) -> None:
    """``python -m imbal_core ARGUMENTS`` in a fresh interpreter; raises if it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "imbal_core", *arguments],
        stdout=log or subprocess.DEVNULL,
        stderr=log or subprocess.PIPE,
        text=True,
        env=_env(),
        cwd=ROOT,
    )
    if done.returncode != 0:
        lines = (done.stderr or "").strip().splitlines() or ["see the log"]
        raise RuntimeError(
            f"python -m imbal_core {arguments[0]} failed (exit {done.returncode}): "
            f"{lines[-1]}"
        )


def measure_cli(
    rows: int = CLI_ROWS,
    seeds: int = CLI_SEEDS,
    epochs: int = CLI_EPOCHS,
    log: Any = None,
) -> dict[str, Any]:
    """All techniques x ``seeds`` on a ``rows``-row CSV through ``python -m imbal_core
    train``: the command's wall clock, interpreter start-up and imports included.
    The CSV is written first (``demo-data``), outside the clock."""
    with tempfile.TemporaryDirectory(prefix="imbal-bench-") as folder:
        csv, out = Path(folder) / "small.csv", Path(folder) / "results.json"
        _cli(["demo-data", "--rows", str(rows), "--out", str(csv)], log)
        train = ["train", "--data", str(csv), "--seeds", str(seeds)]
        train += ["--techniques", "all", "--epochs", str(epochs), "--out", str(out)]
        load = _load()
        started = time.perf_counter()
        _cli(train, log)
        wall_s = time.perf_counter() - started
        results = json.loads(out.read_text())["techniques"]
    return {
        "wall_s": wall_s,
        "rows": rows,
        "seeds": seeds,
        "epochs": epochs,
        "techniques": len(results),
        "failed": [n for n, r in results.items() if r.get("status") != "ok"],
        "command": f"python -m imbal_core train --data <csv> --seeds {seeds} "
        f"--techniques all --epochs {epochs} --out <json>",
        "load_before": load,
    }


def machine() -> dict[str, Any]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_gb = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        ram_gb = round(int(meminfo.read_text().split()[1]) / 1024**2, 1)
    versions = package_versions(
        "tensorflow",
        "keras",
        "numpy",
        "pandas",
        "scikit-learn",
        "imbalanced-learn",
        "scikeras",
        "streamlit",
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
    }


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def _names(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = sorted(set(names) - set(SEED_TECHNIQUES))
    if unknown or not names:
        found = f"unknown technique {unknown[0]!r}" if unknown else "no technique"
        raise SystemExit(f"error: {found}; choose from {', '.join(SEED_TECHNIQUES)}.")
    return names


def _counts(text: str) -> list[int]:
    try:
        counts = sorted({int(c) for c in text.split(",") if c.strip()})
    except ValueError:
        counts = []
    if not counts or counts[0] < 1:
        raise SystemExit(
            f"error: --workers must be worker counts >= 1 such as 1,2; got {text!r}."
        )
    return counts


def _save_partial(report: dict[str, Any], out_dir: Path) -> None:
    """What is measured so far, so an interrupted run can still be finished."""
    (out_dir / "latest.partial.json").write_text(json.dumps(report, indent=2))


def _mb(value: float | None) -> str:
    return "?" if value is None else f"{value:,.0f} MB"


def _engine_line(result: dict[str, Any]) -> str:
    mean = statistics.mean(r["pr_auc"] for r in result["techniques"].values())
    return (
        f"{result['wall_s']:.1f} s (workers up after {result['startup_s']:.1f} s), "
        f"peak {_mb(result['peak_mb'])} + workers {_mb(result['workers_peak_mb'])}, "
        f"mean PR-AUC {mean:.3f}"
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    names = _names(args.techniques)
    counts = _counts(args.workers)
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    scale_names = _names(args.scale_techniques) if args.scale_techniques else names
    real = CREDITCARD_CSV.is_file() and args.rows == FULL_ROWS and not args.demo
    data = (
        f"the real {CREDITCARD_CSV}"
        if real
        else f"make_demo(rows={args.rows:,}) (synthetic creditcard stand-in)"
    )
    out_dir = Path(args.out_dir) if args.out_dir else RESULTS
    out_dir.mkdir(parents=True, exist_ok=True)
    log_path = out_dir / "latest.log"
    report: dict[str, Any] = {
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine(),
        "data": data,
        "rows": args.rows,
        "epochs": args.epochs,
        "options": SEED_OPTIONS,
        "techniques": names,
        "workers": counts,
        "timing": "wall seconds after the heavy imports (excluded on both sides), "
        "data preparation included; the engine's also includes starting its worker "
        "processes (TensorFlow loads in each) and shutting them down",
        "memory": "VmHWM (peak resident memory, imports included) of each fresh "
        "process; the engine's worker processes' VmHWM summed apart",
        "seed": {},  # technique -> its own process's result
        "engine": {},  # worker count -> the whole comparison's result
    }
    print(
        f"Benchmark on {report['machine']['cpu']} ({report['machine']['cores']} "
        f"cores), data: {data}, {args.epochs} epochs. Log: {log_path}",
        flush=True,
    )
    with open(log_path, "w") as log:
        base = {"rows": args.rows, "epochs": args.epochs, "real": real}
        for name in [] if args.skip_seed else names:
            print(f"  seed code  {name} ...", end=" ", flush=True)
            result = measure({**base, "impl": "seed", "technique": name}, log)
            report["seed"][name] = result
            print(
                f"{result['wall_s']:.1f} s, {_mb(result['peak_mb'])}, "
                f"PR-AUC {result['pr_auc']:.3f}",
                flush=True,
            )
            _save_partial(report, out_dir)
        for count in counts:
            print(
                f"  engine     comparison, {count} worker(s) ...", end=" ", flush=True
            )
            spec = {**base, "impl": "comparison", "techniques": names, "workers": count}
            report["engine"][str(count)] = result = measure(spec, log)
            print(_engine_line(result), flush=True)
            _save_partial(report, out_dir)
        if not args.skip_extras:
            print(
                f"  CLI        all techniques x {CLI_SEEDS} seeds, "
                f"{CLI_ROWS:,}-row CSV ...",
                end=" ",
                flush=True,
            )
            report["cli_small"] = measure_cli(log=log)
            print(f"{report['cli_small']['wall_s']:.1f} s", flush=True)
            print("  cache hit  (the dashboard's RunCache) ...", end=" ", flush=True)
            spec = {**base, "impl": "cache", "technique": "undersampling"}
            report["cache"] = measure(spec, log)
            print(f"{report['cache']['repeat_s'] * 1000:.2f} ms", flush=True)
            print("  slider     (7 techniques) ...", end=" ", flush=True)
            test_rows = 56_962 if args.rows == FULL_ROWS else max(1000, args.rows // 5)
            report["slider"] = measure({"impl": "slider", "test_rows": test_rows}, log)
            print(f"{report['slider']['move_ms']:.1f} ms", flush=True)
            _save_partial(report, out_dir)
        top = counts[-1]
        report["scaling"] = {
            "techniques": scale_names,
            "workers": top,
            "data": "make_demo at rows x factor",
            "points": [],
        }
        for factor in scales:
            rows = args.rows * factor
            if factor == 1 and not real and scale_names == names:
                result = report["engine"][str(top)]  # already measured
            else:
                print(
                    f"  engine     comparison at {factor}x ({rows:,} rows) ...",
                    end=" ",
                    flush=True,
                )
                spec = {**base, "rows": rows, "real": False, "impl": "comparison"}
                spec.update(techniques=scale_names, workers=top)
                result = measure(spec, log)
                print(_engine_line(result), flush=True)
            point = {"factor": factor, "rows": rows, **result}
            report["scaling"]["points"].append(point)
            _save_partial(report, out_dir)
    return finish(report, out_dir)


def finish(report: dict[str, Any], out_dir: Path) -> dict[str, Any]:
    """Totals, then latest.json and latest.md (also for an interrupted run)."""
    report["finished_utc"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    summarise(report)
    (out_dir / "latest.json").write_text(json.dumps(report, indent=2))
    (out_dir / "latest.partial.json").unlink(missing_ok=True)
    markdown = to_markdown(report)
    (out_dir / "latest.md").write_text(markdown)
    print()
    print(markdown)
    return report


def _top(report: dict[str, Any]) -> tuple[list[int], dict[str, Any] | None]:
    """The engine's worker counts, and the comparison at the largest."""
    engine = report.get("engine", {})
    counts = sorted(int(c) for c in engine)
    return counts, engine[str(counts[-1])] if counts else None


def summarise(report: dict[str, Any]) -> None:
    """Totals and the issues' targets, each as {"target", "met"}."""
    seed = report.get("seed", {})
    counts, top = _top(report)
    total: dict[str, Any] = {}
    checks: dict[str, dict[str, Any]] = {}

    def check(key: str, target: str, met: bool) -> None:
        checks[key] = {"target": target, "met": bool(met)}

    if seed:
        total.update(
            seed_s=sum(r["wall_s"] for r in seed.values()),
            seed_peak_mb=max(r["peak_mb"] for r in seed.values()),
            seed_pr_auc_mean=statistics.mean(r["pr_auc"] for r in seed.values()),
        )
    if top:
        total.update(
            workers=counts[-1],
            engine_s=top["wall_s"],
            engine_peak_mb=top["peak_mb"],
            engine_workers_peak_mb=top["workers_peak_mb"],
            engine_pr_auc_mean=statistics.mean(
                r["pr_auc"] for r in top["techniques"].values()
            ),
        )
        if len(counts) > 1:
            fewest = report["engine"][str(counts[0])]
            total["workers_speedup"] = _ratio(fewest["wall_s"], top["wall_s"])
            check(
                "workers_speedup",
                f"≥ {TARGET_WORKERS_SPEEDUP:g}x",
                total["workers_speedup"] >= TARGET_WORKERS_SPEEDUP,
            )
    if seed and top:
        total["speedup"] = _ratio(total["seed_s"], total["engine_s"])
        check("speedup", f"≥ {TARGET_SPEEDUP:g}x", total["speedup"] >= TARGET_SPEEDUP)
        floor = total["seed_pr_auc_mean"] - TARGET_PR_AUC_DROP
        check(
            "pr_auc",
            f"≥ the seed's − {TARGET_PR_AUC_DROP:g}",
            total["engine_pr_auc_mean"] >= floor,
        )
    if "cli_small" in report:
        cli = report["cli_small"]
        met = cli["wall_s"] <= TARGET_CLI_S and not cli["failed"]
        check("cli_small", f"≤ {TARGET_CLI_S:g} s", met)
    if "cache" in report:
        met = report["cache"]["repeat_s"] < TARGET_CACHE_S
        check("cache", f"< {TARGET_CACHE_S:g} s", met)
    if "slider" in report:
        met = report["slider"]["move_ms"] < TARGET_SLIDER_MS
        check("slider", f"< {TARGET_SLIDER_MS:g} ms", met)
    report["total"], report["checks"] = total, checks


def _cell(row: dict[str, Any] | None, key: str, spec: str) -> str:
    return "–" if row is None else format(row[key], spec)


def _load_note(*results: dict[str, Any]) -> str:
    loads = sorted(r["load_before"] for r in results if "load_before" in r)
    if not loads:
        return ""
    span = (
        f"{loads[0]:.2f}"
        if loads[0] == loads[-1]
        else f"{loads[0]:.2f}–{loads[-1]:.2f}"
    )
    return f" [load before: {span}]"


def to_markdown(report: dict[str, Any]) -> str:
    m, total, checks = report["machine"], report["total"], report["checks"]
    seed = report.get("seed", {})
    counts, top = _top(report)

    def verdict(key: str) -> str:
        found = checks.get(key)
        if not found:
            return ""
        return f" (target {found['target']}: {'met' if found['met'] else 'NOT met'})"

    lines = [
        f"Measured {report['finished_utc']} on {m['cpu']}, {m['cores']} cores, "
        f"{m['ram_gb']} GB RAM; Python {m['python']}, TensorFlow "
        f"{m['versions']['tensorflow']}, Keras {m['versions']['keras']}. "
        f"Data: {report['data']}; {report['epochs']} epochs, batch 256.",
        "",
        "Seed code: each of the notebook's techniques in its own fresh process, one "
        "after another (their sum is the notebook's serial time). Engine: the same "
        "techniques as one comparison in one fresh process, through a local executor "
        "of worker processes (one TensorFlow thread each). Clocks start after the "
        "same heavy imports on both sides and include data preparation; the "
        "engine's also includes starting its workers (each loads TensorFlow), "
        "training, prediction, the dashboard's metrics and shutting the workers down. "
        "The machine may be shared, so seconds are noisy: the 1-minute load average "
        "before each measurement is in brackets (`load_before` in latest.json).",
        "",
    ]
    engine_runs = top["techniques"] if top else {}
    names = list(dict.fromkeys([*seed, *engine_runs]))
    if names:
        workers = f"{counts[-1]} workers" if top else "–"
        lines += [
            f"| Technique | Seed code (s) | Engine fit (s), concurrent ({workers}) "
            "| Seed PR-AUC | Engine PR-AUC |",
            "|---|---:|---:|---:|---:|",
        ]
        for name in names:
            s, e = seed.get(name), engine_runs.get(name)
            lines.append(
                f"| {name} | {_cell(s, 'wall_s', '.1f')} | "
                f"{_cell(e, 'fit_seconds', '.1f')} | {_cell(s, 'pr_auc', '.3f')} | "
                f"{_cell(e, 'pr_auc', '.3f')} |"
            )
        lines.append("")
    if "speedup" in total:
        lines.append(
            f"- **Total: seed code {total['seed_s']:.1f} s (sum of its processes"
            f"{_load_note(*seed.values())}) vs engine {total['engine_s']:.1f} s (the "
            f"whole comparison, {counts[-1]} workers{_load_note(top)}): "
            f"{total['speedup']:.1f}x**{verdict('speedup')}. Mean PR-AUC "
            f"{total['seed_pr_auc_mean']:.3f} (seed) vs "
            f"{total['engine_pr_auc_mean']:.3f} (engine){verdict('pr_auc')}."
        )
    elif top:
        lines.append(
            f"- Engine: the whole comparison in {total['engine_s']:.1f} s with "
            f"{counts[-1]} workers{_load_note(top)}; no seed side measured."
        )
    if top:
        walls = ", ".join(
            f"{report['engine'][str(c)]['wall_s']:.1f} s with {c} worker(s)"
            f"{_load_note(report['engine'][str(c)])}"
            for c in counts
        )
        speedup = (
            f": **{total['workers_speedup']:.2f}x** with {counts[-1]} vs {counts[0]}"
            f"{verdict('workers_speedup')}"
            if "workers_speedup" in total
            else ""
        )
        lines.append(
            f"- Workers: the whole comparison took {walls}{speedup}. Of the "
            f"{counts[-1]}-worker time, data preparation took {top['prepare_s']:.1f} s "
            f"and starting the workers (TensorFlow loaded) {top['startup_s']:.1f} s."
        )
        workers_mb = top["workers_peak_mb"]
        engine_mb = (
            f"{_mb(top['peak_mb'])} in the measuring process (it imports TensorFlow "
            f"like the seed's, unused) + {_mb(workers_mb)} in its {counts[-1]} workers "
            "(each worker's peak, summed)"
            if workers_mb is not None
            else f"{_mb(top['peak_mb'])} (the measuring process only; its workers' "
            "memory could not be read)"
        )
        seed_mb = (
            f"seed code {_mb(total['seed_peak_mb'])} (the largest of its processes); "
            if seed
            else ""
        )
        lines.append(f"- Peak memory: {seed_mb}engine {engine_mb}.")
    if "cli_small" in report:
        c = report["cli_small"]
        failed = f"; failed: {', '.join(c['failed'])}" if c["failed"] else ""
        lines.append(
            f"- Small CSV, CLI end to end: {c['techniques']} techniques x {c['seeds']} "
            f"seeds on a {c['rows']:,}-row CSV, {c['epochs']} epochs "
            f"(`{c['command']}`, wall clock including interpreter start-up): "
            f"**{c['wall_s']:.1f} s**"
            f"{verdict('cli_small')}{failed}{_load_note(c)}."
        )
    if "cache" in report:
        c = report["cache"]
        lines.append(
            f"- Same configuration trained again, a cache hit ({c['how']}, in "
            f"{c['first_s']:.1f} s): **{c['repeat_s'] * 1000:.2f} ms**"
            f"{verdict('cache')}{_load_note(c)}."
        )
    if "slider" in report:
        s = report["slider"]
        figures = ", ".join(s["figures"]) or "none"
        lines.append(
            f"- Threshold move: every metric for {s['techniques']} techniques on "
            f"{s['test_rows']:,} test rows (+ figures: {figures}): "
            f"**{s['move_ms']:.1f} ms** median{verdict('slider')}, "
            f"{s['move_max_ms']:.1f} ms worst (metrics alone "
            f"{s['metrics_only_ms']:.1f} ms; first view, curves computed once: "
            f"{s['first_ms']:.0f} ms){_load_note(s)}."
        )
    imports = [
        r["import_s"] for r in [*seed.values(), *report.get("engine", {}).values()]
    ]
    if imports:
        lines.append(
            f"- Heavy imports (excluded above): {statistics.median(imports):.1f} s "
            "per process (median)."
        )
    scaling = report.get("scaling", {})
    if scaling.get("points"):
        names = scaling["techniques"]
        lines += [
            "",
            f"Scaling (engine only, one comparison with {scaling['workers']} workers; "
            f"engine fit per technique, concurrent; {scaling['data']}):",
            "",
            "| Rows | "
            + " | ".join(names)
            + " | Comparison (s) | Peak (MB) | Load before |",
            "|---:|" + "---:|" * (len(names) + 3),
        ]
        for p in scaling["points"]:
            cells = " | ".join(
                f"{p['techniques'][n]['fit_seconds']:.1f} s" for n in names
            )
            peak = p["peak_mb"] + (p["workers_peak_mb"] or 0)
            lines.append(
                f"| {p['rows']:,} ({p['factor']}x) | {cells} | {p['wall_s']:.1f} | "
                f"{peak:,.0f} | {p['load_before']:.2f} |"
            )
        lines.append("")
        lines.append("Peak = the measuring process's plus its workers' (summed).")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--rows",
        type=int,
        default=FULL_ROWS,
        help="rows of data (default: the creditcard size)",
    )
    parser.add_argument("--epochs", type=int, default=10, help="epochs (the seed's 10)")
    parser.add_argument(
        "--techniques", default=",".join(SEED_TECHNIQUES), help="comma-separated subset"
    )
    parser.add_argument(
        "--quick", action="store_true", help="20,000 rows, 2 epochs, scaling 1x,2x"
    )
    parser.add_argument(
        "--workers",
        default="1,2",
        help="local executor worker counts for the engine's comparison, comma-separated"
        " (the speed-up uses the largest; the workers speed-up, largest vs fewest)",
    )
    parser.add_argument(
        "--scales",
        default="1,2,4",
        help="row multipliers for the engine-only scaling run, one comparison each "
        "at the largest worker count ('' to skip)",
    )
    parser.add_argument(
        "--scale-techniques",
        default=None,
        help="techniques for the scaling run (default: --techniques)",
    )
    parser.add_argument("--skip-seed", action="store_true", help="engine only")
    parser.add_argument(
        "--skip-extras",
        action="store_true",
        help="skip the small-CSV CLI, cache-hit and slider timings",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use demo data even if data/creditcard.csv exists",
    )
    parser.add_argument(
        "--out-dir",
        default=None,
        help="where latest.json/.md/.log go (default benchmarks/results)",
    )
    parser.add_argument(
        "--from-partial",
        action="store_true",
        help="finish an interrupted run: tables from <out-dir>/latest.partial.json",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(json.loads(args.worker))
        return 0
    if args.from_partial:
        out_dir = Path(args.out_dir or RESULTS)
        finish(json.loads((out_dir / "latest.partial.json").read_text()), out_dir)
        return 0
    if args.quick:
        args.rows, args.epochs = (
            (20_000 if args.rows == FULL_ROWS else args.rows),
            (2 if args.epochs == 10 else args.epochs),
        )
        args.scales = "1,2" if args.scales == "1,2,4" else args.scales
    if args.rows < 2000 or args.epochs < 1:
        raise SystemExit("error: --rows must be at least 2000 and --epochs at least 1.")
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
