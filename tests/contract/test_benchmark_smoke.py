"""Keeps ``python -m benchmarks.run`` from rotting: a tiny real run, the small-CSV CLI
measurement, plus the bagging speed-up's contract."""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks import harness, measure
from benchmarks import run as bench
from imbal_core.data import load_source
from imbal_core.techniques.balanced_bagging import BalancedBagging


@pytest.mark.slow
def test_benchmark_end_to_end_writes_table_json_and_markdown(tmp_path, capsys):
    # Four fresh processes on 3,000 rows, 1 epoch: the seed code per technique, then
    # the engine's whole comparison with 1 and with 2 workers.
    names = ["undersampling", "baseline"]
    bench.main(
        [
            "--rows",
            "3000",
            "--epochs",
            "1",
            "--techniques",
            ",".join(names),
            "--workers",
            "1,2",
            "--skip-extras",
            "--scales",
            "",
            "--settle",
            "0",
            "--quality-seeds",
            "2",
            "--step-repeats",
            "2",
            "--out-dir",
            str(tmp_path),
        ]
    )
    report = json.loads((tmp_path / "latest.json").read_text())
    assert report["techniques"] == names and report["workers"] == [1, 2]
    for name in names:
        seed = report["seed"][name]
        assert seed["wall_s"] > 0 and seed["load_before"] >= 0
        assert seed["peak_mb"] > 50  # a Python process with TensorFlow loaded
        assert 0.0 <= seed["pr_auc"] <= 1.0
        assert seed["test_rows"] == 600  # the seed's unstratified 20 % test split
    for count in ("1", "2"):
        engine = report["engine"][count]
        assert engine["workers"] == int(count) and engine["wall_s"] > 0
        assert engine["ready_s"] > 0 and engine["load_before"] >= 0
        assert len(engine["worker_peaks_mb"]) == int(count)
        assert engine["workers_peak_mb"] > 50 * int(count)  # TensorFlow in each
        assert list(engine["techniques"]) == names
        for run in engine["techniques"].values():
            assert 0.0 <= run["pr_auc"] <= 1.0 and run["fit_seconds"] > 0
    total = report["total"]
    seed_s = sum(report["seed"][n]["wall_s"] for n in names)
    assert total["speedup"] == pytest.approx(seed_s / report["engine"]["2"]["wall_s"])
    assert total["workers_speedup"] == pytest.approx(
        report["engine"]["1"]["wall_s"] / report["engine"]["2"]["wall_s"]
    )
    # The PR-AUC target is judged over both seeds: 42 from the timed runs, 43 retrained.
    quality = report["quality"]
    assert quality["seeds"] == [42, 43]
    for name in names:
        assert quality["seed"][name]["42"] == report["seed"][name]["pr_auc"]
        assert quality["engine"][name]["42"] == engine["techniques"][name]["pr_auc"]
        assert (
            set(quality["seed"][name]) == set(quality["engine"][name]) == {"42", "43"}
        )
    every = [
        quality[side][n][s] for side in ("seed",) for n in names for s in ("42", "43")
    ]
    assert total["quality"]["seed_mean"] == pytest.approx(np.mean(every))
    # The training step, in the same run, on the training split's rows (64 %).
    step = report["step"]
    assert step["rows"] == bench.STEP_ROWS * 3000 // measure.FULL_ROWS == 1917
    assert step["repeats"] == 2
    for shape in step["shapes"]:
        assert 0 < shape["matmul_bound_ms"] < shape["ms_per_step"]
        assert shape["ratio"] == pytest.approx(
            shape["ms_per_step"] / shape["matmul_bound_ms"], abs=0.01
        )
    assert (tmp_path / "step.md").is_file()
    assert report["checks"]["step"]["met"] == (
        max(s["ratio"] for s in step["shapes"]) <= 1.6
    )
    assert set(report["checks"]) == {"speedup", "pr_auc", "workers_speedup", "step"}
    assert report["checks"]["speedup"]["target"] == "≥ 10x"
    assert report["machine"]["cores"] >= 1
    assert report["machine"]["versions"]["tensorflow"]
    assert report["scaling"]["points"] == []
    markdown = (tmp_path / "latest.md").read_text()
    assert "| Technique | Seed code (s) | Engine fit (s), concurrent" in markdown
    assert "| undersampling |" in markdown and "| baseline |" in markdown
    assert "**Total: seed code" in markdown and "(target ≥ 10x: " in markdown
    assert "(target ≥ 1.6x: " in markdown and "load before" in markdown
    assert "PR-AUC over 2 training seeds (42–43)" in markdown
    assert "(target ≥ the seed's − 0.03: " in markdown
    assert "| seed (128-64-32) |" in markdown and "| wider (512-256-128) |" in markdown
    assert "| undersampling |" in capsys.readouterr().out


@pytest.mark.slow
def test_small_csv_cli_measurement_times_the_whole_command():
    result = harness.measure_cli(rows=600, seeds=1, epochs=1)
    assert result["wall_s"] > 0 and result["load_before"] >= 0
    assert result["techniques"] == 7 and result["rows"] == 600
    assert result["failed"] == []


def test_slider_timing_covers_every_technique(monkeypatch):
    result = measure._run_slider({"test_rows": 2000})
    assert result["techniques"] == 7 and result["test_rows"] == 2000
    assert (
        0 < result["metrics_only_ms"] and 0 < result["move_ms"] <= result["move_max_ms"]
    )
    assert "figures.pr_curves" in result["figures"]  # the figures are really timed


