"""The HTML page: one self-contained file, every chart inline, no network."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from imbal_core import figures, tables
from imbal_core.figures import escape
from imbal_core.report._text import (
    CSS,
    EXPLANATIONS,
    costs_text,
    num,
    operating_point,
    operating_sentence,
    params_rows,
    pct,
    threshold_text,
)
from imbal_core.results import (
    alerts_per_thousand,
    at_threshold,
    check_results,
    failed,
    is_synthetic,
    label,
    ok,
)

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}

# Only inline scripts/styles and data: images may load; anything else (a CDN, a web font,
# a tracking pixel) is refused by the browser even if it somehow got into the file.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src data: blob:; font-src data:"
)


def _table(header: list[str], rows: list[list[str]], cls: str = "") -> str:
    """An HTML table; cells must already be escaped."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows
    )
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _overview_html(results: Mapping[str, Any], threshold: float | None) -> str:
    """What the Compare page shows first: the operating point, each technique's
    threshold, recall, precision, workload, cost and PR-AUC, and the matrices."""
    techniques = results["techniques"]
    point = (results["config"].get("operating_point") or {}).get("description")
    if point is None:  # results written before operating points had a name
        point = threshold_text(results["config"]).rstrip(".")
    frame = tables.headline_table(techniques)
    rows = [
        [escape(name)]
        + [
            num(r["Threshold"], 3),
            num(r["Recall"]),
            num(r["Precision"]),
            num(r["Alerts per 1k"], 1),
            num(r["Cost"], 0),
            num(r["PR-AUC"]),
            escape(r["PR-AUC 95% interval"]),
        ]
        for name, r in frame.iterrows()
    ]
    header = [
        "Technique",
        "Threshold (chosen on validation)",
        "Recall",
        "Precision",
        "Alerts per 1,000",
        "Cost",
        "PR-AUC",
        "PR-AUC 95 % interval",
    ]
    matrices = figures.confusion_matrices(techniques, threshold, compact=True)
    return (
        f"<h2>Overview: each technique at {escape(point)}</h2>"
        + _table(header, rows, "overview")
        + _figure_html([("Confusion matrices", matrices)])
    )


def _figures(
    results: Mapping[str, Any], threshold: float | None
) -> list[tuple[str, Any]]:
    techniques = results["techniques"]
    return [
        ("Confusion matrices", figures.confusion_matrices(techniques, threshold)),
        ("Precision, recall and F1", figures.metric_bars(techniques, threshold)),
        ("Precision-recall curves", figures.pr_curves(techniques, threshold)),
        ("ROC curves", figures.roc_curves(techniques, threshold)),
        ("Cost", figures.cost_bars(techniques, threshold)),
        ("Cost against threshold", figures.cost_curves(techniques, threshold)),
        ("Calibration", figures.reliability_curves(techniques, threshold)),
        ("Class counts", figures.class_counts_figure(results["dataset"], techniques)),
    ]


def _figure_html(figures: list[tuple[str, Any]], first: bool = True) -> str:
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


