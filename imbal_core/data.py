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
import re
import warnings
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
# File signatures of things people upload by mistake, named so the message can say what it is.
_SIGNATURES = {
    b"PK\x03\x04": "a zip archive or an Excel .xlsx workbook",
    b"\xd0\xcf\x11\xe0": "an Excel .xls workbook",
    b"\x1f\x8b": "a gzip archive",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PAR1": "a Parquet file",
    b"SQLite format 3": "an SQLite database",
}
# Tried in order; latin-1 decodes any byte, so it is the last resort. Values name them for users.
_ENCODINGS = {
    "utf-8-sig": "UTF-8",
    "cp1252": "Windows-1252 (latin-1)",
    "latin-1": "latin-1",
}


def read_csv(
    source: str | os.PathLike | bytes | BinaryIO, name: str = ""
) -> pd.DataFrame:
    """Read a CSV from a path, raw bytes or a file object (e.g. a Streamlit upload).

    Detects the delimiter (comma, semicolon, tab, pipe) and the encoding (UTF-8,
    UTF-16 with a BOM, else Windows-1252/latin-1), strips whitespace around column
    names and converts decimal-comma numbers in non-comma files. Bytes and file
    objects are parsed in memory; nothing is written to disk. Raises
    :class:`InputError` for anything that is not a usable table. Notes on what was
    detected are left in ``frame.attrs["notes"]`` for :func:`prepare` to report.
    """
    label = name or (
        Path(source).name if isinstance(source, (str, os.PathLike)) else "the file"
    )
    raw = _read_bytes(source, label)
    if not raw.strip():
        raise InputError(
            f"{label} is empty; choose a CSV file with a header row and data rows."
        )
    text, encoding = _decode(raw, label)
    notes = (
        []
        if encoding in ("utf-8-sig", "utf-16")
        else [f"{label} is not UTF-8: read it as {_ENCODINGS[encoding]}"]
    )
    delimiter = _sniff_delimiter(text)
    rows = (row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row)
    header, first = next(rows, []), next(rows, [])
    named = [c.strip() for c in header if c.strip()]
    duplicates = sorted({c for c in named if named.count(c) > 1})
    if duplicates:
        raise InputError(
            f"{label} has duplicate column names {duplicates}; rename them so each is unique."
        )
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, skipinitialspace=True)
    except pd.errors.ParserError as exc:
        raise InputError(
            _ragged_message(label, str(exc), len(header), delimiter)
        ) from None
    except pd.errors.EmptyDataError:
        raise InputError(
            f"{label} has no header row; the first line must name the columns."
        ) from None
    except (csv.Error, ValueError, OverflowError) as exc:
        detail = (
            str(exc).strip().splitlines()[-1][:160]
            if str(exc).strip()
            else type(exc).__name__
        )
        raise InputError(
            f"{label} could not be read as CSV ({detail}); check its format."
        ) from None
    if len(first) == len(header) + 1 and len(frame.columns) == len(header):
        # pandas silently turns the first column into the index when data rows have one extra field.
        raise InputError(
            f"{label}: every data row has one more field than the {len(header)} column names in the "
            "header; name the extra column or remove the extra field (often a trailing delimiter)."
        )
    if frame.empty:
        raise InputError(
            f"{label} has a header but no data rows; add rows and try again."
        )
    if frame.shape[1] < 2:
        raise InputError(
            f"{label} has one column only; a CSV needs feature columns and a target column "
            "separated by commas, semicolons, tabs or |."
        )
    if frame.iloc[:, -1].isna().any():
        short = _short_row(text, delimiter, len(header))
        if short:
            raise InputError(
                f"{label} line {short[0]} has {short[1]} fields but the header has {len(header)}; "
                "fix or remove that row."
            )
    frame.columns = [_column_name(c, i) for i, c in enumerate(frame.columns)]
    if frame.columns.duplicated().any():
        repeated = sorted(set(frame.columns[frame.columns.duplicated()]))
        raise InputError(
            f"{label} has duplicate column names {repeated}; rename them so each is unique."
        )
    if delimiter != ",":
        notes.extend(_decimal_commas(frame))
    frame.attrs["notes"] = notes
    return frame


