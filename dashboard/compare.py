"""The Compare page's sections. Each draws one part of the page from the summaries
(the results-JSON shape) of :class:`imbal_core.results.ComparisonView`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import session
from dashboard.widgets import plain, show
from imbal_core import evaluate, figures, results, tables
from imbal_core.evaluate import Costs, OperatingPoint
from imbal_core.results import Comparison, ComparisonView, Techniques

OBJECTIVES = {"f1": "Best F1 on validation", "cost": "Lowest cost on validation"}
AMOUNT, FIXED = "The transaction's Amount", "A fixed amount"
NUMBER = st.column_config.NumberColumn


def cost_controls(comparison: Comparison) -> Costs:
    """Cost of a miss (Amount or fixed) and of a review; remembered for the Report page."""
    has_amounts = comparison.amounts_test is not None
    costs = session.default_costs(comparison)
    session.default(
        session.COST_MODE, AMOUNT if has_amounts and costs.missed is None else FIXED
    )
    session.default(
        session.COST_MISSED, float(costs.missed if costs.missed is not None else 100.0)
    )
    session.default(session.COST_REVIEW, float(costs.review))
    if not has_amounts:
        session.put(session.COST_MODE, FIXED)
    st.caption(
        "What a decision costs: every missed positive, and every alert an analyst has to review. "
        "Used for the cost figures and for thresholds suggested by lowest cost."
    )
    left, middle, right = st.columns(3)
    if has_amounts:
        left.radio(
            "Cost of a missed positive",
            [AMOUNT, FIXED],
            key=session.COST_MODE,
            help="The Amount of the missed transaction, or the same fixed amount for every miss.",
        )
    else:
        left.markdown(
            "**Cost of a missed positive:** a fixed amount (this data has no Amount column)."
        )
    by_amount = session.get(session.COST_MODE) == AMOUNT
    middle.number_input(
        "Fixed cost of a missed positive",
        min_value=0.0,
        step=10.0,
        key=session.COST_MISSED,
        disabled=by_amount,
    )
    right.number_input(
        "Cost per alert reviewed", min_value=0.0, step=1.0, key=session.COST_REVIEW
    )
    costs = Costs(
        missed=None if by_amount else float(session.get(session.COST_MISSED)),
        review=float(session.get(session.COST_REVIEW)),
    )
    session.put(session.COSTS, costs)
    return costs


COMPARE_AT = {
    "threshold": "Same threshold",
    "suggested": "Own threshold",
    "recall": "Same recall",
    "alerts": "Same alert budget",
}


def operating_point() -> OperatingPoint:
    """The "Compare at" control: how every technique's threshold is chosen. Each
    value comes back where the user left it, also after visiting another page."""
    kept = session.get(session.OPERATING_KEPT) or {}
    session.default(session.COMPARE_AT, kept.get(session.COMPARE_AT, "threshold"))
    left, right = st.columns([5, 3])
    mode = left.radio(
        "Compare at",
        list(COMPARE_AT),
        format_func=COMPARE_AT.get,
        key=session.COMPARE_AT,
        horizontal=True,
        help="Same threshold: one for all. Own threshold: each technique's suggested one (best "
        "validation F1 or lowest validation cost). One threshold for all compares different "
        "operating points: after resampling or class weights a probability means something "
        "different per technique. Matching recall or the alert "
        "budget (what a review team can handle) compares the techniques themselves. Every threshold is "
        "chosen on the validation split; the figures are on test. Nothing is retrained.",
    )
    with right:
        if mode == "threshold":
            value = threshold_slider()
        elif mode == "recall":
            session.default(session.RECALL_TARGET, kept.get(session.RECALL_TARGET, 0.8))
            value = st.slider(
                "Recall to reach (on validation)",
                0.05,
                1.0,
                step=0.05,
                key=session.RECALL_TARGET,
                help="Each technique's threshold is the highest one catching this share of the "
                "validation positives.",
            )
        elif mode == "alerts":
            session.default(session.ALERT_BUDGET, kept.get(session.ALERT_BUDGET, 5.0))
            value = st.number_input(
                "Alerts per 1,000 cases (on validation)",
                0.0,
                1000.0,
                step=0.5,
                key=session.ALERT_BUDGET,
                help="The review capacity: each technique's threshold flags at most this many of "
                "every 1,000 validation cases (the closest rate from below).",
            )
        else:
            value = None
            objective_radio()
    session.put(
        session.OPERATING_KEPT,
        {**kept, session.COMPARE_AT: mode}
        | ({} if value is None else {_KEY_OF[mode]: value}),
    )
    return OperatingPoint(mode, None if value is None else float(value))


_KEY_OF = {
    "threshold": session.THRESHOLD,
    "recall": session.RECALL_TARGET,
    "alerts": session.ALERT_BUDGET,
}


def objective_radio() -> None:
    session.default(session.OBJECTIVE, session.objective())  # kept across pages
    st.radio(
        "Suggest by",
        list(OBJECTIVES),
        format_func=OBJECTIVES.get,
        key=session.OBJECTIVE,
        horizontal=True,
        help="Best F1 balances precision and recall; lowest cost uses the costs below.",
    )
    session.put(session.OBJECTIVE_KEPT, session.get(session.OBJECTIVE))


def threshold_slider() -> float:
    """One threshold for every technique; it comes back where the user left it."""
    session.default(session.THRESHOLD, float(session.get(session.THRESHOLD_KEPT, 0.5)))
    st.slider(
        "Decision threshold",
        min_value=0.0,
        max_value=1.0,
        step=0.01,
        key=session.THRESHOLD,
        help="A case is flagged positive when its predicted probability is above this. Moving it re-scores the "
        "stored test probabilities of every technique at once; nothing is retrained.",
    )
    threshold = float(session.get(session.THRESHOLD))
    session.put(session.THRESHOLD_KEPT, threshold)
    return threshold


def problems(summaries: Techniques) -> None:
    """Failures and warnings in one line (the overview must fit one screen); the
    details one click away."""
    found = [
        (name, f"failed: {error}") for name, error in results.failed(summaries).items()
    ]
    for name, summary in results.ok(summaries).items():
        if summary.get("error"):  # some seeds failed; the rest are averaged
            found.append((name, summary["error"]))
        found += [(name, w) for w in summary.get("warnings") or []]  # did not learn
    if not found:
        return
    names = ", ".join(dict.fromkeys(results.label(n) for n, _ in found))
    kinds = sorted(
        {"failed" if t.startswith("failed") else t.split(":")[0] for _, t in found}
    )
    with st.expander(f"⚠️ Read with care — {names}: {'; '.join(kinds)}"):
        for name, text in found:
            st.warning(f"**{plain(results.label(name))}** {plain(text)}", icon="⚠️")


def _apply_threshold(value: float) -> None:
    """on_click: runs before the next script run, so the slider is created with the new value."""
    session.put(session.COMPARE_AT, "threshold")
    session.put(session.THRESHOLD, float(value))


def suggestions(done: Techniques) -> None:
    """Each technique's validation-chosen threshold, one click from the slider."""
    st.markdown(
        "**Suggested thresholds** — chosen on the validation split, never on test."
    )
    if session.get(session.COMPARE_AT) != "suggested":  # else it is in the controls
        objective_radio()
    table_col, apply_col = st.columns([3, 2])
    table_col.dataframe(
        tables.suggested_thresholds_table(done),
        width="stretch",
        column_config={
            "Suggested (validation)": NUMBER(format="%.2f"),
            "In use": NUMBER(format="%.2f"),
        },
    )
    pick = apply_col.selectbox(
        "Technique", list(done), format_func=results.label, key=session.SUGGEST_PICK
    )
    suggested = float(done[pick]["suggested_threshold"])
    apply_col.button(
        "Apply suggested threshold",
        on_click=_apply_threshold,
        args=(suggested,),
        key="apply_suggested",
        help=f"Set the slider to {suggested:.2f}, the threshold chosen for this technique on validation.",
    )
    apply_col.caption(
        "One slider for all techniques, so a technique's suggestion is applied to every one of them. "
        "A probability means different things per technique (see Calibration)."
    )


