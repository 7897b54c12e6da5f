"""The seed notebook's MLP, kept warm: one compiled network trains many runs.

Building, compiling and tracing a Keras model costs seconds, far more than training
the seed MLP on a thousand rows. A process (a pool worker, a Ray worker, the CLI)
therefore keeps one :class:`Network` per (input width, loss, shape) and, for each run,
draws fresh weights from the run's seed and resets Adam and the dropout generators:
every run is an independent, freshly initialised seed MLP, but the graphs are
traced once per process. The maths is ``model.fit``'s: the compiled loss and Adam,
a fresh shuffle each epoch, batches of ``batch_size`` with a smaller last one,
class weights as per-row sample weights.
"""

from __future__ import annotations

import json
import logging
import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from imbal_core.errors import InputError

# Retracing notices are expected when many small models are built in one process.
logging.getLogger("tensorflow").setLevel(logging.ERROR)

Progress = Callable[[float, str], None]
"""Called with the fraction of a technique's training done (0..1) and a short message."""

PREDICT_CHUNK = 16_384  # rows per forward call: bounds the activations held at once
WARM_NETWORKS = 16  # per process; a long sweep over gamma evicts the oldest


SEED_LAYERS, SEED_DROPOUT = (128, 64, 32), 0.3


def build_mlp(
    input_dim: int,
    loss: Any = None,
    layers: tuple[int, ...] = SEED_LAYERS,
    dropout: float = SEED_DROPOUT,
) -> keras.Model:
    """The seed's network by default: 128-64-32 relu, each with dropout 0.3, adam,
    and one output.

    The output is the logit; the sigmoid is applied when predicting, so every loss
    sees the logit and stays finite (see :mod:`imbal_core.losses`). ``loss``:
    a Keras loss on logits, cross-entropy when None. No accuracy metric is
    compiled in: nobody reads it per epoch, and it costs time. Never
    ``jit_compile=True``: XLA makes this model ~9x slower on CPU.
    """
    from imbal_core.losses import cross_entropy

    hidden = []
    for width in layers:
        hidden.append(keras.layers.Dense(width, activation="relu"))
        if dropout > 0:  # Keras' Dropout(0) keeps no seed generator to reset
            hidden.append(keras.layers.Dropout(dropout))
    model = keras.Sequential(
        [keras.layers.Input(shape=(input_dim,)), *hidden, keras.layers.Dense(1)]
    )  # the last layer's output is the logit
    model.compile(optimizer="adam", loss=loss or cross_entropy(), jit_compile=False)
    return model


