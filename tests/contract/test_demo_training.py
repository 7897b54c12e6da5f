"""Issue #19, where training is involved: focal loss with gamma below 1 trains (its
loss is written on logits), and a CLI run in which nothing trained says so and
exits non-zero, after a summary of what it found when something did."""

from __future__ import annotations

import json

import keras
import numpy as np
import pytest
import tensorflow as tf

from imbal_core.cli import main
from imbal_core.data import make_demo, prepare
from imbal_core.execution import plan_runs, run_comparison
from imbal_core.losses import FocalLoss, cross_entropy

LABELS = np.array([1, 0, 1, 0, 1, 0], np.float32)
LOGITS = np.array([2.0, -1.0, -3.0, 0.5, 40.0, -40.0], np.float32)[:, None]


def _gradient(loss, logits=LOGITS):
    variable = tf.Variable(logits)
    with tf.GradientTape() as tape:
        value = loss(LABELS, variable)
    return tape.gradient(value, variable).numpy()


@pytest.mark.parametrize("gamma", [0.0, 0.25, 0.5, 1.0, 2.0, 5.0])
def test_focal_loss_is_its_formula_with_a_finite_gradient(gamma):
    """α_t (1 - p_t)^γ (-log p_t), p_t the probability of the true class."""
    z = LOGITS.ravel().astype(np.float64)
    p = 1 / (1 + np.exp(-z))
    p_t = np.where(LABELS == 1, p, 1 - p)
    alpha_t = np.where(LABELS == 1, 0.25, 0.75)
    by_hand = alpha_t * (1 - p_t) ** gamma * -np.log(np.clip(p_t, 1e-300, None))
    ours = FocalLoss(gamma=gamma, alpha=0.25)
    assert float(ours(LABELS, LOGITS)) == pytest.approx(by_hand.mean(), rel=1e-5)
    assert np.isfinite(_gradient(ours)).all()


@pytest.mark.parametrize("gamma", [0.0, 0.5])
def test_keras_focal_loss_gradient_is_not_finite_where_ours_is(gamma):
    """The cause of the divergence: (1 - p_t)^γ's derivative at p_t = 1 for γ < 1."""
    keras_loss = keras.losses.BinaryFocalCrossentropy(
        apply_class_balancing=True, gamma=gamma, from_logits=True
    )
    assert not np.isfinite(_gradient(keras_loss)).all()
    moderate = LOGITS[:4]  # where Keras is finite, the two agree
    ours = FocalLoss(gamma=gamma)(LABELS[:4], moderate)
    assert float(ours) == pytest.approx(
        float(keras_loss(LABELS[:4], moderate)), rel=1e-5
    )


def test_focal_loss_with_gamma_zero_and_no_balancing_is_cross_entropy():
    plain = FocalLoss(gamma=0.0, apply_class_balancing=False)
    assert float(plain(LABELS, LOGITS)) == pytest.approx(
        float(cross_entropy()(LABELS, LOGITS)), rel=1e-6
    )


@pytest.mark.slow
def test_focal_loss_with_gamma_below_one_trains_on_the_demo_data():
    """Failed on a real 5k-row CSV and on 30k demo rows with "training diverged"."""
    dataset = prepare(make_demo(rows=30_000, seed=2), source="demo", drop=("Time",))
    plan = plan_runs(
        ["focal_loss"], {"epochs": 3, "batch_size": 256}, [1, 2], {"gamma": [0.25, 0.5]}
    )
    comparison = run_comparison(dataset, plan)
    for name in comparison.runs:
        for run in comparison.runs[name]:
            assert run.ok, (name, run.error)
            assert (
                np.isfinite(run.proba_test).all() and np.isfinite(run.proba_val).all()
            )


# ------------------------------------------------------------------------ CLI
@pytest.fixture(scope="module")
def small_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "small.csv"
    make_demo(rows=1500, positives=40, seed=3).to_csv(path, index=False)
    return path


def test_the_cli_exits_non_zero_when_nothing_trained(small_csv, tmp_path, capsys):
    out = tmp_path / "r.json"
    # 40 positives: the training split has ~25, so 50 SMOTE neighbours cannot work.
    code = main(
        ["train", "--data", str(small_csv), "--techniques", "smote", "--k-neighbors"]
        + ["50", "--epochs", "1", "--executor", "inline", "--out", str(out)]
    )
    stderr = capsys.readouterr().err
    assert code == 1
    assert "error: no technique trained: SMOTE needs more than k_neighbors=50" in stderr
    assert "failed: smote: SMOTE needs more than k_neighbors=50" in stderr
    assert json.loads(out.read_text())["techniques"]["smote"]["status"] == "failed"


def test_the_cli_ends_with_what_it_found(small_csv, tmp_path, capsys):
    out = tmp_path / "r.json"
    code = main(
        ["train", "--data", str(small_csv), "--techniques", "baseline,class_weight"]
        + ["--epochs", "1", "--executor", "inline", "--out", str(out)]
    )
    stderr = capsys.readouterr().err
    assert code == 0, stderr
    summary = stderr.split("At the same threshold (0.50), on the test split:")[1]
    header = summary.strip().splitlines()[0].split()
    assert header[:3] == ["Technique", "Threshold", "Recall"]
    assert "Baseline" in summary and "Class weights" in summary
    assert "the total cost on the test split" in summary  # the recommendation sentence
