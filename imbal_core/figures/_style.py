"""What every figure shares: colours, escaping, and building a figure in one step."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go

from imbal_core.results import label

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
GRID = "#e8e8e8"
AXIS = {"gridcolor": GRID, "zerolinecolor": "#cccccc", "automargin": True}
# Below the plot, measured from the figure's bottom edge (not the plot's), with the
# margin made for it: a legend at a paper fraction lands on the x title of short plots.
LEGEND_BELOW = {
    "orientation": "h",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
    "x": 0,
}


def legend_below(entries: int, per_row: int = 1, plot: int = 340) -> dict[str, Any]:
    """Layout for a legend under a ``plot``-px-tall plot: the legend, a bottom margin
    that holds the x title and ``entries`` legend items (``per_row`` to a row: long
    labels at half width fit one), and the figure's height."""
    bottom = 70 + 22 * math.ceil(entries / per_row)
    return {
        "legend": LEGEND_BELOW,
        "margin": {"b": bottom},
        "height": 70 + plot + bottom,
    }


METRIC_COLORS = {"precision": "#1f77b4", "recall": "#ff7f0e", "f1": "#2ca02c"}
NEGATIVE_COLOR, POSITIVE_COLOR = "#9db4d4", "#d62728"


def escape(text: Any) -> str:
    """User text shown literally, in HTML and in plotly labels alike.

    ``html.escape`` with quotes, but the double quote as the numeric ``&#34;``:
    plotly's labels read a subset of HTML and decode numeric entities, yet not
    ``&quot;``; browsers read both.
    """
    return html.escape(str(text), quote=True).replace("&quot;", "&#34;")


def shown(name: str) -> str:
    """A technique's label, escaped for plotly."""
    return escape(label(name))


def technique_colors(names: Iterable[str]) -> dict[str, str]:
    """A stable colour per technique: registry order first, so colours match across pages."""
    from imbal_core.techniques import REGISTRY  # metadata only: no Keras is loaded

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


def common_threshold(done: Mapping[str, Mapping[str, Any]]) -> str:
    """ " at threshold 0.50" when every technique shares one threshold, else ""."""
    found = {round(float(s["threshold"]), 6) for s in done.values()}
    return f" at threshold {threshold_text(found.pop())}" if len(found) == 1 else ""


def threshold_text(value: float) -> str:
    """A threshold as every table shows it: 0.500, 0.0371, 0.000120."""
    from imbal_core.tables import column

    return column("threshold").text(value)


def log_axis(title: str, top: float) -> dict[str, Any]:
    """A log axis for counts from 1 to ``top``: ticks at powers of ten only, and the
    range pinned at 1 so the smallest bar has height (autorange ends at its top)."""
    return axis(
        title,
        type="log",
        range=[0, math.log10(max(top, 1.0)) + 0.3],
        dtick=1,
        minor={"showgrid": False, "ticks": ""},
    )


def axis(title: str | None = None, **extra: Any) -> dict[str, Any]:
    result = dict(AXIS, **extra)
    if title is not None:
        result["title"] = {"text": title}
    return result


def figure(data: list[dict[str, Any]], title: str, **layout: Any) -> go.Figure:
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
        "xaxis": axis(),
        "yaxis": axis(),
    }
    for key, value in layout.items():
        base[key] = (
            {**base[key], **value}
            if isinstance(base.get(key), dict) and isinstance(value, dict)
            else value
        )
    # Every property here is written by this package and checked once by the tests
    # (tests/test_charts.py rebuilds each figure with validation), so skipping
    # plotly's per-call validation is safe and halves the cost of a slider move.
    return go.Figure(data=data, layout=base, _validate=False)


def empty(
    title: str, message: str = "No technique finished, so there is nothing to draw."
) -> go.Figure:
    return figure(
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


def error_bars(
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


def marker(
    name: str, x: float, y: float, color: str, threshold: float, hover: str
) -> dict[str, Any]:
    """The operating point at the threshold: one single-point trace per technique."""
    return {
        "type": "scatter",
        "x": [x],
        "y": [y],
        "mode": "markers",
        "name": f"{shown(name)} @ {threshold_text(threshold)}",
        "legendgroup": name,
        "showlegend": False,
        "marker": {"size": 12, "color": color, "line": {"width": 2, "color": "black"}},
        "hovertemplate": hover + "<extra>%{fullData.name}</extra>",
    }


def diagonal(name: str, x: list[float], y: list[float]) -> dict[str, Any]:
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "lines",
        "name": name,
        "line": {"dash": "dot", "color": "grey"},
        "hoverinfo": "skip",
    }


def array(values: Any) -> np.ndarray:
    """Curves as float arrays: plotly validates arrays in one step, lists element by element."""
    return np.asarray(values, dtype=np.float64)


def domain(low: float, high: float) -> list[float]:
    """A subplot's share of the paper, clamped: float sums drift just outside [0, 1]."""
    return [round(min(max(low, 0.0), 1.0), 6), round(min(max(high, 0.0), 1.0), 6)]
