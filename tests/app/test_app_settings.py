"""Issue #19 in the pages (AppTest): settings survive a page change, settings belong
to their comparison, and a training that failed everywhere never says "done"."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from imbal_core.data import make_demo
from imbal_core.evaluate import Costs, OperatingPoint
from imbal_core.execution import plan_runs, run_comparison
from imbal_core.results import load_comparison, results_json, save_comparison

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(autouse=True)
def small_default(monkeypatch, tmp_path):
    monkeypatch.setenv("IMBAL_DEMO_ROWS", "3000")
    monkeypatch.delenv("IMBAL_CREDITCARD_CSV", raising=False)
    monkeypatch.chdir(tmp_path)


def app(**state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> str:
    return " ".join(str(e.value) for e in elements)


def test_the_train_form_is_as_the_user_left_it_after_another_page(tiny_dataset):
    at = go(app(dataset=tiny_dataset), "pages/2_Train.py")
    at.toggle(key="sweep_mode").set_value(True).run()
    at.multiselect(key="techniques").set_value(["baseline", "focal_loss"])
    at.number_input(key="n_seeds").set_value(3)
    at.number_input(key="epochs").set_value(1)
    at.text_input(key="sweep::gamma").set_value("0.5, 1")
    at.button[0].click().run()  # a form keeps what was submitted
    assert len(at.session_state["comparison"].runs) == 3
    go(at, "pages/1_Data.py")
    go(at, "pages/2_Train.py")
    assert at.toggle(key="sweep_mode").value is True
    assert at.multiselect(key="techniques").value == ["baseline", "focal_loss"]
    assert at.number_input(key="n_seeds").value == 3
    assert at.text_input(key="sweep::gamma").value == "0.5, 1"


def test_an_upload_and_its_label_choice_survive_leaving_the_data_page(tiny_dataset):
    frame = make_demo(rows=600, positives=40, seed=9).rename(columns={"Class": "fraud"})
    raw = frame.to_csv(index=False).encode()
    at = go(app(dataset=tiny_dataset), "pages/1_Data.py")
    at.radio(key="data_source").set_value("upload").run()
    at.file_uploader(key="upload").set_value(("mine.csv", raw, "text/csv")).run()
    at.selectbox(key="target_column").set_value("fraud").run()
    go(at, "pages/2_Train.py")  # left before "Use this data"
    go(at, "pages/1_Data.py")
    assert at.radio(key="data_source").value == "upload"
    assert "Using mine.csv, uploaded earlier" in texts(at.caption)
    assert at.selectbox(key="target_column").value == "fraud"
    at.button(key="use_data").click().run()
    assert at.session_state["dataset"].source == "mine.csv"
    assert at.session_state["dataset"].positives == 40


def _saved(comparison, point, costs) -> bytes:
    buffer = io.BytesIO()
    save_comparison(comparison, results_json(comparison, point, costs), buffer)
    return buffer.getvalue()


def test_a_reopened_comparison_brings_its_own_costs_and_operating_point(tiny_dataset):
    """After data without Amount (a fixed cost) and a 0.04 threshold, a saved demo
    comparison showed another cost than it was exported with."""
    trained = run_comparison(tiny_dataset, plan_runs(["baseline"], {"epochs": 1}, [5]))
    file = _saved(
        trained, OperatingPoint("alerts", 7.5), Costs(missed=None, review=3.0)
    )
    at = go(app(comparison=trained), "pages/3_Compare.py")  # the default demo in use
    at.radio(key="cost_mode").set_value("fixed").run()
    at.number_input(key="cost_missed").set_value(40.0).run()
    at.slider(key="threshold").set_value(0.04).run()
    go(at, "pages/1_Data.py")
    at.file_uploader(key="saved_upload").set_value(
        ("exported.zip", file, "application/zip")
    ).run()
    assert "Opened exported.zip" in texts(at.success)
    # It was trained on other data than the data in use, and the page says how.
    assert "were opened from a saved file" in texts(at.info)
    assert "train again" not in texts(at.info)
    go(at, "pages/3_Compare.py")
    assert at.radio(key="compare_at").value == "alerts"
    assert at.number_input(key="alert_budget").value == 7.5
    assert at.radio(key="cost_mode").value == "amount"
    assert at.number_input(key="cost_review").value == 3.0
    opened = load_comparison(io.BytesIO(file), "exported.zip")
    exported = results_json(opened, OperatingPoint("alerts", 7.5), Costs(None, 3.0))
    shown = at.dataframe[0].value.loc["Baseline", "Cost"]
    assert shown == round(exported["techniques"]["baseline"]["cost"])


def test_results_on_other_data_start_from_that_data_s_defaults(tiny_dataset):
    first = run_comparison(tiny_dataset, plan_runs(["baseline"], {"epochs": 1}, [5]))
    at = go(app(dataset=tiny_dataset, comparison=first), "pages/3_Compare.py")
    at.slider(key="threshold").set_value(0.04).run()
    no_amount = make_demo(rows=2000, positives=60, seed=4).drop(columns=["Amount"])
    from imbal_core.data import prepare

    other = prepare(no_amount, source="other.csv", drop=("Time",))
    at.session_state["dataset"] = other
    go(at, "pages/2_Train.py")
    at.multiselect(key="techniques").set_value(["baseline"])
    at.number_input(key="epochs").set_value(1)
    at.button[0].click().run()
    assert not at.exception
    go(at, "pages/3_Compare.py")
    assert at.slider(key="threshold").value == 0.5  # not the other data's 0.04
    assert "a fixed cost (this data has no Amount column)" in texts(at.markdown)


def test_a_training_where_everything_failed_is_an_error_not_a_success(tiny_dataset):
    at = go(app(dataset=tiny_dataset), "pages/2_Train.py")
    at.multiselect(key="techniques").set_value(["smote"])
    at.number_input(key="epochs").set_value(1)
    at.number_input(key="param::k_neighbors").set_value(50)
    at.button[0].click().run()
    assert not at.exception
    assert "No technique trained: every run failed" in texts(at.error)
    assert not at.success
    assert not [b for b in at.button if b.label == "Cancel"]  # gone once it is over
