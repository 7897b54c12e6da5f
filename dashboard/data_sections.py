"""The Data page's sections: pick a source, a target and a split; show what is in use."""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import loaders, session, widgets
from dashboard.widgets import dataset_badge, friendly_errors, plain
from imbal_core import data, figures, results, tables
from imbal_core.data import Dataset
from imbal_core.results import is_synthetic

DEMO, CREDITCARD, UPLOAD = "demo", "creditcard", "upload"
SOURCE_LABELS = {
    DEMO: "Generated demo data (synthetic)",
    CREDITCARD: "Credit card fraud data (real)",
    UPLOAD: "Upload a CSV or Parquet file",
}


@dataclass
class Picked:
    """The raw table the user picked, and how to prepare it again."""

    source: str
    frame: pd.DataFrame | None = None
    rows: int = 0
    file_stamp: str = ""
    raw: bytes | None = field(default=None, repr=False)
    upload_name: str = ""

    def prepare(self, **options: Any) -> Dataset:
        if self.source == UPLOAD:
            digest = loaders.upload_digest(self.raw)
            return loaders.prepare_upload(digest, self.upload_name, self.raw, **options)
        return loaders.load_prepared(
            self.source, rows=self.rows, file_stamp=self.file_stamp, **options
        )

    def folds(self, folds: int, repeats: int, **options: Any) -> list[Dataset]:
        """The same table as cross-validation folds (its test size unused)."""
        options.pop("test_size", None)
        if self.source == UPLOAD:
            digest = loaders.upload_digest(self.raw)
            return loaders.upload_folds(
                digest, self.upload_name, self.raw, folds, repeats, **options
            )
        return loaders.load_folds(
            self.source,
            folds,
            repeats,
            rows=self.rows,
            file_stamp=self.file_stamp,
            **options,
        )

    def without_table(self) -> Picked:
        """This choice without its parsed table (the caches keep that)."""
        return replace(self, frame=None)


def source_of(current: Dataset) -> str:
    """The radio choice matching the data in use."""
    if is_synthetic(current.source):
        return DEMO
    return CREDITCARD if current.source == "creditcard" else UPLOAD


def pick_source(current: Dataset) -> Picked:
    """The source radio and what it needs: rows, the local file or OpenML, an upload."""
    source = st.radio(
        "Data source",
        list(SOURCE_LABELS),
        format_func=SOURCE_LABELS.get,
        horizontal=True,
        **session.keep(session.DATA_SOURCE, source_of(current)),
    )
    picked = Picked(source)
    if source == DEMO:
        _demo(current, picked)
    elif source == CREDITCARD:
        _creditcard(picked)
    else:
        _upload(current, picked)
    return picked


def _demo(current: Dataset, picked: Picked) -> None:
    st.caption(
        "A deterministic, generated stand-in with the creditcard schema (Time, V1–V28, "
        "Amount, Class) and its fraud rate (0.173 %). Nothing in it is real; it exists so "
        "the app works with no setup."
    )
    in_use = current.rows if is_synthetic(current.source) else loaders.demo_rows()
    choices = sorted(
        {in_use, loaders.demo_rows(), *loaders.DEMO_ROW_CHOICES}, reverse=True
    )
    picked.rows = st.selectbox(
        "Rows",
        choices,
        format_func=lambda n: (
            f"{n:,}"
            + (
                " (full size, like the real data)"
                if n == data.CREDITCARD_ROWS
                else " (quick look)"
            )
        ),
        **session.keep(session.DEMO_ROWS, in_use),
    )
    with (
        friendly_errors("Generating the demo data"),
        st.spinner("Generating the demo data…"),
    ):
        picked.frame = loaders.raw_frame(DEMO, rows=picked.rows)


