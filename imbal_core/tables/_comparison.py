"""The comparison's tables, one builder each, from the results' summaries.

Rows are technique labels and columns are built by key and labelled by the
column spec (:data:`~imbal_core.tables.COLUMNS`); with more than one model the
first column names each row's model. Failed techniques are left out; tables hold
plain text and numbers, and whoever renders them escapes and formats.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from imbal_core import evaluate, models
from imbal_core.errors import CANCELLED
from imbal_core.results import (
    Techniques,
    alerts_per_thousand,
    label,
    metric_ci,
    model_of,
    ok,
)
from imbal_core.tables._columns import BY_LABEL, HIGHER, labelled
from imbal_core.tables._columns import label as column_label

if TYPE_CHECKING:
    from imbal_core.results import Comparison

METRICS = ("precision", "recall", "f1", "pr_auc", "roc_auc", "mcc", "brier", "cost")
"""The metrics of the metrics table, in order (accuracy is added last)."""
HEADLINE = (
    "threshold",
    "recall",
    "precision",
    "alerts_per_1000",
    "cost",
    "pr_auc",
    "pr_auc_interval",
)
"""The headline table's columns, in order."""


def _frame(
    rows: Mapping[str, Mapping[str, Any]],
    keys: list[str],
    index: str = "technique",
    of: Mapping[str, str] | None = None,
):
    """Rows by key, labelled: the one place a table gets its column labels. ``of``
    maps each row to its model's name: a Model column when there are several."""
    frame = pd.DataFrame.from_dict(dict(rows), orient="index", columns=keys)
    frame.index.name = index
    if of and len(set(of.values())) > 1:
        frame.insert(
            0, "model", [models.label(of.get(str(r), "")) for r in frame.index]
        )
    return labelled(frame)


def _models(techniques: Techniques) -> dict[str, str]:
    """Each row label's model (the rows are the techniques' labels)."""
    return {label(n, s): model_of(s) for n, s in techniques.items()}


def headline_table(techniques: Techniques) -> pd.DataFrame:
    """What a stakeholder reads first: each technique's threshold (chosen on
    validation) and its test recall, precision, workload, cost and PR-AUC."""
    rows = {}
    for name, s in ok(techniques).items():
        _, low, high = metric_ci(s, "pr_auc")
        rows[label(name, s)] = {
            "threshold": float(s["threshold"]),
            "recall": float(s["recall"]),
            "precision": float(s["precision"]),
            "alerts_per_1000": alerts_per_thousand(s),
            "cost": round(float(s["cost"])),
            "pr_auc": float(s["pr_auc"]),
            "pr_auc_interval": f"{low:.3f} to {high:.3f}",
        }
    return _frame(rows, list(HEADLINE), of=_models(techniques))


def metrics_table(techniques: Techniques) -> pd.DataFrame:
    """Every metric at the operating point (the best of each column is marked by
    whoever renders it, see :func:`best_per_column`); accuracy is the last column
    on purpose. (Each technique's threshold and alerts
    are in the headline table.)"""
    rows = {}
    for name, s in ok(techniques).items():
        row = {m: float(s[m]) for m in (*METRICS, "accuracy")}
        row["cost"] = round(row["cost"])
        rows[label(name, s)] = row
    return _frame(rows, [*METRICS, "accuracy"], of=_models(techniques))


def best_per_column(table: pd.DataFrame) -> dict[str, str]:
    """Row label of the best value in each column that has a better direction: a
    description of the test split, not a recommendation (that is made on
    validation)."""
    best = {}
    for label_, values in table.items():
        spec = BY_LABEL.get(str(label_))
        if spec is None or spec.better is None or values.isna().all():
            continue
        best[str(label_)] = (
            values.idxmax() if spec.better == HIGHER else values.idxmin()
        )
    return best


def metrics_ci_table(techniques: Techniques) -> pd.DataFrame:
    """Mean and 95 % interval, "mean (low to high)" as text, per technique and metric.

    Intervals stay inside each metric's range, so they need not be symmetric. With
    several seeds every metric has one, over seeds; with one seed only PR-AUC, a
    bootstrap over test rows. The "Interval" column says which.
    """
    rows = {}
    for name, s in ok(techniques).items():
        seeds = len(s.get("seeds") or [])
        if seeds < 2 and not s.get("pr_auc_ci_kind"):
            continue
        row: dict[str, Any] = {}
        for metric in (*METRICS, "accuracy") if seeds > 1 else ("pr_auc",):
            mean, low, high = metric_ci(s, metric)
            digits = 0 if metric == "cost" else 3
            row[metric] = (
                f"{mean:,.{digits}f} ({low:,.{digits}f} to {high:,.{digits}f})"
            )
        folds = len(s.get("folds") or [])
        row["seeds"] = seeds // folds if folds else seeds  # per fold
        row["interval"] = (
            evaluate.seed_intervals_kind(folds, folds=True)
            if folds > 1
            else evaluate.seed_intervals_kind(seeds)
            if seeds > 1
            else str(s["pr_auc_ci_kind"])
        )
        rows[label(name, s)] = row
    keys = list(dict.fromkeys(k for row in rows.values() for k in row))
    return _frame(rows, keys, of=_models(techniques))


