"""Benchmark: the seed notebook's code against our engine, on the same machine and data.

Run ``python -m benchmarks.run`` (full size: 284,807 rows, 10 epochs; many minutes on
2 cores) or ``python -m benchmarks.run --quick`` (20,000 rows, 2 epochs).

Every (implementation, technique) runs in a fresh subprocess, one after the other,
so neither memory nor TensorFlow state leaks from one into another. In each
subprocess the clock starts **after** the heavy imports (TensorFlow, Keras, sklearn,
imbalanced-learn, pandas: ~10 s, excluded from both sides and reported apart) and
covers data preparation (generating or reading the frame, scaling, splitting),
resampling, training, prediction and the metrics each side computes. Peak memory is
the subprocess's own ``VmHWM`` (resident high-water mark, imports included) read
from ``/proc/self/status`` at its end. PR-AUC is sklearn's average precision, each
side on its own test split (the seed's unstratified one; our stratified one).

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
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.seed_reference import TECHNIQUES as SEED_TECHNIQUES

FULL_ROWS = 284_807
SEED_OPTIONS = {
    "batch_size": 256,
    "gamma": 2.0,
    "alpha": 0.25,
    "k_neighbors": 5,
    "n_estimators": 10,
}
CREDITCARD_CSV = Path("data/creditcard.csv")
RESULTS = Path(__file__).resolve().parent / "results"
# Targets of issue #4.
TARGET_SPEEDUP, TARGET_PR_AUC_DROP, TARGET_CACHE_S, TARGET_SLIDER_MS = (
    2.5,
    0.03,
    1.0,
    150.0,
)


# ------------------------------------------------------------------ worker side
def _peak_rss_mb() -> float:
    """This process's resident-memory high-water mark (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource  # not Linux: ru_maxrss is in KB there too on Linux, bytes on macOS

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _frame(rows: int, real: bool) -> Any:
    """The data both sides start from: the real file when asked, else the demo stand-in."""
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


def _run_engine(spec: dict[str, Any]) -> dict[str, Any]:
    from sklearn.metrics import average_precision_score

    from imbal_core.results import technique_summary
    from imbal_core.training import run_comparison

    dataset = _engine_dataset(spec)
    name = spec["technique"]
    comparison = run_comparison(
        dataset, [name], {"epochs": spec["epochs"], **SEED_OPTIONS}
    )
    technique_summary(comparison, name, 0.5)  # the metrics the dashboard shows
    run = comparison.runs[name][0]
    if not run.ok:
        raise RuntimeError(f"{name} failed in the engine: {run.error}")
    return {
        "pr_auc": float(average_precision_score(run.y_test, run.proba_test)),
        "test_rows": len(run.y_test),
        "fit_seconds": run.fit_seconds,
    }


def _run_cache(spec: dict[str, Any]) -> dict[str, Any]:
    """A configuration trained again through the dashboard's cache: the second call's time."""
    import logging

    logging.getLogger("streamlit").setLevel(
        logging.ERROR
    )  # "no script run context" notices
    trainer, how = _dashboard_trainer()
    dataset = _engine_dataset(spec)
    params = {"epochs": spec["epochs"], "batch_size": SEED_OPTIONS["batch_size"]}
    started = time.perf_counter()
    trainer(dataset, spec["technique"], params, 42)
    first = time.perf_counter() - started
    repeats = []
    for _ in range(3):
        started = time.perf_counter()
        trainer(dataset, spec["technique"], params, 42)
        repeats.append(time.perf_counter() - started)
    return {"first_s": first, "repeat_s": statistics.median(repeats), "how": how}


