"""The run store (issue 23): nothing finished is lost, nothing half-written is read,
and a store that cannot be written never stops training."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from imbal_core.execution import LocalExecutor, plan_runs, run_comparison
from imbal_core.execution._pipeline import Listener
from imbal_core.results import Run
from imbal_core.store import RunStore

ROOT = Path(__file__).resolve().parents[2]
QUICK = {"epochs": 1, "batch_size": 256}


def a_run(seed: int, dtype=np.float32) -> Run:
    rng = np.random.default_rng(seed)
    return Run(
        "smote",
        seed,
        {"k_neighbors": 5, "epochs": 1},
        proba_val=rng.random(300).astype(dtype),
        proba_test=rng.random(200).astype(dtype),
        train_class_counts={"0": 90, "1": 10},
        fit_seconds=1.5,
        epochs_run=1,
        warnings=["did not learn: …"],
    )


def key(seed: int) -> tuple:
    return ("fingerprint", 0, "mlp", "smote", (("epochs", 1),), seed)


def same(a: Run, b: Run) -> bool:
    return (
        np.array_equal(a.proba_val, b.proba_val)
        and a.proba_val.dtype == b.proba_val.dtype
        and np.array_equal(a.proba_test, b.proba_test)
        and (a.technique, a.seed, a.params, a.train_class_counts, a.warnings)
        == (b.technique, b.seed, b.params, b.train_class_counts, b.warnings)
    )


class Notices(Listener):
    def __init__(self):
        self.said: list[str] = []
        self.cached: list[int] = []

    def started(self, plan, cached, notes) -> None:
        self.cached = list(cached)

    def notice(self, message: str) -> None:
        self.said.append(message)


# ------------------------------------------------------------------ round trip
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_run_reads_back_exactly_in_a_new_store_object(tmp_path, dtype):
    RunStore(tmp_path).put(key(1), a_run(1, dtype))
    store = RunStore(tmp_path)  # another process would see the same folder
    assert same(store.get(key(1)), a_run(1, dtype))
    assert store.get(key(2)) is None
    assert store.notices() == []
    files = sorted(p.name for p in (tmp_path / "runs").iterdir())
    assert len(files) == 2 and all(f.endswith(".npy") for f in files)
    loaded = np.load(tmp_path / "runs" / files[0], allow_pickle=False)  # no pickle
    assert loaded.shape in ((200,), (300,))


def test_failed_runs_are_not_kept(tmp_path):
    store = RunStore(tmp_path)
    store.put(key(1), Run("smote", 1, {}, error="SMOTE needs more than k"))
    assert RunStore(tmp_path).get(key(1)) is None and store.trained == 1


def test_the_key_holds_the_versions_of_what_computes_results(tmp_path, monkeypatch):
    store = RunStore(tmp_path)
    before = store.digest(key(1))
    import imbal_core

    monkeypatch.setattr(imbal_core, "__version__", "99.0")
    assert store.digest(key(1)) != before


# ------------------------------------------------------------------ damage
def _truncate(root: Path) -> None:
    path = sorted((root / "runs").iterdir())[0]
    path.write_bytes(path.read_bytes()[:50])


def _flip(root: Path) -> None:
    path = sorted((root / "runs").iterdir())[-1]
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF
    path.write_bytes(bytes(data))


def _remove(root: Path) -> None:
    sorted((root / "runs").iterdir())[0].unlink()


def _garble_record(root: Path) -> None:
    with sqlite3.connect(root / "index.sqlite") as db:
        db.execute("UPDATE runs SET record='{\"run\": 3}'")


@pytest.mark.parametrize("damage", [_truncate, _flip, _remove, _garble_record])
def test_a_damaged_entry_is_skipped_with_one_notice_and_removed(tmp_path, damage):
    RunStore(tmp_path).put(key(1), a_run(1))
    RunStore(tmp_path).put(key(2), a_run(2))
    damage(tmp_path)
    store = RunStore(tmp_path)
    found = [store.get(key(1)), store.get(key(2))]
    notices = store.notices()  # one per damaged entry
    assert len(notices) == sum(run is None for run in found) >= 1
    for notice in notices:
        assert (
            notice.startswith("a stored run was damaged (")
            and "trained again" in notice
        )
        assert "\n" not in notice
    assert RunStore(tmp_path).usage()["runs"] == sum(r is not None for r in found)
    assert store.get(key(1)) is None or same(store.get(key(1)), a_run(1))


def test_a_damaged_index_is_moved_aside_and_the_store_starts_again(tmp_path):
    RunStore(tmp_path).put(key(1), a_run(1))
    (tmp_path / "index.sqlite").write_bytes(b"this is not a database" * 100)
    for extra in ("index.sqlite-wal", "index.sqlite-shm"):
        (tmp_path / extra).unlink(missing_ok=True)
    store = RunStore(tmp_path)
    assert store.writable and store.get(key(1)) is None
    store.put(key(1), a_run(1))
    assert same(RunStore(tmp_path).get(key(1)), a_run(1))
    assert list(tmp_path.glob("index.damaged-*.sqlite"))


def test_arrays_without_a_row_are_never_read_and_old_ones_are_removed(tmp_path):
    """A process killed between writing a run's arrays and its row leaves orphans."""
    RunStore(tmp_path).put(key(1), a_run(1))
    with sqlite3.connect(tmp_path / "index.sqlite") as db:
        db.execute("DELETE FROM runs")
    orphans = list((tmp_path / "runs").iterdir())
    assert RunStore(tmp_path).get(key(1)) is None
    old = time.time() - 3600
    for path in orphans:
        os.utime(path, (old, old))
    RunStore(tmp_path)
    assert not any(path.exists() for path in orphans)


