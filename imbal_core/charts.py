"""Metrics → plotly figures and tables, shared by the Compare page and the HTML report.

Every function takes the plain-data ``techniques`` mapping of a results dict
(``results_json(...)["techniques"]``, or ``{name: technique_summary(...)}``): name →
summary with ``status``, metrics, ``confusion_matrix``, ``seeds`` and ``curves``.
Failed techniques (``status != "ok"``) are skipped by every figure; list them with
:func:`failed`. The figures draw what the summaries say; ``threshold`` is only used
for titles and markers (``None`` = each technique's own ``summary["threshold"]``,
which is what ``results_json(threshold=None)`` produces).

Names and labels are escaped before they reach plotly, so a hostile technique or
column name is shown as text, never interpreted as markup.

Public API
----------
display_name(name: str) -> str
    A technique's human label (the registry's ``label``, else the name itself).
technique_colors(names: Iterable[str]) -> dict[str, str]
    One stable colour per technique, shared by every figure.
ok(techniques: Mapping[str, dict]) -> dict[str, dict]
    Only the techniques that finished.
failed(techniques: Mapping[str, dict]) -> dict[str, str]
    name → error message of each failed technique.
n_seeds(techniques: Mapping[str, dict]) -> int
    Largest number of successful seeds of any technique.
metric_ci(summary: dict, metric: str) -> tuple[float, float, float]
    (mean, low, high) of a metric over the summary's seeds (Student-t 95 % CI).
alerts_per_thousand(summary: dict) -> float
    Rows flagged positive per 1,000 test rows, from the confusion matrix.

confusion_matrices(techniques, threshold=None) -> go.Figure
    One heatmap per technique, coloured by row rate on ONE shared colour axis
    (``layout.coloraxis``, 0-1), counts and row rates as text.
metric_bars(techniques, threshold=None, metrics=("precision", "recall", "f1")) -> go.Figure
    Grouped bars, one trace per metric; 95 % CI error bars only with several seeds.
pr_curves(techniques, threshold=None) -> go.Figure
    PR curve per technique (first seed) + a marker trace per technique at the
    threshold's (recall, precision) + the no-skill line (prevalence).
roc_curves(techniques, threshold=None) -> go.Figure
    ROC curve per technique + a marker at the threshold's (FPR, TPR) + the diagonal.
reliability_curves(techniques, threshold=None) -> go.Figure
    Reliability (calibration) curve per technique with its Brier score, + diagonal.
cost_bars(techniques, threshold=None) -> go.Figure
    Total test cost per technique at the threshold (CI error bars with several seeds).
cost_curves(techniques, threshold=None) -> go.Figure
    Cost against threshold per technique, its minimum marked, the threshold as a line.
class_counts_figure(dataset: dict, techniques) -> go.Figure
    Negatives/positives of train, validation, test and each technique's resampled
    training set (log axis so the minority stays visible).

metrics_table(techniques) -> pandas.DataFrame
    Rows = technique labels; columns precision, recall, F1, PR-AUC, ROC-AUC, MCC,
    Brier, cost, alerts/1k, threshold, accuracy (accuracy last: never the headline).
metrics_ci_table(techniques) -> pandas.DataFrame
    The same metrics as "mean ± half-width" strings (95 % CI over seeds).
best_per_column(table: DataFrame) -> dict[str, str]
    column → row label of the best value (lower is better for Brier and cost).
LOWER_IS_BETTER: frozenset[str]
    Table columns where smaller is better.
classification_report_table(summary: dict) -> pandas.DataFrame
    The seed's classification report: both classes, accuracy, macro and weighted avg.
class_counts_table(dataset: dict, techniques) -> pandas.DataFrame
    Rows train/validation/test/"train after <technique>"; negative, positive, share.
suggested_thresholds_table(techniques) -> pandas.DataFrame
    Per technique the threshold chosen on validation, and the one in use.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from imbal_core import evaluate

Techniques = Mapping[str, dict[str, Any]]

PALETTE = (
    "#636efa", "#ef553b", "#00cc96", "#ab63fa", "#ffa15a",
    "#19d3f3", "#ff6692", "#b6e880", "#ff97ff", "#fecb52",
)
COLORSCALE = "Blues"
TEMPLATE = "plotly_white"
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
TABLE_METRICS = ("precision", "recall", "f1", "pr_auc", "roc_auc", "mcc", "brier", "cost")
LOWER_IS_BETTER = frozenset({"Brier", "Cost", "Alerts per 1k"})


# -------------------------------------------------------------------- helpers
def _plain(text: Any) -> str:
    """Escape text for plotly, whose labels understand a subset of HTML."""
    return html.escape(str(text), quote=False)


def display_name(name: str) -> str:
    """The registry's label for a technique, or the name itself when unknown."""
    from imbal_core.techniques import REGISTRY  # lazy: keeps charts importable cheaply

    cls = REGISTRY.get(name)
    return cls.label if cls is not None else str(name)