def headline(done: Techniques, point: OperatingPoint) -> None:
    """The answer first: each technique's threshold, recall, precision, workload,
    cost and PR-AUC at the operating point, and its confusion matrix."""
    st.markdown(
        "#### "
        + (
            f"At threshold {point.value:.2f}"
            if point.mode == "threshold"
            else f"At {point.describe()}"
        )
    )
    st.dataframe(
        tables.headline_table(done),
        width="stretch",
        column_config={
            "Threshold": NUMBER(
                format="%.3f", help="Chosen on the validation split for this mode."
            ),
            "Recall": NUMBER(format="%.3f"),
            "Precision": NUMBER(format="%.3f"),
            "Alerts per 1k": NUMBER(format="%.1f"),
            "Cost": NUMBER(format="%.0f"),
            "PR-AUC": NUMBER(format="%.3f"),
        },
    )
    show(figures.confusion_matrices(done, None, compact=True), "confusion")
    st.caption(
        "Confusion matrices on the test split. Rows are the truth, columns the prediction: "
        "TP = positives caught, FN = missed, "
        "FP = false alarms; colour is the share of each true class. Thresholds come from validation; "
        "PR-AUC does not depend on them."
    )


def overview(done: Techniques, threshold: float | None) -> None:
    """Every metric at the operating point, with intervals, and the metric bars."""
    table = tables.metrics_table(done)
    table.insert(0, tables.BEST_COLUMN, tables.best_marks(table))
    table["Cost"] = table["Cost"].round(0)
    three = {
        c: NUMBER(format="%.3f")
        for c in ("Precision", "Recall", "F1", "PR-AUC", "ROC-AUC", "MCC")
    }
    st.dataframe(
        table,
        width="stretch",
        column_config={
            **three,
            "Brier": NUMBER(format="%.4f"),
            "Cost": NUMBER(format="localized"),
            "Alerts per 1k": NUMBER(format="%.1f"),
            "Threshold": NUMBER(format="%.2f"),
            "Accuracy": NUMBER(format="%.4f"),
        },
    )
    several = results.n_seeds(done) > 1
    intervals = tables.metrics_ci_table(done)
    st.caption(
        "★ Best on test: the columns where a technique has the best test value (lowest for Brier, cost and "
        "alerts). It describes the test split; it is not a recommendation (the Report page recommends on "
        "validation). "
        + (
            "Values are means over seeds; the table below gives their 95 % intervals."
            if several
            else "The table below gives PR-AUC's 95 % interval over the test rows."
            if not intervals.empty
            else ""
        )
    )
    if not intervals.empty:
        st.markdown(
            f"**Mean (95 % interval) over {results.n_seeds(done)} seeds**"
            if several
            else "**PR-AUC (95 % interval), one seed: a bootstrap over test rows**"
        )
        st.dataframe(intervals, width="stretch")
        st.caption(
            "Over seeds: training randomness, as t-intervals on a scale that keeps each metric in its range."
            if several
            else "With one seed the interval shows how much PR-AUC depends on which rows were drawn "
            "into the test split (resampled with replacement, per class), not training randomness."
        )
    show(figures.metric_bars(done, threshold), "bars")