def _metrics_table_html(results: Mapping[str, Any]) -> str:
    """The metrics as an HTML table: positive-class metrics first, accuracy last."""
    frame = tables.metrics_frame(results)
    several = "PR-AUC 95% CI low" in frame.columns
    alerts = [
        alerts_per_thousand(s) if s.get("status") == "ok" else math.nan
        for s in results["techniques"].values()
    ]
    header = [
        "Technique",
        "Precision",
        "Recall",
        "F1",
        "MCC",
        "PR-AUC (95 % CI)" if several else "PR-AUC",
        "ROC-AUC",
        "Brier",
        "Cost",
        "Alerts per 1,000",
        "Threshold (suggested on validation)",
        "Accuracy",
        "Fit seconds",
        "Epochs run (best)",
    ]
    rows_html = []
    for record, per_1000 in zip(frame.to_dict("records"), alerts, strict=True):
        name = f"<td>{escape(record['Technique'])}</td>"
        if record["Status"] != "ok":
            error = escape(record["Error"] or "unknown error")
            rows_html.append(
                f'<tr class="failed">{name}<td colspan="{len(header) - 1}">failed: {error}</td></tr>'
            )
            continue
        pr_auc = num(record["PR-AUC"])
        if several:
            pr_auc += f"<br><small>{num(record['PR-AUC 95% CI low'])} to {num(record['PR-AUC 95% CI high'])}</small>"
        cells = [
            num(record["Precision"]),
            num(record["Recall"]),
            num(record["F1"]),
            num(record["MCC"]),
            pr_auc,
            num(record["ROC-AUC"]),
            num(record["Brier"], 4),
            num(record["Cost"], 0),
            num(per_1000, 1),
            f"{num(record['Threshold'], 2)} ({num(record['Suggested threshold'], 2)})",
            num(record["Accuracy"]),
            num(record["Fit seconds"], 1),
            f"{num(record['Epochs run'], 1)} ({num(record['Best epoch'], 1)})",
        ]
        row = name + "".join(f'<td class="n">{c}</td>' for c in cells)
        if record["Error"]:  # e.g. some seeds failed
            row += f'</tr><tr><td></td><td colspan="{len(header) - 1}"><small>{escape(record["Error"])}</small></td>'
        rows_html.append(f"<tr>{row}</tr>")
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    seeds = tables.seed_count(results)
    kinds = {
        str(s.get("pr_auc_ci_kind") or "95 % confidence interval over seeds")
        for s in ok(results["techniques"]).values()
    }
    means = f"Means over {seeds} seeds" if seeds > 1 else "One seed"
    note = (
        f"<p>{means}; under PR-AUC, its {escape('; '.join(sorted(kinds)))}.</p>"
        if several
        else ""
    )
    return (
        f'{note}<div class="wide"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows_html)}</tbody></table></div>"
    )


def _classification_reports_html(results: Mapping[str, Any]) -> str:
    """The seed notebook's per-class report for each technique, folded away by default."""
    parts = []
    for name, summary in ok(results["techniques"]).items():
        if not summary.get("classification_report"):
            continue
        table = tables.classification_report_table(summary)
        rows = [
            [
                escape(index),
                *(num(row[c]) for c in ("precision", "recall", "f1-score")),
                f"{int(row['support']):,}",
            ]
            for index, row in table.iterrows()
        ]
        parts.append(
            f"<h3>{escape(label(name))}</h3>"
            + _table(["", "Precision", "Recall", "F1", "Support"], rows)
        )
    if not parts:
        return ""
    return (
        "<details><summary>Classification reports per technique (first seed, test split)</summary>"
        + "".join(parts)
        + "</details>"
    )


def _data_section(results: Mapping[str, Any]) -> str:
    data = results["dataset"]
    techniques = results["techniques"]
    source = data.get("source", "unknown")
    badge = (
        ' <span class="synthetic">SYNTHETIC data: generated stand-in, not real transactions</span>'
        if is_synthetic(source)
        else ""
    )
    rows = data.get("rows")
    positives = data.get("positives")
    share = (
        f" ({pct(positives / rows)})"
        if isinstance(rows, numbers.Real)
        and rows
        and isinstance(positives, numbers.Real)
        else ""
    )
    facts = [
        ("Source", f"{escape(source)}{badge}"),
        ("Rows", num(rows, 0)),
        (
            "Positives",
            f"{num(positives, 0)}{share}, positive label {escape(data.get('positive_label', '?'))}",
        ),
        ("Features", num(data.get("features"), 0)),
        (
            "Split",
            f"{escape(data.get('split', 'stratified'))}: train {num(data.get('train_rows'), 0)}, "
            f"validation {num(data.get('validation_rows'), 0)}, test {num(data.get('test_rows'), 0)} rows",
        ),
    ]
    table = _table(["", ""], [[f"<strong>{k}</strong>", v] for k, v in facts])
    counts = tables.class_counts_table(data, techniques)
    count_rows = [
        [
            escape(index),
            f"{int(row['negative']):,}",
            f"{int(row['positive']):,}",
            pct(row["positive share"]),
        ]
        for index, row in counts.iterrows()
    ]
    counts_html = _table(["Set", "Negative", "Positive", "Positive share"], count_rows)
    notes = data.get("notes") or []
    notes_html = (
        "<p>Preparation notes:</p><ul>"
        + "".join(f"<li>{escape(n)}</li>" for n in notes)
        + "</ul>"
        if notes
        else ""
    )
    return (
        f"<h2>Data</h2>{table}"
        "<p>Validation and test keep the natural class ratio; only each technique's own training set "
        "is resampled.</p>"
        f"{counts_html}{notes_html}"
    )


