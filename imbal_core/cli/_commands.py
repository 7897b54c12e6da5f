"""What each subcommand does: demo-data, train (plan, run, summary), report."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from imbal_core.cli._parser import EARLY_STOPPING_PATIENCE
from imbal_core.errors import InputError


def demo_data(args: argparse.Namespace) -> int:
    from imbal_core.atomic import write_atomic
    from imbal_core.data import make_demo

    frame = make_demo(rows=args.rows, seed=args.seed)
    write_atomic(args.out, frame.to_csv(index=False).encode("utf-8"))
    print(
        f"wrote {len(frame):,} synthetic rows ({int(frame['Class'].sum())} positives) to {args.out}",
        file=sys.stderr,
    )
    return 0


def plan_from_flags(args: argparse.Namespace, splits: int = 1) -> Any:
    """The comparison's runs from the flags, every value checked once; ``splits``:
    1, or the cross-validation folds x repeats."""
    from imbal_core import models, techniques
    from imbal_core.execution import parse_sweep, plan_runs

    if not 1 <= args.seeds <= 50:
        raise InputError(f"--seeds must be between 1 and 50, got {args.seeds}.")
    if args.time_limit < 0:
        raise InputError(f"--time-limit must be >= 0 seconds, got {args.time_limit:g}.")
    if args.workers is not None and not 1 <= args.workers <= 256:
        raise InputError(f"--workers must be between 1 and 256, got {args.workers}.")
    names = (
        list(techniques.REGISTRY)
        if args.techniques.strip() == "all"
        else [n.strip() for n in args.techniques.split(",") if n.strip()]
    )
    if args.early_stopping and not args.patience:
        args.patience = EARLY_STOPPING_PATIENCE
    options = {p.name: getattr(args, p.name) for p in models.all_params()}
    options.update(
        {p.name: getattr(args, p.name) for p in techniques.params_and_owners()}
    )
    seeds = [args.seed + i for i in range(args.seeds)]
    sweeps = dict(parse_sweep(text) for text in args.sweep)
    chosen = [n.strip() for n in args.models.split(",") if n.strip()]
    return plan_runs(names, options, seeds, sweeps, chosen, splits)


def _splits(args: argparse.Namespace) -> int:
    """How many data splits each run trains on: 1, or --cv folds x --repeats."""
    from imbal_core.data import check_folds

    if not args.cv:
        if args.repeats != 1:
            raise InputError(
                "--repeats repeats cross-validation; add --cv K (e.g. --cv 5)."
            )
        return 1
    if args.test_size is not None:
        raise InputError(
            "--test-size and --cv exclude each other: with --cv each fold is the test "
            "part once; drop one of them."
        )
    check_folds(args.cv, args.repeats, args.time_column)
    return args.cv * args.repeats


def train(args: argparse.Namespace) -> int:
    from imbal_core.atomic import write_atomic
    from imbal_core.data import load_folds, load_source
    from imbal_core.evaluate import Costs
    from imbal_core.execution import make_executor, run_comparison
    from imbal_core.results import dump_results, results_json, save_comparison

    if args.review_cost < 0:
        raise InputError(f"--review-cost must be >= 0, got {args.review_cost}.")
    plan = plan_from_flags(
        args, _splits(args)
    )  # bad options end here, before workers start
    if args.mlflow_uri:
        from imbal_core.tracking import require_mlflow

        require_mlflow()
    options: dict[str, Any] = {
        "target": args.target,
        "positive": args.positive,
        "time_column": args.time_column,
    }
    if not args.cv:
        options["test_size"] = 0.2 if args.test_size is None else args.test_size
    if args.data == "demo":
        options["rows"] = args.rows
    store = None if args.no_store else store_from_flags(args)
    executor = make_executor(
        args.executor, args.workers, args.ray_address, args.time_limit or None
    )
    try:
        # Without a store, workers load TensorFlow (seconds) while the data is read;
        # with one, they start only if some run is not in it.
        if store is None:
            executor.warm_up(wait_for_it=False)
        datasets = (
            load_folds(args.data, args.cv, args.repeats, **options)
            if args.cv
            else [load_source(args.data, **options)]
        )
        dataset = datasets[0]
        print(
            f"data: {dataset.source}: {dataset.rows:,} rows, {dataset.positives:,} "
            f"positive (label {dataset.summary()['positive_label']!r}), "
            f"{len(dataset.feature_names)} features",
            file=sys.stderr,
        )
        for note in dataset.notes:
            print(f"note: {note}", file=sys.stderr)
        if dataset.fold is not None:
            print(f"split: {dataset.fold['scheme']}", file=sys.stderr)
        print(f"runs: {len(plan.specs)} on {executor.describe()}", file=sys.stderr)
        lines = _lines()
        comparison = run_comparison(datasets, plan, executor, store, lines)
    finally:
        executor.close()
    fraud_cost = args.fraud_cost
    if fraud_cost is None and not comparison.has_amounts:
        fraud_cost = 100.0
    results = results_json(
        comparison,
        args.threshold,
        Costs(missed=fraud_cost, review=args.review_cost),
        args.threshold_objective,
    )
    write_atomic(args.out, dump_results(results).encode("utf-8"))
    if store is not None:
        ident = store.history.record(comparison, results)
        for notice in store.notices():
            lines.notice(notice)
        if ident:
            print(f"kept in the History of {store.root} as {ident}", file=sys.stderr)
    if args.mlflow_uri:
        _log_to_mlflow(comparison, results, args)
    if args.save:
        save_comparison(comparison, results, args.save)
        size = Path(args.save).stat().st_size / 2**20
        print(f"saved the comparison to {args.save} ({size:.1f} MB)", file=sys.stderr)
    return _summary(results, args.out)


def _log_to_mlflow(comparison: Any, results: Any, args: argparse.Namespace) -> None:
    """A tracking server that fails costs a warning: the results are written anyway."""
    from imbal_core.tracking import log_comparison

    try:
        ident = log_comparison(
            comparison, results, args.mlflow_uri, args.mlflow_experiment
        )
    except InputError as exc:
        print(f"warning: {exc}", file=sys.stderr)
        return
    print(
        f"logged to MLflow at {args.mlflow_uri} (experiment {args.mlflow_experiment!r}, "
        f"run {ident})",
        file=sys.stderr,
    )


def _lines() -> Any:
    """The CLI's listener: the options' notes first, then one stderr line per
    finished run (concurrent epochs would interleave)."""
    from imbal_core.execution import Listener
    from imbal_core.results import label

    class Lines(Listener):
        def started(self, plan: Any, cached: Any, notes: Any) -> None:
            self.plan, self.clock, self.count = plan, time.perf_counter(), 0
            for note in notes:
                print(f"note: {note}", file=sys.stderr)
            if cached:
                print(
                    f"{len(cached)} of {len(plan.specs)} run(s) from the run store "
                    "(same data, model, technique, values and seed): not trained again",
                    file=sys.stderr,
                )

        def __init__(self) -> None:
            self.told: set[str] = set()

        def notice(self, message: str) -> None:
            if message not in self.told:  # the store's, each said once
                self.told.add(message)
                print(f"warning: {message}", file=sys.stderr)

        def finished(self, index: int, run: Any, so_far: Any) -> None:
            from imbal_core.execution import outcome

            self.count += 1
            spec = self.plan.specs[index]
            print(
                f"[{self.count}/{len(self.plan.specs)}] {label(spec.name)} "
                f"{spec.describe(self.plan.splits)}: {outcome(run)} "
                f"({time.perf_counter() - self.clock:.1f} s)",
                file=sys.stderr,
            )

    return Lines()


def _summary(results: Any, out: str) -> int:
    """What was found, on stderr: the headline table and the recommendation.
    Exit 1 when no technique trained (there is nothing to compare)."""
    from imbal_core import tables
    from imbal_core.report import network_vs_reference_text, operating_point
    from imbal_core.report._text import plain_sentence
    from imbal_core.results import failed, n_folds, ok, spread

    techniques = results["techniques"]
    for name, summary in techniques.items():
        for warning in summary.get("warnings") or []:
            print(f"warning: {name}: {warning}", file=sys.stderr)
    broken = failed(techniques)
    for name, error in broken.items():
        print(f"failed: {name}: {error}", file=sys.stderr)
    if not ok(techniques):
        reasons = set(broken.values())
        why = (
            f": {reasons.pop()}"
            if len(reasons) == 1
            else f" ({len(broken)} failed; see above)"
        )
        print(f"error: no technique trained{why}", file=sys.stderr)
        return 1
    point = results["config"]["operating_point"]["description"]
    where = (
        f"on the test folds (means over {spread(techniques)})"
        if n_folds(techniques)
        else "on the test split"
    )
    print(f"\nAt {point}, {where}:", file=sys.stderr)
    print(tables.text_table(tables.headline_table(techniques)), file=sys.stderr)
    print(f"\n{plain_sentence(operating_point(results))}", file=sys.stderr)
    duel = network_vs_reference_text(results.get("network_vs_reference"), techniques)
    if duel:
        print(f"\n{duel}", file=sys.stderr)
    print(
        f"wrote {out}: {len(techniques) - len(broken)} of {len(techniques)} "
        "techniques ok" + (f"; failed: {', '.join(broken)}" if broken else ""),
        file=sys.stderr,
    )
    return 0


def store_from_flags(args: argparse.Namespace) -> Any:
    """The run store of --store, else $IMBAL_STORE's (None when that is ``off``)."""
    from imbal_core.store import open_store

    return open_store(args.store)


