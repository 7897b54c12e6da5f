"""Uncertainty: intervals inside each metric's range, a bootstrap of PR-AUC over
test rows, and a paired comparison of two techniques over seeds."""

from __future__ import annotations

from typing import Any

import numpy as np

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
    test_train_ratio: float | None = None,
) -> tuple[float, tuple[float, float]]:
    """Mean of ``values`` (one metric over seeds) and a Student-t interval inside ``bounds``.

    ``test_train_ratio`` (test rows / training rows of each fold): the values are
    cross-validation folds, whose training sets overlap, so their spread understates
    the variance; Nadeau & Bengio's (2003) corrected variance (1/J + n_test/n_train)·s²
    replaces s²/J (J folds in all), which keeps the interval's coverage honest.

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
    factor = np.sqrt(1 / len(values) + (test_train_ratio or 0.0))
    if scale == "original":
        half = t * values.std(ddof=1) * factor
        low, high = max(mean - half, lower), min(mean + half, upper)
    else:
        if scale == "log":
            z, back = np.log(values - lower), (lambda v: lower + np.exp(v))
        else:  # logit of the position in the range (Fisher z for [-1, 1])
            width = upper - lower
            share = np.clip((values - lower) / width, _EDGE, 1 - _EDGE)
            z, back = special.logit(share), (lambda v: lower + width * special.expit(v))
        half = t * z.std(ddof=1) * factor
        low, high = float(back(z.mean() - half)), float(back(z.mean() + half))
    return mean, (min(float(low), mean), max(float(high), mean))


def interval_kind(
    bounds: tuple[float, float],
    seeds: int,
    values: Any = None,
    level: float = 0.95,
    folds: bool = False,
) -> str:
    """What :func:`interval` gives, e.g. "95 % t-interval on the logit scale over 3
    seeds" (``folds``: over that many folds, corrected for their overlap)."""
    scale = {
        "logit": " on the logit scale",
        "Fisher z": " on the Fisher z (atanh) scale",
        "log": " on the log scale",
    }.get(interval_scale(bounds, values), "")
    if folds:
        return f"{level * 100:g} % {CORRECTED} t-interval{scale} over {seeds} folds"
    return f"{level * 100:g} % t-interval{scale} over {seeds} seeds"


CORRECTED = "Nadeau–Bengio corrected"


def seed_intervals_kind(seeds: int, level: float = 0.95, folds: bool = False) -> str:
    """What :func:`interval` gives for every metric of :data:`METRIC_BOUNDS` at once."""
    over = (
        f"{CORRECTED} t-intervals over {seeds} folds (their training sets overlap)"
        if folds
        else f"t-intervals over {seeds} seeds"
    )
    return (
        f"{level * 100:g} % {over}, on the logit scale "
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


def paired_comparison(
    a: Any, b: Any, test_train_ratio: float | None = None
) -> dict[str, float | str]:
    """Does A beat B across the same seeds (or folds)? Mean difference, its 95 % CI
    and a paired t-test; ``test_train_ratio`` as in :func:`interval`: over folds,
    the Nadeau–Bengio corrected resampled t-test."""
    from scipy import stats

    diff = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    # A difference of PR-AUCs: a plain t-interval, kept to its range [-1, 1].
    mean, (low, high) = interval(
        diff, (-1.0, 1.0), transform=False, test_train_ratio=test_train_ratio
    )
    if len(diff) < 2:
        verdict, p_value = "needs two or more seeds", float("nan")
    else:
        if np.ptp(diff) > 1e-12:
            spread = diff.std(ddof=1) * np.sqrt(
                1 / len(diff) + (test_train_ratio or 0.0)
            )
            p_value = float(2 * stats.t.sf(abs(mean) / spread, len(diff) - 1))
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


def paired_bootstrap(
    y: Any,
    a: Any,
    b: Any,
    metric: str = "pr_auc",
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = 0,
    level: float = 0.95,
) -> tuple[float, tuple[float, float]]:
    """The difference A − B on one split and its paired percentile bootstrap interval.

    Both are scored on the same resampled rows (stratified by class, as
    :func:`bootstrap_pr_auc`), so what one seed can show is kept: the rows' own
    sampling error. ``metric`` ``"pr_auc"`` compares the scores ``a`` and ``b``;
    ``"cost"`` compares per-row costs ``a`` and ``b`` (their totals).

    Fast: the positives are redrawn row by row (they are few); the negatives only
    matter through which score group (or cost) each has under A and under B, so
    they are redrawn as counts of those (A, B) cells, one multinomial per resample.
    """
    y = np.asarray(y).ravel() == 1
    a, b = np.asarray(a, np.float64).ravel(), np.asarray(b, np.float64).ravel()
    rng = np.random.default_rng(seed)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    w_pos = rng.multinomial(n_pos, np.full(n_pos, 1 / n_pos), size=resamples)
    if metric == "cost":
        diff = a - b
        point = float(diff.sum())
        cells, sizes = np.unique(diff[~y], return_counts=True)
        w_neg = rng.multinomial(n_neg, sizes / n_neg, size=resamples)
        values = w_pos @ diff[y] + w_neg @ cells
    else:
        point = average_precision(y, a) - average_precision(y, b)
        (group_a, slot_a, size_a), (group_b, slot_b, size_b) = (
            _row_groups(y, p) for p in (a, b)
        )
        cells, sizes = np.unique(
            np.stack([slot_a, slot_b], axis=1), axis=0, return_counts=True
        )
        w_neg = rng.multinomial(n_neg, sizes / n_neg, size=resamples)
        values = _weighted_ap(
            group_a, cells[:, 0], size_a, w_pos, w_neg
        ) - _weighted_ap(group_b, cells[:, 1], size_b, w_pos, w_neg)
    low, high = np.quantile(values, [(1 - level) / 2, (1 + level) / 2])
    return point, (min(float(low), point), max(float(high), point))


def paired_bootstrap_kind(
    rows: int, resamples: int = BOOTSTRAP_RESAMPLES, split: str = "validation"
) -> str:
    return f"a paired bootstrap over the {rows:,} {split} rows ({resamples} resamples, one seed)"


def _row_groups(y: np.ndarray, proba: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Each positive's and each negative's score group (see :func:`_pr_groups`)."""
    descending, group = np.unique(-proba[y], return_inverse=True)
    slot = np.searchsorted(descending, -proba[~y], side="left")
    return group, slot, len(descending)


def _weighted_ap(
    group: np.ndarray, slot: np.ndarray, groups: int, w_pos: Any, w_neg: Any
) -> np.ndarray:
    """Average precision of each resample: ``w_pos`` counts per positive row (its
    score group ``group``), ``w_neg`` counts per negative cell (its group ``slot``)."""
    n = len(w_pos)
    offsets = np.arange(n)[:, None]
    pos = np.bincount(
        (group[None, :] + offsets * groups).ravel(),
        np.asarray(w_pos, np.float64).ravel(),
        n * groups,
    )
    neg = np.bincount(
        (slot[None, :] + offsets * (groups + 1)).ravel(),
        np.asarray(w_neg, np.float64).ravel(),
        n * (groups + 1),
    )
    return _average_precision_of_groups(
        pos.reshape(n, groups), neg.reshape(n, groups + 1)[:, :-1]
    )
