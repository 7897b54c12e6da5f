"""AppTest checks for the Compare page on the real 1-epoch ``tiny_comparison``.

AppTest runs the page in this process, so wrapping ``Technique.fit`` and
``training.train_one`` with counting spies (which call the real functions) proves
that moving the threshold never trains anything.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from imbal_core import evaluate, execution, results, training
from imbal_core.evaluate import Costs
from imbal_core.results import Comparison, Run
from imbal_core.techniques import REGISTRY, base

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "3_Compare.py")
APP = str(ROOT / "app.py")
HOSTILE = "<script>alert(1)</script>**bold** [x](javascript:alert(1))"


def open_page(comparison: Comparison | None = None, **state) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    if comparison is not None:
        at.session_state["comparison"] = comparison
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_costs(at: AppTest) -> Costs:
    """The costs the page's widgets hold (what every figure and table used)."""
    by_amount = at.session_state["cost_mode"] == "amount"
    return Costs(
        missed=None if by_amount else float(at.session_state["cost_missed"]),
        review=float(at.session_state["cost_review"]),
    )


def figure(at: AppTest, title: str) -> dict:
    """The plotly JSON the page sent, found by the start of its title."""
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        if spec["layout"]["title"]["text"].startswith(title):
            return spec
    raise AssertionError(f"no figure titled {title!r}")


def matrix_figure(at: AppTest) -> dict:
    """The overview's confusion matrices (untitled, to fit one screen): the first
    figure of heatmaps."""
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        if spec["data"] and spec["data"][0].get("type") == "heatmap":
            return spec
    raise AssertionError("no confusion matrices on the page")


def matrices(at: AppTest) -> dict[str, list[list[int]]]:
    """Confusion matrices as drawn: label → [[tn, fp], [fn, tp]], read back from each
    cell's text (its count) and checked against its hover ("TN 1,234 (…)")."""
    result = {}
    for trace in matrix_figure(at)["data"]:
        cells = []
        for r, row in enumerate(trace["text"]):
            counts = []
            for c, text in enumerate(row):
                count = int(re.match(r"([\d,]+)<br>", text).group(1).replace(",", ""))
                kind = (("TN", "FP"), ("FN", "TP"))[r][c]
                assert trace["customdata"][r][c].startswith(f"{kind} {count:,} (")
                counts.append(count)
            cells.append(counts)
        result[trace["name"]] = cells
    return result


def frame(at: AppTest, column: str):
    """The first dataframe on the page with ``column``."""
    for element in at.dataframe:
        if column in element.value.columns:
            return element.value
    raise AssertionError(f"no table with a {column!r} column")


def text_of(elements) -> str:
    return " ".join(str(e.value) for e in elements)


