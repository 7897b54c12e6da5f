"""Contract tests over every registered model and every (model, technique) pair:
a new file in imbal_core/models/ is tested here with no other edit (issue #22)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from imbal_core import models, techniques
from imbal_core.data import make_demo, prepare
from imbal_core.errors import InputError
from imbal_core.execution import plan_runs, run_comparison
from imbal_core.results import (
    check_results,
    load_comparison,
    load_results,
    model_of,
    results_json,
    save_comparison,
)
from imbal_core.store import MemoryCache

ROOT = Path(__file__).resolve().parents[2]
REFERENCES = [name for name, model in models.REGISTRY.items() if not model.network]
# Small and quick: few trees, a two-member ensemble, one epoch for the network.
FAST = {"trees": 20, "n_estimators": 2, "epochs": 1, "batch_size": 256}


@pytest.fixture(scope="module")
def data():
    return prepare(
        make_demo(rows=1500, positives=60, seed=5), source="demo", drop=("Time",)
    )


def _create(model: str, technique: str, seed: int = 7):
    cls = techniques.get(technique)
    declared = {p.name for p in (*models.get(model).params, *cls.params)}
    values = {k: v for k, v in FAST.items() if k in declared}
    return techniques.create(technique, seed=seed, model=model, **values)


def test_every_module_registers_one_model_and_the_mlp_is_the_default():
    folder = Path(models.__file__).parent
    modules = {
        p.stem for p in folder.glob("*.py") if p.stem not in {"__init__", "base"}
    }
    assert sorted(
        m.__class__.__module__.rsplit(".", 1)[1] for m in models.REGISTRY.values()
    ) == sorted(modules)
    assert list(models.REGISTRY)[0] == models.DEFAULT == "mlp"
    assert {"logistic", "lightgbm"} <= set(models.REGISTRY)


@pytest.mark.parametrize("name", list(models.REGISTRY))
def test_declares_what_the_ui_and_cli_need(name):
    model = models.get(name)
    assert model.name == name and model.label and model.summary and model.reference
    technique_params = {
        p.name for cls in techniques.REGISTRY.values() for p in cls.params
    }
    for param in model.params:
        assert param.help and param.name not in technique_params  # one flag each
        with pytest.raises(InputError):
            param.check(param.high + 1 if not isinstance(param.default, str) else "0")


def test_an_unknown_model_is_one_line_naming_the_choices():
    with pytest.raises(InputError, match="unknown model 'xgb'; choose from mlp") as err:
        plan_runs(["baseline"], {}, [1], model_names=["xgb"])
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("model", REFERENCES)
@pytest.mark.parametrize("technique", list(techniques.REGISTRY))
def test_every_reference_model_trains_each_technique_or_refuses_with_its_reason(
    model, technique, data
):
    reason = models.get(model).refusal(techniques.get(technique))
    if reason is not None:
        assert "network" in reason and models.get(model).label in reason
        assert "\n" not in reason
        with pytest.raises(InputError, match="cannot train"):
            _create(model, technique)
        return
    before = data.X_train.copy(), data.y_train.copy()
    first = _create(model, technique).fit(
        data.X_train, data.y_train, data.X_val, data.y_val
    )
    proba = first.predict_proba(data.X_test)
    assert proba.shape == (len(data.y_test),) and proba.dtype == np.float64
    assert np.all((proba >= 0) & (proba <= 1)) and np.ptp(proba) > 0
    # The training split only, untouched; the same seed gives the same model.
    np.testing.assert_array_equal(data.X_train, before[0])
    np.testing.assert_array_equal(data.y_train, before[1])
    again = _create(model, technique).fit(data.X_train, data.y_train)
    np.testing.assert_allclose(again.predict_proba(data.X_test), proba, rtol=1e-6)
    assert first.epochs_run_ is None  # epochs belong to the network


def test_which_parts_a_reference_model_takes():
    lightgbm = models.get("lightgbm")
    for name in (
        "smote",
        "class_weight",
        "class_balanced",
        "balanced_bagging",
        "smote+class_weight",
    ):
        assert lightgbm.refusal(techniques.get(name)) is None, name
    for name in (
        "focal_loss",
        "ldam_drw",
        "logit_adjusted",
        "prior_bias",
        "smote+focal_loss",
    ):
        assert lightgbm.refusal(techniques.get(name)), name
    assert all(
        models.get("mlp").refusal(cls) is None for cls in techniques.REGISTRY.values()
    )


@pytest.mark.parametrize("model", REFERENCES)
def test_class_weights_reach_a_reference_model_as_sample_weights(model, data):
    plain = _create(model, "baseline").fit(data.X_train, data.y_train)
    weighted = _create(model, "class_weight").fit(data.X_train, data.y_train)
    # Inverse-frequency weights raise every positive's probability on average.
    assert (
        weighted.predict_proba(data.X_test).mean()
        > 2 * plain.predict_proba(data.X_test).mean()
    )


def test_models_times_techniques_plan_skips_what_a_model_refuses():
    plan = plan_runs(
        ["baseline", "focal_loss", "smote"],
        {"epochs": 1},
        [1, 2],
        model_names=["mlp", "lightgbm"],
    )
    assert plan.names == [
        "baseline",
        "focal_loss",
        "smote",
        "lightgbm:baseline",
        "lightgbm:smote",
    ]
    assert plan.skipped == [
        "LightGBM · Focal loss skipped: Focal loss is a network objective (it changes "
        "the network's loss or when its weights apply); LightGBM takes samplers, "
        "class weights and balanced bagging"
    ]
    gbm = [s for s in plan.specs if s.model == "lightgbm"]
    assert (
        len(gbm) == 4
        and "epochs" not in gbm[0].params
        and gbm[0].params["trees"] == 100
    )
    assert plan.config()["models"] == ["mlp", "lightgbm"]
    with pytest.raises(
        InputError, match="nothing to train: LightGBM · Focal loss skipped"
    ):
        plan_runs(["focal_loss"], {}, [1], model_names=["lightgbm"])


def test_a_sweep_varies_only_the_models_and_techniques_that_own_it():
    plan = plan_runs(
        ["baseline"],
        {},
        [1],
        {"layers": ["16", "16,8"], "trees": [10, 30]},
        ["mlp", "lightgbm", "logistic"],
    )
    assert plan.names == [
        "baseline[layers=16]",
        "baseline[layers=16-8]",
        "lightgbm:baseline[trees=10]",
        "lightgbm:baseline[trees=30]",
        "logistic:baseline",
    ]
    assert (
        techniques.label("lightgbm:baseline[trees=10]")
        == "LightGBM · Baseline (trees=10)"
    )


def test_two_models_train_once_then_come_from_the_cache_and_survive_a_save(
    data, tmp_path
):
    plan = plan_runs(
        ["baseline", "class_weight", "focal_loss"],
        FAST,
        [1, 2],
        model_names=["mlp", "logistic"],
    )
    cache = MemoryCache()
    comparison = run_comparison(data, plan, cache=cache)
    assert cache.trained == len(plan.specs) == 10
    again = run_comparison(data, plan, cache=cache)
    assert cache.trained == 10  # the same runs twice: every one a cache hit
    assert (
        again.runs["logistic:class_weight"][0]
        is comparison.runs["logistic:class_weight"][0]
    )
    results = results_json(comparison)
    assert [model_of(s) for s in results["techniques"].values()] == [
        "mlp",
        "mlp",
        "mlp",
        "logistic",
        "logistic",
    ]
    assert any("Logistic · Focal loss skipped" in n for n in results["config"]["notes"])
    path = tmp_path / "two.zip"
    save_comparison(comparison, results, path)
    loaded = load_comparison(path)
    assert [r.model for r in loaded.runs["logistic:baseline"]] == [
        "logistic",
        "logistic",
    ]
    assert (
        results_json(loaded)["network_vs_reference"] == results["network_vs_reference"]
    )
    # A damaged duel block is one line, not a crash or a silent pass.
    for key, bad in (("network", "nope"), ("ci95", [0.1]), ("decided", "yes")):
        duel = {**results["network_vs_reference"], key: bad}
        (tmp_path / "bad.json").write_text(
            json.dumps({**results, "network_vs_reference": duel})
        )
        with pytest.raises(
            InputError, match="network-vs-reference comparison is damaged"
        ):
            load_results(tmp_path / "bad.json")


def test_network_vs_reference_picks_each_kind_on_validation_and_pairs_seeds(data):
    plan = plan_runs(
        ["baseline", "class_weight"], FAST, [1, 2, 3], model_names=["mlp", "logistic"]
    )
    results = results_json(run_comparison(data, plan))
    duel = results["network_vs_reference"]
    done = results["techniques"]
    network = max(
        ("baseline", "class_weight"), key=lambda n: done[n]["validation"]["pr_auc"]
    )
    reference = max(
        ("logistic:baseline", "logistic:class_weight"),
        key=lambda n: done[n]["validation"]["pr_auc"],
    )
    assert (duel["network"], duel["reference"]) == (network, reference)
    per_seed = [
        a["pr_auc"] - b["pr_auc"]
        for a, b in zip(done[network]["seeds"], done[reference]["seeds"], strict=True)
    ]
    assert duel["difference"] == pytest.approx(np.mean(per_seed))
    low, high = duel["ci95"]
    assert low <= duel["difference"] <= high and "3 seeds" in duel["interval"]
    assert duel["decided"] == (not low <= 0 <= high)
    # One kind alone: no duel; an older file (no "model" keys) still loads as the MLP.
    for summary in done.values():
        summary.pop("model")
    results.pop("network_vs_reference")
    assert model_of(check_results(results)["techniques"]["logistic:baseline"]) == "mlp"


def test_cli_trains_models_and_says_what_it_skipped(tmp_path):
    csv, out = tmp_path / "small.csv", tmp_path / "results.json"
    make_demo(rows=1200, positives=40, seed=2).to_csv(csv, index=False)
    command = [
        sys.executable,
        "-m",
        "imbal_core",
        "train",
        "--data",
        str(csv),
        "--techniques",
        "baseline,focal_loss",
        "--models",
        "mlp,lightgbm",
        "--epochs",
        "1",
        "--trees",
        "15",
        "--out",
        str(out),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert (
        "LightGBM · Focal loss skipped: Focal loss is a network objective"
        in done.stderr
    )
    assert (
        "Best network — " in done.stderr
        and "Best reference model — LightGBM" in done.stderr
    )
    results = json.loads(out.read_text())
    assert {n: s["model"] for n, s in results["techniques"].items()} == {
        "baseline": "mlp",
        "focal_loss": "mlp",
        "lightgbm:baseline": "lightgbm",
    }
    bad = subprocess.run(
        [*command[:9], "mlp,xgb", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert "unknown model 'xgb'" in bad.stderr
