"""figures and tables: every figure and table is drawn from the plain results-JSON summaries, correctly.

Most tests use a small comparison built from fixed, generated probabilities (the
evaluation layer is what is under test, so no network is needed); one test runs every
function on the real 1-epoch ``tiny_comparison``.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from imbal_core import evaluate, figures, tables
from imbal_core.evaluate import Costs
from imbal_core.results import Comparison, Run, Split, failed, label, ok, results_json
from imbal_core.techniques import REGISTRY

NAMES = ("baseline", "smote", "focal_loss")
HOSTILE = "<img src=x onerror=alert(1)>**bold**"


def _probabilities(rng: np.random.Generator, y: np.ndarray, skill: float) -> np.ndarray:
    noise = rng.beta(1.2, 12, len(y))
    return np.clip(noise + y * rng.uniform(0, skill, len(y)), 0, 1).astype(np.float32)


def make_comparison(
    names=NAMES, seeds=(42,), failed=("class_weight",), size=4000
) -> Comparison:
    """A comparison of generated probabilities: different skill per technique, 2 % positives."""
    rng = np.random.default_rng(7)
    y_val = (rng.random(size) < 0.02).astype(np.int64)
    y_test = (rng.random(size) < 0.02).astype(np.int64)
    runs: dict[str, list[Run]] = {}
    for i, name in enumerate(names):
        runs[name] = []
        for seed in seeds:
            skill = 0.4 + 0.2 * i + 0.05 * (seed % 3)
            runs[name].append(
                Run(
                    name,
                    seed,
                    {},
                    _probabilities(rng, y_val, skill),
                    _probabilities(rng, y_test, skill),
                    {"negative": 3000 - 100 * i, "positive": 60 + 500 * i},
                    1.0,
                )
            )
    for name in failed:
        runs[name] = [
            Run(name, seed, {}, error="ValueError: boom (in fit)") for seed in seeds
        ]
    dataset = {
        "class_counts": {
            "train": {"negative": 7800, "positive": 160},
            "validation": {
                "negative": int((y_val == 0).sum()),
                "positive": int(y_val.sum()),
            },
            "test": {
                "negative": int((y_test == 0).sum()),
                "positive": int(y_test.sum()),
            },
        },
        "test_rows": size,
    }
    amounts = rng.exponential(80, size)
    split = Split(y_val, y_test, rng.exponential(80, size), amounts)
    return Comparison(dataset, {}, runs, [split])


def at(run, threshold: float) -> dict:
    """Test scores, confusion matrix and classification report at ``threshold``."""
    return evaluate.at_counts(run.counts_at(threshold))


def techniques_of(comparison: Comparison, threshold=0.3, costs=None) -> dict:
    """What the report sees: results.json's techniques after a JSON round trip."""
    return json.loads(
        json.dumps(results_json(comparison, threshold, costs or Costs()))
    )["techniques"]


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return make_comparison()


@pytest.fixture(scope="module")
def techniques(comparison) -> dict:
    return techniques_of(comparison)


def traces(fig: go.Figure, kind: str) -> list:
    return [t for t in fig.data if t.type == kind]


# ------------------------------------------------------------ confusion matrices
def test_one_heatmap_per_finished_technique_on_one_shared_colour_scale(
    comparison, techniques
):
    fig = figures.confusion_matrices(techniques)
    heatmaps = traces(fig, "heatmap")
    assert [h.name for h in heatmaps] == [
        label(n) for n in NAMES
    ]  # the failed one is skipped
    assert {h.coloraxis for h in heatmaps} == {"coloraxis"}
    assert (fig.layout.coloraxis.cmin, fig.layout.coloraxis.cmax) == (0.0, 1.0)
    for name, heatmap in zip(NAMES, heatmaps, strict=True):
        (tn, fp), (fn, tp) = at(comparison.ok_runs(name)[0], 0.3)["confusion_matrix"]
        assert np.allclose(
            heatmap.z,
            [[tn / (tn + fp), fp / (tn + fp)], [fn / (fn + tp), tp / (fn + tp)]],
            atol=1e-4,
        )
        assert heatmap.text[1][1].startswith(f"TP {tp:,}<br>") and heatmap.text[0][
            1
        ].startswith(f"FP {fp:,}<br>")
    # Every subplot has its own axes, so the matrices sit side by side, not on top of each other.
    assert len({h.xaxis for h in heatmaps}) == len(heatmaps)
    titles = [a.text for a in fig.layout.annotations]
    assert titles == [f"{label(n)} (threshold 0.300)" for n in NAMES]


