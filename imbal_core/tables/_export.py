"""The export table and its spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import io
import math
import numbers
from collections.abc import Mapping
from typing import Any

import pandas as pd

from imbal_core import models
from imbal_core.results import check_results, label, model_of, n_seeds
from imbal_core.tables._columns import COLUMNS

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and CR,
# strips it and then does): OWASP's CSV-injection list.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

EXPORTED = (
    "threshold",
    "suggested_threshold",
    "precision",
    "recall",
    "f1",
    "mcc",
    "pr_auc",
    "pr_auc_low",
    "pr_auc_high",
    "roc_auc",
    "brier",
    "cost",
    "accuracy",  # the last of the metrics: never the headline
    "fit_seconds",
    "epochs_run",
    "best_epoch",
)
"""The export's columns after technique, status and error (results keys, but the
interval's two ends, which come from ``pr_auc_ci95``)."""


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

    Columns: Technique, Model, Status, Error, then :data:`EXPORTED` (the interval only when
    the results carry one). Metrics are means over seeds; missing values are NaN.
    """
    results = check_results(results)
    intervals = has_intervals(results)
    rows = []
    for name, s in results["techniques"].items():
        done = s.get("status") == "ok"
        low, high = (s.get("pr_auc_ci95") or [None, None]) if done else (None, None)
        row: dict[str, Any] = {
            "technique": label(name, s),
            "model": models.label(model_of(s)),
            "status": str(s.get("status")),
            "error": "" if s.get("error") is None else str(s.get("error")),
        }
        for key in EXPORTED:
            if key in ("pr_auc_low", "pr_auc_high"):
                if intervals:
                    row[key] = _number(low if key == "pr_auc_low" else high)
                continue
            row[key] = _number(s.get(key) if done else None)
        rows.append(row)
    return pd.DataFrame(rows).rename(columns={k: c.label for k, c in COLUMNS.items()})


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
