"""Probabilities → metrics, curves, costs and thresholds: pure, cheap functions.

A row is predicted positive when its probability is **above** the threshold (the
seed's ``> 0.5``). Nothing here trains anything, so every function can run on each
move of the threshold slider.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

THRESHOLD_GRID = np.round(np.linspace(0.0, 1.0, 101), 2)


# ------------------------------------------------------------ confusion counts
def confusion_counts(y: np.ndarray, proba: np.ndarray, thresholds: Any) -> np.ndarray:
    """``[tn, fp, fn, tp]`` for each threshold (shape ``(len(thresholds), 4)``).

    One sort, then a binary search per threshold: a whole sweep costs about what a
    single threshold costs.
    """
    thresholds = np.atleast_1d(np.asarray(thresholds, dtype=np.float64))
    positives = np.sort(proba[y == 1])
    negatives = np.sort(proba[y == 0])
    fn = np.searchsorted(positives, thresholds, side="right")
    tn = np.searchsorted(negatives, thresholds, side="right")
    return np.stack([tn, len(negatives) - tn, fn, len(positives) - fn], axis=1)


def confusion_matrix(
    y: np.ndarray, proba: np.ndarray, threshold: float
) -> list[list[int]]:
    """``[[tn, fp], [fn, tp]]`` at one threshold, like sklearn's."""
    tn, fp, fn, tp = (int(v) for v in confusion_counts(y, proba, threshold)[0])
    return [[tn, fp], [fn, tp]]


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num, den = np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def scores(counts: np.ndarray) -> dict[str, np.ndarray]:
    """Positive-class precision, recall, F1, accuracy and MCC from ``[tn, fp, fn, tp]`` rows."""
    tn, fp, fn, tp = (np.asarray(counts, dtype=np.float64)[..., i] for i in range(4))
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    mcc_den = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return {
        "precision": precision,
        "recall": recall,
        "f1": _ratio(2 * precision * recall, precision + recall),
        "accuracy": _ratio(tp + tn, tp + tn + fp + fn),
        "mcc": _ratio(tp * tn - fp * fn, mcc_den),
    }


def classification_report(
    counts: Any, negative: str = "0", positive: str = "1"
) -> dict[str, Any]:
    """The seed's classification report as data (sklearn's ``output_dict`` layout)."""
    tn, fp, fn, tp = (float(v) for v in np.asarray(counts).ravel())
    per_class = {}
    for label, (hit, false_alarm, miss) in (
        (negative, (tn, fn, fp)),
        (positive, (tp, fp, fn)),
    ):
        precision = hit / (hit + false_alarm) if hit + false_alarm else 0.0
        recall = hit / (hit + miss) if hit + miss else 0.0
        f1 = (
            2 * precision * recall / (precision + recall) if precision + recall else 0.0
        )
        per_class[label] = {
            "precision": precision,
            "recall": recall,
            "f1-score": f1,
            "support": int(hit + miss),
        }
    total = tn + fp + fn + tp
    keys = ("precision", "recall", "f1-score")
    supports = [per_class[negative]["support"], per_class[positive]["support"]]
    report: dict[str, Any] = dict(per_class)
    report["accuracy"] = (tp + tn) / total if total else 0.0
    report["macro avg"] = {
        k: (per_class[negative][k] + per_class[positive][k]) / 2 for k in keys
    }
    report["macro avg"]["support"] = int(total)
    report["weighted avg"] = {
        k: (per_class[negative][k] * supports[0] + per_class[positive][k] * supports[1])
        / total
        if total
        else 0.0
        for k in keys
    }
    report["weighted avg"]["support"] = int(total)
    return report


def at_counts(counts: Any) -> dict[str, Any]:
    """Everything that depends on the threshold, from one ``(tn, fp, fn, tp)`` row:
    the scores, the confusion matrix and the classification report (not the cost)."""
    counts = np.asarray(counts, dtype=np.float64).ravel()
    fields: dict[str, Any] = {
        k: float(v[0]) for k, v in scores(counts[None, :]).items()
    }
    tn, fp, fn, tp = (int(v) for v in counts)
    fields["confusion_matrix"] = [[tn, fp], [fn, tp]]
    fields["classification_report"] = classification_report(counts)
    return fields


# --------------------------------------------------------- threshold-free view
def threshold_free(y: np.ndarray, proba: np.ndarray) -> dict[str, float]:
    """PR-AUC (average precision), ROC-AUC and the Brier score."""
    from sklearn import metrics  # imported on first use: pages open faster

    return {
        "pr_auc": float(metrics.average_precision_score(y, proba)),
        "roc_auc": float(metrics.roc_auc_score(y, proba)),
        "brier": float(np.mean((proba - y) ** 2)),
    }


