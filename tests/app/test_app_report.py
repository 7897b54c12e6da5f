"""AppTest of the Report page: no comparison yet, and a real 1-epoch comparison."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from imbal_core.techniques import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGE = "pages/4_Report.py"
TIMEOUT = 180


@pytest.fixture(autouse=True)
def small_default(monkeypatch, tmp_path):
    """A small demo default and no real creditcard file, whatever the machine has."""
    monkeypatch.setenv("IMBAL_DEMO_ROWS", "3000")
    monkeypatch.delenv("IMBAL_CREDITCARD_CSV", raising=False)
    monkeypatch.chdir(tmp_path)


def open_report(**state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def downloads(at: AppTest) -> list:
    return at.get("download_button")


def test_without_a_comparison_the_page_points_to_train(tiny_dataset):
    at = open_report(dataset=tiny_dataset)
    assert "train at least one technique" in " ".join(i.value for i in at.info)
    links = [p.proto for p in at.get("page_link")]
    assert any(p.page == "Train" and p.label == "Go to Train" for p in links), links
    assert not downloads(at)


def test_with_a_comparison_it_offers_four_safe_downloads(tiny_dataset, tiny_comparison):
    at = open_report(
        dataset=tiny_dataset,
        comparison=tiny_comparison,
        threshold=0.3,
        cost_mode="fixed",
        cost_missed=250.0,
        cost_review=2.0,
    )
    buttons = downloads(at)
    assert [b.proto.label for b in buttons] == [
        "Results (JSON)",
        "Metrics table (CSV)",
        "Report (HTML)",
        "Comparison (.zip)",
    ]
    assert not at.error
    # The exports the buttons serve: at the session's threshold and costs.
    results, results_text, csv_text = at.session_state["_report_exports"][2]
    assert json.loads(results_text)["config"]["threshold"] == 0.3
    assert results["config"]["costs"] == {"missed": 250.0, "review": 2.0}
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert [r[0] for r in rows[1:]] == [REGISTRY[n].label for n in tiny_comparison.runs]
    # The preview table and the synthetic warning.
    frame = at.dataframe[0].value
    assert list(frame.index) == [REGISTRY[n].label for n in tiny_comparison.runs]
    assert "Accuracy" in frame.columns and "PR-AUC" in frame.columns
    assert "SYNTHETIC" in " ".join(w.value for w in at.warning)
    assert "0.30" in " ".join(m.value for m in at.markdown)


def test_a_hostile_technique_error_is_shown_as_text(tiny_dataset, tiny_comparison):
    broken = copy.copy(tiny_comparison)
    broken.runs = dict(tiny_comparison.runs)
    failing = copy.copy(broken.runs["smote"][0])
    failing.error = "label <script>alert(1)</script> **bold**"
    failing.proba_val = failing.proba_test = None
    broken.runs["smote"] = [failing]
    # The Compare page's threshold, kept for the session: the Report page uses it.
    at = open_report(dataset=tiny_dataset, comparison=broken, threshold=0.2)
    assert at.session_state["_report_exports"][2][0]["config"]["threshold"] == 0.2
    errors = " ".join(e.value for e in at.error)
    assert "SMOTE failed" in errors
    assert (
        "\\<script\\>" in errors and "\\*\\*bold\\*\\*" in errors
    )  # Markdown-escaped, shown literally
    assert len(downloads(at)) == 4


def test_a_network_that_did_not_learn_is_flagged_on_the_page(
    tiny_dataset, tiny_comparison
):
    flagged = copy.copy(tiny_comparison)
    flagged.runs = dict(tiny_comparison.runs)
    run = copy.copy(flagged.runs["baseline"][0])
    run.warnings = ["did not learn: try more epochs or a smaller batch"]
    flagged.runs["baseline"] = [run]
    at = open_report(dataset=tiny_dataset, comparison=flagged)
    warnings = " ".join(w.value for w in at.warning)
    assert "**Baseline** did not learn: try more epochs or a smaller batch" in warnings
    exported = at.session_state["_report_exports"][2][0]
    assert exported["techniques"]["baseline"]["warnings"] == run.warnings


def test_the_report_page_s_comparison_file_opens_to_the_same_results(tiny_comparison):
    """Issue #13: the Report page's zip (built on click) is a saved comparison that
    opens to the same runs and results as the session's."""
    from dashboard.report_sections import saved_bytes
    from imbal_core.results import load_comparison, results_json, saved_results

    results = results_json(tiny_comparison, 0.3)
    data = saved_bytes(tiny_comparison, results)
    opened = load_comparison(io.BytesIO(data), "comparison.zip")
    assert list(opened.runs) == list(tiny_comparison.runs)
    # What the file reports is recomputed from its arrays: the session's results.
    recomputed = json.loads(json.dumps(saved_results(io.BytesIO(data))))
    original = json.loads(json.dumps(results))
    for found in (recomputed, original):
        found["config"].pop("evaluation_seconds")
        found["config"].pop("saved", None)
    assert recomputed == original
