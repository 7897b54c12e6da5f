"""The model contract: what a technique trains, and which technique parts it takes.

A technique (:mod:`imbal_core.techniques`) decides the rows and the objective; a
model learns from them. The seed's MLP takes every part; a reference model (a
linear model, gradient-boosted trees) takes what has a meaning for it: samplers
(they only change the rows), class weights (per-row sample weights) and balanced
bagging (an ensemble of the model itself). A network objective or start is
refused with its reason, never silently ignored.

Imports of scikit-learn, LightGBM and Keras stay inside the methods: listing the
models loads none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from imbal_core.params import Param

if TYPE_CHECKING:
    from imbal_core.model import Progress
    from imbal_core.techniques.base import Technique

# What a technique may ask of a model (see Technique.needs).
SAMPLER, CLASS_WEIGHTS, ENSEMBLE = "sampler", "class weights", "ensemble"
NETWORK_OBJECTIVE, INITIALISATION = "network objective", "initialisation"
KINDS = (SAMPLER, CLASS_WEIGHTS, ENSEMBLE, NETWORK_OBJECTIVE, INITIALISATION)
_WHY = {
    NETWORK_OBJECTIVE: "a network objective (it changes the network's loss or when "
    "its weights apply)",
    INITIALISATION: "a network start (it sets the output layer's bias)",
}

THREADS = 1  # per run: one worker per core, as for the network (execution._task)


@dataclass
class Fitted:
    """A trained model: positive-class probabilities, and how far training went."""

    predict: Callable[[np.ndarray], np.ndarray]
    epochs_run: float | None = None  # networks only
    best_epoch: float | None = None


class Model:
    """One kind of classifier; subclasses live one per file in this folder."""

    name: ClassVar[str]
    label: ClassVar[str]
    summary: ClassVar[str]
    reference: ClassVar[str] = ""
    params: ClassVar[tuple[Param, ...]] = ()
    network: ClassVar[bool] = False  # trained by gradient steps on the seed's MLP
    accepts: ClassVar[frozenset[str]] = frozenset({SAMPLER, CLASS_WEIGHTS, ENSEMBLE})

    def refusal(self, technique: type[Technique]) -> str | None:
        """Why this model cannot train ``technique`` ("focal loss is a network
        objective (…); LightGBM takes samplers, …"), or None."""
        for part, kind in technique.needs():
            if kind not in self.accepts:
                return f"{part} is {_WHY.get(kind, kind)}; {self.label} takes {self.takes()}"
        return None

    def takes(self) -> str:
        """What it accepts, as a sentence ends: "samplers, class weights and …"."""
        if self.accepts >= set(KINDS):
            return "every technique"
        return _listed(k for k in KINDS if k in self.accepts)

    def estimator(self, t: Technique) -> Any:
        """An unfitted scikit-learn classifier with ``t``'s values and seed."""
        raise NotImplementedError

    def fit(
        self,
        t: Technique,
        X: np.ndarray,
        y: np.ndarray,
        progress: Progress | None = None,
    ) -> Fitted:
        """Train on the rows ``t`` chose, with its class weights as sample weights."""
        weights = t.class_weight()
        sample_weight = (
            None if weights is None else np.array([weights[0], weights[1]])[y]
        )
        if progress is not None:
            progress(0.0, f"fitting {self.label}")
        estimator = self.estimator(t).fit(X, y, sample_weight=sample_weight)
        if progress is not None:
            progress(1.0, f"{self.label} fitted")
        return Fitted(lambda rows: positive_proba(estimator, rows))


def positive_proba(estimator: Any, X: np.ndarray) -> np.ndarray:
    """Probability of class 1, float64, flat."""
    column = list(estimator.classes_).index(1)
    return np.asarray(estimator.predict_proba(X)[:, column], dtype=np.float64)


def _listed(kinds: Iterable[str]) -> str:
    words = [
        {ENSEMBLE: "balanced bagging", SAMPLER: "samplers"}.get(k, k) for k in kinds
    ]
    return ", ".join(words[:-1]) + f" and {words[-1]}" if len(words) > 1 else words[0]