def test_least_recently_used_runs_go_first_beyond_the_cap(tmp_path):
    RunStore(tmp_path / "one").put(key(0), a_run(0))
    size = RunStore(tmp_path / "one").usage()["bytes"]  # one run's two arrays
    store = RunStore(tmp_path, limit=3 * size)
    for seed in range(3):
        store.put(key(seed), a_run(seed))
    reader = RunStore(tmp_path, limit=3 * size)
    assert reader.get(key(0)) is not None  # 0 is now more recent than 1
    for seed in range(3, 5):
        reader.put(key(seed), a_run(seed))
    fresh = RunStore(tmp_path, limit=3 * size)
    kept = [seed for seed in range(5) if fresh.get(key(seed)) is not None]
    assert 1 not in kept and 4 in kept and len(kept) <= 3
    assert fresh.usage()["bytes"] <= 3 * size
    assert kept == [0, 3, 4]
    assert len(list((tmp_path / "runs").iterdir())) == 2 * len(kept)


# ------------------------------------------------------------ two processes
def _writer(root: str, seeds: list[int]) -> None:
    store = RunStore(root)
    for seed in seeds:
        store.put(key(seed), a_run(seed))
        assert store.get(key(seed)) is not None
    notices = store.notices()  # (a spawned process: no assertion rewriting)
    assert not notices, notices


def test_two_processes_writing_one_store_at_once_lose_and_corrupt_nothing(tmp_path):
    context = multiprocessing.get_context("spawn")
    jobs = [
        context.Process(target=_writer, args=(str(tmp_path), list(range(0, 40)))),
        context.Process(target=_writer, args=(str(tmp_path), list(range(20, 60)))),
    ]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join(timeout=300)
        assert job.exitcode == 0
    store = RunStore(tmp_path)
    for seed in range(60):
        assert same(store.get(key(seed)), a_run(seed)), seed
    assert store.notices() == [] and store.usage()["runs"] == 60
    assert len(list((tmp_path / "runs").iterdir())) == 120  # no stray copies


def _rewriter(root: str, rounds: int) -> None:
    store = RunStore(root)
    for round_ in range(rounds):
        store.put(key(round_ % 3), a_run(round_ % 3))  # replaces: files come and go


def test_opening_a_store_while_another_process_writes_it_never_fails(tmp_path):
    # Opening sweeps orphans; the files it lists may be renamed or removed by the
    # writer before it looks at them (CI once saw "No such file or directory").
    RunStore(tmp_path)
    writer = multiprocessing.get_context("spawn").Process(
        target=_rewriter, args=(str(tmp_path), 600)
    )
    writer.start()
    problems, opened = set(), 0
    while writer.is_alive() or opened < 20:
        opened_store = RunStore(tmp_path)
        problems.update(opened_store.notices())
        opened += 1
    writer.join()
    assert writer.exitcode == 0 and not problems, problems
    assert RunStore(tmp_path).usage()["runs"] == 3


