"""Trained runs and comparisons: the probabilities every later view is computed from.

Training is the only expensive step. A :class:`Run` keeps the validation and test
probabilities, so a new threshold, a cost or a report is computed from them without
touching a network again. Nothing here imports TensorFlow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from imbal_core import evaluate
from imbal_core.evaluate import Costs


@dataclass(eq=False)
class Run:
    """One technique trained with one seed: its probabilities, or why it failed."""

    technique: str
    seed: int
    params: dict[str, Any]
    y_val: np.ndarray = field(repr=False)
    y_test: np.ndarray = field(repr=False)
    proba_val: np.ndarray | None = field(default=None, repr=False)
    proba_test: np.ndarray | None = field(default=None, repr=False)
    train_class_counts: dict[str, int] = field(default_factory=dict)
    fit_seconds: float = 0.0
    epochs_run: float | None = (
        None  # epochs trained (fewer than asked if stopped early)
    )
    best_epoch: float | None = None  # the epoch whose weights were kept
    error: str | None = None
    warnings: list[str] = field(default_factory=list)  # e.g. "did not learn: ..."

    @property
    def ok(self) -> bool:
        return self.error is None

    @cached_property
    def threshold_free(self) -> dict[str, float]:
        """PR-AUC, ROC-AUC and Brier on test, computed once."""
        return evaluate.threshold_free(self.y_test, self.proba_test)

    @cached_property
    def validation_pr_auc(self) -> float:
        """PR-AUC on the validation split: what choices (a recommendation) rest on."""
        return evaluate.average_precision(self.y_val, self.proba_val)

    @cached_property
    def curves(self) -> dict[str, np.ndarray]:
        return evaluate.curves(self.y_test, self.proba_test)

    def suggested_threshold(
        self, objective: str = "f1", costs: Costs | None = None, amounts_val: Any = None
    ) -> float:
        """The threshold chosen on the validation split (never on test)."""
        return evaluate.suggest_threshold(
            self.y_val, self.proba_val, objective, costs, amounts_val
        )

    def counts_at(self, threshold: float) -> np.ndarray:
        """Test (tn, fp, fn, tp) at ``threshold``."""
        return evaluate.confusion_counts(self.y_test, self.proba_test, threshold)[0]

    def at(self, threshold: float) -> dict[str, Any]:
        """Test scores, confusion matrix and classification report at ``threshold``."""
        return evaluate.at_counts(self.counts_at(threshold))


@dataclass
class Comparison:
    """Every run of a comparison, plus what is needed to evaluate them honestly."""

    dataset: dict[str, Any]
    config: dict[str, Any]
    runs: dict[str, list[Run]]
    amounts_val: np.ndarray | None = field(default=None, repr=False)
    amounts_test: np.ndarray | None = field(default=None, repr=False)

    def ok_runs(self, name: str) -> list[Run]:
        return [r for r in self.runs[name] if r.ok]

    def error(self, name: str) -> str | None:
        """The first failure's reason when every seed of ``name`` failed."""
        return None if self.ok_runs(name) else self.runs[name][0].error