def test_confusion_matrices_follow_the_threshold(comparison):
    low = traces(
        figures.confusion_matrices(techniques_of(comparison, 0.05), 0.05), "heatmap"
    )
    high = traces(
        figures.confusion_matrices(techniques_of(comparison, 0.9), 0.9), "heatmap"
    )
    # More of the negatives are flagged at 0.05 than at 0.9.
    assert all(lo.z[0][1] > hi.z[0][1] for lo, hi in zip(low, high, strict=True))


# -------------------------------------------------------------------- curves
def test_pr_curves_mark_the_threshold_at_its_recall_and_precision(
    comparison, techniques
):
    fig = figures.pr_curves(techniques)
    for name in NAMES:
        shown = label(name)
        curve = next(t for t in fig.data if t.name.startswith(f"{shown} (PR-AUC"))
        marker = next(t for t in fig.data if t.name == f"{shown} @ 0.300")
        scores = at(comparison.ok_runs(name)[0], 0.3)
        assert marker.x[0] == pytest.approx(scores["recall"])
        assert marker.y[0] == pytest.approx(scores["precision"])
        assert len(curve.x) > 10 and curve.mode == "lines"
    prevalence = comparison.ok_runs("baseline")[0].y_test.mean()
    no_skill = next(t for t in fig.data if t.name.startswith("no skill"))
    assert list(no_skill.y) == pytest.approx([prevalence, prevalence])


def test_roc_curves_mark_the_threshold_at_its_false_positive_rate_and_recall(
    comparison, techniques
):
    fig = figures.roc_curves(techniques)
    for name in NAMES:
        marker = next(t for t in fig.data if t.name == f"{label(name)} @ 0.300")
        (tn, fp), (fn, tp) = at(comparison.ok_runs(name)[0], 0.3)["confusion_matrix"]
        assert marker.x[0] == pytest.approx(fp / (fp + tn)) and marker.y[
            0
        ] == pytest.approx(tp / (tp + fn))
    assert any(t.name == "chance" for t in fig.data)


def test_reliability_curves_have_the_diagonal_and_a_brier_score_each(techniques):
    fig = figures.reliability_curves(techniques)
    assert fig.data[0].name == "perfectly calibrated" and list(fig.data[0].x) == [0, 1]
    assert [t.name for t in fig.data[1:]] == [
        f"{label(n)} (Brier {techniques[n]['brier']:.4f})" for n in NAMES
    ]
    observed = techniques["baseline"]["curves"]["reliability"]["observed"]
    assert list(fig.data[1].y) == pytest.approx(observed)


# ---------------------------------------------------------- bars and seeds
def test_metric_bars_have_no_error_bars_with_one_seed(techniques):
    fig = figures.metric_bars(techniques)
    assert [t.name for t in fig.data] == ["Precision", "Recall", "F1"]
    assert all(t.error_y.array is None for t in fig.data)
    assert list(fig.data[1].y) == pytest.approx(
        [techniques[n]["recall"] for n in NAMES]
    )


def test_metric_and_cost_bars_show_95_ci_error_bars_with_several_seeds():
    techniques = techniques_of(make_comparison(seeds=(1, 2, 3), failed=()))
    recall = figures.metric_bars(techniques).data[1]
    for i, name in enumerate(NAMES):
        mean, (low, high) = evaluate.interval(
            [s["recall"] for s in techniques[name]["seeds"]],
            evaluate.METRIC_BOUNDS["recall"],
        )
        assert recall.y[i] == pytest.approx(mean)
        assert recall.error_y.array[i] == pytest.approx(high - mean)
        assert recall.error_y.arrayminus[i] == pytest.approx(mean - low)
    assert max(recall.error_y.array) > 0
    assert figures.cost_bars(techniques).data[0].error_y.array is not None
    assert "mean of 3 seeds" in figures.metric_bars(techniques).layout.title.text
    ci = tables.metrics_ci_table(techniques)
    assert ci.loc["Baseline", "Seeds"] == 3 and " to " in ci.loc["Baseline", "PR-AUC"]
    assert "over 3 seeds" in ci.loc["Baseline", "Interval"]


