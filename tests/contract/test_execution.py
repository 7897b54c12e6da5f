"""The executor layer: every executor gives the same runs for the same seeds, streams
results as they finish, cancels cleanly, fails one run alone and keeps a long-lived
server's memory bounded.

Why worker processes (and recycling): TensorFlow keeps the traced graphs of every
model a process builds, even after ``keras.backend.clear_session()`` (~7.5 MB per
new model here; tensorflow/tensorflow#61791). Workers now keep one warm network per
(input width, loss) instead of building one per run, and the pool still replaces
each worker every ``tasks_per_child`` runs, so even a long sweep gives its memory back.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from imbal_core.data import make_demo, prepare
from imbal_core.errors import CANCELLED
from imbal_core.execution import (
    InlineExecutor,
    Listener,
    LocalExecutor,
    plan_runs,
    run_comparison,
)
from imbal_core.store import RunStore


def collect(executor, dataset, plan):
    """Every run of ``plan``, grouped by column (the pipeline, without a cache)."""
    return run_comparison(dataset, plan, executor).runs


pytestmark = pytest.mark.slow  # spawns worker processes that each import TensorFlow
OPTIONS = {"epochs": 2, "batch_size": 64, "n_estimators": 2, "k_neighbors": 3}
NAMES = ["baseline", "class_weight", "smote", "balanced_bagging", "focal_loss"]


def rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS not found")


@pytest.fixture(scope="module")
def dataset():
    return prepare(
        make_demo(rows=600, positives=30, seed=7), source="demo", drop=("Time",)
    )


@pytest.fixture(scope="module")
def inline_comparison(dataset):
    return run_comparison(dataset, plan_runs(NAMES, OPTIONS, (3, 4)), InlineExecutor())


def assert_same_runs(a, b):
    assert list(a.runs) == list(b.runs)
    for name in a.runs:
        for x, y in zip(a.runs[name], b.runs[name], strict=True):
            assert x.ok and y.ok, (x.error, y.error)
            assert (x.technique, x.seed, x.params) == (y.technique, y.seed, y.params)
            # One TensorFlow thread per run everywhere: the maths is identical.
            np.testing.assert_array_equal(x.proba_val, y.proba_val)
            np.testing.assert_array_equal(x.proba_test, y.proba_test)
            assert x.train_class_counts == y.train_class_counts


@pytest.mark.parametrize("workers", [1, 2])
def test_a_local_pool_gives_the_inline_runs_whatever_the_worker_count(
    dataset, inline_comparison, workers
):
    executor = LocalExecutor(workers)
    try:
        comparison = run_comparison(
            dataset, plan_runs(NAMES, OPTIONS, (3, 4)), executor
        )
    finally:
        executor.close()
    assert_same_runs(comparison, inline_comparison)
    # Labels live on the comparison, once: the dataset's own arrays, never a copy.
    assert comparison.splits[0].y_test is dataset.y_test


def test_the_ray_executor_gives_the_local_runs(dataset, inline_comparison, tmp_path):
    """CI starts a local Ray (``ray start --head --num-cpus 2``) and sets
    IMBAL_RAY_ADDRESS; without it this starts a Ray for the test. The driver keeps
    what the workers return in the run store."""
    if os.environ.get("CI") and not os.environ.get("IMBAL_RAY_ADDRESS"):
        pytest.fail("CI must start Ray and set IMBAL_RAY_ADDRESS (see .ci/run)")
    from imbal_core.execution._ray import RayExecutor

    plan = plan_runs(NAMES, OPTIONS, (3, 4))
    comparison = run_comparison(dataset, plan, RayExecutor(), RunStore(tmp_path))
    assert_same_runs(comparison, inline_comparison)
    stored = RunStore(tmp_path)  # a later process: nothing trains
    assert_same_runs(run_comparison(dataset, plan, cache=stored), inline_comparison)
    assert stored.trained == 0


class Recorder(Listener):
    """Every event the pipeline tells a listener, in order."""

    def __init__(self):
        self.events = []

    def progress(self, index, fraction, message):
        self.events.append(("progress", index, message))

    def finished(self, index, run, so_far):
        self.events.append(("finished", index, run.ok))


def test_on_ray_the_listener_hears_each_epoch_before_the_run_finishes(dataset):
    """Issue #18: Ray streams per-epoch progress like the local pool (an actor the
    tasks post to and the driver reads each tick)."""
    if os.environ.get("CI") and not os.environ.get("IMBAL_RAY_ADDRESS"):
        pytest.fail("CI must start Ray and set IMBAL_RAY_ADDRESS (see .ci/run)")
    from imbal_core.execution._ray import RayExecutor

    recorder = Recorder()
    plan = plan_runs(["baseline"], {**OPTIONS, "epochs": 5}, [1])
    run_comparison(dataset, plan, RayExecutor(), listener=recorder)
    finished = recorder.events.index(("finished", 0, True))
    epochs = [e for e in recorder.events[:finished] if e[0] == "progress"]
    expected = ["started"] + [f"epoch {i}/5" for i in range(1, 6)]
    assert [e[2].split(",")[0] for e in epochs] == expected
    assert not any(e[0] == "progress" for e in recorder.events[finished:])


def test_runs_stream_as_they_finish_with_progress(dataset):
    specs = plan_runs(["baseline", "smote"], OPTIONS, (1, 2, 3)).specs
    executor = LocalExecutor(2)
    try:
        events = list(executor.stream([dataset], specs))
    finally:
        executor.close()
    finished = [e.index for e in events if e.run is not None]
    assert sorted(finished) == list(range(len(specs)))  # each run exactly once
    progress = [e for e in events if e.index is not None and e.run is None]
    assert any(e.message.startswith("epoch 2/2") for e in progress)
    for index in range(len(specs)):  # "started" first: the time limit counts from it
        own = [e.message for e in progress if e.index == index]
        assert own[0] == "started" and own.count("started") == 1
    for position, event in enumerate(events):  # no progress for a run after its result
        if event.run is not None:
            later = events[position + 1 :]
            assert not any(e.index == event.index and e.run is None for e in later)


def test_closing_a_stream_cancels_queued_and_running_runs(dataset):
    long = {**OPTIONS, "epochs": 1000}  # minutes each if nothing stopped them
    specs = (
        plan_runs(["baseline"], OPTIONS, [1]).specs
        + plan_runs(["baseline"], long, [2, 3, 4, 5]).specs
    )
    executor = LocalExecutor(2)
    try:
        stream = executor.stream([dataset], specs)
        kept = {}
        for event in stream:
            if event.run is not None:
                kept[event.index] = event.run
                break  # the user pressed Cancel after the first finished run
        started = time.perf_counter()
        stream.close()
        assert kept and kept[0].ok  # the short run finished first and is kept
        # The pool is free again within an epoch or two, not after 1000 epochs.
        again = collect(executor, dataset, plan_runs(["baseline"], OPTIONS, [9]))
        assert again["baseline"][0].ok
        assert time.perf_counter() - started < 30
    finally:
        executor.close()


def test_a_cancelled_inline_run_reports_why(dataset):
    specs = plan_runs(["baseline"], {**OPTIONS, "epochs": 1000}, [1, 2]).specs
    executor = InlineExecutor()
    stream = executor.stream([dataset], specs)
    assert next(stream).index is not None or True  # training has started
    stream.close()  # joins the worker thread: it stops at its next epoch
    events = list(
        InlineExecutor().stream([dataset], plan_runs(["baseline"], OPTIONS, [1]).specs)
    )
    assert events[-1].run.ok
    assert CANCELLED == "cancelled before it finished"


def test_a_failing_technique_fails_alone_in_a_worker(dataset):
    executor = LocalExecutor(1)
    try:
        runs = collect(
            executor,
            dataset,
            plan_runs(["smote", "baseline"], {**OPTIONS, "k_neighbors": 50}, [1]),
        )
    finally:
        executor.close()
    assert not runs["smote"][0].ok and "lower k_neighbors" in runs["smote"][0].error
    assert runs["baseline"][0].ok


def test_a_run_past_the_time_limit_is_stopped_and_fails_alone(slow_dataset):
    executor = LocalExecutor(2, time_limit=20)
    executor.warm_up()  # the limit counts from a run's start, not TensorFlow's import
    try:
        plan = plan_runs(
            ["baseline"], {**OPTIONS, "batch_size": 8}, [1], {"epochs": [1, 1000]}
        )
        started = time.monotonic()
        runs = collect(executor, slow_dataset, plan)
        took = time.monotonic() - started
    finally:
        executor.close()
    quick, endless = runs["baseline[epochs=1]"][0], runs["baseline[epochs=1000]"][0]
    assert quick.ok, quick.error
    assert endless.error == (
        "stopped after the per-run time limit of 20 s; choose a cheaper technique, use "
        "fewer rows, or raise the time limit."
    )
    assert took < 60  # stopped, not waited for (1,000 epochs take minutes)


def _parent(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_fork_from_one_server_that_loaded_tensorflow_on_one_thread():
    """Before: each worker loaded TensorFlow itself, ~4 s of CPU each, two at once
    beside the parent's data preparation on two cores."""
    executor = LocalExecutor(2)
    try:
        executor.warm_up()
        servers = {_parent(pid) for pid in executor.worker_pids()}
        assert len(servers) == 1 and os.getpid() not in servers, servers
        (server,) = servers
        with open(f"/proc/{server}/maps") as maps:
            assert "_pywrap_tensorflow_internal" in maps.read()
        # No thread of its own runs while it forks: forking it is safe.
        assert len(os.listdir(f"/proc/{server}/task")) == 1
    finally:
        executor.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_fork_server_is_replaced_and_costs_no_run(dataset):
    executor = LocalExecutor(2)
    try:
        collect(executor, dataset, plan_runs(["baseline"], OPTIONS, [0]))
        (server,) = {_parent(pid) for pid in executor.worker_pids()}
        os.kill(server, signal.SIGKILL)  # its workers look dead to the pool now
        runs = collect(
            executor, dataset, plan_runs(["baseline", "smote"], OPTIONS, [1])
        )
        assert all(run.ok for column in runs.values() for run in column), runs
        servers = {_parent(pid) for pid in executor.worker_pids()}
        assert len(servers) == 1 and server not in servers, (server, servers)
    finally:
        executor.close()


