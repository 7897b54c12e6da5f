"""The command line's parser: every subcommand, flag and help text."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, NoReturn

from imbal_core.errors import InputError

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
    parser = _Parser(
        prog="python -m imbal_core",
        description="Compare class-imbalance techniques, headless: the dashboard's work "
        "for scripts, clusters and benchmarks.",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser
    )

    demo = commands.add_parser(
        "demo-data", help="write the synthetic creditcard-shaped data as CSV"
    )
    demo.add_argument("--out", required=True, help="CSV path to write")
    demo.add_argument(
        "--rows", type=int, default=284_807, help="rows to generate (default: 284,807)"
    )
    demo.add_argument(
        "--seed", type=int, default=0, help="the same seed writes the same rows"
    )

    train = commands.add_parser(
        "train", help="train and compare techniques; write results JSON"
    )
    train.add_argument(
        "--data", required=True, help="a CSV path, 'creditcard' or 'demo'"
    )
    train.add_argument(
        "--rows", type=int, default=284_807, help="rows of demo data (--data demo)"
    )
    train.add_argument(
        "--target", default="Class", help="the label column (default: Class)"
    )
    train.add_argument(
        "--positive",
        default=None,
        help="positive label (default: 1, else the minority)",
    )
    _training_flags(train)
    train.add_argument(
        "--threshold",
        type=_operating_point,
        default="0.5",
        help="where to compare: a threshold 0..1 for all; 'suggested' (each its own, "
        "tuned on validation); 'recall=0.8' (each at the threshold reaching that "
        "recall on validation); 'alerts=5' (each flagging at most 5 per 1,000 "
        "validation cases)",
    )
    train.add_argument(
        "--threshold-objective",
        choices=("f1", "cost"),
        default="f1",
        help="what a suggested threshold optimises on validation: F1 (default) or the "
        "lowest cost; also what the recommendation ranks by",
    )
    train.add_argument(
        "--test-size",
        type=float,
        default=None,
        help="share of rows held out for the test split, 0.05 to 0.5 (default: 0.2)",
    )
    train.add_argument(
        "--cv",
        type=int,
        default=0,
        metavar="K",
        help="K-fold stratified cross-validation instead of one test split: every "
        "technique trains on each fold (forward-chaining folds with --time-column)",
    )
    train.add_argument(
        "--repeats",
        type=int,
        default=1,
        metavar="R",
        help="with --cv: repeat the K folds R times, shuffled afresh (default: 1)",
    )
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
    train.add_argument("--out", required=True, help="results JSON path")
    train.add_argument(
        "--save",
        default=None,
        metavar="COMPARISON.zip",
        help="also save the whole comparison (results + every run's probabilities) to "
        "open in the dashboard or report on later, without the data or retraining",
    )

    _store_flag(train)
    train.add_argument(
        "--no-store",
        action="store_true",
        help="train everything again and keep nothing (no run store, no History)",
    )

    train.add_argument(
        "--mlflow-uri",
        default=None,
        metavar="URI",
        help="also log the comparison to this MLflow tracking server (one MLflow run per "
        "technique run, nested under the comparison's); needs `pip install mlflow-skinny`",
    )
    train.add_argument(
        "--mlflow-experiment",
        default="imbalance-compare",
        help="the MLflow experiment to log to (default: imbalance-compare)",
    )

    _benchmark_parser(commands)

    history = commands.add_parser(
        "history", help="list the comparisons kept in the run store, newest first"
    )
    _store_flag(history)

    commands.add_parser(
        "techniques",
        help="list every technique and part: name, parameters with ranges, summary, reference",
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


def _benchmark_parser(commands: Any) -> None:
    from imbal_core.benchmark.suites import REGISTRY

    bench = commands.add_parser(
        "benchmark",
        help="cross-validate techniques on many data sets and rank them; write bench.zip",
    )
    bench.add_argument(
        "--suite",
        choices=sorted(REGISTRY),
        default=None,
        help="a packaged collection of real imbalanced data sets (keel: 109 KEEL sets)",
    )
    bench.add_argument(
        "--data",
        action="append",
        default=[],
        help="also a CSV/Parquet path, 'demo' or 'creditcard' (repeatable)",
    )
    bench.add_argument(
        "--target", default="Class", help="the label column of every --data file"
    )
    bench.add_argument(
        "--positive", default=None, help="the positive label of every --data file"
    )
    bench.add_argument(
        "--rows", type=int, default=20_000, help="rows of --data demo (default: 20,000)"
    )
    for flag, kind, text in (
        ("--min-ir", float, "only data sets with at least this imbalance ratio"),
        ("--max-ir", float, "only data sets with at most this imbalance ratio"),
        # rows, not --max-rows: that is the quadratic samplers' row cap
        ("--min-size", int, "only data sets with at least this many rows"),
        ("--max-size", int, "only data sets with at most this many rows"),
        ("--limit", int, "at most this many suite data sets, the smallest first"),
    ):
        bench.add_argument(flag, type=kind, default=None, help=text)
    bench.add_argument(
        "--name",
        action="append",
        default=[],
        help="only suite data sets whose name contains this (repeatable)",
    )
    bench.add_argument(
        "--cv", type=int, default=5, metavar="K", help="folds per data set (default: 5)"
    )
    bench.add_argument(
        "--repeats", type=int, default=1, metavar="R", help="repeats of the K folds"
    )
    bench.add_argument(
        "--metric",
        default="pr_auc",
        choices=("pr_auc", "roc_auc", "mcc", "f1", "recall", "precision", "brier"),
        help="what the printed ranks rank (default: pr_auc; the file keeps every run)",
    )
    _training_flags(bench)
    bench.add_argument("--out", required=True, help="the benchmark file to write")
    _store_flag(bench)
    bench.add_argument(
        "--no-store",
        action="store_true",
        help="keep nothing (a killed benchmark then starts from the beginning)",
    )


def _training_flags(command: argparse.ArgumentParser) -> None:
    """What trains and where: techniques, models, every hyperparameter, seeds, early
    stopping, sweeps and the executor (train's and benchmark's)."""
    from imbal_core import models, techniques
    from imbal_core.execution import KINDS, RUN_TIME_LIMIT

    command.add_argument(
        "--techniques",
        default=",".join(techniques.DEFAULT),
        help="comma-separated names (default: the seed's seven, "
        + ",".join(techniques.DEFAULT)
        + "); 'all' for every registered technique; join parts with + for a recipe "
        "(smote+focal_loss, adasyn+class_balanced+prior_bias); "
        "`python -m imbal_core techniques` lists them all",
    )
    command.add_argument(
        "--models",
        default=models.DEFAULT,
        help=f"comma-separated models, each training every technique it takes "
        f"(default: {models.DEFAULT}, the seed's network; choose from "
        f"{', '.join(models.REGISTRY)}); a network objective on a reference model is "
        "skipped with its reason",
    )
    for model in models.REGISTRY.values():
        for param in model.params:
            network = model.name == models.DEFAULT  # its values are the seed's
            command.add_argument(
                f"--{param.name.replace('_', '-')}",
                type=_type(param),
                default=param.default if network else None,
                help=("" if network else f"{model.name}: ")
                + f"{param.help} ({param.range_text()})",
            )
    for param, owners in techniques.params_and_owners().items():
        command.add_argument(
            f"--{param.name.replace('_', '-')}",
            type=int if param.integer else float,
            default=None,
            help=f"{', '.join(owners)}: {param.help} (default {param.default:g})",
        )
    command.add_argument(
        "--seed", type=int, default=42, help="the first seed (default: 42)"
    )
    command.add_argument(
        "--seeds",
        type=int,
        default=1,
        help="train each technique with N seeds (seed, seed+1, ...)",
    )
    command.add_argument(
        "--early-stopping",
        action="store_true",
        help="a fair training budget: stop each run once its validation PR-AUC has not "
        "improved for --patience epochs (3 unless given) and keep its best epoch; "
        "--epochs becomes the maximum",
    )
    command.add_argument(
        "--sweep",
        action="append",
        default=[],
        metavar="NAME=V1,V2,...",
        help="try several values of a hyperparameter (repeatable): every selected "
        "technique that has it becomes one variant per value, e.g. --sweep gamma=0.5,1,2; "
        "network shapes are separated by ;, e.g. --sweep 'layers=64,32;128,64,32'",
    )
    command.add_argument(
        "--executor",
        choices=KINDS,
        default="local",
        help="local: a pool of worker processes (default); ray: a Ray cluster; "
        "inline: this process, one run at a time",
    )
    command.add_argument(
        "--workers",
        type=int,
        default=None,
        help=f"local worker processes (default: one per core, {os.cpu_count()} here)",
    )
    command.add_argument(
        "--time-limit",
        type=float,
        default=RUN_TIME_LIMIT,
        help=f"seconds one run may take on the local workers before it is stopped and "
        f"fails alone (default: {RUN_TIME_LIMIT:,.0f}; 0: no limit)",
    )
    command.add_argument(
        "--ray-address",
        default=None,
        help="the Ray cluster to run on (default: $IMBAL_RAY_ADDRESS, else a local Ray)",
    )


def _store_flag(command: argparse.ArgumentParser) -> None:
    from imbal_core.store import VARIABLE, default_root

    command.add_argument(
        "--store",
        default=None,
        metavar="FOLDER",
        help="the run store: finished runs and the History, shared with the dashboard "
        f"(default: ${VARIABLE}, else {default_root()})",
    )


def _type(param: Any) -> Any:
    from imbal_core.techniques.base import LayersParam

    if isinstance(param, LayersParam):
        return str  # "128,64,32", checked with the other values
    return int if param.integer else float
