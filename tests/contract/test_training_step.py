"""The compiled training epoch (issue 25) does Keras' maths: the same updates as
Keras' own training step batch by batch, dropout at its rate, padding never trained."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from imbal_core import model
from imbal_core.losses import FocalLoss, cross_entropy
from imbal_core.model import Network, build_mlp, dropout, program_rows


def _data(rows: int = 1000, width: int = 6):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((rows, width)).astype(np.float32)
    y = (X[:, 0] + rng.standard_normal(rows) > 1.5).astype(int)
    return X, y


@pytest.mark.parametrize("loss", [None, FocalLoss(gamma=2.0)], ids=["ce", "focal"])
def test_an_epoch_updates_the_weights_as_keras_own_training_step_does(loss):
    # 1,000 rows: three batches of 256 and a last one of 232, padded to 8,192 rows
    # in the compiled program; class weights from the second epoch on.
    X, y = _data()
    network = Network(6, loss, layers=(8, 4), dropout=0.0)
    network.reset(seed=11)
    start = network.model.get_weights()
    trained = network.fit(
        X,
        y,
        seed=11,
        epochs=2,
        batch_size=256,
        learning_rate=0.01,
        class_weight={0: 1.0, 1: 4.0},
        weights_from_epoch=1,
    )
    reference = build_mlp(6, (8, 4), 0.0)
    reference.set_weights(start)
    reference.compile(
        optimizer=keras.optimizers.Adam(0.01), loss=loss or cross_entropy()
    )
    shuffle = np.random.default_rng(11)  # fit's own shuffle: one permutation per epoch
    for epoch in range(2):
        order = shuffle.permutation(len(y))
        weight = np.where(y == 1, 4.0, 1.0) if epoch >= 1 else np.ones(len(y))
        for first in range(0, len(y), 256):
            rows = order[first : first + 256]
            reference.train_on_batch(
                X[rows], y[rows].astype(np.float32), sample_weight=weight[rows]
            )
    assert program_rows(len(y), 256) > len(y)
    for ours, keras_own in zip(trained.weights, reference.get_weights(), strict=True):
        np.testing.assert_allclose(ours, keras_own, rtol=1e-4, atol=1e-6)


def test_dropout_zeroes_units_at_its_rate_independently_and_keeps_the_mean():
    ones = tf.ones((4096, 37))
    draw = tf.function(lambda seed: dropout(ones, 0.3, seed), jit_compile=True)
    a = draw(tf.constant([5, 0], tf.int64)).numpy()
    zero = a == 0
    assert abs(zero.mean() - 0.3) < 0.005
    np.testing.assert_allclose(a[~zero], 2**32 / (2**32 - round(0.3 * 2**32)))
    assert abs(a.mean() - 1.0) < 0.01
    assert np.array_equal(a, draw(tf.constant([5, 0], tf.int64)).numpy())
    # Another step, another layer, and neighbouring units: independent masks.
    for other in (
        draw(tf.constant([5, 1], tf.int64)),
        draw(tf.constant([6, 0], tf.int64)),
    ):
        both = zero & (other.numpy() == 0)
        assert abs(both.mean() - 0.09) < 0.005
    for unit, neighbour in ((zero[:, :-1], zero[:, 1:]), (zero[:-1], zero[1:])):
        assert abs((unit & neighbour).mean() - 0.09) < 0.005
    # Every unit's own rate across seeds: no unit is favoured by its index.
    rates = np.mean(
        [draw(tf.constant([s, 0], tf.int64)).numpy()[:64] == 0 for s in range(200)],
        axis=0,
    )
    assert abs(rates.mean() - 0.3) < 0.005 and rates.std() < 0.045  # binomial: 0.032


def test_reset_draws_glorot_uniform_weights_from_the_seed_and_clears_adam():
    network = Network(6, layers=(40, 20), dropout=0.3)
    network.fit(*_data(300), seed=1, epochs=1, batch_size=256)  # Adam's state moves
    network.reset(seed=7, output_bias=-2.5, learning_rate=0.01)
    first = network.model.get_weights()
    kernels, biases = first[0::2], first[1::2]
    for kernel in kernels:  # Glorot: uniform within ±sqrt(6 / (fan in + fan out))
        limit = np.sqrt(6 / sum(kernel.shape))
        assert np.abs(kernel).max() <= limit
        if kernel.size >= 240:  # the output's 20 weights say little of the spread
            assert np.abs(kernel).max() > 0.95 * limit
            assert abs(kernel.std() - limit / np.sqrt(3)) < 0.1 * limit
    assert all((b == 0).all() for b in biases[:-1]) and biases[-1].tolist() == [-2.5]
    assert all(not m.numpy().any() and not v.numpy().any() for m, v in network.moments)
    assert int(
        network.steps.numpy()
    ) == 0 and network.learning_rate.numpy() == np.float32(0.01)
    network.reset(seed=7, output_bias=-2.5)
    again = network.model.get_weights()
    network.reset(seed=8)
    other = network.model.get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not np.allclose(first[0], other[0])
    assert not np.allclose(kernels[0][:, :20], kernels[1][:6])  # layers drawn apart


def test_data_sets_of_any_size_share_a_few_compiled_programs():
    assert program_rows(10, 256) == program_rows(8_000, 256) == 32 * 256
    assert program_rows(40 * 256, 256) == 64 * 256  # the next power of 2
    assert program_rows(182_000, 256) == program_rows(10**7, 256) == 256 * 256
    X, y = _data(3000)
    network = Network(6, layers=(8,), dropout=0.3)
    for rows in (3000, 700):
        network.fit(X[:rows], y[:rows], seed=1, epochs=1, batch_size=256)
    assert network._programs[256].experimental_get_tracing_count() == 1


def test_a_resampled_set_trains_in_its_split_s_program_with_the_same_updates():
    # Undersampling 20,000 rows to 700 keeps the split's 128-batch program (no new
    # compile); the padding it gets is never trained on: the same weights.
    X, y = _data(700)
    network = Network(6, layers=(8,), dropout=0.3)
    program = network._program(256)
    sizes = []

    def recording(X_chunk, *rest):  # noqa: ANN001, ANN202
        sizes.append(int(X_chunk.shape[1]))  # features x rows
        return program(X_chunk, *rest)

    network._programs[256] = recording
    alone = network.fit(X, y, seed=3, epochs=2, batch_size=256).weights
    shared = network.fit(X, y, seed=3, epochs=2, batch_size=256, split_rows=20_000)
    assert sizes == [program_rows(700, 256)] * 2 + [program_rows(20_000, 256)] * 2
    assert program_rows(20_000, 256) == 128 * 256 != program_rows(700, 256)
    for one, other in zip(alone, shared.weights, strict=True):
        np.testing.assert_array_equal(one, other)


@pytest.mark.parametrize("name", ["undersampling", "balanced_bagging"])
def test_a_technique_that_shrinks_the_rows_trains_in_the_split_s_program(
    monkeypatch, name
):
    from imbal_core import techniques

    sized = []
    monkeypatch.setattr(
        model, "program_rows", lambda rows, batch: sized.append(rows) or batch * 32
    )
    X, y = _data(9000)
    options = {"n_estimators": 2} if name == "balanced_bagging" else {}
    techniques.create(name, seed=1, epochs=1, **options).fit(X, y)
    assert sized and set(sized) == {9000}


def test_an_epoch_longer_than_one_program_trains_as_one_epoch_does(monkeypatch):
    # 1,000 rows at batch 16 are 63 batches: one program of 64 batches, or two
    # calls of a 32-batch program when that is the largest; the same updates.
    X, y = _data()
    runs = []
    for largest in (256, 32):
        monkeypatch.setattr(model, "MAX_BATCHES", largest)
        network = Network(6, layers=(8, 4), dropout=0.3)
        runs.append(network.fit(X, y, seed=2, epochs=2, batch_size=16).weights)
    for one, chunked in zip(*runs, strict=True):
        np.testing.assert_allclose(one, chunked, rtol=1e-5, atol=1e-7)
