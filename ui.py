"""Streamlit glue shared by the pages: session defaults, cached loaders, cached training.

Pages stay thin: they read widgets, call these helpers and render. Everything that
is expensive (generating/reading/preparing data, training a network) goes through a
Streamlit cache keyed by names and hashable parameters, never by big objects: a
Dataset is passed as a leading-underscore argument and its fingerprint is in the key,
so one user's upload can never answer another user's different data.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import logging
import os
import queue
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from imbal_core import data, techniques
from imbal_core.data import Dataset
from imbal_core.errors import InputError
from imbal_core.experiment import Comparison, Run
from imbal_core.worker import TrainingWorker

ROOT = Path(__file__).resolve().parent
LOG = logging.getLogger("imbal_dashboard")

# A run keeps its validation and test probabilities: ~0.8 MB at full creditcard size,
# so 140 runs (20 configurations of all seven techniques) stay near 120 MB.
TRAIN_CACHE_ENTRIES = 140
TRAIN_CACHE_TTL = 24 * 3600  # seconds; a day of demoing without retraining
DATA_CACHE_ENTRIES = 4  # prepared datasets are big (the full demo is ~35 MB)
DEMO_ROW_CHOICES = (data.CREDITCARD_ROWS, 50_000, 10_000)
TIME_LIKE = re.compile(r"time|date|step|timestamp|day|hour|seconds", re.IGNORECASE)


# ----------------------------------------------------------------- session
def init_session() -> None:
    """Session keys every page may read; set once, never overwritten here."""
    # (technique, seed) of the last Train, for pages that want to say what ran.
    st.session_state.setdefault("train_log", [])


def demo_rows() -> int:
    """Rows of the default demo data: full creditcard size, or ``$IMBAL_DEMO_ROWS``.

    The override exists so tests (and slow machines) can open the app quickly.
    """
    value = os.environ.get("IMBAL_DEMO_ROWS", "")
    try:
        return max(20, int(value)) if value.strip() else data.CREDITCARD_ROWS
    except ValueError:
        return data.CREDITCARD_ROWS


def is_synthetic(dataset: Dataset) -> bool:
    """True for the generated demo data (not for an upload that happens to be named demo…)."""
    return dataset.source == "demo" or dataset.source.startswith("demo (synthetic")


def current_dataset() -> Dataset:
    """The session's Dataset, loading the default the first time.

    The default is the real creditcard data when a local file exists, else the
    full-size generated demo data (clearly labelled synthetic).
    """
    if st.session_state.get("dataset") is not None:
        return st.session_state["dataset"]
    dataset = None
    if data.available_creditcard_path():
        try:
            with st.spinner("Loading the creditcard data…"):
                dataset = load_prepared("creditcard", file_stamp=creditcard_stamp())
        except Exception as exc:  # a broken local file must not stop the app opening
            reason = (
                str(exc).strip().splitlines()[0][:200]
                if str(exc).strip()
                else type(exc).__name__
            )
            st.warning(
                f"The local creditcard file could not be used ({plain(reason)}); showing the synthetic demo data instead."
            )
    if dataset is None:
        with st.spinner(f"Generating the synthetic demo data ({demo_rows():,} rows)…"):
            dataset = load_prepared("demo", rows=demo_rows())
    st.session_state["dataset"] = dataset
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
    rerun would cost more than it protects; nothing mutates it.
    """
    if source == "demo":
        return data.demo_frame(rows or demo_rows())
    if source == "creditcard":
        return data.load_creditcard()
    raise InputError(f"unknown data source {source!r}.")


@st.cache_resource(max_entries=2, show_spinner=False)
def upload_frame(digest: str, name: str, _raw: bytes) -> pd.DataFrame:
    """An uploaded CSV parsed once, keyed by its content hash (never written to disk)."""
    return data.read_csv(_raw, name=name)


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
    options = dict(
        target=target,
        positive=positive,
        test_size=test_size,
        drop=drop,
        time_column=time_column,
    )
    if source == "demo":
        return data.load_source("demo", rows=rows or demo_rows(), **options)
    if source == "creditcard":
        return data.prepare(
            raw_frame("creditcard", file_stamp=file_stamp),
            source="creditcard",
            **options,
        )
    raise InputError(f"unknown data source {source!r}.")


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


def time_like_columns(frame: pd.DataFrame) -> list[str]:
    """Numeric columns whose name suggests an order in time (Time, date, step, …)."""
    return [
        str(c)
        for c in frame.columns
        if TIME_LIKE.search(str(c))
        and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]


