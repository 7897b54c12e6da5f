"""The Compare page's "Seed by seed" / "Fold by fold" tab: how much each technique
moves between seeds or cross-validation folds, and whether one beats another on
the same seeds (folds).

Over folds the paired test is Nadeau & Bengio's corrected resampled t-test: folds
share most of their training rows, so a plain paired t-test would call luck a win.
"""

from __future__ import annotations

import streamlit as st

from dashboard.widgets import plain, show
from imbal_core import evaluate, figures, results, tables
from imbal_core.results import Techniques

SPREAD_METRICS = ("pr_auc", "recall", "precision", "mcc", "cost")


def tab_name(comparison_dataset: dict) -> str:
    return "Fold by fold" if comparison_dataset.get("cv") else "Seed by seed"


def section(done: Techniques) -> None:
    """The spread over folds (a figure) and a paired comparison of two techniques."""
    folds = results.n_folds(done)
    if folds:
        metric = st.selectbox(
            "Metric per fold",
            SPREAD_METRICS,
            format_func=lambda metric: tables.COLUMNS[metric].label,
            key="fold_metric",
            help="At the operating point above, on each fold's own test part; "
            "thresholds come from each fold's validation part.",
        )
        show(figures.fold_spread(done, metric), "fold_spread")
    elif results.n_seeds(done) < 2:
        st.caption(
            "One seed per technique, so differences may be luck. Train with several seeds "
            "or cross-validation on the Train page to see 95 % intervals and a paired "
            "comparison."
        )
        return
    paired(done, by_fold=bool(folds))


def paired(done: Techniques, by_fold: bool) -> None:
    unit = "folds" if by_fold else "seeds"
    candidates = [n for n, s in done.items() if len(s.get(unit) or []) > 1]
    if len(candidates) < 2:
        st.caption(
            f"Fewer than two techniques have two or more {unit}: nothing to pair."
        )
        return
    left, right = st.columns(2)
    a = left.selectbox(
        "Technique A", candidates, format_func=results.label, key="paired_a"
    )
    others = [n for n in candidates if n != a] or candidates
    b = right.selectbox(
        "Technique B", others, format_func=results.label, key="paired_b"
    )
    la, lb = plain(results.label(a)), plain(results.label(b))
    result = results.paired_over_runs(done[a], done[b], "pr_auc")
    if result is None:
        st.info(
            f"These two share fewer than two {unit}, so they cannot be compared "
            f"{unit[:-1]} by {unit[:-1]}."
        )
        return
    low, high = result["ci95"]
    test = f"{evaluate.CORRECTED} paired t-test" if by_fold else "paired t-test"
    detail = (
        f"mean PR-AUC difference (A − B) {result['mean_difference']:+.4f}, 95 % CI "
        f"{low:+.4f} to {high:+.4f}, {test} p = {result['p_value']:.3f}, over "
        f"{result['shared']} {unit}"
    )
    same = f"across the same {unit}"
    if result["verdict"] == "A better":
        st.success(f"**{la}** beats **{lb}** on PR-AUC {same} ({detail}).")
    elif result["verdict"] == "B better":
        st.success(f"**{lb}** beats **{la}** on PR-AUC {same} ({detail}).")
    else:
        st.info(
            f"No clear difference between **{la}** and **{lb}** on PR-AUC: the interval "
            f"includes zero, so the gap could be luck ({detail})."
        )
    if by_fold:
        shared = result["shared"]
        st.caption(
            "Folds share most of their training rows, so their results are not "
            "independent: the interval uses Nadeau & Bengio's corrected variance "
            f"(1/{shared} + test rows / training rows = {result['test_train_ratio']:.2f}, "
            f"not 1/{shared} alone), which is wider and honest."
        )
