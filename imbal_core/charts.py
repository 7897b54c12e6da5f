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
classification_report_text(summary: dict) -> str
    The same report as sklearn-style monospace text (what the seed notebook printed).
best_marks(table: DataFrame) -> pandas.Series
    Per row, "★ " + the columns where it is best (for a "Best at" column).
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

from imbal_core import evaluate

Techniques = Mapping[str, dict[str, Any]]

PALETTE = (
    "#636efa",
    "#ef553b",
    "#00cc96",
    "#ab63fa",
    "#ffa15a",
    "#19d3f3",
    "#ff6692",
    "#b6e880",
    "#ff97ff",
    "#fecb52",
)
# White (0 %) to dark blue (100 %). Plotly's named "Blues" runs the other way round.
COLORSCALE = [[0.0, "#f7fbff"], [0.5, "#6baed6"], [1.0, "#08306b"]]
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
    return {
        n: str(s.get("error") or "failed")
        for n, s in techniques.items()
        if s.get("status") != "ok"
    }


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


GRID = "#e8e8e8"
AXIS = {"gridcolor": GRID, "zerolinecolor": "#cccccc", "automargin": True}
LEGEND_BELOW = {"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0}


def _axis(title: str | None = None, **extra: Any) -> dict[str, Any]:
    axis = dict(AXIS, **extra)
    if title is not None:
        axis["title"] = {"text": title}
    return axis


def _figure(data: list[dict[str, Any]], title: str, **layout: Any) -> go.Figure:
    """Build a figure in one go from plain dicts.

    Plotly validates a figure built from dicts once; adding traces and updating the
    layout step by step (or applying a named template) re-validates and deep-copies,
    which costs more than everything else on a slider move.
    """
    base = {
        "title": {"text": title},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "font": {"size": 12},
        "margin": {"t": 70, "l": 60, "r": 30, "b": 60},
        "xaxis": _axis(),
        "yaxis": _axis(),
    }
    for key, value in layout.items():
        base[key] = (
            {**base[key], **value}
            if isinstance(base.get(key), dict) and isinstance(value, dict)
            else value
        )
    # Every property here is written by this module and checked once by the tests
    # (tests/test_charts.py rebuilds each figure with validation), so skipping
    # plotly's per-call validation is safe and halves the cost of a slider move.
    return go.Figure(data=data, layout=base, _validate=False)


def _empty(
    title: str, message: str = "No technique finished, so there is nothing to draw."
) -> go.Figure:
    return _figure(
        [],
        title,
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[
            {
                "text": message,
                "showarrow": False,
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
            }
        ],
    )


def _error_bars(
    stats: list[tuple[float, float, float]], several: bool
) -> dict[str, Any] | None:
    if not several:
        return None
    return {
        "type": "data",
        "symmetric": False,
        "array": [high - mean for mean, _, high in stats],
        "arrayminus": [mean - low for mean, low, _ in stats],
        "visible": True,
    }


def _marker(
    name: str, x: float, y: float, color: str, threshold: float, hover: str
) -> dict[str, Any]:
    """The operating point at the threshold: one single-point trace per technique."""
    return {
        "type": "scatter",
        "x": [x],
        "y": [y],
        "mode": "markers",
        "name": f"{_plain(display_name(name))} @ {threshold:.2f}",
        "legendgroup": name,
        "showlegend": False,
        "marker": {"size": 12, "color": color, "line": {"width": 2, "color": "black"}},
        "hovertemplate": hover + "<extra>%{fullData.name}</extra>",
    }


def _diagonal(name: str, x: list[float], y: list[float]) -> dict[str, Any]:
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "lines",
        "name": name,
        "line": {"dash": "dot", "color": "grey"},
        "hoverinfo": "skip",
    }


def _array(values: Any) -> np.ndarray:
    """Curves as float arrays: plotly validates arrays in one step, lists element by element."""
    return np.asarray(values, dtype=np.float64)


