"""AppTest checks for the History page: the run store's comparisons, kept when training
ends (on the Train page or the CLI), reopened in Compare without training."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import training
from imbal_core.results import load_comparison

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
DEMO_ROWS = 3000
TIMEOUT = 180
TWO = ["baseline", "class_weight"]


@pytest.fixture(autouse=True)
def small_default(monkeypatch, tmp_path):
    monkeypatch.setenv("IMBAL_DEMO_ROWS", str(DEMO_ROWS))
    monkeypatch.delenv("IMBAL_CREDITCARD_CSV", raising=False)
    monkeypatch.chdir(tmp_path)


def started(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def train(at: AppTest, names: list[str], seed: int = 7) -> AppTest:
    at.switch_page("pages/2_Train.py").run()
    at.multiselect(key="techniques").set_value(names)
    at.number_input(key="epochs").set_value(1)
    at.number_input(key="seed").set_value(seed)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> str:
    return " ".join(str(e.value) for e in elements)


def test_a_trained_comparison_is_in_the_history_and_opens_in_compare(own_store):
    at = train(started("pages/2_Train.py"), TWO)
    trained = at.session_state["comparison"]
    at.switch_page("pages/5_History.py").run()
    assert not at.exception
    listed = at.dataframe[0].value
    assert len(listed) == 1
    assert listed["Techniques compared"].iloc[0] == "Baseline, Class weights"
    assert listed["Data used"].iloc[0] == f"demo (synthetic, {DEMO_ROWS:,} rows)"
    assert str(own_store) in texts(at.caption)

    before = training.training_count()
    [open_button] = [b for b in at.button if b.label == "Open in Compare"]
    open_button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    opened = at.session_state["comparison"]
    assert opened is not trained and list(opened.runs) == TWO
    for name in TWO:
        assert (
            opened.runs[name][0].proba_test == trained.runs[name][0].proba_test
        ).all()
    assert training.training_count() == before  # opened, not trained
    assert "PR-AUC" in " ".join(str(m.value) for m in at.markdown) or at.dataframe

    # The same settings again: every run from the store, still one History entry.
    train(at, TWO)
    assert training.training_count() == before
    assert "2 from the cache" in texts(at.success)
    at.switch_page("pages/5_History.py").run()
    assert len(at.dataframe[0].value) == 1

    [delete] = [b for b in at.button if b.label == "Delete"]
    delete.click().run()
    assert "No comparison kept yet" in texts(at.info)


def test_a_comparison_trained_on_the_cli_opens_in_the_dashboard_and_is_a_cache_hit(
    own_store, tmp_path
):
    command = [
        sys.executable, "-m", "imbal_core", "train", "--data", "demo",
        "--rows", str(DEMO_ROWS), "--techniques", ",".join(TWO), "--epochs", "1",
        "--seed", "7", "--out", str(tmp_path / "results.json"), "--store", str(own_store),
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=600, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert f"kept in the History of {own_store}" in done.stderr

    at = started("pages/5_History.py")
    listed = at.dataframe[0].value
    assert listed["Techniques compared"].iloc[0] == "Baseline, Class weights"
    [ident] = list(listed.index)
    kept = load_comparison(own_store / "comparisons" / f"{ident}.zip")
    assert list(kept.runs) == TWO

    before = training.training_count()
    train(at, TWO)  # the dashboard's default demo is the CLI's `--data demo`
    assert training.training_count() == before, texts(at.success)
    assert "2 from the cache" in texts(at.success)


def test_the_history_page_says_when_the_store_is_off(monkeypatch):
    monkeypatch.setenv("IMBAL_STORE", "off")
    at = started("pages/5_History.py")
    assert "The run store is off" in texts(at.info)


def test_deleting_the_chosen_comparison_of_several_keeps_the_page_working():
    at = train(started("pages/2_Train.py"), ["baseline"], seed=5)
    train(at, ["class_weight"], seed=5)
    at.switch_page("pages/5_History.py").run()
    assert len(at.dataframe[0].value) == 2
    older = at.selectbox(key="history_pick").options[1]
    at.selectbox(key="history_pick").set_value(older.split(" · ")[0]).run()
    [delete] = [b for b in at.button if b.label == "Delete"]
    delete.click().run()
    assert not at.exception, [e.value for e in at.exception]
    listed = at.dataframe[0].value
    assert len(listed) == 1 and listed["Techniques compared"].iloc[0] == "Class weights"
