"""Early stopping (issue #12): a fair training budget, watched on the validation split.

Each epoch's PR-AUC on the untouched validation split decides; after ``patience``
epochs without a better one, training stops and the best epoch's weights are kept.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from imbal_core.cli import main
from imbal_core.data import make_demo, prepare
from imbal_core.model import warm_network
from imbal_core.training import train_one

pytestmark = pytest.mark.slow  # trains a few small networks


def _separable(rows: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, 6)).astype(np.float32)
    return X, (X[:, 0] + 0.3 * X[:, 1] > 0.8).astype(np.int64)


def test_restored_weights_are_the_best_epoch_s_when_validation_peaks_early():
    X, y = _separable(2000, 1)
    X_val, y_val = _separable(800, 2)
    # Validation labels inverted: the better the network learns the training rule, the
    # worse its validation PR-AUC, so the best validation epoch is the first.
    network = warm_network(6)
    stopped = network.fit(
        X,
        y,
        seed=7,
        epochs=30,
        batch_size=64,
        validation=(X_val, 1 - y_val),
        patience=4,
    )
    assert stopped.best_epoch == 1 and stopped.epochs_run == 1 + 4
    one_epoch = network.fit(X, y, seed=7, epochs=1, batch_size=64)
    for kept, first in zip(stopped.weights, one_epoch.weights, strict=True):
        np.testing.assert_array_equal(kept, first)
    # Without patience every epoch runs and the last weights are kept.
    full = network.fit(X, y, seed=7, epochs=6, batch_size=64, validation=(X_val, y_val))
    assert (full.epochs_run, full.best_epoch) == (6, 6)


def test_epochs_are_reported_and_runs_reproducible_with_a_fixed_seed():
    dataset = prepare(
        make_demo(rows=4000, positives=60, seed=3), source="demo", drop=("Time",)
    )
    params = {"epochs": 60, "batch_size": 64, "patience": 2}
    first, again = (train_one(dataset, "baseline", params, seed=5) for _ in range(2))
    assert first.ok and again.ok
    assert first.epochs_run < 60, "a 60-epoch budget on 4k rows should stop early"
    assert first.epochs_run == first.best_epoch + 2
    assert (first.epochs_run, first.best_epoch) == (again.epochs_run, again.best_epoch)
    np.testing.assert_array_equal(first.proba_test, again.proba_test)
    fixed = train_one(dataset, "baseline", {**params, "patience": 0}, seed=5)
    assert (fixed.epochs_run, fixed.best_epoch) == (60, 60)


def test_the_cli_records_epochs_run_and_best_epoch(tmp_path, capsys):
    csv = tmp_path / "d.csv"
    make_demo(rows=2000, positives=40, seed=4).to_csv(csv, index=False)
    out = tmp_path / "r.json"
    code = main(
        ["train", "--data", str(csv), "--techniques", "baseline,balanced_bagging"]
        + ["--epochs", "30", "--early-stopping", "--n-estimators", "2"]
        + ["--executor", "inline", "--out", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    results = json.loads(out.read_text())
    assert results["config"]["patience"] == 3
    for summary in results["techniques"].values():
        seed = summary["seeds"][0]
        assert 1 <= seed["best_epoch"] <= seed["epochs_run"] <= 30
        assert summary["epochs_run"] == seed["epochs_run"]