def _domain(low: float, high: float) -> list[float]:
    """A subplot's share of the paper, clamped: float sums drift just outside [0, 1]."""
    return [round(min(max(low, 0.0), 1.0), 6), round(min(max(high, 0.0), 1.0), 6)]


# -------------------------------------------------------------------- figures
def confusion_matrices(
    techniques: Techniques, threshold: float | None = None
) -> go.Figure:
    """Side-by-side confusion matrices on ONE colour axis coloured by row rate (0-1).

    Colouring by the share of the actual class keeps the rare positive row readable
    next to tens of thousands of negatives; the counts are in the text.
    """
    done = ok(techniques)
    if not done:
        return _empty("Confusion matrices")
    columns = min(4, len(done))
    rows = math.ceil(len(done) / columns)
    # Gaps in pixels, turned into paper fractions: room for tick labels and the next title.
    height_px = 260 * rows + 160
    plot_px = height_px - 100 - 60  # minus the top and bottom margins
    h_gap, v_gap = 0.07, 80 / plot_px
    width = (1 - h_gap * (columns - 1)) / columns
    height = (1 - v_gap * (rows - 1)) / rows
    x_labels = ["predicted negative", "predicted positive"]
    y_labels = ["actual negative", "actual positive"]
    cells = (("TN", "FP"), ("FN", "TP"))
    data, layout, annotations = [], {}, []
    for i, (name, summary) in enumerate(done.items()):
        row, col = divmod(i, columns)
        suffix = "" if i == 0 else str(i + 1)
        x0 = col * (width + h_gap)
        y1 = 1 - row * (height + v_gap)
        counts = np.asarray(summary["confusion_matrix"], dtype=np.int64)
        totals = counts.sum(axis=1, keepdims=True)
        rates = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
        text = [
            [f"{cells[r][c]} {counts[r, c]:,}<br>{rates[r, c]:.1%}" for c in range(2)]
            for r in range(2)
        ]
        label = _plain(display_name(name))
        data.append(
            {
                "type": "heatmap",
                "z": rates.round(4).tolist(),
                "x": x_labels,
                "y": y_labels,
                "text": text,
                "texttemplate": "%{text}",
                "coloraxis": "coloraxis",
                "name": label,
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
                "hovertemplate": "%{y}, %{x}<br>%{text}<extra>" + label + "</extra>",
            }
        )
        layout[f"xaxis{suffix}"] = {
            "domain": _domain(x0, x0 + width),
            "anchor": f"y{suffix}",
            "tickfont": {"size": 10},
        }
        layout[f"yaxis{suffix}"] = {
            "domain": _domain(y1 - height, y1),
            "anchor": f"x{suffix}",
            "autorange": "reversed",
            "showticklabels": col == 0,
            "tickfont": {"size": 10},
        }
        annotations.append(
            {
                "text": f"{label} (t = {_threshold_of(summary, threshold):.2f})",
                "x": x0 + width / 2,
                "y": y1,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 13},
            }
        )
    return _figure(
        data,
        "Confusion matrices on the test split (colour = share of the actual class)",
        coloraxis={
            "colorscale": COLORSCALE,
            "cmin": 0.0,
            "cmax": 1.0,
            "colorbar": {"title": {"text": "row rate"}, "tickformat": ".0%"},
        },
        annotations=annotations,
        height=height_px,
        margin={"t": 100, "b": 60},
        **layout,
    )