def technique_colors(names: Iterable[str]) -> dict[str, str]:
    """A stable colour per technique: registry order first, so colours match across pages."""
    from imbal_core.techniques import REGISTRY

    order = list(REGISTRY)
    colors = {}
    extra = len(order)
    for name in names:
        if name in order:
            index = order.index(name)
        else:
            index, extra = extra, extra + 1
        colors[name] = PALETTE[index % len(PALETTE)]
    return colors


def ok(techniques: Techniques) -> dict[str, dict[str, Any]]:
    return {n: s for n, s in techniques.items() if s.get("status") == "ok"}


def failed(techniques: Techniques) -> dict[str, str]:
    return {n: str(s.get("error") or "failed") for n, s in techniques.items() if s.get("status") != "ok"}


def n_seeds(techniques: Techniques) -> int:
    return max((len(s.get("seeds") or []) for s in ok(techniques).values()), default=0)


def metric_ci(summary: dict[str, Any], metric: str) -> tuple[float, float, float]:
    """Mean and 95 % CI of ``metric`` over the summary's seeds."""
    values = [s[metric] for s in summary.get("seeds") or [] if metric in s]
    if not values:
        value = float(summary[metric])
        return value, value, value
    mean, (low, high) = evaluate.mean_ci95(values)
    return mean, low, high


def alerts_per_thousand(summary: dict[str, Any]) -> float:
    (tn, fp), (fn, tp) = summary["confusion_matrix"]
    total = tn + fp + fn + tp
    return 1000.0 * (fp + tp) / total if total else 0.0


def _threshold_of(summary: dict[str, Any], threshold: float | None) -> float:
    return float(summary["threshold"] if threshold is None else threshold)


def _first_seed(summary: dict[str, Any]) -> dict[str, Any]:
    """The first seed's metrics: the seed whose curves and confusion matrix are stored."""
    seeds = summary.get("seeds") or []
    return seeds[0] if seeds else summary


def _empty(title: str, message: str = "No technique finished, so there is nothing to draw.") -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_layout(title=title, template=TEMPLATE, xaxis_visible=False, yaxis_visible=False)
    return fig


def _legend_bottom(fig: go.Figure) -> None:
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0})


# -------------------------------------------------------------------- figures
def confusion_matrices(techniques: Techniques, threshold: float | None = None) -> go.Figure:
    """Side-by-side confusion matrices, one shared colour scale (row rates, 0-1)."""
    done = ok(techniques)
    if not done:
        return _empty("Confusion matrices")
    columns = min(4, len(done))
    rows = math.ceil(len(done) / columns)
    titles = [
        f"{_plain(display_name(n))} (t = {_threshold_of(s, threshold):.2f})" for n, s in done.items()
    ]
    fig = make_subplots(
        rows=rows, cols=columns, subplot_titles=titles,
        horizontal_spacing=0.06, vertical_spacing=0.22 / max(rows, 1) + 0.08,
    )
    x = ["predicted negative", "predicted positive"]
    y = ["actual negative", "actual positive"]
    names = (("TN", "FP"), ("FN", "TP"))
    for i, (name, summary) in enumerate(done.items()):
        counts = np.asarray(summary["confusion_matrix"], dtype=np.int64)
        totals = counts.sum(axis=1, keepdims=True)
        rates = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
        text = [
            [f"{names[r][c]} {counts[r, c]:,}<br>{rates[r, c]:.1%}" for c in range(2)] for r in range(2)
        ]
        fig.add_trace(
            go.Heatmap(
                z=rates, x=x, y=y, text=text, texttemplate="%{text}", coloraxis="coloraxis",
                name=_plain(display_name(name)),
                hovertemplate="%{y}, %{x}<br>%{text}<extra>%{fullData.name}</extra>",
            ),
            row=i // columns + 1, col=i % columns + 1,
        )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(
        template=TEMPLATE,
        title="Confusion matrices on the test split (colour = share of the actual class)",
        coloraxis={"colorscale": COLORSCALE, "cmin": 0.0, "cmax": 1.0,
                   "colorbar": {"title": {"text": "row rate"}, "tickformat": ".0%"}},
        height=260 * rows + 120,
        margin={"t": 90},
    )
    return fig


