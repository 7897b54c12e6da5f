"""History: every comparison kept in the run store; open one in Compare, download it, delete it."""

from __future__ import annotations

import streamlit as st

from dashboard import history, training, widgets

widgets.page_setup("History", "🕘")
st.title("History")

store = training.store()
if store is None:
    st.info(
        "The run store is off (IMBAL_STORE=off): runs live in this server's memory and "
        "no History is kept. Unset IMBAL_STORE (or point it at a folder) to keep them.",
        icon="ℹ️",
    )
    st.stop()
history.usage(store)

entries = store.history.entries()
if not entries:
    st.info(
        "No comparison kept yet. Every comparison trained on the Train page, or with "
        "`python -m imbal_core train` and the same IMBAL_STORE (or --store), is listed here.",
        icon="ℹ️",
    )
    st.stop()
st.markdown(
    f"{len(entries)} comparison(s), newest first; each kept when its training ended, "
    "with the best technique at the operating point it was kept at."
)
history.listing(entries)
chosen = history.pick(entries)
history.actions(store, chosen)