def _read_bytes(source: Any, label: str) -> bytes:
    limit = MAX_UPLOAD_MB * 1024 * 1024
    too_big = (
        f"{label} is over the {MAX_UPLOAD_MB} MB limit; use a sample of the rows or pass the file's "
        "path to the command line instead."
    )
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise InputError(f"no file at {str(path)!r}; check the path.")
        if path.stat().st_size > limit:
            raise InputError(too_big)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(
                f"cannot read {str(path)!r} ({exc.strerror or exc}); check its permissions."
            ) from None
    elif hasattr(source, "getvalue"):
        raw = source.getvalue()
    elif hasattr(source, "read"):
        raw = source.read()
    else:
        raise InputError(
            f"cannot read a CSV from a {type(source).__name__}; pass a path, bytes or a file."
        )
    if isinstance(raw, str):  # a text-mode file object
        raw = raw.encode("utf-8")
    if len(raw) > limit:
        raise InputError(too_big)
    return raw


def _decode(raw: bytes, label: str) -> tuple[str, str]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(
                f"{label} starts like UTF-16 text but is not; export it as CSV."
            ) from None
    for signature, kind in _SIGNATURES.items():
        if raw.startswith(signature):
            raise InputError(
                f"{label} is {kind}, not a CSV text file; export or save it as CSV."
            )
    head = raw[:8192]
    control = sum(byte < 32 and byte not in b"\t\n\r\f" for byte in head)
    if b"\x00" in head or control > len(head) / 100:
        raise InputError(
            f"{label} is not a text CSV (it contains binary data); export it as CSV."
        )
    for encoding in _ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first rows into the most consistent number of fields (>1).

    csv.Sniffer guesses wrong on quoted text and on decimal commas; counting fields per
    row with each candidate, quote-aware, does not.
    """
    sample = text[:65536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # don't score a row cut in half

    def score(delimiter: str) -> tuple[bool, float, int]:
        try:
            rows = [
                r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r
            ][:50]
        except csv.Error:
            return (False, 0.0, 0)
        if not rows:
            return (False, 0.0, 0)
        width = len(rows[0])
        return (width > 1, sum(len(r) == width for r in rows) / len(rows), width)

    return max(_DELIMITERS, key=score)  # ties keep the earlier (comma first)


def _ragged_message(label: str, error: str, header_fields: int, delimiter: str) -> str:
    # pandas: "Error tokenizing data. C error: Expected 3 fields in line 5, saw 4"
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", error)
    if match:
        expected, line, saw = match.groups()
        return (
            f"{label} line {line} has {saw} fields but the header has {expected}; fix that row "
            f"(quote values that contain {_DELIMITER_NAMES[delimiter]})."
        )
    detail = error.strip().splitlines()[-1].split("error: ")[-1][:160]
    return f"{label} has rows of different lengths ({detail}); fix those rows."


def _short_row(text: str, delimiter: str, width: int) -> tuple[int, int] | None:
    """The first data row with fewer fields than the header (pandas pads those silently)."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, skipinitialspace=True)
    next(reader, None)
    for row in reader:
        if row and len(row) < width:
            return reader.line_num, len(row)
    return None


def _column_name(name: Any, position: int) -> str:
    name = str(name).strip()
    return name or f"Unnamed: {position}"


_DECIMAL_COMMA = re.compile(r"^[+-]?((\d{1,3}(\.\d{3})+|\d+)(,\d+)?|,\d+)$")


def _decimal_commas(frame: pd.DataFrame) -> list[str]:
    """Turn text columns that are all numbers like ``1.234,5`` into floats (European exports)."""
    converted = []
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        values = series.dropna().astype(str).str.strip()
        if (
            len(values)
            and values.str.contains(",").any()
            and values.str.match(_DECIMAL_COMMA).all()
        ):
            frame[column] = pd.to_numeric(
                series.astype("string")
                .str.strip()
                .str.replace(".", "", regex=False)
                .str.replace(",", ".", regex=False),
                errors="coerce",
            )
            converted.append(str(column))
    return (
        [
            f"read decimal commas as numbers in {converted[:10]}{' …' if len(converted) > 10 else ''}"
        ]
        if converted
        else []
    )


_DELIMITER_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab", "|": "a |"}


