"""The Compare page's sections. Each draws one part of the page from the summaries
(the results-JSON shape) of :class:`imbal_core.results.ComparisonView`."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dashboard import session
from dashboard.widgets import plain, show, table
from imbal_core import figures, report, results, tables, techniques
from imbal_core.evaluate import Costs, OperatingPoint
from imbal_core.results import Comparison, ComparisonView, Techniques

OBJECTIVES = {"f1": "Best F1 on validation", "cost": "Lowest cost on validation"}
COST_MODES = {
    session.BY_AMOUNT: "The transaction's Amount",
    session.FIXED: "A fixed amount",
}
COMPARE_AT = {
    "threshold": "Same threshold",
    "suggested": "Own threshold",
    "recall": "Same recall",
    "alerts": "Same alert budget",
}
COMPARE_AT_HELP = (
    "Same threshold: one for all. Own threshold: each technique's suggested one (best "
    "validation F1 or lowest validation cost). After resampling or class weights a "
    "probability means something different per technique, so one threshold for all "
    "compares different operating points; matching recall or the alert budget (what a "
    "review team can handle) compares the techniques themselves. Every threshold is "
    "chosen on the validation split; the figures are on test. Nothing is retrained."
)


def cost_controls(comparison: Comparison) -> Costs:
    """Cost of a miss (its Amount, or a fixed cost) and of a review."""
    has_amounts = comparison.has_amounts
    st.caption(
        "What a decision costs: every missed positive, and every alert an analyst has "
        "to review. Used for the cost figures and for thresholds suggested by lowest cost."
    )
    left, middle, right = st.columns(3)
    if has_amounts:
        left.radio(
            "Cost of a missed positive",
            list(COST_MODES),
            format_func=COST_MODES.get,
            help="The Amount of the missed transaction, or the same fixed cost for every miss.",
            **session.keep(session.COST_MODE, session.BY_AMOUNT),
        )
    else:
        left.markdown(
            "**Cost of a missed positive:** a fixed cost (this data has no Amount column)."
        )
    by_amount = has_amounts and session.get(session.COST_MODE) == session.BY_AMOUNT
    middle.number_input(
        "Fixed cost of a missed positive",
        min_value=0.0,
        step=10.0,
        disabled=by_amount,
        **session.keep(session.COST_MISSED),
    )
    right.number_input(
        "Cost per alert reviewed",
        min_value=0.0,
        step=1.0,
        **session.keep(session.COST_REVIEW),
    )
    return session.costs(comparison)


def operating_point() -> OperatingPoint:
    """The "Compare at" control: how every technique's threshold is chosen. Its
    values are kept for the session (also while another page is open)."""
    left, right = st.columns([5, 3])
    mode = left.radio(
        "Compare at",
        list(COMPARE_AT),
        format_func=COMPARE_AT.get,
        horizontal=True,
        help=COMPARE_AT_HELP,
        **session.keep(session.COMPARE_AT),
    )
    with right:
        if mode == "threshold":
            st.slider(
                "Decision threshold",
                0.0,
                1.0,
                step=0.01,
                help="A case is flagged positive when its predicted probability is above this. "
                "Moving it re-scores the stored test probabilities; nothing is retrained.",
                **session.keep(session.THRESHOLD),
            )
        elif mode == "recall":
            st.slider(
                "Recall to reach (on validation)",
                0.05,
                1.0,
                step=0.05,
                help="Each technique's threshold is the highest one catching this share "
                "of the validation positives.",
                **session.keep(session.RECALL_TARGET),
            )
        elif mode == "alerts":
            st.number_input(
                "Alerts per 1,000 cases (on validation)",
                0.0,
                1000.0,
                step=0.5,
                help="The review capacity: each technique's threshold flags at most this "
                "many of every 1,000 validation cases (the closest rate from below).",
                **session.keep(session.ALERT_BUDGET),
            )
        else:
            objective_radio()
    return session.operating_point()


def objective_radio() -> None:
    st.radio(
        "Suggest by",
        list(OBJECTIVES),
        format_func=OBJECTIVES.get,
        horizontal=True,
        help="Best F1 balances precision and recall; lowest cost uses the costs set under Costs.",
        **session.keep(session.OBJECTIVE),
    )


def problems(summaries: Techniques) -> None:
    """Failures and warnings in one line (the overview must fit one screen); the
    details one click away."""
    found = [(n, f"failed: {e}") for n, e in results.failed(summaries).items()]
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


def headline(
    view: ComparisonView, done: Techniques, point: OperatingPoint, costs: Costs
) -> None:
    """The answer first: with reference models, the best network against the best
    of them; each technique's threshold, recall, precision, workload, cost and
    PR-AUC at the operating point, and its confusion matrix."""
    st.markdown(f"#### At {point.describe()}")
    duel = view.network_vs_reference(point, costs, session.objective())
    text = report.network_vs_reference_text(duel, done)
    if text:
        st.info(plain(text), icon="🧠")
    table(tables.headline_table(done))
    show(figures.confusion_matrices(done, compact=True), "confusion")
    st.caption(
        f"On the test split. Cost: {costs.describe()} (in the data's own unit). "
        "Matrices: rows are the truth, columns the prediction; TP = positives caught, "
        "FN = missed, FP = false alarms; colour is the share of each true class."
    )


def metrics(done: Techniques) -> None:
    """Every metric at the operating point, with intervals, and the metric bars."""
    table(tables.metrics_table(done), best=True)
    several, folds = results.n_seeds(done) > 1, results.n_folds(done)
    intervals = tables.metrics_ci_table(done)
    st.caption(
        "Highlighted: each column's best value on test. It describes the test split; it "
        "is not a recommendation (the Report page recommends on validation). "
        + (f"Values are means over {results.spread(done)}." if several else "")
    )
    if not intervals.empty:
        st.markdown(
            f"**Mean (95 % interval) over {results.spread(done)}**"
            if several
            else "**PR-AUC (95 % interval), one seed: a bootstrap over test rows**"
        )
        table(intervals)
        st.caption(
            "Over folds: which rows trained and tested, and training randomness; "
            "corrected for the folds' shared training rows (Nadeau & Bengio), on a "
            "scale that keeps each metric in its range."
            if folds > 1
            else "Over seeds: training randomness, as t-intervals on a scale that keeps "
            "each metric in its range."
            if several
            else "With one seed the interval shows how much PR-AUC depends on which rows "
            "were drawn into the test split, not training randomness."
        )
    show(figures.metric_bars(done), "bars")


def suggestions(done: Techniques) -> None:
    """Each technique's validation-chosen threshold, one click from the slider."""
    st.markdown(
        "**Suggested thresholds** — chosen on the validation split, never on test."
    )
    if session.get(session.COMPARE_AT) != "suggested":  # else it is in the controls
        objective_radio()
    table_col, apply_col = st.columns([3, 2])
    with table_col:
        table(tables.suggested_thresholds_table(done))
    pick = apply_col.selectbox(
        "Technique", list(done), format_func=results.label, key=session.SUGGEST_PICK
    )
    suggested = float(done[pick]["suggested_threshold"])
    apply_col.button(
        "Apply suggested threshold",
        on_click=_apply_threshold,
        args=(suggested,),
        key="apply_suggested",
        help=f"Set the slider to {tables.column('threshold').text(suggested)}, the "
        "threshold chosen for this technique on validation.",
    )
    apply_col.caption(
        "One slider for all techniques, so a technique's suggestion applies to all of "
        "them. A probability means different things per technique (see Calibration)."
    )


