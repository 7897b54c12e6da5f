"""Benchmark: reading a comparison back from the run store instead of training it.

``python -m benchmarks.store`` trains the seed's seven techniques once on the
full-size demo data (one seed, 1 epoch: what is read back does not depend on how
long it trained) through ``python -m imbal_core train --store S``, then, in a
fresh interpreter with the data prepared outside the clock, times

- ``run_comparison`` of the same plan with a new ``RunStore(S)``: every run read
  from disk (index, ``.npy`` files, checksums), no worker started;
- ``History.open``: the kept comparison file, checked like any saved file (its
  PR-AUCs recomputed from its probabilities);
- the second ``train`` command's whole wall clock (data generation included).

Outputs: a table on stdout and ``benchmarks/results/store.json``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import harness

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_SECONDS = 1.0

_READ_BACK = """
import json, sys, time
from imbal_core import techniques
from imbal_core.data import load_source
from imbal_core.execution import plan_runs, run_comparison
from imbal_core.store import RunStore
rows, root = int(sys.argv[1]), sys.argv[2]
dataset = load_source("demo", rows=rows)
plan = plan_runs(list(techniques.DEFAULT), {"epochs": 1}, [42])
started = time.perf_counter()
store = RunStore(root)
comparison = run_comparison(dataset, plan, cache=store)
runs_s = time.perf_counter() - started
assert store.trained == 0 and all(comparison.ok_runs(n) for n in comparison.runs)
[entry] = store.history.entries()
started = time.perf_counter()
store.history.open(entry["id"])
open_s = time.perf_counter() - started
print(json.dumps({"runs_s": runs_s, "open_s": open_s, "bytes": store.usage()["bytes"]}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=284_807)
    parser.add_argument("--settle", type=float, default=300.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="imbal-store-") as folder:
        root, out = Path(folder) / "store", Path(folder) / "results.json"
        train = ["train", "--data", "demo", "--rows", str(args.rows), "--epochs", "1"]
        train += ["--store", str(root), "--out", str(out)]
        harness.cli(train, None)
        load = harness.settled_load(args.settle)
        done = subprocess.run(
            [sys.executable, "-c", _READ_BACK, str(args.rows), str(root)],
            capture_output=True,
            text=True,
            env=harness.env(),
            cwd=harness.ROOT,
            check=True,
        )
        found = json.loads(done.stdout.strip().splitlines()[-1])
        started = time.perf_counter()
        harness.cli(train, None)
        found["cli_wall_s"] = time.perf_counter() - started
    found = {
        "rows": args.rows,
        "techniques": 7,
        **{k: round(v, 3) if isinstance(v, float) else v for k, v in found.items()},
        "target_s": TARGET_SECONDS,
        "load_before": load,
        "load_after": harness.load_average(),
        "machine": harness.machine(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "store.json").write_text(json.dumps(found, indent=2) + "\n")
    print(
        f"7 runs read back from the store: {found['runs_s']:.3f} s "
        f"(target < {TARGET_SECONDS:g} s); the History's file opened and checked: "
        f"{found['open_s']:.3f} s; the whole second `train` (data generation "
        f"included): {found['cli_wall_s']:.1f} s; store {found['bytes'] / 2**20:.1f} MB; "
        f"load {load} before, {found['load_after']} after"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
