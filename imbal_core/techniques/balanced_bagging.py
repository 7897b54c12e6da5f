"""Balanced bagging: imblearn's BalancedBaggingClassifier over seed MLPs.

Speed (issue #4). The seed wraps each network in scikeras, so every one of the 10
members builds, compiles and traces a new Keras model: ~2.4 s each on this machine
for a ~790-row, 10-epoch fit, nearly all of it graph tracing. Here every member
trains the **same** compiled model: before each member's fit its weights are drawn
afresh (Glorot-uniform kernels, zero biases: Dense's defaults) from the member's own
seed and Adam's state is reset, so each member is an independent, freshly
initialised seed MLP, but the train/predict graphs are traced once. Each member
keeps a copy of its weights; prediction loads them in turn. The bootstrap and
undersampling are still imblearn's BalancedBaggingClassifier, and probabilities
are still the mean of the members' probabilities.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from imblearn.ensemble import BalancedBaggingClassifier
from sklearn.base import BaseEstimator, ClassifierMixin

from imbal_core.model import PREDICT_BATCH, EpochProgress, Progress, build_mlp
from imbal_core.techniques.base import Param, Technique


class BalancedBagging(Technique):
    """An ensemble of seed MLPs, each trained on its own balanced (undersampled) bootstrap."""

    name = "balanced_bagging"
    label = "Balanced bagging"
    summary = "imblearn's BalancedBaggingClassifier over seed MLPs (one traced graph, fresh weights each); averages their probabilities."
    params = (
        Param(
            "n_estimators",
            10,
            1,
            100,
            "Networks in the ensemble, each on its own balanced sample.",
            integer=True,
        ),
    )

    def _fit(self, X: np.ndarray, y: np.ndarray, progress: Progress | None) -> None:
        minority = int(np.bincount(y).min())
        trainer = _SharedNetwork(
            X.shape[1],
            epochs=self.epochs,
            batch_size=self.batch_size,
            # One callback object for every member, so progress spans the whole ensemble.
            progress=_EnsembleProgress(progress, self.epochs, self.n_estimators),
        )
        self.model_ = BalancedBaggingClassifier(
            estimator=_Member(trainer=trainer),
            n_estimators=self.n_estimators,
            random_state=self.seed,
        ).fit(X, y)
        # Each network sees a balanced bootstrap: minority-sized draws of both classes.
        self.train_class_counts_ = {
            "negative": minority,
            "positive": minority,
            "networks": self.n_estimators,
        }

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.model_.predict_proba(X)[:, 1].astype(np.float64)


class _SharedNetwork:
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

    def __deepcopy__(self, memo: dict) -> _SharedNetwork:
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


class _Member(ClassifierMixin, BaseEstimator):
    """A sklearn classifier for BalancedBaggingClassifier: one set of weights of the shared network."""

    def __init__(
        self, trainer: _SharedNetwork | None = None, random_state: int | None = None
    ):
        self.trainer = trainer
        self.random_state = random_state  # set per member by the bagging ensemble

    def fit(self, X: np.ndarray, y: np.ndarray) -> _Member:
        self.classes_ = np.unique(y)
        seed = 0 if self.random_state is None else int(self.random_state) % 2**31
        self.weights_ = self.trainer.fit(X, (np.asarray(y) == self.classes_[-1]), seed)
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        positive = self.trainer.predict(self.weights_, X).astype(np.float64)
        return np.column_stack([1.0 - positive, positive])

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[(self.predict_proba(X)[:, 1] > 0.5).astype(int)]


class _EnsembleProgress(EpochProgress):
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
