"""Keeps ``python -m benchmarks.run`` from rotting: a tiny real run, plus the bagging speed-up's contract."""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks import run as bench
from imbal_core.data import load_source
from imbal_core.techniques.balanced_bagging import BalancedBagging


@pytest.mark.slow
def test_benchmark_end_to_end_writes_table_json_and_markdown(tmp_path, capsys):
    # Two fresh worker processes (seed code, engine) on 3,000 rows, 1 epoch.
    bench.main(
        [
            "--rows",
            "3000",
            "--epochs",
            "1",
            "--techniques",
            "undersampling",
            "--skip-extras",
            "--scales",
            "1",
            "--out-dir",
            str(tmp_path),
        ]
    )
    report = json.loads((tmp_path / "latest.json").read_text())
    row = report["techniques"]["undersampling"]
    for side in ("seed", "engine"):
        assert row[side]["wall_s"] > 0
        assert row[side]["peak_mb"] > 50  # a Python process with TensorFlow loaded
        assert 0.0 <= row[side]["pr_auc"] <= 1.0
    assert row["seed"]["test_rows"] == 600  # the seed's unstratified 20 % test split
    assert report["total"]["speedup"] == pytest.approx(
        row["seed"]["wall_s"] / row["engine"]["wall_s"]
    )
    assert (
        report["machine"]["cores"] >= 1 and report["machine"]["versions"]["tensorflow"]
    )
    assert report["scaling"]["points"][0]["rows"] == 3000
    markdown = (tmp_path / "latest.md").read_text()
    assert "| undersampling |" in markdown and "Speed-up" in markdown
    assert "| undersampling |" in capsys.readouterr().out


def test_slider_timing_covers_every_technique(monkeypatch):
    result = bench._run_slider({"test_rows": 2000})
    assert result["techniques"] == 7 and result["test_rows"] == 2000
    assert (
        0 < result["metrics_only_ms"] and 0 < result["move_ms"] <= result["move_max_ms"]
    )
    assert "figures.pr_curves" in result["figures"]  # the figures are really timed


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
    members = first.model_.estimators_
    # Each member has its own initialisation and bootstrap, so its own weights.
    kernels = [m.steps[-1][1].weights_[0] for m in members]
    assert not np.allclose(kernels[0], kernels[1])
    # The ensemble's probability is the mean of its members' (soft voting).
    mean = np.mean([m.predict_proba(data.X_test)[:, 1] for m in members], axis=0)
    np.testing.assert_allclose(proba, mean, rtol=1e-5)
