"""PR and ROC curves at low prevalence: every operating point lies on its drawn curve.

At 0.17 % positives a curve sampled at score quantiles has every positive above its
top quantile, and the dot drawn at the threshold floats far off the line. The curves
are exact (every operating point is a vertex) yet compact (straight runs dropped).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from imbal_core import evaluate, figures
from imbal_core.results import Comparison, Run, Split, results_json

ROWS, POSITIVES = 60_000, 102  # 0.17 % positives
TOLERANCE = 0.01  # how far a dot may sit from its line (axes run 0..1)


def _scores(rng: np.random.Generator, y: np.ndarray, model: str) -> np.ndarray:
    """Test probabilities of a few kinds of model, so the curves differ."""
    n = len(y)
    if model == "sharp":  # a well-separated sigmoid, float32 like Keras
        logit = rng.normal(-6.0, 1.5, n) + 6.5 * y
        return (1 / (1 + np.exp(-logit))).astype(np.float32)
    if model == "weak":  # positives only somewhat higher; the top is mostly negatives
        return np.clip(rng.beta(1.2, 12, n) + y * rng.uniform(0, 0.3, n), 0, 1)
    if model == "tied":  # coarse scores: many ties, some mixing both classes
        return np.round(np.clip(rng.normal(0.2 + 0.5 * y, 0.15), 0, 1), 2)
    if model == "saturated":  # many exact 0s and 1s
        return np.clip(rng.normal(-0.5 + 1.8 * y, 0.6), 0, 1).astype(np.float32)
    raise ValueError(model)


MODELS = ("sharp", "weak", "tied", "saturated")
TECHNIQUES = dict(
    zip(("baseline", "smote", "focal_loss", "class_weight"), MODELS, strict=True)
)


def _labels(rng: np.random.Generator, rows: int, positives: int) -> np.ndarray:
    y = np.zeros(rows, dtype=np.int64)
    y[rng.choice(rows, positives, replace=False)] = 1
    return y


@pytest.fixture(scope="module")
def test_split() -> tuple[np.ndarray, dict[str, np.ndarray]]:
    rng = np.random.default_rng(11)
    y = _labels(rng, ROWS, POSITIVES)
    return y, {model: _scores(rng, y, model) for model in MODELS}


def _thresholds(proba: np.ndarray) -> np.ndarray:
    """The slider's values, and values exactly equal to scores (top ones included)."""
    distinct = np.unique(proba).astype(np.float64)
    exact = np.r_[distinct[:: max(1, len(distinct) // 200)], distinct[-30:]]
    return np.r_[0.0, np.round(np.linspace(0.01, 0.99, 99), 2), 1.0, exact]


def _operating_points(y, proba, thresholds, curve=None) -> dict[str, np.ndarray]:
    """Each threshold's point; on the PR chart (given its ``curve``) a threshold that
    flags nothing is drawn at the curve's recall-0 end (``evaluate.pr_point``)."""
    counts = evaluate.confusion_counts(y, proba, thresholds)
    s = evaluate.scores(counts)
    tn, fp = counts[:, 0], counts[:, 1]
    precision = s["precision"]
    if curve is not None:
        drawn = [evaluate.pr_point(c, curve["precision"]) for c in counts]
        precision = np.array([p for _, p in drawn])
    return {
        "recall": s["recall"],
        "precision": precision,
        "fpr": fp / (fp + tn),
        "tpr": s["recall"],
    }


def distance_to_polyline(px, py, xs, ys) -> np.ndarray:
    """Distance from each point to the straight-line polyline through (xs, ys): what
    plotly draws for ``mode="lines"`` with its default linear shape."""
    p = np.column_stack([px, py]).astype(np.float64)[:, None, :]
    a = np.column_stack([xs, ys]).astype(np.float64)
    start, step = a[:-1][None], np.diff(a, axis=0)[None]
    length2 = np.broadcast_to(np.sum(step**2, axis=2), (len(p), step.shape[1]))
    along = np.divide(
        np.sum((p - start) * step, axis=2),
        length2,
        out=np.zeros(length2.shape),
        where=length2 > 0,
    )
    nearest = start + np.clip(along, 0, 1)[..., None] * step
    return np.sqrt(np.min(np.sum((p - nearest) ** 2, axis=2), axis=1))


@pytest.mark.parametrize("model", MODELS)
def test_every_operating_point_lies_on_its_curve(test_split, model):
    y, by_model = test_split
    proba = by_model[model]
    curves = evaluate.curves(y, proba)
    at = _operating_points(y, proba, _thresholds(proba), curves)
    pr = distance_to_polyline(
        at["recall"], at["precision"], curves["recall"], curves["precision"]
    )
    roc = distance_to_polyline(at["fpr"], at["tpr"], curves["fpr"], curves["tpr"])
    assert pr.max() <= TOLERANCE, f"PR dot {pr.max():.3f} off its curve"
    assert roc.max() <= TOLERANCE, f"ROC dot {roc.max():.3f} off its curve"


@pytest.mark.parametrize("model", MODELS)
def test_curves_are_compact_and_keep_every_corner(test_split, model):
    y, by_model = test_split
    proba = by_model[model]
    curves = evaluate.curves(y, proba)
    # At most about two vertices per positive: a few hundred, not one per row.
    assert len(curves["recall"]) <= 2 * POSITIVES + 4
    assert len(curves["fpr"]) <= 2 * POSITIVES + 4
    # The exact curves: the operating point just below every distinct score.
    every = np.r_[-np.inf, np.unique(proba).astype(np.float64)]
    exact = _operating_points(y, proba, every, curves)
    for x, y_, kept_x, kept_y in (
        (exact["recall"], exact["precision"], curves["recall"], curves["precision"]),
        (exact["fpr"], exact["tpr"], curves["fpr"], curves["tpr"]),
    ):
        assert (kept_x[0], kept_y[0]) == (x[0], y_[0])  # everything flagged
        assert (kept_x[-1], kept_y[-1]) == (x[-1], y_[-1])  # nothing flagged
        for cx, cy in _corners(x, y_):
            assert np.any((kept_x == cx) & (kept_y == cy)), f"corner {cx, cy} dropped"


def _corners(x: np.ndarray, y: np.ndarray) -> list[tuple[float, float]]:
    """Where the polyline through every exact point turns (clearly, not by rounding)."""
    points = np.column_stack([x, y])
    points = points[np.r_[True, np.any(np.diff(points, axis=0) != 0, axis=1)]]
    before, after = points[1:-1] - points[:-2], points[2:] - points[1:-1]
    cross = before[:, 0] * after[:, 1] - before[:, 1] * after[:, 0]
    span = np.hypot(*before.T) * np.hypot(*after.T)
    turns = np.abs(cross) > 1e-6 * span
    return [tuple(p) for p in points[1:-1][turns]]


def test_a_small_curve_keeps_its_corners_and_ends_where_nothing_is_flagged():
    y = np.array([0, 0, 0, 1, 0, 1, 1, 1])
    proba = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
    curves = evaluate.curves(y, proba)
    # ROC: up three positives, right one negative, up one positive, right three.
    # Straight runs keep only their ends.
    assert np.column_stack([curves["fpr"], curves["tpr"]]).tolist() == [
        [1, 1],
        [0.25, 1],
        [0.25, 0.75],
        [0, 0.75],
        [0, 0],
    ]
    assert list(curves["roc_thresholds"]) == [-np.inf, 0.3, 0.4, 0.5, 0.8]
    # PR: recall 1 at precision 0.5, 4/7, 2/3, 0.8 is one vertical run, and
    # precision 1 at recall 0.75, 0.5, 0.25 one horizontal run: their ends stay.
    # Flagging nothing, precision is 0/0: the curve stays flat to recall 0 (no dive
    # to the origin), so (0.25, 1) is no longer a corner and the run ends at (0, 1).
    pr = np.column_stack([curves["recall"], curves["precision"]])
    assert pr.ravel() == pytest.approx([1, 0.5, 1, 0.8, 0.75, 0.75, 0.75, 1, 0, 1])
    assert list(curves["pr_thresholds"]) == [-np.inf, 0.3, 0.4, 0.5, 0.8]
    at = _operating_points(y, proba, np.r_[-1, proba], curves)
    assert distance_to_polyline(
        at["recall"], at["precision"], curves["recall"], curves["precision"]
    ).max() == pytest.approx(0, abs=1e-12)


@pytest.fixture(scope="module")
def comparison(test_split) -> Comparison:
    rng = np.random.default_rng(12)
    y_test, by_model = test_split
    y_val = _labels(rng, 6_000, 10)
    runs = {
        name: [
            Run(
                name,
                42,
                {},
                _scores(rng, y_val, model),
                by_model[model],
                {"negative": 1000, "positive": 10},
                1.0,
            )
        ]
        for name, model in TECHNIQUES.items()
    }
    return Comparison({"test_rows": ROWS}, {}, runs, [Split(y_val, y_test)])


@pytest.mark.parametrize("threshold", [0.01, 0.05, 0.3, 0.5, 0.9, 0.99, None])
def test_results_json_dots_lie_on_their_curves(comparison, threshold):
    results = json.loads(json.dumps(results_json(comparison, threshold)))
    for name, summary in results["techniques"].items():
        (tn, fp), (fn, tp) = summary["confusion_matrix"]
        pr, roc = summary["curves"]["pr"], summary["curves"]["roc"]
        recall, precision = evaluate.pr_point([tn, fp, fn, tp], pr["precision"])
        fpr = fp / (fp + tn)
        on_pr = distance_to_polyline(
            [recall], [precision], pr["recall"], pr["precision"]
        )
        on_roc = distance_to_polyline([fpr], [recall], roc["fpr"], roc["tpr"])
        assert on_pr[0] <= TOLERANCE, (name, threshold, on_pr[0])
        assert on_roc[0] <= TOLERANCE, (name, threshold, on_roc[0])
        assert len(pr["recall"]) <= 2 * POSITIVES + 4, name  # a small JSON
        assert len(roc["fpr"]) <= 2 * POSITIVES + 4, name


def test_no_pr_curve_dives_to_the_origin(test_split):
    """Flagging nothing is 0/0, not a precision of 0 that the line would slope to:
    the curve ends at recall 0 with the precision of the fewest alerts (0 only when
    the top-scored cases really are negatives)."""
    y, by_model = test_split
    for proba in by_model.values():
        curves = evaluate.curves(y, proba)
        top = np.unique(proba)[-2]  # just below the highest score: fewest alerts
        fewest = evaluate.scores(evaluate.confusion_counts(y, proba, top))["precision"]
        assert curves["recall"][-1] == 0
        assert curves["precision"][-1] == fewest[0]  # flat from the fewest alerts


def test_the_figures_draw_each_dot_on_its_line(comparison):
    techniques = json.loads(json.dumps(results_json(comparison, 0.2)))["techniques"]
    for fig in (figures.pr_curves(techniques), figures.roc_curves(techniques)):
        lines = [t for t in fig.data if t.mode == "lines" and "AUC" in t.name]
        dots = [t for t in fig.data if t.mode == "markers"]
        assert len(lines) == len(dots) == len(TECHNIQUES)
        for line, dot in zip(lines, dots, strict=True):
            assert line.line.shape in (None, "linear")  # straight segments
            assert line.legendgroup == dot.legendgroup
            gap = distance_to_polyline(dot.x, dot.y, line.x, line.y)[0]
            assert gap <= TOLERANCE, (line.name, gap)
