"""Reading results files as evidence: strict JSON, and every value checked.

A ``results.json`` or a saved comparison's manifest may come from anywhere: a
truncated download, a hand edit, a file of another tool. :func:`parse_json`
refuses what JSON readers disagree on (``NaN``, ``Infinity``, numbers that
overflow to infinity, nesting deep enough to crash a reader); :func:`check_values`
checks that every number a view shows is a finite number in its range and every
table has its shape. Each problem is one :class:`InputError` line.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Mapping
from typing import Any

from imbal_core.errors import InputError

MAX_DEPTH = 64  # far deeper than any results file; a crafted one stops here

UNIT = (0.0, 1.0)
RANGES = {
    "threshold": UNIT,
    "suggested_threshold": UNIT,
    "precision": UNIT,
    "recall": UNIT,
    "f1": UNIT,
    "accuracy": UNIT,
    "pr_auc": UNIT,
    "roc_auc": UNIT,
    "brier": UNIT,
    "validation_pr_auc": UNIT,
    "mcc": (-1.0, 1.0),
    "cost": (0.0, math.inf),
    "validation_cost": (0.0, math.inf),
    "fit_seconds": (0.0, math.inf),
}
"""Each per-technique (and per-seed) number a view shows, and its range."""


def parse_json(text: str | bytes, what: str) -> Any:
    """``text`` as strict JSON, or a one-line :class:`InputError` naming ``what``."""

    def constant(name: str) -> Any:
        raise InputError(f"{what} holds {name}, which is not a number JSON allows.")

    def number(text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise InputError(f"{what} holds the number {text[:20]}, too large to use.")
        return value

    try:
        found = json.loads(text, parse_constant=constant, parse_float=number)
    except RecursionError:
        raise InputError(f"{what} is nested too deeply to be a results file.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = (
            f" (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        raise InputError(f"{what} is not valid JSON{where}.") from None
    if _depth(found) > MAX_DEPTH:
        raise InputError(f"{what} is nested too deeply to be a results file.")
    return found


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, Mapping):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def check_values(results: Mapping[str, Any], what: str) -> None:
    """The dataset summary, the configuration, every technique's numbers, confusion
    matrices and curves, and the recommendation: checked."""
    _dataset(results["dataset"], what)
    _config(results["config"], what)
    _recommendation(results.get("recommendation"), results["techniques"], what)
    _network_vs_reference(
        results.get("network_vs_reference"), results["techniques"], what
    )
    # Folds' test parts differ by a row or so; each run's matrix is its own fold's.
    cv = results["dataset"].get("cv")
    test_rows = None if cv else results["dataset"].get("test_rows")
    for name, summary in results["techniques"].items():
        where = f"{what}: technique {str(name)[:60]!r}"
        _text(summary.get("label"), f"{where}: label", optional=True)
        _text(summary.get("error"), f"{where}: error", optional=True)
        _text(summary.get("model"), f"{where}: model", optional=True)
        if summary.get("status") not in ("ok", "failed"):
            raise InputError(
                f"{where} has status {summary.get('status')!r}; the file is damaged."
            )
        if summary["status"] != "ok":
            continue
        _numbers(summary, where)
        _matrix(summary.get("confusion_matrix"), where, test_rows)
        seeds = summary.get("seeds", [])
        if not isinstance(seeds, list) or not all(
            isinstance(s, Mapping) for s in seeds
        ):
            raise InputError(
                f"{where}: its seeds are not a list of results; the file is damaged."
            )
        for seed in seeds:
            _numbers(seed, f"{where}, seed {seed.get('seed')!r}")
            if "confusion_matrix" in seed:
                _matrix(seed["confusion_matrix"], where, test_rows)
        _curves(summary.get("curves"), where)
        interval = summary.get("pr_auc_ci95")
        if interval is not None and not (
            isinstance(interval, list)
            and len(interval) == 2
            and all(_is_number(v) and 0 <= v <= 1 for v in interval)
            and interval[0] <= interval[1]
        ):
            raise InputError(
                f"{where}: its PR-AUC interval is not two numbers in 0..1."
            )


def _numbers(values: Mapping[str, Any], where: str) -> None:
    for key, (low, high) in RANGES.items():
        if key not in values or values[key] is None:
            continue
        value = values[key]
        if not _is_number(value) or not low <= value <= high:
            span = f"{low:g}..{high:g}" if math.isfinite(high) else f"at least {low:g}"
            raise InputError(
                f"{where}: {key} is {str(value)[:30]}, not a number {span}; the file is "
                "damaged or was edited."
            )


def _matrix(matrix: Any, where: str, test_rows: Any) -> None:
    cells = [c for row in matrix for c in row] if _is_grid(matrix, 2, 2) else None
    if cells is None or not all(
        isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in cells
    ):
        raise InputError(
            f"{where}: its confusion matrix is not 2 x 2 counts; the file is damaged."
        )
    if isinstance(test_rows, int) and sum(cells) != test_rows:
        raise InputError(
            f"{where}: its confusion matrix counts {sum(cells):,} rows, the test split has "
            f"{test_rows:,}; the file is damaged or was edited."
        )


def _curves(curves: Any, where: str) -> None:
    shapes = {
        "pr": ("precision", "recall"),
        "roc": ("fpr", "tpr"),
        "sweep": ("thresholds", "cost"),
        "reliability": ("predicted", "observed", "count"),
    }
    if not isinstance(curves, Mapping):
        raise InputError(f"{where}: it has no curves; the file is damaged.")
    for curve, keys in shapes.items():
        part = curves.get(curve)
        if not isinstance(part, Mapping):
            raise InputError(
                f"{where}: its {curve} curve is missing; the file is damaged."
            )
        lengths = set()
        for key in keys:
            values = part.get(key)
            if not isinstance(values, list) or not all(_is_number(v) for v in values):
                raise InputError(f"{where}: its {curve} curve's {key} are not numbers.")
            lengths.add(len(values))
        if len(lengths) > 1:
            raise InputError(f"{where}: its {curve} curve's columns differ in length.")
    counts = curves["sweep"].get("counts")
    if not isinstance(counts, list) or not all(
        isinstance(row, list)
        and len(row) == 4
        and all(isinstance(c, int) and c >= 0 for c in row)
        for row in counts
    ):
        raise InputError(f"{where}: its threshold sweep's counts are damaged.")


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _is_grid(value: Any, rows: int, columns: int) -> bool:
    return (
        isinstance(value, list)
        and len(value) == rows
        and all(isinstance(r, list) and len(r) == columns for r in value)
    )


def _text(value: Any, where: str, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise InputError(f"{where} is not text; the file is damaged.")


def _dataset(dataset: Mapping[str, Any], what: str) -> None:
    for key in (
        "rows",
        "positives",
        "features",
        "train_rows",
        "validation_rows",
        "test_rows",
    ):
        value = dataset.get(key)
        if value is not None and not (
            isinstance(value, int) and not isinstance(value, bool) and value >= 0
        ):
            raise InputError(
                f"{what}: the data's {key} is {str(value)[:30]}, not a count."
            )
    counts = dataset.get("class_counts", {})
    if not isinstance(counts, Mapping) or not all(
        isinstance(c, Mapping)
        and all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0
            for v in c.values()
        )
        for c in counts.values()
    ):
        raise InputError(f"{what}: the data's class counts are damaged.")
    _texts(dataset.get("notes", []), f"{what}: the data's notes")


def _config(config: Mapping[str, Any], what: str) -> None:
    seeds = config.get("seeds", [])
    if not isinstance(seeds, list) or not all(
        isinstance(s, int) and not isinstance(s, bool) for s in seeds
    ):
        raise InputError(f"{what}: the configuration's seeds are not whole numbers.")
    for key in ("techniques", "models", "notes"):
        _texts(config.get(key, []), f"{what}: the configuration's {key}")
    for key, kind in (
        ("costs", Mapping),
        ("operating_point", Mapping),
        ("sweeps", Mapping),
    ):
        if key in config and not isinstance(config[key], kind):
            raise InputError(f"{what}: the configuration's {key} are damaged.")
    costs = config.get("costs", {})
    missed, review = costs.get("missed", "amount"), costs.get("review", 0.0)
    if not (missed in (None, "amount") or (_is_number(missed) and missed >= 0)) or not (
        _is_number(review) and review >= 0
    ):
        raise InputError(
            f"{what}: the configuration's costs are not amounts of at least 0."
        )
    threshold = config.get("threshold")
    if not (
        threshold is None
        or isinstance(threshold, str)
        or (_is_number(threshold) and 0 <= threshold <= 1)
    ):
        raise InputError(f"{what}: the configuration's threshold is not 0..1.")
    for name, values in config.get("sweeps", {}).items():
        if not isinstance(values, list) or not all(
            _is_number(v) or isinstance(v, str)
            for v in values  # a shape: "64,32"
        ):
            raise InputError(
                f"{what}: the swept values of {str(name)[:30]!r} are not numbers or "
                "layer shapes."
            )


def _recommendation(found: Any, techniques: Mapping[str, Any], what: str) -> None:
    if found is None:
        return
    if (
        not isinstance(found, Mapping)
        or found.get("name") not in techniques
        or found.get("runner_up") not in (None, *techniques)
        or not isinstance(found.get("decided"), bool)
        or not isinstance(found.get("criterion"), str)
        or not _is_interval(found.get("ci95"))
        or not (found.get("difference") is None or _is_number(found.get("difference")))
        or not (found.get("interval") is None or isinstance(found.get("interval"), str))
    ):
        raise InputError(f"{what}: its recommendation is damaged.")


def _network_vs_reference(found: Any, techniques: Mapping[str, Any], what: str) -> None:
    if found is None:
        return
    if (
        not isinstance(found, Mapping)
        or found.get("network") not in techniques
        or found.get("reference") not in techniques
        or not isinstance(found.get("decided"), bool)
        or not _is_number(found.get("difference"))
        or not isinstance(found.get("interval"), str)
        or not _is_interval(found.get("ci95"))
    ):
        raise InputError(f"{what}: its network-vs-reference comparison is damaged.")


def _is_interval(ci: Any) -> bool:
    """None, or two numbers (an interval's ends)."""
    return ci is None or (
        isinstance(ci, list) and len(ci) == 2 and all(_is_number(v) for v in ci)
    )


def _texts(values: Any, where: str) -> None:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InputError(f"{where} are not a list of text; the file is damaged.")
