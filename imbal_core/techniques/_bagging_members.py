"""The ensemble members of :mod:`imbal_core.techniques.balanced_bagging`: every member
trains the process's one warm seed MLP in turn (see :mod:`imbal_core.model`).

Private (not a technique of its own) and imported only when an ensemble is fitted,
because it loads Keras and TensorFlow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from imbal_core.model import EpochProgress, Network


@dataclass(eq=False)
class Trainer:
    """What every member shares: the warm network, the epochs, batch size and
    learning rate, progress."""

    network: Network
    epochs: int
    batch_size: int
    progress: EpochProgress
    validation: tuple[np.ndarray, np.ndarray] | None = None
    patience: int = 0
    learning_rate: float = 0.001
    split_rows: int = 0  # the training split's, so every member shares one program

    def __deepcopy__(self, memo: dict) -> Trainer:
        return self  # sklearn.clone deep-copies estimator params; all members must share this


class Member(ClassifierMixin, BaseEstimator):
    """A sklearn classifier for BalancedBaggingClassifier: one set of weights of the shared network."""

    def __init__(self, trainer: Trainer | None = None, random_state: int | None = None):
        self.trainer = trainer
        self.random_state = random_state  # set per member by the bagging ensemble

    def fit(self, X: np.ndarray, y: np.ndarray) -> Member:
        self.classes_ = np.unique(y)
        seed = 0 if self.random_state is None else int(self.random_state) % 2**31
        training = self.trainer.network.fit(
            X,
            np.asarray(y) == self.classes_[-1],
            seed=seed,
            learning_rate=self.trainer.learning_rate,
            epochs=self.trainer.epochs,
            batch_size=self.trainer.batch_size,
            split_rows=self.trainer.split_rows,
            on_epoch=self.trainer.progress,
            validation=self.trainer.validation,
            patience=self.trainer.patience,
        )
        self.weights_ = training.weights
        self.epochs_run_, self.best_epoch_ = training.epochs_run, training.best_epoch
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        positive = self.trainer.network.predict(self.weights_, X)
        return np.column_stack([1.0 - positive, positive])

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[(self.predict_proba(X)[:, 1] > 0.5).astype(int)]
