"""Compare: every technique side by side at one decision threshold.

Moving the threshold re-scores the stored validation/test probabilities; nothing is
retrained. Thresholds are suggested on the validation split and reported on test.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

import ui
from imbal_core import charts, evaluate, experiment
from imbal_core.evaluate import Costs
from imbal_core.experiment import Comparison

st.set_page_config(page_title="Compare · Imbalance lab", page_icon="⚖️", layout="wide")
ui.init_session()
st.title("Compare techniques")


def link_to_train() -> None:
    try:
        ui.page_link("pages/2_Train.py", label="Go to Train", icon="🏋️")
    except (
        StreamlitPageNotFoundError
    ):  # this page run on its own (no navigation): say it in words
        st.markdown("Open **Train** in the sidebar.")


comparison: Comparison | None = st.session_state.get("comparison")
if comparison is None:
    st.info(
        "Nothing to compare yet: train at least one technique first, then come back here.",
        icon="ℹ️",
    )
    link_to_train()
    st.stop()

OBJECTIVES = {"f1": "Best F1 on validation", "cost": "Lowest cost on validation"}
AMOUNT, FIXED = "The transaction's Amount", "A fixed amount"
MEMO_ENTRIES = 64
has_amounts = comparison.amounts_test is not None
test_rows = int(comparison.dataset.get("test_rows") or 0)

# ------------------------------------------------------------ session defaults
# Widget keys are dropped by Streamlit when another page runs; "_threshold_kept"
# (a plain key) brings the slider back where the user left it.
if "threshold" not in st.session_state:
    st.session_state["threshold"] = float(st.session_state.get("_threshold_kept", 0.5))
costs: Costs = st.session_state.get("costs") or Costs(
    missed=None if has_amounts else 100.0, review=5.0
)
st.session_state.setdefault(
    "cost_mode", AMOUNT if has_amounts and costs.missed is None else FIXED
)
st.session_state.setdefault(
    "cost_missed", float(costs.missed if costs.missed is not None else 100.0)
)
st.session_state.setdefault("cost_review", float(costs.review))
st.session_state.setdefault("objective", "f1")
if not has_amounts:
    st.session_state["cost_mode"] = FIXED


def apply_threshold(value: float) -> None:
    """on_click: runs before the next script run, so the slider is created with the new value."""
    st.session_state["threshold"] = float(value)


def _memo() -> tuple[Comparison, dict, dict]:
    memo = st.session_state.get("_compare_memo")
    if not memo or memo[0] is not comparison:
        memo = (comparison, {}, {})
        st.session_state["_compare_memo"] = memo
    return memo


def fixed_figure(name: str, build):
    """Figures that no threshold or cost changes (calibration, class counts): built once per comparison."""
    figures = _memo()[2]
    if name not in figures:
        figures[name] = build()
    return figures[name]


def summaries(threshold: float, costs: Costs, objective: str) -> dict[str, dict]:
    """Every technique's summary at ``threshold`` (the results-JSON shape), memoised.

    ``experiment.technique_summary`` also rebuilds the curves, the validation
    suggestion and the sweep, none of which depend on the threshold; that is most of
    its time. So it runs once per (costs, objective), and each new threshold only
    re-scores the stored test probabilities (:func:`imbal_core.experiment.rescore`). Holding the comparison
    object itself (not its id) means a new comparison never hits a stale entry.
    """
    memo = _memo()
    base_key = ("base", costs, objective)
    if base_key not in memo[1]:
        memo[1][base_key] = {
            name: experiment.technique_summary(
                comparison, name, threshold, costs, objective
            )
            for name in comparison.runs
        }
    key = (round(threshold, 4), costs, objective)
    if key not in memo[1]:
        if len(memo[1]) >= MEMO_ENTRIES:
            memo[1].pop(next(k for k in memo[1] if k[0] != "base"))
        memo[1][key] = {
            name: experiment.rescore(
                base,
                comparison.ok_runs(name),
                threshold,
                costs,
                comparison.amounts_test,
            )
            for name, base in memo[1][base_key].items()
        }
    return memo[1][key]


def show(figure, key: str) -> None:
    # theme=None: the figures carry their own look (the same as in the HTML report);
    # Streamlit's theme would swap the confusion matrices' colour scale.
    st.plotly_chart(
        figure, width="stretch", theme=None, key=key, config={"displaylogo": False}
    )


# ------------------------------------------------------------------- layout
st.caption(
    "**Precision**: of the cases a technique flags, the share that are real positives. "
    "**Recall**: of the real positives, the share it catches. "
    "**F1**: one number balancing the two. "
    "**PR-AUC**: precision averaged over every threshold (1 is perfect; picking at random scores the share of "
    "positives). **MCC**: agreement between predictions and truth, −1 to 1, fair on imbalanced data. "
    "**Cost**: missed positives plus alerts an analyst must review. Accuracy is shown last: flagging nothing "
    "already scores ~99.8 % here."
)
problems = st.container()
controls = st.container(border=True)
overview = st.container()
curves_box = st.container()
reports_box = st.container()
calibration_box = st.container()
cost_box = st.container()
seeds_box = st.container()
counts_box = st.container()
footer = st.container()

# Inputs first (they decide what is computed), each drawn in its own section.
with cost_box:
    st.header("Costs")
    st.caption(
        "What a decision costs: every missed positive, and every alert an analyst has to review. "
        "Used for the cost figures and for thresholds suggested by lowest cost."
    )
    left, middle, right = st.columns(3)
    if has_amounts:
        left.radio(
            "Cost of a missed positive",
            [AMOUNT, FIXED],
            key="cost_mode",
            help="The Amount of the missed transaction, or the same fixed amount for every miss.",
        )
    else:
        left.markdown(
            "**Cost of a missed positive:** a fixed amount (this data has no Amount column)."
        )
    middle.number_input(
        "Fixed cost of a missed positive",
        min_value=0.0,
        step=10.0,
        key="cost_missed",
        disabled=st.session_state["cost_mode"] == AMOUNT,
    )
    right.number_input(
        "Cost per alert reviewed", min_value=0.0, step=1.0, key="cost_review"
    )
costs = Costs(
    missed=None
    if st.session_state["cost_mode"] == AMOUNT
    else float(st.session_state["cost_missed"]),
    review=float(st.session_state["cost_review"]),
)
st.session_state["costs"] = costs

with controls:
    st.slider(
        "Decision threshold",
        min_value=0.0,
        max_value=1.0,
        step=0.01,
        key="threshold",
        help="A case is flagged positive when its predicted probability is above this. Moving it re-scores the "
        "stored test probabilities of every technique at once; nothing is retrained.",
    )
threshold = float(st.session_state["threshold"])
st.session_state["_threshold_kept"] = threshold
objective = st.session_state["objective"]

started, started_cpu = time.perf_counter(), time.thread_time()
results = summaries(threshold, costs, objective)
done = charts.ok(results)

with problems:
    for name, error in charts.failed(results).items():
        st.warning(
            f"**{ui.plain(charts.display_name(name))}** failed: {ui.plain(error)}",
            icon="⚠️",
        )
    for name, summary in done.items():
        if summary.get("error"):  # some seeds failed; the rest are averaged
            st.warning(
                f"**{ui.plain(charts.display_name(name))}**: {ui.plain(summary['error'])}",
                icon="⚠️",
            )
if not done:
    st.error(
        "No technique finished training, so there is nothing to compare. Try again on the Train page."
    )
    link_to_train()
    st.stop()

several_seeds = charts.n_seeds(done) > 1

# ------------------------------------------------------- threshold controls
with controls:
    st.markdown(
        "**Suggested thresholds** — chosen on the validation split, never on test."
    )
    st.radio(
        "Suggest by",
        list(OBJECTIVES),
        format_func=OBJECTIVES.get,
        key="objective",
        horizontal=True,
        help="Best F1 balances precision and recall; lowest cost uses the costs below.",
    )
    table_col, apply_col = st.columns([3, 2])
    table_col.dataframe(
        charts.suggested_thresholds_table(done),
        width="stretch",
        column_config={
            "Suggested (validation)": st.column_config.NumberColumn(format="%.2f"),
            "In use": st.column_config.NumberColumn(format="%.2f"),
        },
    )
    pick = apply_col.selectbox(
        "Technique", list(done), format_func=charts.display_name, key="suggest_pick"
    )
    suggested = float(done[pick]["suggested_threshold"])
    apply_col.button(
        "Apply suggested threshold",
        on_click=apply_threshold,
        args=(suggested,),
        key="apply_suggested",
        help=f"Set the slider to {suggested:.2f}, the threshold chosen for this technique on validation.",
    )
    apply_col.caption(
        "One slider for all techniques, so a technique's suggestion is applied to every one of them. "
        "A probability means different things per technique (see Calibration)."
    )

# ----------------------------------------------------------------- overview
with overview:
    st.header(f"At threshold {threshold:.2f}")
    show(charts.confusion_matrices(done, threshold), "confusion")
    st.caption(
        "Rows are the truth, columns the prediction. TP = positives caught, FN = positives missed, "
        "FP = false alarms. Colour shows the share of each true class, so the rare positive row stays readable."
    )
    table = charts.metrics_table(done)
    table.insert(0, "Best at", charts.best_marks(table))
    table["Cost"] = table["Cost"].round(0)
    number = st.column_config.NumberColumn
    st.subheader("Metrics on the test split")
    st.dataframe(
        table,
        width="stretch",
        column_config={
            **{
                c: number(format="%.3f")
                for c in ("Precision", "Recall", "F1", "PR-AUC", "ROC-AUC", "MCC")
            },
            "Brier": number(format="%.4f"),
            "Cost": number(format="localized"),
            "Alerts per 1k": number(format="%.1f"),
            "Threshold": number(format="%.2f"),
            "Accuracy": number(format="%.4f"),
        },
    )
    st.caption(
        "★ Best at: the columns where a technique has the best value (lowest for Brier, cost and alerts). "
        + (
            "Values are means over seeds; the table below gives 95 % confidence intervals."
            if several_seeds
            else ""
        )
    )
    if several_seeds:
        st.markdown(
            f"**Mean ± 95 % confidence interval over {charts.n_seeds(done)} seeds**"
        )
        st.dataframe(charts.metrics_ci_table(done), width="stretch")
    show(charts.metric_bars(done, threshold), "bars")

with curves_box:
    st.header("Across all thresholds")
    left, right = st.columns(2)
    with left:
        show(charts.pr_curves(done, threshold), "pr")
        st.caption(
            "Precision-recall: how precision falls as a technique catches more positives. Higher and further "
            "right is better; the dot is where the current threshold puts each technique."
        )
    with right:
        show(charts.roc_curves(done, threshold), "roc")
        st.caption(
            "ROC: recall against the share of negatives falsely flagged. On rare positives it looks "
            "flattering; trust the precision-recall curve more."
        )

with reports_box:
    st.header("Classification reports")
    st.caption(
        "Both classes, as in the seed notebook (first seed, at the current threshold)."
    )
    tabs = st.tabs([ui.plain(charts.display_name(n)) for n in done])
    for tab, summary in zip(tabs, done.values(), strict=True):
        tab.code(charts.classification_report_text(summary), language=None)

with calibration_box:
    st.header("Calibration")
    show(
        fixed_figure("calibration", lambda: charts.reliability_curves(done)),
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
        show(charts.cost_bars(done, threshold), "cost_bars")
    with right:
        show(charts.cost_curves(done, threshold), "cost_curves")
    st.caption(
        f"Costs: {costs.describe()}. The star marks each technique's cheapest threshold on test "
        "(for reading only; suggestions come from validation)."
    )
    max_k = max(1, len(comparison.ok_runs(next(iter(done)))[0].y_test))
    st.session_state.setdefault("top_k", min(100, max_k))
    k = int(
        st.number_input(
            "Analyst capacity: alerts reviewed (k)",
            min_value=1,
            max_value=max_k,
            step=10,
            key="top_k",
            help="If analysts can only review k cases, which technique puts the most real positives in its top k?",
        )
    )
    workload = {}
    for name, summary in done.items():
        runs = comparison.ok_runs(name)
        at_top = [evaluate.precision_at_top(r.y_test, r.proba_test, k) for r in runs]
        (tn, fp), (fn, tp) = summary["confusion_matrix"]
        workload[charts.display_name(name)] = {
            "Alerts per 1,000 cases": charts.alerts_per_thousand(summary),
            "Alerts at threshold": fp + tp,
            f"Precision in top {k}": float(np.mean(at_top)),
            f"Positives in top {k}": round(
                float(np.mean(at_top)) * min(k, len(runs[0].y_test))
            ),
        }
    st.dataframe(
        pd.DataFrame.from_dict(workload, orient="index").rename_axis("Technique"),
        width="stretch",
        column_config={
            "Alerts per 1,000 cases": st.column_config.NumberColumn(format="%.1f"),
            f"Precision in top {k}": st.column_config.NumberColumn(format="%.3f"),
        },
    )
    st.caption(
        "Alerts per 1,000 cases is the review workload at the current threshold (first seed). "
        "Precision in top k ignores the threshold: it ranks cases by probability."
    )

with seeds_box:
    st.header("Seeds")
    if not several_seeds:
        st.caption(
            "One seed per technique, so differences may be luck. Train with several seeds on the Train page "
            "to see 95 % confidence intervals and a paired comparison."
        )
    else:
        candidates = [n for n, s in done.items() if len(s["seeds"]) > 1]
        left, right = st.columns(2)
        a = left.selectbox(
            "Technique A", candidates, format_func=charts.display_name, key="paired_a"
        )
        others = [n for n in candidates if n != a] or candidates
        b = right.selectbox(
            "Technique B", others, format_func=charts.display_name, key="paired_b"
        )
        a_seeds = {s["seed"]: s["pr_auc"] for s in done[a]["seeds"]}
        b_seeds = {s["seed"]: s["pr_auc"] for s in done[b]["seeds"]}
        shared = sorted(set(a_seeds) & set(b_seeds))
        la, lb = ui.plain(charts.display_name(a)), ui.plain(charts.display_name(b))
        if len(shared) < 2:
            st.info(
                "These two techniques share fewer than two seeds, so they cannot be compared seed by seed."
            )
        else:
            result = evaluate.paired_comparison(
                [a_seeds[s] for s in shared], [b_seeds[s] for s in shared]
            )
            low, high = result["ci95"]
            detail = (
                f"mean PR-AUC difference (A − B) {result['mean_difference']:+.4f}, 95 % CI {low:+.4f} to "
                f"{high:+.4f}, paired t-test p = {result['p_value']:.3f}, over {len(shared)} seeds"
            )
            if result["verdict"] == "A better":
                st.success(
                    f"**{la}** beats **{lb}** on PR-AUC across the same seeds ({detail})."
                )
            elif result["verdict"] == "B better":
                st.success(
                    f"**{lb}** beats **{la}** on PR-AUC across the same seeds ({detail})."
                )
            else:
                st.info(
                    f"No clear difference between **{la}** and **{lb}** on PR-AUC: the interval includes zero, "
                    f"so the gap could be luck ({detail})."
                )

with counts_box:
    st.header("Class counts")
    st.caption(
        "Validation and test keep the natural ratio; only the training set is resampled, "
        "differently by each technique."
    )
    left, right = st.columns([2, 3])
    left.dataframe(
        charts.class_counts_table(comparison.dataset, done),
        width="stretch",
        column_config={"positive share": st.column_config.NumberColumn(format="%.4f")},
    )
    with right:
        show(
            fixed_figure(
                "class_counts",
                lambda: charts.class_counts_figure(comparison.dataset, done),
            ),
            "class_counts",
        )

elapsed_ms = (time.perf_counter() - started) * 1000
# Wall time for the footer; this thread's CPU time too, which a busy machine does not inflate.
st.session_state["_compare_elapsed_ms"] = elapsed_ms
st.session_state["_compare_cpu_ms"] = (time.thread_time() - started_cpu) * 1000
footer.caption(
    f"Re-scored {len(done)} technique(s) on {test_rows:,} test rows from stored probabilities in "
    f"{elapsed_ms:.0f} ms; nothing was retrained."
)