def metric_bars(
    techniques: Techniques,
    threshold: float | None = None,
    metrics: Iterable[str] = ("precision", "recall", "f1"),
) -> go.Figure:
    """Grouped bars of positive-class metrics; 95 % CI error bars only with several seeds."""
    done = ok(techniques)
    if not done:
        return _empty("Precision, recall and F1")
    labels = [_plain(display_name(n)) for n in done]
    several = n_seeds(done) > 1
    data = []
    for metric in metrics:
        stats = [metric_ci(s, metric) for s in done.values()]
        means = [mean for mean, _, _ in stats]
        data.append(
            {
                "type": "bar",
                "x": labels,
                "y": means,
                "name": METRIC_LABELS.get(metric, _plain(metric)),
                "error_y": _error_bars(stats, several),
                "text": [f"{m:.2f}" for m in means],
                "textposition": "outside",
            }
        )
    title = "Positive class: precision, recall and F1"
    if threshold is not None:
        title += f" at threshold {threshold:.2f}"
    if several:
        title += f" (mean of {n_seeds(done)} seeds, bars = 95 % CI)"
    return _figure(data, title, barmode="group", yaxis=_axis("score", range=[0, 1.15]))


def pr_curves(techniques: Techniques, threshold: float | None = None) -> go.Figure:
    """Precision-recall curves overlaid, each with its operating point at the threshold."""
    done = ok(techniques)
    if not done:
        return _empty("Precision-recall curves")
    colors = technique_colors(done)
    data = []
    for name, summary in done.items():
        label = _plain(display_name(name))
        pr = summary["curves"]["pr"]
        data.append(
            {
                "type": "scatter",
                "x": _array(pr["recall"]),
                "y": _array(pr["precision"]),
                "mode": "lines",
                "line": {"color": colors[name]},
                "name": f"{label} (PR-AUC {summary['pr_auc']:.3f})",
                "legendgroup": name,
                "hovertemplate": "recall %{x:.3f}<br>precision %{y:.3f}<extra>"
                + label
                + "</extra>",
            }
        )
        first = _first_seed(summary)
        data.append(
            _marker(
                name,
                first["recall"],
                first["precision"],
                colors[name],
                _threshold_of(first, threshold),
                "recall %{x:.3f}<br>precision %{y:.3f}",
            )
        )
    (tn, fp), (fn, tp) = next(iter(done.values()))["confusion_matrix"]
    prevalence = (fn + tp) / max(tn + fp + fn + tp, 1)
    data.append(
        _diagonal("no skill (share of positives)", [0, 1], [prevalence, prevalence])
    )
    return _figure(
        data,
        "Precision-recall curves (dot = current threshold)",
        xaxis=_axis("recall", range=[0, 1.02]),
        yaxis=_axis("precision", range=[0, 1.05]),
        legend=LEGEND_BELOW,
        height=480,
    )


def roc_curves(techniques: Techniques, threshold: float | None = None) -> go.Figure:
    """ROC curves overlaid, each with its operating point at the threshold."""
    done = ok(techniques)
    if not done:
        return _empty("ROC curves")
    colors = technique_colors(done)
    data = []
    for name, summary in done.items():
        label = _plain(display_name(name))
        roc = summary["curves"]["roc"]
        data.append(
            {
                "type": "scatter",
                "x": _array(roc["fpr"]),
                "y": _array(roc["tpr"]),
                "mode": "lines",
                "line": {"color": colors[name]},
                "name": f"{label} (ROC-AUC {summary['roc_auc']:.3f})",
                "legendgroup": name,
                "hovertemplate": "false positive rate %{x:.4f}<br>recall %{y:.3f}<extra>"
                + label
                + "</extra>",
            }
        )
        first = _first_seed(summary)
        (tn, fp), (fn, tp) = first["confusion_matrix"]
        data.append(
            _marker(
                name,
                fp / (fp + tn) if fp + tn else 0.0,
                tp / (tp + fn) if tp + fn else 0.0,
                colors[name],
                _threshold_of(first, threshold),
                "false positive rate %{x:.4f}<br>recall %{y:.3f}",
            )
        )
    data.append(_diagonal("chance", [0, 1], [0, 1]))
    return _figure(
        data,
        "ROC curves (dot = current threshold)",
        xaxis=_axis("false positive rate", range=[0, 1]),
        yaxis=_axis("true positive rate (recall)", range=[0, 1.02]),
        legend=LEGEND_BELOW,
        height=480,
    )