def metric_bars(
    techniques: Techniques,
    threshold: float | None = None,
    metrics: Iterable[str] = ("precision", "recall", "f1"),
) -> go.Figure:
    """Grouped bars of positive-class metrics; 95 % CI error bars when there are several seeds."""
    done = ok(techniques)
    if not done:
        return _empty("Precision, recall and F1")
    labels = [_plain(display_name(n)) for n in done]
    fig = go.Figure()
    for metric in metrics:
        stats = [metric_ci(s, metric) for s in done.values()]
        means = [m for m, _, _ in stats]
        error = None
        if n_seeds(done) > 1:
            error = {
                "type": "data", "symmetric": False,
                "array": [h - m for m, _, h in stats], "arrayminus": [m - lo for m, lo, _ in stats],
            }
        fig.add_trace(go.Bar(
            x=labels, y=means, name=METRIC_LABELS.get(metric, _plain(metric)), error_y=error,
            text=[f"{m:.2f}" for m in means], textposition="outside",
        ))
    suffix = "" if threshold is None else f" at threshold {threshold:.2f}"
    seeds = n_seeds(done)
    fig.update_layout(
        template=TEMPLATE, barmode="group",
        title=f"Positive class: precision, recall, F1{suffix}"
        + (f" (mean of {seeds} seeds, 95 % CI)" if seeds > 1 else ""),
        yaxis={"range": [0, 1.1], "title": "score"},
    )
    return fig


def _marker_trace(name: str, x: float, y: float, color: str, threshold: float, hover: str) -> go.Scatter:
    return go.Scatter(
        x=[x], y=[y], mode="markers", name=f"{_plain(display_name(name))} @ {threshold:.2f}",
        marker={"size": 12, "color": color, "symbol": "circle", "line": {"width": 2, "color": "black"}},
        showlegend=False, hovertemplate=hover + "<extra>%{fullData.name}</extra>",
    )


def pr_curves(techniques: Techniques, threshold: float | None = None) -> go.Figure:
    """Precision-recall curves overlaid, each with the threshold's operating point."""
    done = ok(techniques)
    if not done:
        return _empty("Precision-recall curves")
    colors = technique_colors(done)
    fig = go.Figure()
    prevalence = None
    for name, summary in done.items():
        pr = summary["curves"]["pr"]
        label = _plain(display_name(name))
        fig.add_trace(go.Scatter(
            x=pr["recall"], y=pr["precision"], mode="lines", line={"color": colors[name]},
            name=f"{label} (PR-AUC {summary['pr_auc']:.3f})", legendgroup=name,
            hovertemplate="recall %{x:.3f}<br>precision %{y:.3f}<extra>" + label + "</extra>",
        ))
        first = _first_seed(summary)
        fig.add_trace(_marker_trace(
            name, first["recall"], first["precision"], colors[name], _threshold_of(first, threshold),
            "recall %{x:.3f}<br>precision %{y:.3f}",
        ))
        (tn, fp), (fn, tp) = summary["confusion_matrix"]
        prevalence = (fn + tp) / max(tn + fp + fn + tp, 1)
    if prevalence is not None:
        fig.add_trace(go.Scatter(
            x=[0, 1], y=[prevalence, prevalence], mode="lines", name="no skill (share of positives)",
            line={"dash": "dot", "color": "grey"}, hoverinfo="skip",
        ))
    fig.update_layout(
        template=TEMPLATE, title="Precision-recall curves (dot = current threshold)",
        xaxis={"title": "recall", "range": [0, 1.02]}, yaxis={"title": "precision", "range": [0, 1.05]},
    )
    _legend_bottom(fig)
    return fig


def roc_curves(techniques: Techniques, threshold: float | None = None) -> go.Figure:
    """ROC curves overlaid, each with the threshold's operating point."""
    done = ok(techniques)
    if not done:
        return _empty("ROC curves")
    colors = technique_colors(done)
    fig = go.Figure()
    for name, summary in done.items():
        roc = summary["curves"]["roc"]
        label = _plain(display_name(name))
        fig.add_trace(go.Scatter(
            x=roc["fpr"], y=roc["tpr"], mode="lines", line={"color": colors[name]},
            name=f"{label} (ROC-AUC {summary['roc_auc']:.3f})", legendgroup=name,
            hovertemplate="false positive rate %{x:.4f}<br>recall %{y:.3f}<extra>" + label + "</extra>",
        ))
        first = _first_seed(summary)
        (tn, fp), (fn, tp) = first["confusion_matrix"]
        fpr = fp / (fp + tn) if fp + tn else 0.0
        tpr = tp / (tp + fn) if tp + fn else 0.0
        fig.add_trace(_marker_trace(
            name, fpr, tpr, colors[name], _threshold_of(first, threshold),
            "false positive rate %{x:.4f}<br>recall %{y:.3f}",
        ))
    fig.add_trace(go.Scatter(
        x=[0, 1], y=[0, 1], mode="lines", name="chance", line={"dash": "dot", "color": "grey"},
        hoverinfo="skip",
    ))
    fig.update_layout(
        template=TEMPLATE, title="ROC curves (dot = current threshold)",
        xaxis={"title": "false positive rate", "range": [0, 1]},
        yaxis={"title": "true positive rate (recall)", "range": [0, 1.02]},
    )
    _legend_bottom(fig)
    return fig


