"""Compare: the answer first — every technique at one operating point — then the detail.

Moving the operating point re-scores the stored validation/test probabilities;
nothing is retrained. Thresholds are chosen on the validation split and reported
on test.
"""

from __future__ import annotations

import time

import streamlit as st

from dashboard import compare, session, widgets
from dashboard.widgets import show
from imbal_core import figures, results, tables

st.set_page_config(page_title="Compare · Imbalance lab", page_icon="⚖️", layout="wide")
st.title("Compare techniques")

view = session.view()
if view is None:
    widgets.stop_without_results("compare")

widgets.provenance(view.comparison.config, view.comparison.dataset)
problems, controls, headline, details, footer = (st.container() for _ in range(5))
tab_names = [
    "Metrics",
    "Curves",
    "Costs",
    "Suggested thresholds",
    "Calibration",
    "Seeds",
    "Class counts",
    "Reports",
    "Glossary",
]
with details:
    tabs = dict(zip(tab_names, st.tabs(tab_names), strict=True))

# Inputs first (they decide what is computed), each drawn where it belongs.
with tabs["Costs"]:
    costs = compare.cost_controls(view.comparison)
with controls:
    point = compare.operating_point()

started, started_cpu = time.perf_counter(), time.thread_time()
summaries = view.summaries(point, costs, session.objective())
done = results.ok(summaries)
with problems:
    compare.problems(summaries)
if not done:
    st.error(
        "No technique finished training, so there is nothing to compare. Try again on the Train page."
    )
    widgets.page_link("pages/2_Train.py", label="Go to Train", icon="🏋️")
    st.stop()

with headline:
    compare.headline(done, point)
with tabs["Metrics"]:
    compare.overview(done, None)
with tabs["Curves"]:
    compare.curves(done, None)
with tabs["Costs"]:
    left, right = st.columns(2)
    with left:
        show(figures.cost_bars(done, None), "cost_bars")
    with right:
        show(figures.cost_curves(done, None), "cost_curves")
    st.caption(
        f"Costs: {costs.describe()}. The star marks each technique's cheapest threshold on test "
        "(for reading only; suggestions come from validation)."
    )
    compare.workload(view, done)
with tabs["Suggested thresholds"]:
    compare.suggestions(done)
with tabs["Calibration"]:
    show(
        view.once("calibration", lambda: figures.reliability_curves(done)),
        "calibration",
    )
    st.caption(
        "Are the probabilities honest? On the diagonal, '0.3' means 30 % of such cases are positive. "
        "Resampling and class weights push probabilities up, so the same threshold (e.g. 0.5) means something "
        "different for each technique: compare at the same recall or alert budget instead. "
        "Brier score: mean squared error of the probabilities (lower is better)."
    )
with tabs["Seeds"]:
    compare.seeds(done)
with tabs["Class counts"]:
    compare.class_counts(view, done)
with tabs["Reports"]:
    st.caption("Both classes, as in the seed notebook (first seed, at its threshold).")
    for name, summary in done.items():
        st.markdown(f"**{widgets.plain(results.label(name))}**")
        st.code(tables.classification_report_text(summary), language=None)
with tabs["Glossary"]:
    compare.glossary()

elapsed_ms = (time.perf_counter() - started) * 1000
# Wall time for the footer; this thread's CPU time too, which a busy machine does not inflate.
session.put(
    session.COMPARE_TIMING, (elapsed_ms, (time.thread_time() - started_cpu) * 1000)
)
test_rows = int(view.comparison.dataset.get("test_rows") or 0)
footer.caption(
    f"Re-scored {len(done)} technique(s) on {test_rows:,} test rows from stored probabilities in "
    f"{elapsed_ms:.0f} ms; nothing was retrained."
)