def _dashboard_trainer() -> tuple[Any, str]:
    """The dashboard's own cached trainer (``ui.train``), else the same st.cache_resource here."""
    try:
        import ui  # the dashboard's shared Streamlit glue (root module)

        if callable(getattr(ui, "train", None)):
            return (
                lambda dataset, technique, params, seed: ui.train(
                    dataset, technique, params, seed
                )[0],
                "ui.train, the dashboard's st.cache_resource-backed trainer",
            )
    except Exception:  # no ui.py, or it cannot be imported outside a Streamlit app
        pass
    import streamlit as st

    from imbal_core.training import train_one

    @st.cache_resource(show_spinner=False)
    def cached_train_one(
        fingerprint: str, technique: str, params_key: tuple, seed: int, _dataset: Any
    ) -> Any:
        return train_one(_dataset, technique, dict(params_key), seed)

    def trainer(dataset: Any, technique: str, params: dict, seed: int) -> Any:
        return cached_train_one(
            dataset.fingerprint, technique, tuple(sorted(params.items())), seed, dataset
        )

    return (
        trainer,
        "the benchmark's own st.cache_resource around training.train_one (keyed like ui.py)",
    )


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
    """The public figure functions of ``imbal_core.figures`` that take (techniques, threshold)."""
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
    """Run one measurement in this (fresh) process and write its JSON to ``spec['out']``."""
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
        "engine": _run_engine,
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
def measure(spec: dict[str, Any], log: Any) -> dict[str, Any]:
    """Run ``spec`` in a fresh interpreter; its Keras chatter goes to ``log``."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    load = os.getloadavg()[0]
    command = [
        sys.executable,
        "-m",
        "benchmarks.run",
        "--worker",
        json.dumps({**spec, "out": out}),
    ]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        command,
        stdout=log,
        stderr=log,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        if done.returncode != 0:
            raise RuntimeError(
                f"{spec['impl']} {spec.get('technique', '')} failed (exit {done.returncode}); see the log."
            )
        result = json.loads(Path(out).read_text())
    finally:
        Path(out).unlink(missing_ok=True)
    result["load_before"] = round(load, 2)
    return result


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
    versions = {}
    for package in (
        "tensorflow",
        "keras",
        "numpy",
        "pandas",
        "scikit-learn",
        "imbalanced-learn",
        "scikeras",
        "streamlit",
    ):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
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


def run(args: argparse.Namespace) -> dict[str, Any]:
    names = [n.strip() for n in args.techniques.split(",") if n.strip()]
    unknown = sorted(set(names) - set(SEED_TECHNIQUES))
    if unknown:
        raise SystemExit(
            f"error: unknown technique {unknown[0]!r}; choose from {', '.join(SEED_TECHNIQUES)}."
        )
    real = CREDITCARD_CSV.is_file() and args.rows == FULL_ROWS and not args.demo
    data = (
        f"the real {CREDITCARD_CSV}"
        if real
        else f"make_demo(rows={args.rows:,}) (synthetic creditcard stand-in)"
    )
    RESULTS.mkdir(parents=True, exist_ok=True) if args.out_dir is None else None
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
        "timing": "wall seconds after the heavy imports (excluded on both sides), data preparation included",
        "memory": "VmHWM (peak resident memory) of a fresh process per (implementation, technique), imports included",
        "techniques": {},
    }
    print(
        f"Benchmark on {report['machine']['cpu']} ({report['machine']['cores']} cores), data: {data}, "
        f"{args.epochs} epochs. Log: {log_path}",
        flush=True,
    )
    with open(log_path, "w") as log:
        base = {"rows": args.rows, "epochs": args.epochs, "real": real}
        for (
            name
        ) in names:  # seed then engine per technique: machine noise hits both alike
            row = {}
            for impl in ("seed", "engine"):
                if impl == "seed" and args.skip_seed:
                    continue
                print(f"  {impl:6s} {name} ...", end=" ", flush=True)
                row[impl] = measure({**base, "impl": impl, "technique": name}, log)
                print(
                    f"{row[impl]['wall_s']:.1f} s, {row[impl]['peak_mb']:.0f} MB, PR-AUC {row[impl]['pr_auc']:.3f}",
                    flush=True,
                )
            report["techniques"][name] = row
            (out_dir / "latest.partial.json").write_text(
                json.dumps(report, indent=2)
            )  # survives an interrupted run
        if not args.skip_extras:
            print(
                "  cache hit (second identical training through st.cache_resource) ...",
                end=" ",
                flush=True,
            )
            report["cache"] = measure(
                {**base, "impl": "cache", "technique": "undersampling"}, log
            )
            print(f"{report['cache']['repeat_s'] * 1000:.1f} ms", flush=True)
            print("  threshold slider (7 techniques) ...", end=" ", flush=True)
            test_rows = 56_962 if args.rows == FULL_ROWS else max(1000, args.rows // 5)
            report["slider"] = measure({"impl": "slider", "test_rows": test_rows}, log)
            print(f"{report['slider']['move_ms']:.1f} ms", flush=True)
            (out_dir / "latest.partial.json").write_text(json.dumps(report, indent=2))
        scales = (
            [int(s) for s in args.scales.split(",") if s.strip()] if args.scales else []
        )
        scale_names = [
            n.strip()
            for n in (args.scale_techniques or ",".join(names)).split(",")
            if n.strip()
        ]
        report["scaling"] = {
            "techniques": scale_names,
            "data": "make_demo at rows x factor",
            "points": [],
        }
        for factor in scales:
            rows = args.rows * factor
            point = {"factor": factor, "rows": rows, "techniques": {}}
            for name in scale_names:
                if factor == 1 and name in report["techniques"] and not real:
                    point["techniques"][name] = report["techniques"][name][
                        "engine"
                    ]  # already measured
                    continue
                print(
                    f"  engine {name} at {factor}x ({rows:,} rows) ...",
                    end=" ",
                    flush=True,
                )
                result = measure(
                    {
                        "rows": rows,
                        "epochs": args.epochs,
                        "real": False,
                        "impl": "engine",
                        "technique": name,
                    },
                    log,
                )
                point["techniques"][name] = result
                print(
                    f"{result['wall_s']:.1f} s, {result['peak_mb']:.0f} MB", flush=True
                )
            point["wall_s"] = sum(r["wall_s"] for r in point["techniques"].values())
            point["peak_mb"] = max(r["peak_mb"] for r in point["techniques"].values())
            report["scaling"]["points"].append(point)
            (out_dir / "latest.partial.json").write_text(json.dumps(report, indent=2))
    return finish(report, out_dir)


def finish(report: dict[str, Any], out_dir: Path) -> dict[str, Any]:
    """Totals, then latest.json and latest.md (also for an interrupted run's partial report)."""
    report["finished_utc"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    summarise(report)
    (out_dir / "latest.json").write_text(json.dumps(report, indent=2))
    (out_dir / "latest.partial.json").unlink(missing_ok=True)
    markdown = to_markdown(report)
    (out_dir / "latest.md").write_text(markdown)
    print()
    print(markdown)
    return report


def summarise(report: dict[str, Any]) -> None:
    """Totals and the issue's pass/fail lines."""
    rows = report["techniques"]
    both = [r for r in rows.values() if "seed" in r and "engine" in r]
    total: dict[str, Any] = {
        "engine_s": sum(r["engine"]["wall_s"] for r in rows.values()),
        "engine_peak_mb": max(r["engine"]["peak_mb"] for r in rows.values()),
        "engine_pr_auc_mean": statistics.mean(
            r["engine"]["pr_auc"] for r in rows.values()
        ),
    }
    checks = {}
    if both:
        total.update(
            seed_s=sum(r["seed"]["wall_s"] for r in both),
            seed_peak_mb=max(r["seed"]["peak_mb"] for r in both),
            seed_pr_auc_mean=statistics.mean(r["seed"]["pr_auc"] for r in both),
        )
        engine_s = sum(r["engine"]["wall_s"] for r in both)
        total["speedup"] = _ratio(total["seed_s"], engine_s)
        engine_pr = statistics.mean(r["engine"]["pr_auc"] for r in both)
        checks["speed-up >= 2.5x"] = total["speedup"] >= TARGET_SPEEDUP
        checks["mean PR-AUC within 0.03 of the seed's"] = (
            engine_pr >= total["seed_pr_auc_mean"] - TARGET_PR_AUC_DROP
        )
        checks["peak memory <= the seed's"] = (
            total["engine_peak_mb"] <= total["seed_peak_mb"]
        )
    if "cache" in report:
        checks["repeat training (cache hit) < 1 s"] = (
            report["cache"]["repeat_s"] < TARGET_CACHE_S
        )
    if "slider" in report:
        checks["threshold move, 7 techniques < 150 ms"] = (
            report["slider"]["move_ms"] < TARGET_SLIDER_MS
        )
    report["total"], report["checks"] = total, checks


def to_markdown(report: dict[str, Any]) -> str:
    m, total = report["machine"], report["total"]
    lines = [
        f"Measured {report['finished_utc']} on {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; "
        f"Python {m['python']}, TensorFlow {m['versions']['tensorflow']}, Keras {m['versions']['keras']}. "
        f"Data: {report['data']}; {report['epochs']} epochs, batch 256. Wall time excludes the TensorFlow "
        "import on both sides and includes data preparation; memory is each fresh process's peak RSS. "
        "The machine is shared, so seconds are noisy (load average before each run is in latest.json).",
        "",
        "| Technique | Seed code (s) | Engine (s) | Speed-up | Seed peak (MB) | Engine peak (MB) | Seed PR-AUC | Engine PR-AUC |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in report["techniques"].items():
        seed, engine = row.get("seed"), row["engine"]
        if seed:
            lines.append(
                f"| {name} | {seed['wall_s']:.1f} | {engine['wall_s']:.1f} | {_ratio(seed['wall_s'], engine['wall_s']):.1f}x | "
                f"{seed['peak_mb']:.0f} | {engine['peak_mb']:.0f} | {seed['pr_auc']:.3f} | {engine['pr_auc']:.3f} |"
            )
        else:
            lines.append(
                f"| {name} | – | {engine['wall_s']:.1f} | – | – | {engine['peak_mb']:.0f} | – | {engine['pr_auc']:.3f} |"
            )
    if "seed_s" in total:
        lines.append(
            f"| **total** (peak = max, PR-AUC = mean) | **{total['seed_s']:.1f}** | **{total['engine_s']:.1f}** | "
            f"**{total['speedup']:.1f}x** | {total['seed_peak_mb']:.0f} | {total['engine_peak_mb']:.0f} | "
            f"{total['seed_pr_auc_mean']:.3f} | {total['engine_pr_auc_mean']:.3f} |"
        )
    lines.append("")
    if "cache" in report:
        c = report["cache"]
        lines.append(
            f"- Same configuration trained again (cache hit): **{c['repeat_s'] * 1000:.1f} ms** "
            f"(first training {c['first_s']:.1f} s; via {c['how']})."
        )
    if "slider" in report:
        s = report["slider"]
        figures = ", ".join(s["figures"]) or "none"
        lines.append(
            f"- Threshold move: every metric for {s['techniques']} techniques on {s['test_rows']:,} test rows "
            f"(+ figures: {figures}): **{s['move_ms']:.1f} ms** median, {s['move_max_ms']:.1f} ms worst "
            f"(metrics alone {s['metrics_only_ms']:.1f} ms; first view, curves computed once: {s['first_ms']:.0f} ms)."
        )
    imports = [
        r[i]["import_s"]
        for r in report["techniques"].values()
        for i in ("seed", "engine")
        if i in r
    ]
    if imports:
        lines.append(
            f"- Heavy imports (excluded above): {statistics.median(imports):.1f} s per process (median)."
        )
    if report["checks"]:
        lines.append(
            "- Targets: "
            + "; ".join(
                f"{k}: {'met' if ok else 'NOT met'}"
                for k, ok in report["checks"].items()
            )
            + "."
        )
    scaling = report.get("scaling", {})
    if scaling.get("points"):
        lines += [
            "",
            f"Scaling (engine only; techniques: {', '.join(scaling['techniques'])}; {scaling['data']}):",
            "",
            "| Rows | "
            + " | ".join(scaling["techniques"])
            + " | Total (s) | Peak (MB) |",
            "|---:|" + "---:|" * (len(scaling["techniques"]) + 2),
        ]
        for p in scaling["points"]:
            cells = " | ".join(
                f"{p['techniques'][n]['wall_s']:.1f} s" for n in scaling["techniques"]
            )
            lines.append(
                f"| {p['rows']:,} ({p['factor']}x) | {cells} | {p['wall_s']:.1f} | {p['peak_mb']:.0f} |"
            )
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
        "--scales",
        default="1,2,4",
        help="row multipliers for the engine-only scaling run ('' to skip)",
    )
    parser.add_argument(
        "--scale-techniques",
        default=None,
        help="techniques for the scaling run (default: all)",
    )
    parser.add_argument("--skip-seed", action="store_true", help="engine only")
    parser.add_argument(
        "--skip-extras",
        action="store_true",
        help="skip the cache-hit and slider timings",
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
        finish(
            json.loads(
                (Path(args.out_dir or RESULTS) / "latest.partial.json").read_text()
            ),
            Path(args.out_dir or RESULTS),
        )
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
