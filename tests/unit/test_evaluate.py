import numpy as np
import pytest
from sklearn.metrics import average_precision_score, matthews_corrcoef
from sklearn.metrics import classification_report as sk_report
from sklearn.metrics import confusion_matrix as sk_confusion

from imbal_core import evaluate
from imbal_core.evaluate import Costs, _intervals


@pytest.fixture
def scored():
    rng = np.random.default_rng(0)
    y = (rng.random(5000) < 0.05).astype(int)
    proba = np.clip(rng.normal(0.3 + 0.4 * y, 0.2), 0, 1)
    return y, proba


@pytest.mark.parametrize("threshold", [0.0, 0.2, 0.5, 0.77, 1.0])
def test_metrics_match_sklearn(scored, threshold):
    y, proba = scored
    predicted = (proba > threshold).astype(int)
    counts = evaluate.confusion_counts(y, proba, threshold)
    assert (
        evaluate.confusion_matrix(y, proba, threshold)
        == sk_confusion(y, predicted, labels=[0, 1]).tolist()
    )
    mine = evaluate.classification_report(counts[0])
    theirs = sk_report(
        y,
        predicted,
        labels=[0, 1],
        target_names=["0", "1"],
        output_dict=True,
        zero_division=0,
    )
    for key in ("0", "1", "macro avg", "weighted avg"):
        for metric in ("precision", "recall", "f1-score", "support"):
            assert mine[key][metric] == pytest.approx(theirs[key][metric])
    assert mine["accuracy"] == pytest.approx(theirs["accuracy"])
    assert evaluate.scores(counts)["mcc"][0] == pytest.approx(
        matthews_corrcoef(y, predicted)
    )


def test_cost_arithmetic_fixed_and_per_amount():
    y = np.array([1, 1, 1, 0, 0, 0])
    proba = np.array([0.9, 0.4, 0.1, 0.8, 0.3, 0.2])
    amounts = np.array([100.0, 50.0, 10.0, 1.0, 1.0, 1.0])
    # At 0.5: tp=1, fn=2 (rows 1, 2), fp=1 -> 2 alerts.
    assert (
        evaluate.cost_curve(y, proba, 0.5, Costs(missed=40, review=3))[0]
        == 2 * 40 + 2 * 3
    )
    assert (
        evaluate.cost_curve(y, proba, 0.5, Costs(missed=None, review=3), amounts)[0]
        == 50 + 10 + 2 * 3
    )
    # Flag everything: no misses, six alerts.
    assert (
        evaluate.cost_curve(y, proba, 0.0, Costs(missed=None, review=3), amounts)[0]
        == 18
    )


def test_suggested_threshold_is_chosen_on_the_data_it_is_given(scored):
    y, proba = scored
    best = evaluate.suggest_threshold(y, proba)
    f1 = evaluate.scores(
        evaluate.confusion_counts(y, proba, evaluate.THRESHOLD_GRID[:-1])
    )["f1"]
    assert f1.max() == pytest.approx(
        evaluate.scores(evaluate.confusion_counts(y, proba, best))["f1"][0]
    )
    cheap = evaluate.suggest_threshold(y, proba, "cost", Costs(missed=1000, review=1))
    dear = evaluate.suggest_threshold(y, proba, "cost", Costs(missed=1, review=1000))
    assert cheap < dear  # expensive misses -> flag more


def test_curves_and_reliability_are_well_formed(scored):
    y, proba = scored
    curves = evaluate.curves(y, proba)
    assert curves["recall"][0] == 1 and curves["recall"][-1] == 0
    assert np.all(np.diff(curves["fpr"]) <= 0)
    rel = evaluate.reliability(y, proba)
    assert rel["count"].sum() == len(y)
    free = evaluate.threshold_free(y, proba)
    assert (
        0.5 < free["roc_auc"] <= 1
        and 0 < free["pr_auc"] <= 1
        and 0 <= free["brier"] <= 1
    )


def test_precision_at_top_k():
    y = np.array([0, 1, 1, 0, 0])
    proba = np.array([0.1, 0.9, 0.8, 0.7, 0.2])
    assert evaluate.precision_at_top(y, proba, 2) == 1.0
    assert evaluate.precision_at_top(y, proba, 4) == 0.5


def test_confidence_interval_shrinks_with_more_seeds():
    rng = np.random.default_rng(1)
    values = rng.normal(0.7, 0.05, 40)
    _, (low3, high3) = evaluate.interval(values[:3], (0.0, 1.0))
    _, (low30, high30) = evaluate.interval(values[:30], (0.0, 1.0))
    assert high30 - low30 < high3 - low3
    assert evaluate.interval([0.5], (0.0, 1.0)) == (0.5, (0.5, 0.5))