def reliability_curves(techniques: Techniques, threshold: float | None = None) -> go.Figure:
    """Predicted probability against the observed positive rate; the diagonal is perfect."""
    done = ok(techniques)
    if not done:
        return _empty("Calibration")
    colors = technique_colors(done)
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=[0, 1], y=[0, 1], mode="lines", name="perfectly calibrated",
        line={"dash": "dot", "color": "grey"}, hoverinfo="skip",
    ))
    for name, summary in done.items():
        rel = summary["curves"]["reliability"]
        label = _plain(display_name(name))
        fig.add_trace(go.Scatter(
            x=rel["predicted"], y=rel["observed"], mode="lines+markers", line={"color": colors[name]},
            name=f"{label} (Brier {summary['brier']:.4f})", customdata=rel["count"],
            hovertemplate="predicted %{x:.3f}<br>observed %{y:.3f}<br>%{customdata:,} rows"
            "<extra>" + label + "</extra>",
        ))
    fig.update_layout(
        template=TEMPLATE, title="Calibration: predicted probability vs observed share of positives",
        xaxis={"title": "mean predicted probability (bin)", "range": [0, 1]},
        yaxis={"title": "observed share of positives", "range": [0, 1.02]},
    )
    _legend_bottom(fig)
    return fig


def cost_bars(techniques: Techniques, threshold: float | None = None) -> go.Figure:
    """Total test cost per technique at the threshold (missed positives + reviewed alerts)."""
    done = ok(techniques)
    if not done:
        return _empty("Total cost")
    colors = technique_colors(done)
    stats = [metric_ci(s, "cost") for s in done.values()]
    error = None
    if n_seeds(done) > 1:
        error = {"type": "data", "symmetric": False,
                 "array": [h - m for m, _, h in stats], "arrayminus": [m - lo for m, lo, _ in stats]}
    fig = go.Figure(go.Bar(
        x=[_plain(display_name(n)) for n in done], y=[m for m, _, _ in stats], error_y=error,
        marker_color=[colors[n] for n in done], text=[f"{m:,.0f}" for m, _, _ in stats],
        textposition="outside", name="cost",
    ))
    suffix = "" if threshold is None else f" at threshold {threshold:.2f}"
    fig.update_layout(template=TEMPLATE, title=f"Total cost on the test split{suffix}",
                      yaxis={"title": "cost"}, showlegend=False)
    return fig


def cost_curves(techniques: Techniques, threshold: float | None = None) -> go.Figure:
    """Cost against threshold per technique (first seed), the minimum of each marked."""
    done = ok(techniques)
    if not done:
        return _empty("Cost against threshold")
    colors = technique_colors(done)
    fig = go.Figure()
    for name, summary in done.items():
        sweep = summary["curves"]["sweep"]
        grid, cost = np.asarray(sweep["thresholds"]), np.asarray(sweep["cost"])
        label = _plain(display_name(name))
        fig.add_trace(go.Scatter(
            x=grid, y=cost, mode="lines", line={"color": colors[name]}, name=label, legendgroup=name,
            hovertemplate="threshold %{x:.2f}<br>cost %{y:,.0f}<extra>" + label + "</extra>",
        ))
        best = int(np.argmin(cost))
        fig.add_trace(go.Scatter(
            x=[grid[best]], y=[cost[best]], mode="markers", name=f"{label} minimum", legendgroup=name,
            marker={"symbol": "star", "size": 14, "color": colors[name], "line": {"width": 1, "color": "black"}},
            showlegend=False,
            hovertemplate="lowest cost %{y:,.0f}<br>at threshold %{x:.2f}<extra>" + label + "</extra>",
        ))
    if threshold is not None:
        fig.add_vline(x=threshold, line_dash="dash", line_color="black",
                      annotation_text=f"current {threshold:.2f}", annotation_position="top")
    fig.update_layout(
        template=TEMPLATE, title="Cost against threshold on the test split (star = lowest)",
        xaxis={"title": "decision threshold", "range": [0, 1]}, yaxis={"title": "total cost"},
    )
    _legend_bottom(fig)
    return fig


