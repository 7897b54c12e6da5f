"""Run a comparison: one data set × techniques × seeds → probabilities and metrics.

Training is the only expensive step. A :class:`Run` keeps the validation and test
probabilities, so every later view (a new threshold, a cost, a report) is computed
from them without touching a network again.
"""

from __future__ import annotations

import gc
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import keras
import numpy as np

from imbal_core import evaluate, techniques
from imbal_core.data import Dataset
from imbal_core.errors import InputError
from imbal_core.evaluate import Costs
from imbal_core.model import Progress

TechniqueProgress = Callable[[str, int, float, str], None]
"""Called with (technique name, seed, fraction of that run done, message)."""


@dataclass(eq=False)
class Run:
    """One technique trained with one seed: its probabilities, or why it failed."""

    technique: str
    seed: int
    params: dict[str, Any]
    y_val: np.ndarray = field(repr=False)
    y_test: np.ndarray = field(repr=False)
    proba_val: np.ndarray | None = field(default=None, repr=False)
    proba_test: np.ndarray | None = field(default=None, repr=False)
    train_class_counts: dict[str, int] = field(default_factory=dict)
    fit_seconds: float = 0.0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @cached_property
    def threshold_free(self) -> dict[str, float]:
        """PR-AUC, ROC-AUC and Brier on test, computed once."""
        return evaluate.threshold_free(self.y_test, self.proba_test)

    @cached_property
    def curves(self) -> dict[str, np.ndarray]:
        return evaluate.curves(self.y_test, self.proba_test)

    def suggested_threshold(
        self, objective: str = "f1", costs: Costs | None = None, amounts_val: Any = None
    ) -> float:
        return evaluate.suggest_threshold(
            self.y_val, self.proba_val, objective, costs, amounts_val
        )

    def at(self, threshold: float) -> dict[str, Any]:
        """Test metrics at ``threshold``: scores, confusion matrix and the full report."""
        counts = evaluate.confusion_counts(self.y_test, self.proba_test, threshold)[0]
        result = {k: float(v[0]) for k, v in evaluate.scores(counts[None, :]).items()}
        tn, fp, fn, tp = (int(v) for v in counts)
        result["confusion_matrix"] = [[tn, fp], [fn, tp]]
        result["classification_report"] = evaluate.classification_report(counts)
        return result


def train_one(
    dataset: Dataset,
    technique: str,
    params: dict[str, Any],
    seed: int = 42,
    progress: Progress | None = None,
) -> Run:
    """Train one technique with one seed; a failure is recorded on the run, never raised."""
    run = Run(technique, seed, dict(params), dataset.y_val, dataset.y_test)
    try:
        model = techniques.create(technique, seed=seed, **params)
        model.fit(dataset.X_train, dataset.y_train, progress=progress)
        run.proba_val = model.predict_proba(dataset.X_val)
        run.proba_test = model.predict_proba(dataset.X_test)
        run.train_class_counts = model.train_class_counts_
        run.fit_seconds = model.fit_seconds_
        if not np.all(np.isfinite(run.proba_test)):
            raise InputError(
                "training diverged (probabilities are not finite); lower the learning load or epochs."
            )
    except InputError as exc:
        run.error = str(exc)
    except Exception as exc:  # one technique failing must not stop the others
        last = traceback.extract_tb(exc.__traceback__)[-1]
        detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        run.error = f"{type(exc).__name__}: {detail} (in {last.name})"
    finally:
        # Probabilities are all we keep: free the graph so repeated runs don't grow memory.
        keras.backend.clear_session()
        gc.collect()
    if not run.ok:
        run.proba_val = run.proba_test = None
    return run


