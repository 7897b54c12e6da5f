"""Issue 24: the Benchmark page opens a benchmark file and shows its ranks, the
critical-difference diagram, the buckets and every score; a bad file is one line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from streamlit.testing.v1 import AppTest

from imbal_core import benchmark as bench
from imbal_core.benchmark.suites import Entry
from imbal_core.execution import plan_runs

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def entry(seed: int) -> Entry:
    """A small real-looking data set (make_classification), as a suite entry."""
    X, y = make_classification(
        n_samples=240, n_features=6, weights=[0.85 - 0.05 * seed], random_state=seed
    )
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(6)]).assign(Class=y)
    return Entry(f"set{seed}", "test", 240, 6, int(y.sum()), lambda: frame)


@pytest.fixture(scope="module")
def bench_file(tmp_path_factory) -> bytes:
    plan = plan_runs(
        ["baseline", "class_weight", "undersampling"],
        {},
        [1],
        model_names=["logistic"],
        splits=3,
    )
    found = bench.run_benchmark([entry(s) for s in range(5)], plan, folds=3)
    path = tmp_path_factory.mktemp("bench") / "bench.zip"
    bench.save_benchmark(found, path)
    return path.read_bytes()


def benchmark_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/6_Benchmark.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, payload: bytes, name: str = "bench.zip") -> AppTest:
    at.file_uploader(key="benchmark_upload").set_value(
        (name, payload, "application/zip")
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_without_a_file_the_page_says_how_to_run_a_benchmark():
    at = benchmark_page()
    assert "python -m imbal_core benchmark --suite keel" in at.code[0].value


def test_a_benchmark_file_shows_ranks_the_diagram_and_every_score(bench_file):
    at = upload(benchmark_page(), bench_file)
    assert "Friedman test over 5 data sets" in at.info[0].value
    ranks = at.dataframe[0].value
    assert list(ranks.columns[:4]) == ["Mean rank", "Wins", "Ties", "Losses"]
    assert np.isclose(ranks["Mean rank"].sum(), 6.0)  # ranks 1..3 average to 2 each
    charts = at.get("plotly_chart")
    assert charts and "Critical difference diagram" in charts[0].proto.spec
    assert any("IR" in str(c) for c in at.dataframe[1].value.columns)
    at.selectbox(key="benchmark_metric").set_value("brier").run()
    assert not at.exception, [e.value for e in at.exception]
    brier = at.dataframe[0].value  # lower is better now: another order of ranks
    assert list(brier.index) != list(ranks.index) or not brier.equals(ranks)


def test_a_damaged_benchmark_file_is_one_line_and_the_page_survives(bench_file):
    at = upload(benchmark_page(), bench_file[: len(bench_file) // 2])
    assert len(at.error) == 1 and "bench.zip" in at.error[0].value
    assert "Traceback" not in at.error[0].value
