"""Results -> pandas tables, for the pages, the HTML report, the CLI and the CSV export.

Every builder reads the plain results data (``results_json(...)`` or a
``results.json``) through the rules in :mod:`imbal_core.results`; its column
labels, formats, directions and help come from one spec, :data:`COLUMNS`.
Failed techniques are left out of the comparison tables and kept, with their
error, in :func:`metrics_frame`. Tables hold plain text: whoever renders them
escapes it.

- :func:`headline_table`, :func:`metrics_table` (with :func:`best_per_column`),
  :func:`metrics_ci_table`, :func:`suggested_thresholds_table`,
  :func:`class_counts_table`, :func:`training_table`, :func:`workload_table`,
  :func:`runs_table`, :func:`history_table`;
- :func:`classification_report_table` / :func:`classification_report_text`;
- :func:`metrics_frame` / :func:`metrics_csv` / :func:`safe_csv`: the export;
- :func:`datasets_table`, :func:`scores_table`, :func:`ranks_table`,
  :func:`buckets_table`: a benchmark's;
- :func:`formatted` / :func:`text_table`: any table's cells as text, by the spec.
"""

from imbal_core.tables._benchmark import (
    buckets_table,
    datasets_table,
    ranks_table,
    scores_table,
)
from imbal_core.tables._columns import (
    BY_LABEL,
    COLUMNS,
    Column,
    column,
    formatted,
    label,
    labelled,
    text_table,
)
from imbal_core.tables._comparison import (
    METRICS,
    best_per_column,
    class_counts_table,
    headline_table,
    history_table,
    metrics_ci_table,
    metrics_table,
    runs_table,
    suggested_thresholds_table,
    training_table,
    workload_table,
)
from imbal_core.tables._export import (
    FORMULA_PREFIXES,
    has_intervals,
    metrics_csv,
    metrics_frame,
    safe_csv,
    seed_count,
)
from imbal_core.tables._reports import (
    classification_report_table,
    classification_report_text,
)

__all__ = [
    "buckets_table",
    "datasets_table",
    "ranks_table",
    "scores_table",
    "BY_LABEL",
    "COLUMNS",
    "FORMULA_PREFIXES",
    "METRICS",
    "Column",
    "best_per_column",
    "class_counts_table",
    "classification_report_table",
    "classification_report_text",
    "column",
    "formatted",
    "label",
    "labelled",
    "has_intervals",
    "headline_table",
    "history_table",
    "metrics_ci_table",
    "metrics_csv",
    "metrics_frame",
    "metrics_table",
    "runs_table",
    "safe_csv",
    "seed_count",
    "suggested_thresholds_table",
    "text_table",
    "training_table",
    "workload_table",
]
