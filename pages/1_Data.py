"""Data: choose the source, the target and the split; see what was loaded."""

from __future__ import annotations

import streamlit as st

from dashboard import data_sections, evaluation, loaders, session, widgets

widgets.page_setup("Data", "📊")
st.title("Data")
current = loaders.current_dataset()

st.subheader("1 · Source")
picked = data_sections.pick_source(current)

if picked.frame is not None:
    st.subheader("2 · Preview")
    data_sections.preview(picked.frame)

    st.subheader("3 · Target and split")
    options = data_sections.target_and_split(picked)
    if st.button("Use this data", type="primary", key=session.USE_DATA):
        with (
            widgets.friendly_errors("Preparing the data"),
            st.spinner("Validating, encoding and splitting…"),
        ):
            current = picked.prepare(**options)
            session.put(session.DATASET, current)  # only replaced once it is valid
            evaluation.remember(current, picked, options)
            st.success("Loaded. The Train page now uses this data.", icon="✅")

st.divider()
st.subheader("Or open a saved comparison")
data_sections.open_saved()

st.divider()
st.subheader("Data in use")
data_sections.data_in_use(current)
widgets.page_link("pages/2_Train.py", "Next: train the techniques", icon="🏋️")