def _creditcard(picked: Picked) -> None:
    picked.file_stamp = loaders.creditcard_stamp()
    if data.available_creditcard_path():
        st.caption(f"Local file: `{data.available_creditcard_path()}`")
    else:
        st.info(
            "No local creditcard.csv found. To use the real data offline, "
            f"{data.CREDITCARD_HELP}, then reload this page. When this machine is online, "
            "the button below fetches it from OpenML (data id 1597, ~150 MB).",
            icon="ℹ️",
        )
        if st.button("Fetch from OpenML", key="fetch_creditcard"):
            session.put(session.CREDITCARD_FETCHED, True)
        if not session.get(session.CREDITCARD_FETCHED):
            return
    with (
        friendly_errors("Reading the creditcard data"),
        st.spinner("Reading the creditcard data…"),
    ):
        picked.frame = loaders.raw_frame(CREDITCARD, file_stamp=picked.file_stamp)
    if picked.frame is None:  # the fetch failed: let the user try again
        session.put(session.CREDITCARD_FETCHED, False)


def _upload(current: Dataset, picked: Picked) -> None:
    st.caption(
        f"CSV (comma, semicolon, tab or pipe separated; UTF-8 or latin-1) or Parquet; up to {data.MAX_UPLOAD_MB} MB. "
        "The file stays in memory for this session and is never written to disk."
    )
    uploaded = st.file_uploader(
        "CSV or Parquet file",
        type=["csv", "txt", "parquet", "pq"],
        key=session.UPLOAD,
    )
    if uploaded is not None:
        # Kept for the session: a file widget forgets its file when the page changes.
        session.put(session.PENDING_UPLOAD, (uploaded.name, uploaded.getvalue()))
    pending = session.get(session.PENDING_UPLOAD)
    if pending is None:
        if source_of(current) == UPLOAD:
            st.caption(
                f"In use: {plain(current.source)}, uploaded earlier (see below)."
            )
        return
    picked.upload_name, picked.raw = pending
    if uploaded is None:
        st.caption(
            f"Using {plain(picked.upload_name)}, uploaded earlier; upload another to replace it."
        )
    with friendly_errors("Reading the file"), st.spinner("Reading the file…"):
        digest = loaders.upload_digest(picked.raw)
        picked.frame = loaders.upload_frame(digest, picked.upload_name, picked.raw)


def preview(frame: pd.DataFrame) -> None:
    st.caption(
        f"{frame.shape[0]:,} rows × {frame.shape[1]} columns (first 20 rows shown, before any encoding)"
    )
    with st.container(key="preview"):  # every column at its width: it may scroll
        st.dataframe(frame.head(20), width="stretch", height=240)


def target_and_split(picked: Picked) -> dict[str, Any]:
    """Target, positive label, test size, dropped columns and time split: ``prepare``'s options."""
    frame = picked.frame
    columns = [str(c) for c in frame.columns]
    col_target, col_positive = st.columns(2)
    default_target = "Class" if "Class" in columns else columns[-1]
    if session.get(session.TARGET) not in columns:  # kept from another file
        session.put(session.TARGET, default_target)
    target = col_target.selectbox(
        "Target column",
        columns,
        help="The label to predict. Two classes, or pick a positive label for one-vs-rest.",
        **session.keep(session.TARGET, default_target),
    )
    labels = frame[frame.columns[columns.index(target)]]
    values = labels.dropna().unique()
    options: list = [None]
    if len(values) <= 50:
        options += sorted(
            (v.item() if hasattr(v, "item") else v for v in values), key=str
        )
    positive_key = session.positive_key(target)
    if session.get(positive_key) not in options:
        session.put(positive_key, None)
    positive = col_positive.selectbox(
        "Positive label",
        options,
        format_func=lambda v: (
            "auto (1 for 0/1 labels, else the minority class)" if v is None else str(v)
        ),
        help="The class the techniques should find (e.g. fraud).",
        key=positive_key,
        persist_state=session.KEEP,
    )
    log_raw = st.toggle("Log-scale counts", **session.keep("log_raw", True))
    counts = labels.astype(str).value_counts(dropna=False)
    st.plotly_chart(
        figures.value_count_figure(counts, target, log_raw),
        width="stretch",
        key="raw_counts",
    )
    col_test, col_drop = st.columns(2)
    test_size = col_test.slider(
        "Test size",
        0.05,
        0.5,
        step=0.05,
        help="Share held out for the final, untouched test split. Validation (20% of the rest) is used to pick thresholds.",
        **session.keep(session.TEST_SIZE, 0.2),
    )
    candidates = [c for c in columns if c != target]
    drop_key = session.drop_key(picked.source, target)
    default_drop = [c for c in ("Time",) if c in candidates and picked.source != UPLOAD]
    if not set(session.get(drop_key) or []) <= set(candidates):
        session.put(drop_key, default_drop)
    drop = col_drop.multiselect(
        "Columns that are not features",
        candidates,
        help="Dropped before training (the seed notebook drops Time for the creditcard data). IDs belong here too.",
        **session.keep(drop_key, default_drop),
    )
    time_column = None
    time_columns = [c for c in loaders.time_like_columns(frame) if c != target]
    if time_columns and st.checkbox(
        "Split by time (oldest rows train, newest rows test)",
        help="Fraud patterns drift: a time-ordered split is the honest test of a deployed model.",
        **session.keep(session.SPLIT_BY_TIME, False),
    ):
        if session.get(session.TIME_COLUMN) not in time_columns:
            session.put(session.TIME_COLUMN, time_columns[0])
        time_column = st.selectbox(
            "Time column",
            time_columns,
            **session.keep(session.TIME_COLUMN, time_columns[0]),
        )
    return dict(
        target=target,
        positive=positive,
        test_size=round(float(test_size), 2),
        drop=tuple(drop),
        time_column=time_column,
    )


