"""Benchmark: is deep learning worth it here? The seed's MLP beside the reference
models on the full-size demo data, at the seed's settings.

``python -m benchmarks.models`` trains baseline, class weights and SMOTE on the
MLP, logistic regression and LightGBM (one seed, 42; 10 epochs, batch 256 for the
network) through ``python -m imbal_core train`` in a fresh interpreter, after the
load average settles below 1 (at most ``--settle`` seconds). Each run's fit time
is measured in its worker (one core each); the test PR-AUC's 95 % interval is a
bootstrap over the test rows (one seed).

Outputs: a table on stdout, ``benchmarks/results/models.json`` and ``models.md``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from benchmarks import harness
from imbal_core import models

MODELS, TECHNIQUES = "mlp,logistic,lightgbm", "baseline,class_weight,smote"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=284_807)
    parser.add_argument("--settle", type=float, default=300.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="imbal-models-") as folder:
        out = Path(folder) / "results.json"
        load = harness.settled_load(args.settle)
        started = time.perf_counter()
        harness.cli(
            ["train", "--data", "demo", "--rows", str(args.rows)]
            + ["--models", MODELS, "--techniques", TECHNIQUES, "--out", str(out)],
            None,
        )
        wall = time.perf_counter() - started
        results = json.loads(out.read_text())
    rows = [
        {
            "label": s["label"],
            "model": s.get("model", "mlp"),
            "fit_seconds": round(s["fit_seconds"], 1),
            "pr_auc": round(s["pr_auc"], 3),
            "pr_auc_ci95": [round(v, 3) for v in s["pr_auc_ci95"]],
            "validation_pr_auc": round(s["validation"]["pr_auc"], 3),
        }
        for s in results["techniques"].values()
        if s["status"] == "ok"
    ]
    found = {
        "rows": args.rows,
        "train_rows": results["dataset"].get("train_rows"),
        "wall_s": round(wall, 1),
        "load_before": load,
        "load_after": harness.load_average(),
        "machine": harness.machine(),
        "runs": rows,
        "network_vs_reference": results.get("network_vs_reference"),
    }
    harness.write_results(None, "models", found, markdown(found))
    return 0


def markdown(found: dict) -> str:
    lines = [
        "| Model | Technique | Fit time (s) | Test PR-AUC (95 % interval over test rows) |",
        "|---|---|---:|---:|",
    ]
    for row in found["runs"]:
        low, high = row["pr_auc_ci95"]
        model = models.label(row["model"])
        technique = row["label"].removeprefix(f"{model} · ")
        lines.append(
            f"| {model} | {technique} | {row['fit_seconds']:.1f} | "
            f"{row['pr_auc']:.3f} ({low:.3f}–{high:.3f}) |"
        )
    lines.append(
        f"\n{found['rows']:,} rows ({found['train_rows']:,} training), one seed, "
        f"{found['wall_s']:.0f} s wall for all {len(found['runs'])} runs on 2 workers; "
        f"load average {found['load_before']} before, {found['load_after']} after."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
