"""Runs -> the results contract: one summary, one re-scoring rule.

:func:`technique_summary` is the expensive half (curves, validation suggestions,
sweep); :func:`rescore` the cheap, threshold-dependent half that the Compare page's
slider, the CLI and the benchmark all call. :func:`at_threshold` re-scores a results
JSON with no probabilities at hand, from its stored sweep. All three derive the
threshold-dependent fields through :func:`fields_at`, so they cannot disagree.
"""

from __future__ import annotations

import copy
import numbers
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from imbal_core import evaluate
from imbal_core.errors import InputError
from imbal_core.evaluate import Costs, OperatingPoint
from imbal_core.results._contract import (
    Results,
    TechniqueSummary,
    check_results,
    label,
)
from imbal_core.results._recommend import network_vs_reference, recommend
from imbal_core.results._runs import Comparison, Scored

AT_THRESHOLD = ("precision", "recall", "f1", "accuracy", "mcc", "cost")
"""The metrics that change with the threshold (means over seeds in a summary)."""


def fields_at(counts: Any, cost: float) -> dict[str, Any]:
    """The threshold-dependent fields of a summary from one ``(tn, fp, fn, tp)`` row."""
    return {**evaluate.at_counts(counts), "cost": float(cost)}


def technique_summary(
    comparison: Comparison,
    name: str,
    threshold: float | str | OperatingPoint | None = 0.5,
    costs: Costs | None = None,
    objective: str = "f1",
) -> TechniqueSummary:
    """What the results say of one technique: means over seeds at ``threshold``.

    ``threshold`` is an operating point (:class:`~imbal_core.evaluate.OperatingPoint`
    or its text: ``0.5``, ``"recall=0.8"``, ``"alerts=5"``); ``None`` means each
    run's suggested threshold. Every threshold is chosen on validation. The
    confusion matrix and classification report are the first seed's.
    """
    costs = costs or Costs()
    runs = comparison.ok_runs(name)
    shown, model = label(name), comparison.runs[name][0].model
    if not runs:
        return {
            "status": "failed",
            "label": shown,
            "error": comparison.error(name),
            "model": model,
        }
    cv = comparison.dataset.get("cv")
    per_seed = [
        {
            "seed": run.seed,
            **_fold_of(run.run.split, cv),
            "suggested_threshold": run.suggested_threshold(objective, costs),
            **run.threshold_free,
            "validation_pr_auc": run.validation_pr_auc,
            "train_class_counts": run.train_class_counts,
            "fit_seconds": round(run.fit_seconds, 3),
            "epochs_run": run.epochs_run,
            "best_epoch": run.best_epoch,
        }
        for run in runs
    ]
    pr_auc_mean, pr_auc_ci, pr_auc_ci_kind = _pr_auc_interval(runs, per_seed, cv)
    failures = [r for r in comparison.runs[name] if not r.ok]
    base = {
        "status": "ok",
        "label": shown,
        "model": model,
        "error": _failures(failures, cv),
        "suggested_threshold": per_seed[0]["suggested_threshold"],
        **{
            k: float(np.mean([s[k] for s in per_seed]))
            for k in ("pr_auc", "roc_auc", "brier")
        },
        "train_class_counts": per_seed[0]["train_class_counts"],
        "fit_seconds": float(np.sum([s["fit_seconds"] for s in per_seed])),
        **_epochs(per_seed),
        "warnings": [
            f"{_where(run, cv)}: {w}" if len(runs) > 1 else w
            for run in runs
            for w in run.warnings
        ],
        "pr_auc_mean": pr_auc_mean,
        "pr_auc_ci95": list(pr_auc_ci),
        "pr_auc_ci_kind": pr_auc_ci_kind,
        "seeds": per_seed,
        "curves": _curves_json(runs[0], costs),
        **({"test_train_ratio": float(cv["test_train_ratio"])} if cv else {}),
    }
    return rescore(
        base,
        runs,
        thresholds_at(OperatingPoint.parse(threshold), runs, per_seed),
        costs,
    )


def thresholds_at(
    point: OperatingPoint,
    runs: Sequence[Scored],
    per_seed: Sequence[Mapping[str, Any]],
) -> list[float]:
    """Each run's threshold at ``point``, from its validation split only."""
    return [
        point.threshold(run.y_val, run.proba_val, seed["suggested_threshold"])
        for run, seed in zip(runs, per_seed, strict=True)
    ]


