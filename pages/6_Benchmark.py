"""Benchmark: techniques ranked across many data sets (Friedman, Nemenyi, the
critical-difference diagram), from a benchmark file."""

from __future__ import annotations

import streamlit as st

from dashboard import benchmark, widgets

widgets.page_setup("Benchmark", "🏁")
st.title("Benchmark")

opened = benchmark.open_file()
if opened is None:
    benchmark.how_to_run()
    st.stop()
benchmark.results(*opened)
