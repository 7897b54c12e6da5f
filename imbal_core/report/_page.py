"""The skeleton every HTML report shares: one self-contained page (no network:
its Content-Security-Policy refuses anything but inline scripts, styles and data),
tables formatted by the column spec, plotly figures with plotly.js inlined once."""

from __future__ import annotations

from typing import Any

import pandas as pd

from imbal_core import tables
from imbal_core.figures import escape

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}

# Only inline scripts/styles and data: images may load; anything else (a CDN, a web font,
# a tracking pixel) is refused by the browser even if it somehow got into the file.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src data: blob:; font-src data:"
)


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0 auto;
max-width:1200px;padding:1.5rem 2rem 4rem;color:#1f2933;line-height:1.5}
h1{margin-bottom:.2rem}h2{margin-top:2.5rem;border-bottom:2px solid #e4e7eb;padding-bottom:.3rem}
.meta{color:#616e7c;margin-top:0}
table{border-collapse:collapse;margin:.8rem 0;font-size:.92rem}
th,td{border:1px solid #d9e2ec;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f0f4f8}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.failed td{color:#8a1c1c;background:#fff5f5}
.synthetic{display:inline-block;background:#fff3c4;border:1px solid #e9b949;border-radius:4px;
padding:.1rem .5rem;font-weight:600}
.callout{background:#f0f4f8;border-left:4px solid #2f80ed;padding:.8rem 1rem;margin:1rem 0}
dl dt{font-weight:600;margin-top:.7rem}dl dd{margin-left:1rem}
.figure{margin:1.2rem 0}.wide{overflow-x:auto}
@media print{.figure{page-break-inside:avoid}}
"""


def document(title: str, body: str) -> str:
    """A whole HTML page: ``title`` (escaped here) and ``body`` (already escaped)."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="imbal_core report">
<title>{escape(title)}</title>
<style>{CSS}</style>
</head>
<body>
<h1>{escape(title)}</h1>
{body}
</body>
</html>
"""


def frame_html(frame: pd.DataFrame, cls: str = "", best: bool = False) -> str:
    """A table built by :mod:`imbal_core.tables`, formatted by its column spec,
    every cell escaped, numbers right-aligned, each column's help as a tooltip;
    ``best``: each column's best value in bold (★)."""
    header, rows = tables.formatted(frame)
    winners = tables.best_per_column(frame) if best and not frame.empty else {}
    for row, index in zip(rows, frame.index, strict=True):
        for position, column in enumerate(frame.columns, start=1):
            if winners.get(str(column)) == index:
                row[position] = f"\u2605 {row[position]}"
    specs = [tables.BY_LABEL.get(str(c)) for c in frame.columns]
    head = f"<th>{escape(header[0])}</th>" + "".join(
        f'<th title="{escape(spec.help)}">{escape(h)}</th>'
        if spec is not None and spec.help
        else f"<th>{escape(h)}</th>"
        for h, spec in zip(header[1:], specs, strict=True)
    )
    numeric = [spec is not None and spec.kind != "text" for spec in specs]

    def cell(text: str, is_number: bool) -> str:
        shown = escape(text)
        if text.startswith("\u2605"):
            shown = f"<strong>{shown}</strong>"
        return f'<td class="n">{shown}</td>' if is_number else f"<td>{shown}</td>"

    body = "".join(
        f"<tr><td>{escape(row[0])}</td>"
        + "".join(cell(c, n) for c, n in zip(row[1:], numeric, strict=True))
        + "</tr>"
        for row in rows
    )
    return (
        f'<div class="wide"><table class="{cls}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def figure_html(figures: list[tuple[str, Any]], first: bool = True) -> str:
    parts = []
    for index, (_, fig) in enumerate(figures):
        # plotly.js goes inline with the page's first figure only: one ~4 MB bundle, no CDN.
        div = fig.to_html(
            full_html=False,
            include_plotlyjs=first and index == 0,
            config=PLOTLY_CONFIG,
            default_width="100%",
        )
        parts.append(f'<div class="figure">{div}</div>')
    return "\n".join(parts)
