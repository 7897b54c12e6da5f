"""The HTML page: one self-contained file, every chart inline, no network."""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from imbal_core import figures, tables
from imbal_core.atomic import write_atomic
from imbal_core.figures import escape
from imbal_core.report._page import document, figure_html, frame_html
from imbal_core.report._text import (
    EXPLANATIONS,
    costs_text,
    network_vs_reference_text,
    num,
    operating_point,
    operating_sentence,
    params_rows,
    pct,
    threshold_text,
)
from imbal_core.results import (
    at_threshold,
    check_results,
    failed,
    is_synthetic,
    label,
    n_folds,
    ok,
    spread,
)


def _table(header: list[str], rows: list[list[str]], cls: str = "") -> str:
    """An HTML table; cells must already be escaped."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows
    )
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _measured_on(results: Mapping[str, Any]) -> str:
    """Where the figures come from: the test split, or each fold's test part."""
    cv = results["dataset"].get("cv")
    if not cv:
        return "All numbers are measured on the held-out test split"
    return (
        f"All numbers are means over the test parts of {escape(cv['scheme'])} (each "
        "fold tested on rows it did not train on; the curves and the confusion matrix "
        "are the first fold's)"
    )


def _overview_html(results: Mapping[str, Any]) -> str:
    """What the Compare page shows first: the operating point, each technique's
    threshold, recall, precision, workload, cost and PR-AUC, and the matrices."""
    techniques = results["techniques"]
    point = (results["config"].get("operating_point") or {}).get("description")
    if point is None:  # results written before operating points had a name
        point = threshold_text(results["config"]).rstrip(".")
    matrices = figures.confusion_matrices(techniques, compact=True)
    duel = network_vs_reference_text(results.get("network_vs_reference"), techniques)
    return (
        f"<h2>Overview: each technique at {escape(point)}</h2>"
        + (f'<p class="duel">{escape(duel)}</p>' if duel else "")
        + frame_html(tables.headline_table(techniques), "overview")
        + f"<p>Cost: {escape(costs_text(results['config']))}.</p>"
        + figure_html([("Confusion matrices", matrices)])
    )


def _figures(results: Mapping[str, Any]) -> list[tuple[str, Any]]:
    techniques = results["techniques"]
    return [
        ("Confusion matrices", figures.confusion_matrices(techniques)),
        ("Precision, recall and F1", figures.metric_bars(techniques)),
        ("Precision-recall curves", figures.pr_curves(techniques)),
        ("ROC curves", figures.roc_curves(techniques)),
        ("Total cost", figures.cost_bars(techniques)),
        ("Cost against threshold", figures.cost_curves(techniques)),
        ("Calibration", figures.reliability_curves(techniques)),
        ("Class counts", figures.class_counts_figure(results["dataset"], techniques)),
    ]


def _metrics_html(results: Mapping[str, Any]) -> str:
    """Every metric at the operating point (positive-class metrics first, accuracy
    last), their intervals, and how each technique trained."""
    techniques = results["techniques"]
    parts = [
        frame_html(tables.metrics_table(techniques), best=True),
        "<p>★ each column's best value on the test split (a description, not a "
        "recommendation: that is made on validation).</p>",
    ]
    intervals = tables.metrics_ci_table(techniques)
    if not intervals.empty:
        seeds = tables.seed_count(results)
        means = (
            f"Means over {spread(techniques)}"
            if seeds > 1 or n_folds(techniques)
            else "One seed"
        )
        parts.append(
            f"<p>{means}: 95 % CI of each metric, and what it covers.</p>"
            + frame_html(intervals)
        )
    parts.append(
        "<p>Training: the threshold each technique would pick on the validation split, "
        "its fit time and epochs (means over seeds).</p>"
        + frame_html(tables.training_table(techniques))
    )
    notes = [
        f"{escape(label(n, s))}: {escape(s['error'])}"
        for n, s in ok(techniques).items()
        if s.get("error")
    ] + [
        f"{escape(label(n))}: failed: {escape(e)}"
        for n, e in failed(techniques).items()
    ]
    if notes:
        parts.append("<p><small>" + "; ".join(notes) + "</small></p>")
    return "".join(parts)


def _techniques_html(results: Mapping[str, Any]) -> str:
    """What each compared technique does, and where it comes from."""
    from imbal_core import techniques

    rows = techniques.described(list(results["techniques"]))
    if not rows:
        return ""
    return (
        "<h2>The techniques compared</h2><dl>"
        + "".join(
            f"<dt>{escape(label)}</dt><dd>{escape(summary)}"
            + (f" <i>{escape(reference)}</i>" if reference else "")
            + "</dd>"
            for label, summary, reference in rows
        )
        + "</dl>"
    )