def history(args: argparse.Namespace) -> int:
    """The History on stdout, newest first: the store's use, then one row per
    comparison."""
    store = store_from_flags(args)
    if store is None:
        raise InputError(
            "the run store is off (IMBAL_STORE=off), so no History is kept; unset "
            "IMBAL_STORE or pass --store FOLDER."
        )
    entries = store.history.entries()
    usage = store.usage()
    for notice in store.notices():
        print(f"warning: {notice}", file=sys.stderr)
    print(
        f"{store.root}: {len(entries)} comparison(s), {usage['runs']} run(s), "
        f"{usage['bytes'] / 2**20:.1f} of {usage['limit'] / 2**20:,.0f} MB\n"
    )
    if entries:
        from imbal_core import tables

        print(tables.text_table(tables.history_table(entries)))
    return 0


def list_techniques() -> int:
    """The catalogue on stdout, grouped as the Train page groups it, then the models."""
    from imbal_core import models, techniques

    for group, entries in techniques.catalogue().items():
        print(f"{group}\n")
        for cls in entries:
            print(f"  {cls.name}  ({cls.label})\n      {cls.summary}")
            for param in cls.params:
                print(
                    f"      --{param.name.replace('_', '-')} {param.range_text()}: {param.help}"
                )
            if cls.reference:
                print(f"      reference: {cls.reference}")
            print()
    print(
        "Join parts with + for a recipe: at most one sampler (over, under, combined), "
        "one objective and one initialisation, e.g. --techniques smote+focal_loss.\n"
    )
    print("Models (--models; each trains every technique it takes):\n")
    for model in models.REGISTRY.values():
        print(f"  {model.name}  ({model.label})\n      {model.summary}")
        print(f"      takes {model.takes()}")
        for param in model.params:
            print(
                f"      --{param.name.replace('_', '-')} {param.range_text()}: "
                f"{param.help}"
            )
        if model.reference:
            print(f"      reference: {model.reference}")
        print()
    return 0