def reliability_curves(
    techniques: Techniques, threshold: float | None = None
) -> go.Figure:
    """Mean predicted probability against the observed share of positives, per bin."""
    done = ok(techniques)
    if not done:
        return _empty("Calibration")
    colors = technique_colors(done)
    data = [_diagonal("perfectly calibrated", [0, 1], [0, 1])]
    for name, summary in done.items():
        label = _plain(display_name(name))
        rel = summary["curves"]["reliability"]
        data.append(
            {
                "type": "scatter",
                "x": _array(rel["predicted"]),
                "y": _array(rel["observed"]),
                "mode": "lines+markers",
                "line": {"color": colors[name]},
                "name": f"{label} (Brier {summary['brier']:.4f})",
                "customdata": _array(rel["count"]),
                "hovertemplate": "predicted %{x:.3f}<br>observed %{y:.3f}<br>%{customdata:,} rows"
                "<extra>" + label + "</extra>",
            }
        )
    return _figure(
        data,
        "Calibration: predicted probability vs observed share of positives",
        xaxis=_axis("mean predicted probability (bin)", range=[0, 1]),
        yaxis=_axis("observed share of positives", range=[0, 1.02]),
        legend=LEGEND_BELOW,
        height=480,
    )


def cost_bars(techniques: Techniques, threshold: float | None = None) -> go.Figure:
    """Total test cost per technique at the threshold: missed positives + reviewed alerts."""
    done = ok(techniques)
    if not done:
        return _empty("Total cost")
    colors = technique_colors(done)
    stats = [metric_ci(s, "cost") for s in done.values()]
    data = [
        {
            "type": "bar",
            "x": [_plain(display_name(n)) for n in done],
            "y": [mean for mean, _, _ in stats],
            "error_y": _error_bars(stats, n_seeds(done) > 1),
            "marker": {"color": [colors[n] for n in done]},
            "text": [f"{mean:,.0f}" for mean, _, _ in stats],
            "textposition": "outside",
            "name": "cost",
        }
    ]
    title = "Total cost on the test split"
    if threshold is not None:
        title += f" at threshold {threshold:.2f}"
    top = max((mean for mean, _, _ in stats), default=0.0)
    top = max([top, *(high for _, _, high in stats)]) if stats else top
    return _figure(
        data, title, yaxis=_axis("cost", range=[0, top * 1.15 or 1]), showlegend=False
    )


def cost_curves(techniques: Techniques, threshold: float | None = None) -> go.Figure:
    """Cost against threshold per technique (first seed), each minimum marked with a star."""
    done = ok(techniques)
    if not done:
        return _empty("Cost against threshold")
    colors = technique_colors(done)
    data = []
    for name, summary in done.items():
        label = _plain(display_name(name))
        sweep = summary["curves"]["sweep"]
        grid, cost = (
            np.asarray(sweep["thresholds"], dtype=float),
            np.asarray(sweep["cost"], dtype=float),
        )
        best = int(np.argmin(cost))
        data.append(
            {
                "type": "scatter",
                "x": grid,
                "y": cost,
                "mode": "lines",
                "line": {"color": colors[name]},
                "name": label,
                "legendgroup": name,
                "hovertemplate": "threshold %{x:.2f}<br>cost %{y:,.0f}<extra>"
                + label
                + "</extra>",
            }
        )
        data.append(
            {
                "type": "scatter",
                "x": [grid[best]],
                "y": [cost[best]],
                "mode": "markers",
                "name": f"{label} minimum",
                "legendgroup": name,
                "showlegend": False,
                "marker": {
                    "symbol": "star",
                    "size": 15,
                    "color": colors[name],
                    "line": {"width": 1, "color": "black"},
                },
                "hovertemplate": "lowest cost %{y:,.0f}<br>at threshold %{x:.2f}<extra>"
                + label
                + "</extra>",
            }
        )
    extra: dict[str, Any] = {}
    if threshold is not None:
        extra["shapes"] = [
            {
                "type": "line",
                "x0": threshold,
                "x1": threshold,
                "y0": 0,
                "y1": 1,
                "xref": "x",
                "yref": "paper",
                "line": {"dash": "dash", "color": "black", "width": 1},
            }
        ]
        extra["annotations"] = [
            {
                "text": f"current {threshold:.2f}",
                "x": threshold,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "yanchor": "bottom",
                "showarrow": False,
            }
        ]
    return _figure(
        data,
        "Cost against threshold on the test split (star = lowest)",
        xaxis=_axis("decision threshold", range=[0, 1]),
        yaxis=_axis("total cost"),
        legend=LEGEND_BELOW,
        height=480,
        **extra,
    )


