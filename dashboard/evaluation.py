"""How the Train page evaluates: on the data's one test split, or by k-fold
cross-validation of the same data (the Data page's table, target and options)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import data_sections, loaders, session
from imbal_core import data
from imbal_core.data import Dataset
from imbal_core.errors import InputError

HOLDOUT, CV = "holdout", "cv"
MODES = {HOLDOUT: "The test split", CV: "Cross-validation"}


def choice() -> tuple[int, int]:
    """The form's "Evaluate on" row: (folds, repeats), folds 0 for the test split."""
    mode_column, folds_column, repeats_column = st.columns([2, 1, 1])
    mode = mode_column.radio(
        "Evaluate on",
        list(MODES),
        format_func=MODES.get,
        horizontal=True,
        help="The test split: train once per seed, report on the Data page's test "
        "split. Cross-validation: every technique trains on each of K folds (repeated "
        "R times, shuffled afresh) and is tested on the rows it left out; intervals are "
        "over folds, corrected for their shared training rows. Each training fold "
        "keeps 20 % aside for validation (thresholds, early stopping). Data with a "
        "time split gets forward-chaining folds (train on the past, test on the next "
        "block).",
        **session.keep(session.EVALUATION, HOLDOUT),
    )
    folds = folds_column.number_input(
        "Folds (K)",
        2,
        data.MAX_FOLDS,
        step=1,
        help="Used with Cross-validation: each fold is the test part once.",
        **session.keep(session.FOLDS, 5),
    )
    repeats = repeats_column.number_input(
        "Repeats (R)",
        1,
        data.MAX_REPEATS,
        step=1,
        help="Used with Cross-validation: the K folds again, shuffled afresh.",
        **session.keep(session.REPEATS, 1),
    )
    return (int(folds), int(repeats)) if mode == CV else (0, 1)


def splits(current: Dataset, folds: int, repeats: int) -> list[Dataset]:
    """The data to train on: ``[current]``, or its ``folds`` x ``repeats`` folds,
    prepared from the table and options ``current`` was made from (cached)."""
    if not folds:
        return [current]
    picked, options = _recipe(current)
    with st.spinner(f"Preparing {folds * repeats} folds…"):
        found = picked.folds(folds, repeats, **options)
    if found[0].table_fingerprint != current.table_fingerprint:
        raise InputError(
            "the data in use was not loaded on the Data page in this session, so its "
            "folds cannot be made; load it there (Use this data) and train again."
        )
    return found


def remember(current: Dataset, picked: data_sections.Picked, options: Any) -> None:
    """What ``current`` was prepared from, for its folds (the Data page calls it)."""
    session.put(
        session.DATA_RECIPE, (current.fingerprint, picked.without_table(), options)
    )


def _recipe(current: Dataset) -> tuple[data_sections.Picked, dict[str, Any]]:
    kept = session.get(session.DATA_RECIPE)
    if kept is not None and kept[0] == current.fingerprint:
        return kept[1], dict(kept[2])
    # The default data the app opened on (see loaders.current_dataset).
    source = data_sections.source_of(current)
    stamp = loaders.creditcard_stamp() if source == data_sections.CREDITCARD else ""
    return data_sections.Picked(source, rows=current.rows, file_stamp=stamp), {}
