"""Named data sources: the synthetic demo, the real creditcard data, and CSV paths.

:func:`load_source` is the one dispatch from a source name or path to a prepared
:class:`Dataset`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from imbal_core.data._csv import read_csv
from imbal_core.data._folds import check_folds, prepare_folds
from imbal_core.data._parquet import read_table
from imbal_core.data._prepare import MIN_ROWS_PER_CLASS, Dataset, prepare
from imbal_core.errors import InputError

CREDITCARD_ROWS, CREDITCARD_POSITIVES = 284_807, 492
CREDITCARD_COLUMNS = ["Time", *[f"V{i}" for i in range(1, 29)], "Amount", "Class"]
CREDITCARD_HELP = (
    "download creditcard.csv from kaggle.com/datasets/mlg-ulb/creditcardfraud and put "
    "it at data/creditcard.csv, or set IMBAL_CREDITCARD_CSV to its path"
)


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


# ------------------------------------------------------------- the dispatch
NAMED_SOURCES = ("demo", "creditcard")


def source_label(source: str, rows: int = CREDITCARD_ROWS) -> str:
    """How a source is named in every summary, report and badge.

    The demo's label starts with ``demo (synthetic``: that is how results tell
    generated data from real (:func:`imbal_core.results.is_synthetic`).
    """
    if source == "demo":
        return f"demo (synthetic, {rows:,} rows)"
    return source if source == "creditcard" else Path(source).name


def source_frame(source: str, rows: int = CREDITCARD_ROWS) -> pd.DataFrame:
    """The raw table of ``demo``, ``creditcard`` or a CSV or Parquet path (the one
    dispatch)."""
    if source == "demo":
        return demo_frame(rows)
    if source == "creditcard":
        return load_creditcard()
    return read_table(source)


def load_source(source: str, **options: Any) -> Dataset:
    """``demo``, ``creditcard`` or a CSV or Parquet path, prepared with ``options`` (see :func:`prepare`)."""
    frame, options = _frame(source, options)
    return prepare(frame, **options)


def load_folds(
    source: str, folds: int, repeats: int = 1, **options: Any
) -> list[Dataset]:
    """:func:`load_source`'s data as ``folds`` x ``repeats`` cross-validation folds
    (see :func:`prepare_folds`); a test size, if given, is the folds' to decide."""
    check_folds(folds, repeats, options.get("time_column"))  # before reading a file
    options.pop("test_size", None)
    frame, options = _frame(source, options)
    return prepare_folds(frame, folds=folds, repeats=repeats, **options)


def _frame(source: str, options: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    options = dict(options)
    rows = options.pop("rows", CREDITCARD_ROWS)
    if source in NAMED_SOURCES:
        options.setdefault("drop", ("Time",))  # the seed notebook drops Time
    return source_frame(source, rows), {"source": source_label(source, rows), **options}
