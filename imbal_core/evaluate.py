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
    from sklearn import metrics

    observed = metrics.average_precision_score(y_val, proba_val)
    rng = np.random.default_rng(seed)
    chance = max(
        metrics.average_precision_score(rng.permutation(y_val), proba_val)
        for _ in range(shuffles)
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
    # With no alert, precision is 0/0. sklearn ends its curve at (recall 0,
    # precision 1), a convention for average precision; this product reports 0
    # there (``scores``, like sklearn's zero_division=0), so the curve ends at
    # (0, 0): where the dot for a threshold above every score is drawn, and no
    # promise of a precision that no alert achieved.
    s = scores(pr_counts)
    keep = _corners(s["recall"], s["precision"])
    pr = {
        "precision": s["precision"][keep],
        "recall": s["recall"][keep],
        "pr_thresholds": pr_t[keep],
    }
    return {**pr, **roc}


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
    thresholds = np.unique(np.concatenate([[-np.inf], above, distinct[-1:]]))
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
UNBOUNDED = (-np.inf, np.inf)
METRIC_BOUNDS: dict[str, tuple[float, float]] = {
    "precision": (0.0, 1.0),
    "recall": (0.0, 1.0),
    "f1": (0.0, 1.0),
    "accuracy": (0.0, 1.0),
    "pr_auc": (0.0, 1.0),
    "roc_auc": (0.0, 1.0),
    "brier": (0.0, 1.0),
    "mcc": (-1.0, 1.0),
    "cost": (0.0, np.inf),
}
"""The range of each metric, the one place it is written: :func:`interval` keeps a
metric's confidence interval inside it (others are unbounded)."""

BOOTSTRAP_RESAMPLES = 200
_EDGE = 1e-6  # values are clipped this share of a closed range inside it


def interval_scale(bounds: tuple[float, float], values: Any = None) -> str:
    """The scale :func:`interval` works on: "logit" for a closed range, "Fisher z" for
    [−1, 1] (the same interval: logit((1 + r) / 2) = 2·atanh(r)), "log" when there is
    only a lower bound and every value is above it, else "original"."""
    low, high = (float(b) for b in bounds)
    if np.isfinite(low) and np.isfinite(high):
        return "Fisher z" if (low, high) == (-1.0, 1.0) else "logit"
    if np.isfinite(low) and (values is None or np.all(np.asarray(values) > low)):
        return "log"
    return "original"


def interval(
    values: Any,
    bounds: tuple[float, float] = UNBOUNDED,
    *,
    transform: bool = True,
    level: float = 0.95,
) -> tuple[float, tuple[float, float]]:
    """Mean of ``values`` (one metric over seeds) and a Student-t interval inside ``bounds``.

    With ``transform`` the t-interval is computed where the range is unbounded and
    mapped back (see :func:`interval_scale`): on the logit scale for a closed range
    such as [0, 1] (values clipped 1e-6 of the range inside it first), on the log
    scale for a lower bound only. Otherwise (or ``transform=False``) it is the plain
    t-interval, clipped to ``bounds``. The mean is the plain mean, as reported; the
    interval is widened to hold it if a skewed spread of seeds would leave it out.
    One value, or identical values: the point.
    """
    from scipy import special, stats  # imported on first use: pages open faster

    values = np.asarray(values, dtype=np.float64).ravel()
    mean = float(values.mean())
    if len(values) < 2 or np.ptp(values) == 0:
        return mean, (mean, mean)
    t = float(stats.t.ppf(0.5 + level / 2, len(values) - 1))
    lower, upper = (float(b) for b in bounds)
    scale = interval_scale(bounds, values) if transform else "original"
    if scale == "original":
        half = t * values.std(ddof=1) / np.sqrt(len(values))
        low, high = max(mean - half, lower), min(mean + half, upper)
    else:
        if scale == "log":
            z, back = np.log(values - lower), (lambda v: lower + np.exp(v))
        else:  # logit of the position in the range (Fisher z for [-1, 1])
            width = upper - lower
            share = np.clip((values - lower) / width, _EDGE, 1 - _EDGE)
            z, back = special.logit(share), (lambda v: lower + width * special.expit(v))
        half = t * z.std(ddof=1) / np.sqrt(len(z))
        low, high = float(back(z.mean() - half)), float(back(z.mean() + half))
    return mean, (min(float(low), mean), max(float(high), mean))


def interval_kind(
    bounds: tuple[float, float], seeds: int, values: Any = None, level: float = 0.95
) -> str:
    """What :func:`interval` gives, e.g. "95 % t-interval on the logit scale over 3 seeds"."""
    scale = {
        "logit": " on the logit scale",
        "Fisher z": " on the Fisher z (atanh) scale",
        "log": " on the log scale",
    }.get(interval_scale(bounds, values), "")
    return f"{level * 100:g} % t-interval{scale} over {seeds} seeds"


def seed_intervals_kind(seeds: int, level: float = 0.95) -> str:
    """What :func:`interval` gives for every metric of :data:`METRIC_BOUNDS` at once."""
    return (
        f"{level * 100:g} % t-intervals over {seeds} seeds, on the logit scale "
        "(Fisher z for MCC, log scale for cost) so each stays in its metric's range"
    )


def average_precision(y: Any, proba: Any, sample_weight: Any = None) -> float:
    """PR-AUC exactly as sklearn's ``average_precision_score`` (tied scores and
    ``sample_weight`` included), from the score groups of :func:`_pr_groups`."""
    pos, neg = _pr_groups(y, proba, sample_weight)
    return float(_average_precision_of_groups(pos, neg[:-1])) if len(pos) else 0.0


def bootstrap_pr_auc(
    y: Any,
    proba: Any,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = 0,
    level: float = 0.95,
) -> tuple[float, tuple[float, float]]:
    """PR-AUC and its percentile bootstrap interval over the rows of one test split.

    The sampling error of the test split itself, which with ~100 test positives often
    exceeds the spread between seeds. Stratified by class (each resample redraws the
    positives and the negatives with replacement, so class counts stay those of the
    split); deterministic for a ``seed``. Fast: average precision only needs how many
    rows each score group of :func:`_pr_groups` holds, so the scores are grouped once
    and each resample draws one count per group (a multinomial), not one per row.
    """
    pos, neg = _pr_groups(y, proba)
    if not len(pos):
        return 0.0, (0.0, 0.0)
    point = float(_average_precision_of_groups(pos, neg[:-1]))
    values = _bootstrap_average_precision(pos, neg, resamples, seed)
    low, high = np.quantile(values, [(1 - level) / 2, (1 + level) / 2])
    return point, (min(float(low), point), max(float(high), point))


def bootstrap_kind(resamples: int = BOOTSTRAP_RESAMPLES, level: float = 0.95) -> str:
    """What :func:`bootstrap_pr_auc` gives, for the results and their readers."""
    return f"{level * 100:g} % bootstrap over test rows ({resamples} resamples), 1 seed"


def _pr_groups(y: Any, proba: Any, weight: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Positive and negative weight per distinct positive score, highest score first.

    Group k holds the positives scored s_k and the negatives scored in [s_k, s_{k-1});
    the negatives get one more entry, for those below every positive. Recall only
    moves at positive scores, so these sums are all that average precision needs.
    One sort of the positive scores; the negatives are placed by binary search.
    """
    positive = np.asarray(y).ravel() == 1
    proba = np.asarray(proba).ravel()
    weight = (
        np.ones(len(proba))
        if weight is None
        else np.asarray(weight, np.float64).ravel()
    )
    descending, group = np.unique(-proba[positive], return_inverse=True)
    pos = np.bincount(group, weight[positive], minlength=len(descending))
    # a negative joins the group of the highest threshold it is not below
    slot = np.searchsorted(descending, -proba[~positive], side="left")
    neg = np.bincount(slot, weight[~positive], minlength=len(descending) + 1)
    return pos, neg


def _average_precision_of_groups(pos: np.ndarray, neg: np.ndarray) -> np.ndarray:
    """Average precision from ``(..., groups)`` weights (``neg`` without its last
    entry), highest score first: sum over groups of recall gained × precision there."""
    tp, flagged = np.cumsum(pos, axis=-1), np.cumsum(pos + neg, axis=-1)
    precision = np.divide(tp, flagged, out=np.zeros_like(tp), where=flagged > 0)
    total = tp[..., -1]
    gained = np.sum(pos * precision, axis=-1)
    return np.divide(gained, total, out=np.zeros_like(gained), where=total > 0)


def _bootstrap_average_precision(
    pos: np.ndarray, neg: np.ndarray, resamples: int, seed: int
) -> np.ndarray:
    """Average precision of ``resamples`` stratified bootstrap resamples of the groups."""
    rng = np.random.default_rng(seed)
    drawn_pos = _resample_counts(pos, resamples, rng)
    drawn_neg = _resample_counts(neg, resamples, rng)[:, :-1]
    return _average_precision_of_groups(drawn_pos, drawn_neg)


def _resample_counts(
    sizes: np.ndarray, resamples: int, rng: np.random.Generator
) -> np.ndarray:
    """Rows drawn from each group when all ``sum(sizes)`` rows are redrawn with
    replacement, ``resamples`` times: shape ``(resamples, groups)``, as floats."""
    sizes = np.rint(sizes).astype(np.int64)
    total, groups = int(sizes.sum()), len(sizes)
    if total == 0:
        return np.zeros((resamples, groups))
    if total > 8 * groups:  # many rows per group: one binomial draw per group
        return rng.multinomial(total, sizes / total, size=resamples).astype(np.float64)
    group_of_row = np.repeat(np.arange(groups, dtype=np.int32), sizes)
    counts = np.empty((resamples, groups))
    step = max(1, 2**20 // total)  # draw the rows themselves, ~1M at a time
    for start in range(0, resamples, step):
        n = min(step, resamples - start)
        rows = group_of_row[rng.integers(0, total, size=(n, total), dtype=np.int32)]
        rows += (np.arange(n, dtype=np.int32) * groups)[:, None]
        counts[start : start + n] = np.bincount(
            rows.ravel(), minlength=n * groups
        ).reshape(n, groups)
    return counts


def paired_comparison(a: Any, b: Any) -> dict[str, float | str]:
    """Does A beat B across the same seeds? Mean difference, its 95 % CI and a paired t-test."""
    from scipy import stats

    diff = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    # A difference of PR-AUCs: a plain t-interval, kept to its range [-1, 1].
    mean, (low, high) = interval(diff, (-1.0, 1.0), transform=False)
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
