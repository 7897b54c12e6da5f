"""What decisions cost, and thresholds chosen on validation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from imbal_core.evaluate._counts import THRESHOLD_GRID, confusion_counts, scores


@dataclass(frozen=True)
class Costs:
    """What a decision costs: a missed positive, and each alert an analyst reviews.

    ``missed`` is a fixed amount, or ``None`` to charge each missed positive its own
    transaction amount.
    """

    missed: float | None = 100.0
    review: float = 5.0

    def describe(self) -> str:
        missed = "its transaction amount" if self.missed is None else f"{self.missed:g}"
        return f"missed positive: {missed}; reviewed alert: {self.review:g}"


def cost_curve(
    y: np.ndarray,
    proba: np.ndarray,
    thresholds: Any,
    costs: Costs,
    amounts: np.ndarray | None = None,
) -> np.ndarray:
    """Total cost at each threshold: missed positives plus reviewed alerts."""
    thresholds = np.atleast_1d(np.asarray(thresholds, dtype=np.float64))
    counts = confusion_counts(y, proba, thresholds)
    alerts = counts[:, 1] + counts[:, 3]
    if costs.missed is None and amounts is not None:
        order = np.argsort(proba[y == 1], kind="stable")
        sorted_positive = proba[y == 1][order]
        cumulative = np.concatenate([[0.0], np.cumsum(amounts[y == 1][order])])
        missed = cumulative[np.searchsorted(sorted_positive, thresholds, side="right")]
    else:
        missed = counts[:, 2] * (costs.missed if costs.missed is not None else 0.0)
    return missed + alerts * costs.review


def precision_at_top(y: np.ndarray, proba: np.ndarray, k: int) -> float:
    """Share of positives among the ``k`` highest-scored rows (an analyst team's daily capacity)."""
    k = max(1, min(int(k), len(proba)))
    top = np.argpartition(-proba, k - 1)[:k]
    return float(y[top].mean())


# ------------------------------------------------------------------ thresholds
def suggest_threshold(
    y_val: np.ndarray,
    proba_val: np.ndarray,
    objective: str = "f1",
    costs: Costs | None = None,
    amounts_val: np.ndarray | None = None,
) -> float:
    """The grid threshold that maximises F1 (or minimises cost) on the **validation** split."""
    grid = THRESHOLD_GRID[:-1]  # 1.0 flags nothing
    if objective == "cost":
        values = cost_curve(y_val, proba_val, grid, costs or Costs(), amounts_val)
        return float(grid[int(np.argmin(values))])
    if objective != "f1":
        raise ValueError(f"objective must be 'f1' or 'cost', got {objective!r}")
    f1 = scores(confusion_counts(y_val, proba_val, grid))["f1"]
    return float(grid[int(np.argmax(f1))])