def workload(view: ComparisonView, done: Techniques) -> None:
    """Alerts per 1,000 cases, and precision in the top k an analyst team can review."""
    comparison = view.comparison
    max_k = max(1, len(comparison.ok_runs(next(iter(done)))[0].y_test))
    session.default(session.TOP_K, min(100, max_k))
    k = int(
        st.number_input(
            "Analyst capacity: alerts reviewed (k)",
            min_value=1,
            max_value=max_k,
            step=10,
            key=session.TOP_K,
            help="If analysts can only review k cases, which technique puts the most real positives in its top k?",
        )
    )
    rows = {}
    for name, summary in done.items():
        runs = comparison.ok_runs(name)
        at_top = float(
            np.mean(
                [evaluate.precision_at_top(r.y_test, r.proba_test, k) for r in runs]
            )
        )
        (tn, fp), (fn, tp) = summary["confusion_matrix"]
        rows[results.label(name)] = {
            "Alerts per 1,000 cases": results.alerts_per_thousand(summary),
            "Alerts at threshold": fp + tp,
            f"Precision in top {k}": at_top,
            f"Positives in top {k}": round(at_top * min(k, len(runs[0].y_test))),
        }
    st.dataframe(
        pd.DataFrame.from_dict(rows, orient="index").rename_axis("Technique"),
        width="stretch",
        column_config={
            "Alerts per 1,000 cases": NUMBER(format="%.1f"),
            f"Precision in top {k}": NUMBER(format="%.3f"),
        },
    )
    st.caption(
        "Alerts per 1,000 cases is the review workload at the current threshold (first seed). "
        "Precision in top k ignores the threshold: it ranks cases by probability."
    )