# ---------------------------------------------------------------- training
class _FailedRun(Exception):
    """Carries a failed run out of the cached trainer so failures are never cached."""

    def __init__(self, run: Run):
        super().__init__(run.error)
        self.run = run


_trainings = 0  # actual trainings in this process (cache misses); tests read it


def training_count() -> int:
    """How many runs this process has actually trained (cache hits excluded)."""
    return _trainings


@st.cache_resource(
    max_entries=TRAIN_CACHE_ENTRIES, ttl=TRAIN_CACHE_TTL, show_spinner=False
)
def _train_cached(
    fingerprint: str,
    technique: str,
    params: tuple[tuple[str, Any], ...],
    seed: int,
    _dataset: Dataset,
    _progress: Callable[[float, str], None] | None,
    _trained: list[bool],
) -> Run:
    global _trainings
    _trainings += 1
    _trained.append(True)  # only reached on a cache miss
    run = training_worker().train(_dataset, technique, dict(params), seed, _progress)
    if not run.ok:
        raise _FailedRun(run)  # exceptions are not cached: a retry may succeed
    return run


@st.cache_resource(show_spinner=False)
def training_worker() -> TrainingWorker:
    """The server's one training process, recycled every 20 trainings.

    Training in the server process itself would keep ~7.5 MB per run forever
    (TensorFlow's traced graphs survive clear_session); see imbal_core/worker.py.
    """
    return TrainingWorker(tasks_per_child=20)


# One training at a time per process: TensorFlow already uses every core, and a run
# whose page was left keeps going and lands in the cache instead of being lost.
_TRAINER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="imbal-train")


class _QuietTrainerThread(logging.Filter):
    """The trainer thread has no ScriptRunContext by design; Streamlit's notice about it is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            threading.current_thread().name.startswith("imbal-train")
            and "ScriptRunContext" in record.getMessage()
        )


for _name in ("streamlit.runtime.scriptrunner_utils.script_run_context", "streamlit"):
    logging.getLogger(_name).addFilter(_QuietTrainerThread())


def train(
    dataset: Dataset,
    technique: str,
    params: dict[str, Any],
    seed: int,
    progress: Callable[[float, str], None] | None = None,
    poll_seconds: float = 0.25,
) -> tuple[Run, bool]:
    """Train one (technique, seed) through the cache; returns the run and whether it was cached.

    The cached trainer runs in a worker thread and reports to a queue; this (script)
    thread draws the progress. Streamlit elements touched inside a cached function
    would be recorded and replayed on every cache hit, which fails for a progress
    bar created outside it, so the cached function never touches Streamlit.
    Never raises for a failing technique: its error is on ``run.error``.
    """
    trained: list[bool] = []
    updates: queue.Queue[tuple[float, str]] = queue.Queue()
    key = tuple(sorted(params.items()))
    future = _TRAINER.submit(
        _train_cached,
        dataset.fingerprint,
        technique,
        key,
        int(seed),
        dataset,
        lambda f, m: updates.put((f, m)),
        trained,
    )
    last = (0.0, "waiting for the trainer")
    while True:
        done = future.done()  # read before draining, so no update is left behind
        try:
            while True:
                last = updates.get_nowait()
        except queue.Empty:
            pass
        if progress is not None:
            progress(*last)
        if done:
            break
        wait([future], timeout=poll_seconds)  # returns at once when the run finishes
    try:
        run = future.result()
    except _FailedRun as failed:
        return failed.run, False
    return run, not trained


def build_comparison(
    dataset: Dataset,
    names: Sequence[str],
    options: dict[str, Any],
    seeds: Sequence[int],
    runs: dict[str, list[Run]],
) -> Comparison:
    """A Comparison exactly as :func:`experiment.run_comparison` builds it."""
    config = {"techniques": list(names), "seeds": list(seeds), **options}
    return Comparison(
        dataset.summary(), config, runs, dataset.amount_val, dataset.amount_test
    )


def runs_table(comparison: Comparison) -> pd.DataFrame:
    """One row per technique: status, seeds, mean fit seconds, mean test PR-AUC."""
    rows = []
    for name, runs in comparison.runs.items():
        ok = comparison.ok_runs(name)
        failed = [r for r in runs if not r.ok]
        if ok:
            status = (
                "ok"
                if not failed
                else f"ok ({len(failed)} of {len(runs)} seeds failed)"
            )
        else:
            status = f"failed: {comparison.error(name)}"
        rows.append(
            {
                "technique": label(name),
                "status": status,
                "seeds": len(runs),
                "fit seconds": round(sum(r.fit_seconds for r in ok) / len(ok), 1)
                if ok
                else None,
                "PR-AUC (test)": round(
                    sum(r.threshold_free["pr_auc"] for r in ok) / len(ok), 4
                )
                if ok
                else None,
            }
        )
    return pd.DataFrame(rows)


def label(name: str) -> str:
    """A technique's display label, or the raw name if it is no longer registered."""
    cls = techniques.REGISTRY.get(name)
    return cls.label if cls else name


