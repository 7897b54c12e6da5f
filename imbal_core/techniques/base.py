"""The technique contract: declared hyperparameters, a validating ``fit``, probabilities.

Like imbalanced-learn's estimators: constructor arguments are keyword-only and kept
unchanged, the public :meth:`Technique.fit` validates and then calls the subclass's
``_fit``, and learned state ends in ``_``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from imbal_core import models
from imbal_core.errors import InputError
from imbal_core.params import LayersParam, Param

__all__ = ["LayersParam", "Param", "SingleModel", "Technique"]

if TYPE_CHECKING:
    from imbal_core.model import Progress


class Technique:
    """One way of handling class imbalance; subclasses live one per file in this folder."""

    name: ClassVar[str]
    label: ClassVar[str]
    summary: ClassVar[str]
    reference: ClassVar[str] = ""
    group: ClassVar[str] = "none"  # see techniques.parts.GROUPS
    params: ClassVar[tuple[Param, ...]] = ()

    def __init__(self, *, seed: int = 42, model: str = models.DEFAULT, **params: Any):
        self.seed = seed
        self.model = models.get(model)
        refused = self.model.refusal(type(self))
        if refused:
            raise InputError(
                f"{self.label} cannot train {self.model.label}: {refused}."
            )
        self.categorical: list[list[int]] = []  # set by fit
        for param in self.model.params:  # the MLP's epochs, shape, ...; trees, C, ...
            setattr(self, param.name, params.pop(param.name, param.default))
        unknown = set(params) - {p.name for p in self.params}
        if unknown:
            raise InputError(
                f"{self.name} on {self.model.label} has no hyperparameter "
                f"{sorted(unknown)[0]!r}."
            )
        for param in self.params:
            setattr(self, param.name, params.get(param.name, param.default))

    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        X_val: np.ndarray | None = None,
        y_val: np.ndarray | None = None,
        progress: Progress | None = None,
        categorical: Sequence[Sequence[int]] = (),
    ) -> Technique:
        """Validate, seed every random generator, then train on the training split only.

        ``categorical`` lists the one-hot columns of each categorical feature of X
        (``Dataset.categorical``), for samplers that must not blend them."""
        for param in (*self.model.params, *self.params):
            setattr(self, param.name, param.check(getattr(self, param.name)))
        if len(X) != len(y) or X.ndim != 2:
            raise InputError(f"X has {len(X)} rows but y has {len(y)}.")
        if len(np.unique(y)) != 2:
            raise InputError("the training split must contain both classes.")
        # Samplers and networks take their seeds explicitly; the global generators are
        # seeded too for anything else. Not keras.utils.set_random_seed: it clears
        # TensorFlow's function caches, ~0.2 s on every warm network's next call.
        random.seed(self.seed)
        np.random.seed(self.seed)
        # Early stopping watches the untouched validation split, never the test split.
        self.validation = (
            None
            if X_val is None or y_val is None
            else (np.asarray(X_val, dtype=np.float32), np.asarray(y_val))
        )
        self.categorical = [list(map(int, group)) for group in categorical]
        self.split_rows = len(X)  # before any sampler: a network's program size
        started = time.perf_counter()
        self._fit(np.asarray(X, dtype=np.float32), np.asarray(y), progress)
        self.fit_seconds_ = time.perf_counter() - started
        return self

    @classmethod
    def needs(cls) -> list[tuple[str, str]]:
        """What it asks of the model: (part label, kind) pairs (kinds in
        :data:`imbal_core.models.KINDS`); a model refuses what it does not accept."""
        return []

    @classmethod
    def rows_trained(cls, negatives: int, positives: int, params: dict) -> int:
        """About how many rows its model(s) train on per epoch, summed over its models,
        on a training split of these counts: what runs are scheduled by."""
        return negatives + positives

    def _fit(self, X: np.ndarray, y: np.ndarray, progress: Progress | None) -> None:
        raise NotImplementedError

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probability of the positive class for each row (1-D, in [0, 1])."""
        raise NotImplementedError


class SingleModel(Technique):
    """Trains one model on the training rows it chooses; subclasses change the rows,
    the loss, the class weights (and from which epoch they apply) or the output's
    starting bias (the last three: networks only, see :meth:`Technique.needs`)."""

    def _fit(self, X: np.ndarray, y: np.ndarray, progress: Progress | None) -> None:
        X, y = self.training_data(X, y)
        self._counts = np.bincount(y, minlength=2)
        self.train_class_counts_ = {
            "negative": int(self._counts[0]),
            "positive": int(self._counts[1]),
        }
        self.fitted_ = self.model.fit(self, X, y, progress)
        self.epochs_run_ = self.fitted_.epochs_run
        self.best_epoch_ = self.fitted_.best_epoch

    def training_data(
        self, X: np.ndarray, y: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The rows the model trains on (resampled by sampling techniques)."""
        return X, y

    def loss(self) -> Any:
        """The Keras loss on logits (None: cross-entropy, the seed's)."""
        return None

    def class_weight(self) -> dict[int, float] | None:
        return None

    def weights_from_epoch(self) -> int:
        return 0

    def output_bias(self) -> float:
        return 0.0

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.fitted_.predict(X)
