"""The benchmark subcommand: choose the data sets, cross-validate every technique on
each, stream ``[k/N]`` progress with an ETA, write the benchmark file, print ranks."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from imbal_core.errors import InputError


def benchmark(args: argparse.Namespace) -> int:
    from imbal_core import benchmark as bench
    from imbal_core import data
    from imbal_core.cli._commands import plan_from_flags, store_from_flags
    from imbal_core.execution import make_executor

    if not args.suite and not args.data:
        raise InputError(
            "choose the data sets: --suite keel and/or --data a.csv (repeatable)"
        )
    data.check_folds(args.cv, args.repeats)
    plan = plan_from_flags(args, args.cv * args.repeats)  # bad options end here
    entries = _entries(args)
    store = None if args.no_store else store_from_flags(args)
    executor = make_executor(
        args.executor, args.workers, args.ray_address, args.time_limit or None
    )
    total = len(entries) * len(plan.specs)
    print(
        f"benchmark: {len(entries)} data set(s) x {len(plan.specs)} runs "
        f"({len(plan.names)} technique(s) x {plan.splits} folds x {len(plan.seeds)} "
        f"seed(s)) = {total:,} runs on {executor.describe()}",
        file=sys.stderr,
    )
    try:
        found = bench.run_benchmark(
            entries,
            plan,
            args.cv,
            args.repeats,
            executor,
            store,
            _line,
            settings=_settings(args),
        )
    finally:
        executor.close()
    bench.save_benchmark(found, args.out)
    print(_summary(found, args.metric), file=sys.stderr)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0 if found.comparisons else 1


def _entries(args: argparse.Namespace) -> list[Any]:
    from imbal_core.benchmark import suites

    chosen = []
    if args.suite:
        chosen = suites.select(
            suites.entries(args.suite),
            min_ir=args.min_ir,
            max_ir=args.max_ir,
            min_rows=args.min_size,
            max_rows=args.max_size,
            names=tuple(args.name),
            limit=args.limit,
        )
        if not chosen:
            raise InputError(
                f"no data set of {args.suite} matches the filters; widen --min-ir, "
                "--max-ir, --min-size, --max-size or --name"
            )
    for source in args.data:
        chosen.append(suites.file_entry(source, args.target, args.positive, args.rows))
    return chosen


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "suite": args.suite,
        "filters": {
            k: getattr(args, k)
            for k in ("min_ir", "max_ir", "min_size", "max_size", "limit", "name")
            if getattr(args, k) not in (None, [])
        },
        "files": list(args.data),
    }


def _line(tally: Any, text: str) -> None:
    eta = tally.eta()
    left = "" if eta is None else f", ETA {_duration(eta)}"
    print(f"[{tally.done}/{tally.total}{left}] {text}", file=sys.stderr)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _summary(found: Any, metric: str) -> str:
    """Mean ranks, the Friedman test, the critical difference, wins/ties/losses."""
    from imbal_core import benchmark as bench
    from imbal_core import tables
    from imbal_core.report import rank_sentence

    if not found.comparisons:
        return "no data set could be cross-validated; see the skipped lines above"
    analysis = bench.analyse(found, metric)
    stats = analysis["stats"]
    return "\n".join(
        [
            f"\nRanks by {tables.COLUMNS[metric].label} (1 = best) over "
            f"{stats['datasets']} data set(s):",
            tables.text_table(tables.ranks_table(stats, analysis["wins"])),
            rank_sentence(stats),
        ]
    )