def split_params(
    names: Sequence[str], values: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """Each technique's own share of a flat option dict (``epochs``, ``gamma``, ...)."""
    shared = {p.name for p in techniques.SHARED_PARAMS}
    result = {}
    for name in names:
        own = {p.name for p in techniques.get(name).params}
        result[name] = {
            k: v
            for k, v in values.items()
            if (k in shared or k in own) and v is not None
        }
    return result


def validate_options(
    dataset: Dataset, names: Sequence[str], options: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """Check names and hyperparameters before any training; returns each technique's share."""
    if not names:
        raise InputError("no technique selected; choose at least one.")
    for name in names:
        techniques.get(name)
    # Every value given is checked, also those of techniques not selected: a typo'd
    # alpha must not pass silently just because focal loss was left out this time.
    declared = {
        p.name: p
        for cls in techniques.REGISTRY.values()
        for p in (*techniques.SHARED_PARAMS, *cls.params)
    }
    checked = {
        k: declared[k].check(v) if k in declared and v is not None else v
        for k, v in options.items()
    }
    batch = checked.get("batch_size")
    if batch is not None and batch > len(dataset.y_train):
        raise InputError(
            f"batch size {batch} is larger than the {len(dataset.y_train)} training rows; lower it."
        )
    return split_params(names, checked)


@dataclass
class Comparison:
    """Every run of a comparison, plus what is needed to evaluate them honestly."""

    dataset: dict[str, Any]
    config: dict[str, Any]
    runs: dict[str, list[Run]]
    amounts_val: np.ndarray | None = field(default=None, repr=False)
    amounts_test: np.ndarray | None = field(default=None, repr=False)

    def ok_runs(self, name: str) -> list[Run]:
        return [r for r in self.runs[name] if r.ok]

    def error(self, name: str) -> str | None:
        """The first failure's reason when every seed of ``name`` failed."""
        return None if self.ok_runs(name) else self.runs[name][0].error


def run_comparison(
    dataset: Dataset,
    names: Sequence[str],
    options: dict[str, Any],
    seeds: Sequence[int] = (42,),
    progress: TechniqueProgress | None = None,
) -> Comparison:
    """Train every technique in ``names`` with every seed; failures stay per technique."""
    per_technique = validate_options(dataset, names, options)
    runs: dict[str, list[Run]] = {}
    for name in names:
        runs[name] = []
        for seed in seeds:
            report = (
                None
                if progress is None
                else (lambda f, m, n=name, s=seed: progress(n, s, f, m))
            )
            runs[name].append(
                train_one(dataset, name, per_technique[name], seed, report)
            )
            if progress is not None:
                last = runs[name][-1]
                progress(
                    name, seed, 1.0, "done" if last.ok else f"failed: {last.error}"
                )
    config = {"techniques": list(names), "seeds": list(seeds), **options}
    return Comparison(
        dataset.summary(), config, runs, dataset.amount_val, dataset.amount_test
    )


# ------------------------------------------------------------------- results
AT_THRESHOLD = ("precision", "recall", "f1", "accuracy", "mcc", "cost")
"""The metrics that change with the threshold (means over seeds in a summary)."""


def technique_summary(
    comparison: Comparison,
    name: str,
    threshold: float | None = 0.5,
    costs: Costs | None = None,
    objective: str = "f1",
) -> dict[str, Any]:
    """What ``results.json`` says of one technique: means over seeds at ``threshold``.

    ``threshold=None`` uses each run's suggested threshold (chosen on validation).
    The confusion matrix and classification report are the first seed's.
    """
    costs = costs or Costs()
    runs = comparison.ok_runs(name)
    registered = techniques.REGISTRY.get(
        name
    )  # results may outlive a removed technique
    label = registered.label if registered else name
    if not runs:
        return {"status": "failed", "label": label, "error": comparison.error(name)}
    per_seed = [
        {
            "seed": run.seed,
            "suggested_threshold": run.suggested_threshold(
                objective, costs, comparison.amounts_val
            ),
            **run.threshold_free,
            "train_class_counts": run.train_class_counts,
            "fit_seconds": round(run.fit_seconds, 3),
        }
        for run in runs
    ]
    pr_auc_mean, pr_auc_ci = evaluate.mean_ci95([s["pr_auc"] for s in per_seed])
    failed = len(comparison.runs[name]) - len(runs)
    base = {
        "status": "ok",
        "label": label,
        "error": None
        if not failed
        else f"{failed} seed(s) failed: {comparison.runs[name][0].error}",
        "suggested_threshold": per_seed[0]["suggested_threshold"],
        **{
            k: float(np.mean([s[k] for s in per_seed]))
            for k in ("pr_auc", "roc_auc", "brier")
        },
        "train_class_counts": per_seed[0]["train_class_counts"],
        "fit_seconds": float(np.sum([s["fit_seconds"] for s in per_seed])),
        "pr_auc_mean": pr_auc_mean,
        "pr_auc_ci95": list(pr_auc_ci),
        "seeds": per_seed,
        "curves": _curves_json(runs[0], costs, comparison.amounts_test),
    }
    thresholds = (
        [s["suggested_threshold"] for s in per_seed] if threshold is None else threshold
    )
    return rescore(base, runs, thresholds, costs, comparison.amounts_test)


def rescore(
    summary: dict[str, Any],
    runs: Sequence[Run],
    threshold: float | Sequence[float],
    costs: Costs,
    amounts_test: np.ndarray | None = None,
) -> dict[str, Any]:
    """``summary`` with its threshold-dependent fields recomputed at ``threshold``.

    The cheap part of :func:`technique_summary` (no curves, no suggestions): what a
    threshold slider needs on every move. ``threshold`` may be one per run.
    """
    if summary.get("status") != "ok":
        return summary
    thresholds = [threshold] * len(runs) if np.isscalar(threshold) else list(threshold)
    seeds, report = [], None
    for run, old, used in zip(runs, summary["seeds"], thresholds, strict=True):
        at = run.at(used)
        report = report or at["classification_report"]
        cost = evaluate.cost_curve(
            run.y_test, run.proba_test, used, costs, amounts_test
        )[0]
        seeds.append(
            {
                **old,
                "threshold": float(used),
                **{k: at[k] for k in AT_THRESHOLD if k != "cost"},
                "cost": float(cost),
                "confusion_matrix": at["confusion_matrix"],
            }
        )
    return {
        **summary,
        "threshold": seeds[0]["threshold"],
        **{k: float(np.mean([s[k] for s in seeds])) for k in AT_THRESHOLD},
        "confusion_matrix": seeds[0]["confusion_matrix"],
        "classification_report": report,
        "seeds": seeds,
    }


def _curves_json(
    run: Run, costs: Costs, amounts_test: np.ndarray | None
) -> dict[str, Any]:
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
                    run.y_test, run.proba_test, grid, costs, amounts_test
                )
            ),
        },
        "reliability": {k: rounded(v) for k, v in calibration.items()},
    }


def results_json(
    comparison: Comparison,
    threshold: float | None = 0.5,
    costs: Costs | None = None,
    objective: str = "f1",
) -> dict[str, Any]:
    """The whole comparison as plain JSON data (the CLI's ``results.json``)."""
    costs = costs or Costs()
    started = time.perf_counter()
    result = {
        "dataset": comparison.dataset,
        "config": {
            **comparison.config,
            "threshold": "suggested" if threshold is None else threshold,
            "threshold_objective": objective,
            "costs": {
                "missed": costs.missed if costs.missed is not None else "amount",
                "review": costs.review,
            },
        },
        "techniques": {
            name: technique_summary(comparison, name, threshold, costs, objective)
            for name in comparison.runs
        },
    }
    result["config"]["evaluation_seconds"] = round(time.perf_counter() - started, 4)
    return result
