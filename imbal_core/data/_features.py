"""Features fitted on the training rows only: encode categories, impute, scale.

Used by :func:`imbal_core.data.prepare` after the split, so nothing learned here
(categories kept, medians, means and scales) ever sees validation or test rows.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from imbal_core.errors import InputError

MAX_CATEGORIES = 20


def encode(
    features: pd.DataFrame, train_idx: np.ndarray
) -> tuple[np.ndarray, list[str], list[list[int]], list[str]]:
    """Numbers stay numbers; text becomes one-hot columns of its most common values.

    Returns the features, their names, the one-hot group of each text column (the
    columns' indices; SMOTE-NC needs them) and notes."""
    notes: list[str] = []
    blocks, names, groups = [], [], []
    identifiers, empty = [], []
    for column in features.columns:
        series = features[column]
        if pd.api.types.is_bool_dtype(series):
            series = series.astype(float)
        if pd.api.types.is_numeric_dtype(series):
            values = series.to_numpy(dtype=np.float64, na_value=np.nan)
            if not np.isfinite(values[train_idx]).any():
                empty.append(
                    str(column)
                )  # nothing to learn from, nothing to impute with
                continue
            blocks.append(values[:, None])
            names.append(str(column))
            continue
        text = series.astype("string").str.strip().fillna("<missing>")
        distinct = text.iloc[train_idx].value_counts()
        if (distinct.index == "<missing>").all():
            empty.append(str(column))
            continue
        if len(distinct) > 0.5 * len(train_idx) and len(distinct) > MAX_CATEGORIES:
            identifiers.append(str(column))
            continue
        kept = list(distinct.index[:MAX_CATEGORIES])
        first = len(names)
        for value in kept:
            blocks.append(
                (text == value).to_numpy(dtype=np.float64, na_value=0.0)[:, None]
            )
            names.append(f"{column}={value}")
        if len(distinct) > MAX_CATEGORIES:
            blocks.append(
                (~text.isin(kept)).to_numpy(dtype=np.float64, na_value=0.0)[:, None]
            )
            names.append(f"{column}=<other>")
            notes.append(
                f"{column!r} has {len(distinct)} categories: kept the {MAX_CATEGORIES} most common, the rest are '<other>'"
            )
        else:
            notes.append(f"{column!r} one-hot encoded into {len(kept)} columns")
        groups.append(list(range(first, len(names))))  # this column's one-hot block
    if empty:
        notes.append(
            f"dropped {empty[:10]}{' …' if len(empty) > 10 else ''}: no values in the training rows"
        )
    if identifiers:
        notes.append(
            f"dropped {identifiers}: text with a different value on almost every row (an id or free text)"
        )
    if not blocks:
        dropped = identifiers + empty
        raise InputError(
            f"no usable feature columns: the non-target columns {dropped[:10]} are ids, free text or "
            "empty; add numeric or categorical features."
        )
    return np.hstack(blocks), names, groups, notes


def impute(
    X: np.ndarray, names: list[str], train_idx: np.ndarray, notes: list[str]
) -> np.ndarray:
    """Replace NaN and ±inf by the training median, and say so (refusing would block most real files)."""
    bad = ~np.isfinite(X)
    if not bad.any():
        return X
    X = np.where(bad, np.nan, X)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter(
            "ignore", RuntimeWarning
        )  # all-NaN columns were dropped in encode
        medians = np.nanmedian(X[train_idx], axis=0)
    medians = np.where(np.isfinite(medians), medians, 0.0)
    columns = [names[i] for i in np.flatnonzero(bad.any(axis=0))]
    notes.append(
        f"{int(bad.sum())} missing or infinite values in {columns[:10]}{' …' if len(columns) > 10 else ''} "
        "replaced by the training median"
    )
    return np.where(bad, medians[None, :], X)


CLIP_SD = 1e4  # standardised values beyond this are data errors, and they overflow float32 sums


def scale(X: np.ndarray, train_idx: np.ndarray, notes: list[str]) -> np.ndarray:
    """Standardise on the training rows only; finite float32 out, whatever the magnitudes."""
    from sklearn.preprocessing import StandardScaler  # on first use: pages open faster

    # Dividing by the training max-abs first keeps huge values (1e300) from overflowing the
    # variance; standardising is unchanged by it.
    magnitude = np.abs(X[train_idx]).max(axis=0)
    magnitude = np.where((magnitude > 0) & np.isfinite(magnitude), magnitude, 1.0)
    with np.errstate(all="ignore"):
        X = X / magnitude
        X = StandardScaler().fit(X[train_idx]).transform(X)
    clipped = int((~np.isfinite(X) | (np.abs(X) > CLIP_SD)).sum())
    if clipped:
        X = np.clip(
            np.nan_to_num(X, nan=0.0, posinf=CLIP_SD, neginf=-CLIP_SD),
            -CLIP_SD,
            CLIP_SD,
        )
        notes.append(
            f"{clipped} extreme values (beyond {CLIP_SD:g} standard deviations) clipped"
        )
    return X.astype(np.float32)