# --------------------------------------------------------------------- costs
def test_cost_curves_star_each_minimum_and_mark_the_current_threshold(comparison):
    techniques = techniques_of(comparison, 0.3, Costs(missed=None, review=5.0))
    fig = figures.cost_curves(techniques)
    for name in NAMES:
        shown = label(name)
        line = next(t for t in fig.data if t.name == shown)
        star = next(t for t in fig.data if t.name == f"{shown} minimum")
        expected = evaluate.cost_curve(
            comparison.ok_runs(name)[0].y_test,
            comparison.ok_runs(name)[0].proba_test,
            evaluate.THRESHOLD_GRID,
            Costs(missed=None),
            comparison.splits[0].amounts_test,
        )
        assert list(line.y) == pytest.approx(expected, rel=1e-4)
        assert star.y[0] == pytest.approx(expected.min(), rel=1e-4)
        assert star.x[0] == pytest.approx(
            evaluate.THRESHOLD_GRID[int(np.argmin(line.y))]
        )
        # Each technique's operating point, at its own threshold, on its own curve.
        dot = next(t for t in fig.data if t.name == f"{shown} @ 0.300")
        assert (dot.x[0], dot.y[0]) == pytest.approx((0.3, techniques[name]["cost"]))


def test_cost_bars_show_each_techniques_total_cost(techniques):
    bar = figures.cost_bars(techniques).data[0]
    assert list(bar.y) == pytest.approx([techniques[n]["cost"] for n in NAMES])


# -------------------------------------------------------------------- tables
def test_metrics_table_puts_accuracy_last_and_picks_the_right_best(techniques):
    table = tables.metrics_table(techniques)
    assert list(table.columns)[0] == "Precision"
    assert list(table.columns)[-1] == "Accuracy"
    assert list(table.index) == [label(n) for n in NAMES]
    best = tables.best_per_column(table)
    assert best["PR-AUC"] == table["PR-AUC"].idxmax()
    assert (
        best["Cost"] == table["Cost"].idxmin()
        and best["Brier"] == table["Brier"].idxmin()
    )
    assert "Threshold" not in best


def test_classification_report_table_has_both_classes_and_both_averages(
    comparison, techniques
):
    table = tables.classification_report_table(techniques["smote"])
    assert list(table.index) == [
        "negative (0)",
        "positive (1)",
        "accuracy",
        "macro avg",
        "weighted avg",
    ]
    report = at(comparison.ok_runs("smote")[0], 0.3)["classification_report"]
    assert table.loc["positive (1)", "Recall"] == pytest.approx(report["1"]["recall"])
    assert table.loc["weighted avg", "F1"] == pytest.approx(
        report["weighted avg"]["f1-score"]
    )
    assert table.loc["accuracy", "Support"] == len(
        comparison.ok_runs("smote")[0].y_test
    )


def test_class_counts_cover_every_split_and_resampled_training_set(
    comparison, techniques
):
    table = tables.class_counts_table(comparison.dataset, techniques)
    assert list(table.index) == [
        "train",
        "validation",
        "test",
        *(f"train after {label(n)}" for n in NAMES),
    ]
    assert table.loc["train after SMOTE", "Positive"] == 560
    assert table.loc["train after SMOTE", "Positive share"] == pytest.approx(
        100 * 560 / (2900 + 560)
    )
    fig = figures.class_counts_figure(comparison.dataset, techniques)
    assert fig.layout.yaxis.type == "log" and [t.name for t in fig.data] == [
        "negative",
        "positive",
    ]


def test_suggested_thresholds_table_shows_validation_choices(comparison, techniques):
    table = tables.suggested_thresholds_table(techniques)
    for name in NAMES:
        assert table.loc[label(name), "Suggested threshold"] == pytest.approx(
            comparison.ok_runs(name)[0].suggested_threshold("f1")
        )


# ------------------------------------------------------------ failures, names
def test_failed_techniques_are_listed_and_skipped_everywhere(techniques):
    assert failed(techniques) == {"class_weight": "ValueError: boom (in fit)"}
    everything_failed = {"class_weight": techniques["class_weight"]}
    for draw in (
        figures.confusion_matrices,
        figures.metric_bars,
        figures.pr_curves,
        figures.roc_curves,
        figures.reliability_curves,
        figures.cost_bars,
        figures.cost_curves,
    ):
        fig = draw(everything_failed)
        assert (
            not fig.data and "No technique finished" in fig.layout.annotations[0].text
        )
    assert tables.metrics_table(everything_failed).empty


