"""Issue #19: what a stakeholder would see first — each defect, held by a test.

Figures and tables are built from generated probabilities (no network needed); the
focal-loss maths is checked against its formula and against Keras where Keras is
finite.
"""

from __future__ import annotations

import argparse
import re

import numpy as np
import pytest

from imbal_core import figures, report, tables
from imbal_core.cli import build_parser
from imbal_core.errors import CANCELLED
from imbal_core.evaluate import Costs
from imbal_core.report._html import _figures
from imbal_core.results import Comparison, Run, Split, results_json


def _comparison(strengths: dict[str, float], seeds=(42,), rows=6000) -> Comparison:
    """Techniques whose scores separate the classes by ``strength`` (1.5 % positives)."""
    rng = np.random.default_rng(3)
    y_val = (rng.random(rows) < 0.015).astype(np.int64)
    y_test = (rng.random(rows) < 0.015).astype(np.int64)

    def scores(y, strength):
        return (1 / (1 + np.exp(-(rng.normal(-3, 1, len(y)) + strength * y)))).astype(
            np.float32
        )

    runs = {
        name: [
            Run(
                name,
                s,
                {},
                scores(y_val, k),
                scores(y_test, k),
                {"negative": 1, "positive": 1},
            )
            for s in seeds
        ]
        for name, k in strengths.items()
    }
    dataset = {
        "source": "demo (synthetic, 6,000 rows)",
        "rows": 2 * rows,
        "positives": int(y_val.sum() + y_test.sum()),
        "test_rows": rows,
        "class_counts": {
            "test": {
                "negative": int((y_test == 0).sum()),
                "positive": int(y_test.sum()),
            }
        },
    }
    config = {"techniques": list(strengths), "seeds": list(seeds), "patience": 0}
    return Comparison(dataset, config, runs, [Split(y_val, y_test)])


# --------------------------------------------------------- 2: colours in the report
def test_every_series_of_every_report_figure_has_its_own_colour():
    """The report's precision/recall/F1 bars were black: their series had no colour."""
    results = results_json(
        _comparison({"baseline": 2.0, "smote": 3.0, "focal_loss": 4.0})
    )
    for title, fig in _figures(results):
        colours = []
        for trace in fig.data:
            if trace.type == "heatmap":
                continue  # one shared colour scale (coloraxis)
            colour = (trace.marker and trace.marker.color) or (
                trace.line and trace.line.color
            )
            assert colour is not None, (title, trace.name)
            colours.append(str(colour))
        if title == "Precision, recall and F1":
            assert len(set(colours)) == 3, colours


# --------------------------------------------------------- 3: a winner with one seed
def test_one_seed_with_a_clear_validation_gap_names_the_winner():
    results = results_json(_comparison({"baseline": 0.5, "smote": 5.0}))
    found = results["recommendation"]
    assert found["name"] == "smote" and found["decided"] is True
    assert "paired bootstrap over the 6,000 validation rows" in found["interval"]
    low, high = found["ci95"]
    assert 0 < low <= found["difference"] <= high
    point = report.operating_point(results)
    assert point["name"] == "smote" and point["indistinguishable"] is None
    assert "paired bootstrap" in point["decided_by"]
    page = report.html_report(results)
    assert "clearly ahead of Baseline (difference +" in page


def test_one_seed_with_a_small_gap_names_no_winner_and_says_which_interval():
    results = results_json(_comparison({"baseline": 3.0, "smote": 3.02}))
    found = results["recommendation"]
    assert found["decided"] is False
    point = report.operating_point(results)
    assert "includes 0" in point["indistinguishable"]
    assert "paired bootstrap" in point["indistinguishable"]


def test_several_seeds_decide_by_the_paired_interval_over_seeds():
    found = results_json(_comparison({"baseline": 0.5, "smote": 5.0}, seeds=(1, 2, 3)))[
        "recommendation"
    ]
    assert found["interval"] == "a paired t-interval over the 3 seeds they share"


def test_a_cost_recommendation_is_dropped_when_the_json_is_re_scored():
    from imbal_core.results import at_threshold

    results = results_json(
        _comparison({"baseline": 0.5, "smote": 5.0}), 0.5, Costs(100, 5), "cost"
    )
    assert results["recommendation"]["criterion"] == "lowest validation cost"
    assert "recommendation" not in at_threshold(results, 0.3)