def seeds(done: Techniques) -> None:
    """A paired comparison of two techniques across the seeds they share."""
    if results.n_seeds(done) < 2:
        st.caption(
            "One seed per technique, so differences may be luck. Train with several seeds on the Train page "
            "to see 95 % confidence intervals and a paired comparison."
        )
        return
    candidates = [n for n, s in done.items() if len(s["seeds"]) > 1]
    left, right = st.columns(2)
    a = left.selectbox(
        "Technique A", candidates, format_func=results.label, key="paired_a"
    )
    others = [n for n in candidates if n != a] or candidates
    b = right.selectbox(
        "Technique B", others, format_func=results.label, key="paired_b"
    )
    a_seeds = {s["seed"]: s["pr_auc"] for s in done[a]["seeds"]}
    b_seeds = {s["seed"]: s["pr_auc"] for s in done[b]["seeds"]}
    shared = sorted(set(a_seeds) & set(b_seeds))
    la, lb = plain(results.label(a)), plain(results.label(b))
    if len(shared) < 2:
        st.info(
            "These two techniques share fewer than two seeds, so they cannot be compared seed by seed."
        )
        return
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


def curves(done: Techniques, threshold: float | None) -> None:
    """PR and ROC curves, with each technique's operating point."""
    left, right = st.columns(2)
    with left:
        show(figures.pr_curves(done, threshold), "pr")
        st.caption(
            "Precision-recall: how precision falls as a technique catches more positives. Higher and further "
            "right is better; the dot is each technique's operating point."
        )
    with right:
        show(figures.roc_curves(done, threshold), "roc")
        st.caption(
            "ROC: recall against the share of negatives falsely flagged. On rare positives it looks "
            "flattering; trust the precision-recall curve more."
        )


def class_counts(view: ComparisonView, done: Techniques) -> None:
    """Rows per class in every split and in each technique's (resampled) training set."""
    st.caption(
        "Validation and test keep the natural ratio; only the training set is resampled, "
        "differently by each technique."
    )
    dataset = view.comparison.dataset
    left, right = st.columns([2, 3])
    left.dataframe(
        tables.class_counts_table(dataset, done),
        width="stretch",
        column_config={"positive share": NUMBER(format="%.4f")},
    )
    with right:
        figure = view.once(
            "class_counts", lambda: figures.class_counts_figure(dataset, done)
        )
        show(figure, "class_counts")


def glossary() -> None:
    st.markdown(
        "**Precision**: of the cases a technique flags, the share that are real positives. "
        "**Recall**: of the real positives, the share it catches. "
        "**F1**: one number balancing the two. "
        "**PR-AUC**: precision averaged over every threshold (1 is perfect; picking at random scores the "
        "share of positives). **MCC**: agreement between predictions and truth, −1 to 1, fair on "
        "imbalanced data. **Cost**: missed positives plus alerts an analyst must review. **Alerts per 1k**: "
        "cases flagged per 1,000, the review workload. Accuracy is shown last: flagging nothing already "
        "scores ~99.8 % here."
    )
