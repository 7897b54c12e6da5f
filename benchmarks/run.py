"""Benchmark: the seed notebook's code against our engine, on the same machine and data.

Run ``python -m benchmarks.run`` (full size: 284,807 rows, 10 epochs; many minutes on
2 cores) or ``python -m benchmarks.run --quick`` (20,000 rows, 2 epochs).

- **Seed side**: each of the notebook's six techniques in its own process; their sum
  is the notebook's serial time.
- **Engine side**: the same techniques as *one* comparison through the engine's
  pipeline on a local executor, once per ``--workers`` count. The speed-up is the
  seed's sum over the comparison's wall time at the largest worker count; the
  workers speed-up compares the largest count with the smallest.
- **Extras** (``--skip-extras`` skips them): ``python -m imbal_core train`` on a
  small CSV end to end; a repeat answered by the run cache; a threshold move.
  ``--scales`` times the engine's comparison on more rows.
- **Training step** (``--step-repeats``, :mod:`benchmarks.step`): ms per step of a
  warm network beside its matrix multiplies' bound, on the training split's rows.
- **PR-AUC over seeds** (``--quality-seeds``, :mod:`benchmarks.quality`): both sides
  again at more training seeds, untimed, last; the PR-AUC target is judged on them.

What each measures is in :mod:`benchmarks.measure`, how it runs in
:mod:`benchmarks.harness`, the figures and the README table in
:mod:`benchmarks.report`. Outputs: a table on stdout,
``benchmarks/results/latest.json`` and ``benchmarks/results/latest.md``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import harness, quality
from benchmarks import report as report_
from benchmarks.harness import CLI_ROWS, CLI_SEEDS
from benchmarks.measure import CREDITCARD_CSV, FULL_ROWS, SEED_OPTIONS
from benchmarks.report import mb
from benchmarks.seed_reference import TECHNIQUES as SEED_TECHNIQUES

RESULTS = Path(__file__).resolve().parent / "results"
STEP_ROWS = 182_000  # the full-size data's training split (64 %), as benchmarks.step


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


def _engine_line(result: dict[str, Any]) -> str:
    mean = statistics.mean(r["pr_auc"] for r in result["techniques"].values())
    return (
        f"{result['wall_s']:.1f} s (workers up after {result['ready_s']:.1f} s), "
        f"peak {mb(result['peak_mb'])} + workers {mb(result['workers_peak_mb'])}, "
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
        "machine": harness.machine(),
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
            result = harness.measure(
                {**base, "impl": "seed", "technique": name}, log, args.settle
            )
            report["seed"][name] = result
            print(
                f"{result['wall_s']:.1f} s, {mb(result['peak_mb'])}, "
                f"PR-AUC {result['pr_auc']:.3f}",
                flush=True,
            )
            _save_partial(report, out_dir)
        for count in counts:
            print(
                f"  engine     comparison, {count} worker(s) ...", end=" ", flush=True
            )
            spec = {**base, "impl": "comparison", "techniques": names, "workers": count}
            report["engine"][str(count)] = result = harness.measure(
                spec, log, args.settle
            )
            print(_engine_line(result), flush=True)
            _save_partial(report, out_dir)
        if not args.skip_extras:
            print(
                f"  CLI        the default techniques x {CLI_SEEDS} seeds, "
                f"{CLI_ROWS:,}-row CSV ...",
                end=" ",
                flush=True,
            )
            report["cli_small"] = harness.measure_cli(log=log, settle=args.settle)
            print(f"{report['cli_small']['wall_s']:.1f} s", flush=True)
            print("  cache hit  (the engine's run cache) ...", end=" ", flush=True)
            spec = {**base, "impl": "cache", "technique": "undersampling"}
            report["cache"] = harness.measure(spec, log, args.settle)
            print(f"{report['cache']['repeat_s'] * 1000:.2f} ms", flush=True)
            print("  slider     (7 techniques) ...", end=" ", flush=True)
            test_rows = 56_962 if args.rows == FULL_ROWS else max(1000, args.rows // 5)
            report["slider"] = harness.measure(
                {"impl": "slider", "test_rows": test_rows}, log, args.settle
            )
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
                result = harness.measure(spec, log, args.settle)
                print(_engine_line(result), flush=True)
            point = {"factor": factor, "rows": rows, **result}
            report["scaling"]["points"].append(point)
            _save_partial(report, out_dir)
        if args.step_repeats:
            rows = STEP_ROWS * args.rows // FULL_ROWS  # the training split's size
            print(f"  step       ms per step, {rows:,} rows ...", end=" ", flush=True)
            report["step"] = harness.measure_step(
                rows, args.step_repeats, out_dir, log, args.settle
            )
            ratios = ", ".join(f"{s['ratio']:.2f}x" for s in report["step"]["shapes"])
            print(f"{ratios} the matmul bound", flush=True)
            _save_partial(report, out_dir)
        if report["seed"] and args.quality_seeds > 1:
            print(
                f"  PR-AUC     both sides at {args.quality_seeds - 1} more seed(s), "
                "untimed ...",
                end=" ",
                flush=True,
            )
            report["quality"] = quality.measure(
                names, base, args.quality_seeds, report, log, top
            )
            print("done", flush=True)
    return report_.finish(report, out_dir)


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
    parser.add_argument(
        "--settle",
        type=float,
        default=150.0,
        help="before each measurement, wait up to this many seconds for the 1-minute "
        "load average to fall below 1 (0: do not wait; the load is recorded either way)",
    )
    parser.add_argument(
        "--quality-seeds",
        type=int,
        default=5,
        help="training seeds whose PR-AUC both sides are compared over (the first, "
        "42, is the timed one; the others run untimed at the end; 1: seed 42 only)",
    )
    parser.add_argument(
        "--step-repeats",
        type=int,
        default=8,
        help="epochs the training-step figure is the best of (benchmarks.step; 0 "
        "skips it)",
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
    args = parser.parse_args(argv)
    if args.from_partial:
        out_dir = Path(args.out_dir or RESULTS)
        report_.finish(
            json.loads((out_dir / "latest.partial.json").read_text()), out_dir
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
    if args.step_repeats < 0:
        raise SystemExit(
            f"error: --step-repeats must be 0 (skip) or more; got {args.step_repeats}."
        )
    if args.quality_seeds < 1:
        raise SystemExit(
            f"error: --quality-seeds must be at least 1 (1: seed 42 only); got "
            f"{args.quality_seeds}."
        )
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
