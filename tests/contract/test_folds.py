"""Issue 24, cross-validation on one data set: folds partition the rows, nothing of
a test fold reaches training or a threshold, intervals over folds are corrected for
their overlap (hand-computed), and the CLI, the saved file and the store carry folds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from imbal_core import data, evaluate, report, results
from imbal_core.data._folds import _forward_chaining, _stratified
from imbal_core.data._prepare import checked_table
from imbal_core.errors import InputError
from imbal_core.execution import plan_runs, run_comparison

ROOT = Path(__file__).resolve().parents[2]
OPTIONS = {"epochs": 1, "batch_size": 256}


def small_frame(rows: int = 1500, seed: int = 0) -> pd.DataFrame:
    """A KEEL-sized table: 1,500 rows, ~8 % positives, a time-like column."""
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=rows,
        n_features=8,
        n_informative=5,
        weights=[0.92],
        flip_y=0.01,
        random_state=seed,
    )
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(8)])
    frame["Time"] = np.random.default_rng(seed).permutation(rows).astype(float)
    frame["Class"] = y
    return frame


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return small_frame()


@pytest.fixture(scope="module")
def folds(frame) -> list[data.Dataset]:
    return data.prepare_folds(frame, folds=5, repeats=2, drop=("Time",))


def test_the_test_folds_of_each_repeat_partition_the_rows(frame):
    table = checked_table(frame, drop=("Time",))
    parts = _stratified(table, 5, 2)
    assert len(parts) == 10
    for repeat in (parts[:5], parts[5:]):
        tests = np.concatenate([test for _, _, test in repeat])
        assert sorted(tests) == list(range(len(frame)))  # each row tested once
        for train, val, test in repeat:
            assert not (set(train) & set(val) or set(train) & set(test))
            assert not set(val) & set(test)
            assert len(train) + len(val) + len(test) == len(frame)
            # stratified: every test fold holds its share of the positives
            assert abs(table.y[test].sum() - table.y.sum() / 5) <= 1
    assert not all(  # the second repeat is shuffled afresh
        np.array_equal(a[2], b[2]) for a, b in zip(parts[:5], parts[5:], strict=True)
    )


def test_forward_chaining_folds_train_on_the_past_only(frame):
    table = checked_table(frame, time_column="Time")
    time = frame["Time"].to_numpy()
    parts = _forward_chaining(table, 4)
    for train, val, test in parts:
        assert time[train].max() < time[val].min() <= time[val].max() < time[test].min()
    assert [len(p[0]) + len(p[1]) for p in parts] == sorted(
        len(p[0]) + len(p[1]) for p in parts
    )  # the past grows fold by fold
    datasets = data.prepare_folds(frame, folds=4, time_column="Time")
    assert datasets[0].split == "4 forward-chaining folds by Time: repeat 1, fold 1"


def test_each_fold_is_prepared_on_its_own_training_rows(folds):
    assert len({d.fingerprint for d in folds}) == 10  # workers cache by fingerprint
    assert len({d.table_fingerprint for d in folds}) == 1
    for dataset in folds:
        # scaled on its own train part: mean 0 there, not on the rows it tests
        assert np.allclose(dataset.X_train.mean(axis=0), 0, atol=1e-6)
        assert dataset.fold["folds"] == 5 and dataset.fold["repeats"] == 2
    summary = data.folds_summary(folds)
    assert summary["cv"]["rows"][0] == [960, 240, 300]
    assert summary["cv"]["test_train_ratio"] == pytest.approx(300 / 1200)


@pytest.mark.parametrize(
    "call, message",
    [
        (dict(folds=1), "cross-validation needs 2 to 20 folds, got 1"),
        (dict(folds=5, repeats=0), "repeats must be between 1 and 10, got 0"),
        (
            dict(folds=3, repeats=2, time_column="Time"),
            "time-ordered folds have one order",
        ),
        (dict(folds=20, rows=200), "fewer than the 20 folds"),
    ],
)
def test_folds_that_cannot_work_are_one_clear_error(call, message):
    rows = call.pop("rows", 1500)
    with pytest.raises(InputError, match=message):
        data.prepare_folds(small_frame(rows), **call)


def test_shuffled_test_labels_change_no_threshold_and_no_training(folds):
    """Nothing of a test fold reaches training or the choice of a threshold."""
    chosen = folds[:3]
    plan = plan_runs(
        ["baseline", "smote"], OPTIONS, [3], model_names=["mlp", "logistic"], splits=3
    )
    plain = run_comparison(chosen, plan)
    rng = np.random.default_rng(0)
    shuffled = []
    for dataset in chosen:
        copy = data.Dataset(**{**dataset.__dict__})
        copy.y_test = rng.permutation(dataset.y_test)
        shuffled.append(copy)
    again = run_comparison(shuffled, plan)
    a = results.results_json(plain, "recall=0.8")["techniques"]
    b = results.results_json(again, "recall=0.8")["techniques"]
    for name in plain.runs:
        assert [s["threshold"] for s in a[name]["seeds"]] == [
            s["threshold"] for s in b[name]["seeds"]
        ]
        for run, other in zip(plain.runs[name], again.runs[name], strict=True):
            assert np.array_equal(run.proba_val, other.proba_val)
            assert np.array_equal(run.proba_test, other.proba_test)


def test_intervals_over_folds_are_nadeau_bengio_corrected_by_hand():
    values = [0.5, 0.6, 0.7, 0.8, 0.9]
    mean, (low, high) = evaluate.interval(
        values, transform=False, test_train_ratio=0.25
    )
    half = stats.t.ppf(0.975, 4) * np.std(values, ddof=1) * np.sqrt(1 / 5 + 0.25)
    assert mean == pytest.approx(0.7)
    assert (low, high) == pytest.approx((0.7 - half, 0.7 + half))
    assert half == pytest.approx(0.2945, abs=1e-4)  # 2.776 x 0.1581 x 0.6708
    plain = evaluate.interval(values, transform=False)[1]
    assert high - low > plain[1] - plain[0]  # wider than the naive interval

    a, b = [0.62, 0.70, 0.66, 0.71, 0.64], [0.60, 0.65, 0.66, 0.66, 0.61]
    diff = np.subtract(a, b)
    t = diff.mean() / (diff.std(ddof=1) * np.sqrt(1 / 5 + 0.25))
    found = evaluate.paired_comparison(a, b, test_train_ratio=0.25)
    assert found["p_value"] == pytest.approx(2 * stats.t.sf(abs(t), 4))
    naive = evaluate.paired_comparison(a, b)
    assert naive["p_value"] == pytest.approx(stats.ttest_rel(a, b).pvalue)
    assert found["p_value"] > naive["p_value"]


@pytest.fixture(scope="module")
def cv_comparison(folds):
    plan = plan_runs(
        ["baseline", "class_weight"],
        {},
        [1, 2],
        model_names=["logistic"],
        splits=len(folds),
    )
    return run_comparison(folds, plan)


def test_every_technique_has_its_folds_and_intervals_over_them(cv_comparison):
    found = results.results_json(cv_comparison, "alerts=50")
    assert found["dataset"]["cv"]["folds"] == 5
    for summary in found["techniques"].values():
        assert summary["status"] == "ok", summary.get("error")
        folds = summary["folds"]
        assert [(f["repeat"], f["fold"]) for f in folds] == [
            (r, f) for r in (1, 2) for f in range(1, 6)
        ]
        assert all(f["seeds"] == 2 for f in folds)
        values = [f["pr_auc"] for f in folds]
        assert summary["pr_auc_mean"] == pytest.approx(np.mean(values))
        assert "Nadeau–Bengio corrected" in summary["pr_auc_ci_kind"]
        assert "over 10 folds" in summary["pr_auc_ci_kind"]
        mean, low, high = results.metric_ci(summary, "recall")
        assert low <= mean <= high
        assert mean == pytest.approx(np.mean([f["recall"] for f in folds]))
    assert "over the 10 folds they share" in found["recommendation"]["interval"]
    assert results.spread(found["techniques"]) == "10 folds × 2 seeds"


def test_a_cv_comparison_saves_and_opens_with_every_fold(cv_comparison, tmp_path):
    found = results.results_json(cv_comparison, 0.5)
    results.save_comparison(cv_comparison, found, tmp_path / "cv.zip")
    back = results.load_comparison(tmp_path / "cv.zip")
    assert len(back.splits) == 10
    for name, runs in cv_comparison.runs.items():
        assert [r.split for r in back.runs[name]] == [r.split for r in runs]
        for run, kept in zip(runs, back.runs[name], strict=True):
            assert np.array_equal(run.proba_test, kept.proba_test)
    again = results.saved_results(tmp_path / "cv.zip")
    page = report.html_report(again)
    assert "All numbers are means over the test parts of 5-fold stratified" in page
    assert "Means over 10 folds × 2 seeds: 95 % CI" in page
    mean, low, high = results.metric_ci(
        again["techniques"]["logistic:baseline"], "recall"
    )
    assert f'<td class="n">{mean:.3f} ({low:.3f} to {high:.3f})</td>' in page
    assert (
        again["techniques"]["logistic:baseline"]["folds"]
        == found["techniques"]["logistic:baseline"]["folds"]
    )


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "imbal_core", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.slow
def test_cli_train_cv_5_gives_five_folds_and_an_interval_each(tmp_path):
    small_frame().drop(columns="Time").to_csv(tmp_path / "small.csv", index=False)
    done = run_cli(
        "train",
        "--data",
        "small.csv",
        "--cv",
        "5",
        "--techniques",
        "baseline,smote,class_weight",
        "--models",
        "logistic",
        "--executor",
        "inline",
        "--store",
        "store",
        "--out",
        "r.json",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "split: 5-fold stratified cross-validation" in done.stderr
    assert "fold 5/5 seed 42" in done.stderr
    assert "on the test folds (means over 5 folds)" in done.stderr
    found = json.loads((tmp_path / "r.json").read_text())
    for summary in found["techniques"].values():
        assert len(summary["folds"]) == 5
        low, high = summary["pr_auc_ci95"]
        assert low < summary["pr_auc_mean"] < high
    # kept in the History (format 2 holds the folds); again: all from the store
    again = run_cli(
        "train", "--data", "small.csv", "--cv", "5", "--techniques",
        "baseline,smote,class_weight", "--models", "logistic", "--executor", "inline",
        "--store", "store", "--out", "r2.json", cwd=tmp_path,
    )  # fmt: skip
    assert "15 of 15 run(s) from the run store" in again.stderr, again.stderr
    listed = run_cli("history", "--store", "store", cwd=tmp_path)
    assert "small.csv" in listed.stdout


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--repeats", "2"], "--repeats repeats cross-validation; add --cv K"),
        (
            ["--cv", "5", "--test-size", "0.3"],
            "--test-size and --cv exclude each other",
        ),
        (["--cv", "1"], "cross-validation needs 2 to 20 folds, got 1 with --cv."),
    ],
)
def test_cli_cv_flags_that_cannot_work_are_one_line(flags, message, tmp_path):
    done = run_cli(
        "train", "--data", "demo", "--rows", "500", "--out", "r.json", *flags,
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
