"""Matched operating points (issue #12): every technique's threshold comes from its
validation split, whatever the mode, and reaches the requested recall or alert budget."""

from __future__ import annotations

import numpy as np
import pytest

from imbal_core.errors import InputError
from imbal_core.evaluate import (
    Costs,
    OperatingPoint,
    confusion_counts,
    threshold_for_alerts,
    threshold_for_recall,
)
from imbal_core.results import Comparison, ComparisonView, Run, Split, results_json

MODES = [
    OperatingPoint("threshold", 0.3),
    OperatingPoint("suggested", None),
    OperatingPoint("recall", 0.8),
    OperatingPoint("alerts", 5),
]


def _labels(rng, n: int) -> np.ndarray:
    y = (rng.random(n) < 0.02).astype(np.int64)
    y[:3] = 1
    return y


def _scores(rng, y: np.ndarray, strength: float) -> np.ndarray:
    score = rng.normal(size=len(y)) + strength * y
    return 1 / (1 + np.exp(-(score - 3)))  # skewed low, like a rare class


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    rng = np.random.default_rng(5)
    split = Split(_labels(rng, 4000), _labels(rng, 5000))
    runs = {
        name: [
            Run(
                name,
                s,
                {},
                _scores(rng, split.y_val, strength),
                _scores(rng, split.y_test, strength),
            )
            for s in (1, 2)
        ]
        for name, strength in (("baseline", 2.0), ("oversampling", 3.0))
    }
    return Comparison({"test_rows": 5000}, {"seeds": [1, 2]}, runs, [split])


def _shuffled_test(comparison: Comparison) -> Comparison:
    rng = np.random.default_rng(0)
    runs = {
        name: [
            Run(r.technique, r.seed, {}, r.proba_val, rng.permutation(r.proba_test))
            for r in runs
        ]
        for name, runs in comparison.runs.items()
    }
    return Comparison(comparison.dataset, comparison.config, runs, comparison.splits)


@pytest.mark.parametrize("point", MODES, ids=str)
def test_thresholds_come_from_validation_only(comparison, point):
    """Shuffling the test probabilities changes the test figures, never a threshold."""
    costs = Costs()
    before = ComparisonView(comparison).summaries(point, costs)
    after = ComparisonView(_shuffled_test(comparison)).summaries(point, costs)
    for name in comparison.runs:
        assert [s["threshold"] for s in before[name]["seeds"]] == [
            s["threshold"] for s in after[name]["seeds"]
        ]
    assert any(
        before[n]["confusion_matrix"] != after[n]["confusion_matrix"] for n in before
    )


@pytest.mark.parametrize("target", [0.5, 0.8, 0.9, 1.0])
def test_recall_mode_reaches_the_target_on_validation_with_the_fewest_alerts(
    comparison, target
):
    summaries = ComparisonView(comparison).summaries(
        OperatingPoint("recall", target), Costs()
    )
    for name in comparison.runs:
        for run, seed in zip(
            comparison.ok_runs(name), summaries[name]["seeds"], strict=True
        ):
            t = seed["threshold"]
            tn, fp, fn, tp = confusion_counts(run.y_val, run.proba_val, t)[0]
            assert tp / (tp + fn) >= target
            # The next higher validation score as threshold would miss the target.
            higher = run.proba_val[run.proba_val > t].min()
            tn, fp, fn, tp = confusion_counts(run.y_val, run.proba_val, higher)[0]
            assert tp / (tp + fn) < target


@pytest.mark.parametrize("budget", [0, 1, 5, 37.5, 200])
def test_alert_mode_is_the_closest_rate_not_above_the_budget(comparison, budget):
    summaries = ComparisonView(comparison).summaries(
        OperatingPoint("alerts", budget), Costs()
    )
    for name in comparison.runs:
        for run, seed in zip(
            comparison.ok_runs(name), summaries[name]["seeds"], strict=True
        ):
            t = seed["threshold"]
            flagged = int((run.proba_val > t).sum())
            assert flagged * 1000 / len(run.proba_val) <= budget
            lower = run.proba_val[run.proba_val < t]
            if len(lower):  # one step lower would go over the budget
                more = int((run.proba_val > lower.max()).sum())
                assert more * 1000 / len(run.proba_val) > budget


def test_ties_are_flagged_together_so_the_budget_is_met_from_below():
    proba = np.array([0.9, 0.8, 0.8, 0.8, 0.1] + [0.0] * 995)
    t = threshold_for_alerts(proba, 2)  # 2 per 1,000 = 2 rows, but 3 rows tie at 0.8
    assert t == 0.8 and int((proba > t).sum()) == 1


def test_recall_thresholds_by_hand():
    y = np.array([1, 1, 1, 1, 0, 0, 0])
    p = np.array([0.9, 0.7, 0.5, 0.3, 0.6, 0.4, 0.2])
    assert threshold_for_recall(y, p, 0.5) == 0.6  # flags 0.9, 0.7: 2 of 4
    assert threshold_for_recall(y, p, 0.75) == 0.4  # flags 0.9, 0.7, 0.6, 0.5
    assert threshold_for_recall(y, p, 1.0) == 0.2
    with pytest.raises(InputError, match="no positives"):
        threshold_for_recall(np.zeros(3), p[:3], 0.5)


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("0.5", OperatingPoint("threshold", 0.5)),
        (0.25, OperatingPoint("threshold", 0.25)),
        ("suggested", OperatingPoint("suggested", None)),
        (None, OperatingPoint("suggested", None)),
        ("recall=0.8", OperatingPoint("recall", 0.8)),
        ("alerts=5", OperatingPoint("alerts", 5.0)),
    ],
)
def test_operating_points_parse_from_text(text, point):
    assert OperatingPoint.parse(text) == point
    assert OperatingPoint.parse(str(point)) == point


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("recall=1.5", "recall target must be in"),
        ("recall=0", "recall target must be in"),
        ("alerts=-1", "alert budget"),
        ("1.2", "threshold must be between 0 and 1"),
        ("precision=0.9", "unknown operating point"),
        ("alerts=lots", "is not a threshold"),
    ],
)
def test_bad_operating_points_are_one_clear_line(text, message):
    with pytest.raises(InputError, match=message):
        OperatingPoint.parse(text)


def test_results_json_records_the_mode_and_each_technique_s_threshold(comparison):
    results = results_json(comparison, "alerts=5")
    assert results["config"]["threshold"] == "alerts=5"
    assert results["config"]["operating_point"] == {
        "mode": "alerts",
        "value": 5.0,
        "description": "the same alert budget (5 per 1,000 cases on validation)",
    }
    thresholds = {n: s["threshold"] for n, s in results["techniques"].items()}
    assert thresholds["baseline"] != thresholds["oversampling"]
