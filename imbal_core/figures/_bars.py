"""Per-technique bars and matrices, and the class counts of the data."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from imbal_core.figures._style import (
    COLORSCALE,
    METRIC_COLORS,
    NEGATIVE_COLOR,
    PALETTE,
    POSITIVE_COLOR,
    axis,
    common_threshold,
    domain,
    empty,
    error_bars,
    escape,
    figure,
    log_axis,
    shown,
    technique_colors,
    threshold_text,
)
from imbal_core.results import Techniques, metric_ci, n_seeds, ok, spread
from imbal_core.tables import COLUMNS, class_counts_table

TITLE = "Confusion matrices on the test split (colour = share of the actual class)"


def _wrapped(label: str, width: int = 16) -> str:
    """A long (already escaped) label on two lines, so side-by-side titles don't run together."""
    if len(label) <= width or " " not in label:
        return label
    head, _, tail = label.rpartition(" ")
    return f"{head}<br>{tail}"


def confusion_matrices(techniques: Techniques, compact: bool = False) -> go.Figure:
    """Side-by-side confusion matrices on ONE colour axis coloured by row rate (0-1).

    Colouring by the share of the actual class keeps the rare positive row readable
    next to tens of thousands of negatives; the counts are in the text. ``compact``:
    every technique in one short row (an overview that fits one screen).
    """
    done = ok(techniques)
    if not done:
        return empty("Confusion matrices")
    columns = len(done) if compact else min(4, len(done))
    rows = math.ceil(len(done) / columns)
    # Gaps in pixels, turned into paper fractions: room for tick labels and the next title.
    top, bottom = (60, 25) if compact else (100, 60)
    height_px = (120 if compact else 260) * rows + top + bottom
    plot_px = height_px - top - bottom
    h_gap, v_gap = (0.035 if compact else 0.07), 80 / plot_px
    width = (1 - h_gap * (columns - 1)) / columns
    height = (1 - v_gap * (rows - 1)) / rows
    # Compact: seven matrices side by side leave ~50 px per cell, so a cell holds its
    # count and rate only (the axes say which cell it is) at a readable size.
    x_labels = (
        ["neg", "pos"] if compact else ["predicted negative", "predicted positive"]
    )
    y_labels = (
        ["actual neg", "actual pos"]
        if compact
        else ["actual negative", "actual positive"]
    )
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
            [
                f"{'' if compact else cells[r][c] + ' '}{counts[r, c]:,}<br>{rates[r, c]:.1%}"
                for c in range(2)
            ]
            for r in range(2)
        ]
        hover = [
            [f"{cells[r][c]} {counts[r, c]:,} ({rates[r, c]:.1%})" for c in range(2)]
            for r in range(2)
        ]
        label = shown(name)
        data.append(
            {
                "type": "heatmap",
                "z": rates.round(4).tolist(),
                "x": x_labels,
                "y": y_labels,
                "text": text,
                "texttemplate": "%{text}",
                # A fixed size: plotly would shrink the text to ~8 px in seven
                # side-by-side matrices, unreadable on a projector.
                "textfont": {"size": 13 if compact else 15},
                "coloraxis": "coloraxis",
                "name": label,
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
                "customdata": hover,
                "hovertemplate": "%{y}, predicted %{x}<br>%{customdata}<extra>"
                + label
                + "</extra>",
            }
        )
        layout[f"xaxis{suffix}"] = {
            "domain": domain(x0, x0 + width),
            "anchor": f"y{suffix}",
            "tickfont": {"size": 12},
            "tickangle": 0,
        }
        layout[f"yaxis{suffix}"] = {
            "domain": domain(y1 - height, y1),
            "anchor": f"x{suffix}",
            "autorange": "reversed",
            "showticklabels": col == 0,
            "tickfont": {"size": 12},
        }
        annotations.append(
            {
                "text": f"{_wrapped(label) if compact else label}"
                f"{'<br>' if compact else ' ('}threshold "
                f"{threshold_text(float(summary['threshold']))}{'' if compact else ')'}",
                "x": x0 + width / 2,
                "y": y1,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 13 if compact else 14},
            }
        )
    return figure(
        data,
        # Compact: no title line (the page says what it is), so it fits one screen.
        "" if compact else TITLE,
        coloraxis={
            "colorscale": COLORSCALE,
            "cmin": 0.0,
            "cmax": 1.0,
            "colorbar": {"title": {"text": "row rate"}, "tickformat": ".0%"},
        },
        annotations=annotations,
        height=height_px,
        margin={"t": top, "b": bottom},
        **layout,
    )


