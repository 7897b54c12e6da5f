"""Compare: the answer first — every technique at one operating point — then the detail.

Moving the operating point re-scores the stored validation/test probabilities;
nothing is retrained. Thresholds are chosen on the validation split and reported
on test.
"""

from __future__ import annotations

import time

import streamlit as st

from dashboard import compare, session, spread, widgets
from imbal_core import results

widgets.page_setup("Compare", "⚖️")
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
    spread.tab_name(view.comparison.dataset),
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
    compare.headline(view, done, point, costs)
with tabs["Metrics"]:
    compare.metrics(done)
with tabs["Curves"]:
    compare.curves(done)
with tabs["Costs"]:
    compare.costs_tab(view, done, costs)
with tabs["Suggested thresholds"]:
    compare.suggestions(done)
with tabs["Calibration"]:
    compare.calibration(view, done)
with tabs[spread.tab_name(view.comparison.dataset)]:
    spread.section(done)
with tabs["Class counts"]:
    compare.class_counts(view, done)
with tabs["Reports"]:
    compare.reports(done)
with tabs["Glossary"]:
    compare.glossary(list(view.comparison.runs))

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
