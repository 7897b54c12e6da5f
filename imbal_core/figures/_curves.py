"""Curves over thresholds or probabilities: PR, ROC, calibration and cost."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np
import plotly.graph_objects as go

from imbal_core import evaluate
from imbal_core.figures._style import (
    array,
    axis,
    diagonal,
    empty,
    figure,
    legend_below,
    marker,
    shown,
    technique_colors,
)
from imbal_core.results import Techniques, first_seed, ok
from imbal_core.tables import COLUMNS


class _Curve(NamedTuple):
    """What a chart of one kind of curve with operating points needs to know."""

    title: str
    key: str  # the summary's ``curves[key]``
    x: tuple[str, str, list[float]]  # the curve's field, axis title, axis range
    y: tuple[str, str, list[float]]
    auc: tuple[str, str]  # its label in the legend, the summary's field
    hover: str
    # A seed's (x, y), given the seed and the curve's stored points.
    dot: Callable[[Mapping[str, Any], Mapping[str, Any]], tuple[float, float]]
    reference: Callable[[Techniques], dict[str, Any]]  # the line of no skill


def _with_dots(techniques: Techniques, curve: _Curve) -> go.Figure:
    """Per technique, a line through its curve's vertices and a dot at its first
    seed's operating point.

    Every operating point is a vertex of the stored curve (``evaluate.curves``), so
    the straight lines drawn between the vertices pass through each dot.
    """
    done = ok(techniques)
    if not done:
        return empty(curve.title)
    colors = technique_colors(done)
    (x, x_title, x_range), (y, y_title, y_range) = curve.x, curve.y
    data = []
    for name, summary in done.items():
        label = shown(name)
        points = summary["curves"][curve.key]
        data.append(
            {
                "type": "scatter",
                "x": array(points[x]),
                "y": array(points[y]),
                "mode": "lines",
                "line": {"color": colors[name]},
                "name": f"{label} ({curve.auc[0]} {summary[curve.auc[1]]:.3f})",
                "legendgroup": name,
                "hovertemplate": curve.hover + "<extra>" + label + "</extra>",
            }
        )
        first = first_seed(summary)
        dot = curve.dot(first, points)
        data.append(marker(name, *dot, colors[name], first["threshold"], curve.hover))
    data.append(curve.reference(done))
    return figure(
        data,
        f"{curve.title} (dot = operating point)",
        xaxis=axis(x_title, range=x_range),
        yaxis=axis(y_title, range=y_range),
        **legend_below(len(done) + 1),
    )


def _no_skill(done: Techniques) -> dict[str, Any]:
    (tn, fp), (fn, tp) = next(iter(done.values()))["confusion_matrix"]
    prevalence = (fn + tp) / max(tn + fp + fn + tp, 1)
    return diagonal("no skill (share of positives)", [0, 1], [prevalence, prevalence])


def _pr_point(
    summary: Mapping[str, Any], points: Mapping[str, Any]
) -> tuple[float, float]:
    (tn, fp), (fn, tp) = summary["confusion_matrix"]
    return evaluate.pr_point([tn, fp, fn, tp], points["precision"])


def _roc_point(summary: Mapping[str, Any], points: Any = None) -> tuple[float, float]:
    """False positive rate and recall from a summary's confusion matrix."""
    (tn, fp), (fn, tp) = summary["confusion_matrix"]
    return fp / (fp + tn) if fp + tn else 0.0, tp / (tp + fn) if tp + fn else 0.0


_PR = _Curve(
    "Precision-recall curves",
    "pr",
    ("recall", "recall", [0, 1.02]),
    ("precision", "precision", [0, 1.05]),
    (COLUMNS["pr_auc"].label, "pr_auc"),
    "recall %{x:.3f}<br>precision %{y:.3f}",
    _pr_point,
    _no_skill,
)
_ROC = _Curve(
    "ROC curves",
    "roc",
    ("fpr", "false positive rate", [0, 1]),
    ("tpr", "true positive rate (recall)", [0, 1.02]),
    (COLUMNS["roc_auc"].label, "roc_auc"),
    "false positive rate %{x:.4f}<br>recall %{y:.3f}",
    _roc_point,
    lambda done: diagonal("chance", [0, 1], [0, 1]),
)


def pr_curves(techniques: Techniques) -> go.Figure:
    """Precision-recall curves overlaid, each with its operating point at its threshold."""
    return _with_dots(techniques, _PR)


def roc_curves(techniques: Techniques) -> go.Figure:
    """ROC curves overlaid, each with its operating point at its threshold."""
    return _with_dots(techniques, _ROC)


def reliability_curves(techniques: Techniques) -> go.Figure:
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
        **legend_below(len(done) + 1, per_row=3),
    )


def cost_curves(techniques: Techniques) -> go.Figure:
    """Cost against threshold per technique (first seed): each minimum a star, each
    operating point (its own threshold) a dot."""
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
        first = first_seed(summary)
        hover = "threshold %{x:.3f}<br>cost %{y:,.0f}"
        data.append(
            marker(
                name,
                first["threshold"],
                first["cost"],
                colors[name],
                first["threshold"],
                hover,
            )
        )
    return figure(
        data,
        "Cost against threshold on the test split (star = lowest, dot = operating point)",
        xaxis=axis("decision threshold", range=[0, 1]),
        yaxis=axis("total cost"),
        **legend_below(len(done)),
    )
