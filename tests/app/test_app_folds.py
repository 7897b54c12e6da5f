"""Issue 24 in the dashboard: the Train page cross-validates the data in use, the
Compare page shows each fold and pairs techniques over folds, the History keeps it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from streamlit.testing.v1 import AppTest

from dashboard import data_sections
from imbal_core.evaluate import Costs

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 180


@pytest.fixture(autouse=True)
def small_default(monkeypatch, tmp_path):
    monkeypatch.setenv("IMBAL_DEMO_ROWS", "3000")
    monkeypatch.delenv("IMBAL_CREDITCARD_CSV", raising=False)


def uploaded() -> tuple[object, dict]:
    """A 1,500-row CSV as the Data page leaves it: the Dataset and its recipe."""
    X, y = make_classification(
        n_samples=1500, n_features=8, weights=[0.92], flip_y=0.01, random_state=0
    )
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(8)])
    frame["Time"] = np.arange(1500.0)
    raw = frame.assign(Class=y).to_csv(index=False).encode()
    picked = data_sections.Picked(
        data_sections.UPLOAD, raw=raw, upload_name="small.csv"
    )
    options = {"target": "Class", "drop": ("Time",), "test_size": 0.2}
    dataset = picked.prepare(**options)
    return dataset, {"_data_recipe": (dataset.fingerprint, picked, options)}


def train_page(**state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page("pages/2_Train.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def submit_cv(at: AppTest, folds: int) -> AppTest:
    at.multiselect(key="techniques").set_value(["baseline", "class_weight"])
    at.multiselect(key="models").set_value(["logistic"])
    at.radio(key="evaluation").set_value("cv")
    at.number_input(key="folds").set_value(folds)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_cross_validation_from_the_train_page_to_compare_and_history():
    dataset, recipe = uploaded()
    at = train_page(dataset=dataset, **recipe)
    submit_cv(at, folds=4)
    comparison = at.session_state["comparison"]
    assert len(comparison.splits) == 4
    assert comparison.dataset["cv"]["scheme"] == "4-fold stratified cross-validation"
    for name in ("logistic:baseline", "logistic:class_weight"):
        assert [r.split for r in comparison.runs[name]] == [0, 1, 2, 3]
    assert "previous data" not in " ".join(i.value for i in at.info)
    assert all(s.startswith("ok") for s in at.dataframe[-1].value["Status"])

    at.switch_page("pages/3_Compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [t.label for t in at.tabs]
    assert "Fold by fold" in labels and "Seed by seed" not in labels
    tab = at.tabs[labels.index("Fold by fold")]
    assert tab.selectbox(key="fold_metric").value == "pr_auc"
    pairing = " ".join(m.value for m in (*tab.success, *tab.info))
    assert (
        "Nadeau–Bengio corrected paired t-test" in pairing and "over 4 folds" in pairing
    )
    assert "Mean (95 % interval) over 4 folds" in " ".join(m.value for m in at.markdown)
    # Every fold at the same recall: each fold's threshold from its own validation part.
    at.radio(key="compare_at").set_value("recall").run()
    assert not at.exception, [e.value for e in at.exception]
    view = at.session_state["_view"]
    folds = view.summaries("recall=0.8", Costs(missed=100.0))["logistic:baseline"][
        "folds"
    ]
    assert len({round(f["threshold"], 6) for f in folds}) > 1  # one per fold
    assert np.isfinite([f["recall"] for f in folds]).all()

    at.switch_page("pages/5_History.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "small.csv" in at.dataframe[0].value.to_string()


def test_folds_of_data_not_loaded_on_the_data_page_are_one_clear_error(tiny_dataset):
    at = train_page(dataset=tiny_dataset)
    submit_cv(at, folds=3)
    assert "load it there (Use this data) and train again" in " ".join(
        e.value for e in at.error
    )
    assert "comparison" not in at.session_state