def curves(
    y: np.ndarray, proba: np.ndarray, points: int = 300
) -> dict[str, np.ndarray]:
    """PR and ROC curves sampled at ``points`` quantiles of the scores (enough to draw)."""
    quantiles = np.unique(np.quantile(proba, np.linspace(0, 1, points)))
    thresholds = np.concatenate([[-np.inf], quantiles, [np.inf]])
    counts = confusion_counts(y, proba, thresholds)
    tn, fp, fn, tp = counts.T.astype(np.float64)
    s = scores(counts)
    precision = np.where(
        tp + fp > 0, s["precision"], 1.0
    )  # no alerts: precision 1 by convention
    return {
        "thresholds": thresholds,
        "precision": precision,
        "recall": s["recall"],
        "fpr": _ratio(fp, fp + tn),
        "tpr": s["recall"],
    }


def reliability(
    y: np.ndarray, proba: np.ndarray, bins: int = 10
) -> dict[str, np.ndarray]:
    """Mean predicted probability against the observed positive rate, per bin of equal width."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(proba, edges[1:-1]), 0, bins - 1)
    count = np.bincount(which, minlength=bins)
    predicted = _ratio(np.bincount(which, weights=proba, minlength=bins), count)
    observed = _ratio(np.bincount(which, weights=y, minlength=bins), count)
    keep = count > 0
    return {
        "predicted": predicted[keep],
        "observed": observed[keep],
        "count": count[keep],
    }


# ----------------------------------------------------------------------- costs
@dataclass(frozen=True)
class Costs:
    """What a decision costs: a missed positive, and each alert an analyst reviews.

    ``missed`` is a fixed amount, or ``None`` to charge each missed positive its own
    transaction amount.
    """

    missed: float | None = 100.0
    review: float = 5.0

    def describe(self) -> str:
        missed = "its transaction amount" if self.missed is None else f"{self.missed:g}"
        return f"missed positive: {missed}; reviewed alert: {self.review:g}"


def cost_curve(
    y: np.ndarray,
    proba: np.ndarray,
    thresholds: Any,
    costs: Costs,
    amounts: np.ndarray | None = None,
) -> np.ndarray:
    """Total cost at each threshold: missed positives plus reviewed alerts."""
    thresholds = np.atleast_1d(np.asarray(thresholds, dtype=np.float64))
    counts = confusion_counts(y, proba, thresholds)
    alerts = counts[:, 1] + counts[:, 3]
    if costs.missed is None and amounts is not None:
        order = np.argsort(proba[y == 1], kind="stable")
        sorted_positive = proba[y == 1][order]
        cumulative = np.concatenate([[0.0], np.cumsum(amounts[y == 1][order])])
        missed = cumulative[np.searchsorted(sorted_positive, thresholds, side="right")]
    else:
        missed = counts[:, 2] * (costs.missed if costs.missed is not None else 0.0)
    return missed + alerts * costs.review


def precision_at_top(y: np.ndarray, proba: np.ndarray, k: int) -> float:
    """Share of positives among the ``k`` highest-scored rows (an analyst team's daily capacity)."""
    k = max(1, min(int(k), len(proba)))
    top = np.argpartition(-proba, k - 1)[:k]
    return float(y[top].mean())


# ------------------------------------------------------------------ thresholds
def suggest_threshold(
    y_val: np.ndarray,
    proba_val: np.ndarray,
    objective: str = "f1",
    costs: Costs | None = None,
    amounts_val: np.ndarray | None = None,
) -> float:
    """The grid threshold that maximises F1 (or minimises cost) on the **validation** split."""
    grid = THRESHOLD_GRID[:-1]  # 1.0 flags nothing
    if objective == "cost":
        values = cost_curve(y_val, proba_val, grid, costs or Costs(), amounts_val)
        return float(grid[int(np.argmin(values))])
    if objective != "f1":
        raise ValueError(f"objective must be 'f1' or 'cost', got {objective!r}")
    f1 = scores(confusion_counts(y_val, proba_val, grid))["f1"]
    return float(grid[int(np.argmax(f1))])


# -------------------------------------------------------------- uncertainty
def mean_ci95(values: Any) -> tuple[float, tuple[float, float]]:
    """Mean and Student-t 95 % confidence interval (a point when there is one value)."""
    from scipy import stats  # imported on first use: pages open faster

    values = np.asarray(values, dtype=np.float64)
    mean = float(values.mean())
    if len(values) < 2:
        return mean, (mean, mean)
    half = float(
        stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
    )
    return mean, (mean - half, mean + half)


def paired_comparison(a: Any, b: Any) -> dict[str, float | str]:
    """Does A beat B across the same seeds? Mean difference, its 95 % CI and a paired t-test."""
    from scipy import stats

    diff = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    mean, (low, high) = mean_ci95(diff)
    if len(diff) < 2:
        verdict, p_value = "needs two or more seeds", float("nan")
    else:
        if np.ptp(diff) > 1e-12:
            p_value = float(stats.ttest_rel(a, b).pvalue)
        else:  # identical differences: the t-test is undefined, the answer is not
            p_value = 0.0 if mean != 0 else 1.0
        verdict = (
            "A better" if low > 0 else "B better" if high < 0 else "no clear difference"
        )
    return {
        "mean_difference": mean,
        "ci95": [low, high],
        "p_value": p_value,
        "verdict": verdict,
    }