def report(args: argparse.Namespace) -> int:
    from imbal_core.report import write_report
    from imbal_core.results import load_results, saved_results

    path = Path(args.results)
    if _looks_zipped(path) and _is_benchmark(path):
        return _benchmark_report(path, args)
    results = (
        saved_results(path) if _looks_zipped(path) else load_results(path)
    )  # a zip (even a damaged one) is read as a saved comparison
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


def _is_benchmark(path: Path) -> bool:
    from imbal_core.benchmark import is_benchmark

    return is_benchmark(path)


def _benchmark_report(path: Path, args: argparse.Namespace) -> int:
    from imbal_core.benchmark import load_benchmark
    from imbal_core.report import write_benchmark_report

    if args.csv or args.threshold is not None:
        raise InputError(
            "--csv and --threshold are for a comparison; a benchmark's report ranks "
            "each technique at its own validation-chosen threshold."
        )
    found = load_benchmark(path)
    write_benchmark_report(found, args.out)
    print(f"wrote {args.out}: {len(found.comparisons)} data sets", file=sys.stderr)
    return 0


def _looks_zipped(path: Path) -> bool:
    if path.suffix.lower() == ".zip":
        return True
    try:
        with open(path, "rb") as handle:
            return handle.read(2) == b"PK"
    except OSError:
        return False
