"""Results -> plotly figures, shared by the dashboard and the HTML report.

Every technique figure takes the plain-data ``techniques`` mapping of a results dict
(``results_json(...)["techniques"]``): name -> summary with ``status``, metrics,
``confusion_matrix``, ``seeds`` and ``curves``. Failed techniques are skipped (list
them with :func:`imbal_core.results.failed`). The figures draw what the summaries
say; ``threshold`` is only used for titles and markers (``None`` = each technique's
own ``summary["threshold"]``, which is what ``results_json(threshold=None)`` gives).

Names and labels go through :func:`escape` before they reach plotly, so a hostile
technique or column name is shown as text, never interpreted as markup.

Public API
----------
confusion_matrices(techniques, threshold=None)
    One heatmap per technique, coloured by row rate on ONE shared colour axis
    (``layout.coloraxis``, 0-1), counts and row rates as text.
metric_bars(techniques, threshold=None, metrics=("precision", "recall", "f1"))
    Grouped bars, one trace per metric; 95 % CI error bars only with several seeds.
pr_curves(techniques, threshold=None)
    PR curve per technique (first seed) + a marker at the threshold's
    (recall, precision) + the no-skill line (prevalence).
roc_curves(techniques, threshold=None)
    ROC curve per technique + a marker at the threshold's (FPR, TPR) + the diagonal.
reliability_curves(techniques, threshold=None)
    Reliability (calibration) curve per technique with its Brier score, + diagonal.
cost_bars(techniques, threshold=None)
    Total test cost per technique at the threshold (CI error bars with several seeds).
cost_curves(techniques, threshold=None)
    Cost against threshold per technique, its minimum marked, the threshold as a line.
class_counts_figure(dataset, techniques)
    Negatives/positives of each split and each technique's resampled training set.
class_count_figure(counts, log_scale=False) / value_count_figure(counts, column, log_scale=False)
    The Data page's class counts per split / rows per value of the target column.
technique_colors(names) -> dict[str, str]
    One stable colour per technique, shared by every figure.
escape(text) -> str
    User text shown literally, in plotly labels and in HTML.
"""

from imbal_core.figures._bars import (
    class_count_figure,
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
from imbal_core.figures._style import COLORSCALE, PALETTE, escape, technique_colors

__all__ = [
    "COLORSCALE",
    "PALETTE",
    "class_count_figure",
    "class_counts_figure",
    "confusion_matrices",
    "cost_bars",
    "cost_curves",
    "escape",
    "metric_bars",
    "pr_curves",
    "reliability_curves",
    "roc_curves",
    "technique_colors",
    "value_count_figure",
]