def class_counts_figure(dataset: dict[str, Any], techniques: Techniques) -> go.Figure:
    """Class counts of each split and of every technique's resampled training set."""
    table = class_counts_table(dataset, techniques)
    fig = go.Figure()
    for column, color in (("negative", "#9db4d4"), ("positive", "#d62728")):
        fig.add_trace(go.Bar(
            x=[_plain(i) for i in table.index], y=table[column], name=column, marker_color=color,
            text=[f"{v:,}" for v in table[column]], textposition="outside",
        ))
    fig.update_layout(
        template=TEMPLATE, barmode="group", title="Class counts (log scale)",
        yaxis={"type": "log", "title": "rows"}, xaxis={"tickangle": -30},
    )
    return fig


# --------------------------------------------------------------------- tables
def metrics_table(techniques: Techniques) -> pd.DataFrame:
    """One row per finished technique; accuracy is the last column on purpose."""
    rows = {}
    for name, s in ok(techniques).items():
        row = {METRIC_LABELS[m]: float(s[m]) for m in TABLE_METRICS}
        row["Alerts per 1k"] = alerts_per_thousand(s)
        row["Threshold"] = float(s["threshold"])
        row["Accuracy"] = float(s["accuracy"])
        rows[display_name(name)] = row
    columns = [*(METRIC_LABELS[m] for m in TABLE_METRICS), "Alerts per 1k", "Threshold", "Accuracy"]
    table = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    table.index.name = "Technique"
    return table


def metrics_ci_table(techniques: Techniques) -> pd.DataFrame:
    """Mean ± 95 % CI half-width over seeds, as text, per technique and metric."""
    rows = {}
    for name, s in ok(techniques).items():
        row = {}
        for metric in (*TABLE_METRICS, "accuracy"):
            mean, low, high = metric_ci(s, metric)
            digits = 0 if metric == "cost" else 3
            row[METRIC_LABELS[metric]] = f"{mean:,.{digits}f} ± {(high - low) / 2:,.{digits}f}"
        row["Seeds"] = len(s.get("seeds") or [])
        rows[display_name(name)] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "Technique"
    return table


def best_per_column(table: pd.DataFrame) -> dict[str, str]:
    """Row label of the best value in each numeric column (Threshold has no 'best')."""
    best = {}
    for column in table.columns:
        if column == "Threshold" or not pd.api.types.is_numeric_dtype(table[column]) or table[column].isna().all():
            continue
        best[column] = table[column].idxmin() if column in LOWER_IS_BETTER else table[column].idxmax()
    return best


def classification_report_table(summary: dict[str, Any]) -> pd.DataFrame:
    """The first seed's classification report, rows in the seed notebook's order."""
    report = summary["classification_report"]
    rows = {
        "negative (0)": report["0"],
        "positive (1)": report["1"],
        "macro avg": report["macro avg"],
        "weighted avg": report["weighted avg"],
    }
    table = pd.DataFrame.from_dict(rows, orient="index")[["precision", "recall", "f1-score", "support"]]
    total = int(report["macro avg"]["support"])
    accuracy = pd.DataFrame({"precision": [np.nan], "recall": [np.nan],
                             "f1-score": [float(report["accuracy"])], "support": [total]},
                            index=["accuracy"])
    table = pd.concat([table.iloc[:2], accuracy, table.iloc[2:]])
    table["support"] = table["support"].astype(int)
    return table


def class_counts_table(dataset: dict[str, Any], techniques: Techniques) -> pd.DataFrame:
    """Negatives, positives and the positive share per split and resampled training set."""
    rows = {}
    for split, counts in (dataset.get("class_counts") or {}).items():
        rows[split] = counts
    for name, s in ok(techniques).items():
        if s.get("train_class_counts"):
            rows[f"train after {display_name(name)}"] = s["train_class_counts"]
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["negative", "positive"]).fillna(0).astype(int)
    total = (table["negative"] + table["positive"]).replace(0, 1)
    table["positive share"] = table["positive"] / total
    table.index.name = "Set"
    return table


def suggested_thresholds_table(techniques: Techniques) -> pd.DataFrame:
    """Per technique: the threshold chosen on validation and the one the figures use."""
    rows = {
        display_name(n): {"Suggested (validation)": float(s["suggested_threshold"]), "In use": float(s["threshold"])}
        for n, s in ok(techniques).items()
    }
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["Suggested (validation)", "In use"])
    table.index.name = "Technique"
    return table
