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

    @staticmethod
    def show(value: Any) -> str:
        """A value as labels and captions write it: 0.25, 10, and a shape 128,64,32
        as 128-64-32 (no comma, so it fits in a variant's name)."""
        return (
            f"{value:g}" if isinstance(value, float) else str(value).replace(",", "-")
        )


@dataclass(frozen=True)
class LayersParam(Param):
    """The hidden layers' widths as text, "128,64,32" (first layer first).

    Text, not a tuple, so it is one hashable value in cache keys and one JSON string
    in results; each width lies in ``low..high``, at most ``MOST`` layers."""

    MOST = 8

    def range_text(self) -> str:
        return (
            f"comma-separated widths {int(self.low)}..{int(self.high)}, at most "
            f"{self.MOST} layers, default {self.default}"
        )

    def check(self, value: Any) -> str:
        text = (
            ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        )
        pieces = [p.strip() for p in text.split(",") if p.strip()]
        try:
            widths = [int(p) for p in pieces]
        except ValueError:
            widths = []
        if not (0 < len(widths) <= self.MOST) or not all(
            self.low <= w <= self.high for w in widths
        ):
            raise InputError(
                f"{self.name} must be comma-separated layer widths such as 128,64,32 "
                f"(each {int(self.low)} to {int(self.high)}, at most {self.MOST} "
                f"layers), got {value!r}."
            )
        return ",".join(map(str, widths))

    def widths(self, value: Any) -> tuple[int, ...]:
        return tuple(int(w) for w in self.check(value).split(","))


LAYERS = LayersParam(
    "layers",
    "128,64,32",  # type: ignore[arg-type]  # text, see LayersParam
    1,
    4096,
    "The network's hidden layers' widths, first to last (the seed's: 128,64,32); "
    "each is a dense relu layer followed by dropout.",
)
DROPOUT = Param(
    "dropout", 0.3, 0.0, 0.9, "Share of each hidden layer's units dropped per step."
)
LEARNING_RATE = Param(
    "learning_rate", 0.001, 1e-6, 1.0, "Adam's step size (the seed's: Keras' 0.001)."
)
NETWORK_PARAMS = (LAYERS, DROPOUT, LEARNING_RATE)

# Every technique trains the seed's MLP, so these belong to all of them.
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
    *NETWORK_PARAMS,
)


class Technique:
    """One way of handling class imbalance; subclasses live one per file in this folder."""

    name: ClassVar[str]
    label: ClassVar[str]
    summary: ClassVar[str]
    reference: ClassVar[str] = ""
    group: ClassVar[str] = "none"  # see techniques.parts.GROUPS
    params: ClassVar[tuple[Param, ...]] = ()

    def __init__(self, *, seed: int = 42, **params: Any):
        self.seed = seed
        self.categorical: list[list[int]] = []  # set by fit
        for param in SHARED_PARAMS:  # epochs, batch size, the network's shape, ...
            setattr(self, param.name, params.pop(param.name, param.default))
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

    def shape(self) -> dict[str, Any]:
        """The network's architecture, as :func:`imbal_core.model.warm_network` takes it."""
        return {"layers": LAYERS.widths(self.layers), "dropout": float(self.dropout)}

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
        self.network_ = warm_network(X.shape[1], self.loss(), **self.shape())
        training = self.network_.fit(
            X,
            y,
            seed=self.seed,
            learning_rate=self.learning_rate,
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