def rendered(markdown: str) -> str:
    """Markdown as a reader sees it: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def with_runs(comparison: Comparison, runs: dict[str, list[Run]]) -> Comparison:
    return Comparison(comparison.dataset, comparison.config, runs, comparison.splits)


def scored(comparison: Comparison) -> dict:
    """Each technique's finished runs, scored against the comparison's labels."""
    return {name: comparison.ok_runs(name) for name in comparison.runs}


def at_threshold(run, threshold: float) -> dict:
    return evaluate.at_counts(run.counts_at(threshold))


@pytest.fixture
def training_spy(monkeypatch) -> dict[str, int]:
    """Count calls of the real training entry points (they still run if ever called)."""
    calls = {"fit": 0, "train_one": 0, "executor": 0}
    real_fit, real_train_one = base.Technique.fit, training.train_one
    real_stream = execution.LocalExecutor.stream

    def fit(self, *args, **kwargs):
        calls["fit"] += 1
        return real_fit(self, *args, **kwargs)

    def train_one(*args, **kwargs):
        calls["train_one"] += 1
        return real_train_one(*args, **kwargs)

    def stream(self, *args, **kwargs):  # the dashboard trains in worker processes
        calls["executor"] += 1
        return real_stream(self, *args, **kwargs)

    monkeypatch.setattr(base.Technique, "fit", fit)
    monkeypatch.setattr(training, "train_one", train_one)
    monkeypatch.setattr(execution.LocalExecutor, "stream", stream)
    return calls


# -------------------------------------------------------------------- render
def test_without_a_comparison_it_points_to_training():
    at = open_page()
    assert "train at least one technique" in text_of(at.info)
    assert not at.slider and not at.get("plotly_chart")


def test_renders_every_section_with_a_comparison(tiny_comparison):
    at = open_page(tiny_comparison)
    slider = at.slider(key="threshold")
    assert slider.label == "Decision threshold" and slider.value == 0.5
    assert (slider.min, slider.max, slider.step) == (0.0, 1.0, 0.01)
    # The answer first: the operating point, the headline table, the matrices.
    assert at.radio(key="compare_at").value == "threshold"
    assert "#### At the same threshold (0.50)" in text_of(at.markdown)
    headline = at.dataframe[0].value
    assert list(headline.columns) == [
        "Threshold",
        "Recall",
        "Precision",
        "Alerts per 1k",
        "Cost",
        "PR-AUC",
        "PR-AUC 95% interval",
    ]
    # The detail below, in tabs.
    assert [t.label for t in at.tabs] == [
        "Metrics",
        "Curves",
        "Costs",
        "Suggested thresholds",
        "Calibration",
        "Seed by seed",
        "Class counts",
        "Reports",
        "Glossary",
    ]
    names = list(tiny_comparison.runs)
    assert len(matrices(at)) == len(names)
    glossary = " ".join(m.value for m in at.tabs[-1].markdown)
    for name in names:  # each compared technique's summary and reference
        cls = REGISTRY[name]
        assert (
            cls.summary.split(" ")[0] in glossary
            and cls.reference.split(" ")[0] in glossary
        )
    assert figure(at, "Calibration")["data"][0]["name"] == "perfectly calibrated"
    for title in (
        "Positive class",
        "Precision-recall",
        "ROC",
        "Total cost",
        "Cost against threshold",
        "Class counts",
    ):
        figure(at, title)
    suggested = frame(at, "Suggested threshold")
    for name in names:
        run = tiny_comparison.ok_runs(name)[0]
        assert suggested.loc[
            results.label(name), "Suggested threshold"
        ] == pytest.approx(run.suggested_threshold("f1"))
    reports = [c.value for c in at.code]
    assert len(reports) == len(names) and all(
        "weighted avg" in r and "positive (1)" in r for r in reports
    )
    metrics = frame(at, "Accuracy")
    assert list(metrics.columns)[-1] == "Accuracy"
    assert "Best on test" not in metrics.columns  # best values are highlighted instead
    assert {n.label for n in at.number_input} >= {
        "Cost per alert reviewed",
        "Analyst capacity: alerts reviewed (k)",
    }
    counts = frame(at, "Positive share")
    assert {"train", "validation", "test"} <= set(counts.index)
    assert "**Recall**" in text_of(at.markdown)


# ------------------------------------------------------------------ threshold
def test_moving_the_threshold_rescores_every_technique_without_training(
    tiny_comparison, training_spy
):
    at = open_page(tiny_comparison)
    seen = {}
    for threshold in (0.5, 0.05, 0.95):
        at.slider(key="threshold").set_value(threshold).run()
        assert not at.exception
        drawn = matrices(at)
        for name, runs in scored(tiny_comparison).items():
            assert (
                drawn[results.label(name)]
                == at_threshold(runs[0], threshold)["confusion_matrix"]
            ), (name, threshold)
        table = frame(at, "Accuracy")
        assert (at.dataframe[0].value["Threshold"] == threshold).all()  # the headline
        costs = page_costs(at)
        for name in (
            tiny_comparison.runs
        ):  # the page's fast re-scoring agrees with the engine's summary
            engine = results.technique_summary(tiny_comparison, name, threshold, costs)
            row = table.loc[results.label(name)]
            for column, key in (
                ("Precision", "precision"),
                ("Recall", "recall"),
                ("F1", "f1"),
                ("MCC", "mcc"),
                ("Cost", "cost"),
                ("Accuracy", "accuracy"),
                ("PR-AUC", "pr_auc"),
            ):
                tolerance = (
                    0.5 if column == "Cost" else 1e-9
                )  # the page rounds cost to whole units
                assert row[column] == pytest.approx(engine[key], abs=tolerance), (
                    name,
                    threshold,
                    column,
                )
        seen[threshold] = drawn
    assert seen[0.05] != seen[0.95]
    assert training_spy == {"fit": 0, "train_one": 0, "executor": 0}


def test_applying_a_suggested_threshold_moves_the_slider(tiny_comparison):
    at = open_page(tiny_comparison)
    suggestions = {
        n: r[0].suggested_threshold("f1") for n, r in scored(tiny_comparison).items()
    }
    pick = max(suggestions, key=lambda n: abs(suggestions[n] - 0.5))
    assert suggestions[pick] != 0.5
    at.selectbox(key="suggest_pick").set_value(pick).run()
    at.button(key="apply_suggested").click().run()
    assert not at.exception
    assert at.slider(key="threshold").value == pytest.approx(suggestions[pick])
    drawn = matrices(at)
    for name, runs in scored(tiny_comparison).items():
        assert (
            drawn[results.label(name)]
            == at_threshold(runs[0], suggestions[pick])["confusion_matrix"]
        )


def test_cost_panel_drives_costs_and_cost_based_suggestions(tiny_comparison):
    at = open_page(tiny_comparison)
    if tiny_comparison.has_amounts:
        at.radio(key="cost_mode").set_value("fixed").run()  # enables the fixed amount
    at.number_input(key="cost_missed").set_value(500.0)
    at.number_input(key="cost_review").set_value(1.0)
    at.radio(key="objective").set_value("cost").run()
    assert not at.exception
    costs = Costs(missed=500.0, review=1.0)
    assert page_costs(at) == costs
    suggested = frame(at, "Suggested threshold")
    bars = figure(at, "Total cost")["data"][0]
    for i, (name, runs) in enumerate(scored(tiny_comparison).items()):
        run = runs[0]
        expected = run.suggested_threshold("cost", costs)
        assert suggested.loc[
            results.label(name), "Suggested threshold"
        ] == pytest.approx(expected)
        cost = evaluate.cost_curve(run.y_test, run.proba_test, 0.5, costs)[0]
        assert bars["y"][i] == pytest.approx(cost)


def test_precision_at_top_k_follows_the_analyst_capacity(tiny_comparison):
    at = open_page(tiny_comparison)
    at.number_input(key="top_k").set_value(10).run()
    table = frame(at, "Precision in top k")
    for name, runs in scored(tiny_comparison).items():
        expected = evaluate.precision_at_top(runs[0].y_test, runs[0].proba_test, 10)
        assert table.loc[results.label(name), "Precision in top k"] == pytest.approx(
            expected
        )


# ------------------------------------------------------------ failures, seeds
def test_a_failed_technique_shows_its_error_while_the_others_render(tiny_comparison):
    runs = dict(tiny_comparison.runs)
    runs["smote"] = [Run("smote", 42, {}, error="MemoryError: too big (in _resample)")]
    at = open_page(with_runs(tiny_comparison, runs))
    warning = rendered(text_of(at.warning))
    assert "**SMOTE** failed: MemoryError: too big (in _resample)" in warning
    drawn = matrices(at)
    assert "SMOTE" not in drawn and len(drawn) == len(runs) - 1


def _jittered(run: Run, seed: int, scale: float) -> Run:
    """Another seed's probabilities: the real ones, perturbed deterministically."""
    rng = np.random.default_rng(seed)

    def jitter(p):
        return np.clip(p + rng.normal(0, scale, len(p)), 0, 1).astype(np.float32)

    return Run(
        run.technique,
        seed,
        run.params,
        jitter(run.proba_val),
        jitter(run.proba_test),
        run.train_class_counts,
        run.fit_seconds,
    )


