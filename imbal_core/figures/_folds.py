"""How much a technique moves from fold to fold: the cross-validation spread."""

from __future__ import annotations

import plotly.graph_objects as go

from imbal_core.figures._style import (
    axis,
    empty,
    escape,
    figure,
    shown,
    technique_colors,
)
from imbal_core.results import Techniques, ok, spread
from imbal_core.tables import COLUMNS


def fold_spread(techniques: Techniques, metric: str = "pr_auc") -> go.Figure:
    """Each fold's ``metric`` per technique (a box over its folds, each fold a dot
    named by repeat and fold): where a single split's ranking could have fallen."""
    done = {n: s for n, s in ok(techniques).items() if s.get("folds")}
    name = COLUMNS[metric].label if metric in COLUMNS else escape(metric)
    if not done:
        return empty(f"{name} per fold (cross-validation only)")
    colors = technique_colors(done)
    data = [
        {
            "type": "box",
            "name": shown(n),
            "y": [f[metric] for f in s["folds"] if metric in f],
            "text": [f"repeat {f['repeat']}, fold {f['fold']}" for f in s["folds"]],
            "boxpoints": "all",
            "jitter": 0.3,
            "pointpos": 0,
            "marker": {"color": colors[n], "size": 7},
            "line": {"color": colors[n]},
            "hovertemplate": "%{text}: %{y:.3f}<extra>%{x}</extra>",
        }
        for n, s in done.items()
    ]
    title = f"{name} on each test fold ({spread(techniques)}; one dot per fold)"
    bounded = metric != "cost"
    return figure(
        data,
        title,
        showlegend=False,
        yaxis=axis(name, **({"range": [0, 1.05]} if bounded else {})),
    )
