"""Results -> pandas tables, for the Compare page, the report and the CSV export.

Every function reads the plain results data (``results_json(...)`` or a
``results.json``), through the rules in :mod:`imbal_core.results`. Failed techniques
are left out of the comparison tables and kept, with their error, in
:func:`metrics_frame`. Tables hold plain text: whoever renders them escapes it.

Public API
----------
metrics_table(techniques) -> DataFrame
    Rows = technique labels; columns precision, recall, F1, PR-AUC, ROC-AUC, MCC,
    Brier, cost, alerts/1k, threshold, accuracy (accuracy last: never the headline).
metrics_ci_table(techniques) -> DataFrame
    The same metrics as "mean (low to high)" strings (95 % intervals over seeds;
    with one seed, PR-AUC's bootstrap interval over test rows), and their kind.
best_per_column(table) -> dict[str, str]
    column -> row label of the best value (lower is better for Brier and cost).
best_marks(table) -> Series
    Per row, "★ " + the columns where it is best (for the BEST_COLUMN column).
classification_report_table(summary) / classification_report_text(summary)
    The first seed's classification report as a table / as sklearn-style text.
class_counts_table(dataset, techniques) -> DataFrame
    Rows train/validation/test/"train after <technique>"; negative, positive, share.
suggested_thresholds_table(techniques) -> DataFrame
    Per technique the threshold chosen on validation, and the one in use.
metrics_frame(results) -> DataFrame
    The export table: one row per technique, failed ones included with their error.
safe_csv(frame) -> str / metrics_csv(results) -> str
    CSV neutralised against spreadsheet formula injection.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from imbal_core import evaluate
from imbal_core.results import (
    Techniques,
    alerts_per_thousand,
    check_results,
    label,
    metric_ci,
    n_seeds,
    ok,
)

METRIC_LABELS = {
    "precision": "Precision",
    "recall": "Recall",
    "f1": "F1",
    "pr_auc": "PR-AUC",
    "roc_auc": "ROC-AUC",
    "mcc": "MCC",
    "brier": "Brier",
    "cost": "Cost",
    "accuracy": "Accuracy",
}
TABLE_METRICS = (
    "precision",
    "recall",
    "f1",
    "pr_auc",
    "roc_auc",
    "mcc",
    "brier",
    "cost",
)
LOWER_IS_BETTER = frozenset({"Brier", "Cost", "Alerts per 1k"})
"""Table columns where smaller is better."""

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and CR,
# strips it and then does): OWASP's CSV-injection list.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# ------------------------------------------------------------- comparison tables
def metrics_table(techniques: Techniques) -> pd.DataFrame:
    """One row per finished technique; accuracy is the last column on purpose."""
    rows = {}
    for name, s in ok(techniques).items():
        row = {METRIC_LABELS[m]: float(s[m]) for m in TABLE_METRICS}
        row["Alerts per 1k"] = alerts_per_thousand(s)
        row["Threshold"] = float(s["threshold"])
        row["Accuracy"] = float(s["accuracy"])
        rows[label(name)] = row
    columns = [
        *(METRIC_LABELS[m] for m in TABLE_METRICS),
        "Alerts per 1k",
        "Threshold",
        "Accuracy",
    ]
    table = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    table.index.name = "Technique"
    return table


def headline_table(techniques: Techniques) -> pd.DataFrame:
    """What a stakeholder reads first: each technique's threshold (chosen on validation)
    and its test recall, precision, workload, cost and PR-AUC with its interval."""
    rows = {}
    for name, s in ok(techniques).items():
        _, low, high = metric_ci(s, "pr_auc")
        rows[label(name)] = {
            "Threshold": float(s["threshold"]),
            "Recall": float(s["recall"]),
            "Precision": float(s["precision"]),
            "Alerts per 1k": alerts_per_thousand(s),
            "Cost": float(s["cost"]),
            "PR-AUC": float(s["pr_auc"]),
            "PR-AUC 95% interval": f"{low:.3f} to {high:.3f}",
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "Technique"
    return table


def metrics_ci_table(techniques: Techniques) -> pd.DataFrame:
    """Mean and 95 % interval, "mean (low to high)" as text, per technique and metric.

    Intervals stay inside each metric's range, so they need not be symmetric. With
    several seeds every metric has one, over seeds; with one seed only PR-AUC, a
    bootstrap over test rows (a technique without one is left out). The "Interval"
    column says which.
    """
    rows = {}
    for name, s in ok(techniques).items():
        seeds = len(s.get("seeds") or [])
        if seeds < 2 and not s.get("pr_auc_ci_kind"):
            continue
        row = {}
        for metric in (*TABLE_METRICS, "accuracy") if seeds > 1 else ("pr_auc",):
            mean, low, high = metric_ci(s, metric)
            digits = 0 if metric == "cost" else 3
            row[METRIC_LABELS[metric]] = (
                f"{mean:,.{digits}f} ({low:,.{digits}f} to {high:,.{digits}f})"
            )
        row["Seeds"] = seeds
        row["Interval"] = (
            evaluate.seed_intervals_kind(seeds)
            if seeds > 1
            else str(s["pr_auc_ci_kind"])
        )
        rows[label(name)] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "Technique"
    return table


def best_per_column(table: pd.DataFrame) -> dict[str, str]:
    """Row label of the best value in each numeric column (Threshold has no 'best')."""
    best = {}
    for column in table.columns:
        if (
            column == "Threshold"
            or not pd.api.types.is_numeric_dtype(table[column])
            or table[column].isna().all()
        ):
            continue
        best[column] = (
            table[column].idxmin()
            if column in LOWER_IS_BETTER
            else table[column].idxmax()
        )
    return best


# A description of the test split, not a recommendation (that is chosen on validation).
BEST_COLUMN = "Best on test"


def best_marks(table: pd.DataFrame) -> pd.Series:
    """Per technique, the columns it is best at, e.g. "★ PR-AUC, MCC" (empty when none)."""
    best = best_per_column(table)
    marks = {
        row: [c for c, winner in best.items() if winner == row] for row in table.index
    }
    return pd.Series(
        {row: ("★ " + ", ".join(cols)) if cols else "" for row, cols in marks.items()},
        name=BEST_COLUMN,
        dtype=object,
    )


def classification_report_table(summary: Mapping[str, Any]) -> pd.DataFrame:
    """The first seed's classification report, rows in the seed notebook's order."""
    report = summary["classification_report"]
    rows, index = [], []
    for key, row_label in (
        ("0", "negative (0)"),
        ("1", "positive (1)"),
        ("accuracy", "accuracy"),
        ("macro avg", "macro avg"),
        ("weighted avg", "weighted avg"),
    ):
        if key == "accuracy":
            # sklearn's layout: accuracy is one number; its support is every row.
            row = [
                np.nan,
                np.nan,
                float(report["accuracy"]),
                int(report["macro avg"]["support"]),
            ]
        else:
            values = report[key]
            row = [
                float(values["precision"]),
                float(values["recall"]),
                float(values["f1-score"]),
                int(values["support"]),
            ]
        rows.append(row)
        index.append(row_label)
    table = pd.DataFrame(
        rows, index=index, columns=["precision", "recall", "f1-score", "support"]
    )
    table["support"] = table["support"].astype(int)
    return table


def classification_report_text(summary: Mapping[str, Any]) -> str:
    """The first seed's report laid out like sklearn's ``classification_report`` text.

    Plain monospace text: what the seed notebook printed, and cheap to show seven times.
    """
    report = summary["classification_report"]
    lines = [
        f"{'':>14}{'precision':>10}{'recall':>10}{'f1-score':>10}{'support':>10}",
        "",
    ]
    for key, row_label in (("0", "negative (0)"), ("1", "positive (1)")):
        row = report[key]
        lines.append(
            f"{row_label:>14}{row['precision']:>10.4f}{row['recall']:>10.4f}{row['f1-score']:>10.4f}"
            f"{int(row['support']):>10,}"
        )
    total = int(report["macro avg"]["support"])
    lines += [
        "",
        f"{'accuracy':>14}{'':>10}{'':>10}{float(report['accuracy']):>10.4f}{total:>10,}",
    ]
    for key in ("macro avg", "weighted avg"):
        row = report[key]
        lines.append(
            f"{key:>14}{row['precision']:>10.4f}{row['recall']:>10.4f}{row['f1-score']:>10.4f}"
            f"{int(row['support']):>10,}"
        )
    return "\n".join(lines)


def class_counts_table(
    dataset: Mapping[str, Any], techniques: Techniques
) -> pd.DataFrame:
    """Negatives, positives and the positive share per split and resampled training set."""
    rows = {}
    for split, counts in (dataset.get("class_counts") or {}).items():
        rows[split] = counts
    for name, s in ok(techniques).items():
        if s.get("train_class_counts"):
            rows[f"train after {label(name)}"] = s["train_class_counts"]
    table = (
        pd.DataFrame.from_dict(rows, orient="index", columns=["negative", "positive"])
        .fillna(0)
        .astype(int)
    )
    total = (table["negative"] + table["positive"]).replace(0, 1)
    table["positive share"] = table["positive"] / total
    table.index.name = "Set"
    return table


def suggested_thresholds_table(techniques: Techniques) -> pd.DataFrame:
    """Per technique: the threshold chosen on validation and the one the figures use."""
    rows = {
        label(n): {
            "Suggested (validation)": float(s["suggested_threshold"]),
            "In use": float(s["threshold"]),
        }
        for n, s in ok(techniques).items()
    }
    table = pd.DataFrame.from_dict(
        rows, orient="index", columns=["Suggested (validation)", "In use"]
    )
    table.index.name = "Technique"
    return table


# ------------------------------------------------------------------ CSV export
def seed_count(results: Mapping[str, Any]) -> int:
    """Seeds per technique: the configured ones, or the most any technique has."""
    seeds = results.get("config", {}).get("seeds") or []
    return max(
        len(seeds) if isinstance(seeds, list) else 1,
        n_seeds(results["techniques"]),
    )


def metrics_frame(results: Mapping[str, Any]) -> pd.DataFrame:
    """One row per technique (failed ones included, with their error).

    Columns: Technique, Status, Error, Threshold, Suggested threshold, Precision,
    Recall, F1, MCC, PR-AUC (and its 95 % interval low/high: over seeds, or with one
    seed a bootstrap over test rows, when the results carry one),
    ROC-AUC, Brier, Cost, Accuracy (last of the metrics: never the headline), Fit seconds,
    Epochs run and Best epoch (means over seeds; fewer than asked when stopped early).
    Metrics are means over seeds; missing values are NaN.
    """
    results = check_results(results)
    several = seed_count(results) > 1 or any(
        "pr_auc_ci_kind" in s for s in results["techniques"].values()
    )
    rows = []
    for name, s in results["techniques"].items():
        done = s.get("status") == "ok"

        def number(key: str, s: Mapping[str, Any] = s, done: bool = done) -> float:
            value = s.get(key) if done else None
            return float(value) if isinstance(value, numbers.Real) else math.nan

        row: dict[str, Any] = {
            "Technique": label(name),
            "Status": str(s.get("status")),
            "Error": "" if s.get("error") is None else str(s.get("error")),
            "Threshold": number("threshold"),
            "Suggested threshold": number("suggested_threshold"),
            "Precision": number("precision"),
            "Recall": number("recall"),
            "F1": number("f1"),
            "MCC": number("mcc"),
            "PR-AUC": number("pr_auc"),
        }
        if several:
            low, high = (
                (s.get("pr_auc_ci95") or [math.nan, math.nan])
                if done
                else (math.nan, math.nan)
            )
            row["PR-AUC 95% CI low"] = float(low) if low is not None else math.nan
            row["PR-AUC 95% CI high"] = float(high) if high is not None else math.nan
        row.update(
            {
                "ROC-AUC": number("roc_auc"),
                "Brier": number("brier"),
                "Cost": number("cost"),
                "Accuracy": number("accuracy"),
                "Fit seconds": number("fit_seconds"),
                "Epochs run": number("epochs_run"),
                "Best epoch": number("best_epoch"),
            }
        )
        rows.append(row)
    return pd.DataFrame(rows)


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
