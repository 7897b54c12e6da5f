"""The parts a technique is made of: a sampler, an objective, an initialisation.

A part is one file in ``samplers/`` or ``objectives/``; the registry finds it, and
each part is also a technique of its own (SMOTE alone trains the seed MLP on SMOTE's
rows with cross-entropy). A recipe (:mod:`imbal_core.techniques.recipe`) joins at
most one part of each role: ``smote+focal_loss``.

A part reads its hyperparameters from the technique it belongs to (``t.k_neighbors``)
and is told the training split's class counts after resampling (``counts[c]``).
Imports of imbalanced-learn and Keras stay inside the methods: listing the
catalogue loads neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from imbal_core.errors import InputError, first_line
from imbal_core.models.base import (
    CLASS_WEIGHTS,
    INITIALISATION,
    NETWORK_OBJECTIVE,
    SAMPLER,
)
from imbal_core.params import Param

if TYPE_CHECKING:
    from imbal_core.techniques.base import Technique

# Hyperparameters several parts share: one definition, one CLI flag, one widget.
K_NEIGHBORS = Param(
    "k_neighbors",
    5,
    1,
    50,
    "Minority neighbours each synthetic row is drawn towards (SMOTE family).",
    integer=True,
)
N_NEIGHBORS = Param(
    "n_neighbors",
    3,
    1,
    50,
    "Neighbours that decide whether a majority row is removed (cleaning samplers).",
    integer=True,
)
BETA = Param(
    "beta",
    0.999,
    0.0,
    0.999999,
    "Effective-number β (Cui et al. 2019): 0 weighs classes equally, towards 1 "
    "approaches inverse frequency.",
)
MAX_ROWS = Param(
    "max_rows",
    0,
    0,
    10_000_000,
    "Most training rows a neighbour-based sampler sees: beyond it, majority rows are "
    "dropped at random before it runs (every minority row is kept). 0: no cap.",
    integer=True,
)
GAMMA = Param(
    "gamma",
    2.0,
    0.0,
    10.0,
    "Focusing strength: 0 is plain cross-entropy, higher ignores easy rows more.",
)

# How a part's time grows with the training rows, as the cost guard reads it.
LINEAR, LOGLINEAR, QUADRATIC = 1.0, 1.1, 2.0


class Part:
    """One part of a technique: what it is called, what it does, where it comes from."""

    name: ClassVar[str]
    label: ClassVar[str]
    summary: ClassVar[str]
    reference: ClassVar[str]
    role: ClassVar[str]  # "sampler", "objective" or "initialisation"
    group: ClassVar[str]  # how the Train page and `techniques` group it
    params: ClassVar[tuple[Param, ...]] = ()
    # The cost guard: seconds on 10,000 training rows here (2 cores) and growth.
    seconds_at_10k: ClassVar[float] = 0.0
    growth: ClassVar[float] = LINEAR

    def estimated_seconds(self, rows: int) -> float:
        return self.seconds_at_10k * (max(rows, 1) / 10_000) ** self.growth

    @property
    def kind(self) -> str:
        """What it asks of the model (see :mod:`imbal_core.models.base`)."""
        raise NotImplementedError


class Sampler(Part):
    """Changes the training rows (never the validation or test rows).

    A sampler whose time grows faster than the rows takes ``max_rows`` (see
    :data:`MAX_ROWS`), so the cost guard has a remedy to suggest.
    """

    role = "sampler"
    kind = SAMPLER
    group: ClassVar[str]  # "over", "under" or "combined"
    # Minority rows the sampler needs beyond its k neighbours (SMOTE: k + 1).
    neighbours: ClassVar[str | None] = None
    # Synthesises rows between neighbours: one-hot columns of categorical features
    # would be blended, unless the sampler handles them (SMOTE-NC, see _categorical).
    interpolates: ClassVar[bool] = False
    handles_categorical: ClassVar[bool] = False
    # An under-sampler that keeps as many majority rows as there are minority rows
    # (the others only clean away the few near the boundary).
    to_minority: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.growth > LINEAR and MAX_ROWS not in cls.params:
            cls.params = (*cls.params, MAX_ROWS)

    def rows_after(self, negatives: int, positives: int) -> int:
        """About how many training rows it leaves: what runs are scheduled by."""
        if self.group != "under":
            return 2 * negatives  # balanced by adding minority rows
        return 2 * positives if self.to_minority else negatives + positives

    def sampler(self, t: Technique, y: np.ndarray) -> Any:
        """The imbalanced-learn sampler with ``t``'s values and seed, for labels ``y``."""
        raise NotImplementedError

    def fit_resample(
        self, t: Technique, X: np.ndarray, y: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The resampled rows; ``t.categorical`` lists the one-hot groups of X."""
        return self.sampler(t, y).fit_resample(X, y)

    def resample(
        self, t: Technique, X: np.ndarray, y: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        X, y = _capped(t, X, y)
        if self.neighbours is not None:
            k = int(getattr(t, self.neighbours))
            minority = int(np.bincount(y).min())
            if minority <= k:
                raise InputError(
                    f"{self.label} needs more than {self.neighbours}={k} minority rows, but "
                    f"the training split has {minority}; lower {self.neighbours} to "
                    f"{max(1, minority - 1)} or add minority rows."
                )
        try:
            X_res, y_res = self.fit_resample(t, X, y)
        except (ValueError, RuntimeError) as exc:  # imbalanced-learn's own refusals
            raise InputError(
                f"{self.label} could not resample the training split "
                f"({int(np.bincount(y).min())} minority rows): {first_line(exc)}"
            ) from None
        return np.asarray(X_res, dtype=np.float32), np.asarray(y_res)


def _capped(
    t: Technique, X: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """At most ``t.max_rows`` rows: every minority row and a seeded random sample of
    the majority (imbalanced-learn's random undersampler)."""
    cap = int(getattr(t, "max_rows", 0) or 0)
    if not cap or len(y) <= cap:
        return X, y
    counts = np.bincount(y, minlength=2)
    minority, majority = int(np.argmin(counts)), int(np.argmax(counts))
    keep = cap - int(counts[minority])
    if keep < counts[minority]:
        raise InputError(
            f"max_rows={cap:,} leaves fewer majority than minority rows (the training "
            f"split has {int(counts[minority]):,} minority rows); raise max_rows to at "
            f"least {2 * int(counts[minority]):,}, or 0 for no cap."
        )
    from imblearn.under_sampling import RandomUnderSampler

    cut = RandomUnderSampler(sampling_strategy={majority: keep}, random_state=t.seed)
    return cut.fit_resample(X, y)


class Objective(Part):
    """Changes what the network minimises: its loss, its class weights, when they apply."""

    role = "objective"
    group = "objective"

    @property
    def kind(self) -> str:
        """Class weights alone mean the same to any model (per-row sample weights);
        a loss of its own, or weights from a later epoch, only to a network."""
        plain = all(
            getattr(type(self), method) is getattr(Objective, method)
            for method in ("loss", "weights_from_epoch")
        )
        return CLASS_WEIGHTS if plain else NETWORK_OBJECTIVE

    def loss(self, t: Technique, counts: np.ndarray) -> Any:
        """A Keras loss on logits (None: cross-entropy)."""
        return None

    def class_weight(self, t: Technique, counts: np.ndarray) -> dict[int, float] | None:
        return None

    def weights_from_epoch(self, t: Technique) -> int:
        """The first epoch (from 0) the class weights apply; later for deferred re-weighting."""
        return 0


class Initialisation(Part):
    """Changes where training starts."""

    role = "initialisation"
    kind = INITIALISATION
    group = "initialisation"

    def output_bias(self, t: Technique, counts: np.ndarray) -> float:
        raise NotImplementedError


def balanced(counts: np.ndarray) -> dict[int, float]:
    """Inverse-frequency weights, sklearn's "balanced": n / (2 n_c)."""
    total = float(np.sum(counts))
    return {c: total / (2 * float(n)) for c, n in enumerate(counts)}


def effective_number(counts: np.ndarray, beta: float) -> dict[int, float]:
    """Class-balanced weights (Cui et al. 2019): (1 - β) / (1 - β^n_c), scaled to sum
    to the number of classes, so β = 0 is plain cross-entropy."""
    raw = np.array([(1 - beta) / (1 - beta ** float(n)) for n in counts])
    raw = raw * len(counts) / raw.sum()
    return {c: float(w) for c, w in enumerate(raw)}


ROLES = ("sampler", "objective", "initialisation")
GROUPS = {
    "over": "Oversampling",
    "under": "Undersampling",
    "combined": "Over- and undersampling",
    "objective": "Network objective",
    "initialisation": "Initialisation",
    "recipe": "Combination",  # a recipe of several parts (never registered)
    "ensemble": "Ensemble",
    "none": "No balancing",
}
