"""Exports: a metrics CSV that is safe to open in a spreadsheet, and one self-contained HTML report.

Both are built from the plain results dict (``experiment.results_json`` or the CLI's
``results.json``), so a report can be made long after training, from the JSON alone.

Public API
----------
metrics_frame(results) -> DataFrame
    One row per technique: status, error, thresholds, positive-class metrics,
    PR-AUC (with its 95 % CI when there are several seeds), cost, accuracy, fit time.
metrics_csv(results) -> str
    ``metrics_frame`` as CSV, neutralised against spreadsheet formula injection.
safe_csv(frame) -> str
    Any DataFrame as CSV with the same neutralisation (header included).
operating_point(results) -> dict | None
    The technique to recommend (best PR-AUC, or lowest cost when thresholds were
    tuned for cost) with its threshold, precision, recall, alerts per 1,000 and cost.
at_threshold(results, threshold) -> dict
    A copy re-evaluated at another threshold from the stored sweep (first seed).
is_synthetic(source) -> bool
    Whether a data source name is the generated demo data.
html_report(results, threshold=None) -> str
    One HTML file: configuration, data summary, charts, the chosen operating point
    and plain-language explanations. plotly.js is inlined once; no network requests.
write_report(results, out_html, csv_path=None, threshold=None) -> None
    Write the HTML report (and optionally the CSV).
load_results(path) -> dict
    Read and check a ``results.json``; raises :class:`InputError` when it is unusable.
"""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import math
import numbers
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from imbal_core import charts, evaluate
from imbal_core.errors import InputError

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and CR,
# strips it and then does): OWASP's CSV-injection list.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}

# Only inline scripts/styles and data: images may load; anything else (a CDN, a web font,
# a tracking pixel) is refused by the browser even if it somehow got into the file.
_CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src data: blob:; font-src data:"
)


# ----------------------------------------------------------------- loading
def check_results(results: Any) -> dict[str, Any]:
    """Raise :class:`InputError` unless ``results`` has the results-JSON shape."""
    if not isinstance(results, Mapping):
        raise InputError(
            "the results are not a JSON object; pass the results.json written by `python -m imbal_core train`."
        )
    missing = [
        key
        for key in ("dataset", "config", "techniques")
        if not isinstance(results.get(key), Mapping)
    ]
    if missing:
        raise InputError(
            f"the results have no {', '.join(repr(m) for m in missing)} section; pass the results.json "
            "written by `python -m imbal_core train`."
        )
    if not results["techniques"]:
        raise InputError(
            "the results list no technique; train at least one and export again."
        )
    for name, summary in results["techniques"].items():
        if not isinstance(summary, Mapping) or "status" not in summary:
            raise InputError(
                f"technique {str(name)[:60]!r} in the results has no status; the file is damaged or from another tool."
            )
        if summary["status"] == "ok":
            needed = (
                "threshold",
                "precision",
                "recall",
                "pr_auc",
                "cost",
                "confusion_matrix",
                "curves",
            )
            absent = [k for k in needed if k not in summary]
            if absent:
                raise InputError(
                    f"technique {str(name)[:60]!r} in the results lacks {', '.join(absent)}; "
                    "re-run `python -m imbal_core train` to write a complete results.json."
                )
    return dict(results)


def load_results(path: str | Path) -> dict[str, Any]:
    """Read a ``results.json`` and check its shape; one-line :class:`InputError` otherwise."""
    path = Path(path)
    if not path.is_file():
        raise InputError(
            f"results file {str(path)!r} not found; write one with `python -m imbal_core train --out {path.name}`."
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path.name} is not UTF-8 text ({exc.reason}); pass a results.json."
        ) from exc
    try:
        results = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "pass the results.json written by `python -m imbal_core train`."
        ) from exc
    return check_results(results)


# ------------------------------------------------------------------- table
def _label(name: str) -> str:
    return charts.display_name(name)


def _seed_count(results: Mapping[str, Any]) -> int:
    seeds = results.get("config", {}).get("seeds") or []
    return max(
        len(seeds) if isinstance(seeds, list) else 1,
        charts.n_seeds(results["techniques"]),
    )


