"""Shared pytest fixtures: a tiny prepared demo Dataset and a 1-epoch comparison on it.

The suite is arranged by layer: ``unit/`` (engine functions, no training unless a
fixture needs it), ``contract/`` (every technique, the CLI, bad input, the report,
the benchmark), ``app/`` (Streamlit's AppTest on the real pages), ``e2e/`` (a real
server and headless Chromium). ``slow`` marks what trains many networks or starts
processes: ``pytest -m "not slow"`` is the quick signal, plain ``pytest`` the full run.

Other test modules depend on these names: ``tiny_dataset`` and ``tiny_comparison``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the pages import `dashboard` from the project root
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# Never the developer's own run store: a test that trains must train (each test gets
# its own store below; servers and CLIs started by tests inherit it).
os.environ["IMBAL_STORE"] = tempfile.mkdtemp(prefix="imbal-test-store-")
atexit.register(shutil.rmtree, os.environ["IMBAL_STORE"], ignore_errors=True)

from imbal_core import techniques  # noqa: E402
from imbal_core.data import Dataset, make_demo, prepare  # noqa: E402
from imbal_core.execution import plan_runs, run_comparison  # noqa: E402
from imbal_core.results import Comparison  # noqa: E402

TINY_OPTIONS = {"epochs": 1, "batch_size": 256, "n_estimators": 2}


@pytest.fixture(autouse=True)
def own_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    """A fresh, empty run store for each test (``$IMBAL_STORE``)."""
    root = tmp_path_factory.mktemp("store")
    monkeypatch.setenv("IMBAL_STORE", str(root))
    return root


@pytest.fixture(scope="session")
def tiny_dataset() -> Dataset:
    """3,000 synthetic rows, 60 positives, split and scaled (no Time column)."""
    return prepare(
        make_demo(rows=3000, positives=60, seed=1), source="demo", drop=("Time",)
    )


@pytest.fixture(scope="session")
def slow_dataset() -> Dataset:
    """20,000 rows: 1,000 epochs of it at batch 8 take minutes (time-limit tests),
    one epoch a fraction of a second."""
    return prepare(
        make_demo(rows=20_000, positives=200, seed=1), source="demo", drop=("Time",)
    )


@pytest.fixture(scope="session")
def tiny_comparison(tiny_dataset: Dataset) -> Comparison:
    """The default (seed) techniques, 1 epoch, one seed: real training, ~20-30 s once per session."""
    plan = plan_runs(list(techniques.DEFAULT), dict(TINY_OPTIONS), seeds=(42,))
    return run_comparison(tiny_dataset, plan)
