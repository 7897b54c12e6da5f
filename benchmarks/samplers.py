"""Benchmark: each sampler's resampling time on the demo data's training split.

``python -m benchmarks.samplers`` (full size: 284,807 rows) or ``--rows 20000``.
Each sampler resamples in a fresh interpreter, alone on the machine (after the load
average settles below 1, for at most ``--settle`` seconds), and is stopped at ``--cap``
seconds: the quadratic ones would take many minutes at full size, which is what the
cost guard warns of before training. A sampler stopped there is measured again with
the ``max_rows`` the cost guard suggests (stopped at the warning's 300 s). The table gives the measured time (or
"> cap"), the cost guard's estimate, the rows after, and the capped time.

Outputs: a table on stdout, ``benchmarks/results/samplers.json`` and ``samplers.md``
(``--merge --only a,b`` re-measures those samplers and keeps the other rows).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import harness
from benchmarks.measure import FULL_ROWS

RESULTS = Path(__file__).resolve().parent / "results"
ONE = """
import json, sys, time
from imbal_core import data, techniques
name, rows, out, cap = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
dataset = data.load_source("demo", rows=rows)
part = techniques.PARTS[name]
options = {"max_rows": cap} if cap else {}
started = time.perf_counter()
t = techniques.create(name, seed=42, **options)
X, y = part.resample(t, dataset.X_train, dataset.y_train)
seconds = time.perf_counter() - started
before = [int((dataset.y_train == 0).sum()), int(dataset.y_train.sum())]
json.dump({"seconds": seconds, "train_rows": len(dataset.y_train), "before": before,
           "after": [int((y == 0).sum()), int(y.sum())]}, open(out, "w"))
"""


def measure(
    name: str, rows: int, cap: float, settle: float, max_rows: int = 0
) -> dict[str, Any]:
    load = harness.settled_load(settle)
    with tempfile.TemporaryDirectory(prefix="imbal-sampler-") as folder:
        out = Path(folder) / "result.json"
        command = [sys.executable, "-c", ONE, name, str(rows), str(out), str(max_rows)]
        started = time.perf_counter()
        try:
            done = subprocess.run(
                command,
                cwd=harness.ROOT,
                env=harness.env(),
                capture_output=True,
                text=True,
                timeout=cap + 60,  # data preparation is outside the sampler's clock
            )
        except subprocess.TimeoutExpired:
            done = None
        wall = time.perf_counter() - started
        if done is not None and done.returncode == 0:
            result = json.loads(out.read_text())
        elif done is None or wall >= cap:
            result = {"seconds": None, "over": cap}
        else:
            lines = done.stderr.strip().splitlines() or ["no output"]
            result = {"seconds": None, "error": lines[-1]}
    if result.get("seconds") is not None and result["seconds"] > cap:
        result = {**result, "seconds": None, "over": cap}
    return {**result, "load_before": load}


def to_markdown(report: dict[str, Any]) -> str:
    from imbal_core import techniques

    lines = [
        f"Resampling the training split of {report['rows']:,} demo rows "
        f"({report['train_rows']:,} training rows), one sampler at a time, each in a "
        f"fresh process, stopped at {report['cap']:.0f} s. Machine: {report['machine']}.",
        "",
        "| sampler | kind | measured | cost guard's estimate | rows after (neg / pos) "
        "| with the suggested max_rows | load before |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, found in report["samplers"].items():
        part = techniques.PARTS[name]
        if found.get("seconds") is not None and "over" not in found:
            measured = f"{found['seconds']:.2f} s"
            after = "{:,} / {:,}".format(*found["after"])
        elif "error" in found:
            measured, after = f"failed: {found['error'][:60]}", "–"
        else:
            measured, after = f"> {found['over']:.0f} s", "–"
        estimate = part.estimated_seconds(report["train_rows"])
        capped = found.get("capped")
        with_cap = (
            "–"
            if capped is None
            else f"{_shown(capped)} at max_rows={capped['max_rows']:,}"
        )
        lines.append(
            f"| {part.label} | {part.group} | {measured} | {estimate:,.2f} s | {after} "
            f"| {with_cap} | {found['load_before']:.2f} |"
        )
    return "\n".join(lines) + "\n"


def _shown(found: dict[str, Any]) -> str:
    if found.get("seconds") is not None:
        return f"{found['seconds']:.2f} s"
    return (
        f"failed: {found['error'][:60]}"
        if "error" in found
        else f"> {found['over']:.0f} s"
    )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    from imbal_core import techniques

    parser = argparse.ArgumentParser(prog="python -m benchmarks.samplers")
    parser.add_argument("--rows", type=int, default=FULL_ROWS)
    parser.add_argument("--cap", type=float, default=120.0, help="seconds per sampler")
    parser.add_argument("--settle", type=float, default=300.0)
    parser.add_argument("--only", default="", help="comma-separated sampler names")
    parser.add_argument("--out-dir", type=Path, default=RESULTS)
    parser.add_argument(
        "--merge",
        action="store_true",
        help="update only these samplers' rows of the existing samplers.json",
    )
    args = parser.parse_args(argv)
    names = [n for n, p in techniques.PARTS.items() if p.role == "sampler"]
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
    report: dict[str, Any] = {
        "rows": args.rows,
        "cap": args.cap,
        "machine": "{cpu}, {cores} cores, {ram_gb} GB RAM".format(**harness.machine()),
        "samplers": {},
    }
    earlier = args.out_dir / "samplers.json"
    if args.merge and earlier.exists():
        kept = json.loads(earlier.read_text())
        if (kept["rows"], kept["cap"]) != (args.rows, args.cap):
            parser.error("--merge needs the earlier run's --rows and --cap")
        report = {**kept, "machine": report["machine"]}
    for name in names:
        found = measure(name, args.rows, args.cap, args.settle)
        suggested = techniques.suggested_max_rows(
            techniques.PARTS[name], report.get("train_rows") or args.rows
        )
        if "over" in found and suggested:
            # Stopped at the warning's limit: the suggestion promises no more.
            limit = techniques.COST_WARNING_SECONDS
            capped = measure(name, args.rows, limit, args.settle, suggested)
            found["capped"] = {**capped, "max_rows": suggested}
        report["samplers"][name] = found
        report.setdefault("train_rows", found.get("train_rows"))
        shown = found.get("seconds")
        print(f"{name}: {shown:.2f} s" if shown else f"{name}: {found}", flush=True)
    if report.get("train_rows") is None:  # every sampler stopped: the split's size
        from imbal_core import data

        report["train_rows"] = len(data.load_source("demo", rows=args.rows).y_train)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "samplers.json").write_text(json.dumps(report, indent=2))
    (args.out_dir / "samplers.md").write_text(to_markdown(report))
    print(to_markdown(report))
    return report


if __name__ == "__main__":
    main()
