"""Report: export the latest comparison as results JSON, a spreadsheet-safe CSV, one offline HTML page and a comparison file."""

from __future__ import annotations

import streamlit as st

from dashboard import report_sections, session, widgets
from imbal_core import results

widgets.page_setup("Report", "📄")
st.title("Report")

comparison = session.comparison()
if comparison is None:
    widgets.stop_without_results("report")

exported = None
with (
    widgets.friendly_errors("Building the report"),
    st.spinner("Evaluating the comparison…"),
):
    exported = report_sections.exports(comparison)
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
    f"**{widgets.plain(session.operating_point().describe())}** (the Compare page's setting) "
    f"with costs: {widgets.plain(session.costs(comparison).describe())}."
)
widgets.page_link(
    "pages/3_Compare.py",
    label="Change the operating point or the costs on Compare",
    icon="⚖️",
)
report_sections.findings(summary)

st.subheader("Download")
report_sections.downloads(comparison, summary, results_text, csv_text)

st.subheader("Preview: metrics on the test split")
report_sections.preview(summary)