def _epochs(per_seed: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """Mean epochs run and best epoch over seeds (when the runs recorded them)."""
    known = [s for s in per_seed if s.get("epochs_run") is not None]
    if not known:
        return {}
    return {
        key: round(float(np.mean([s[key] for s in known])), 1)
        for key in ("epochs_run", "best_epoch")
    }


def _where(run: Scored, cv: Mapping[str, Any] | None) -> str:
    """Which run: "seed 42", or "repeat 1, fold 3, seed 42" with cross-validation."""
    if not cv:
        return f"seed {run.seed}"
    where = _fold_of(run.run.split, cv)
    return f"repeat {where['repeat']}, fold {where['fold']}, seed {run.seed}"


def _failures(failures: Sequence[Any], cv: Mapping[str, Any] | None) -> str | None:
    """Why some runs of a technique that trained failed (the first reason)."""
    if not failures:
        return None
    if not cv:
        return f"{len(failures)} seed(s) failed: {failures[0].error}"
    where = _fold_of(failures[0].split, cv)
    return (
        f"{len(failures)} run(s) failed; repeat {where['repeat']}, fold "
        f"{where['fold']}: {failures[0].error}"
    )


def _fold_of(split: int, cv: Mapping[str, Any] | None) -> dict[str, int]:
    """Which fold a run was scored on (nothing for the holdout split)."""
    if not cv:
        return {}
    repeat, fold = divmod(split, int(cv["folds"]))
    return {"split": split, "repeat": repeat + 1, "fold": fold + 1}


FOLD_METRICS = (
    "pr_auc",
    "roc_auc",
    "brier",
    "validation_pr_auc",
    "threshold",
    *AT_THRESHOLD,
    "validation_cost",
)


def fold_results(seeds: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each fold's results: its runs' metrics averaged over their seeds, in fold
    order (empty for the holdout split)."""
    by_split: dict[int, list[Mapping[str, Any]]] = {}
    for seed in seeds:
        if "split" in seed:
            by_split.setdefault(int(seed["split"]), []).append(seed)
    return [
        {
            "split": split,
            "repeat": runs[0]["repeat"],
            "fold": runs[0]["fold"],
            "seeds": len(runs),
            **{
                k: float(np.mean([r[k] for r in runs]))
                for k in FOLD_METRICS
                if all(k in r for r in runs)
            },
        }
        for split, runs in sorted(by_split.items())
    ]


def _pr_auc_interval(
    runs: Sequence[Scored],
    per_seed: Sequence[Mapping[str, Any]],
    cv: Mapping[str, Any] | None = None,
) -> tuple[float, tuple[float, float], str]:
    """Mean PR-AUC, its 95 % interval and what kind of interval it is.

    Over folds with cross-validation (each fold's mean over its seeds; Nadeau &
    Bengio's correction for overlapping training sets); else over seeds when there
    are several (kept inside [0, 1]); with one seed, a bootstrap over the test rows,
    the only sampling error one seed can show.
    """
    bounds = evaluate.METRIC_BOUNDS["pr_auc"]
    folds = fold_results(per_seed)
    if len(folds) > 1:
        mean, ci = evaluate.interval(
            [f["pr_auc"] for f in folds],
            bounds,
            test_train_ratio=float(cv["test_train_ratio"]),
        )
        return mean, ci, evaluate.interval_kind(bounds, len(folds), folds=True)
    values = [s["pr_auc"] for s in per_seed]
    if len(values) > 1:
        mean, ci = evaluate.interval(values, bounds)
        return mean, ci, evaluate.interval_kind(bounds, len(values))
    mean = float(values[0])
    _, (low, high) = evaluate.bootstrap_pr_auc(runs[0].y_test, runs[0].proba_test)
    return mean, (min(low, mean), max(high, mean)), evaluate.bootstrap_kind()


def rescore(
    summary: Mapping[str, Any],
    runs: Sequence[Scored],
    threshold: float | Sequence[float],
    costs: Costs,
) -> TechniqueSummary:
    """``summary`` with its threshold-dependent fields recomputed at ``threshold``.

    The cheap part of :func:`technique_summary` (no curves, no suggestions): what a
    threshold slider needs on every move. ``threshold`` may be one per run. The
    validation cost at the threshold rides along: a recommendation by cost is made
    on validation, never on the test figures it then reports.
    """
    if summary.get("status") != "ok":
        return dict(summary)  # type: ignore[return-value]
    thresholds = [threshold] * len(runs) if np.isscalar(threshold) else list(threshold)
    seeds, report = [], None
    for run, old, used in zip(runs, summary["seeds"], thresholds, strict=True):
        at = fields_at(run.counts_at(used), run.cost_at(used, costs))
        seed_report = at.pop("classification_report")  # the first seed's is kept
        report = report or seed_report
        val_cost = run.cost_at(used, costs, on="validation")
        seeds.append(
            {**old, "threshold": float(used), **at, "validation_cost": val_cost}
        )
    folds = fold_results(seeds)
    return {
        **summary,
        **({"folds": folds} if folds else {}),
        "validation": {
            "pr_auc": float(np.mean([s["validation_pr_auc"] for s in seeds])),
            "cost": float(np.mean([s["validation_cost"] for s in seeds])),
        },
        "threshold": seeds[0]["threshold"],
        **{k: float(np.mean([s[k] for s in seeds])) for k in AT_THRESHOLD},
        "confusion_matrix": seeds[0]["confusion_matrix"],
        "classification_report": report,
        "seeds": seeds,
    }


def at_threshold(results: Mapping[str, Any], threshold: float) -> Results:
    """A copy of ``results`` with every technique's threshold metrics at ``threshold``.

    For when only the JSON is at hand: recomputed from the stored sweep (first seed,
    0.01 grid), so it needs no model; threshold-free metrics are unchanged.
    """
    if not isinstance(threshold, numbers.Real) or not 0.0 <= float(threshold) <= 1.0:
        raise InputError(f"the threshold must be between 0 and 1, got {threshold!r}.")
    results = copy.deepcopy(check_results(results))
    used = None
    for summary in results["techniques"].values():
        if summary.get("status") != "ok":
            continue
        sweep = summary["curves"]["sweep"]
        grid = np.asarray(sweep["thresholds"], dtype=np.float64)
        index = int(np.argmin(np.abs(grid - float(threshold))))
        used = float(grid[index])
        summary.update(fields_at(sweep["counts"][index], sweep["cost"][index]))
        summary["threshold"] = used
        # No validation sweep is stored: the validation cost was at the old threshold.
        (summary.get("validation") or {}).pop("cost", None)
        # The per-seed entries were at the old threshold; keep only the first seed's,
        # updated, so intervals don't mix thresholds.
        seeds = summary.get("seeds") or []
        if seeds:
            first = dict(seeds[0])
            first.update(
                {
                    k: summary[k]
                    for k in (*AT_THRESHOLD, "confusion_matrix", "threshold")
                }
            )
            summary["seeds"] = [first]
        summary.pop("folds", None)  # at the old thresholds, like the other seeds
    if (results.get("recommendation") or {}).get("criterion", "").endswith("cost"):
        # Chosen by validation cost at the old thresholds: no longer what it says.
        results.pop("recommendation")
    config = results["config"]
    config["threshold"] = used if used is not None else float(threshold)
    config["operating_point"] = OperatingPoint(
        "threshold", config["threshold"]
    ).as_json()
    config["threshold_note"] = (
        "re-evaluated from the stored probabilities of the first seed at this threshold"
    )
    return results


def _curves_json(run: Scored, costs: Costs) -> dict[str, Any]:
    """Enough of the first seed's test curves to redraw every chart from the JSON alone."""
    grid = evaluate.THRESHOLD_GRID
    curves = run.curves
    calibration = evaluate.reliability(run.y_test, run.proba_test)

    def rounded(values: Any) -> list:
        return np.round(np.asarray(values, dtype=np.float64), 5).tolist()

    return {
        "pr": {
            "precision": rounded(curves["precision"]),
            "recall": rounded(curves["recall"]),
        },
        "roc": {"fpr": rounded(curves["fpr"]), "tpr": rounded(curves["tpr"])},
        "sweep": {
            "thresholds": grid.tolist(),
            "counts": evaluate.confusion_counts(
                run.y_test, run.proba_test, grid
            ).tolist(),
            "cost": rounded(
                evaluate.cost_curve(
                    run.y_test, run.proba_test, grid, costs, run.split.amounts_test
                )
            ),
        },
        "reliability": {k: rounded(v) for k, v in calibration.items()},
    }


def results_json(
    comparison: Comparison,
    threshold: float | str | OperatingPoint | None = 0.5,
    costs: Costs | None = None,
    objective: str = "f1",
    techniques: Mapping[str, TechniqueSummary] | None = None,
) -> Results:
    """The whole comparison as plain JSON data (the CLI's ``results.json``).

    ``techniques``: the summaries at these settings when already computed (a
    :class:`ComparisonView`'s), so they are not computed twice.
    """
    costs = costs or Costs()
    point = OperatingPoint.parse(threshold)
    started = time.perf_counter()
    result: Results = {
        "dataset": comparison.dataset,
        "config": {
            **comparison.config,
            "threshold": point.value if point.mode == "threshold" else str(point),
            "operating_point": point.as_json(),
            "threshold_objective": objective,
            "costs": {
                "missed": costs.missed if costs.missed is not None else "amount",
                "review": costs.review,
            },
        },
        "techniques": dict(techniques)
        if techniques is not None
        else {
            name: technique_summary(comparison, name, point, costs, objective)
            for name in comparison.runs
        },
    }
    recommendation = recommend(comparison, result["techniques"], costs, objective)
    if recommendation is not None:
        result["recommendation"] = recommendation
    duel = network_vs_reference(comparison, result["techniques"], objective)
    if duel is not None:
        result["network_vs_reference"] = duel
    result["config"]["evaluation_seconds"] = round(time.perf_counter() - started, 4)
    return result