def suggested_thresholds_table(techniques: Techniques) -> pd.DataFrame:
    """Per technique: the threshold chosen on validation and the one the figures use."""
    rows = {
        label(n, s): {
            "suggested_threshold": float(s["suggested_threshold"]),
            "threshold": float(s["threshold"]),
        }
        for n, s in ok(techniques).items()
    }
    return _frame(rows, ["suggested_threshold", "threshold"], of=_models(techniques))


def training_table(techniques: Techniques) -> pd.DataFrame:
    """How each technique trained: the threshold it would pick on validation, its
    fit time and epochs (means over seeds)."""
    keys = ["suggested_threshold", "fit_seconds", "epochs_run", "best_epoch"]
    rows = {label(n, s): {k: s.get(k) for k in keys} for n, s in ok(techniques).items()}
    table = _frame(rows, keys, of=_models(techniques))
    return table.astype({column_label(k): float for k in keys})


def class_counts_table(
    dataset: Mapping[str, Any], techniques: Techniques | None = None
) -> pd.DataFrame:
    """Negatives, positives and the positive share of every split and, given the
    techniques, of each one's (resampled) training set."""
    rows = {}
    for split, counts in (dataset.get("class_counts") or {}).items():
        rows[split] = counts
    for name, s in ok(techniques or {}).items():
        if s.get("train_class_counts"):
            rows[f"train after {label(name, s)}"] = s["train_class_counts"]
    table = pd.DataFrame(
        [
            {
                "negative": int(c.get("negative", 0)),
                "positive": int(c.get("positive", 0)),
            }
            for c in rows.values()
        ],
        index=pd.Index(list(rows), name="set"),
        columns=["negative", "positive"],
    )
    total = (table["negative"] + table["positive"]).replace(0, 1)
    table["positive_share"] = 100 * table["positive"] / total
    return labelled(table)


def workload_table(comparison: Comparison, done: Techniques, k: int) -> pd.DataFrame:
    """Alerts at the operating point, and what the k highest-scored cases hold."""
    rows = {}
    for name, summary in done.items():
        runs = comparison.ok_runs(name)
        top = float(
            np.mean(
                [evaluate.precision_at_top(r.y_test, r.proba_test, k) for r in runs]
            )
        )
        (tn, fp), (fn, tp) = summary["confusion_matrix"]
        rows[label(name, summary)] = {
            "alerts_per_1000": alerts_per_thousand(summary),
            "alerts": fp + tp,
            "top_k_precision": top,
            "top_k_positives": round(top * min(k, len(runs[0].y_test))),
        }
    return _frame(
        rows,
        ["alerts_per_1000", "alerts", "top_k_precision", "top_k_positives"],
        of=_models(done),
    )


def runs_table(comparison: Comparison) -> pd.DataFrame:
    """One row per technique or variant: status, seeds, fit time, epochs, test PR-AUC."""
    rows, of = {}, {}
    unit = "runs" if len(comparison.splits) > 1 else "seeds"  # folds x seeds
    for name, runs in comparison.runs.items():
        done = comparison.ok_runs(name)
        cancelled = sum(r.error == CANCELLED for r in runs)
        failed = len(runs) - len(done) - cancelled
        if done:
            status = "ok"
            if failed:
                status += f" · {failed} of {len(runs)} {unit} failed"
            if cancelled:
                status += f" · {cancelled} of {len(runs)} {unit} cancelled"
            unlearned = sum(1 for r in done if r.warnings)
            if unlearned:  # shown, but flagged: "did not learn: try more epochs…"
                status += f" · did not learn ({unlearned} of {len(done)} {unit})"
        elif cancelled == len(runs):
            status = "cancelled"
        else:
            status = f"failed: {comparison.error(name)}"
        of[label(name)] = runs[0].model
        rows[label(name)] = {
            "status": status,
            "seeds": len(runs),
            "fit_seconds": _mean([r.fit_seconds for r in done]),
            "epochs_run": _mean([r.epochs_run for r in done]),
            "best_epoch": _mean([r.best_epoch for r in done]),
            "pr_auc": _mean([r.threshold_free["pr_auc"] for r in done]),
        }
    return _frame(
        rows,
        ["status", "seeds", "fit_seconds", "epochs_run", "best_epoch", "pr_auc"],
        of=of,
    )


def _mean(values: list[float | None]) -> float:
    known = [float(v) for v in values if v is not None]
    return float(np.mean(known)) if known else float("nan")


def history_table(entries: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The run store's History (``store.history.entries()``), newest first."""
    rows = {
        entry["id"]: {
            "when": time.strftime("%Y-%m-%d %H:%M", time.localtime(entry["created"])),
            "source": entry["source"],
            "fingerprint": str(entry["fingerprint"])[:12],
            "columns": ", ".join(entry["techniques"]),
            "models": ", ".join(models.label(m) for m in entry["models"]),
            "seeds": entry["seeds"],
            "best": entry["best"] or "nothing trained",
            "megabytes": entry["bytes"] / 2**20,
        }
        for entry in entries
    }
    keys = ["when", "source", "fingerprint", "columns", "models", "seeds", "best"]
    return _frame(rows, [*keys, "megabytes"], index="comparison")