# ------------------------------------------------------------- 8, 9: layout, size
def test_curve_legends_sit_below_the_x_title_with_room_for_them():
    techniques = results_json(_comparison({f"t{i}": 1.0 + i for i in range(7)}))[
        "techniques"
    ]
    for draw in (figures.pr_curves, figures.reliability_curves, figures.cost_curves):
        layout = draw(techniques).layout
        assert layout.legend.yref == "container" and layout.legend.y == 0
        rows = 3 if draw is figures.reliability_curves else 7  # 8 entries; 3 or 1 a row
        assert layout.margin.b >= 70 + 22 * rows  # the x title and the legend rows


def test_confusion_matrices_are_readable_on_a_projector():
    techniques = results_json(_comparison({f"t{i}": 1.0 + i for i in range(7)}))[
        "techniques"
    ]
    fig = figures.confusion_matrices(techniques, compact=True)
    assert all(t.textfont.size >= 13 for t in fig.data)
    assert all(a.font.size >= 13 for a in fig.layout.annotations)


def test_log_scale_counts_show_the_smallest_bar_with_ticks_at_powers_of_ten():
    counts = {
        "train": {"negative": 180_000, "positive": 315},
        "test": {"negative": 56_000, "positive": 98},
    }
    axis = figures.class_counts_figure({"class_counts": counts}).layout.yaxis
    assert axis.type == "log" and axis.range[0] == 0  # bars start at 1 row
    assert axis.dtick == 1 and axis.minor.showgrid is False


# ------------------------------------------------------------------- 10: wording
def test_cancelled_runs_are_not_counted_as_failed():
    comparison = _comparison({"baseline": 2.0}, seeds=(1, 2))
    comparison.runs["baseline"][1] = Run("baseline", 2, {}, error=CANCELLED)
    comparison.runs["smote"] = [Run("smote", 1, {}, error=CANCELLED)]
    table = tables.runs_table(comparison)
    assert table.loc["Baseline", "Status"] == "ok · 1 of 2 seeds cancelled"
    assert table.loc["SMOTE", "Status"] == "cancelled"
    assert np.isnan(table.loc["SMOTE", "PR-AUC"])  # an empty cell, never "None"


@pytest.mark.parametrize(
    ("value", "shown"), [(0.5, "0.500"), (0.0371, "0.0371"), (0.00012, "0.000120")]
)
def test_thresholds_show_three_significant_digits(value, shown):
    assert tables.column("threshold").text(value) == shown
    assert tables.column("threshold").streamlit_format == "%.3g"


def test_costs_have_thousands_separators_everywhere():
    assert tables.column("cost").text(3868.4) == "3,868"
    assert tables.column("cost").streamlit_format == "%,d"
    headline = tables.headline_table(
        results_json(_comparison({"baseline": 2.0}))["techniques"]
    )
    assert headline["Cost"].dtype.kind == "i"  # rounded, as every surface shows it


def test_the_report_says_chosen_on_validation_only_when_it_was():
    comparison = _comparison({"baseline": 2.0, "smote": 3.0})
    same = report.html_report(results_json(comparison, 0.5))
    assert "0.50 for every technique, as set by the user" in same
    assert "(chosen on validation)" not in same
    matched = report.html_report(results_json(comparison, "recall=0.8"))
    assert "chosen on the validation split to reach that operating point" in matched


def test_early_stopping_off_reads_as_off_not_patience_zero():
    page = report.html_report(results_json(_comparison({"baseline": 2.0})))
    assert "off: every run trains its fixed epochs" in page
    assert "<td>0 (default)</td>" not in page


def test_the_report_gives_the_positive_share_as_precisely_as_the_app():
    comparison = _comparison({"baseline": 2.0})
    comparison.dataset.update(rows=284_807, positives=492)
    assert "492 (0.173 %)" in report.html_report(results_json(comparison))


def test_every_cli_option_has_help():
    parser = build_parser()
    commands = next(
        a for a in parser._actions if isinstance(a, argparse._SubParsersAction)
    )
    for name, sub in commands.choices.items():
        for action in sub._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, (
                    f"{name} {action.option_strings[0]} has no help text"
                )


def test_no_page_or_product_name_says_imbalance_lab():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for path in [
        root / "app.py",
        *(root / "pages").glob("*.py"),
        *(root / "dashboard").glob("*.py"),
    ]:
        assert not re.search("imbalance lab", path.read_text(), re.IGNORECASE), path
