"""imbalance-compare: the dashboard's entry point and its navigation.

``streamlit run app.py`` serves these pages; each one reads like its UI and lives
in ``pages/``.
"""

from __future__ import annotations

import streamlit as st

# Material icons: drawn from the font Streamlit ships, so they render everywhere.
PAGES = [
    st.Page("pages/0_Home.py", title="Home", icon=":material/home:", default=True),
    st.Page("pages/1_Data.py", title="Data", icon=":material/table_chart:"),
    st.Page("pages/2_Train.py", title="Train", icon=":material/model_training:"),
    st.Page("pages/3_Compare.py", title="Compare", icon=":material/balance:"),
    st.Page("pages/4_Report.py", title="Report", icon=":material/description:"),
    st.Page("pages/5_History.py", title="History", icon=":material/history:"),
    st.Page("pages/6_Benchmark.py", title="Benchmark", icon=":material/leaderboard:"),
]

st.set_page_config(page_title="imbalance-compare", page_icon="⚖️", layout="wide")
st.navigation(PAGES).run()