def _classification_reports_html(results: Mapping[str, Any]) -> str:
    """The seed notebook's per-class report for each technique, folded away by default."""
    parts = [
        f"<h3>{escape(label(name, summary))}</h3>"
        + frame_html(tables.classification_report_table(summary))
        for name, summary in ok(results["techniques"]).items()
        if summary.get("classification_report")
    ]
    if not parts:
        return ""
    return (
        "<details><summary>Classification reports per technique (first seed, test split)</summary>"
        + "".join(parts)
        + "</details>"
    )


def _data_section(results: Mapping[str, Any]) -> str:
    data = results["dataset"]
    source = data.get("source", "unknown")
    badge = (
        ' <span class="synthetic">SYNTHETIC data: generated stand-in, not real transactions</span>'
        if is_synthetic(source)
        else ""
    )
    rows, positives = data.get("rows"), data.get("positives")
    share = (
        f" ({pct(positives / rows, 3)})"
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
    notes = data.get("notes") or []
    notes_html = (
        "<p>Preparation notes:</p><ul>"
        + "".join(f"<li>{escape(n)}</li>" for n in notes)
        + "</ul>"
        if notes
        else ""
    )
    return (
        "<h2>Data</h2>"
        + _table(["", ""], [[f"<strong>{k}</strong>", v] for k, v in facts])
        + "<p>Validation and test keep the natural class ratio; only each technique's own "
        "training set is resampled.</p>"
        + frame_html(tables.class_counts_table(data, results["techniques"]))
        + notes_html
    )


def _config_section(results: Mapping[str, Any]) -> str:
    config = results["config"]
    seeds = config.get("seeds") or []
    seeds_text = (
        ", ".join(escape(s) for s in seeds)
        if isinstance(seeds, list)
        else escape(seeds)
    )
    count = len(seeds) if isinstance(seeds, list) else 1
    rows = [
        ("Techniques", ", ".join(escape(label(n)) for n in results["techniques"])),
        *[(escape(k), escape(v)) for k, v in params_rows(config)],
        (
            "Seeds used",
            f"{seeds_text} ({count} per technique"
            + ("; metrics are means over seeds)" if count > 1 else ")"),
        ),
        ("Decision threshold", threshold_text(config)),
        ("Costs", escape(costs_text(config))),
    ]
    return "<h2>Configuration</h2>" + _table(
        ["Setting", "Value"], [[f"<strong>{k}</strong>", v] for k, v in rows]
    )


def _cautions_html(results: Mapping[str, Any]) -> str:
    techniques = results["techniques"]
    parts = []
    failures = failed(techniques)
    if failures:
        parts.append(
            '<p class="callout">Failed: '
            + "; ".join(f"{escape(label(n))}: {escape(e)}" for n, e in failures.items())
            + "</p>"
        )
    cautions = [
        f"{escape(label(n, s))}: {escape(w)}"
        for n, s in ok(techniques).items()
        for w in s.get("warnings") or []
    ] + [escape(note) for note in results["config"].get("notes") or []]
    if cautions:
        parts.append(
            '<p class="callout">Read with care: ' + "; ".join(cautions) + ".</p>"
        )
    return "".join(parts)


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
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    source = results["dataset"].get("source", "unknown")
    title = f"Imbalance techniques compared on {source}"
    explanations = "".join(
        f"<dt>{escape(term)}</dt><dd>{escape(text)}</dd>" for term, text in EXPLANATIONS
    )
    synthetic_note = (
        '<p class="synthetic">These results come from SYNTHETIC demo data, not real transactions.</p>'
        if is_synthetic(source)
        else ""
    )
    return document(
        title,
        f"""<p class="meta">Generated {now} · {len(results["techniques"])} technique(s) · Keras MLP · imbalanced binary classification</p>
{synthetic_note}
{_overview_html(results)}
<h2>Recommended operating point</h2>
<p class="callout">{operating_sentence(operating_point(results))}</p>
<p>{_measured_on(results)}; thresholds are set by the user or
chosen on the validation split (see the configuration). Other operating points are in the
charts below: moving the threshold trades missed positives against false alarms.</p>
{_cautions_html(results)}
{_config_section(results)}
{_data_section(results)}
<h2>Metrics</h2>
{_metrics_html(results)}
{_classification_reports_html(results)}
<h2>Charts</h2>
{figure_html(_figures(results), first=False)}
<h2>What the numbers mean</h2>
<dl>{explanations}</dl>
{_techniques_html(results)}
""",
    )


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
    write_atomic(out_html, page.encode("utf-8"))
    if csv_path is not None:
        write_atomic(csv_path, table.encode("utf-8"))  # the csv module's \r\n kept
