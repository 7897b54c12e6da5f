"""Balanced bagging: imblearn's BalancedBaggingClassifier over seed MLPs.

The seed wraps each network in scikeras, so every one of the 10 members builds,
compiles and traces a new Keras model (~2.4 s each here for a ~790-row, 10-epoch
fit, nearly all of it tracing). Here every member trains the process's warm seed
MLP (:func:`imbal_core.model.warm_network`) from a fresh initialisation drawn from
its own seed and keeps a copy of its weights; prediction loads them in turn. The
bootstrap and undersampling are still imblearn's BalancedBaggingClassifier, and the
probabilities are still the mean of the members' probabilities.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from imbal_core.techniques.base import Param, Technique

if TYPE_CHECKING:
    from imbal_core.model import Progress


class BalancedBagging(Technique):
    """An ensemble of seed MLPs, each trained on its own balanced (undersampled) bootstrap."""

    name = "balanced_bagging"
    label = "Balanced bagging"
    group = "ensemble"
    reference = "Wallace et al. 2011, ICDM; imbalanced-learn BalancedBaggingClassifier"
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
        # Keras and imblearn load only when a network is built: the registry stays light.
        from imblearn.ensemble import BalancedBaggingClassifier

        from imbal_core.model import EpochProgress, warm_network
        from imbal_core.techniques._bagging_members import Member, Trainer

        minority = int(np.bincount(y).min())
        trainer = Trainer(
            warm_network(X.shape[1], **self.shape()),
            self.epochs,
            self.batch_size,
            # One callback object for every member, so progress spans the whole ensemble.
            EpochProgress(progress, self.epochs, self.n_estimators),
            self._validation,  # each member stops early on it when patience > 0
            self.patience,
            self.learning_rate,
        )
        self.model_ = BalancedBaggingClassifier(
            estimator=Member(trainer=trainer),
            n_estimators=self.n_estimators,
            random_state=self.seed,
        ).fit(X, y)
        members = [pipeline.steps[-1][1] for pipeline in self.model_.estimators_]
        # Epochs are per network: the mean over the ensemble's members.
        self.epochs_run_ = round(float(np.mean([m.epochs_run_ for m in members])), 1)
        self.best_epoch_ = round(float(np.mean([m.best_epoch_ for m in members])), 1)
        # Each network sees a balanced bootstrap: minority-sized draws of both classes.
        self.train_class_counts_ = {
            "negative": minority,
            "positive": minority,
            "networks": self.n_estimators,
        }

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.model_.predict_proba(X)[:, 1].astype(np.float64)