def data_in_use(current: Dataset) -> None:
    """The badge, the numbers, the class counts of every split and the preparation notes."""
    dataset_badge(current)
    comparison = session.comparison()
    if comparison is not None and not session.of_data(comparison, current):
        where = (
            "were opened from a saved file"
            if comparison.config.get("saved")
            else "belong to the previous data"
        )
        st.info(
            f"The results on the Compare and Report pages {where} "
            f"({plain(comparison.dataset.get('source', '?'))}); press Train to compare "
            "on the data in use.",
            icon="ℹ️",
        )
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Rows", f"{current.rows:,}")
    c2.metric("Features", len(current.feature_names))
    c3.metric("Positives", f"{current.positives:,}")
    c4.metric("Positive rate", f"{current.positives / current.rows:.3%}")
    st.caption(
        f"Positive label: {plain(current.positive_label)} · split: {plain(current.split)} · fingerprint {current.fingerprint}"
    )
    summary = current.summary()
    left, right = st.columns([3, 2])
    with left:
        log_split = st.toggle(
            "Log scale",
            help="Positives are invisible on a linear scale.",
            **session.keep("log_split", True),
        )
        st.plotly_chart(
            figures.class_counts_figure(summary, None, log_split),
            width="stretch",
            key="split_counts",
        )
    with right:
        widgets.table(tables.class_counts_table(summary))
        st.caption(
            "Validation and test keep the natural class ratio; techniques resample the training split only."
        )
    st.markdown("**What was encoded, dropped or imputed**")
    st.text(
        "\n".join(f"• {note}" for note in current.notes)
        if current.notes
        else "Nothing: every column was numeric and complete."
    )


def open_saved() -> None:
    """Open a comparison saved by the CLI (``--save``) or the Report page: every
    Compare view works as after training, without the data or any retraining."""
    upload = st.file_uploader(
        "Open a saved comparison (.zip)",
        type=["zip"],
        key=session.SAVED_UPLOAD,
        help="Written by `python -m imbal_core train ... --save comparison.zip` or the Report "
        "page's download. Opening it replaces the latest results in this session.",
    )
    if upload is None or session.get(session.SAVED_OPENED) == upload.file_id:
        return
    with friendly_errors("Opening the saved comparison"):
        comparison = results.load_comparison(io.BytesIO(upload.getvalue()), upload.name)
        session.set_comparison(comparison)  # only once the whole file checked out
        session.put(session.SAVED_OPENED, upload.file_id)
        st.success(
            f"Opened {plain(upload.name)}: {len(comparison.runs)} technique(s) on "
            f"{plain(comparison.dataset.get('source', '?'))}. Compare and Report now show it.",
            icon="✅",
        )
        widgets.page_link("pages/3_Compare.py", "Compare them", icon="⚖️")
