"""The Benchmark page's sections: open a benchmark file, and its ranks, diagram,
buckets and scores (computed once per file and metric)."""

from __future__ import annotations

import hashlib
from typing import Any

import streamlit as st

from dashboard import session
from dashboard.widgets import friendly_errors, plain, show, table
from imbal_core import benchmark as bench
from imbal_core import figures, report, tables

METRICS = ("pr_auc", "roc_auc", "mcc", "f1", "recall", "precision", "brier")
COMMAND = (
    "python -m imbal_core benchmark --suite keel --max-size 2000 --limit 20 \\\n"
    "    --techniques baseline,undersampling,oversampling,smote,balanced_bagging,"
    "focal_loss \\\n    --cv 5 --out bench.zip"
)


@st.cache_resource(max_entries=2, show_spinner=False)
def _opened(digest: str, name: str, _raw: bytes) -> bench.Benchmark:
    """A benchmark file, checked, keyed by its content (each comparison inside is
    checked as a saved comparison is)."""
    import io

    return bench.load_benchmark(io.BytesIO(_raw), name)


@st.cache_resource(max_entries=8, show_spinner=False)
def _analysis(digest: str, metric: str, _found: bench.Benchmark) -> dict[str, Any]:
    return bench.analyse(_found, metric)


@st.cache_resource(max_entries=4, show_spinner=False)
def _report(digest: str, metric: str, _found: bench.Benchmark) -> bytes:
    """The HTML report, made once per file and metric (the button needs it ready)."""
    analysis = _analysis(digest, metric, _found)
    return report.benchmark_report(_found, metric, analysis).encode("utf-8")


def open_file() -> tuple[str, bench.Benchmark] | None:
    """The uploader; the opened benchmark (and its digest), kept for the session."""
    upload = st.file_uploader(
        "Open a benchmark file (bench.zip)",
        type=["zip"],
        key=session.BENCHMARK_UPLOAD,
        help="Written by `python -m imbal_core benchmark ... --out bench.zip`.",
    )
    if upload is not None:
        raw = upload.getvalue()
        digest = hashlib.sha256(raw).hexdigest()
        with (
            friendly_errors("Opening the benchmark"),
            st.spinner("Checking every run…"),
        ):
            session.put(session.BENCHMARK, (digest, _opened(digest, upload.name, raw)))
    return session.get(session.BENCHMARK)


def how_to_run() -> None:
    st.markdown(
        "A benchmark cross-validates every technique on many data sets (the KEEL "
        "collection, your own files) and ranks them. Run one on the command line (or a "
        "Ray cluster with `--executor ray`); a killed one started again continues from "
        "the runs already finished:"
    )
    st.code(COMMAND, language="bash")


def results(digest: str, found: bench.Benchmark) -> None:
    """Ranks first (the sentence and the diagram), then the detail."""
    metric = st.selectbox(
        "Rank by",
        METRICS,
        format_func=lambda m: tables.COLUMNS[m].label,
        key=session.BENCHMARK_METRIC,
        help="Each data set's score is the metric's mean over its test folds "
        "(threshold metrics at each technique's own validation-chosen threshold).",
    )
    with st.spinner("Ranking…"):
        analysis = _analysis(digest, metric, found)
    stats = analysis["stats"]
    st.info(plain(report.rank_sentence(stats)), icon=":material/query_stats:")
    show(figures.cd_diagram(stats), "cd_diagram")
    st.subheader("Mean ranks, and wins / ties / losses against the baseline")
    table(tables.ranks_table(stats, analysis["wins"]))
    st.subheader("By imbalance ratio")
    table(tables.buckets_table(analysis["buckets"]))
    with st.expander(f"The {len(found.datasets)} data sets"):
        table(tables.datasets_table(found.datasets))
    with st.expander("Every score"):
        table(tables.scores_table(analysis["scores"]))
    st.download_button(
        "Download the report (HTML)",
        _report(digest, metric, found),
        file_name="benchmark.html",
        mime="text/html",
        key="benchmark_report",
    )