def _config_section(results: Mapping[str, Any]) -> str:
    config = results["config"]
    techniques = results["techniques"]
    seeds = config.get("seeds") or []
    seeds_text = (
        ", ".join(escape(s) for s in seeds)
        if isinstance(seeds, list)
        else escape(seeds)
    )
    rows = [
        ("Techniques", ", ".join(escape(label(n)) for n in techniques)),
        *[(escape(k), escape(v)) for k, v in params_rows(config)],
        (
            "Seeds",
            f"{seeds_text} ({len(seeds) if isinstance(seeds, list) else 1} per technique; "
            "metrics are means over seeds)",
        ),
        ("Decision threshold", threshold_text(config)),
        ("Costs", escape(costs_text(config))),
    ]
    return "<h2>Configuration</h2>" + _table(
        ["Setting", "Value"], [[f"<strong>{k}</strong>", v] for k, v in rows]
    )


def html_report(results: Mapping[str, Any], threshold: float | None = None) -> str:
    """The whole comparison as one self-contained HTML page.

    Parameters
    ----------
    results : the results dict (``results_json`` / ``results.json``).
    threshold : ``None`` reports the thresholds stored in ``results``; a number
        re-evaluates every technique at that threshold first (see :func:`imbal_core.results.at_threshold`).

    Every piece of user-derived text is HTML-escaped; plotly.js is embedded once, inline,
    and a Content-Security-Policy forbids any network request, so the file opens offline.
    """
    results = (
        check_results(results)
        if threshold is None
        else at_threshold(results, threshold)
    )
    techniques = results["techniques"]
    chart_threshold = results["config"].get("threshold")
    chart_threshold = (
        float(chart_threshold) if isinstance(chart_threshold, numbers.Real) else None
    )
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    source = results["dataset"].get("source", "unknown")
    title = f"Imbalance techniques compared on {source}"
    point = operating_point(results)
    failures = failed(techniques)
    failed_html = (
        '<p class="callout">Failed: '
        + "; ".join(f"{escape(label(n))}: {escape(err)}" for n, err in failures.items())
        + "</p>"
        if failures
        else ""
    )
    cautions = [
        f"{escape(label(n, s))}: {escape(w)}"
        for n, s in ok(techniques).items()
        for w in s.get("warnings") or []
    ] + [escape(note) for note in results["config"].get("notes") or []]
    cautions_html = (
        '<p class="callout">Read with care: ' + "; ".join(cautions) + ".</p>"
        if cautions
        else ""
    )
    explanations = "".join(
        f"<dt>{escape(term)}</dt><dd>{escape(text)}</dd>" for term, text in EXPLANATIONS
    )
    synthetic_note = (
        '<p class="synthetic">These results come from SYNTHETIC demo data, not real transactions.</p>'
        if is_synthetic(source)
        else ""
    )
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
<p class="meta">Generated {now} · {len(techniques)} technique(s) · Keras MLP · imbalanced binary classification</p>
{synthetic_note}
{_overview_html(results, chart_threshold)}
<h2>Recommended operating point</h2>
<p class="callout">{operating_sentence(point)}</p>
<p>All numbers are measured on the held-out test split; thresholds are chosen on the validation split.
Other operating points are in the charts below: moving the threshold trades missed positives against
false alarms.</p>
{failed_html}
{cautions_html}
{_config_section(results)}
{_data_section(results)}
<h2>Metrics</h2>
{_metrics_table_html(results)}
{_classification_reports_html(results)}
<h2>Charts</h2>
{_figure_html(_figures(results, chart_threshold), first=False)}
<h2>What the numbers mean</h2>
<dl>{explanations}</dl>
</body>
</html>
"""


def write_report(
    results: Mapping[str, Any],
    out_html: str | Path,
    csv_path: str | Path | None = None,
    threshold: float | None = None,
) -> None:
    """Write :func:`html_report` to ``out_html`` and, when given, :func:`imbal_core.tables.metrics_csv` to ``csv_path``."""
    page = html_report(results, threshold)
    table = tables.metrics_csv(
        results if threshold is None else at_threshold(results, threshold)
    )
    out_html = Path(out_html)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    out_html.write_text(page, encoding="utf-8")
    if csv_path is not None:
        csv_path = Path(csv_path)
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        # newline="" keeps the csv module's own \r\n line ends intact.
        with open(csv_path, "w", encoding="utf-8", newline="") as handle:
            handle.write(table)
