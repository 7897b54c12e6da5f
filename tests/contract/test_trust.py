"""Issue #10: defects a stakeholder would notice, each pinned by a test that failed before.

Small files train at the seed's batch size (with a note), missing amounts never make
costs NaN and results are strict JSON, and networks that did not learn are flagged
in the JSON, the CLI and the report. (Curves: test_curves.py; the recommendation:
test_report.py; intervals: unit/test_evaluate.py and unit/test_results.py.)
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from imbal_core import evaluate, report
from imbal_core.cli import main
from imbal_core.data import make_demo, prepare
from imbal_core.execution import plan_runs, run_comparison
from imbal_core.results import dump_results, results_json


def strict_json(text: str):
    """Parse as other tools do: NaN and Infinity are not JSON."""

    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


# ------------------------------------------------------------------ small files
def test_a_file_smaller_than_one_batch_trains_at_the_seed_defaults(tmp_path, capsys):
    small = make_demo(rows=300, positives=30, seed=3).drop(columns=["Time"])
    path = tmp_path / "small.csv"
    small.to_csv(path, index=False)
    out = tmp_path / "r.json"
    code = main(
        ["train", "--data", str(path), "--techniques", "baseline", "--epochs", "2"]
        + ["--out", str(out)]
    )  # batch size: the seed's 256, above the 192 training rows
    stderr = capsys.readouterr().err
    assert code == 0, stderr
    assert "note: batch size 256 is larger than the 192 training rows" in stderr
    results = strict_json(out.read_text())
    assert results["techniques"]["baseline"]["status"] == "ok"
    assert any("one batch of all 192 rows" in n for n in results["config"]["notes"])
    assert "one batch of all 192 rows" in report.html_report(results)


# -------------------------------------------------------------- missing amounts
@pytest.fixture(scope="module")
def gappy_amounts():
    frame = make_demo(rows=3000, positives=60, seed=4).drop(columns=["Time"])
    frame.loc[frame.sample(frac=0.05, random_state=0).index, "Amount"] = np.nan
    return frame


def test_missing_amounts_are_imputed_from_training_with_a_note(gappy_amounts):
    dataset = prepare(gappy_amounts, source="gappy.csv")
    assert np.isfinite(dataset.amount_val).all()
    assert np.isfinite(dataset.amount_test).all()
    note = next(n for n in dataset.notes if "'Amount'" in n)
    assert "missing or invalid value(s) set to the training median" in note


def test_costs_stay_finite_and_results_are_strict_json(gappy_amounts):
    dataset = prepare(gappy_amounts, source="gappy.csv")
    comparison = run_comparison(dataset, plan_runs(["baseline"], {"epochs": 1}, [42]))
    results = results_json(comparison, None, objective="cost")
    summary = results["techniques"]["baseline"]
    assert (
        np.isfinite(summary["cost"])
        and np.isfinite(summary["curves"]["sweep"]["cost"]).all()
    )
    assert (
        strict_json(dump_results(results))["techniques"]["baseline"]["status"] == "ok"
    )


def test_dump_results_never_writes_nan():
    text = dump_results({"a": float("nan"), "b": [1.0, float("inf")], "c": {"d": 2}})
    assert strict_json(text) == {"a": None, "b": [1.0, None], "c": {"d": 2}}


# ------------------------------------------------------------ did it learn at all
def test_did_not_learn_spots_constant_and_chance_level_probabilities():
    rng = np.random.default_rng(0)
    y = (rng.random(4000) < 0.02).astype(int)
    constant = np.full(4000, 0.31)
    assert "same probability (0.3100)" in evaluate.did_not_learn(y, constant, constant)
    noise = rng.random(4000)
    assert "no better than with shuffled labels" in evaluate.did_not_learn(
        y, noise, noise
    )
    learned = np.clip(0.1 + 0.6 * y + rng.normal(0, 0.1, 4000), 0, 1)
    assert evaluate.did_not_learn(y, learned, learned) is None


def test_a_network_that_did_not_learn_is_flagged_everywhere(tmp_path, capsys):
    # Labels unrelated to the features: no network can learn them.
    frame = make_demo(rows=2000, positives=100, seed=5).drop(columns=["Time"])
    frame["Class"] = np.random.default_rng(1).permutation(frame["Class"].to_numpy())
    path = tmp_path / "noise.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "r.json"
    code = main(
        ["train", "--data", str(path), "--techniques", "baseline", "--epochs", "1"]
        + ["--out", str(out)]
    )
    stderr = capsys.readouterr().err
    assert code == 0, stderr
    assert "warning: baseline: did not learn" in stderr
    results = strict_json(out.read_text())
    (warning,) = results["techniques"]["baseline"]["warnings"]
    assert (
        warning.startswith("did not learn")
        and "try more epochs or a smaller batch" in warning
    )
    assert "Read with care" in report.html_report(results)


def test_negative_and_infinite_amounts_are_imputed_and_unusable_ones_dropped(
    gappy_amounts,
):
    frame = gappy_amounts.copy()
    frame.loc[frame.index[:5], "Amount"] = -3.0
    frame.loc[frame.index[5:8], "Amount"] = np.inf
    dataset = prepare(frame, source="odd.csv")
    assert (dataset.amount_test >= 0).all() and np.isfinite(dataset.amount_test).all()
    assert (dataset.amount_val >= 0).all() and np.isfinite(dataset.amount_val).all()
    # No usable amount in the training split: costs use a fixed amount, said once.
    frame["Amount"] = np.nan
    dataset = prepare(frame, source="empty.csv")
    assert dataset.amount_val is None and dataset.amount_test is None
    assert any("costs use a fixed amount per miss" in n for n in dataset.notes)
