"""Trained runs and comparisons: the probabilities every later view is computed from.

Training is the only expensive step. A :class:`Run` keeps the validation and test
probabilities, so a new threshold, a cost or a report is computed from them without
touching a network again. The labels they are scored against belong to the data
split, held once by the :class:`Comparison` (:class:`Split`), never copied onto
each run or sent to a worker and back. Nothing here imports TensorFlow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from imbal_core import evaluate, models
from imbal_core.evaluate import Costs


@dataclass(eq=False)
class Run:
    """What one run (technique, seed, …) produced: its probabilities, or why it failed."""

    technique: str
    seed: int
    params: dict[str, Any]
    proba_val: np.ndarray | None = field(default=None, repr=False)
    proba_test: np.ndarray | None = field(default=None, repr=False)
    train_class_counts: dict[str, int] = field(default_factory=dict)
    fit_seconds: float = 0.0
    epochs_run: float | None = None  # fewer than asked if stopped early
    best_epoch: float | None = None  # the epoch whose weights were kept
    error: str | None = None
    warnings: list[str] = field(default_factory=list)  # e.g. "did not learn: ..."
    model: str = models.DEFAULT
    split: int = 0  # which of the comparison's splits it was trained and scored on

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, eq=False)
class Split:
    """One data split's validation and test labels (and amounts, for costs)."""

    y_val: np.ndarray = field(repr=False)
    y_test: np.ndarray = field(repr=False)
    amounts_val: np.ndarray | None = field(default=None, repr=False)
    amounts_test: np.ndarray | None = field(default=None, repr=False)


class Scored:
    """A finished run with its split's labels: what every metric is computed from.

    The threshold-free figures (curves, PR-AUC, ...) are computed once per run and
    kept; everything the run recorded (seed, warnings, epochs, ...) reads through.
    """

    def __init__(self, run: Run, split: Split):
        self.run, self.split = run, split
        self.y_val, self.y_test = split.y_val, split.y_test

    def __getattr__(self, name: str) -> Any:  # the run's own fields
        if name.startswith("__") or name in ("run", "split"):
            raise AttributeError(name)  # e.g. copy/pickle probing a half-built object
        return getattr(self.run, name)

    @cached_property
    def threshold_free(self) -> dict[str, float]:
        """PR-AUC, ROC-AUC and Brier on test."""
        return evaluate.threshold_free(self.y_test, self.proba_test)

    @cached_property
    def validation_pr_auc(self) -> float:
        """PR-AUC on the validation split: what choices (a recommendation) rest on."""
        return evaluate.average_precision(self.y_val, self.proba_val)

    @cached_property
    def curves(self) -> dict[str, np.ndarray]:
        return evaluate.curves(self.y_test, self.proba_test)

    def suggested_threshold(
        self, objective: str = "f1", costs: Costs | None = None
    ) -> float:
        """The threshold chosen on the validation split (never on test)."""
        return evaluate.suggest_threshold(
            self.y_val, self.proba_val, objective, costs, self.split.amounts_val
        )

    def counts_at(self, threshold: float) -> np.ndarray:
        """Test (tn, fp, fn, tp) at ``threshold``."""
        return evaluate.confusion_counts(self.y_test, self.proba_test, threshold)[0]

    def cost_at(self, threshold: float, costs: Costs, on: str = "test") -> float:
        """Total cost at ``threshold`` on the test (or validation) split."""
        y, proba, amounts = (
            (self.y_test, self.proba_test, self.split.amounts_test)
            if on == "test"
            else (self.y_val, self.proba_val, self.split.amounts_val)
        )
        return float(evaluate.cost_curve(y, proba, threshold, costs, amounts)[0])


@dataclass(eq=False)
class Comparison:
    """Every run of a comparison, the labels they are scored against, the settings.

    ``runs`` maps each column (a technique or variant) to its runs, one per seed.
    Built once and then read: the scored runs are kept per column.
    """

    dataset: dict[str, Any]
    config: dict[str, Any]
    runs: dict[str, list[Run]]
    splits: list[Split]
    _scored: dict[str, list[Scored]] = field(
        default_factory=dict, init=False, repr=False
    )

    def ok_runs(self, name: str) -> list[Scored]:
        """The runs of ``name`` that finished, each with its split's labels (kept,
        so their curves are computed once; rebuilt if ``runs`` was changed)."""
        done = [run for run in self.runs[name] if run.ok]
        kept = self._scored.get(name)
        if kept is None or [s.run for s in kept] != done:  # Run compares by identity
            kept = self._scored[name] = [Scored(r, self.splits[r.split]) for r in done]
        return kept

    def error(self, name: str) -> str | None:
        """The first failure's reason when every seed of ``name`` failed."""
        return None if self.ok_runs(name) else self.runs[name][0].error

    @property
    def has_amounts(self) -> bool:
        """Whether each row has its own amount (what a missed positive can cost)."""
        return self.splits[0].amounts_test is not None