def test_several_seeds_show_confidence_intervals_and_a_paired_verdict(tiny_comparison):
    runs = {
        name: [
            tiny_comparison.runs[name][0],
            *(_jittered(tiny_comparison.runs[name][0], s, 0.05) for s in (1, 2)),
        ]
        for name in ("baseline", "class_weight")
    }
    at = open_page(with_runs(tiny_comparison, runs))
    y = tiny_comparison.splits[0].y_test
    ci = frame(at, "Seeds")
    assert (ci["Seeds"] == 3).all() and " to " in ci.loc["Baseline", "PR-AUC"]
    assert figure(at, "Positive class")["data"][0]["error_y"]["array"] is not None
    at.selectbox(key="paired_a").set_value("class_weight").run()
    at.selectbox(key="paired_b").set_value("baseline").run()
    verdict = evaluate.paired_comparison(
        [evaluate.average_precision(y, r.proba_test) for r in runs["class_weight"]],
        [evaluate.average_precision(y, r.proba_test) for r in runs["baseline"]],
    )["verdict"]
    words = text_of(at.success) + text_of(at.info)
    expected = {
        "A better": "**Class weights** beats **Baseline**",
        "B better": "**Baseline** beats **Class weights**",
        "no clear difference": "No clear difference",
    }[verdict]
    assert expected in words and "PR-AUC" in words


# ----------------------------------------------------------------- safety
def test_hostile_technique_labels_render_as_plain_text(tiny_comparison, monkeypatch):
    # Any technique file can set any label; the page must show it as text.
    monkeypatch.setattr(REGISTRY["focal_loss"], "label", HOSTILE)
    at = open_page(tiny_comparison)
    title = next(m.value for m in at.markdown if "script" in m.value)  # Reports tab
    assert "\\<script\\>" in title and "\\*\\*bold\\*\\*" in title
    spec = json.dumps(matrix_figure(at))
    assert "&lt;script&gt;" in spec and "<script>" not in spec
    assert HOSTILE in frame(at, "Recall").index


