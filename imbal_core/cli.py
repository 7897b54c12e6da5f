"""``python -m imbal_core``: the dashboard's work, headless, for scripts and benchmarks.

Exit codes: 0 success (a failed technique is reported in its status, not by the
exit code), 2 bad input or options, with one ``error: ...`` line on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from imbal_core.errors import InputError, first_line

EARLY_STOPPING_PATIENCE = 3  # epochs without a better validation PR-AUC


class _Parser(argparse.ArgumentParser):
    def error(
        self, message: str
    ) -> NoReturn:  # argparse prints usage and more; we print one line
        print(f"error: {message}; see --help", file=sys.stderr)
        raise SystemExit(2)


def _probability(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def _operating_point(text: str) -> Any:
    from imbal_core.evaluate import OperatingPoint

    try:
        return OperatingPoint.parse(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc).rstrip(".")) from None


def _fraud_cost(text: str) -> float | None:
    if text == "amount":
        return None
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 'amount' or a cost >= 0, got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from imbal_core import techniques

    parser = _Parser(prog="python -m imbal_core", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser
    )

    demo = commands.add_parser(
        "demo-data", help="write the synthetic creditcard-shaped data as CSV"
    )
    demo.add_argument("--out", required=True, help="CSV path to write")
    demo.add_argument("--rows", type=int, default=284_807)
    demo.add_argument("--seed", type=int, default=0)

    train = commands.add_parser(
        "train", help="train and compare techniques; write results JSON"
    )
    train.add_argument(
        "--data", required=True, help="a CSV path, 'creditcard' or 'demo'"
    )
    train.add_argument("--rows", type=int, default=284_807, help="rows of demo data")
    train.add_argument("--target", default="Class")
    train.add_argument(
        "--positive",
        default=None,
        help="positive label (default: 1, else the minority)",
    )
    train.add_argument(
        "--techniques",
        default="all",
        help="'all' or names: " + ",".join(techniques.REGISTRY),
    )
    for param in techniques.SHARED_PARAMS:
        train.add_argument(
            f"--{param.name.replace('_', '-')}",
            type=int if param.integer else float,
            default=param.default,
            help=param.help,
        )
    seen = set()
    for cls in techniques.REGISTRY.values():
        for param in cls.params:
            if param.name not in seen:
                seen.add(param.name)
                train.add_argument(
                    f"--{param.name.replace('_', '-')}",
                    type=int if param.integer else float,
                    default=None,
                    help=f"{cls.name}: {param.help} (default {param.default:g})",
                )
    train.add_argument(
        "--threshold",
        type=_operating_point,
        default="0.5",
        help="where to compare: a threshold 0..1 for all; 'suggested' (each its own, "
        "tuned on validation); 'recall=0.8' (each at the threshold reaching that "
        "recall on validation); 'alerts=5' (each flagging at most 5 per 1,000 "
        "validation cases)",
    )
    train.add_argument("--threshold-objective", choices=("f1", "cost"), default="f1")
    train.add_argument("--seed", type=int, default=42)
    train.add_argument(
        "--seeds",
        type=int,
        default=1,
        help="train each technique with N seeds (seed, seed+1, ...)",
    )
    train.add_argument("--test-size", type=float, default=0.2)
    train.add_argument(
        "--time-column",
        default=None,
        help="split by this time column instead of at random",
    )
    train.add_argument(
        "--fraud-cost",
        type=_fraud_cost,
        default=None,
        help="cost of a missed positive: a number, or 'amount' (default: amount if the column exists, else 100)",
    )
    train.add_argument(
        "--review-cost", type=float, default=5.0, help="cost of reviewing one alert"
    )
    train.add_argument(
        "--early-stopping",
        action="store_true",
        help="a fair training budget: stop each run once its validation PR-AUC has not "
        "improved for --patience epochs (3 unless given) and keep its best epoch; "
        "--epochs becomes the maximum",
    )
    train.add_argument(
        "--sweep",
        action="append",
        default=[],
        metavar="NAME=V1,V2,...",
        help="try several values of a hyperparameter (repeatable): every selected "
        "technique that has it becomes one variant per value, e.g. --sweep gamma=0.5,1,2",
    )
    train.add_argument(
        "--executor",
        choices=("local", "ray", "inline"),
        default="local",
        help="local: a pool of worker processes (default); ray: a Ray cluster; "
        "inline: this process, one run at a time",
    )
    train.add_argument(
        "--workers",
        type=int,
        default=None,
        help=f"local worker processes (default: one per core, {os.cpu_count()} here)",
    )
    train.add_argument(
        "--ray-address",
        default=None,
        help="the Ray cluster to run on (default: $IMBAL_RAY_ADDRESS, else a local Ray)",
    )
    train.add_argument("--out", required=True, help="results JSON path")
    train.add_argument(
        "--save",
        default=None,
        metavar="COMPARISON.zip",
        help="also save the whole comparison (results + every run's probabilities) to "
        "open in the dashboard or report on later, without the data or retraining",
    )

    report = commands.add_parser(
        "report", help="turn a results JSON into one self-contained HTML report"
    )
    report.add_argument(
        "--results",
        required=True,
        help="results JSON or saved comparison (.zip) written by `train`",
    )
    report.add_argument(
        "--out", required=True, help="HTML path to write (opens offline)"
    )
    report.add_argument(
        "--csv",
        default=None,
        help="also write the metrics as CSV (safe to open in a spreadsheet)",
    )
    report.add_argument(
        "--threshold",
        type=_probability,
        default=None,
        help="re-evaluate every technique at this threshold (default: the one in the results)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "demo-data":
            return _demo_data(args)
        if args.command == "report":
            return _report(args)
        return _train(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(
            f"error: {first_line(exc, 10_000) or type(exc).__name__}", file=sys.stderr
        )
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: still one line, never a traceback
        print(
            f"error: unexpected {type(exc).__name__}: {first_line(exc)}; please report it with the command you ran",
            file=sys.stderr,
        )
        return 1


def _demo_data(args: argparse.Namespace) -> int:
    from imbal_core.data import make_demo

    frame = make_demo(rows=args.rows, seed=args.seed)
    frame.to_csv(args.out, index=False)
    print(
        f"wrote {len(frame):,} synthetic rows ({int(frame['Class'].sum())} positives) to {args.out}",
        file=sys.stderr,
    )
    return 0


def _train(args: argparse.Namespace) -> int:
    from imbal_core import techniques
    from imbal_core.data import load_source
    from imbal_core.evaluate import Costs
    from imbal_core.execution import (
        check_sweeps,
        make_executor,
        parse_sweep,
        plan_runs,
        run_comparison,
    )
    from imbal_core.results import (
        dump_results,
        results_json,
        save_comparison,
    )

    if args.seeds < 1 or args.seeds > 50:
        raise InputError(f"--seeds must be between 1 and 50, got {args.seeds}.")
    if args.review_cost < 0:
        raise InputError(f"--review-cost must be >= 0, got {args.review_cost}.")
    names = (
        list(techniques.REGISTRY)
        if args.techniques == "all"
        else [n.strip() for n in args.techniques.split(",") if n.strip()]
    )
    for name in names:
        techniques.get(name)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)

    if args.early_stopping and not args.patience:
        args.patience = EARLY_STOPPING_PATIENCE
    hyper = {p.name: getattr(args, p.name) for p in techniques.SHARED_PARAMS}
    for cls in techniques.REGISTRY.values():
        hyper.update({p.name: getattr(args, p.name) for p in cls.params})
    seeds = [args.seed + i for i in range(args.seeds)]
    sweeps = check_sweeps(names, dict(parse_sweep(text) for text in args.sweep))
    specs = plan_runs(names, hyper, seeds, sweeps)  # bad options end here
    if args.workers is not None and not 1 <= args.workers <= 256:
        raise InputError(f"--workers must be between 1 and 256, got {args.workers}.")
    options: dict[str, Any] = {
        "target": args.target,
        "positive": args.positive,
        "test_size": args.test_size,
        "time_column": args.time_column,
    }
    if args.data == "demo":
        options["rows"] = args.rows

    executor = make_executor(args.executor, args.workers, args.ray_address)
    try:
        # Workers load TensorFlow (seconds) while this process reads the data.
        executor.warm_up(wait_for_it=False)
        dataset = load_source(args.data, **options)
        print(
            f"data: {dataset.source}: {dataset.rows:,} rows, {dataset.positives:,} "
            f"positive (label {dataset.summary()['positive_label']!r}), "
            f"{len(dataset.feature_names)} features",
            file=sys.stderr,
        )
        notes = techniques.option_notes(len(dataset.y_train), hyper)
        for note in [*dataset.notes, *notes]:
            print(f"note: {note}", file=sys.stderr)
        print(f"runs: {len(specs)} on {executor.describe()}", file=sys.stderr)
        comparison = run_comparison(
            dataset, names, hyper, seeds, executor, sweeps, _progress_lines(len(specs))
        )
    finally:
        executor.close()
    fraud_cost = args.fraud_cost
    if fraud_cost is None and dataset.amount_test is None:
        fraud_cost = 100.0
    results = results_json(
        comparison,
        args.threshold,
        Costs(missed=fraud_cost, review=args.review_cost),
        args.threshold_objective,
    )
    Path(args.out).write_text(dump_results(results))
    if args.save:
        Path(args.save).parent.mkdir(parents=True, exist_ok=True)
        save_comparison(comparison, results, args.save)
        size = Path(args.save).stat().st_size / 2**20
        print(f"saved the comparison to {args.save} ({size:.1f} MB)", file=sys.stderr)
    for name, summary in results["techniques"].items():
        for warning in summary.get("warnings") or []:
            print(f"warning: {name}: {warning}", file=sys.stderr)
    failed = [n for n, r in results["techniques"].items() if r["status"] != "ok"]
    print(
        f"wrote {args.out}: {len(comparison.runs) - len(failed)} of "
        f"{len(comparison.runs)} techniques ok"
        + (f"; failed: {', '.join(failed)}" if failed else ""),
        file=sys.stderr,
    )
    return 0


def _progress_lines(total: int) -> Any:
    """One stderr line per finished run (concurrent epochs would interleave)."""
    started = time.perf_counter()
    finished = 0

    def report(spec: Any, event: Any) -> None:
        nonlocal finished
        if event.run is None:
            return
        finished += 1
        print(
            f"[{finished}/{total}] {spec.name} seed {spec.seed}: {event.message} "
            f"({time.perf_counter() - started:.1f} s)",
            file=sys.stderr,
        )

    return report


def _report(args: argparse.Namespace) -> int:
    import zipfile

    from imbal_core.report import write_report
    from imbal_core.results import load_results, saved_results

    results = (
        saved_results(args.results)
        if zipfile.is_zipfile(args.results)
        else load_results(args.results)
    )
    write_report(results, args.out, args.csv, threshold=args.threshold)
    failed = [n for n, r in results["techniques"].items() if r.get("status") != "ok"]
    print(
        f"wrote {args.out}"
        + (f" and {args.csv}" if args.csv else "")
        + f": {len(results['techniques'])} techniques"
        + (f" ({len(failed)} failed)" if failed else ""),
        file=sys.stderr,
    )
    return 0
