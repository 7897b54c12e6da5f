"""Balanced bagging: imblearn's BalancedBaggingClassifier over the model.

On a reference model it is imblearn's ensemble over that model's scikit-learn
estimator, as it is. On the network it is made cheap: the seed wraps each network in scikeras, so every one of the 10 members builds,
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

from imbal_core.models.base import ENSEMBLE, positive_proba
from imbal_core.techniques.base import Param, Technique

if TYPE_CHECKING:
    from imbal_core.model import Progress


class BalancedBagging(Technique):
    """An ensemble of models, each trained on its own balanced (undersampled) bootstrap."""

    name = "balanced_bagging"
    label = "Balanced bagging"
    group = "ensemble"
    reference = "Wallace et al. 2011, ICDM; imbalanced-learn BalancedBaggingClassifier"
    summary = "imblearn's BalancedBaggingClassifier over the model (networks: one traced graph, fresh weights each); averages their probabilities."
    params = (
        Param(
            "n_estimators",
            10,
            1,
            100,
            "Models in the ensemble, each on its own balanced sample.",
            integer=True,
        ),
    )

    @classmethod
    def needs(cls) -> list[tuple[str, str]]:
        return [(cls.label, ENSEMBLE)]

    @classmethod
    def rows_trained(cls, negatives: int, positives: int, params: dict) -> int:
        default = next(p.default for p in cls.params if p.name == "n_estimators")
        return int(params.get("n_estimators", default)) * 2 * positives

    def _fit(self, X: np.ndarray, y: np.ndarray, progress: Progress | None) -> None:
        # imblearn (and Keras) load only when an ensemble is fitted.
        from imblearn.ensemble import BalancedBaggingClassifier

        minority = int(np.bincount(y).min())
        # Each member sees a balanced bootstrap: minority-sized draws of both classes.
        self.train_class_counts_ = {
            "negative": minority,
            "positive": minority,
            "networks" if self.model.network else "models": self.n_estimators,
        }
        if not self.model.network:
            self.ensemble_ = BalancedBaggingClassifier(
                estimator=self.model.estimator(self),
                n_estimators=self.n_estimators,
                random_state=self.seed,
            ).fit(X, y)
            self.epochs_run_ = self.best_epoch_ = None
            return
        from imbal_core.model import EpochProgress, warm_network
        from imbal_core.techniques._bagging_members import Member, Trainer

        trainer = Trainer(
            warm_network(X.shape[1], **self.model.shape(self)),
            self.epochs,
            self.batch_size,
            # One callback object for every member, so progress spans the whole ensemble.
            EpochProgress(progress, self.epochs, self.n_estimators),
            self.validation,  # each member stops early on it when patience > 0
            self.patience,
            self.learning_rate,
            self.split_rows,
        )
        self.ensemble_ = BalancedBaggingClassifier(
            estimator=Member(trainer=trainer),
            n_estimators=self.n_estimators,
            random_state=self.seed,
        ).fit(X, y)
        members = [pipeline.steps[-1][1] for pipeline in self.ensemble_.estimators_]
        # Epochs are per network: the mean over the ensemble's members.
        self.epochs_run_ = round(float(np.mean([m.epochs_run_ for m in members])), 1)
        self.best_epoch_ = round(float(np.mean([m.best_epoch_ for m in members])), 1)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return positive_proba(self.ensemble_, X)
