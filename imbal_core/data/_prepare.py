"""Validate, encode and split a DataFrame into a :class:`Dataset`.

Splitting happens here, before any technique sees the data, so resampling can only
ever touch the training split. Every problem is raised as :class:`InputError`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from imbal_core.data._features import encode, impute, scale
from imbal_core.data._target import binary_target, jsonable
from imbal_core.errors import InputError

MIN_ROWS_PER_CLASS = 5
SPLIT_SEED = 42
VALIDATION_SIZE = 0.2


# ----------------------------------------------------------------- preparation
@dataclass
class Dataset:
    """A validated data set, split into train | validation | test, scaled on train."""

    source: str
    feature_names: list[str]
    positive_label: Any
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    amount_val: np.ndarray | None
    amount_test: np.ndarray | None
    rows: int
    fingerprint: str
    notes: list[str] = field(default_factory=list)
    split: str = "stratified"
    # The one-hot columns of each categorical feature, as indices into feature_names.
    categorical: list[list[int]] = field(default_factory=list)
    # Which cross-validation fold this is (index, fold, repeat, folds, repeats,
    # scheme, base fingerprint); None for the holdout split.
    fold: dict[str, Any] | None = None
    # The table and its target settings, whatever the split: a holdout Dataset and
    # the folds of the same data share it.
    table_fingerprint: str = ""

    @property
    def source_features(self) -> int:
        """Feature columns before encoding: each categorical one counts once."""
        one_hot = sum(len(group) for group in self.categorical)
        return len(self.feature_names) - one_hot + len(self.categorical)

    @property
    def positives(self) -> int:
        return int(self.y_train.sum() + self.y_val.sum() + self.y_test.sum())

    def class_counts(self) -> dict[str, dict[str, int]]:
        """Negatives and positives per split, as they are (never resampled)."""
        return {
            name: {"negative": int((y == 0).sum()), "positive": int((y == 1).sum())}
            for name, y in (
                ("train", self.y_train),
                ("validation", self.y_val),
                ("test", self.y_test),
            )
        }

    def summary(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "rows": self.rows,
            "features": len(self.feature_names),
            "positives": self.positives,
            "positive_label": jsonable(self.positive_label),
            "train_rows": len(self.y_train),
            "validation_rows": len(self.y_val),
            "test_rows": len(self.y_test),
            "split": self.split,
            "categorical_features": len(self.categorical),
            "class_counts": self.class_counts(),
            "fingerprint": self.fingerprint,
            "table_fingerprint": self.table_fingerprint,
            "notes": list(self.notes),
        }


def prepare(
    frame: pd.DataFrame,
    *,
    source: str = "csv",
    target: str = "Class",
    positive: Any = None,
    test_size: float = 0.2,
    drop: tuple[str, ...] = (),
    time_column: str | None = None,
    amount_column: str = "Amount",
) -> Dataset:
    """Validate ``frame``, encode its features and split it, scaling on train only.

    Parameters
    ----------
    frame : DataFrame with the features and the target column.
    source : label for the data ("demo", "creditcard", a file name).
    target : the label column.
    positive : the positive label; inferred for two classes (1 for {0, 1}, else the
        minority), required for three or more (one-vs-rest).
    test_size : fraction held out for the test split.
    drop : columns that are not features (the seed drops ``Time`` for creditcard).
    time_column : when given, split by time (oldest rows train, newest test) instead
        of at random, because fraud patterns drift.
    amount_column : kept aside per row (unscaled) for the cost of a missed positive.
    """
    if not 0.05 <= test_size <= 0.5:
        raise InputError(f"test size must be between 0.05 and 0.5, got {test_size}.")
    table = checked_table(
        frame,
        source=source,
        target=target,
        positive=positive,
        drop=drop,
        time_column=time_column,
        amount_column=amount_column,
    )
    parts = _split(
        table.y, table.order, test_size, by_time=bool(time_column), target=target
    )
    return table.dataset(parts, table.fingerprint(test_size), table.split)


@dataclass
class Table:
    """A validated table before any split: labels, features, amounts, row order.

    What :func:`prepare` splits once and cross-validation splits into folds; each
    split gets its own encoders, imputation and scaling, fitted on its train part.
    """

    frame: pd.DataFrame = field(repr=False)
    source: str
    target: str
    y: np.ndarray = field(repr=False)
    positive_label: Any
    features: pd.DataFrame = field(repr=False)
    amount: np.ndarray | None = field(repr=False)
    amount_column: str
    order: np.ndarray = field(repr=False)  # row order: by time, else as given
    split: str  # "stratified" or "time-ordered by <column>"
    drop_columns: list[str]
    time_column: str | None
    notes: list[str]

    def fingerprint(self, *settings: Any) -> str:
        """The data and how it is prepared; ``settings`` say how it is split."""
        return _fingerprint(
            self.frame,
            self.source,
            self.target,
            self.positive_label,
            *settings,
            self.drop_columns,
            self.time_column,
        )

    def dataset(
        self, parts: tuple[np.ndarray, ...], fingerprint: str, split: str
    ) -> Dataset:
        """The Dataset of one split: ``parts`` are its train, validation and test rows."""
        train_idx, val_idx, test_idx = parts
        notes = list(self.notes)
        amount = self.amount
        if amount is not None:
            amount = _complete_amounts(amount, self.amount_column, train_idx, notes)
        X, names, categorical, encode_notes = encode(self.features, train_idx)
        notes.extend(encode_notes)
        X = impute(X, names, train_idx, notes)
        X = scale(X, train_idx, notes)
        return Dataset(
            source=self.source,
            feature_names=names,
            positive_label=self.positive_label,
            X_train=X[train_idx],
            y_train=self.y[train_idx],
            X_val=X[val_idx],
            y_val=self.y[val_idx],
            X_test=X[test_idx],
            y_test=self.y[test_idx],
            amount_val=None if amount is None else amount[val_idx],
            amount_test=None if amount is None else amount[test_idx],
            rows=len(self.frame),
            fingerprint=fingerprint,
            notes=notes,
            split=split,
            categorical=categorical,
            table_fingerprint=self.fingerprint(),
        )


def checked_table(
    frame: pd.DataFrame,
    *,
    source: str = "csv",
    target: str = "Class",
    positive: Any = None,
    drop: tuple[str, ...] = (),
    time_column: str | None = None,
    amount_column: str = "Amount",
) -> Table:
    """``frame`` validated (see :func:`prepare`), or a one-line :class:`InputError`."""
    if target not in frame.columns:
        shown = ", ".join(map(repr, map(str, frame.columns[:30]))) + (
            " …" if frame.shape[1] > 30 else ""
        )
        raise InputError(
            f"target column {target!r} not found; the columns are: {shown}; choose one of them",
            option="target",
        )
    if len(frame) < 2 * MIN_ROWS_PER_CLASS:
        raise InputError(
            f"the data has {len(frame)} row{'s' if len(frame) != 1 else ''}; it needs at least "
            f"{2 * MIN_ROWS_PER_CLASS} (and {MIN_ROWS_PER_CLASS} of each class) to split into train, "
            "validation and test."
        )
    if frame.shape[1] < 2:
        raise InputError(
            f"the data has only the target column {target!r}; add feature columns."
        )
    notes = [str(n) for n in frame.attrs.get("notes", [])]
    labels = frame[target]
    if labels.isna().all():
        raise InputError(
            f"target column {target!r} is empty; choose the label column",
            option="target",
        )
    if labels.isna().any():
        first = int(np.flatnonzero(labels.isna().to_numpy())[0]) + 1
        raise InputError(
            f"{int(labels.isna().sum())} rows have no label in {target!r} (the first is data row {first}); "
            "fill or remove them and reload."
        )
    y, positive_label, target_notes = binary_target(labels, target, positive)
    notes.extend(target_notes)
    counts = np.bincount(y, minlength=2)
    if counts.min() < MIN_ROWS_PER_CLASS:
        raise InputError(
            f"{target!r} has {counts[1]} positive and {counts[0]} negative rows; each class needs at "
            f"least {MIN_ROWS_PER_CLASS} to split into train, validation and test."
        )
    order = np.arange(len(frame))
    split = "stratified"
    if time_column:
        if time_column not in frame.columns or not _numeric(frame, time_column):
            raise InputError(
                f"time column {time_column!r} is not a numeric column of the data."
            )
        if frame[time_column].isna().any():
            raise InputError(
                f"time column {time_column!r} has missing values; fill them or split at random."
            )
        order = np.argsort(frame[time_column].to_numpy(), kind="stable")
        split = f"time-ordered by {time_column}"
    drop_columns = [c for c in drop if c in frame.columns and c != target]
    if drop_columns:
        notes.append(f"dropped {drop_columns} (not a feature for this data)")
    features = frame.drop(columns=[target, *drop_columns])
    if features.shape[1] == 0:
        raise InputError(
            f"no feature columns are left besides {target!r}; add feature columns."
        )
    amount = (
        frame[amount_column].to_numpy(dtype=float)
        if _numeric(frame, amount_column)
        else None
    )
    return Table(
        frame,
        source,
        target,
        y,
        positive_label,
        features,
        amount,
        amount_column,
        order,
        split,
        drop_columns,
        time_column,
        notes,
    )


def _numeric(frame: pd.DataFrame, column: str) -> bool:
    return (
        column in frame.columns
        and pd.api.types.is_numeric_dtype(frame[column])
        and not pd.api.types.is_bool_dtype(frame[column])
    )


def _split(
    y: np.ndarray,
    order: np.ndarray,
    test_size: float,
    by_time: bool,
    target: str = "Class",
) -> tuple[np.ndarray, ...]:
    from sklearn.model_selection import train_test_split  # on first use: fast start

    if by_time:
        # Oldest rows train, then validation, newest rows test: no peeking at the future.
        n_test = max(1, int(round(len(order) * test_size)))
        rest, test_idx = order[:-n_test], order[-n_test:]
        n_val = max(1, int(round(len(rest) * VALIDATION_SIZE)))
        train_idx, val_idx = rest[:-n_val], rest[-n_val:]
        for name, idx in (
            ("train", train_idx),
            ("validation", val_idx),
            ("test", test_idx),
        ):
            if len(np.unique(y[idx])) < 2:
                raise InputError(
                    f"the time-ordered {name} split has one class only; use the stratified split instead."
                )
        return train_idx, val_idx, test_idx
    rest, test_idx = train_test_split(
        order, test_size=test_size, stratify=y, random_state=SPLIT_SEED
    )
    train_idx, val_idx = train_test_split(
        rest, test_size=VALIDATION_SIZE, stratify=y[rest], random_state=SPLIT_SEED
    )
    for name, idx in (
        ("train", train_idx),
        ("validation", val_idx),
        ("test", test_idx),
    ):
        if len(np.unique(y[idx])) < 2:
            minority = int(min(np.bincount(y, minlength=2)))
            raise InputError(
                f"{target!r} has too few rows of one class ({minority}) to put some in each of train, "
                f"validation and test (the {name} split got none); add rows or raise the test size."
            )
    return train_idx, val_idx, test_idx


def _complete_amounts(
    amount: np.ndarray, column: str, train_idx: np.ndarray, notes: list[str]
) -> np.ndarray | None:
    """Amounts for the cost of a missed positive, with no gap: one missing amount would
    make every cost NaN. Gaps (and negative or infinite values) get the training
    split's median, with a note; a column with no usable training value is not used."""
    bad = ~np.isfinite(amount) | (amount < 0)
    if not bad.any():
        return amount
    usable = amount[train_idx][~bad[train_idx]]
    if usable.size == 0:
        notes.append(
            f"{column!r} has no usable value in the training split, so costs use a fixed amount per miss"
        )
        return None
    median = float(np.median(usable))
    notes.append(
        f"{column!r}: {int(bad.sum()):,} missing or invalid value(s) set to the training median "
        f"{median:,.2f} for costs"
    )
    return np.where(bad, median, amount)


def _fingerprint(frame: pd.DataFrame, *settings: Any) -> str:
    digest = hashlib.sha256()
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    digest.update(repr([list(map(str, frame.columns)), *settings]).encode())
    return digest.hexdigest()[:16]
