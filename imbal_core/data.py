"""Load, validate, encode and split a binary classification data set.

Every problem with the user's data is raised as :class:`InputError` with one
sentence that says what is wrong and what to do. Splitting happens here, before
any technique sees the data, so resampling can only ever touch the training split.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from imbal_core.errors import InputError

MAX_UPLOAD_MB = 200
MAX_CATEGORIES = 20
MIN_ROWS_PER_CLASS = 5
SPLIT_SEED = 42
VALIDATION_SIZE = 0.2
CREDITCARD_ROWS, CREDITCARD_POSITIVES = 284_807, 492
CREDITCARD_COLUMNS = ["Time", *[f"V{i}" for i in range(1, 29)], "Amount", "Class"]
CREDITCARD_HELP = (
    "download creditcard.csv from kaggle.com/datasets/mlg-ulb/creditcardfraud and put "
    "it at data/creditcard.csv, or set IMBAL_CREDITCARD_CSV to its path"
)
_DELIMITERS = ",;\t|"


# ---------------------------------------------------------------------- reading
def read_csv(source: str | os.PathLike | bytes | BinaryIO, name: str = "") -> pd.DataFrame:
    """Read a CSV from a path, raw bytes or a file object (e.g. a Streamlit upload).

    Detects the delimiter (comma, semicolon, tab, pipe) and falls back from UTF-8
    to latin-1. Raises :class:`InputError` for anything that is not a usable table.
    """
    raw = _read_bytes(source)
    label = name or (Path(source).name if isinstance(source, (str, os.PathLike)) else "the file")
    if len(raw) > MAX_UPLOAD_MB * 1024 * 1024:
        raise InputError(
            f"{label} is {len(raw) / 2**20:.0f} MB, over the {MAX_UPLOAD_MB} MB limit; "
            "use a smaller sample of the rows."
        )
    if not raw.strip():
        raise InputError(f"{label} is empty; choose a CSV file with a header row and data rows.")
    if b"\x00" in raw[:8192]:
        raise InputError(f"{label} is not a text CSV (it contains binary data); export it as CSV.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # every byte decodes; the usual non-UTF-8 export
    lines = text.splitlines()
    header = lines[0]
    delimiter = _sniff_delimiter(text)
    columns = next(csv.reader([header], delimiter=delimiter))
    duplicates = sorted({c for c in columns if columns.count(c) > 1})
    if duplicates:
        raise InputError(
            f"{label} has duplicate column names {duplicates}; rename them so each is unique."
        )
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, skipinitialspace=True)
    except pd.errors.ParserError as exc:
        raise InputError(f"{label} has rows of different lengths: {_ragged_detail(exc)}; fix that row.") from None
    except (pd.errors.EmptyDataError, csv.Error, ValueError) as exc:
        raise InputError(f"{label} could not be read as CSV ({exc}); check its format.") from None
    if frame.empty:
        raise InputError(f"{label} has a header but no data rows; add rows and try again.")
    if frame.shape[1] < 2:
        raise InputError(
            f"{label} has one column only (delimiter found: {delimiter!r}); a CSV needs "
            "feature columns and a target column separated by , ; tab or |."
        )
    return frame


def _read_bytes(source: Any) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise InputError(f"no file at {str(path)!r}; check the path.")
        return path.read_bytes()
    if hasattr(source, "getvalue"):
        return source.getvalue()
    return source.read()


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        # The sniffer gives up on one-column or irregular files: count instead.
        header = sample.splitlines()[0]
        return max(_DELIMITERS, key=header.count)


def _ragged_detail(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[-1]
    # pandas: "Error tokenizing data. C error: Expected 3 fields in line 5, saw 4"
    return text.split("error: ")[-1] if "error: " in text else text


# --------------------------------------------------------------------- sources
def make_demo(rows: int = CREDITCARD_ROWS, positives: int | None = None, seed: int = 0) -> pd.DataFrame:
    """A deterministic, synthetic stand-in for the creditcard data (same schema and ratio).

    Frauds differ from legitimate rows in a handful of V columns, as in the real
    data, but overlap enough that a good model stays well below perfect recall and
    precision. Nothing here is real data.
    """
    if rows < 20:
        raise InputError(f"demo data needs at least 20 rows, got {rows}.")
    if positives is None:
        positives = max(MIN_ROWS_PER_CLASS * 2, round(rows * CREDITCARD_POSITIVES / CREDITCARD_ROWS))
    if not 0 < positives < rows:
        raise InputError(f"demo positives must be between 1 and {rows - 1}, got {positives}.")
    rng = np.random.default_rng(seed)
    y = np.zeros(rows, dtype=np.int64)
    y[rng.choice(rows, positives, replace=False)] = 1
    v = rng.standard_normal((rows, 28)).astype(np.float64)
    # Fraud signal, strongest where the real data has it (V14, V12, V10, V17, V4, V11).
    shift = np.zeros(28)
    for column, delta in {14: -2.2, 12: -1.8, 10: -1.6, 17: -1.6, 4: 1.5, 11: 1.3, 3: -1.0, 7: -0.9}.items():
        shift[column - 1] = delta
    fraud = y == 1
    strength = rng.uniform(0.0, 1.6, size=fraud.sum())  # some frauds look entirely normal
    v[fraud] += strength[:, None] * shift + rng.normal(0, 0.6, size=(fraud.sum(), 28))
    v[fraud] *= rng.uniform(1.0, 1.8, size=(fraud.sum(), 1))
    time = np.sort(rng.uniform(0, 172_792, rows)).round()
    amount = np.round(np.exp(rng.normal(3.4, 1.4, rows)), 2)
    amount[fraud] = np.round(np.exp(rng.normal(3.8, 1.9, fraud.sum())), 2)
    frame = pd.DataFrame(v.astype(np.float32), columns=[f"V{i}" for i in range(1, 29)])
    frame.insert(0, "Time", time)
    frame["Amount"] = amount
    frame["Class"] = y
    return frame


@lru_cache(maxsize=2)
def demo_frame(rows: int = CREDITCARD_ROWS, seed: int = 0) -> pd.DataFrame:
    """The demo data, generated once per process (callers must not mutate it)."""
    return make_demo(rows=rows, seed=seed)


def load_creditcard(data_home: str | os.PathLike | None = None) -> pd.DataFrame:
    """The real Kaggle/OpenML credit card fraud data.

    Looks at ``$IMBAL_CREDITCARD_CSV``, then ``data/creditcard.csv``, then fetches
    OpenML data id 1597 (cached under ``data_home``) when online.
    """
    for candidate in (os.environ.get("IMBAL_CREDITCARD_CSV"), "data/creditcard.csv"):
        if candidate and Path(candidate).is_file():
            frame = read_csv(candidate)
            missing = [c for c in ("Amount", "Class") if c not in frame.columns]
            if missing:
                raise InputError(f"{candidate} is not the creditcard data: it lacks {missing}; {CREDITCARD_HELP}.")
            return frame
    try:
        import warnings

        from sklearn.datasets import fetch_openml

        with warnings.catch_warnings():  # its retry warnings would reach the user as noise
            warnings.simplefilter("ignore")
            bunch = fetch_openml(data_id=1597, as_frame=True, data_home=data_home, n_retries=1, delay=0.5)
    except Exception as exc:  # any network or parse failure means "not available here"
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise InputError(f"the creditcard data is not available ({reason}); {CREDITCARD_HELP}.") from None
    frame = bunch.frame
    frame["Class"] = frame["Class"].astype(str).astype(int)
    return frame


def available_creditcard_path() -> str | None:
    """The local creditcard.csv that :func:`load_creditcard` would read, if any."""
    for candidate in (os.environ.get("IMBAL_CREDITCARD_CSV"), "data/creditcard.csv"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


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

    @property
    def positives(self) -> int:
        return int(self.y_train.sum() + self.y_val.sum() + self.y_test.sum())

    def class_counts(self) -> dict[str, dict[str, int]]:
        """Negatives and positives per split, as they are (never resampled)."""
        return {
            name: {"negative": int((y == 0).sum()), "positive": int((y == 1).sum())}
            for name, y in (("train", self.y_train), ("validation", self.y_val), ("test", self.y_test))
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
        shown = ", ".join(map(str, frame.columns[:30])) + (" …" if frame.shape[1] > 30 else "")
        raise InputError(f"target column {target!r} not found; the columns are: {shown}. Choose one with --target.")
    labels = frame[target]
    if labels.isna().any():
        raise InputError(
            f"{int(labels.isna().sum())} rows have no label in {target!r}; fill or remove them and reload."
        )
    y, positive_label, notes = _binary_target(labels, target, positive)
    counts = np.bincount(y, minlength=2)
    if counts.min() < MIN_ROWS_PER_CLASS:
        raise InputError(
            f"{target!r} has {counts[1]} positive and {counts[0]} negative rows; each class needs at "
            f"least {MIN_ROWS_PER_CLASS} to split into train, validation and test."
        )
    order = np.arange(len(frame))
    split = "stratified"
    if time_column:
        if time_column not in frame.columns or not pd.api.types.is_numeric_dtype(frame[time_column]):
            raise InputError(f"time column {time_column!r} is not a numeric column of the data.")
        order = np.argsort(frame[time_column].to_numpy(), kind="stable")
        split = f"time-ordered by {time_column}"
    drop_columns = [c for c in drop if c in frame.columns and c != target]
    if drop_columns:
        notes.append(f"dropped {drop_columns} (not a feature for this data)")
    features = frame.drop(columns=[target, *drop_columns])
    amount = frame[amount_column].to_numpy(dtype=float) if _numeric(frame, amount_column) else None

    train_idx, val_idx, test_idx = _split(y, order, test_size, by_time=bool(time_column))
    X, names, encode_notes = _encode(features, train_idx)
    notes.extend(encode_notes)
    X = _impute(X, names, train_idx, notes)
    scaler = StandardScaler().fit(X[train_idx])
    X = scaler.transform(X).astype(np.float32)
    fingerprint = _fingerprint(frame, source, target, positive_label, test_size, drop_columns, time_column)
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
    )


def _numeric(frame: pd.DataFrame, column: str) -> bool:
    return column in frame.columns and pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column])


def _binary_target(labels: pd.Series, target: str, positive: Any) -> tuple[np.ndarray, Any, list[str]]:
    values = labels.to_numpy()
    classes = pd.unique(values)
    notes: list[str] = []
    if len(classes) < 2:
        raise InputError(f"{target!r} has one class only ({_jsonable(classes[0])!r}); the data needs two or more.")
    if pd.api.types.is_float_dtype(labels) and len(classes) > 20 and not np.all(np.mod(values, 1) == 0):
        raise InputError(
            f"{target!r} looks continuous ({len(classes)} distinct numbers); choose a column of class labels."
        )
    if positive is not None:
        match = [c for c in classes if str(_jsonable(c)) == str(positive)]
        if not match:
            shown = ", ".join(repr(str(_jsonable(c))) for c in classes[:20])
            raise InputError(f"positive label {str(positive)!r} is not in {target!r}; its labels are {shown}.")
        positive_label = match[0]
    elif len(classes) > 2:
        shown = ", ".join(repr(str(_jsonable(c))) for c in classes[:20])
        raise InputError(
            f"{target!r} has {len(classes)} classes ({shown}); choose the positive one with --positive "
            "(the rest become negative)."
        )
    elif {str(_jsonable(c)) for c in classes} in ({"0", "1"}, {"False", "True"}, {"0.0", "1.0"}):
        positive_label = next(c for c in classes if str(_jsonable(c)) in ("1", "True", "1.0"))
    else:
        uniques, counts = np.unique(values.astype(str), return_counts=True)
        minority = uniques[np.argmin(counts)]
        positive_label = next(c for c in classes if str(c) == minority)
        notes.append(f"positive label inferred as the minority class {str(_jsonable(positive_label))!r}")
    if len(classes) > 2:
        notes.append(f"{len(classes) - 1} other classes merged into the negative class (one-vs-rest)")
    return (values == positive_label).astype(np.int64), positive_label, notes


def _split(y: np.ndarray, order: np.ndarray, test_size: float, by_time: bool) -> tuple[np.ndarray, ...]:
    if by_time:
        # Oldest rows train, then validation, newest rows test: no peeking at the future.
        n_test = int(round(len(order) * test_size))
        rest, test_idx = order[:-n_test], order[-n_test:]
        n_val = int(round(len(rest) * VALIDATION_SIZE))
        train_idx, val_idx = rest[:-n_val], rest[-n_val:]
        for name, idx in (("train", train_idx), ("validation", val_idx), ("test", test_idx)):
            if len(np.unique(y[idx])) < 2:
                raise InputError(
                    f"the time-ordered {name} split has one class only; use the stratified split instead."
                )
        return train_idx, val_idx, test_idx
    rest, test_idx = train_test_split(order, test_size=test_size, stratify=y, random_state=SPLIT_SEED)
    train_idx, val_idx = train_test_split(
        rest, test_size=VALIDATION_SIZE, stratify=y[rest], random_state=SPLIT_SEED
    )
    return train_idx, val_idx, test_idx


def _encode(features: pd.DataFrame, train_idx: np.ndarray) -> tuple[np.ndarray, list[str], list[str]]:
    """Numbers stay numbers; text becomes one-hot columns of its most common values."""
    notes: list[str] = []
    blocks, names = [], []
    identifiers = []
    for column in features.columns:
        series = features[column]
        if pd.api.types.is_bool_dtype(series):
            series = series.astype(float)
        if pd.api.types.is_numeric_dtype(series):
            blocks.append(series.to_numpy(dtype=np.float64)[:, None])
            names.append(str(column))
            continue
        text = series.astype("string").fillna("<missing>")
        distinct = text.iloc[train_idx].value_counts()
        if len(distinct) > 0.5 * len(train_idx) and len(distinct) > MAX_CATEGORIES:
            identifiers.append(str(column))
            continue
        kept = list(distinct.index[:MAX_CATEGORIES])
        for value in kept:
            blocks.append((text == value).to_numpy(dtype=np.float64)[:, None])
            names.append(f"{column}={value}")
        if len(distinct) > MAX_CATEGORIES:
            blocks.append((~text.isin(kept)).to_numpy(dtype=np.float64)[:, None])
            names.append(f"{column}=<other>")
            notes.append(
                f"{column!r} has {len(distinct)} categories: kept the {MAX_CATEGORIES} most common, the rest are '<other>'"
            )
        else:
            notes.append(f"{column!r} one-hot encoded into {len(kept)} columns")
    if identifiers:
        notes.append(f"dropped {identifiers}: text with a different value on almost every row (an id or free text)")
    if not blocks:
        raise InputError(
            "no usable feature columns: the only non-target columns are ids or free text "
            f"({identifiers}); add numeric or categorical features."
        )
    return np.hstack(blocks), names, notes


def _impute(X: np.ndarray, names: list[str], train_idx: np.ndarray, notes: list[str]) -> np.ndarray:
    """Replace NaN and ±inf by the training median, and say so (refusing would block most real files)."""
    bad = ~np.isfinite(X)
    if not bad.any():
        return X
    X = np.where(bad, np.nan, X)
    with np.errstate(all="ignore"):
        medians = np.nanmedian(X[train_idx], axis=0)
    medians = np.where(np.isfinite(medians), medians, 0.0)
    columns = [names[i] for i in np.flatnonzero(bad.any(axis=0))]
    notes.append(
        f"{int(bad.sum())} missing or infinite values in {columns[:10]}{' …' if len(columns) > 10 else ''} "
        "replaced by the training median"
    )
    return np.where(bad, medians[None, :], X)


def _fingerprint(frame: pd.DataFrame, *settings: Any) -> str:
    digest = hashlib.sha256()
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    digest.update(repr([list(map(str, frame.columns)), *settings]).encode())
    return digest.hexdigest()[:16]


def _jsonable(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


# ----------------------------------------------------------------- convenience
def load_source(source: str, **options: Any) -> Dataset:
    """``demo``, ``creditcard`` or a CSV path, prepared with ``options`` (see :func:`prepare`)."""
    if source == "demo":
        rows = options.pop("rows", CREDITCARD_ROWS)
        options.setdefault("drop", ("Time",))
        return prepare(demo_frame(rows), source=f"demo (synthetic, {rows:,} rows)", **options)
    if source == "creditcard":
        options.setdefault("drop", ("Time",))
        return prepare(load_creditcard(), source="creditcard", **options)
    return prepare(read_csv(source), source=Path(source).name, **options)
