"""The threshold-free view: PR-AUC and friends, exact curves, calibration, and
whether a network learned at all."""

from __future__ import annotations

from typing import Any

import numpy as np

from imbal_core.evaluate._counts import _ratio, confusion_counts, scores


def threshold_free(y: np.ndarray, proba: np.ndarray) -> dict[str, float]:
    """PR-AUC (average precision), ROC-AUC and the Brier score."""
    from sklearn import metrics  # imported on first use: pages open faster

    return {
        "pr_auc": float(metrics.average_precision_score(y, proba)),
        "roc_auc": float(metrics.roc_auc_score(y, proba)),
        "brier": float(np.mean((proba - y) ** 2)),
    }


def did_not_learn(
    y_val: np.ndarray,
    proba_val: np.ndarray,
    proba_test: np.ndarray,
    shuffles: int = 19,
    seed: int = 0,
) -> str | None:
    """Why a trained network shows no sign of learning, or None when it does.

    Two symptoms of an undertrained network (e.g. ~40 gradient steps on a small
    file): every test probability is the same, or its validation ranking is no
    better than chance, i.e. its validation PR-AUC does not beat that of every one
    of ``shuffles`` random relabellings (a one-sided permutation test at 5 %).
    Judged on validation, like everything else that is decided.
    """
    advice = "try more epochs or a smaller batch"
    spread = float(np.ptp(proba_test)) if len(proba_test) else 0.0
    if spread < 1e-6:
        value = float(proba_test[0]) if len(proba_test) else float("nan")
        return f"did not learn: it gives every test case the same probability ({value:.4f}); {advice}"
    from imbal_core.evaluate._intervals import (
        average_precision,
    )  # sklearn's, ~5x faster

    observed = average_precision(y_val, proba_val)
    rng = np.random.default_rng(seed)
    chance = max(
        average_precision(rng.permutation(y_val), proba_val) for _ in range(shuffles)
    )
    if observed <= chance:
        return (
            f"did not learn: its validation PR-AUC ({observed:.3f}) is no better than with "
            f"shuffled labels (up to {chance:.3f}; positive share {np.mean(y_val):.2%}); {advice}"
        )
    return None


def curves(y: np.ndarray, proba: np.ndarray) -> dict[str, np.ndarray]:
    """The exact PR and ROC curves, as the vertices of the polylines a chart draws.

    Every operating point a threshold gives (rows flagged when **above** it) is a
    vertex here, or lies on the straight segment between two kept vertices: points
    on such a segment are dropped, corners and both ends never are. Each curve comes
    with the threshold of each vertex (``pr_thresholds``, ``roc_thresholds``;
    ``-inf`` flags every row).
    """
    from sklearn import metrics  # imported on first use: pages open faster

    y, proba = np.asarray(y), np.asarray(proba)
    distinct = np.unique(proba).astype(np.float64)
    if len(distinct) == 0:
        distinct = np.array([0.0])
    if 0 < int(np.sum(y == 1)) < len(y):
        # sklearn flags ``score >= t``; it leaves out points inside straight runs.
        roc_at = metrics.roc_curve(y, proba, drop_intermediate=True)[2]
        pr_at = metrics.precision_recall_curve(y, proba, drop_intermediate=True)[2]
    else:  # one class only: sklearn's curves are undefined; ours are just short
        roc_at = pr_at = distinct
    roc_t, roc_counts = _vertices_above(y, proba, distinct, roc_at)
    pr_t, pr_counts = _vertices_above(y, proba, distinct, pr_at)

    tn, fp = roc_counts[:, 0], roc_counts[:, 1]
    fpr, tpr = _ratio(fp, fp + tn), scores(roc_counts)["recall"]
    keep = _corners(fpr, tpr)
    roc = {"fpr": fpr[keep], "tpr": tpr[keep], "roc_thresholds": roc_t[keep]}
    s = scores(pr_counts)
    precision = s["precision"]
    if len(precision) > 1 and pr_counts[-1, 1] + pr_counts[-1, 3] == 0:
        # Flagging nothing, precision is 0/0 (reported as 0). Drawn at 0, every curve
        # would dive from its fewest alerts to the origin, a precision no threshold
        # gives; sklearn's 1 promises one no alert achieved. The curve stays flat to
        # recall 0 instead, and a dot that flags nothing sits at that end
        # (:func:`pr_point`).
        precision = np.r_[precision[:-1], precision[-2]]
    keep = _corners(s["recall"], precision)
    pr = {
        "precision": precision[keep],
        "recall": s["recall"][keep],
        "pr_thresholds": pr_t[keep],
    }
    return {**pr, **roc}


def pr_point(counts: Any, curve_precision: Any) -> tuple[float, float]:
    """Where the PR chart draws the operating point of one ``(tn, fp, fn, tp)`` row:
    (recall, precision), or the curve's recall-0 end when nothing is flagged."""
    tn, fp, fn, tp = (float(v) for v in np.asarray(counts).ravel())
    if tp + fp == 0:
        return 0.0, float(np.asarray(curve_precision)[-1])
    return (tp / (tp + fn) if tp + fn else 0.0), tp / (tp + fp)


def _vertices_above(
    y: np.ndarray, proba: np.ndarray, distinct: np.ndarray, at_or_above: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """sklearn's ``>= t`` thresholds as this product's ``> t`` ones, with their counts.

    ``score >= t`` flags the same rows as ``score > s`` for ``s`` the largest distinct
    score below ``t`` (``-inf`` when there is none; ``t = inf`` gives the largest
    score: nothing flagged). Both ends (everything and nothing flagged) are added.
    """
    below = np.searchsorted(distinct, np.asarray(at_or_above, np.float64)) - 1
    above = np.where(below >= 0, distinct[np.maximum(below, 0)], -np.inf)
    # distinct[-2:]: the fewest alerts (only the top score flagged), then none.
    thresholds = np.unique(np.concatenate([[-np.inf], above, distinct[-2:]]))
    return thresholds, confusion_counts(y, proba, thresholds)


def _corners(x: np.ndarray, y: np.ndarray, tolerance: float = 1e-9) -> np.ndarray:
    """Indices of the points worth drawing: repeats and every point lying on the
    straight segment between its neighbours (within ``tolerance``, relative) go;
    both ends and every corner stay."""
    points = np.column_stack([x, y]).astype(np.float64)
    index = np.flatnonzero(np.r_[True, np.any(np.diff(points, axis=0) != 0, axis=1)])
    if len(index) < 3:
        return index
    points = points[index]
    before, after = points[1:-1] - points[:-2], points[2:] - points[1:-1]
    cross = before[:, 0] * after[:, 1] - before[:, 1] * after[:, 0]
    span = np.hypot(*before.T) * np.hypot(*after.T)
    onward = np.sum(before * after, axis=1) > 0  # between its neighbours, not back
    straight = (np.abs(cross) <= tolerance * span) & onward
    return index[np.r_[True, ~straight, True]]


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
