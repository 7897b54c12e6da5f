"""Every ``st.session_state`` key the app uses, in one place, with its default.

Widgets keep their values across pages by Streamlit's own ``persist_state=
"session"`` (see :func:`keep`), so nothing is mirrored by hand: the Compare
page's operating point and costs are read from their widgets' state by
:func:`operating_point` and :func:`costs`, with the defaults below, from any
page. They belong to their comparison: opening a saved comparison restores the
ones it was saved with, and results for other data start from that data's
defaults (:func:`set_comparison`). Pages and the dashboard read and write
session state only through this module.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from imbal_core.data import Dataset
from imbal_core.evaluate import Costs, OperatingPoint
from imbal_core.results import Comparison, ComparisonView

# -------------------------------------------------------------- plain state
DATASET = "dataset"  # the prepared Dataset in use (replaced only once valid)
COMPARISON = "comparison"  # the latest Comparison trained or opened in this session
VIEW = "_view"  # ComparisonView of COMPARISON: memoised summaries and figures
CREDITCARD_FETCHED = "creditcard_fetched"  # fetched from OpenML in this session
REPORT_EXPORTS = "_report_exports"  # (comparison, settings, exports) of Report
COMPARE_TIMING = "_compare_timing"  # (wall ms, thread CPU ms) of the last re-score
PENDING_UPLOAD = "_pending_upload"  # (name, bytes) uploaded but not yet used
SAVED_OPENED = "_saved_opened"  # the upload id of the saved comparison opened
CANCEL_REQUESTED = "_cancel_requested"  # set by Cancel's callback, read once by Train
DATA_RECIPE = "_data_recipe"  # (fingerprint, Picked, options) DATASET was made from
BENCHMARK = "_benchmark"  # (digest, Benchmark) opened on the Benchmark page

# ------------------------------------------------------------- widget keys
DATA_SOURCE, DEMO_ROWS, UPLOAD, USE_DATA = (
    "data_source",
    "demo_rows",
    "upload",
    "use_data",
)
TARGET, TEST_SIZE = "target_column", "test_size"
SPLIT_BY_TIME, TIME_COLUMN = "split_by_time", "time_column"
TECHNIQUES, EPOCHS, BATCH_SIZE = "techniques", "epochs", "batch_size"
MODELS = "models"
COMBINATIONS = "combinations"
SEED, N_SEEDS = "seed", "n_seeds"
EVALUATION, FOLDS, REPEATS = "evaluation", "folds", "repeats"
EARLY_STOPPING, PATIENCE = "early_stopping", "patience"
SWEEP_MODE, RUN_ON, CANCEL = "sweep_mode", "run_on", "cancel_training"
COMPARE_AT, THRESHOLD = "compare_at", "threshold"
RECALL_TARGET, ALERT_BUDGET, OBJECTIVE = "recall_target", "alert_budget", "objective"
COST_MODE, COST_MISSED, COST_REVIEW = "cost_mode", "cost_missed", "cost_review"
SUGGEST_PICK, TOP_K, SAVED_UPLOAD = "suggest_pick", "top_k", "saved_upload"
HISTORY_PICK = "history_pick"  # the History page's chosen comparison
BENCHMARK_UPLOAD, BENCHMARK_METRIC = "benchmark_upload", "benchmark_metric"

BY_AMOUNT, FIXED = "amount", "fixed"  # COST_MODE's values
POINT_KEYS = {"threshold": THRESHOLD, "recall": RECALL_TARGET, "alerts": ALERT_BUDGET}
"""The widget holding each Compare-at mode's value."""
DEFAULTS: dict[str, Any] = {
    COMPARE_AT: "threshold",
    THRESHOLD: 0.5,
    RECALL_TARGET: 0.8,
    ALERT_BUDGET: 5.0,
    OBJECTIVE: "f1",
    COST_MISSED: 100.0,
    COST_REVIEW: 5.0,
    EARLY_STOPPING: False,
    PATIENCE: 3,
}
"""What a setting is before the user touches it (COST_MODE depends on the data)."""

KEEP = "session"
"""``persist_state`` of every settings widget: its value survives page switches."""


def positive_key(target: str) -> str:
    return f"positive_label::{target}"


def drop_key(source: str, target: str) -> str:
    return f"drop::{source}::{target}"


def sweep_key(param: str) -> str:
    return f"sweep::{param}"


def param_key(param: str) -> str:
    return f"param::{param}"


# ---------------------------------------------------------------- accessors
def get(key: str, default: Any = None) -> Any:
    return st.session_state.get(key, default)


