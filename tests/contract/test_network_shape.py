"""The network's shape as hyperparameters (issue 22, part 1): hidden layers, dropout and
learning rate are shared by every technique, checked, sweepable, in the cache key and in
labels where they differ; the seed's shape stays the default, bit for bit."""

from __future__ import annotations

import json

import numpy as np
import pytest

from imbal_core import techniques
from imbal_core.cli import main
from imbal_core.errors import InputError
from imbal_core.execution import parse_sweep, plan_runs, run_comparison
from imbal_core.model import warm_network
from imbal_core.models.mlp import LAYERS
from imbal_core.store import MemoryCache
from imbal_core.training import train_one

ONE_EPOCH = {"epochs": 1, "batch_size": 256}


def test_the_seed_shape_is_the_default_and_gives_the_same_probabilities(tiny_dataset):
    implicit = train_one(tiny_dataset, "focal_loss", ONE_EPOCH, seed=5)
    explicit = train_one(
        tiny_dataset,
        "focal_loss",
        {**ONE_EPOCH, "layers": "128, 64, 32", "dropout": 0.3, "learning_rate": 0.001},
        seed=5,
    )
    np.testing.assert_array_equal(implicit.proba_test, explicit.proba_test)
    network = warm_network(tiny_dataset.X_train.shape[1])
    widths = [layer.units for layer in network.model.layers if hasattr(layer, "units")]
    assert widths == [128, 64, 32, 1]


def test_every_shape_value_changes_the_run_and_keeps_one_warm_network_per_shape(
    tiny_dataset,
):
    runs = {
        "seed shape": {},
        "layers": {"layers": "16,8"},
        "dropout": {"dropout": 0.0},
        "learning rate": {"learning_rate": 0.01},
    }
    proba = {
        what: train_one(tiny_dataset, "baseline", {**ONE_EPOCH, **values}, seed=5)
        for what, values in runs.items()
    }
    assert all(run.ok for run in proba.values()), {k: r.error for k, r in proba.items()}
    for what in ("layers", "dropout", "learning rate"):
        assert not np.allclose(proba[what].proba_test, proba["seed shape"].proba_test)
    width = tiny_dataset.X_train.shape[1]
    # The learning rate is Adam's variable: the seed shape's network serves both rates.
    assert warm_network(width) is warm_network(width, layers=(128, 64, 32), dropout=0.3)
    small = warm_network(width, layers=(16, 8), dropout=0.3)
    assert small is not warm_network(width) and len(small.model.layers) == 5
    assert len(warm_network(width, dropout=0.0).model.layers) == 4  # no Dropout(0)


@pytest.mark.parametrize(
    "value", ["", "0,5", "64,x", "5000", ",".join(["8"] * 9), "-3"]
)
def test_a_bad_shape_is_one_line_before_anything_trains(value):
    with pytest.raises(InputError) as caught:
        plan_runs(["baseline"], {"layers": value}, [1])
    assert str(caught.value).startswith(
        "layers must be comma-separated layer widths such as 128,64,32 (each 1 to 4096, "
        "at most 8 layers), got "
    )
    assert "\n" not in str(caught.value)


def test_shapes_read_as_typed_and_show_without_commas():
    assert LAYERS.check(" 64, 32 ") == "64,32" == LAYERS.check((64, 32))
    assert LAYERS.show("64,32") == "64-32" and LAYERS.widths("64,32") == (64, 32)
    assert parse_sweep("layers=64,32; 128,64,32;64,32") == (
        "layers",
        ["64,32", "128,64,32"],
    )
    with pytest.raises(InputError, match="layers: shapes separated by ;"):
        parse_sweep("layers=64,32;x")


def test_a_shape_sweep_makes_labelled_variants_and_the_same_run_twice_is_cached(
    tiny_dataset,
):
    sweeps = dict(
        [parse_sweep("layers=16;16,8"), parse_sweep("learning_rate=0.001,0.01")]
    )
    plan = plan_runs(["baseline", "smote"], ONE_EPOCH, [3], sweeps)
    assert plan.names == [
        "baseline[layers=16,learning_rate=0.001]",
        "baseline[layers=16,learning_rate=0.01]",
        "baseline[layers=16-8,learning_rate=0.001]",
        "baseline[layers=16-8,learning_rate=0.01]",
        "smote[layers=16,learning_rate=0.001,k_neighbors=5]",
        "smote[layers=16,learning_rate=0.01,k_neighbors=5]",
        "smote[layers=16-8,learning_rate=0.001,k_neighbors=5]",
        "smote[layers=16-8,learning_rate=0.01,k_neighbors=5]",
    ]
    assert techniques.label(plan.names[2]) == "Baseline (layers=16-8, lr=0.001)"
    assert plan.specs[2].params["layers"] == "16,8"
    assert len({spec.key(tiny_dataset.fingerprint) for spec in plan.specs}) == 8
    cache = MemoryCache()
    first = run_comparison(tiny_dataset, plan, cache=cache)
    assert cache.trained == 8 and all(first.ok_runs(n) for n in plan.names)
    again = run_comparison(tiny_dataset, plan, cache=cache)
    assert cache.trained == 8  # every run from the cache
    assert again.runs[plan.names[3]][0] is first.runs[plan.names[3]][0]


def test_the_cli_takes_the_shape_records_it_and_reports_a_shape_sweep(tmp_path, capsys):
    out, saved, html = (
        tmp_path / "results.json",
        tmp_path / "c.zip",
        tmp_path / "r.html",
    )
    code = main(
        [
            "train", "--data", "demo", "--rows", "2000", "--techniques", "baseline",
            "--epochs", "1", "--sweep", "layers=32;16,8", "--dropout", "0.1",
            "--learning-rate", "0.003", "--workers", "1", "--out", str(out),
            "--save", str(saved),
        ]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    written = json.loads(out.read_text())
    assert written["config"]["sweeps"] == {"layers": ["32", "16,8"]}
    assert written["config"]["dropout"] == 0.1
    assert written["config"]["learning_rate"] == 0.003
    assert list(written["techniques"]) == [
        "baseline[layers=32]",
        "baseline[layers=16-8]",
    ]
    assert written["techniques"]["baseline[layers=16-8]"]["status"] == "ok"
    for source in (out, saved):  # both load again, the shapes included
        assert main(["report", "--results", str(source), "--out", str(html)]) == 0
        page = html.read_text()
        assert "Baseline (layers=16-8)" in page and "32, 16-8 (swept)" in page
