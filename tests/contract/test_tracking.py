"""Optional MLflow logging (issue 23): one MLflow run per technique run, nested under
the comparison's, with the same numbers as the results; never a requirement."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from imbal_core import tracking
from imbal_core.errors import InputError
from imbal_core.evaluate import Costs
from imbal_core.execution import plan_runs, run_comparison
from imbal_core.results import results_json

ROOT = Path(__file__).resolve().parents[2]
mlflow = pytest.importorskip(
    "mlflow", reason="MLflow is optional (requirements-dev.txt)"
)


@pytest.fixture
def file_store(tmp_path, monkeypatch) -> str:
    # MLflow 3 keeps its file store for local use behind this switch; a team's
    # tracking server is an http(s) URI, which takes the same calls.
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    return (tmp_path / "mlruns").as_uri()


def test_each_technique_run_is_an_mlflow_run_under_the_comparison(
    tiny_dataset, file_store
):
    plan = plan_runs(
        ["baseline", "class_weight"], {"epochs": 1}, [3, 4], model_names=["logistic"]
    )
    comparison = run_comparison(tiny_dataset, plan)
    results = results_json(comparison, 0.5, Costs(missed=100.0, review=5.0))
    parent = tracking.log_comparison(comparison, results, file_store, "tests")

    client = mlflow.MlflowClient(tracking_uri=file_store)
    experiment = client.get_experiment_by_name("tests")
    runs = client.search_runs([experiment.experiment_id])
    children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parent]
    assert len(runs) == 5 and len(children) == 4
    [comparison_run] = [r for r in runs if r.info.run_id == parent]
    assert comparison_run.data.tags["imbal.fingerprint"] == tiny_dataset.fingerprint
    assert json.loads(comparison_run.data.params["seeds"].replace("'", '"')) == [3, 4]
    for child in children:
        name, seed = child.data.params["technique"], int(child.data.params["seed"])
        summary = results["techniques"][name]
        [expected] = [s for s in summary["seeds"] if s["seed"] == seed]
        assert child.data.metrics["pr_auc"] == pytest.approx(expected["pr_auc"])
        assert child.data.metrics["recall"] == pytest.approx(expected["recall"])
        assert child.data.params["model"] == "logistic" and "C" in child.data.params
    first = [c for c in children if c.data.params["seed"] == "3"]
    for child in first:  # the first seed's curves, as an artifact
        artifacts = [a.path for a in client.list_artifacts(child.info.run_id)]
        assert artifacts == ["curves.json"]


def test_a_tracking_server_that_is_down_is_one_line_and_the_results_are_kept(tmp_path):
    command = [
        sys.executable, "-m", "imbal_core", "train", "--data", "demo", "--rows", "3000",
        "--techniques", "baseline", "--models", "logistic", "--executor", "inline",
        "--out", str(tmp_path / "r.json"),
        "--mlflow-uri", "http://127.0.0.1:9",
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, timeout=600,
        env={**os.environ, "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0",
             "MLFLOW_HTTP_REQUEST_TIMEOUT": "5"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    [line] = [ln for ln in done.stderr.splitlines() if "MLflow" in ln]
    assert line.startswith("warning: MLflow logging to http://127.0.0.1:9 failed (")
    assert line.endswith("the results are kept here all the same.")
    assert (tmp_path / "r.json").exists()


def test_without_mlflow_installed_the_option_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(
        sys.modules, "mlflow", None
    )  # what an absent package looks like
    with pytest.raises(InputError) as caught:
        tracking.require_mlflow()
    assert str(caught.value) == (
        "--mlflow-uri needs the mlflow package, which is not installed: "
        f"{tracking.INSTALL}."
    )


def test_the_dashboard_logs_each_training_when_a_tracking_server_is_set(
    file_store, monkeypatch, tmp_path
):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("IMBAL_MLFLOW_URI", file_store)
    monkeypatch.setenv("IMBAL_DEMO_ROWS", "3000")
    monkeypatch.chdir(tmp_path)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run().switch_page("pages/2_Train.py").run()
    at.multiselect(key="techniques").set_value(["baseline"])
    at.number_input(key="epochs").set_value(1)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert all("MLflow" not in str(w.value) for w in at.warning)
    client = mlflow.MlflowClient(tracking_uri=file_store)
    experiment = client.get_experiment_by_name(tracking.EXPERIMENT)
    runs = client.search_runs([experiment.experiment_id])
    assert len(runs) == 2  # the comparison and its one run
    [child] = [r for r in runs if "mlflow.parentRunId" in r.data.tags]
    assert child.data.params["technique"] == "baseline"