def metric_bars(
    techniques: Techniques, metrics: Iterable[str] = ("precision", "recall", "f1")
) -> go.Figure:
    """Grouped bars of positive-class metrics; 95 % CI error bars only with several seeds."""
    done = ok(techniques)
    if not done:
        return empty("Precision, recall and F1")
    labels = [shown(n) for n in done]
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
                "name": COLUMNS[metric].label if metric in COLUMNS else escape(metric),
                "marker": {"color": METRIC_COLORS.get(metric, PALETTE[0])},
                "error_y": error_bars(stats, several),
                "text": [f"{m:.2f}" for m in means],
                "textposition": "outside",
            }
        )
    title = "Positive class: precision, recall and F1" + common_threshold(done)
    if several:
        title += f" (mean of {spread(done)}, bars = 95 % CI)"
    return figure(data, title, barmode="group", yaxis=axis("score", range=[0, 1.15]))


def cost_bars(techniques: Techniques) -> go.Figure:
    """Total test cost per technique at the threshold: missed positives + reviewed alerts."""
    done = ok(techniques)
    if not done:
        return empty("Total cost")
    colors = technique_colors(done)
    stats = [metric_ci(s, "cost") for s in done.values()]
    data = [
        {
            "type": "bar",
            "x": [shown(n) for n in done],
            "y": [mean for mean, _, _ in stats],
            "error_y": error_bars(stats, n_seeds(done) > 1),
            "marker": {"color": [colors[n] for n in done]},
            "text": [f"{mean:,.0f}" for mean, _, _ in stats],
            "textposition": "outside",
            "name": "cost",
        }
    ]
    title = "Total cost on the test split" + common_threshold(done)
    top = max((mean for mean, _, _ in stats), default=0.0)
    top = max([top, *(high for _, _, high in stats)]) if stats else top
    return figure(
        data, title, yaxis=axis("cost", range=[0, top * 1.15 or 1]), showlegend=False
    )


def class_counts_figure(
    dataset: Mapping[str, Any],
    techniques: Techniques | None = None,
    log_scale: bool = True,
) -> go.Figure:
    """Class counts of each split and, given techniques, of each one's resampled
    training set. On a log axis by default: the positives are invisible on a
    linear one."""
    table = class_counts_table(dataset, techniques)
    if table.empty:
        return empty("Class counts", "No class counts were recorded.")
    labels = [escape(i) for i in table.index]
    data = [
        {
            "type": "bar",
            "x": labels,
            "y": table[column].tolist(),
            "name": column.lower(),
            "marker": {"color": color},
            "text": [f"{v:,}" for v in table[column]],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{x}: %{y:,} " + column.lower() + "<extra></extra>",
        }
        for column, color in (
            (COLUMNS["negative"].label, NEGATIVE_COLOR),
            (COLUMNS["positive"].label, POSITIVE_COLOR),
        )
    ]
    counts = [COLUMNS["negative"].label, COLUMNS["positive"].label]
    top = float(table[counts].to_numpy().max())
    scale = " (log scale)" if log_scale else ""
    return figure(
        data,
        (
            "Class counts per split and per resampled training set"
            if techniques
            else "Class counts per split"
        )
        + scale,
        barmode="group",
        yaxis=log_axis("rows", top)
        if log_scale
        else axis("rows", range=[0, top * 1.15]),
        xaxis=axis(None, tickangle=-30 if techniques else 0),
        height=460 if techniques else 340,
    )


def value_count_figure(
    counts: pd.Series, column: str, log_scale: bool = False
) -> go.Figure:
    """Bars of the rows per value of the target column, before any split.

    Labels and the column name come from the user's file: plotly reads a subset of
    HTML in text, so they are entity-escaped to show literally.
    """
    values = [int(v) for v in counts.values]
    top = float(max(values, default=1))
    data = [
        {
            "type": "bar",
            "x": [escape(v) for v in counts.index],
            "y": values,
            "text": [f"{v:,}" for v in values],
            "textposition": "outside",
            "cliponaxis": False,
            "marker": {"color": PALETTE[0]},
            "hovertemplate": "%{x}: %{y:,} rows<extra></extra>",
        }
    ]
    return figure(
        data,
        "",
        height=260,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis=axis(f"values of {escape(column)}", type="category"),
        yaxis=log_axis("rows", top)
        if log_scale
        else axis("rows", range=[0, top * 1.15]),
    )
