"""Home: what the tool does, which data is loaded, where to go next."""

from __future__ import annotations

import streamlit as st

from dashboard import loaders, session, widgets
from imbal_core import results

widgets.page_setup("Home", "⚖️")
st.title("imbalance-compare")
st.markdown(
    "Train the same neural network on an imbalanced data set (such as credit card fraud) with seven ways of "
    "handling the rare class — class weights, under/oversampling, SMOTE, balanced bagging, focal loss — and "
    "compare them side by side. Move the decision threshold and the costs of a missed fraud or a review to "
    "see what each technique would catch, and at what price, on data it never saw."
)

dataset = loaders.current_dataset()
st.subheader("Data loaded now")
widgets.dataset_badge(dataset)

comparison = session.comparison()
if comparison is not None:
    trained = [results.label(n) for n in comparison.runs if comparison.ok_runs(n)]
    stale = not session.of_data(comparison, dataset)
    st.markdown(
        f"**Results in this session{' (on the previous data)' if stale else ''}:** "
        f"{', '.join(trained) or 'none succeeded'}."
    )

st.subheader("Where to go next")
c1, c2, c3, c4, c5, c6 = st.columns(6)
with c1:
    widgets.page_link("pages/1_Data.py", "Data", icon="📊")
    st.caption(
        "Use the real creditcard file, the demo data or your own CSV or Parquet file; pick the target and the split."
    )
with c2:
    widgets.page_link("pages/2_Train.py", "Train", icon="🏋️")
    st.caption(
        "Choose techniques, epochs and seeds, or cross-validate, then train. Same settings "
        "are never trained twice, even after a restart."
    )
with c3:
    widgets.page_link("pages/3_Compare.py", "Compare", icon="⚖️")
    st.caption(
        "PR-AUC, recall, precision, MCC and cost per technique, at a threshold you choose."
    )
with c4:
    widgets.page_link("pages/4_Report.py", "Report", icon="📄")
    st.caption("Download a self-contained HTML report and the results as CSV/JSON.")
with c5:
    widgets.page_link("pages/5_History.py", "History", icon="🕘")
    st.caption(
        "Every comparison kept: reopen one in Compare, download it or delete it."
    )
with c6:
    widgets.page_link("pages/6_Benchmark.py", "Benchmark", icon="🏁")
    st.caption("Techniques ranked across many data sets, from a benchmark file.")