def put(key: str, value: Any) -> None:
    st.session_state[key] = value


def default(key: str, value: Any = None) -> Any:
    """Set ``key`` unless it is set (to ``value``, or its entry in DEFAULTS)."""
    return st.session_state.setdefault(
        key, DEFAULTS.get(key) if value is None else value
    )


def keep(key: str, value: Any = None) -> dict[str, Any]:
    """A settings widget's state arguments: its key, seeded once with its default,
    and kept for the whole session. Use as ``st.slider(..., **session.keep(KEY))``."""
    default(key, value)
    return {"key": key, "persist_state": KEEP}


def dataset() -> Dataset | None:
    return st.session_state.get(DATASET)


def comparison() -> Comparison | None:
    return st.session_state.get(COMPARISON)


def set_comparison(value: Comparison) -> None:
    """Make ``value`` the session's results (as runs finish, or when opened).

    Settings belong to their comparison: a comparison opened from a file brings
    the operating point and costs it was saved with; results on other data than
    the previous ones start from that data's defaults; retraining on the same data
    keeps what the user set.
    """
    previous = comparison()
    saved = value.config.get("saved")
    if saved and (previous is None or previous.config.get("saved") is not saved):
        _reset_settings(value, saved)
    elif previous is None or _data_of(previous) != _data_of(value):
        _reset_settings(value, {})
    st.session_state[COMPARISON] = value


def of_data(comparison: Comparison, dataset: Dataset) -> bool:
    """Whether ``comparison`` was trained on ``dataset``: its holdout split, or
    cross-validation folds of the same table and target."""
    summary = comparison.dataset
    if summary.get("cv"):
        return summary.get("table_fingerprint") == dataset.table_fingerprint
    return summary.get("fingerprint") == dataset.fingerprint


def _data_of(value: Comparison) -> Any:
    return value.dataset.get("fingerprint"), bool(value.config.get("saved"))


def _reset_settings(value: Comparison, saved: dict[str, Any]) -> None:
    point = saved.get("operating_point") or {}
    costs = saved.get("costs") or {}
    settings = dict(DEFAULTS)
    if point.get("mode") in ("threshold", "suggested", "recall", "alerts"):
        settings[COMPARE_AT] = point["mode"]
        if point["mode"] in POINT_KEYS and isinstance(point.get("value"), int | float):
            settings[POINT_KEYS[point["mode"]]] = float(point["value"])
    if saved.get("threshold_objective") in ("f1", "cost"):
        settings[OBJECTIVE] = saved["threshold_objective"]
    missed = costs.get("missed", "amount")
    by_amount = value.has_amounts and missed in (None, "amount")
    settings[COST_MODE] = BY_AMOUNT if by_amount else FIXED
    if isinstance(missed, int | float):
        settings[COST_MISSED] = float(missed)
    if isinstance(costs.get("review"), int | float):
        settings[COST_REVIEW] = float(costs["review"])
    for key in (
        COMPARE_AT,
        *POINT_KEYS.values(),
        OBJECTIVE,
        COST_MODE,
        COST_MISSED,
        COST_REVIEW,
    ):
        st.session_state[key] = settings[key]


def view() -> ComparisonView | None:
    """The memoised view of this session's comparison (a new comparison, a new view)."""
    current = comparison()
    if current is None:
        return None
    memo = st.session_state.get(VIEW)
    if memo is None or memo.comparison is not current:
        memo = st.session_state[VIEW] = ComparisonView(current)
    return memo


def costs(current: Comparison) -> Costs:
    """The costs set on the Compare page (its widgets' state), from any page."""
    mode = get(COST_MODE) or (BY_AMOUNT if current.has_amounts else FIXED)
    by_amount = mode == BY_AMOUNT and current.has_amounts
    return Costs(
        missed=None if by_amount else float(get(COST_MISSED, DEFAULTS[COST_MISSED])),
        review=float(get(COST_REVIEW, DEFAULTS[COST_REVIEW])),
    )


def operating_point() -> OperatingPoint:
    """The Compare page's "Compare at" setting (its widgets' state), from any page."""
    mode = get(COMPARE_AT) or DEFAULTS[COMPARE_AT]
    if mode not in POINT_KEYS:
        return OperatingPoint("suggested", None)
    key = POINT_KEYS[mode]
    return OperatingPoint(mode, float(get(key, DEFAULTS[key])))


def objective() -> str:
    return get(OBJECTIVE) or DEFAULTS[OBJECTIVE]
