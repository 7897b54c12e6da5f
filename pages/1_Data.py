"""Data: choose the source, the target and the split; see what was loaded."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import ui
from imbal_core import data

st.set_page_config(page_title="Data · Imbalance lab", page_icon="📊", layout="wide")
ui.init_session()
st.title("Data")

DEMO, CREDITCARD, UPLOAD = "demo", "creditcard", "upload"
SOURCE_LABELS = {
    DEMO: "Generated demo data (synthetic)",
    CREDITCARD: "Credit card fraud data (real)",
    UPLOAD: "Upload a CSV",
}
local_creditcard = data.available_creditcard_path()
current = ui.current_dataset()

# Widgets forget their values when the user visits another page: start from the
# data in use, so coming back shows what is loaded rather than the default.
if ui.is_synthetic(current):
    initial_source = DEMO
elif current.source == "creditcard":
    initial_source = CREDITCARD
else:
    initial_source = UPLOAD

# ------------------------------------------------------------------ source
st.subheader("1 · Source")
source = st.radio(
    "Data source",
    list(SOURCE_LABELS),
    format_func=SOURCE_LABELS.get,
    index=list(SOURCE_LABELS).index(initial_source),
    horizontal=True,
    key="data_source",
)

frame: pd.DataFrame | None = None
raw: bytes | None = None
upload_name = ""
rows = 0
file_stamp = ""

if source == DEMO:
    st.caption(
        "A deterministic, generated stand-in with the creditcard schema (Time, V1–V28, Amount, Class) and "
        "its fraud rate (0.173%). Nothing in it is real; it exists so the app works with no setup."
    )
    in_use = current.rows if ui.is_synthetic(current) else ui.demo_rows()
    choices = sorted({in_use, ui.demo_rows(), *ui.DEMO_ROW_CHOICES}, reverse=True)
    rows = st.selectbox(
        "Rows",
        choices,
        index=choices.index(in_use),
        format_func=lambda n: (
            f"{n:,}"
            + (
                " (full size, like the real data)"
                if n == data.CREDITCARD_ROWS
                else " (quick look)"
            )
        ),
        key="demo_rows",
    )
    with (
        ui.friendly_errors("Generating the demo data"),
        st.spinner("Generating the demo data…"),
    ):
        frame = ui.raw_frame(DEMO, rows=rows)

elif source == CREDITCARD:
    if local_creditcard:
        st.caption(f"Local file: `{local_creditcard}`")
        file_stamp = ui.creditcard_stamp()
        with (
            ui.friendly_errors("Reading the creditcard file"),
            st.spinner("Reading the creditcard file…"),
        ):
            frame = ui.raw_frame(CREDITCARD, file_stamp=file_stamp)
    else:
        file_stamp = ui.creditcard_stamp()
        st.info(
            "No local creditcard.csv found. To use the real data offline, "
            f"{data.CREDITCARD_HELP}, then reload this page. When this machine is online, "
            "the button below fetches it from OpenML (data id 1597, ~150 MB).",
            icon="ℹ️",
        )
        if st.button("Fetch from OpenML", key="fetch_creditcard"):
            st.session_state["creditcard_fetched"] = False
            with (
                ui.friendly_errors("Fetching the creditcard data"),
                st.spinner("Fetching from OpenML…"),
            ):
                ui.raw_frame(CREDITCARD, file_stamp=file_stamp)
                st.session_state["creditcard_fetched"] = True
        if st.session_state.get("creditcard_fetched"):
            # Fetched earlier in this process: a cache hit, no network.
            with ui.friendly_errors("Reading the fetched creditcard data"):
                frame = ui.raw_frame(CREDITCARD, file_stamp=file_stamp)

else:
    st.caption(
        f"Comma, semicolon, tab or pipe separated; UTF-8 or latin-1; up to {data.MAX_UPLOAD_MB} MB. "
        "The file stays in memory for this session and is never written to disk."
    )
    uploaded = st.file_uploader("CSV file", type=["csv", "txt"], key="upload")
    if uploaded is not None:
        raw = uploaded.getvalue()
        upload_name = uploaded.name
        with ui.friendly_errors("Reading the file"), st.spinner("Reading the file…"):
            frame = ui.upload_frame(ui.upload_digest(raw), upload_name, raw)
    elif initial_source == UPLOAD:
        st.caption(
            f"In use: {ui.plain(current.source)}, uploaded earlier (see below). "
            "Upload it again to change its target or split."
        )

# --------------------------------------------------------- target & split
if frame is not None:
    st.subheader("2 · Preview")
    st.caption(
        f"{frame.shape[0]:,} rows × {frame.shape[1]} columns (first 20 rows shown, before any encoding)"
    )
    st.dataframe(frame.head(20), width="stretch", height=240)

    st.subheader("3 · Target and split")
    columns = [str(c) for c in frame.columns]
    col_target, col_positive = st.columns(2)
    target = col_target.selectbox(
        "Target column",
        columns,
        index=columns.index("Class") if "Class" in columns else len(columns) - 1,
        help="The label to predict. Two classes, or pick a positive label for one-vs-rest.",
        key="target_column",
    )
    values = frame[frame.columns[columns.index(target)]].dropna().unique()
    positive_options: list = [None]
    if len(values) <= 50:
        positive_options += sorted(
            (v.item() if hasattr(v, "item") else v for v in values), key=str
        )
    positive = col_positive.selectbox(
        "Positive label",
        positive_options,
        format_func=lambda v: (
            "auto (1 for 0/1 labels, else the minority class)" if v is None else str(v)
        ),
        help="The class the techniques should find (e.g. fraud).",
        key=f"positive_label::{target}",
    )
    counts = (
        frame[frame.columns[columns.index(target)]]
        .astype(str)
        .value_counts(dropna=False)
    )
    log_raw = st.toggle("Log-scale counts", value=True, key="log_raw")
    bar = ui.value_count_figure(counts, target, log_raw)
    st.plotly_chart(bar, width="stretch", key="raw_counts")

    col_test, col_drop = st.columns(2)
    test_size = col_test.slider(
        "Test size",
        0.05,
        0.5,
        0.2,
        0.05,
        help="Share held out for the final, untouched test split. Validation (20% of the rest) is used to pick thresholds.",
        key="test_size",
    )
    default_drop = [
        c for c in ("Time",) if c in columns and c != target and source != UPLOAD
    ]
    drop = col_drop.multiselect(
        "Columns that are not features",
        [c for c in columns if c != target],
        default=default_drop,
        help="Dropped before training (the seed notebook drops Time for the creditcard data). IDs belong here too.",
        key=f"drop::{source}::{target}",
    )
    time_columns = [c for c in ui.time_like_columns(frame) if c != target]
    time_column = None
    if time_columns:
        by_time = st.checkbox(
            "Split by time (oldest rows train, newest rows test)",
            help="Fraud patterns drift: a time-ordered split is the honest test of a deployed model.",
            key="split_by_time",
        )
        if by_time:
            time_column = st.selectbox("Time column", time_columns, key="time_column")

    if st.button("Use this data", type="primary", key="use_data"):
        options = dict(
            target=target,
            positive=positive,
            test_size=round(float(test_size), 2),
            drop=tuple(drop),
            time_column=time_column,
        )
        with (
            ui.friendly_errors("Preparing the data"),
            st.spinner("Validating, encoding and splitting…"),
        ):
            if source == UPLOAD:
                prepared = ui.prepare_upload(
                    ui.upload_digest(raw), upload_name, raw, **options
                )
            else:
                prepared = ui.load_prepared(
                    source, rows=rows, file_stamp=file_stamp, **options
                )
            st.session_state["dataset"] = prepared  # only replaced once it is valid
            current = prepared
            st.success("Loaded. The Train page now uses this data.", icon="✅")

# ----------------------------------------------------------- current data
st.divider()
st.subheader("Data in use")
ui.dataset_badge(current)
comparison = st.session_state.get("comparison")
if (
    comparison is not None
    and comparison.dataset.get("fingerprint") != current.fingerprint
):
    st.info(
        "The results on the Compare and Report pages belong to the previous data "
        f"({ui.plain(comparison.dataset.get('source', '?'))}); train again to compare on this data.",
        icon="ℹ️",
    )

summary = current.summary()
c1, c2, c3, c4 = st.columns(4)
c1.metric("Rows", f"{current.rows:,}")
c2.metric("Features", len(current.feature_names))
c3.metric("Positives", f"{current.positives:,}")
c4.metric("Positive rate", f"{current.positives / current.rows:.3%}")
st.caption(
    f"Positive label: {ui.plain(current.positive_label)} · split: {ui.plain(current.split)} · fingerprint {current.fingerprint}"
)

counts_split = current.class_counts()
left, right = st.columns([3, 2])
with left:
    log_split = st.toggle(
        "Log scale",
        value=True,
        key="log_split",
        help="Positives are invisible on a linear scale.",
    )
    st.plotly_chart(
        ui.class_count_figure(counts_split, log_split),
        width="stretch",
        key="split_counts",
    )
with right:
    table = pd.DataFrame(counts_split).T
    table["positive rate"] = (
        table["positive"] / (table["positive"] + table["negative"])
    ).map("{:.3%}".format)
    st.dataframe(table, width="stretch")
    st.caption(
        "Validation and test keep the natural class ratio; techniques resample the training split only."
    )

st.markdown("**What was encoded, dropped or imputed**")
if current.notes:
    st.text("\n".join(f"• {note}" for note in current.notes))
else:
    st.text("Nothing: every column was numeric and complete.")

ui.page_link("pages/2_Train.py", "Next: train the techniques", icon="🏋️")