def metrics_frame(results: Mapping[str, Any]) -> pd.DataFrame:
    """One row per technique (failed ones included, with their error).

    Columns: Technique, Status, Error, Threshold, Suggested threshold, Precision,
    Recall, F1, MCC, PR-AUC (and its 95 % CI low/high when there are several seeds),
    ROC-AUC, Brier, Cost, Accuracy (last of the metrics: never the headline), Fit seconds.
    Metrics are means over seeds; missing values are NaN.
    """
    results = check_results(results)
    several = _seed_count(results) > 1
    rows = []
    for name, s in results["techniques"].items():
        done = s.get("status") == "ok"

        def number(key: str, s: Mapping[str, Any] = s, done: bool = done) -> float:
            value = s.get(key) if done else None
            return float(value) if isinstance(value, numbers.Real) else math.nan

        row: dict[str, Any] = {
            "Technique": _label(name),
            "Status": str(s.get("status")),
            "Error": "" if s.get("error") is None else str(s.get("error")),
            "Threshold": number("threshold"),
            "Suggested threshold": number("suggested_threshold"),
            "Precision": number("precision"),
            "Recall": number("recall"),
            "F1": number("f1"),
            "MCC": number("mcc"),
            "PR-AUC": number("pr_auc"),
        }
        if several:
            low, high = (
                (s.get("pr_auc_ci95") or [math.nan, math.nan])
                if done
                else (math.nan, math.nan)
            )
            row["PR-AUC 95% CI low"] = float(low) if low is not None else math.nan
            row["PR-AUC 95% CI high"] = float(high) if high is not None else math.nan
        row.update(
            {
                "ROC-AUC": number("roc_auc"),
                "Brier": number("brier"),
                "Cost": number("cost"),
                "Accuracy": number("accuracy"),
                "Fit seconds": number("fit_seconds"),
            }
        )
        rows.append(row)
    return pd.DataFrame(rows)


