"""Curves over thresholds or probabilities: PR, ROC, calibration and cost."""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from imbal_core.figures._style import (
    LEGEND_BELOW,
    array,
    axis,
    diagonal,
    empty,
    figure,
    marker,
    shown,
    technique_colors,
    threshold_of,
)
from imbal_core.results import Techniques, first_seed, ok


def pr_curves(techniques: Techniques, threshold: float | None = None) -> go.Figure:
    """Precision-recall curves overlaid, each with its operating point at the threshold."""
    done = ok(techniques)
    if not done:
        return empty("Precision-recall curves")
    colors = technique_colors(done)
    data = []
    for name, summary in done.items():
        label = shown(name)
        pr = summary["curves"]["pr"]
        data.append(
            {
                "type": "scatter",
                "x": array(pr["recall"]),
                "y": array(pr["precision"]),
                "mode": "lines",
                "line": {"color": colors[name]},
                "name": f"{label} (PR-AUC {summary['pr_auc']:.3f})",
                "legendgroup": name,
                "hovertemplate": "recall %{x:.3f}<br>precision %{y:.3f}<extra>"
                + label
                + "</extra>",
            }
        )
        first = first_seed(summary)
        data.append(
            marker(
                name,
                first["recall"],
                first["precision"],
                colors[name],
                threshold_of(first, threshold),
                "recall %{x:.3f}<br>precision %{y:.3f}",
            )
        )
    (tn, fp), (fn, tp) = next(iter(done.values()))["confusion_matrix"]
    prevalence = (fn + tp) / max(tn + fp + fn + tp, 1)
    data.append(
        diagonal("no skill (share of positives)", [0, 1], [prevalence, prevalence])
    )
    return figure(
        data,
        "Precision-recall curves (dot = current threshold)",
        xaxis=axis("recall", range=[0, 1.02]),
        yaxis=axis("precision", range=[0, 1.05]),
        legend=LEGEND_BELOW,
        height=480,
    )


def roc_curves(techniques: Techniques, threshold: float | None = None) -> go.Figure:
    """ROC curves overlaid, each with its operating point at the threshold."""
    done = ok(techniques)
    if not done:
        return empty("ROC curves")
    colors = technique_colors(done)
    data = []
    for name, summary in done.items():
        label = shown(name)
        roc = summary["curves"]["roc"]
        data.append(
            {
                "type": "scatter",
                "x": array(roc["fpr"]),
                "y": array(roc["tpr"]),
                "mode": "lines",
                "line": {"color": colors[name]},
                "name": f"{label} (ROC-AUC {summary['roc_auc']:.3f})",
                "legendgroup": name,
                "hovertemplate": "false positive rate %{x:.4f}<br>recall %{y:.3f}<extra>"
                + label
                + "</extra>",
            }
        )
        first = first_seed(summary)
        (tn, fp), (fn, tp) = first["confusion_matrix"]
        data.append(
            marker(
                name,
                fp / (fp + tn) if fp + tn else 0.0,
                tp / (tp + fn) if tp + fn else 0.0,
                colors[name],
                threshold_of(first, threshold),
                "false positive rate %{x:.4f}<br>recall %{y:.3f}",
            )
        )
    data.append(diagonal("chance", [0, 1], [0, 1]))
    return figure(
        data,
        "ROC curves (dot = current threshold)",
        xaxis=axis("false positive rate", range=[0, 1]),
        yaxis=axis("true positive rate (recall)", range=[0, 1.02]),
        legend=LEGEND_BELOW,
        height=480,
    )


def reliability_curves(
    techniques: Techniques, threshold: float | None = None
) -> go.Figure:
    """Mean predicted probability against the observed share of positives, per bin."""
    done = ok(techniques)
    if not done:
        return empty("Calibration")
    colors = technique_colors(done)
    data = [diagonal("perfectly calibrated", [0, 1], [0, 1])]
    for name, summary in done.items():
        label = shown(name)
        rel = summary["curves"]["reliability"]
        data.append(
            {
                "type": "scatter",
                "x": array(rel["predicted"]),
                "y": array(rel["observed"]),
                "mode": "lines+markers",
                "line": {"color": colors[name]},
                "name": f"{label} (Brier {summary['brier']:.4f})",
                "customdata": array(rel["count"]),
                "hovertemplate": "predicted %{x:.3f}<br>observed %{y:.3f}<br>%{customdata:,} rows"
                "<extra>" + label + "</extra>",
            }
        )
    return figure(
        data,
        "Calibration: predicted probability vs observed share of positives",
        xaxis=axis("mean predicted probability (bin)", range=[0, 1]),
        yaxis=axis("observed share of positives", range=[0, 1.02]),
        legend=LEGEND_BELOW,
        height=480,
    )


def cost_curves(techniques: Techniques, threshold: float | None = None) -> go.Figure:
    """Cost against threshold per technique (first seed), each minimum marked with a star."""
    done = ok(techniques)
    if not done:
        return empty("Cost against threshold")
    colors = technique_colors(done)
    data = []
    for name, summary in done.items():
        label = shown(name)
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
    return figure(
        data,
        "Cost against threshold on the test split (star = lowest)",
        xaxis=axis("decision threshold", range=[0, 1]),
        yaxis=axis("total cost"),
        legend=LEGEND_BELOW,
        height=480,
        **extra,
    )
