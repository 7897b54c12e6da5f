"""Probabilities → metrics, curves, costs and thresholds: pure, cheap functions.

A row is predicted positive when its probability is **above** the threshold (the
seed's ``> 0.5``). Nothing here trains anything, so every function can run on each
move of the threshold slider. The code lives in private modules: ``_counts``
(confusion counts and scores), ``_curves`` (threshold-free view), ``_costs`` (costs
and suggested thresholds), ``_operating`` (matched operating points: the same
threshold, recall or alert budget), ``_intervals`` (uncertainty).
"""

from imbal_core.evaluate._costs import (
    Costs,
    cost_curve,
    precision_at_top,
    suggest_threshold,
)
from imbal_core.evaluate._counts import (
    THRESHOLD_GRID,
    at_counts,
    classification_report,
    confusion_counts,
    confusion_matrix,
    scores,
)
from imbal_core.evaluate._curves import (
    curves,
    did_not_learn,
    pr_point,
    reliability,
    threshold_free,
)
from imbal_core.evaluate._intervals import (
    BOOTSTRAP_RESAMPLES,
    CORRECTED,
    METRIC_BOUNDS,
    UNBOUNDED,
    average_precision,
    bootstrap_kind,
    bootstrap_pr_auc,
    interval,
    interval_kind,
    interval_scale,
    paired_bootstrap,
    paired_bootstrap_kind,
    paired_comparison,
    seed_intervals_kind,
)
from imbal_core.evaluate._operating import (
    MODES,
    OperatingPoint,
    threshold_for_alerts,
    threshold_for_recall,
)

__all__ = [
    "BOOTSTRAP_RESAMPLES",
    "CORRECTED",
    "METRIC_BOUNDS",
    "MODES",
    "OperatingPoint",
    "Costs",
    "THRESHOLD_GRID",
    "UNBOUNDED",
    "at_counts",
    "average_precision",
    "bootstrap_kind",
    "bootstrap_pr_auc",
    "classification_report",
    "confusion_counts",
    "confusion_matrix",
    "cost_curve",
    "curves",
    "did_not_learn",
    "interval",
    "interval_kind",
    "interval_scale",
    "paired_bootstrap",
    "paired_bootstrap_kind",
    "paired_comparison",
    "pr_point",
    "precision_at_top",
    "reliability",
    "scores",
    "seed_intervals_kind",
    "suggest_threshold",
    "threshold_for_alerts",
    "threshold_for_recall",
    "threshold_free",
]
