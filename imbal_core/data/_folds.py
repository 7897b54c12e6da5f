"""Cross-validation: one Dataset per fold, each prepared on its own training rows.

Stratified k-fold, repeated with fresh shuffles (scikit-learn's
``RepeatedStratifiedKFold``). Time-ordered data keeps its order: forward-chaining
folds (``TimeSeriesSplit``), each trained on the past and tested on the next block.
Each training fold is split again into train | validation (stratified 80/20, or its
newest 20 % in time order): thresholds and early stopping are chosen there, never
on the test fold, and encoders, imputation and scaling are fitted on its train part.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from imbal_core.data._prepare import (
    SPLIT_SEED,
    VALIDATION_SIZE,
    Dataset,
    Table,
    checked_table,
)
from imbal_core.errors import InputError

MAX_FOLDS = 20
MAX_REPEATS = 10


def prepare_folds(
    frame: pd.DataFrame, *, folds: int = 5, repeats: int = 1, **options: Any
) -> list[Dataset]:
    """``folds`` x ``repeats`` Datasets of ``frame``; ``options`` are
    :func:`prepare`'s but the test size (source, target, positive, drop,
    time_column, amount_column). The test parts of one repeat partition the rows."""
    time_column = options.get("time_column")
    check_folds(folds, repeats, time_column)
    table = checked_table(frame, **options)
    parts = (
        _forward_chaining(table, folds)
        if time_column
        else _stratified(table, folds, repeats)
    )
    scheme = _scheme(folds, repeats, time_column)
    datasets = []
    for index, (train_idx, val_idx, test_idx) in enumerate(parts):
        repeat, fold = divmod(index, folds)
        for name, idx in (
            ("train", train_idx),
            ("validation", val_idx),
            ("test", test_idx),
        ):
            if len(np.unique(table.y[idx])) < 2:
                minority = int(min(np.bincount(table.y, minlength=2)))
                raise InputError(
                    f"fold {fold + 1} of {folds} has one class only in its {name} part "
                    f"({minority} rows of the smaller class); use fewer folds or add rows",
                    option="folds",
                )
        dataset = table.dataset(
            (train_idx, val_idx, test_idx),
            table.fingerprint("folds", folds, repeats, index, bool(time_column)),
            f"{scheme}: repeat {repeat + 1}, fold {fold + 1}",
        )
        dataset.fold = {
            "index": index,
            "fold": fold + 1,
            "repeat": repeat + 1,
            "folds": folds,
            "repeats": repeats,
            "scheme": scheme,
            "base": table.fingerprint("folds", folds, repeats, bool(time_column)),
        }
        datasets.append(dataset)
    return datasets


def check_folds(folds: int, repeats: int, time_column: str | None = None) -> None:
    """A one-line :class:`InputError` for folds or repeats this tool cannot use."""
    if not 2 <= folds <= MAX_FOLDS:
        raise InputError(
            f"cross-validation needs 2 to {MAX_FOLDS} folds, got {folds}",
            option="folds",
        )
    if not 1 <= repeats <= MAX_REPEATS:
        raise InputError(
            f"repeats must be between 1 and {MAX_REPEATS}, got {repeats}",
            option="repeats",
        )
    if time_column and repeats > 1:
        raise InputError(
            "time-ordered folds have one order, so repeating them gives the same folds; "
            "use one repeat, or split at random",
            option="repeats",
        )


def folds_summary(datasets: Sequence[Dataset]) -> dict[str, Any]:
    """What a comparison over ``datasets`` (one, or a fold each) says of its data:
    the first's summary, with the cross-validation and each fold's row counts."""
    first = datasets[0]
    summary = first.summary()
    if first.fold is None:
        return summary
    rows = [[len(d.y_train), len(d.y_val), len(d.y_test)] for d in datasets]
    summary.update(
        split=first.fold["scheme"],
        fingerprint=first.fold["base"],
        cv={
            "folds": first.fold["folds"],
            "repeats": first.fold["repeats"],
            "scheme": first.fold["scheme"],
            "rows": rows,  # train, validation, test rows of each fold
            # Nadeau & Bengio's correction uses test rows / rows the model learned from.
            "test_train_ratio": float(
                np.mean([test / (train + val) for train, val, test in rows])
            ),
        },
    )
    return summary


def _scheme(folds: int, repeats: int, time_column: str | None) -> str:
    if time_column:
        return f"{folds} forward-chaining folds by {time_column}"
    again = f", repeated {repeats}×" if repeats > 1 else ""
    return f"{folds}-fold stratified cross-validation{again}"


def _stratified(table: Table, folds: int, repeats: int) -> list[tuple[np.ndarray, ...]]:
    from sklearn.model_selection import RepeatedStratifiedKFold, train_test_split

    y = table.y
    if int(min(np.bincount(y, minlength=2))) < folds:
        raise InputError(
            f"{table.target!r} has {int(min(np.bincount(y, minlength=2)))} rows of its "
            f"smaller class, fewer than the {folds} folds (each test fold needs one); "
            "use fewer folds",
            option="folds",
        )
    splitter = RepeatedStratifiedKFold(
        n_splits=folds, n_repeats=repeats, random_state=SPLIT_SEED
    )
    parts = []
    for index, (rest, test_idx) in enumerate(splitter.split(np.zeros(len(y)), y)):
        try:
            train_idx, val_idx = train_test_split(
                rest,
                test_size=VALIDATION_SIZE,
                stratify=y[rest],
                random_state=SPLIT_SEED + index,
            )
        except ValueError:  # a class with one row left in the training fold
            raise InputError(
                f"a training fold has too few rows of one class to carve a validation "
                f"part from; use fewer folds than {folds} or add rows",
                option="folds",
            ) from None
        parts.append((np.sort(train_idx), np.sort(val_idx), np.sort(test_idx)))
    return parts


def _forward_chaining(table: Table, folds: int) -> list[tuple[np.ndarray, ...]]:
    """Fold k trains on the k oldest blocks (its newest 20 % validating) and tests
    on the next block."""
    from sklearn.model_selection import TimeSeriesSplit

    order = table.order
    parts = []
    for past, future in TimeSeriesSplit(n_splits=folds).split(order):
        n_val = max(1, int(round(len(past) * VALIDATION_SIZE)))
        parts.append((order[past[:-n_val]], order[past[-n_val:]], order[future]))
    return parts