# ----------------------------------------------------------------- display
# What Markdown would interpret; Streamlit's :color[...] needs "[" (escaped), and a
# stray :emoji: shortcode is harmless, so ":" stays readable in messages.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")


def plain(text: str) -> str:
    """Escape Markdown so user-supplied text (column names, file names) shows literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


@contextlib.contextmanager
def friendly_errors(action: str = "That") -> Iterator[None]:
    """Show an InputError as one line, anything unexpected as a short line; never a traceback.

    Session state is untouched, so the loaded data and results survive the error.
    Streamlit's own control flow (st.stop, st.rerun) is a BaseException and passes through.
    """
    try:
        yield
    except InputError as exc:
        st.error(plain(str(exc)), icon="⚠️")
    except Exception as exc:  # the UI must never show a traceback
        LOG.exception("%s failed", action)
        detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
        st.error(
            f"{action} failed unexpectedly ({type(exc).__name__}{': ' + plain(detail) if detail else ''}). "
            "Your data and results are kept; try again or change the settings.",
            icon="🚫",
        )


def page_link(path: str, label: str, icon: str | None = None) -> None:
    """``st.page_link`` that degrades to a caption when the page file is missing."""
    if (ROOT / path).is_file():
        st.page_link(path, label=label, icon=icon)
    else:
        st.caption(f"{label} (page not available)")


def dataset_badge(dataset: Dataset) -> None:
    """One line: where the data comes from, its size and positives; SYNTHETIC when demo."""
    rate = dataset.positives / dataset.rows if dataset.rows else 0.0
    if is_synthetic(dataset):
        st.warning(
            "**SYNTHETIC data** — generated stand-in for the creditcard data (same schema and "
            "class ratio; nothing here is real). Use the Data page for the real file or your own CSV.",
            icon="🧪",
        )
    st.markdown(
        f"**Data:** {plain(dataset.source)} · {dataset.rows:,} rows · {len(dataset.feature_names)} features · "
        f"{dataset.positives:,} positives ({rate:.3%}) · split: {plain(dataset.split)}"
    )


def class_count_figure(
    counts: dict[str, dict[str, int]], log_scale: bool = False
) -> go.Figure:
    """Grouped bars of negatives/positives per split (log scale shows the minority)."""
    splits = list(counts)
    figure = go.Figure(
        [
            go.Bar(
                name=cls,
                x=splits,
                y=[counts[s][cls] for s in splits],
                text=[f"{counts[s][cls]:,}" for s in splits],
            )
            for cls in ("negative", "positive")
        ]
    )
    figure.update_layout(
        barmode="group",
        height=320,
        margin=dict(l=10, r=10, t=30, b=10),
        yaxis_title="rows (log scale)" if log_scale else "rows",
        legend_title_text="class",
    )
    figure.update_traces(textposition="outside", cliponaxis=False)
    if log_scale:
        figure.update_yaxes(type="log")
    return figure


def value_count_figure(
    counts: pd.Series, column: str, log_scale: bool = False
) -> go.Figure:
    """Bars of the rows per value of the target column, before any split.

    Labels and the column name come from the user's file: plotly reads a subset of
    HTML in text, so they are entity-escaped to show literally.
    """
    figure = go.Figure(
        go.Bar(
            x=[html.escape(str(v)) for v in counts.index],
            y=list(counts.values),
            text=[f"{v:,}" for v in counts.values],
        )
    )
    figure.update_layout(
        height=260,
        margin=dict(l=10, r=10, t=30, b=10),
        xaxis_title=f"values of {html.escape(str(column))}",
        yaxis_title="rows",
    )
    figure.update_xaxes(type="category")  # 0/1 labels are classes, not a number line
    figure.update_traces(textposition="outside", cliponaxis=False)
    if log_scale:
        figure.update_yaxes(type="log")
    return figure


def elapsed(started: float) -> str:
    return f"{time.perf_counter() - started:.0f} s"
