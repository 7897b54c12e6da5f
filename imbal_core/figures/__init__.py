"""Results -> plotly figures, shared by the dashboard and the HTML report.

Every technique figure takes the plain-data ``techniques`` mapping of a results dict
(``results_json(...)["techniques"]``): name -> summary with ``status``, metrics,
``confusion_matrix``, ``seeds`` and ``curves``. Failed techniques are skipped (list
them with :func:`imbal_core.results.failed`). Each figure draws each technique at
its own operating point, ``summary["threshold"]`` (the same for all in
same-threshold mode, chosen per technique on validation otherwise).

Names and labels go through :func:`escape` before they reach plotly, so a hostile
technique or column name is shown as text, never interpreted as markup.

Public API
----------
confusion_matrices(techniques, compact=False)
    One heatmap per technique, coloured by row rate on ONE shared colour axis
    (``layout.coloraxis``, 0-1), counts and row rates as text.
metric_bars(techniques, metrics=("precision", "recall", "f1"))
    Grouped bars, one colour per metric; 95 % CI error bars only with several seeds.
pr_curves(techniques) / roc_curves(techniques)
    The curve per technique (first seed), a dot at its operating point, and the
    no-skill line.
reliability_curves(techniques)
    Reliability (calibration) curve per technique with its Brier score, + diagonal.
cost_bars(techniques)
    Total test cost per technique at its threshold (CI error bars with several seeds).
cd_diagram(stats)
    A benchmark's critical-difference diagram from its rank statistics.
fold_spread(techniques, metric="pr_auc")
    With cross-validation: each fold's value per technique, a box and a dot per fold.
cost_curves(techniques)
    Cost against threshold per technique: its minimum a star, its operating point a dot.
class_counts_figure(dataset, techniques=None, log_scale=True)
    Negatives/positives of each split (and each technique's resampled training set).
value_count_figure(counts, column, log_scale=False)
    The Data page's rows per value of the target column.
AT_OPERATING_POINT
    The figures that change when the operating point moves.
technique_colors(names) -> dict[str, str]
    One stable colour per technique, shared by every figure.
escape(text) -> str
    User text shown literally, in plotly labels and in HTML.
"""

from imbal_core.figures._bars import (
    class_counts_figure,
    confusion_matrices,
    cost_bars,
    metric_bars,
    value_count_figure,
)
from imbal_core.figures._curves import (
    cost_curves,
    pr_curves,
    reliability_curves,
    roc_curves,
)
from imbal_core.figures._folds import fold_spread
from imbal_core.figures._ranks import cd_diagram
from imbal_core.figures._style import COLORSCALE, PALETTE, escape, technique_colors

AT_OPERATING_POINT = (
    confusion_matrices,
    metric_bars,
    cost_bars,
    fold_spread,
    pr_curves,
    roc_curves,
    cost_curves,
)

__all__ = [
    "AT_OPERATING_POINT",
    "COLORSCALE",
    "PALETTE",
    "cd_diagram",
    "class_counts_figure",
    "confusion_matrices",
    "cost_bars",
    "cost_curves",
    "escape",
    "fold_spread",
    "metric_bars",
    "pr_curves",
    "reliability_curves",
    "roc_curves",
    "technique_colors",
    "value_count_figure",
]
