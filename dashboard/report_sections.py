"""The Report page's sections: the exports at the Compare page's settings, the
recommendation, the downloads and a preview."""

from __future__ import annotations

import io
from typing import Any

import streamlit as st

from dashboard import session, widgets
from dashboard.widgets import plain
from imbal_core import report, results, tables
from imbal_core.results import Comparison


def exports(comparison: Comparison) -> tuple[dict, str, str]:
    """Results at the Compare page's settings, their JSON and the safe CSV; rebuilt
    only when the comparison or a setting changes."""
    settings = (
        session.operating_point(),
        session.costs(comparison),
        session.objective(),
    )
    cached = session.get(session.REPORT_EXPORTS)
    # Holding the comparison itself (not its id): a new comparison never hits a stale entry.
    if cached and cached[0] is comparison and cached[1] == settings:
        return cached[2]
    built_results = session.view().results_json(*settings)
    built = (
        built_results,
        results.dump_results(built_results),
        tables.metrics_csv(built_results),
    )
    session.put(session.REPORT_EXPORTS, (comparison, settings, built))
    return built


def findings(summary: dict[str, Any]) -> None:
    """The recommendation, then anything to read with care."""
    point = report.operating_point(summary)
    if point is None:
        st.warning(
            "No technique finished training, so the report has no operating point to recommend."
        )
    else:
        widgets.recommendation(point)
    for name, technique in results.ok(summary["techniques"]).items():
        for warning in technique.get("warnings") or []:  # "did not learn: ..."
            st.warning(f"**{plain(results.label(name))}** {plain(warning)}", icon="⚠️")
    for name, error in results.failed(summary["techniques"]).items():
        st.error(f"{plain(results.label(name))} failed: {plain(error)}", icon="🚫")


def downloads(
    comparison: Comparison, summary: dict, results_text: str, csv_text: str
) -> None:
    left, middle, right, last = st.columns(4)
    left.download_button(
        "Results (JSON)",
        data=results_text,
        file_name="results.json",
        mime="application/json",
        on_click="ignore",
        help="Everything measured, per technique and seed; `python -m imbal_core report "
        "--results results.json --out report.html` turns it into the HTML report.",
        key="download_json",
    )
    middle.download_button(
        "Metrics table (CSV)",
        data=csv_text,
        file_name="metrics.csv",
        mime="text/csv",
        on_click="ignore",
        help="One row per technique. Cells a spreadsheet could run as a formula are prefixed with '.",
        key="download_csv",
    )
    right.download_button(
        "Report (HTML)",
        # Built only when clicked: it embeds plotly.js (~4 MB) and takes a few seconds.
        data=lambda: report.html_report(summary),
        file_name="imbalance-report.html",
        mime="text/html",
        on_click="ignore",
        help="One self-contained page with the charts and plain-language explanations; opens offline.",
        key="download_html",
    )
    last.download_button(
        "Comparison (.zip)",
        data=lambda: saved_bytes(comparison, summary),
        file_name="comparison.zip",
        mime="application/zip",
        on_click="ignore",
        help="The results and every run's probabilities: open it on the Data page of any copy of "
        "this dashboard (no data, no retraining) or pass it to `python -m imbal_core report`.",
        key="download_zip",
    )


def preview(summary: dict[str, Any]) -> None:
    """The metrics at the operating point, as the HTML report shows them."""
    widgets.table(tables.metrics_table(summary["techniques"]), best=True)
    st.caption(
        "Means over seeds when there are several; highlighted: each column's best value. "
        "Everything is measured on the test split. "
        "Accuracy is last on purpose: on imbalanced data a model that flags nothing looks "
        "almost perfect."
    )


def saved_bytes(comparison: Comparison, summary: Any) -> bytes:
    """The comparison as a saved-comparison zip, in memory (for a download button)."""
    buffer = io.BytesIO()
    results.save_comparison(comparison, summary, buffer)
    return buffer.getvalue()
