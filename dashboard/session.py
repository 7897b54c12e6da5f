"""Every ``st.session_state`` key the app uses, in one place, with its default.

Streamlit drops a widget's key when a page without that widget runs, so values a
user expects to find again (the threshold, the objective) are mirrored in plain
keys here. Pages and the dashboard read and write session state only through this
module; widget keys are the constants below.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from imbal_core.data import Dataset
from imbal_core.evaluate import Costs, OperatingPoint
from imbal_core.results import Comparison, ComparisonView

# -------------------------------------------------------------- plain state
DATASET = "dataset"  # the prepared Dataset in use (replaced only once valid)
COMPARISON = "comparison"  # the latest Comparison trained in this session
VIEW = "_view"  # ComparisonView of COMPARISON: memoised summaries and figures
COSTS = "costs"  # Costs chosen on Compare (the Report page uses them too)
THRESHOLD_KEPT = "_threshold_kept"  # the slider's value while another page runs
OBJECTIVE_KEPT = "_objective_kept"  # the suggestion objective, likewise
CREDITCARD_FETCHED = "creditcard_fetched"  # fetched from OpenML in this session
REPORT_EXPORTS = "_report_exports"  # (comparison, settings, exports) of Report
COMPARE_TIMING = "_compare_timing"  # (wall ms, thread CPU ms) of the last re-score

# ------------------------------------------------------------- widget keys
DATA_SOURCE, DEMO_ROWS, UPLOAD, USE_DATA = (
    "data_source",
    "demo_rows",
    "upload",
    "use_data",
)
TARGET, TEST_SIZE, SPLIT_BY_TIME, TIME_COLUMN = (
    "target_column",
    "test_size",
    "split_by_time",
    "time_column",
)
THRESHOLD, OBJECTIVE, SUGGEST_PICK = "threshold", "objective", "suggest_pick"
COST_MODE, COST_MISSED, COST_REVIEW, TOP_K = (
    "cost_mode",
    "cost_missed",
    "cost_review",
    "top_k",
)
TECHNIQUES, EPOCHS, BATCH_SIZE, SEED, N_SEEDS = (
    "techniques",
    "epochs",
    "batch_size",
    "seed",
    "n_seeds",
)
COMPARE_AT, RECALL_TARGET, ALERT_BUDGET = "compare_at", "recall_target", "alert_budget"
OPERATING_KEPT = "_operating_kept"  # {widget key: value} while another page runs
SAVED_UPLOAD, SAVED_OPENED = "saved_upload", "_saved_opened"  # the file, its upload id
EARLY_STOPPING, PATIENCE = "early_stopping", "patience"
SWEEP_MODE, RUN_ON, CANCEL = "sweep_mode", "run_on", "cancel_training"
CANCELLED = "_cancelled"  # set by the Cancel button's callback, read once by Train


def positive_key(target: str) -> str:
    return f"positive_label::{target}"


def drop_key(source: str, target: str) -> str:
    return f"drop::{source}::{target}"


def sweep_key(technique: str, param: str) -> str:
    return f"sweep::{technique}::{param}"


def param_key(technique: str, param: str) -> str:
    return f"param::{technique}::{param}"


# ---------------------------------------------------------------- accessors
def get(key: str, default: Any = None) -> Any:
    return st.session_state.get(key, default)


def put(key: str, value: Any) -> None:
    st.session_state[key] = value


def default(key: str, value: Any) -> Any:
    """Set ``key`` unless it is set; returns its value."""
    return st.session_state.setdefault(key, value)


def dataset() -> Dataset | None:
    return st.session_state.get(DATASET)


def comparison() -> Comparison | None:
    return st.session_state.get(COMPARISON)


def set_comparison(value: Comparison) -> None:
    st.session_state[COMPARISON] = value


def view() -> ComparisonView | None:
    """The memoised view of this session's comparison (a new comparison, a new view)."""
    current = comparison()
    if current is None:
        return None
    memo = st.session_state.get(VIEW)
    if memo is None or memo.comparison is not current:
        memo = st.session_state[VIEW] = ComparisonView(current)
    return memo


def default_costs(current: Comparison) -> Costs:
    """The Compare page's costs, or the default: Amount if the data has it, else 100."""
    return st.session_state.get(COSTS) or Costs(
        missed=None if current.amounts_test is not None else 100.0, review=5.0
    )


def threshold() -> float:
    """The Compare slider's threshold, also while another page runs."""
    return float(
        st.session_state.get(THRESHOLD, st.session_state.get(THRESHOLD_KEPT, 0.5))
    )


def operating_point() -> OperatingPoint:
    """The Compare page's "Compare at" setting, also while another page runs."""
    kept = st.session_state.get(OPERATING_KEPT) or {}
    mode = st.session_state.get(COMPARE_AT) or kept.get(COMPARE_AT, "threshold")
    if mode == "suggested":
        return OperatingPoint("suggested", None)
    if mode == "threshold":
        return OperatingPoint("threshold", threshold())
    key = RECALL_TARGET if mode == "recall" else ALERT_BUDGET
    default = 0.8 if mode == "recall" else 5.0
    return OperatingPoint(
        mode, float(st.session_state.get(key, kept.get(key, default)))
    )


def objective() -> str:
    return (
        st.session_state.get(OBJECTIVE) or st.session_state.get(OBJECTIVE_KEPT) or "f1"
    )
