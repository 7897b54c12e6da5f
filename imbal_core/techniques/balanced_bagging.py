import numpy as np
from imblearn.ensemble import BalancedBaggingClassifier
from scikeras.wrappers import KerasClassifier

from imbal_core.model import PREDICT_BATCH, EpochProgress, Progress, build_mlp, steps_per_execution
from imbal_core.techniques.base import Param, Technique


class BalancedBagging(Technique):
    """An ensemble of seed MLPs, each trained on its own balanced (undersampled) bootstrap."""

    name = "balanced_bagging"
    label = "Balanced bagging"
    summary = "imblearn's BalancedBaggingClassifier over scikeras-wrapped MLPs; averages their votes."
    params = (Param("n_estimators", 10, 1, 100, "Networks in the ensemble, each on its own balanced sample.", integer=True),)

    def _fit(self, X: np.ndarray, y: np.ndarray, progress: Progress | None) -> None:
        minority = int(np.bincount(y).min())
        network = KerasClassifier(
            model=build_mlp,
            model__input_dim=X.shape[1],
            model__steps_per_execution=steps_per_execution(2 * minority, self.batch_size),
            epochs=self.epochs,
            batch_size=self.batch_size,
            predict__batch_size=PREDICT_BATCH,
            # One callback object shared by every clone, so progress spans the whole ensemble.
            fit__callbacks=[_EnsembleProgress(progress, self.epochs, self.n_estimators)],
            verbose=0,
        )
        self.model_ = BalancedBaggingClassifier(
            estimator=network, n_estimators=self.n_estimators, random_state=self.seed
        ).fit(X, y)
        # Each network sees a balanced bootstrap: minority-sized draws of both classes.
        self.train_class_counts_ = {"negative": minority, "positive": minority, "networks": self.n_estimators}

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.model_.predict_proba(X)[:, 1].astype(np.float64)


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
