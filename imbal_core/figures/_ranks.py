"""A benchmark's critical-difference diagram (Demšar 2006), as a plotly figure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from imbal_core.figures._style import empty, escape, figure, shown, technique_colors

PAD = 0.3  # rank units beyond the first and last rank, where the label lines end
LABEL_WIDTH = 250  # pixels of margin on each side for the labels


def cd_diagram(stats: Mapping[str, Any]) -> go.Figure:
    """Mean ranks on one axis (1 = best, on the left), each technique's label
    joined to its rank, and a bar under every group whose ranks differ by less
    than the Nemenyi critical difference (drawn above the axis): techniques joined
    by a bar are not significantly different."""
    ranks = stats["mean_ranks"]
    k = len(ranks)
    title = (
        f"Critical difference diagram: mean ranks over {stats['datasets']} data sets"
    )
    if k < 2:
        return empty(title, "Fewer than two techniques have a score on every data set.")
    cd = stats.get("cd")
    colors = technique_colors(list(ranks.index))
    names, values = list(ranks.index), [float(v) for v in ranks]
    half = (k + 1) // 2
    data, shapes, notes = [], [], []
    for i, (name, rank) in enumerate(zip(names, values, strict=True)):
        left = i < half
        depth = -(i + 1 if left else k - i)  # labels step down towards the middle
        edge = 1 - PAD if left else k + PAD  # labels sit in the margins beyond
        data.append(
            {
                "type": "scatter",
                "x": [rank, rank, edge],
                "y": [0, depth, depth],
                "mode": "lines+markers",
                "line": {"color": colors[name], "width": 1.5},
                "marker": {"size": [8, 0, 0], "color": colors[name]},
                "hovertemplate": f"{escape(shown(name))}: mean rank {rank:.2f}<extra></extra>",
                "showlegend": False,
            }
        )
        notes.append(
            {
                "x": edge,
                "y": depth,
                "text": f"{escape(shown(name))} ({rank:.2f})",
                "xanchor": "right" if left else "left",
                "showarrow": False,
                "font": {"size": 12},
            }
        )
    if cd:
        for row, (low, high) in enumerate(_groups(values, cd)):
            y = -0.35 - 0.25 * row
            shapes.append(_line(low - 0.03, high + 0.03, y, width=5))
        shapes.append(_line(1, 1 + cd, 0.9, width=2))
        notes.append(
            {
                "x": 1 + cd / 2,
                "y": 1.25,
                "text": f"CD = {cd:.2f}",
                "showarrow": False,
            }
        )
    test = stats.get("friedman")
    subtitle = (
        f"mean rank, 1 = best · Friedman p = {test['p_value']:.3g} · bars join "
        f"techniques within the Nemenyi critical difference (α = {stats['alpha']})"
        if test
        else str(stats.get("reason") or "")
    )
    return figure(
        data,
        f"{title}<br><sub>{escape(subtitle)}</sub>",
        height=170 + 34 * half,
        xaxis={
            "range": [1 - PAD, k + PAD],
            "tickvals": list(range(1, k + 1)),
            "side": "top",
            "zeroline": False,
            "showgrid": False,
        },
        yaxis={"visible": False, "range": [-(half + 0.8), 1.6]},
        shapes=[_line(1, k, 0, width=1.5), *shapes],
        annotations=notes,
        margin={"t": 110, "l": LABEL_WIDTH, "r": LABEL_WIDTH, "b": 20},
    )


def _groups(values: list[float], cd: float) -> list[tuple[float, float]]:
    """The maximal runs of rank-sorted techniques whose ranks span less than ``cd``
    (a run inside another is not drawn)."""
    found: list[tuple[int, int]] = []
    for start in range(len(values)):
        end = start
        while end + 1 < len(values) and values[end + 1] - values[start] < cd:
            end += 1
        if end > start and not any(s <= start and end <= e for s, e in found):
            found.append((start, end))
    return [(values[s], values[e]) for s, e in found]


def _line(x0: float, x1: float, y: float, width: float) -> dict[str, Any]:
    return {
        "type": "line",
        "x0": x0,
        "x1": x1,
        "y0": y,
        "y1": y,
        "line": {"color": "#333", "width": width},
    }
