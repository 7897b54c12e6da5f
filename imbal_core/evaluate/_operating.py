"""Operating points: where on its curve each technique is compared.

One shared threshold compares different operating points, not techniques: after
resampling or class weights a probability of 0.5 means something different for
each network. Fraud teams compare at a fixed review capacity or a required recall.
An :class:`OperatingPoint` says how each technique's threshold is chosen — always
on the **validation** split; the test split only reports:

- ``threshold``: the same threshold for every technique;
- ``suggested``: each technique's own threshold (best F1 or lowest cost);
- ``recall``: the highest threshold whose validation recall reaches the target;
- ``alerts``: the lowest threshold whose validation alert rate (alerts per 1,000
  cases) is not above the budget — the closest to the budget from below.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from imbal_core.errors import InputError

MODES = {
    "threshold": "the same threshold",
    "suggested": "each technique's own suggested threshold",
    "recall": "the same recall",
    "alerts": "the same alert budget",
}


@dataclass(frozen=True)
class OperatingPoint:
    """How each technique's threshold is chosen (see the module docstring)."""

    mode: str = "threshold"
    value: float | None = 0.5  # threshold, recall target (0-1] or alerts per 1,000

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise InputError(
                f"unknown operating point {self.mode!r}; choose from {', '.join(MODES)}."
            )
        value = self.value
        if self.mode == "suggested":
            return
        if value is None or not math.isfinite(float(value)):
            raise InputError(f"{self.mode} needs a number.")
        if self.mode == "threshold" and not 0.0 <= value <= 1.0:
            raise InputError(f"the threshold must be between 0 and 1, got {value:g}.")
        if self.mode == "recall" and not 0.0 < value <= 1.0:
            raise InputError(f"the recall target must be in (0, 1], got {value:g}.")
        if self.mode == "alerts" and not 0.0 <= value <= 1000.0:
            raise InputError(
                f"the alert budget must be 0 to 1,000 per 1,000 cases, got {value:g}."
            )

    @classmethod
    def parse(cls, text: Any) -> OperatingPoint:
        """``0.5``, ``"suggested"``, ``"recall=0.8"`` or ``"alerts=5"``."""
        if isinstance(text, OperatingPoint):
            return text
        if text is None or text == "suggested":
            return cls("suggested", None)
        if isinstance(text, int | float):
            return cls("threshold", float(text))
        mode, sep, number = str(text).partition("=")
        mode, number = ("threshold", mode) if not sep else (mode.strip(), number)
        try:
            value = float(number)
        except ValueError:
            raise InputError(
                f"{text!r} is not a threshold; use 0..1, 'suggested', 'recall=0.8' or "
                "'alerts=5' (alerts per 1,000 cases)."
            ) from None
        return cls(mode, value)

    def __str__(self) -> str:
        if self.mode == "suggested":
            return "suggested"
        if self.mode == "threshold":
            return f"{self.value:g}"
        return f"{self.mode}={self.value:g}"

    def as_json(self) -> dict[str, Any]:
        """How ``results.json`` records it: ``config.operating_point``."""
        return {"mode": self.mode, "value": self.value, "description": self.describe()}

    def describe(self) -> str:
        """E.g. "the same recall (80 % on validation)"."""
        if self.mode == "threshold":
            return f"the same threshold ({self.value:.2f})"
        if self.mode == "recall":
            return f"the same recall ({self.value:.0%} on validation)"
        if self.mode == "alerts":
            return (
                f"the same alert budget ({self.value:g} per 1,000 cases on validation)"
            )
        return MODES["suggested"] + " (chosen on validation)"

    def threshold(
        self, y_val: np.ndarray, proba_val: np.ndarray, suggested: float
    ) -> float:
        """This technique's threshold, from its validation labels and probabilities."""
        if self.mode == "threshold":
            return float(self.value)
        if self.mode == "suggested":
            return float(suggested)
        if self.mode == "recall":
            return threshold_for_recall(y_val, proba_val, float(self.value))
        return threshold_for_alerts(proba_val, float(self.value))


def threshold_for_recall(y: np.ndarray, proba: np.ndarray, target: float) -> float:
    """The highest threshold (fewest alerts) whose recall on ``y`` is at least ``target``.

    A row is flagged when its probability is above the threshold, so the threshold
    is the next score below the k-th highest positive score (k = ceil(target x P)).
    """
    positives = np.sort(np.asarray(proba)[np.asarray(y) == 1])[::-1]
    if len(positives) == 0:
        raise InputError("the validation split has no positives: no recall to match.")
    needed = positives[max(1, math.ceil(target * len(positives) - 1e-9)) - 1]
    below = np.asarray(proba)[np.asarray(proba) < needed]
    return float(below.max()) if len(below) else 0.0


def threshold_for_alerts(proba: np.ndarray, per_thousand: float) -> float:
    """The lowest threshold flagging at most ``per_thousand`` of every 1,000 rows.

    Ties cannot be split: rows with the same score are flagged together, so the rate
    reached is the closest to the budget from below.
    """
    scores = np.sort(np.asarray(proba, dtype=np.float64))[::-1]
    allowed = math.floor(per_thousand / 1000 * len(scores) + 1e-9)
    if allowed >= len(scores):
        return 0.0  # everything (scored above 0) is flagged
    return float(scores[allowed])
