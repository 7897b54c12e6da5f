"""The History page's sections: the run store's use, its comparisons, and what to
do with one (open it in Compare, download it, delete it)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import session, widgets
from dashboard.widgets import friendly_errors, plain
from imbal_core import tables
from imbal_core.errors import InputError
from imbal_core.store import RunStore


def usage(store: RunStore) -> None:
    """Where the store is, how full, and why it cannot keep runs if it cannot."""
    if store.problem:
        st.warning(plain(store.problem), icon="⚠️")
        return
    found = store.usage()
    st.caption(
        f"Run store {plain(found['root'])}: {found['comparisons']} comparison(s) and "
        f"{found['runs']} run(s), {found['bytes'] / 2**20:,.1f} MB of its "
        f"{found['limit'] / 2**20:,.0f} MB cap (least recently used go first beyond it; "
        "set IMBAL_STORE_MB to change it). The CLI and other servers with the same "
        "IMBAL_STORE share it."
    )


def listing(entries: list[dict[str, Any]]) -> None:
    widgets.table(tables.history_table(entries))


def pick(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The comparison to act on (the newest unless chosen)."""
    by_id = {entry["id"]: entry for entry in entries}
    chosen = st.selectbox(
        "Comparison",
        list(by_id),
        format_func=lambda i: (
            f"{i} · {by_id[i]['source']} · {len(by_id[i]['techniques'])} technique(s)"
        ),
        key=session.HISTORY_PICK,
    )
    return by_id.get(chosen, entries[0])


def actions(store: RunStore, entry: dict[str, Any]) -> None:
    """Open in Compare, download the comparison file, delete."""
    ident = entry["id"]
    left, middle, right = st.columns(3)
    if left.button("Open in Compare", type="primary", width="stretch"):
        with friendly_errors("Opening the comparison"):
            session.set_comparison(store.history.open(ident))
            st.switch_page("pages/3_Compare.py")
    middle.download_button(
        "Download (.zip)",
        data=lambda: _file_bytes(store, ident),
        file_name=f"comparison-{ident}.zip",
        mime="application/zip",
        on_click="ignore",
        width="stretch",
        help="The saved-comparison file: open it on the Data page or report on it with "
        "`python -m imbal_core report --results FILE`.",
    )
    right.button(
        "Delete",
        on_click=store.history.delete,
        args=(ident,),
        width="stretch",
        help="Removes the comparison from the History (its runs stay in the store "
        "until evicted, so training it again is still quick).",
    )


def _file_bytes(store: RunStore, ident: str) -> bytes:
    try:
        return store.history.path(ident).read_bytes()
    except (InputError, OSError):  # deleted meanwhile: an empty file, not a broken page
        return b""
