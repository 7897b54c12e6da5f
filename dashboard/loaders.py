"""Cached data for the pages: named sources, uploads and prepared Datasets.

Everything expensive goes through a Streamlit cache keyed by names and hashable
parameters, never by big objects: a Dataset is passed as a leading-underscore
argument and its fingerprint is in the key, so one user's upload can never answer
another user's different data.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import session
from dashboard.widgets import plain
from imbal_core import data
from imbal_core.data import Dataset
from imbal_core.errors import InputError, first_line

DATA_CACHE_ENTRIES = 4  # prepared datasets are big (the full demo is ~35 MB)
DEMO_ROW_CHOICES = (data.CREDITCARD_ROWS, 50_000, 10_000)
TIME_LIKE = re.compile(r"time|date|step|timestamp|day|hour|seconds", re.IGNORECASE)


def demo_rows() -> int:
    """Rows of the default demo data: full creditcard size, or ``$IMBAL_DEMO_ROWS``.

    The override exists so tests (and slow machines) can open the app quickly.
    """
    value = os.environ.get("IMBAL_DEMO_ROWS", "")
    try:
        return max(20, int(value)) if value.strip() else data.CREDITCARD_ROWS
    except ValueError:
        return data.CREDITCARD_ROWS


def current_dataset() -> Dataset:
    """The session's Dataset, loading the default the first time.

    The default is the real creditcard data when a local file exists, else the
    full-size generated demo data (clearly labelled synthetic).
    """
    if session.dataset() is not None:
        return session.dataset()
    dataset = None
    if data.available_creditcard_path():
        try:
            with st.spinner("Loading the creditcard data…"):
                dataset = load_prepared("creditcard", file_stamp=creditcard_stamp())
        except Exception as exc:  # a broken local file must not stop the app opening
            reason = first_line(exc) or type(exc).__name__
            st.warning(
                f"The local creditcard file could not be used ({plain(reason)}); showing the synthetic demo data instead."
            )
    if dataset is None:
        with st.spinner(f"Generating the synthetic demo data ({demo_rows():,} rows)…"):
            dataset = load_prepared("demo", rows=demo_rows())
    session.put(session.DATASET, dataset)
    return dataset


def creditcard_stamp() -> str:
    """Path and modification time of the local creditcard file: part of cache keys."""
    path = data.available_creditcard_path()
    return f"{path}:{Path(path).stat().st_mtime_ns}" if path else "openml"


# ----------------------------------------------------------------- loaders
@st.cache_resource(max_entries=4, show_spinner=False)
def raw_frame(source: str, rows: int = 0, file_stamp: str = "") -> pd.DataFrame:
    """The unprepared table of a named source (``demo`` or ``creditcard``); read-only.

    ``cache_resource`` (not ``cache_data``) because a 285k-row frame copied on every
    rerun would cost more than it protects; nothing mutates it. ``file_stamp`` keys
    the local creditcard file's path and modification time.
    """
    if source not in data.NAMED_SOURCES:  # paths come only from the CLI
        raise InputError(f"unknown data source {source!r}.")
    return data.source_frame(source, rows or demo_rows())


@st.cache_resource(max_entries=2, show_spinner=False)
def upload_frame(digest: str, name: str, _raw: bytes) -> pd.DataFrame:
    """An uploaded CSV or Parquet file parsed once, keyed by its content hash (never
    written to disk)."""
    return data.read_table(_raw, name=name)


def upload_digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@st.cache_resource(max_entries=DATA_CACHE_ENTRIES, show_spinner=False)
def load_prepared(
    source: str,
    *,
    rows: int = 0,
    file_stamp: str = "",
    target: str = "Class",
    positive: Any = None,
    test_size: float = 0.2,
    drop: tuple[str, ...] = ("Time",),
    time_column: str | None = None,
) -> Dataset:
    """A prepared Dataset for ``demo`` or ``creditcard`` with the given split settings."""
    rows = rows or demo_rows()
    return data.prepare(
        raw_frame(source, rows=rows, file_stamp=file_stamp),
        source=data.source_label(source, rows),
        target=target,
        positive=positive,
        test_size=test_size,
        drop=drop,
        time_column=time_column,
    )


@st.cache_resource(max_entries=DATA_CACHE_ENTRIES, show_spinner=False)
def prepare_upload(
    digest: str,
    name: str,
    _raw: bytes,
    *,
    target: str,
    positive: Any = None,
    test_size: float = 0.2,
    drop: tuple[str, ...] = (),
    time_column: str | None = None,
) -> Dataset:
    """An uploaded CSV, read from memory and prepared; keyed by its content hash."""
    frame = upload_frame(digest, name, _raw)
    return data.prepare(
        frame,
        source=name,
        target=target,
        positive=positive,
        test_size=test_size,
        drop=drop,
        time_column=time_column,
    )


@st.cache_resource(max_entries=2, show_spinner=False)
def load_folds(
    source: str,
    folds: int,
    repeats: int,
    *,
    rows: int = 0,
    file_stamp: str = "",
    **options: Any,
) -> list[Dataset]:
    """:func:`load_prepared`'s data as cross-validation folds (its options but
    the test size; every one is part of the cache key)."""
    rows = rows or demo_rows()
    return data.prepare_folds(
        raw_frame(source, rows=rows, file_stamp=file_stamp),
        folds=folds,
        repeats=repeats,
        source=data.source_label(source, rows),
        **{"drop": ("Time",), **options},
    )


@st.cache_resource(max_entries=2, show_spinner=False)
def upload_folds(
    digest: str, name: str, _raw: bytes, folds: int, repeats: int, **options: Any
) -> list[Dataset]:
    """:func:`prepare_upload`'s data as cross-validation folds."""
    frame = upload_frame(digest, name, _raw)
    return data.prepare_folds(
        frame, folds=folds, repeats=repeats, source=name, **options
    )


def time_like_columns(frame: pd.DataFrame) -> list[str]:
    """Numeric columns whose name suggests an order in time (Time, date, step, …)."""
    return [
        str(c)
        for c in frame.columns
        if TIME_LIKE.search(str(c))
        and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]