def class_counts_figure(dataset: dict[str, Any], techniques: Techniques) -> go.Figure:
    """Class counts of each split and each technique's resampled training set (log axis)."""
    table = class_counts_table(dataset, techniques)
    if table.empty:
        return _empty("Class counts", "No class counts were recorded.")
    labels = [_plain(i) for i in table.index]
    data = [
        {
            "type": "bar",
            "x": labels,
            "y": table[column].tolist(),
            "name": column,
            "marker": {"color": color},
            "hovertemplate": "%{x}: %{y:,} " + column + "<extra></extra>",
        }
        for column, color in (("negative", "#9db4d4"), ("positive", "#d62728"))
    ]
    return _figure(
        data,
        "Class counts per split and per resampled training set (log scale)",
        barmode="group",
        yaxis=_axis("rows", type="log"),
        xaxis=_axis(None, tickangle=-30),
        height=460,
    )


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
    columns = [
        *(METRIC_LABELS[m] for m in TABLE_METRICS),
        "Alerts per 1k",
        "Threshold",
        "Accuracy",
    ]
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
            row[METRIC_LABELS[metric]] = (
                f"{mean:,.{digits}f} ± {(high - low) / 2:,.{digits}f}"
            )
        row["Seeds"] = len(s.get("seeds") or [])
        rows[display_name(name)] = row
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


def best_marks(table: pd.DataFrame) -> pd.Series:
    """Per technique, the columns it is best at, e.g. "★ PR-AUC, MCC" (empty when none)."""
    best = best_per_column(table)
    marks = {
        label: [c for c, winner in best.items() if winner == label]
        for label in table.index
    }
    return pd.Series(
        {
            label: ("★ " + ", ".join(cols)) if cols else ""
            for label, cols in marks.items()
        },
        name="Best at",
        dtype=object,
    )


def classification_report_table(summary: dict[str, Any]) -> pd.DataFrame:
    """The first seed's classification report, rows in the seed notebook's order."""
    report = summary["classification_report"]
    rows, index = [], []
    for key, label in (
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
        index.append(label)
    table = pd.DataFrame(
        rows, index=index, columns=["precision", "recall", "f1-score", "support"]
    )
    table["support"] = table["support"].astype(int)
    return table


def classification_report_text(summary: dict[str, Any]) -> str:
    """The first seed's report laid out like sklearn's ``classification_report`` text.

    Plain monospace text: what the seed notebook printed, and cheap to show seven times.
    """
    report = summary["classification_report"]
    lines = [
        f"{'':>14}{'precision':>10}{'recall':>10}{'f1-score':>10}{'support':>10}",
        "",
    ]
    for key, label in (("0", "negative (0)"), ("1", "positive (1)")):
        row = report[key]
        lines.append(
            f"{label:>14}{row['precision']:>10.4f}{row['recall']:>10.4f}{row['f1-score']:>10.4f}"
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


def class_counts_table(dataset: dict[str, Any], techniques: Techniques) -> pd.DataFrame:
    """Negatives, positives and the positive share per split and resampled training set."""
    rows = {}
    for split, counts in (dataset.get("class_counts") or {}).items():
        rows[split] = counts
    for name, s in ok(techniques).items():
        if s.get("train_class_counts"):
            rows[f"train after {display_name(name)}"] = s["train_class_counts"]
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
        display_name(n): {
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
