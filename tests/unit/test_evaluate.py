import numpy as np
import pytest
from sklearn.metrics import classification_report as sk_report
from sklearn.metrics import confusion_matrix as sk_confusion
from sklearn.metrics import matthews_corrcoef

from imbal_core import evaluate
from imbal_core.evaluate import Costs


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
    _, (low3, high3) = evaluate.mean_ci95(values[:3])
    _, (low30, high30) = evaluate.mean_ci95(values[:30])
    assert high30 - low30 < high3 - low3
    assert evaluate.mean_ci95([0.5]) == (0.5, (0.5, 0.5))


def test_paired_comparison_verdicts():
    a = np.array([0.80, 0.82, 0.81, 0.83, 0.80])
    assert evaluate.paired_comparison(a, a - 0.1)["verdict"] == "A better"
    assert evaluate.paired_comparison(a - 0.1, a)["verdict"] == "B better"
    noisy = evaluate.paired_comparison(a, a[::-1])
    assert noisy["verdict"] == "no clear difference"
    assert (
        evaluate.paired_comparison([0.5], [0.4])["verdict"] == "needs two or more seeds"
    )