def _csv_safe(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula; numbers pass unchanged."""
    if value is None:
        return ""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if isinstance(value, numbers.Integral):
            return int(value)
        value = float(value)
        # 10 significant digits: full precision for metrics, no 7.4959999999999996 noise.
        return float(f"{value:.10g}") if math.isfinite(value) else ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def safe_csv(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text that is safe to open in Excel / LibreOffice / Sheets.

    Every text cell (header included) that starts with ``= + - @``, a tab or a carriage
    return gets a leading ``'``, so it is shown as text instead of being evaluated;
    numbers (negative ones too) stay numbers; missing values are empty cells.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_csv_safe(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([_csv_safe(v) for v in row])
    return buffer.getvalue()


def metrics_csv(results: Mapping[str, Any]) -> str:
    """:func:`metrics_frame` as formula-safe CSV (see :func:`safe_csv`)."""
    return safe_csv(metrics_frame(results))


# ------------------------------------------------------------- re-evaluation
def at_threshold(results: Mapping[str, Any], threshold: float) -> dict[str, Any]:
    """A copy of ``results`` with every technique's threshold metrics at ``threshold``.

    Recomputed from the stored sweep (first seed, 0.01 grid), so it needs no model;
    threshold-free metrics (PR-AUC, ROC-AUC, Brier) are unchanged.
    """
    if not isinstance(threshold, numbers.Real) or not 0.0 <= float(threshold) <= 1.0:
        raise InputError(f"the threshold must be between 0 and 1, got {threshold!r}.")
    results = copy.deepcopy(check_results(results))
    used = None
    for summary in results["techniques"].values():
        if summary.get("status") != "ok":
            continue
        sweep = summary["curves"]["sweep"]
        grid = np.asarray(sweep["thresholds"], dtype=np.float64)
        index = int(np.argmin(np.abs(grid - float(threshold))))
        used = float(grid[index])
        counts = np.asarray(sweep["counts"][index], dtype=np.float64)
        summary.update(
            {k: float(v[0]) for k, v in evaluate.scores(counts[None, :]).items()}
        )
        tn, fp, fn, tp = (int(v) for v in counts)
        summary["confusion_matrix"] = [[tn, fp], [fn, tp]]
        summary["classification_report"] = evaluate.classification_report(counts)
        summary["cost"] = float(sweep["cost"][index])
        summary["threshold"] = used
        # The per-seed entries were at the old threshold; keep only the first seed's,
        # updated, so charts' CIs don't mix thresholds.
        seeds = summary.get("seeds") or []
        if seeds:
            first = dict(seeds[0])
            first.update(
                {
                    k: summary[k]
                    for k in (
                        "precision",
                        "recall",
                        "f1",
                        "accuracy",
                        "mcc",
                        "cost",
                        "confusion_matrix",
                        "threshold",
                    )
                }
            )
            summary["seeds"] = [first]
    config = results["config"]
    config["threshold"] = used if used is not None else float(threshold)
    config["threshold_note"] = (
        "re-evaluated from the stored probabilities of the first seed at this threshold"
    )
    return results


# ------------------------------------------------------------------- HTML
def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _num(value: Any, digits: int = 3) -> str:
    if not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        return "–"
    return f"{float(value):,.{digits}f}"


def _pct(value: Any) -> str:
    if not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        return "–"
    return f"{100 * float(value):.1f} %"


def is_synthetic(source: Any) -> bool:
    """The demo data is generated; say so wherever its numbers are shown."""
    text = str(source or "").lower()
    return text.startswith("demo") or "synthetic" in text


def _costs_text(config: Mapping[str, Any]) -> str:
    costs = config.get("costs") or {}
    missed = costs.get("missed", "amount")
    missed_text = (
        "its own transaction amount" if missed in (None, "amount") else _num(missed, 2)
    )
    return f"each missed positive costs {missed_text}; each reviewed alert costs {_num(costs.get('review', 5.0), 2)}"


def _threshold_text(config: Mapping[str, Any]) -> str:
    threshold = config.get("threshold", 0.5)
    objective = config.get("threshold_objective", "f1")
    goal = "the lowest cost" if objective == "cost" else "the highest F1"
    if config.get("threshold_note"):
        return f"{_num(threshold, 2)}, {_e(config['threshold_note'])}."
    if threshold == "suggested" or threshold is None:
        return (
            f"each technique's own threshold, chosen on the validation split for {goal} "
            "(never on the test split the results come from)."
        )
    return (
        f"{_num(threshold, 2)} for every technique, as set by the user. The threshold each technique "
        f"would pick on the validation split (for {goal}) is in brackets in the metrics table."
    )


def _params_rows(config: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Shared and technique-specific hyperparameters, with the registry default when unset."""
    from imbal_core.techniques import REGISTRY, SHARED_PARAMS

    rows = []
    seen: set[str] = set()
    chosen = [n for n in config.get("techniques") or [] if n in REGISTRY]
    params = [(None, p) for p in SHARED_PARAMS] + [
        (REGISTRY[n], p) for n in chosen for p in REGISTRY[n].params
    ]
    for owner, param in params:
        if param.name in seen:
            continue
        seen.add(param.name)
        value = config.get(param.name)
        shown = (
            f"{param.default:g} (default)"
            if value is None
            else (f"{value:g}" if isinstance(value, numbers.Real) else str(value))
        )
        where = "" if owner is None else f" ({owner.label})"
        rows.append((f"{param.label}{where}", shown))
    return rows


def _table(header: list[str], rows: list[list[str]], cls: str = "") -> str:
    """An HTML table; cells must already be escaped."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows
    )
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def operating_point(results: Mapping[str, Any]) -> dict[str, Any] | None:
    """The technique to recommend: lowest cost when thresholds are tuned for cost, else best PR-AUC."""
    done = charts.ok(results["techniques"])
    if not done:
        return None
    by_cost = results["config"].get("threshold_objective") == "cost"
    if by_cost:
        name = min(done, key=lambda n: float(done[n]["cost"]))
    else:
        name = max(done, key=lambda n: float(done[n]["pr_auc"]))
    s = done[name]
    return {
        "name": name,
        "label": _label(name),
        "criterion": "lowest cost" if by_cost else "highest PR-AUC",
        "threshold": float(s["threshold"]),
        "precision": float(s["precision"]),
        "recall": float(s["recall"]),
        "pr_auc": float(s["pr_auc"]),
        "cost": float(s["cost"]),
        "alerts_per_1000": charts.alerts_per_thousand(s),
    }


def _operating_sentence(point: dict[str, Any] | None) -> str:
    if point is None:
        return "No technique finished training, so there is no operating point to recommend."
    criterion = (
        f"lowest total cost, {_num(point['cost'], 0)}"
        if point["criterion"] == "lowest cost"
        else f"highest PR-AUC, {_num(point['pr_auc'])}"
    )
    return (
        f"<strong>{_e(point['label'])}</strong> ({criterion}) at a threshold of {_num(point['threshold'], 2)} "
        f"flags {_num(point['alerts_per_1000'], 1)} of every 1,000 test cases for review; "
        f"{_pct(point['precision'])} of those alerts are real positives (precision), it catches "
        f"{_pct(point['recall'])} of all positives (recall), and the total cost on the test split is "
        f"{_num(point['cost'], 0)}."
    )


EXPLANATIONS: tuple[tuple[str, str], ...] = (
    (
        "Precision",
        "Of the cases the model flags, the share that really are positive (e.g. fraud). Low precision means "
        "analysts spend their time on false alarms.",
    ),
    (
        "Recall",
        "Of all real positives, the share the model catches. Low recall means positives slip through unnoticed.",
    ),
    (
        "F1",
        "One number that balances precision and recall (their harmonic mean). It is high only when both are.",
    ),
    (
        "PR-AUC (average precision)",
        "How well the model ranks positives above negatives across every possible threshold, judged by "
        "precision and recall. A model that guesses scores about the share of positives in the data (often "
        "well below 0.01), a perfect one scores 1. It is the headline number here because it focuses on the "
        "rare class.",
    ),
    (
        "ROC-AUC",
        "The chance that a random positive gets a higher score than a random negative (0.5 = guessing, 1 = "
        "perfect). With very few positives it can look excellent while precision is poor, so read it together "
        "with PR-AUC.",
    ),
    (
        "MCC (Matthews correlation)",
        "A correlation between predictions and the truth that uses all four cells of the confusion matrix: "
        "1 is perfect, 0 is no better than chance, negative is worse than chance. It stays honest when the "
        "classes are very unequal.",
    ),
    (
        "Brier score",
        "The average squared gap between the predicted probability and what happened (0 is perfect, lower is "
        "better). It tells whether a “70 %” really means 70 %. Resampling and class weights usually make "
        "probabilities too high even when the ranking improves.",
    ),
    (
        "Cost",
        "What the decisions cost on the test split: every missed positive at its cost plus every alert at the "
        "cost of a review. It turns the trade-off between misses and false alarms into one amount that the "
        "business can compare.",
    ),
    (
        "Threshold",
        "A case is flagged when its predicted probability is above the threshold. A lower threshold catches "
        "more positives (recall up) but raises more false alarms (precision down).",
    ),
    (
        "Why accuracy misleads",
        "When only a tiny share of cases are positive, a model that never flags anything is still right almost "
        "every time: with 0.2 % fraud it is 99.8 % “accurate” and catches no fraud at all. That is why accuracy "
        "is listed last and never used to pick a technique.",
    ),
)

_CSS = """
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


def _figures(
    results: Mapping[str, Any], threshold: float | None
) -> list[tuple[str, Any]]:
    techniques = results["techniques"]
    return [
        ("Confusion matrices", charts.confusion_matrices(techniques, threshold)),
        ("Precision, recall and F1", charts.metric_bars(techniques, threshold)),
        ("Precision-recall curves", charts.pr_curves(techniques, threshold)),
        ("ROC curves", charts.roc_curves(techniques, threshold)),
        ("Cost", charts.cost_bars(techniques, threshold)),
        ("Cost against threshold", charts.cost_curves(techniques, threshold)),
        ("Calibration", charts.reliability_curves(techniques, threshold)),
        ("Class counts", charts.class_counts_figure(results["dataset"], techniques)),
    ]


def _figure_html(figures: list[tuple[str, Any]]) -> str:
    parts = []
    for index, (_, fig) in enumerate(figures):
        # plotly.js goes inline with the first figure only: one ~4 MB bundle, no CDN.
        div = fig.to_html(
            full_html=False,
            include_plotlyjs=index == 0,
            config=_PLOTLY_CONFIG,
            default_width="100%",
        )
        parts.append(f'<div class="figure">{div}</div>')
    return "\n".join(parts)


def _metrics_table_html(results: Mapping[str, Any]) -> str:
    """The metrics as an HTML table: positive-class metrics first, accuracy last."""
    frame = metrics_frame(results)
    several = "PR-AUC 95% CI low" in frame.columns
    alerts = [
        charts.alerts_per_thousand(s) if s.get("status") == "ok" else math.nan
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
    ]
    rows_html = []
    for record, per_1000 in zip(frame.to_dict("records"), alerts, strict=True):
        name = f"<td>{_e(record['Technique'])}</td>"
        if record["Status"] != "ok":
            error = _e(record["Error"] or "unknown error")
            rows_html.append(
                f'<tr class="failed">{name}<td colspan="{len(header) - 1}">failed: {error}</td></tr>'
            )
            continue
        pr_auc = _num(record["PR-AUC"])
        if several:
            pr_auc += f"<br><small>{_num(record['PR-AUC 95% CI low'])} to {_num(record['PR-AUC 95% CI high'])}</small>"
        cells = [
            _num(record["Precision"]),
            _num(record["Recall"]),
            _num(record["F1"]),
            _num(record["MCC"]),
            pr_auc,
            _num(record["ROC-AUC"]),
            _num(record["Brier"], 4),
            _num(record["Cost"], 0),
            _num(per_1000, 1),
            f"{_num(record['Threshold'], 2)} ({_num(record['Suggested threshold'], 2)})",
            _num(record["Accuracy"]),
            _num(record["Fit seconds"], 1),
        ]
        row = name + "".join(f'<td class="n">{c}</td>' for c in cells)
        if record["Error"]:  # e.g. some seeds failed
            row += f'</tr><tr><td></td><td colspan="{len(header) - 1}"><small>{_e(record["Error"])}</small></td>'
        rows_html.append(f"<tr>{row}</tr>")
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    seeds = _seed_count(results)
    note = (
        f"<p>Means over {seeds} seeds; the 95 % confidence interval of PR-AUC is shown under it.</p>"
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
    for name, summary in charts.ok(results["techniques"]).items():
        if not summary.get("classification_report"):
            continue
        table = charts.classification_report_table(summary)
        rows = [
            [
                _e(index),
                *(_num(row[c]) for c in ("precision", "recall", "f1-score")),
                f"{int(row['support']):,}",
            ]
            for index, row in table.iterrows()
        ]
        parts.append(
            f"<h3>{_e(_label(name))}</h3>"
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
        f" ({_pct(positives / rows)})"
        if isinstance(rows, numbers.Real)
        and rows
        and isinstance(positives, numbers.Real)
        else ""
    )
    facts = [
        ("Source", f"{_e(source)}{badge}"),
        ("Rows", _num(rows, 0)),
        (
            "Positives",
            f"{_num(positives, 0)}{share}, positive label {_e(data.get('positive_label', '?'))}",
        ),
        ("Features", _num(data.get("features"), 0)),
        (
            "Split",
            f"{_e(data.get('split', 'stratified'))}: train {_num(data.get('train_rows'), 0)}, "
            f"validation {_num(data.get('validation_rows'), 0)}, test {_num(data.get('test_rows'), 0)} rows",
        ),
    ]
    table = _table(["", ""], [[f"<strong>{k}</strong>", v] for k, v in facts])
    counts = charts.class_counts_table(data, techniques)
    count_rows = [
        [
            _e(index),
            f"{int(row['negative']):,}",
            f"{int(row['positive']):,}",
            _pct(row["positive share"]),
        ]
        for index, row in counts.iterrows()
    ]
    counts_html = _table(["Set", "Negative", "Positive", "Positive share"], count_rows)
    notes = data.get("notes") or []
    notes_html = (
        "<p>Preparation notes:</p><ul>"
        + "".join(f"<li>{_e(n)}</li>" for n in notes)
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
        ", ".join(_e(s) for s in seeds) if isinstance(seeds, list) else _e(seeds)
    )
    rows = [
        ("Techniques", ", ".join(_e(_label(n)) for n in techniques)),
        *[(_e(k), _e(v)) for k, v in _params_rows(config)],
        (
            "Seeds",
            f"{seeds_text} ({len(seeds) if isinstance(seeds, list) else 1} per technique; "
            "metrics are means over seeds)",
        ),
        ("Decision threshold", _threshold_text(config)),
        ("Costs", _e(_costs_text(config))),
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
        re-evaluates every technique at that threshold first (see :func:`at_threshold`).

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
    failed = charts.failed(techniques)
    failed_html = (
        '<p class="callout">Failed: '
        + "; ".join(f"{_e(_label(n))}: {_e(err)}" for n, err in failed.items())
        + "</p>"
        if failed
        else ""
    )
    explanations = "".join(
        f"<dt>{_e(term)}</dt><dd>{_e(text)}</dd>" for term, text in EXPLANATIONS
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
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="imbal_core report">
<title>{_e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{_e(title)}</h1>
<p class="meta">Generated {now} · {len(techniques)} technique(s) · Keras MLP · imbalanced binary classification</p>
{synthetic_note}
<h2>Recommended operating point</h2>
<p class="callout">{_operating_sentence(point)}</p>
<p>All numbers are measured on the held-out test split; thresholds are chosen on the validation split.
Other operating points are in the charts below: moving the threshold trades missed positives against
false alarms.</p>
{failed_html}
{_config_section(results)}
{_data_section(results)}
<h2>Metrics</h2>
{_metrics_table_html(results)}
{_classification_reports_html(results)}
<h2>Charts</h2>
{_figure_html(_figures(results, chart_threshold))}
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
    """Write :func:`html_report` to ``out_html`` and, when given, :func:`metrics_csv` to ``csv_path``."""
    page = html_report(results, threshold)
    table = metrics_csv(
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