def _apply_threshold(value: float) -> None:
    """on_click: runs before the next script run, so the slider is drawn with it."""
    session.put(session.COMPARE_AT, "threshold")
    session.put(session.THRESHOLD, float(value))


def curves(done: Techniques) -> None:
    """PR and ROC curves, with each technique's operating point."""
    left, right = st.columns(2)
    with left:
        show(figures.pr_curves(done), "pr")
        st.caption(
            "Precision-recall: how precision falls as a technique catches more positives. "
            "Higher and further right is better; the dot is each technique's operating point."
        )
    with right:
        show(figures.roc_curves(done), "roc")
        st.caption(
            "ROC: recall against the share of negatives falsely flagged. On rare positives "
            "it looks flattering; trust the precision-recall curve more."
        )


def costs_tab(view: ComparisonView, done: Techniques, costs: Costs) -> None:
    """Cost at the operating point and across thresholds, and the review workload."""
    left, right = st.columns(2)
    with left:
        show(figures.cost_bars(done), "cost_bars")
    with right:
        show(figures.cost_curves(done), "cost_curves")
    st.caption(
        f"Costs: {costs.describe()}. The star marks each technique's cheapest threshold "
        "on test (for reading only; suggestions come from validation)."
    )
    comparison = view.comparison
    max_k = max(1, len(comparison.ok_runs(next(iter(done)))[0].y_test))
    if session.get(session.TOP_K, 0) > max_k:  # kept from a bigger test split
        session.put(session.TOP_K, max_k)
    k = int(
        st.number_input(
            "Analyst capacity: alerts reviewed (k)",
            min_value=1,
            max_value=max_k,
            step=10,
            help="If analysts can only review k cases, which technique puts the most "
            "real positives in its top k?",
            **session.keep(session.TOP_K, min(100, max_k)),
        )
    )
    table(tables.workload_table(comparison, done, k))
    st.caption(
        "Alerts per 1k is the review workload at each technique's threshold (first "
        "seed). Precision in top k ignores the threshold: it ranks cases by probability."
    )


def calibration(view: ComparisonView, done: Techniques) -> None:
    show(
        view.once("calibration", lambda: figures.reliability_curves(done)),
        "calibration",
    )
    st.caption(
        "Are the probabilities honest? On the diagonal, '0.3' means 30 % of such cases "
        "are positive. Resampling and class weights push probabilities up, so the same "
        "threshold means something different for each technique: compare at the same "
        "recall or alert budget instead. Brier: mean squared error of the probabilities."
    )


def class_counts(view: ComparisonView, done: Techniques) -> None:
    """Rows per class in every split and in each technique's (resampled) training set."""
    st.caption(
        "Validation and test keep the natural ratio; only the training set is resampled, "
        "differently by each technique."
    )
    dataset = view.comparison.dataset
    table(tables.class_counts_table(dataset, done))  # full width: its labels are long
    figure = view.once(
        "class_counts", lambda: figures.class_counts_figure(dataset, done)
    )
    show(figure, "class_counts")


def reports(done: Techniques) -> None:
    st.caption("Both classes, as in the seed notebook (first seed, at its threshold).")
    for name, summary in done.items():
        st.markdown(f"**{plain(results.label(name))}**")
        st.code(tables.classification_report_text(summary), language=None)


def glossary(names: Sequence[str]) -> None:
    from imbal_core.report import EXPLANATIONS

    st.markdown(
        "\n".join(f"- **{plain(term)}**: {plain(text)}" for term, text in EXPLANATIONS)
    )
    st.markdown("**The techniques in this comparison**")
    st.markdown(
        "\n".join(
            f"- **{plain(label)}**: {plain(summary)}"
            + (f" *{plain(ref)}*" if ref else "")
            for label, summary, ref in techniques.described(names)
        )
    )
