"""Honest evaluation: thresholds are chosen on validation, never on test."""

from __future__ import annotations

import numpy as np
import pytest

from imbal_core import evaluate
from imbal_core.evaluate import Costs
from imbal_core.results import (
    Comparison,
    Run,
    Split,
    metric_ci,
    rescore,
    results_json,
    technique_summary,
)


def scored(rng, n, positive_centre):
    y = (rng.random(n) < 0.1).astype(int)
    proba = np.clip(
        np.where(y == 1, positive_centre, 0.2) + rng.normal(0, 0.05, n), 0, 1
    )
    return y, proba


@pytest.fixture
def comparison():
    rng = np.random.default_rng(0)
    y_val, proba_val = scored(rng, 4000, 0.35)  # on validation, positives sit near 0.35
    y_test, proba_test = scored(
        rng, 4000, 0.85
    )  # on test, near 0.85: a test-tuned cut would differ
    run = Run(
        "baseline", 42, {}, proba_val, proba_test, {"negative": 1, "positive": 1}, 1.0
    )
    return Comparison(
        {"rows": 8000},
        {"techniques": ["baseline"]},
        {"baseline": [run]},
        [Split(y_val, y_test)],
    )


def test_suggested_threshold_comes_from_validation_only(comparison):
    run = comparison.ok_runs("baseline")[0]
    on_validation = evaluate.suggest_threshold(run.y_val, run.proba_val)
    on_test = evaluate.suggest_threshold(run.y_test, run.proba_test)
    assert 0.2 < on_validation < 0.35 < on_test  # the two splits really disagree
    assert run.suggested_threshold() == on_validation
    summary = technique_summary(comparison, "baseline", threshold=None)
    assert summary["threshold"] == summary["suggested_threshold"] == on_validation
    # ...and the figures reported at it are test figures.
    assert summary["confusion_matrix"] == evaluate.confusion_matrix(
        run.y_test, run.proba_test, on_validation
    )
    # Shuffling test probabilities changes the test metrics, never the chosen threshold.
    shuffled = Run(
        "baseline",
        42,
        {},
        run.proba_val,
        np.random.default_rng(1).permutation(run.proba_test),
    )
    again = Comparison(
        comparison.dataset,
        comparison.config,
        {"baseline": [shuffled]},
        comparison.splits,
    )
    assert (
        technique_summary(again, "baseline", threshold=None)["threshold"]
        == on_validation
    )


def test_rescore_matches_a_fresh_summary(comparison):
    costs = Costs(missed=50, review=2)
    base = technique_summary(comparison, "baseline", 0.5, costs)
    for threshold in (0.1, 0.3, 0.9):
        quick = rescore(base, comparison.ok_runs("baseline"), threshold, costs)
        full = technique_summary(comparison, "baseline", threshold, costs)
        assert {k: quick[k] for k in full if k != "curves"} == {
            k: full[k] for k in full if k != "curves"
        }


def test_results_json_records_how_the_threshold_was_chosen(comparison):
    results = results_json(comparison, None, Costs(missed=None, review=1), "cost")
    assert results["config"]["threshold"] == "suggested"
    assert results["config"]["threshold_objective"] == "cost"
    assert results["config"]["costs"] == {"missed": "amount", "review": 1}


def _overlapping_comparison(seeds):
    """A comparison whose test PR-AUC is far from 1 (~100 test positives)."""
    runs = []
    y = (np.arange(3000) < 100).astype(int)
    for seed in seeds:
        rng = np.random.default_rng(seed)
        proba = np.clip(rng.normal(0.3 + 0.2 * y, 0.15), 0, 1)
        runs.append(Run("baseline", seed, {}, proba, proba, {}, 1.0))
    return Comparison(
        {"rows": 6000}, {"techniques": ["baseline"]}, {"baseline": runs}, [Split(y, y)]
    )


def test_pr_auc_interval_is_a_bootstrap_over_test_rows_with_one_seed():
    summary = results_json(_overlapping_comparison([0]))["techniques"]["baseline"]
    low, high = summary["pr_auc_ci95"]
    assert 0.0 <= low < summary["pr_auc"] < high <= 1.0 and high - low > 0.02
    assert summary["pr_auc_mean"] == summary["pr_auc"]
    assert "bootstrap over test rows" in summary["pr_auc_ci_kind"]
    assert "1 seed" in summary["pr_auc_ci_kind"]


def test_pr_auc_interval_over_seeds_stays_in_zero_one():
    summary = results_json(_overlapping_comparison([0, 1, 2]))["techniques"]["baseline"]
    low, high = summary["pr_auc_ci95"]
    assert 0.0 <= low <= summary["pr_auc_mean"] <= high <= 1.0
    assert (
        summary["pr_auc_ci_kind"] == "95 % t-interval on the logit scale over 3 seeds"
    )
    # A spread like issue 10's (PR-AUC 0.05, 0.45, 0.83) used to give [-0.53, 1.41].
    per_seed = [{"pr_auc": v} for v in (0.05, 0.45, 0.83)]
    mean, low, high = metric_ci({"pr_auc": 0.443, "seeds": per_seed}, "pr_auc")
    assert 0.0 <= low < mean < high <= 1.0


def test_the_views_results_json_equals_a_fresh_one(comparison):
    """The Report page exports from the Compare page's memoised summaries: the same
    JSON as computing everything afresh."""
    from imbal_core.results import ComparisonView

    costs = Costs(missed=50.0, review=2.0)
    view = ComparisonView(comparison)
    view.summaries(0.3, costs, "cost")  # memoised first, as the Compare page does
    memoised = view.results_json(0.3, costs, "cost")
    fresh = results_json(comparison, 0.3, costs, "cost")
    for part in ("dataset", "techniques"):
        assert memoised[part] == fresh[part]
    memoised["config"].pop("evaluation_seconds")
    fresh["config"].pop("evaluation_seconds")
    assert memoised["config"] == fresh["config"]