ELSEWHERE = """
import sys
sys.path.insert(0, sys.argv[1])  # imbal_core found by sys.path only, as a server may
from imbal_core.execution import LocalExecutor

if __name__ == "__main__":
    executor = LocalExecutor(1)
    executor.warm_up()
    (worker,) = executor.worker_pids()
    stat = open(f"/proc/{worker}/stat").read()
    server = int(stat.rsplit(")", 1)[1].split()[1])
    print("_pywrap_tensorflow_internal" in open(f"/proc/{server}/maps").read())
    executor.close()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_fork_server_loads_tensorflow_when_started_from_another_directory(
    tmp_path,
):
    """Before: Python 3.11's fork server ignores the parent's sys.path, so started from
    another directory (an app test's tmp_path) it could not import its preload, and
    every worker loaded TensorFlow itself."""
    script = tmp_path / "elsewhere.py"
    script.write_text(ELSEWHERE)
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    root = str(Path(__file__).resolve().parents[2])
    done = subprocess.run(
        [sys.executable, str(script), root],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True", done.stdout + done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_many_runs_keep_server_and_worker_memory_bounded(dataset):
    executor = LocalExecutor(1, tasks_per_child=4)
    try:
        collect(executor, dataset, plan_runs(["baseline"], OPTIONS, [0]))
        before, workers = rss_mb(), set()
        for seed in range(1, 11):
            runs = collect(executor, dataset, plan_runs(["baseline"], OPTIONS, [seed]))
            assert runs["baseline"][0].ok, runs["baseline"][0].error
            workers.update(executor.worker_pids())
        growth = rss_mb() - before
        # The server process never holds a model's graphs: only allocator noise.
        assert growth < 30, f"server RSS grew {growth:.0f} MB over 10 runs"
        # The worker is replaced every 4 runs, so what TensorFlow keeps is freed.
        assert len(workers) >= 3, workers
    finally:
        executor.close()


def _without_timings(value):
    """A results JSON with the wall-clock fields removed (they differ run to run)."""
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if k != "fit_seconds"}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def test_the_cli_on_ray_writes_the_same_metrics_as_on_the_local_pool(tmp_path):
    """CI's local Ray (see .ci/run) against the default local pool, end to end."""
    import json
    import subprocess

    if os.environ.get("CI") and not os.environ.get("IMBAL_RAY_ADDRESS"):
        pytest.fail("CI must start Ray and set IMBAL_RAY_ADDRESS (see .ci/run)")
    csv = tmp_path / "small.csv"
    make_demo(rows=1500, positives=40, seed=3).to_csv(csv, index=False)
    written = {}
    for executor in ("local", "ray"):
        out = tmp_path / f"{executor}.json"
        done = subprocess.run(
            [sys.executable, "-m", "imbal_core", "train", "--data", str(csv)]
            + ["--techniques", "baseline,smote,focal_loss", "--epochs", "2"]
            + ["--seeds", "2", "--sweep", "gamma=1,2", "--executor", executor]
            + ["--out", str(out), "--no-store"],  # each trains: no store hits
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        assert f"on {executor}" in done.stderr and "[8/8] " in done.stderr
        written[executor] = json.loads(out.read_text())
    local, ray = (_without_timings(written[k]["techniques"]) for k in ("local", "ray"))
    assert list(local) == [
        "baseline",
        "smote",
        "focal_loss[gamma=1,alpha=0.25]",
        "focal_loss[gamma=2,alpha=0.25]",
    ]
    assert ray == local