def test_paired_comparison_verdicts():
    a = np.array([0.80, 0.82, 0.81, 0.83, 0.80])
    assert evaluate.paired_comparison(a, a - 0.1)["verdict"] == "A better"
    assert evaluate.paired_comparison(a - 0.1, a)["verdict"] == "B better"
    noisy = evaluate.paired_comparison(a, a[::-1])
    assert noisy["verdict"] == "no clear difference"
    assert (
        evaluate.paired_comparison([0.5], [0.4])["verdict"] == "needs two or more seeds"
    )


# ------------------------------------------------ intervals inside the range
@pytest.mark.parametrize(
    "metric, values",
    [
        ("pr_auc", [0.05, 0.45, 0.83]),  # issue 10: a plain t gave [-0.53, 1.41]
        ("recall", [0.0, 0.02, 0.9]),
        ("mcc", [-0.9, 0.1, 0.95]),
        ("cost", [10.0, 400.0, 9000.0]),
        ("cost", [0.0, 400.0, 9000.0]),  # a zero: no log scale, clipped at 0
    ],
)
def test_seed_intervals_stay_inside_the_metric_range(metric, values):
    lower, upper = evaluate.METRIC_BOUNDS[metric]
    _, (plain_low, plain_high) = evaluate.interval(
        values, (-np.inf, np.inf), transform=False
    )
    assert plain_low < lower or plain_high > upper  # the plain t-interval leaves it
    mean, (low, high) = evaluate.interval(values, evaluate.METRIC_BOUNDS[metric])
    assert mean == pytest.approx(np.mean(values))
    assert lower <= low < mean < high <= upper


def test_seed_interval_is_close_to_the_t_interval_away_from_the_bounds():
    values = [0.50, 0.52, 0.49, 0.51, 0.50]
    _, plain = evaluate.interval(values, (-np.inf, np.inf), transform=False)
    _, bounded = evaluate.interval(values, evaluate.METRIC_BOUNDS["pr_auc"])
    assert bounded == pytest.approx(plain, abs=1e-3)
    assert evaluate.interval([0.4], (0.0, 1.0)) == (0.4, (0.4, 0.4))
    assert "logit" in evaluate.interval_kind((0.0, 1.0), 3)
    assert "Fisher z" in evaluate.interval_kind(evaluate.METRIC_BOUNDS["mcc"], 3)


def test_paired_comparison_interval_stays_within_minus_one_and_one():
    a, b = [0.95, 0.05, 0.9], [0.05, 0.95, 0.1]
    low, high = evaluate.paired_comparison(a, b)["ci95"]
    assert -1.0 <= low < high <= 1.0


# ------------------------------------------------- PR-AUC over test rows
@pytest.mark.parametrize("seed", range(6))
def test_average_precision_matches_sklearn_with_ties_and_weights(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 400))
    y = (rng.random(n) < rng.uniform(0.05, 0.5)).astype(int)
    y[0] = 1
    dtype = np.float32 if seed % 2 else np.float64
    proba = np.round(rng.random(n), int(rng.integers(1, 3))).astype(dtype)  # ties
    assert evaluate.average_precision(y, proba) == pytest.approx(
        average_precision_score(y, proba), abs=1e-12
    )
    weights = rng.random(n) * (rng.random(n) < 0.8)  # some rows weigh nothing
    weights[0] = 1.0
    assert evaluate.average_precision(y, proba, weights) == pytest.approx(
        average_precision_score(y, proba, sample_weight=weights), abs=1e-12
    )
    # A bootstrap resample is the data weighted by how often each row was drawn.
    rows = rng.integers(0, n, n)
    rows[0] = 0
    counts = np.bincount(rows, minlength=n)
    assert evaluate.average_precision(y, proba, counts) == pytest.approx(
        average_precision_score(y[rows], proba[rows]), abs=1e-12
    )


def test_one_seed_bootstrap_interval_over_test_rows():
    rng = np.random.default_rng(3)
    y = (np.arange(4000) < 100).astype(int)  # ~100 test positives
    proba = np.round(np.clip(rng.normal(0.3 + 0.25 * y, 0.15), 0, 1), 3)
    point, (low, high) = evaluate.bootstrap_pr_auc(y, proba)
    assert point == pytest.approx(average_precision_score(y, proba), abs=1e-12)
    assert 0.0 <= low < point < high <= 1.0 and high - low > 0.05
    assert evaluate.bootstrap_pr_auc(y, proba) == (point, (low, high))
    # sklearn's average precision over stratified row resamples spreads alike.
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    reference = []
    for _ in range(400):
        rows = np.concatenate([rng.choice(pos, len(pos)), rng.choice(neg, len(neg))])
        reference.append(average_precision_score(y[rows], proba[rows]))
    ref_low, ref_high = np.quantile(reference, [0.025, 0.975])
    width = ref_high - ref_low
    assert abs(low - ref_low) < 0.2 * width and abs(high - ref_high) < 0.2 * width
    groups = _intervals._pr_groups(y, proba)
    ours = _intervals._bootstrap_average_precision(*groups, 200, seed=0)
    assert 0.8 < np.std(ours) / np.std(reference) < 1.25