def test_hostile_technique_labels_reach_plotly_escaped(comparison, monkeypatch):
    # A technique file may carry any label; the registry is where names come from.
    monkeypatch.setattr(REGISTRY["smote"], "label", HOSTILE)
    techniques = techniques_of(comparison)
    for draw in (
        figures.confusion_matrices,
        figures.pr_curves,
        figures.roc_curves,
        figures.cost_curves,
        figures.reliability_curves,
        figures.metric_bars,
    ):
        text = draw(techniques).to_json()
        assert "&lt;img src=x onerror=alert(1)&gt;" in text
        assert "<img" not in text
    assert (
        HOSTILE in tables.metrics_table(techniques).index
    )  # tables are plain text already


def test_every_function_draws_the_real_tiny_comparison(tiny_comparison):
    results = json.loads(json.dumps(results_json(tiny_comparison, 0.5)))
    techniques = results["techniques"]
    assert len(traces(figures.confusion_matrices(techniques), "heatmap")) == len(
        ok(techniques)
    )
    for draw in (
        figures.metric_bars,
        figures.pr_curves,
        figures.roc_curves,
        figures.reliability_curves,
        figures.cost_bars,
        figures.cost_curves,
    ):
        assert isinstance(draw(techniques), go.Figure)
    assert isinstance(
        figures.class_counts_figure(results["dataset"], techniques), go.Figure
    )
    assert len(tables.metrics_table(techniques)) == len(ok(techniques))


def test_every_figure_is_valid_plotly(techniques, comparison):
    """Figures are built without per-call validation for speed; prove they would pass it."""
    several = techniques_of(make_comparison(seeds=(1, 2), failed=()))
    for data in (techniques, several, {"class_weight": techniques["class_weight"]}):
        drawn = [
            draw(data)
            for draw in (
                figures.confusion_matrices,
                figures.metric_bars,
                figures.pr_curves,
                figures.roc_curves,
                figures.reliability_curves,
                figures.cost_bars,
                figures.cost_curves,
            )
        ]
        drawn.append(figures.class_counts_figure(comparison.dataset, data))
        for fig in drawn:
            go.Figure(
                fig.to_dict()
            )  # validates every property; raises on anything plotly rejects
            json.loads(fig.to_json())


def test_classification_report_text_reads_like_sklearn(techniques):
    text = tables.classification_report_text(techniques["smote"])
    report = techniques["smote"]["classification_report"]
    lines = text.splitlines()
    assert lines[0].split() == ["precision", "recall", "f1-score", "support"]
    assert lines[3].split()[:2] == ["positive", "(1)"] and float(
        lines[3].split()[3]
    ) == pytest.approx(report["1"]["recall"], abs=1e-4)
    assert "accuracy" in text and "macro avg" in text and "weighted avg" in text


def test_the_report_stars_each_column_s_best_value(techniques):
    from imbal_core.report._page import frame_html

    table = tables.metrics_table(techniques)
    best = tables.best_per_column(table)
    page = frame_html(table, best=True)
    assert page.count("<strong>★ ") == len(best)
    for column, winner in best.items():
        shown = tables.BY_LABEL[column].text(table.loc[winner, column])
        assert f"<strong>★ {shown}</strong>" in page


def test_escape_uses_only_entities_plotly_and_browsers_both_decode():
    # plotly's labels decode numeric entities but not &quot;: the double quote is numeric.
    assert (
        figures.escape("<b>\"x\" & 'y'</b>")
        == "&lt;b&gt;&#34;x&#34; &amp; &#x27;y&#x27;&lt;/b&gt;"
    )


def test_data_page_figures_show_user_values_literally():
    counts = pd.Series([90, 10], index=["<b>no</b>", 'yes "1"'])
    fig = figures.value_count_figure(counts, "<i>target</i>", log_scale=True)
    assert list(fig.data[0].x) == ["&lt;b&gt;no&lt;/b&gt;", "yes &#34;1&#34;"]
    assert fig.layout.xaxis.title.text == "values of &lt;i&gt;target&lt;/i&gt;"
    assert fig.layout.yaxis.type == "log" and fig.layout.xaxis.type == "category"
    split = {
        "train": {"negative": 900, "positive": 9},
        "test": {"negative": 90, "positive": 1},
    }
    bars = figures.class_counts_figure({"class_counts": split}, None, log_scale=False)
    assert [t.name for t in bars.data] == ["negative", "positive"]
    assert list(bars.data[1].y) == [9, 1] and bars.layout.yaxis.type is None
