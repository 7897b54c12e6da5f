"""Benchmark: the seed's six techniques x 5 folds on packaged KEEL data sets.

``python -m benchmarks.keel [--datasets 20] [--max-size 1500]`` runs, each through
``python -m imbal_core benchmark`` in a fresh interpreter (the seed's MLP, its
defaults: 10 epochs, batch 256):

1. the benchmark on the local pool (2 workers here), with a fresh run store:
   wall time and runs per minute, the load average before and after;
2. the same benchmark on Ray (a local Ray, no store): every run's test
   probabilities must equal the local run's exactly;
3. the same benchmark killed (SIGKILL) once half its runs are done, then started
   again with the same arguments on the same store: how many runs the second
   start read from the store and trained, and equality with run 1.

Outputs: the figures on stdout and in ``benchmarks/results/keel.json``, and the
local run's benchmark file ``benchmarks/results/keel/local.zip`` (the report and
the Benchmark page open it).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks import harness

RESULTS = Path(__file__).resolve().parent / "results"
TECHNIQUES = "baseline,undersampling,oversampling,smote,balanced_bagging,focal_loss"
PROGRESS = re.compile(r"^\[(\d+)/(\d+)")


def command(args: argparse.Namespace, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "imbal_core", "benchmark", "--suite", "keel",
        "--max-size", str(args.max_size), "--limit", str(args.datasets),
        "--techniques", TECHNIQUES, "--cv", "5", "--out", str(out), *extra,
    ]  # fmt: skip


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        cmd, cwd=harness.ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started, done.stderr


def killed_half_way(cmd: list[str], env: dict[str, str]) -> int:
    """Start ``cmd``, SIGKILL its process group once half its runs are done; the
    number of runs it had reported done."""
    process = subprocess.Popen(
        cmd, cwd=harness.ROOT, env=env, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    done = 0
    for line in process.stderr:
        found = PROGRESS.match(line)
        if found:
            done, total = int(found[1]), int(found[2])
            if done >= total // 2:
                break
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return done


def probabilities(path: Path) -> dict[tuple, np.ndarray]:
    from imbal_core.benchmark import load_benchmark

    found = load_benchmark(path)
    return {
        (data, name, run.split, run.seed): run.proba_test
        for data, comparison in found.comparisons.items()
        for name, runs in comparison.runs.items()
        for run in runs
        if run.ok
    }


def same(a: Path, b: Path) -> bool:
    left, right = probabilities(a), probabilities(b)
    return left.keys() == right.keys() and all(
        np.array_equal(left[k], right[k]) for k in left
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=20)
    parser.add_argument("--max-size", type=int, default=1500)
    parser.add_argument("--settle", type=float, default=300.0)
    args = parser.parse_args()
    out = RESULTS / "keel"
    out.mkdir(parents=True, exist_ok=True)
    env = {**harness.env()}
    env.pop("IMBAL_STORE")
    found: dict = {"machine": harness.machine()}

    with tempfile.TemporaryDirectory() as store:
        load = harness.settled_load(args.settle)
        seconds, log = timed(
            command(args, out / "local.zip", "--store", f"{store}/a"), env
        )
        runs = _total(log)
        found["local"] = {
            "seconds": round(seconds, 1),
            "runs": runs,
            "runs_per_minute": round(runs / seconds * 60, 1),
            "load_before": load,
            "load_after": harness.load_average(),
            "summary": log[log.rfind("Ranks by") :].strip(),
        }
        load = harness.settled_load(args.settle)
        seconds, _ = timed(
            command(args, out / "ray.zip", "--executor", "ray", "--no-store"), env
        )
        found["ray"] = {
            "seconds": round(seconds, 1),
            "load_before": load,
            "equal_to_local": same(out / "local.zip", out / "ray.zip"),
        }
        cmd = command(args, out / "resumed.zip", "--store", f"{store}/b")
        reported = killed_half_way(cmd, env)
        seconds, log = timed(cmd, env)
        cached = sum(int(n) for n in re.findall(r"(\d+) of \d+ run\(s\) from", log))
        found["resume"] = {
            "done_when_killed": reported,
            "read_from_store": cached,
            "trained_after_restart": runs - cached,
            "seconds_after_restart": round(seconds, 1),
            "equal_to_local": same(out / "local.zip", out / "resumed.zip"),
        }
    for copy in ("ray.zip", "resumed.zip"):  # equal to local.zip: not kept twice
        (out / copy).unlink()
    (RESULTS / "keel.json").write_text(json.dumps(found, indent=1))
    print(json.dumps({k: v for k, v in found.items() if k != "machine"}, indent=1))


def _total(log: str) -> int:
    return int(re.findall(r"^\[\d+/(\d+)", log, flags=re.MULTILINE)[-1])


if __name__ == "__main__":
    main()
