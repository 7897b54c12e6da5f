"""Report: export the latest comparison as results JSON, a spreadsheet-safe CSV and one offline HTML page."""

from __future__ import annotations

import streamlit as st

from dashboard import session, widgets
from imbal_core import report, results, tables

st.set_page_config(page_title="Report · Imbalance lab", page_icon="📄", layout="wide")
st.title("Report")

comparison = session.comparison()
if comparison is None:
    widgets.stop_without_results("report")

compare_at, objective = session.operating_point(), session.objective()
costs = session.default_costs(comparison)


def exports() -> tuple[dict, str, str]:
    """Results, their JSON and the safe CSV, rebuilt only when the comparison or a setting changes."""
    key = (compare_at, costs, objective)
    cached = session.get(session.REPORT_EXPORTS)
    if cached and cached[0] is comparison and cached[1] == key:
        return cached[2]
    built_results = session.view().results_json(compare_at, costs, objective)
    text = results.dump_results(built_results)
    built = (built_results, text, tables.metrics_csv(built_results))
    # Holding the comparison itself (not its id): a new comparison never hits a stale entry.
    session.put(session.REPORT_EXPORTS, (comparison, key, built))
    return built


exported = None
with (
    widgets.friendly_errors("Building the report"),
    st.spinner("Evaluating the comparison…"),
):
    exported = exports()
if exported is None:
    st.stop()
summary, results_text, csv_text = exported

source = summary["dataset"].get("source", "")
if results.is_synthetic(source):
    st.warning(
        "**SYNTHETIC data**: these results come from the generated demo data; the report says so too.",
        icon="🧪",
    )
st.markdown(
    f"Exports of the latest comparison on **{widgets.plain(source)}** at "
    f"**{widgets.plain(compare_at.describe())}** (the Compare page's setting) with costs: "
    f"{widgets.plain(costs.describe())}."
)
widgets.page_link(
    "pages/3_Compare.py",
    label="Change the operating point or the costs on Compare",
    icon="⚖️",
)

point = report.operating_point(summary)
if point is None:
    st.warning(
        "No technique finished training, so the report has no operating point to recommend."
    )
else:
    widgets.recommendation(point)
for name, technique in results.ok(summary["techniques"]).items():
    for warning in technique.get("warnings") or []:  # "did not learn: ..."
        st.warning(
            f"**{widgets.plain(results.label(name))}** {widgets.plain(warning)}",
            icon="⚠️",
        )
failed = results.failed(summary["techniques"])
for name, error in failed.items():
    st.error(
        f"{widgets.plain(results.label(name))} failed: {widgets.plain(error)}",
        icon="🚫",
    )

st.subheader("Download")
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
    data=lambda: widgets.saved_bytes(comparison, summary),
    file_name="comparison.zip",
    mime="application/zip",
    on_click="ignore",
    help="The results and every run's probabilities: open it on the Data page of any copy of "
    "this dashboard (no data, no retraining) or pass it to `python -m imbal_core report`.",
    key="download_zip",
)

st.subheader("Preview: metrics on the test split")
preview = tables.metrics_frame(summary)
if not failed and not preview["Error"].astype(bool).any():
    preview = preview.drop(columns=["Status", "Error"])
formats = {
    "Cost": "%.0f",
    "Fit seconds": "%.1f",
    "Threshold": "%.2f",
    "Suggested threshold": "%.2f",
}
st.dataframe(
    preview,
    hide_index=True,
    width="stretch",
    column_config={
        column: st.column_config.NumberColumn(format=formats.get(column, "%.3f"))
        for column in preview.columns
        if preview[column].dtype.kind == "f"
    },
)
st.caption(
    "Means over seeds when there are several. Thresholds are chosen on the validation split; everything is measured on the test split. "
    "Accuracy is last on purpose: on imbalanced data a model that flags nothing looks almost perfect."
)