def test_pr_auc_over_seeds_summary_means_spread_and_interval():
    from benchmarks import quality

    measured = {
        "seeds": [42, 43, 44],
        "seed": {
            "a": {"42": 0.5, "43": 0.7, "44": 0.6},
            "b": {"42": 0.2, "43": 0.2, "44": 0.2},
        },
        "engine": {
            "a": {"42": 0.3, "43": 0.5, "44": 0.4},
            "b": {"42": 0.2, "43": 0.3, "44": 0.1},
        },
    }
    summary = quality.summarise(measured)
    assert summary["techniques"]["a"]["seed_mean"] == pytest.approx(0.6)
    assert summary["techniques"]["a"]["seed_sd"] == pytest.approx(0.1)
    assert summary["techniques"]["b"]["seed_sd"] == 0.0
    assert summary["seed_mean"] == pytest.approx(0.4)
    assert summary["engine_mean"] == pytest.approx(0.3)
    low, high = summary["interval_95"]
    assert summary["difference"] == pytest.approx(-0.1)
    assert low < summary["difference"] < high
    # The engine's per-seed means (0.25, 0.4, 0.25) spread: the interval is wide.
    assert high > 0 and low < -0.2
    lines = quality.to_markdown(summary, " (target: met)")
    assert "| a | 0.600 ± 0.100 | 0.400 ± 0.100 | -0.200 |" in lines


def test_too_few_quality_seeds_is_one_clear_line():
    with pytest.raises(
        SystemExit, match=r"--quality-seeds must be at least 1 .*got 0\."
    ):
        bench.main(["--rows", "3000", "--quality-seeds", "0", "--skip-seed"])


@pytest.mark.slow
def test_spread_trains_both_sides_on_the_same_rows(tmp_path):
    from benchmarks import spread

    args = ["--rows", "3000", "--seeds", "2", "--epochs", "1", "--settle", "0"]
    assert spread.main([*args, "--out-dir", str(tmp_path)]) == 0
    found = json.loads((tmp_path / "spread.json").read_text())
    assert found["seeds"] == [0, 1] and found["rows_trained"] < 3000 * 0.64
    for side in ("engine", "keras_fit"):
        scores = found["pr_auc"][side]
        assert len(scores) == 2 and all(0.0 < s <= 1.0 for s in scores)
        assert found["summary"][side]["mean"] == pytest.approx(np.mean(scores))
        assert found["summary"][side]["sd"] == pytest.approx(np.std(scores, ddof=1))
    assert "| Keras' fit (seed's model) |" in (tmp_path / "spread.md").read_text()


def test_too_few_spread_seeds_is_one_clear_line():
    from benchmarks import spread

    with pytest.raises(SystemExit, match="--seeds must be at least 2"):
        spread.main(["--seeds", "1"])


def test_negative_step_repeats_is_one_clear_line():
    with pytest.raises(
        SystemExit, match=r"--step-repeats must be 0 \(skip\) .*got -1\."
    ):
        bench.main(["--rows", "3000", "--step-repeats", "-1", "--skip-seed"])


def test_bad_technique_is_one_clear_line():
    with pytest.raises(SystemExit, match="unknown technique 'nope'"):
        bench.main(["--rows", "3000", "--techniques", "nope", "--skip-seed"])


def test_balanced_bagging_shared_network_is_deterministic_and_members_differ():
    data = load_source("demo", rows=3000)

    def fitted() -> BalancedBagging:
        return BalancedBagging(epochs=1, batch_size=16, seed=7, n_estimators=3).fit(
            data.X_train, data.y_train
        )

    first, again = fitted(), fitted()
    proba = first.predict_proba(data.X_test)
    np.testing.assert_allclose(proba, again.predict_proba(data.X_test), rtol=1e-6)
    assert proba.shape == (len(data.y_test),) and np.all((proba >= 0) & (proba <= 1))
    members = first.ensemble_.estimators_
    # Each member has its own initialisation and bootstrap, so its own weights.
    kernels = [m.steps[-1][1].weights_[0] for m in members]
    assert not np.allclose(kernels[0], kernels[1])
    # The ensemble's probability is the mean of its members' (soft voting).
    mean = np.mean([m.predict_proba(data.X_test)[:, 1] for m in members], axis=0)
    np.testing.assert_allclose(proba, mean, rtol=1e-5)


@pytest.mark.slow
def test_the_sampler_benchmark_times_each_sampler_and_stops_at_the_cap(tmp_path):
    from benchmarks import samplers

    report = samplers.main(
        ["--rows", "3000", "--cap", "30", "--settle", "0", "--only", "smote,enn"]
        + ["--out-dir", str(tmp_path)]
    )
    smote = report["samplers"]["smote"]
    assert 0 < smote["seconds"] < 30 and smote["after"][0] == smote["after"][1]
    assert report["train_rows"] == sum(smote["before"])
    table = (tmp_path / "samplers.md").read_text()
    assert (
        "| SMOTE | over | " in table
        and "| Edited nearest neighbours | under | " in table
    )
    merged = samplers.main(
        ["--rows", "3000", "--cap", "30", "--settle", "0", "--only", "near_miss"]
        + ["--out-dir", str(tmp_path), "--merge"]
    )  # one row updated, the others kept
    assert list(merged["samplers"]) == ["smote", "enn", "near_miss"]
    assert merged["samplers"]["smote"] == smote
    stopped = samplers.measure("condensed_nn", 3000, cap=0.0, settle=0)
    assert stopped["seconds"] is None and stopped["over"] == 0.0
    capped = samplers.measure("tomek_links", 3000, cap=30, settle=0, max_rows=1000)
    assert capped["seconds"] is not None and sum(capped["after"]) <= 1000
    report["samplers"]["condensed_nn"] = {
        **stopped,
        "capped": {**capped, "max_rows": 1000},
    }
    assert "| > 0 s | " in samplers.to_markdown(report)
    assert f"| {capped['seconds']:.2f} s at max_rows=1,000 |" in samplers.to_markdown(
        report
    )