class Network:
    """One compiled seed MLP that trains run after run from fresh initialisations."""

    def __init__(
        self,
        input_dim: int,
        loss: Any = None,
        layers: tuple[int, ...] = SEED_LAYERS,
        dropout: float = SEED_DROPOUT,
    ):
        self.model = build_mlp(input_dim, loss, layers, dropout)
        self.model.optimizer.build(self.model.trainable_variables)
        # Adam's fresh state (step counter, learning rate, zero moments), restored per run.
        self.optimizer_start = [v.numpy() for v in self.model.optimizer.variables]
        rows = tf.TensorSpec((None, input_dim), tf.float32)
        column = tf.TensorSpec((None,), tf.float32)
        order = tf.TensorSpec((None,), tf.int32)
        # One graph call per epoch (like steps_per_execution), traced once for any
        # row count and batch size.
        self._epoch = tf.function(
            self._train_epoch,
            input_signature=[rows, column, column, order, tf.TensorSpec((), tf.int32)],
        )
        self._forward = tf.function(
            lambda x: tf.sigmoid(self.model(x, training=False)), input_signature=[rows]
        )

    def _train_epoch(self, X, y, weight, order, batch_size):  # noqa: ANN001 (graph)
        for start in tf.range(0, tf.shape(order)[0], batch_size):
            rows = order[start : start + batch_size]
            self.model.train_step(
                (tf.gather(X, rows), tf.gather(y, rows), tf.gather(weight, rows))
            )

    def reset(
        self, seed: int, output_bias: float = 0.0, learning_rate: float = 0.001
    ) -> None:
        """Fresh weights, optimizer state and dropout noise, all drawn from ``seed``;
        the output's bias starts at ``output_bias`` (the logit of a prior, or 0), and
        Adam's step size is ``learning_rate`` (a variable: no retracing).

        Every generator is seeded explicitly: ``keras.utils.set_random_seed`` would
        also clear TensorFlow's function caches, which costs ~0.2 s on the next call.
        """
        for index, layer in enumerate(self.model.layers):
            layer_seed = (seed * 31 + index) % 2**31
            if isinstance(layer, keras.layers.Dense):
                initializer = keras.initializers.GlorotUniform(seed=layer_seed)
                layer.kernel.assign(initializer(layer.kernel.shape))
                layer.bias.assign(np.zeros(layer.bias.shape, dtype=np.float32))
            elif isinstance(layer, keras.layers.Dropout):
                layer.seed_generator.state.assign(
                    np.array([layer_seed, 0], dtype=np.int64)
                )
        self.model.layers[-1].bias.assign(np.full((1,), output_bias, np.float32))
        for variable, value in zip(
            self.model.optimizer.variables, self.optimizer_start, strict=True
        ):
            variable.assign(value)
        self.model.optimizer.learning_rate.assign(learning_rate)
        self.model.reset_metrics()

    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        *,
        seed: int,
        epochs: int,
        batch_size: int,
        learning_rate: float = 0.001,
        class_weight: dict[int, float] | None = None,
        weights_from_epoch: int = 0,
        output_bias: float = 0.0,
        on_epoch: Callable[[int, float], None] | None = None,
        validation: tuple[np.ndarray, np.ndarray] | None = None,
        patience: int = 0,
    ) -> Training:
        """Train from a fresh initialisation drawn from ``seed``.

        With ``patience`` > 0 and a ``validation`` split, PR-AUC on that split is
        measured after each epoch; training stops after ``patience`` epochs without
        a better one and the best epoch's weights are kept (``epochs`` is the most
        it may run). ``class_weight`` applies from epoch ``weights_from_epoch``
        (counted from 0; deferred re-weighting trains unweighted before it).
        ``on_epoch(epoch, loss)`` is called after each epoch (it may raise to stop).
        """
        from imbal_core.evaluate import average_precision

        self.reset(seed, output_bias, learning_rate)
        labels = np.asarray(y).astype(np.int64)
        weight = (
            np.ones(len(labels), np.float32)
            if class_weight is None
            else np.array([class_weight[0], class_weight[1]], np.float32)[labels]
        )
        X_t = tf.constant(np.asarray(X, dtype=np.float32))
        y_t = tf.constant(labels.astype(np.float32))
        w_t = tf.constant(weight)
        unweighted = tf.constant(np.ones(len(labels), np.float32))
        batch = tf.constant(int(batch_size), tf.int32)
        rng = np.random.default_rng(seed)
        watch = patience > 0 and validation is not None
        best = Training(weights=[], epochs_run=0, best_epoch=0)
        for epoch in range(epochs):
            self.model.reset_metrics()
            order = tf.constant(rng.permutation(len(labels)).astype(np.int32))
            weights = w_t if epoch >= weights_from_epoch else unweighted
            self._epoch(X_t, y_t, weights, order, batch)
            best.epochs_run = epoch + 1
            loss = float(self.model.metrics[0].result())
            if not math.isfinite(loss):  # one bad step poisons every weight: stop
                raise InputError(
                    f"training diverged at epoch {epoch + 1} (the loss is not a finite "
                    "number); try fewer epochs or a larger batch size."
                )
            if on_epoch is not None:
                on_epoch(epoch, loss)
            if not watch:
                continue
            score = average_precision(validation[1], self._probabilities(validation[0]))
            if best.best_epoch == 0 or score > best.validation_pr_auc:
                best.best_epoch, best.validation_pr_auc = epoch + 1, score
                best.weights = self.model.get_weights()
            elif epoch + 1 - best.best_epoch >= patience:
                break
        if not watch:
            best.best_epoch, best.weights = best.epochs_run, self.model.get_weights()
        return best

    def _probabilities(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float32)
        return np.concatenate(
            [
                self._forward(X[i : i + PREDICT_CHUNK]).numpy().ravel()
                for i in range(0, max(len(X), 1), PREDICT_CHUNK)
            ]
        ).astype(np.float64)

    def predict(self, weights: list[np.ndarray], X: np.ndarray) -> np.ndarray:
        """Positive-class probabilities of the network with ``weights``, float64, flat."""
        self.model.set_weights(weights)
        return self._probabilities(X)


@dataclass
class Training:
    """What one :meth:`Network.fit` leaves: the weights kept and how far it went."""

    weights: list[np.ndarray]
    epochs_run: int
    best_epoch: (
        int  # the epoch whose weights are kept (the last without early stopping)
    )
    validation_pr_auc: float = float("nan")  # at the best epoch, when watched


_warm: OrderedDict[tuple, Network] = OrderedDict()


def warm_network(
    input_dim: int,
    loss: Any = None,
    layers: tuple[int, ...] = SEED_LAYERS,
    dropout: float = SEED_DROPOUT,
) -> Network:
    """This process's compiled network for (input width, loss, shape), built on first use."""
    key = (
        int(input_dim),
        json.dumps(keras.saving.serialize_keras_object(loss), sort_keys=True),
        tuple(int(w) for w in layers),
        float(dropout),
    )
    if key not in _warm:
        _warm[key] = Network(input_dim, loss, key[2], key[3])
        while len(_warm) > WARM_NETWORKS:
            _warm.popitem(last=False)
    _warm.move_to_end(key)
    return _warm[key]


class EpochProgress:
    """Reports finished epochs across ``networks`` trainings of ``epochs`` each."""

    def __init__(self, progress: Progress | None, epochs: int, networks: int = 1):
        self.progress, self.epochs, self.networks, self.done = (
            progress,
            epochs,
            networks,
            0,
        )

    def __call__(self, epoch: int, loss: float) -> None:
        self.done += 1
        if self.progress is None:
            return
        network = (self.done - 1) // self.epochs + 1
        where = f"network {network}/{self.networks}, " if self.networks > 1 else ""
        self.progress(
            self.done / (self.epochs * self.networks),
            f"{where}epoch {epoch + 1}/{self.epochs}, loss {loss:.4f}",
        )
