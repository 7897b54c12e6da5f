"""Repeated trainings in one process (a long-lived Streamlit server) must not grow memory without bound.

``experiment.train_one`` clears the Keras session and collects garbage after every run.

Measured on the dev machine (2 cores, Keras 3.15 on TensorFlow, baseline, 1 epoch, 600
rows): RSS ~843 MB after 2 warm-up runs, then **+72 MB over the next 10 runs**, linear
(~7.5 MB per run, unchanged over 22 runs; ``malloc_trim`` gives none of it back). It is a
Python-level leak: each run leaves ~12,400 more gc-tracked objects, mostly TensorFlow
``Operation`` / ``SymbolicTensor``: the traced train/predict ``FuncGraph``s
(``one_step_on_data``, the Adam update conds) of every finished run stay alive although
no ``keras.Model`` does. Upstream reports the same after ``clear_session()``
(tensorflow/tensorflow#61791, keras-team/tf-keras#286). A comparison of 7 techniques
(balanced bagging = 10 networks) costs ~120 MB that a server never gets back.

So this test is a strict xfail: it runs, documents the leak, and turns red (XPASS) the
day growth drops under the bound, so the marker gets removed rather than forgotten.
"""

from __future__ import annotations

import gc
import sys

import pytest

from imbal_core.data import make_demo, prepare
from imbal_core.experiment import train_one

WARM_UP, RUNS = 2, 10
# A leak-free loop only shows allocator noise; 3 MB per run leaves room for that and
# stays far under the measured 7.5 MB per run, so a partial fix is not mistaken for one.
MAX_GROWTH_MB = 30.0


def rss_mb() -> float:
    """Resident set size of this process, from /proc (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS not found in /proc/self/status")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="known leak: ~7.5 MB per training (TF FuncGraphs survive clear_session; see module docstring)",
)
def test_ten_trainings_do_not_grow_memory_without_bound():
    dataset = prepare(make_demo(rows=600, positives=30, seed=7), source="demo", drop=("Time",))
    params = {"epochs": 1, "batch_size": 64}
    for seed in range(WARM_UP):  # graph tracing, allocator pools and lazy imports settle here
        assert train_one(dataset, "baseline", params, seed=seed).ok
    gc.collect()
    before = rss_mb()
    for seed in range(WARM_UP, WARM_UP + RUNS):
        run = train_one(dataset, "baseline", params, seed=seed)
        assert run.ok, run.error
    gc.collect()
    growth = rss_mb() - before
    print(f"RSS {before:.0f} MB after {WARM_UP} warm-up runs; +{growth:.1f} MB over {RUNS} more")
    assert growth < MAX_GROWTH_MB, f"RSS grew {growth:.1f} MB over {RUNS} trainings (from {before:.0f} MB)"