def test_page_never_allows_raw_html():
    assert "unsafe_allow_html" not in Path(PAGE).read_text()


# ------------------------------------------------------------- compare at
@pytest.mark.parametrize(
    ("mode", "key", "value"),
    [
        ("suggested", None, None),
        ("recall", "recall_target", 0.6),
        ("alerts", "alert_budget", 20.0),
    ],
)
def test_each_compare_at_mode_sets_every_technique_s_threshold_from_validation(
    tiny_comparison, training_spy, mode, key, value
):
    """Issue #12: the headline, the matrices and every table follow the mode; each
    technique has its own threshold, chosen on validation; nothing retrains."""
    at = open_page(tiny_comparison)
    at.radio(key="compare_at").set_value(mode).run()
    if key == "recall_target":
        at.slider(key=key).set_value(value).run()
    elif key:
        at.number_input(key=key).set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]
    point = evaluate.OperatingPoint(mode, value)
    assert f"#### At {point.describe()}" in text_of(at.markdown)
    headline = at.dataframe[0].value
    drawn = matrices(at)
    costs = page_costs(at)
    for name, runs in scored(tiny_comparison).items():
        engine = results.technique_summary(tiny_comparison, name, point, costs)
        expected = point.threshold(
            runs[0].y_val, runs[0].proba_val, runs[0].suggested_threshold("f1")
        )
        row = headline.loc[results.label(name)]
        assert row["Threshold"] == pytest.approx(expected)
        assert row["Recall"] == pytest.approx(engine["recall"])
        assert (
            drawn[results.label(name)]
            == at_threshold(runs[0], expected)["confusion_matrix"]
        )
        if mode == "recall":
            counts = evaluate.confusion_counts(
                runs[0].y_val, runs[0].proba_val, expected
            )
            tn, fp, fn, tp = counts[0]
            assert tp / (tp + fn) >= value
    assert training_spy == {"fit": 0, "train_one": 0, "executor": 0}


def test_the_compare_at_setting_survives_a_visit_to_another_page(tiny_comparison):
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["comparison"] = tiny_comparison
    at.run().switch_page("pages/3_Compare.py").run()
    at.radio(key="compare_at").set_value("alerts").run()
    at.number_input(key="alert_budget").set_value(12.5).run()
    at.switch_page("pages/4_Report.py").run()  # the Compare widgets are not drawn here
    assert "the same alert budget (12.5 per 1,000" in text_of(at.markdown)
    at.switch_page("pages/3_Compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.radio(key="compare_at").value == "alerts"
    assert at.number_input(key="alert_budget").value == 12.5


# ------------------------------------------------------------- saved file
def _everything(at: AppTest) -> tuple[list, list]:
    """Every table and every figure the page drew."""
    frames = [e.value.to_json() for e in at.dataframe]
    charts = [json.loads(e.proto.spec) for e in at.get("plotly_chart")]
    return frames, charts


def test_an_opened_saved_comparison_draws_the_same_page(tiny_dataset):
    """Issue #13: 2 techniques x 2 seeds, saved and opened: every table and figure of
    the Compare page equals the one drawn from the comparison right after training,
    at three thresholds and in every Compare-at mode."""
    import io

    from imbal_core.execution import plan_runs, run_comparison

    plan = plan_runs(
        ["baseline", "class_weight"], {"epochs": 2, "batch_size": 128}, (1, 2)
    )
    trained = run_comparison(tiny_dataset, plan)
    buffer = io.BytesIO()
    results.save_comparison(trained, results.results_json(trained), buffer)
    buffer.seek(0)
    opened = results.load_comparison(buffer, "night-run.zip")
    pages = [open_page(trained), open_page(opened)]
    assert "night-run.zip" in text_of(pages[1].info)  # where it came from
    settings = [("threshold", t) for t in (0.2, 0.5, 0.8)] + [
        ("suggested", None),
        ("recall", 0.6),
        ("alerts", 20.0),
    ]
    for mode, value in settings:
        for at in pages:
            at.radio(key="compare_at").set_value(mode).run()
            if mode == "threshold":
                at.slider(key="threshold").set_value(value).run()
            elif mode == "recall":
                at.slider(key="recall_target").set_value(value).run()
            elif mode == "alerts":
                at.number_input(key="alert_budget").set_value(value).run()
            assert not at.exception, [e.value for e in at.exception]
        assert _everything(pages[1]) == _everything(pages[0]), (mode, value)
