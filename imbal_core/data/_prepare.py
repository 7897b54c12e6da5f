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

from imbal_core.data._features import MAX_CATEGORIES, encode, impute, scale
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
            "positive_label": _jsonable(self.positive_label),
            "train_rows": len(self.y_train),
            "validation_rows": len(self.y_val),
            "test_rows": len(self.y_test),
            "split": self.split,
            "categorical_features": len(self.categorical),
            "class_counts": self.class_counts(),
            "fingerprint": self.fingerprint,
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
    y, positive_label, target_notes = _binary_target(labels, target, positive)
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

    train_idx, val_idx, test_idx = _split(
        y, order, test_size, by_time=bool(time_column), target=target
    )
    if amount is not None:
        amount = _complete_amounts(amount, amount_column, train_idx, notes)
    X, names, categorical, encode_notes = encode(features, train_idx)
    notes.extend(encode_notes)
    X = impute(X, names, train_idx, notes)
    X = scale(X, train_idx, notes)
    fingerprint = _fingerprint(
        frame, source, target, positive_label, test_size, drop_columns, time_column
    )
    return Dataset(
        source=source,
        feature_names=names,
        positive_label=positive_label,
        X_train=X[train_idx],
        y_train=y[train_idx],
        X_val=X[val_idx],
        y_val=y[val_idx],
        X_test=X[test_idx],
        y_test=y[test_idx],
        amount_val=None if amount is None else amount[val_idx],
        amount_test=None if amount is None else amount[test_idx],
        rows=len(frame),
        fingerprint=fingerprint,
        notes=notes,
        split=split,
        categorical=categorical,
    )


def _numeric(frame: pd.DataFrame, column: str) -> bool:
    return (
        column in frame.columns
        and pd.api.types.is_numeric_dtype(frame[column])
        and not pd.api.types.is_bool_dtype(frame[column])
    )


def _label_text(value: Any) -> str:
    value = _jsonable(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 1.0 and 1 are the same label to a user
    return str(value)


def _binary_target(
    labels: pd.Series, target: str, positive: Any
) -> tuple[np.ndarray, Any, list[str]]:
    values = labels.to_numpy()
    classes = pd.unique(values)
    notes: list[str] = []
    numeric = pd.api.types.is_numeric_dtype(labels) and not pd.api.types.is_bool_dtype(
        labels
    )
    if numeric and not np.all(np.isfinite(values.astype(float))):
        raise InputError(
            f"{target!r} contains infinite values; class labels must be finite."
        )
    fractional = numeric and not np.all(np.mod(values.astype(float), 1) == 0)
    if len(classes) < 2:
        raise InputError(
            f"{target!r} has one class only ({_label_text(classes[0])!r}); it needs two, e.g. fraud and "
            "not fraud; add rows of the other class or choose another label column",
            option="target",
        )
    if numeric and (
        len(classes) > MAX_CATEGORIES
        or (fractional and len(classes) > 2 and positive is None)
    ):
        examples = ", ".join(f"{float(c):g}" for c in classes[:3])
        raise InputError(
            f"{target!r} looks continuous ({len(classes)} distinct numbers such as {examples}); "
            "choose a column of class labels",
            option="target",
        )
    shown = ", ".join(repr(_label_text(c)) for c in classes[:MAX_CATEGORIES]) + (
        " …" if len(classes) > MAX_CATEGORIES else ""
    )
    if positive is not None:
        wanted = str(positive).strip()
        match = [
            c
            for c in classes
            if _label_text(c) == wanted or str(_jsonable(c)) == wanted
        ]
        match = match or [
            c for c in classes if _label_text(c).casefold() == wanted.casefold()
        ]
        if not match:
            raise InputError(
                f"positive label {wanted!r} is not in {target!r}; its labels are {shown}; "
                "choose one of them",
                option="positive",
            )
        positive_label = match[0]
    elif len(classes) > 2:
        raise InputError(
            f"{target!r} has {len(classes)} classes ({shown}); the rest become negative when "
            "you choose the positive one",
            option="positive",
        )
    elif {_label_text(c).lower() for c in classes} in ({"0", "1"}, {"false", "true"}):
        positive_label = next(
            c for c in classes if _label_text(c).lower() in ("1", "true")
        )
    else:
        counts = [(values == c).sum() for c in classes]
        positive_label = classes[int(np.argmin(counts))]
        notes.append(
            f"positive label inferred as the minority class {_label_text(positive_label)!r}"
        )
    if len(classes) > 2:
        notes.append(
            f"{len(classes) - 1} other classes merged into the negative class (one-vs-rest)"
        )
    return (values == positive_label).astype(np.int64), positive_label, notes


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


def _jsonable(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value