# --------------------------------------------------------------------- sources
def make_demo(
    rows: int = CREDITCARD_ROWS, positives: int | None = None, seed: int = 0
) -> pd.DataFrame:
    """A deterministic, synthetic stand-in for the creditcard data (same schema and ratio).

    Frauds differ from legitimate rows in a handful of V columns, as in the real
    data, but overlap enough that a good model stays well below perfect recall and
    precision. Nothing here is real data.
    """
    if rows < 20:
        raise InputError(f"demo data needs at least 20 rows, got {rows}.")
    if positives is None:
        positives = max(
            MIN_ROWS_PER_CLASS * 2, round(rows * CREDITCARD_POSITIVES / CREDITCARD_ROWS)
        )
    if not 0 < positives < rows:
        raise InputError(
            f"demo positives must be between 1 and {rows - 1}, got {positives}."
        )
    rng = np.random.default_rng(seed)
    y = np.zeros(rows, dtype=np.int64)
    y[rng.choice(rows, positives, replace=False)] = 1
    v = rng.standard_normal((rows, 28)).astype(np.float64)
    # Fraud signal, strongest where the real data has it (V14, V12, V10, V17, V4, V11).
    shift = np.zeros(28)
    for column, delta in {
        14: -2.2,
        12: -1.8,
        10: -1.6,
        17: -1.6,
        4: 1.5,
        11: 1.3,
        3: -1.0,
        7: -0.9,
    }.items():
        shift[column - 1] = delta
    fraud = y == 1
    strength = rng.uniform(
        0.0, 1.6, size=fraud.sum()
    )  # some frauds look entirely normal
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
                raise InputError(
                    f"{candidate} is not the creditcard data: it lacks {missing}; {CREDITCARD_HELP}."
                )
            return frame
    try:
        import warnings

        from sklearn.datasets import fetch_openml

        with (
            warnings.catch_warnings()
        ):  # its retry warnings would reach the user as noise
            warnings.simplefilter("ignore")
            bunch = fetch_openml(
                data_id=1597, as_frame=True, data_home=data_home, n_retries=1, delay=0.5
            )
    except Exception as exc:  # any network or parse failure means "not available here"
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise InputError(
            f"the creditcard data is not available ({reason}); {CREDITCARD_HELP}."
        ) from None
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
            f"target column {target!r} not found; the columns are: {shown}. Choose one with --target."
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
            f"target column {target!r} is empty; choose the label column with --target."
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
    X, names, encode_notes = _encode(features, train_idx)
    notes.extend(encode_notes)
    X = _impute(X, names, train_idx, notes)
    X = _scale(X, train_idx, notes)
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
            "not fraud. Choose another label column with --target or add rows of the other class."
        )
    if numeric and (
        len(classes) > MAX_CATEGORIES
        or (fractional and len(classes) > 2 and positive is None)
    ):
        examples = ", ".join(f"{float(c):g}" for c in classes[:3])
        raise InputError(
            f"{target!r} looks continuous ({len(classes)} distinct numbers such as {examples}); "
            "choose a column of class labels with --target."
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
                f"positive label {wanted!r} is not in {target!r}; its labels are {shown}."
            )
        positive_label = match[0]
    elif len(classes) > 2:
        raise InputError(
            f"{target!r} has {len(classes)} classes ({shown}); choose the positive one with --positive "
            "(the rest become negative)."
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


def _encode(
    features: pd.DataFrame, train_idx: np.ndarray
) -> tuple[np.ndarray, list[str], list[str]]:
    """Numbers stay numbers; text becomes one-hot columns of its most common values."""
    notes: list[str] = []
    blocks, names = [], []
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
    return np.hstack(blocks), names, notes


def _impute(
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
        )  # all-NaN columns were dropped in _encode
        medians = np.nanmedian(X[train_idx], axis=0)
    medians = np.where(np.isfinite(medians), medians, 0.0)
    columns = [names[i] for i in np.flatnonzero(bad.any(axis=0))]
    notes.append(
        f"{int(bad.sum())} missing or infinite values in {columns[:10]}{' …' if len(columns) > 10 else ''} "
        "replaced by the training median"
    )
    return np.where(bad, medians[None, :], X)


CLIP_SD = 1e4  # standardised values beyond this are data errors, and they overflow float32 sums


def _scale(X: np.ndarray, train_idx: np.ndarray, notes: list[str]) -> np.ndarray:
    """Standardise on the training rows only; finite float32 out, whatever the magnitudes."""
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
        return prepare(
            demo_frame(rows), source=f"demo (synthetic, {rows:,} rows)", **options
        )
    if source == "creditcard":
        options.setdefault("drop", ("Time",))
        return prepare(load_creditcard(), source="creditcard", **options)
    return prepare(read_csv(source), source=Path(source).name, **options)
