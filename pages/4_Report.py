"""Report: export the latest comparison as results JSON, a spreadsheet-safe CSV and one offline HTML page."""

from __future__ import annotations

import json

import streamlit as st

import ui
from imbal_core import experiment, report
from imbal_core.evaluate import Costs

st.set_page_config(page_title="Report · Imbalance lab", page_icon="📄", layout="wide")
ui.init_session()
st.title("Report")

comparison = st.session_state.get("comparison")
if comparison is None:
    st.info(
        "Nothing to report yet: train at least one technique first, then come back here.",
        icon="ℹ️",
    )
    ui.page_link("pages/2_Train.py", label="Go to Train", icon="🏋️")
    st.stop()

# "threshold" is the Compare slider's widget key, which Streamlit drops once another page
# runs; Compare mirrors it in "_threshold_kept", so fall back to that before the default.
threshold = float(
    st.session_state.get("threshold", st.session_state.get("_threshold_kept", 0.5))
)
objective = (
    st.session_state.get("objective") or st.session_state.get("_objective_kept") or "f1"
)
costs = st.session_state.get("costs") or Costs(
    missed=None if comparison.amounts_test is not None else 100.0, review=5.0
)


def exports() -> tuple[dict, str, str]:
    """Results dict, its JSON and the safe CSV, rebuilt only when the comparison, threshold or costs change."""
    key = (threshold, costs, objective)
    cached = st.session_state.get("_report_exports")
    if cached and cached[0] is comparison and cached[1] == key:
        return cached[2]
    results = experiment.results_json(comparison, threshold, costs, objective)
    built = (results, json.dumps(results, indent=1), report.metrics_csv(results))
    # Holding the comparison itself (not its id) means a new comparison can never hit a stale entry.
    st.session_state["_report_exports"] = (comparison, key, built)
    return built


results = None
with (
    ui.friendly_errors("Building the report"),
    st.spinner("Evaluating the comparison…"),
):
    results, results_text, csv_text = exports()
if results is None:
    st.stop()

source = results["dataset"].get("source", "")
if report.is_synthetic(source):
    st.warning(
        "**SYNTHETIC data**: these results come from the generated demo data; the report says so too.",
        icon="🧪",
    )
st.markdown(
    f"Exports of the latest comparison on **{ui.plain(source)}** at threshold **{threshold:.2f}** "
    f"(the Compare page's slider) with costs: {ui.plain(costs.describe())}."
)
ui.page_link(
    "pages/3_Compare.py", label="Change the threshold or the costs on Compare", icon="⚖️"
)

point = report.operating_point(results)
if point is None:
    st.warning(
        "No technique finished training, so the report has no operating point to recommend."
    )
else:
    criterion = (
        "lowest cost" if point["criterion"] == "lowest cost" else "highest PR-AUC"
    )
    st.success(
        f"**{ui.plain(point['label'])}** ({criterion}) flags {point['alerts_per_1000']:.1f} of every 1,000 "
        f"test cases; {point['precision']:.1%} of its alerts are real positives, it catches "
        f"{point['recall']:.1%} of them, total cost {point['cost']:,.0f}."
    )
failed = {
    ui.label(n): s.get("error")
    for n, s in results["techniques"].items()
    if s.get("status") != "ok"
}
for name, error in failed.items():
    st.error(
        f"{ui.plain(name)} failed: {ui.plain(error or 'unknown error')}", icon="🚫"
    )

st.subheader("Download")
left, middle, right = st.columns(3)
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
    data=lambda: report.html_report(results),
    file_name="imbalance-report.html",
    mime="text/html",
    on_click="ignore",
    help="One self-contained page with the charts and plain-language explanations; opens offline.",
    key="download_html",
)

st.subheader("Preview: metrics on the test split")
preview = report.metrics_frame(results)
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
    "Means over seeds. Thresholds are chosen on the validation split; everything is measured on the test split. "
    "Accuracy is last on purpose: on imbalanced data a model that flags nothing looks almost perfect."
)
