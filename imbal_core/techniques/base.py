"""The technique contract: declared hyperparameters, a validating ``fit``, probabilities.

Like imbalanced-learn's estimators: constructor arguments are keyword-only and kept
unchanged, the public :meth:`Technique.fit` validates and then calls the subclass's
``_fit``, and learned state ends in ``_``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from imbal_core.errors import InputError

if TYPE_CHECKING:
    from imbal_core.model import Progress


@dataclass(frozen=True)
class Param:
    """A hyperparameter as the UI and CLI show it: name, default, closed range, help."""

    name: str
    default: float
    low: float
    high: float
    help: str
    integer: bool = False

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()

    def range_text(self) -> str:
        """ "1..50, default 5" as help texts show it."""
        if self.integer:
            return f"{int(self.low)}..{int(self.high)}, default {int(self.default)}"
        return f"{self.low:g}..{self.high:g}, default {self.default:g}"

    def check(self, value: Any) -> float | int:
        """The value as the right type, or :class:`InputError` if it is out of range."""
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InputError(f"{self.name} must be a number, got {value!r}.") from None
        if self.integer and number != int(number):
            raise InputError(f"{self.name} must be a whole number, got {value!r}.")
        if not (self.low <= number <= self.high):
            low, high = (
                (int(self.low), int(self.high))
                if self.integer
                else (self.low, self.high)
            )
            raise InputError(
                f"{self.name} must be between {low} and {high}, got {value!r}."
            )
        return int(number) if self.integer else number


# Every technique trains the seed's MLP, so these two belong to all of them.
SHARED_PARAMS = (
    Param(
        "epochs",
        10,
        1,
        1000,
        "Passes over the (resampled) training split.",
        integer=True,
    ),
    Param("batch_size", 256, 1, 65536, "Rows per gradient step.", integer=True),
    Param(
        "patience",
        0,
        0,
        1000,
        "Early stopping: stop after this many epochs without a better PR-AUC on the "
        "validation split and keep the best epoch's weights (epochs is then the most "
        "it may run). 0 trains every epoch, as the seed does.",
        integer=True,
    ),
)


class Technique:
    """One way of handling class imbalance; subclasses live one per file in this folder."""

    name: ClassVar[str]
    label: ClassVar[str]
    summary: ClassVar[str]
    reference: ClassVar[str] = ""
    group: ClassVar[str] = "none"  # see techniques.parts.GROUPS
    params: ClassVar[tuple[Param, ...]] = ()

    def __init__(
        self,
        *,
        epochs: int = 10,
        batch_size: int = 256,
        patience: int = 0,
        seed: int = 42,
        **params: Any,
    ):
        self.epochs = epochs
        self.batch_size = batch_size
        self.patience = patience
        self.seed = seed
        self.categorical: list[list[int]] = []  # set by fit
        unknown = set(params) - {p.name for p in self.params}
        if unknown:
            raise InputError(
                f"{self.name} has no hyperparameter {sorted(unknown)[0]!r}."
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
        for param in (*SHARED_PARAMS, *self.params):
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
        self._validation = (
            None
            if X_val is None or y_val is None
            else (np.asarray(X_val, dtype=np.float32), np.asarray(y_val))
        )
        self.categorical = [list(map(int, group)) for group in categorical]
        started = time.perf_counter()
        self._fit(np.asarray(X, dtype=np.float32), np.asarray(y), progress)
        self.fit_seconds_ = time.perf_counter() - started
        return self

    def _fit(self, X: np.ndarray, y: np.ndarray, progress: Progress | None) -> None:
        raise NotImplementedError

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probability of the positive class for each row (1-D, in [0, 1])."""
        raise NotImplementedError


class MLPTechnique(Technique):
    """Trains one seed MLP; subclasses change the rows, the loss, the class weights
    (and from which epoch they apply) or the output's starting bias."""

    def _fit(self, X: np.ndarray, y: np.ndarray, progress: Progress | None) -> None:
        from imbal_core.model import EpochProgress, warm_network

        X, y = self.training_data(X, y)
        self._counts = np.bincount(y, minlength=2)
        self.train_class_counts_ = {
            "negative": int(self._counts[0]),
            "positive": int(self._counts[1]),
        }
        self.network_ = warm_network(X.shape[1], self.loss())
        training = self.network_.fit(
            X,
            y,
            seed=self.seed,
            epochs=self.epochs,
            batch_size=self.batch_size,
            class_weight=self.class_weight(),
            weights_from_epoch=self.weights_from_epoch(),
            output_bias=self.output_bias(),
            on_epoch=EpochProgress(progress, self.epochs),
            validation=self._validation,
            patience=self.patience,
        )
        self.weights_ = training.weights
        self.epochs_run_, self.best_epoch_ = training.epochs_run, training.best_epoch

    def training_data(
        self, X: np.ndarray, y: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The rows the network trains on (resampled by sampling techniques)."""
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
        return self.network_.predict(self.weights_, X)
