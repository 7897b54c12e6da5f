"""The ensemble members of :mod:`imbal_core.techniques.balanced_bagging`: one traced
network that every member trains in turn (see that module's docstring for why).

Private (not a technique of its own) and imported only when an ensemble is fitted,
because it loads Keras and TensorFlow.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from sklearn.base import BaseEstimator, ClassifierMixin

from imbal_core.model import PREDICT_BATCH, EpochProgress, Progress, build_mlp


class SharedNetwork:
    """One compiled seed MLP that every ensemble member trains in turn (traced once).

    Measured on this machine (10 members x 788 rows x 10 epochs, load ~8): scikeras
    (a new model per member) ~50 s; one shared model with ``model.fit`` 27 s (fit
    still builds a tf.data pipeline and iterator per epoch); ``train_on_batch`` 15 s
    (it retraces for the last, smaller batch); Keras' own ``train_step`` in one
    ``tf.function`` with a batch-size-agnostic signature 8.7 s (one trace). The maths
    is ``fit``'s: the compiled loss and Adam, a fresh shuffle each epoch, batches
    of ``batch_size`` with a smaller last one.
    """

    def __init__(
        self, input_dim: int, *, epochs: int, batch_size: int, progress: EpochProgress
    ):
        self.epochs, self.batch_size, self.progress = epochs, batch_size, progress
        self.model = build_mlp(input_dim)
        self.model.optimizer.build(self.model.trainable_variables)
        # Adam's fresh state (step counter, learning rate, zero moments), restored per member.
        self.optimizer_start = [v.numpy() for v in self.model.optimizer.variables]
        rows = tf.TensorSpec((None, input_dim), tf.float32)
        self.train_step = tf.function(
            self.model.train_step,
            input_signature=[(rows, tf.TensorSpec((None,), tf.float32))],
        )
        # Whole-array inference in one graph call: model.predict's per-call tf.data set-up
        # costs more than the forward pass of a 128-64-32 network on 57k rows.
        self.forward = tf.function(
            lambda x: self.model(x, training=False), input_signature=[rows]
        )

    def __deepcopy__(self, memo: dict) -> SharedNetwork:
        return self  # sklearn.clone deep-copies estimator params; all members must share this

    def fit(self, X: np.ndarray, y: np.ndarray, seed: int) -> list[np.ndarray]:
        """Train from a fresh initialisation drawn from ``seed``; returns the trained weights."""
        keras.utils.set_random_seed(seed)
        for layer in self.model.layers:
            if isinstance(layer, keras.layers.Dense):
                # A new initializer object per call: an unseeded Keras initializer reused
                # returns the same values every time.
                layer.kernel.assign(
                    keras.initializers.GlorotUniform()(layer.kernel.shape)
                )
                layer.bias.assign(np.zeros(layer.bias.shape, dtype=np.float32))
        for variable, value in zip(
            self.model.optimizer.variables, self.optimizer_start, strict=True
        ):
            variable.assign(value)
        X, y = np.asarray(X, dtype=np.float32), np.asarray(y, dtype=np.float32)
        rng = np.random.default_rng(seed)
        for epoch in range(self.epochs):
            order = rng.permutation(len(X))
            for start in range(0, len(X), self.batch_size):
                rows = order[start : start + self.batch_size]
                self.train_step((X[rows], y[rows]))
            self.progress.on_epoch_end(epoch)
        return self.model.get_weights()

    def predict(self, weights: list[np.ndarray], X: np.ndarray) -> np.ndarray:
        self.model.set_weights(weights)
        X = np.asarray(X, dtype=np.float32)
        chunk = 4 * PREDICT_BATCH  # bounds the activations held at once (~15 MB)
        return np.concatenate(
            [
                self.forward(X[i : i + chunk]).numpy().ravel()
                for i in range(0, max(len(X), 1), chunk)
            ]
        )


class Member(ClassifierMixin, BaseEstimator):
    """A sklearn classifier for BalancedBaggingClassifier: one set of weights of the shared network."""

    def __init__(
        self, trainer: SharedNetwork | None = None, random_state: int | None = None
    ):
        self.trainer = trainer
        self.random_state = random_state  # set per member by the bagging ensemble

    def fit(self, X: np.ndarray, y: np.ndarray) -> Member:
        self.classes_ = np.unique(y)
        seed = 0 if self.random_state is None else int(self.random_state) % 2**31
        self.weights_ = self.trainer.fit(X, (np.asarray(y) == self.classes_[-1]), seed)
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        positive = self.trainer.predict(self.weights_, X).astype(np.float64)
        return np.column_stack([1.0 - positive, positive])

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[(self.predict_proba(X)[:, 1] > 0.5).astype(int)]


class EnsembleProgress(EpochProgress):
    """Counts epochs across all networks of the ensemble."""

    def __init__(self, progress: Progress | None, epochs: int, networks: int):
        super().__init__(progress, epochs)
        self.networks, self.done = networks, 0

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.done += 1
        if self.progress is not None:
            network = (self.done - 1) // self.epochs + 1
            self.progress(
                self.done / (self.epochs * self.networks),
                f"network {network}/{self.networks}, epoch {epoch + 1}/{self.epochs}",
            )
