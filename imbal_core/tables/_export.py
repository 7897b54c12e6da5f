"""The export table and its spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import io
import math
import numbers
from collections.abc import Mapping
from typing import Any

import pandas as pd

from imbal_core.results import check_results, label, n_seeds

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and CR,
# strips it and then does): OWASP's CSV-injection list.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

EXPORTED = (
    ("Threshold", "threshold"),
    ("Suggested threshold", "suggested_threshold"),
    ("Precision", "precision"),
    ("Recall", "recall"),
    ("F1", "f1"),
    ("MCC", "mcc"),
    ("PR-AUC", "pr_auc"),
    ("PR-AUC 95% CI low", None),
    ("PR-AUC 95% CI high", None),
    ("ROC-AUC", "roc_auc"),
    ("Brier", "brier"),
    ("Cost", "cost"),
    ("Accuracy", "accuracy"),  # the last of the metrics: never the headline
    ("Fit seconds", "fit_seconds"),
    ("Epochs run", "epochs_run"),
    ("Best epoch", "best_epoch"),
)


def seed_count(results: Mapping[str, Any]) -> int:
    """Seeds per technique: the configured ones, or the most any technique has."""
    seeds = results.get("config", {}).get("seeds") or []
    return max(
        len(seeds) if isinstance(seeds, list) else 1, n_seeds(results["techniques"])
    )


def has_intervals(results: Mapping[str, Any]) -> bool:
    """Whether PR-AUC has a 95 % interval: several seeds, or a stored bootstrap."""
    return seed_count(results) > 1 or any(
        "pr_auc_ci_kind" in s for s in results["techniques"].values()
    )


def metrics_frame(results: Mapping[str, Any]) -> pd.DataFrame:
    """One row per technique, failed ones included with their error.

    Columns: Technique, Status, Error, then :data:`EXPORTED` (the interval only when
    the results carry one). Metrics are means over seeds; missing values are NaN.
    """
    results = check_results(results)
    intervals = has_intervals(results)
    rows = []
    for name, s in results["techniques"].items():
        done = s.get("status") == "ok"
        low, high = (s.get("pr_auc_ci95") or [None, None]) if done else (None, None)
        row: dict[str, Any] = {
            "Technique": label(name, s),
            "Status": str(s.get("status")),
            "Error": "" if s.get("error") is None else str(s.get("error")),
        }
        for column, key in EXPORTED:
            if key is None:
                if intervals:
                    row[column] = _number(low if column.endswith("low") else high)
                continue
            row[column] = _number(s.get(key) if done else None)
        rows.append(row)
    return pd.DataFrame(rows)


def _number(value: Any) -> float:
    return float(value) if isinstance(value, numbers.Real) else math.nan


def _csv_safe(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula; numbers pass unchanged."""
    if value is None:
        return ""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if isinstance(value, numbers.Integral):
            return int(value)
        value = float(value)
        # 10 significant digits: full precision for metrics, no 7.4959999999999996 noise.
        return float(f"{value:.10g}") if math.isfinite(value) else ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def safe_csv(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text that is safe to open in Excel / LibreOffice / Sheets.

    Every text cell (header included) that starts with ``= + - @``, a tab or a carriage
    return gets a leading ``'``, so it is shown as text instead of being evaluated;
    numbers (negative ones too) stay numbers; missing values are empty cells.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_csv_safe(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([_csv_safe(v) for v in row])
    return buffer.getvalue()


def metrics_csv(results: Mapping[str, Any]) -> str:
    """:func:`metrics_frame` as formula-safe CSV (see :func:`safe_csv`)."""
    return safe_csv(metrics_frame(results))
