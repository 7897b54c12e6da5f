"""Compare: every technique side by side at one decision threshold.

Moving the threshold re-scores the stored validation/test probabilities; nothing is
retrained. Thresholds are suggested on the validation split and reported on test.
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

st.caption(
    "**Precision**: of the cases a technique flags, the share that are real positives. "
    "**Recall**: of the real positives, the share it catches. "
    "**F1**: one number balancing the two. "
    "**PR-AUC**: precision averaged over every threshold (1 is perfect; picking at random scores the share of "
    "positives). **MCC**: agreement between predictions and truth, −1 to 1, fair on imbalanced data. "
    "**Cost**: missed positives plus alerts an analyst must review. Accuracy is shown last: flagging nothing "
    "already scores ~99.8 % here."
)
(
    problems,
    controls,
    overview,
    curves_box,
    reports_box,
    calibration_box,
    cost_box,
    seeds_box,
    counts_box,
    footer,
) = (st.container(border=i == 1) for i in range(10))

# Inputs first (they decide what is computed), each drawn in its own section.
with cost_box:
    st.header("Costs")
    costs = compare.cost_controls(view.comparison)
with controls:
    threshold = compare.threshold_slider()

started, started_cpu = time.perf_counter(), time.thread_time()
summaries = view.summaries(threshold, costs, session.objective())
done = results.ok(summaries)
with problems:
    compare.problems(summaries)
if not done:
    st.error(
        "No technique finished training, so there is nothing to compare. Try again on the Train page."
    )
    widgets.page_link("pages/2_Train.py", label="Go to Train", icon="🏋️")
    st.stop()

with controls:
    compare.suggestions(done)
with overview:
    compare.overview(done, threshold)

with curves_box:
    compare.curves(done, threshold)

with reports_box:
    st.header("Classification reports")
    st.caption(
        "Both classes, as in the seed notebook (first seed, at the current threshold)."
    )
    tabs = st.tabs([widgets.plain(results.label(n)) for n in done])
    for tab, summary in zip(tabs, done.values(), strict=True):
        tab.code(tables.classification_report_text(summary), language=None)

with calibration_box:
    st.header("Calibration")
    show(
        view.once("calibration", lambda: figures.reliability_curves(done)),
        "calibration",
    )
    st.caption(
        "Are the probabilities honest? On the diagonal, '0.3' means 30 % of such cases are positive. "
        "Resampling and class weights push probabilities up, so the same threshold (e.g. 0.5) means something "
        "different for each technique; compare techniques by PR-AUC or at their own suggested thresholds. "
        "Brier score: mean squared error of the probabilities (lower is better)."
    )

with cost_box:
    left, right = st.columns(2)
    with left:
        show(figures.cost_bars(done, threshold), "cost_bars")
    with right:
        show(figures.cost_curves(done, threshold), "cost_curves")
    st.caption(
        f"Costs: {costs.describe()}. The star marks each technique's cheapest threshold on test "
        "(for reading only; suggestions come from validation)."
    )
    compare.workload(view, done)

with seeds_box:
    st.header("Seeds")
    compare.seeds(done)

with counts_box:
    compare.class_counts(view, done)

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