# ------------------------------------------------- a store that cannot write
@contextlib.contextmanager
def mounted(folder: Path, options: str):
    """A small tmpfs on ``folder``: the real read-only / full file system faults."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); needs root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path) -> None:
    with open(folder / "filler", "wb") as handle:
        with contextlib.suppress(OSError):
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()


@pytest.mark.parametrize("fault", ["read-only", "full"])
def test_a_store_that_cannot_be_written_still_trains_with_one_notice(
    tmp_path, tiny_dataset, fault
):
    options = "ro,size=1m" if fault == "read-only" else "size=256k"
    with mounted(tmp_path / "store", options) as folder:
        store = RunStore(folder)
        if fault == "full":
            assert store.writable
            _fill(folder)
        plan = plan_runs(
            ["baseline", "class_weight"], QUICK, [3], model_names=["logistic"]
        )
        listener = Notices()
        comparison = run_comparison(tiny_dataset, plan, cache=store, listener=listener)
        assert all(comparison.ok_runs(name) for name in comparison.runs)
        assert len(listener.said) == 1, listener.said
        [notice] = listener.said
        assert notice.startswith("runs are not kept: the run store at ")
        assert "training goes on" in notice and "\n" not in notice
        again = Notices()  # this process still has them: the same Train is instant
        run_comparison(tiny_dataset, plan, cache=store, listener=again)
        assert again.cached == [0, 1]


def test_a_store_on_a_full_disk_still_serves_the_runs_it_has(tmp_path):
    with mounted(tmp_path / "store", "size=256k") as folder:
        RunStore(folder).put(key(1), a_run(1))
        _fill(folder)
        store = RunStore(folder)
        assert same(store.get(key(1)), a_run(1))
        store.put(key(2), a_run(2))
        notices = store.notices()
        assert len(notices) == 1 and notices[0].startswith("runs are not kept")


def test_the_cli_trains_on_a_read_only_store_with_one_warning(tmp_path):
    with mounted(tmp_path / "store", "ro,size=1m") as folder:
        done = subprocess.run(
            [sys.executable, "-m", "imbal_core", "train", "--data", "demo",
             "--rows", "3000", "--techniques", "baseline", "--models", "logistic",
             "--executor", "inline", "--out", str(tmp_path / "r.json"),
             "--store", str(folder)],
            capture_output=True, text=True, cwd=ROOT, timeout=300,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    warnings = [ln for ln in done.stderr.splitlines() if "runs are not kept" in ln]
    assert len(warnings) == 1 and warnings[0].startswith("warning: ")
    assert "Traceback" not in done.stderr


def test_imbal_store_off_keeps_nothing_on_the_cli_and_history_says_so(tmp_path):
    """IMBAL_STORE=off is not a folder's name: nothing is written, in the working
    directory or elsewhere, and `history` says the store is off in one line."""
    env = {**os.environ, "IMBAL_STORE": "off", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "imbal_core", "train", "--data", "demo",
         "--rows", "3000", "--techniques", "baseline", "--models", "logistic",
         "--executor", "inline", "--out", "r.json"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]
    assert "kept in the History" not in done.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "imbal_core", "history"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
    )  # fmt: skip
    assert listed.returncode == 2
    assert listed.stderr.strip() == (
        "error: the run store is off (IMBAL_STORE=off), so no History is kept; "
        "unset IMBAL_STORE or pass --store FOLDER."
    )


# ----------------------------------------------------------- whole pipeline
def test_a_comparison_wholly_in_the_store_starts_no_worker(tmp_path, tiny_dataset):
    plan = plan_runs(["baseline", "class_weight"], QUICK, [4])
    run_comparison(tiny_dataset, plan, cache=RunStore(tmp_path))
    executor = LocalExecutor(workers=1)
    try:
        listener = Notices()
        comparison = run_comparison(
            tiny_dataset, plan, executor, RunStore(tmp_path), listener
        )
        assert listener.cached == [0, 1] and executor.worker_pids() == []
        assert all(comparison.ok_runs(name) for name in comparison.runs)
    finally:
        executor.close()


@pytest.mark.slow
def test_a_cli_killed_mid_comparison_keeps_every_finished_run(tmp_path):
    techniques = "baseline,class_weight,undersampling,oversampling"
    command = [
        sys.executable, "-m", "imbal_core", "train", "--data", "demo", "--rows",
        "4000", "--techniques", techniques, "--epochs", "3", "--workers", "1",
        "--out", str(tmp_path / "r.json"), "--store", str(tmp_path / "store"),
    ]  # fmt: skip
    log = open(tmp_path / "first.log", "wb")
    first = subprocess.Popen(
        command, cwd=ROOT, stdout=log, stderr=log, start_new_session=True
    )
    index = tmp_path / "store" / "index.sqlite"
    deadline = time.time() + 300
    while time.time() < deadline and first.poll() is None:
        with contextlib.suppress(sqlite3.Error):
            if index.exists():
                with contextlib.closing(sqlite3.connect(index)) as db:
                    if db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] >= 1:
                        break
        time.sleep(0.05)
    assert first.poll() is None, "the comparison ended before it could be killed"
    os.killpg(first.pid, signal.SIGKILL)  # the CLI and its workers, mid-comparison
    first.wait(timeout=30)
    with contextlib.closing(sqlite3.connect(index)) as db:
        kept = db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    assert 1 <= kept < 4

    again = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert again.returncode == 0, again.stderr
    assert f"{kept} of 4 run(s) from the run store" in again.stderr
    trained = [ln for ln in again.stderr.splitlines() if ln.startswith("[")]
    assert len(trained) == 4 - kept  # only what was missing trained
    results = json.loads((tmp_path / "r.json").read_text())
    assert all(t["status"] == "ok" for t in results["techniques"].values())
    assert "damaged" not in again.stderr
