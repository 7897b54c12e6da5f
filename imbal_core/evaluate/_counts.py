"""Confusion counts at thresholds and everything computed from them (``> t`` rule)."""

from __future__ import annotations

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
