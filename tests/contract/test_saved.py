"""Saved comparisons (issue #13): train anywhere, open it anywhere, get the same views.

A round trip changes nothing: every summary, table and figure computed from the
opened file equals the one computed right after training, at several thresholds and
in every Compare-at mode. A bad file is one clear error and opens nothing.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from imbal_core import figures, tables
from imbal_core.errors import InputError
from imbal_core.evaluate import Costs, OperatingPoint
from imbal_core.execution import plan_runs, run_comparison
from imbal_core.results import (
    ComparisonView,
    dump_results,
    load_comparison,
    results_json,
    save_comparison,
    saved_results,
)

POINTS = [
    OperatingPoint("threshold", 0.2),
    OperatingPoint("threshold", 0.5),
    OperatingPoint("threshold", 0.8),
    OperatingPoint("suggested", None),
    OperatingPoint("recall", 0.8),
    OperatingPoint("alerts", 5),
]


@pytest.fixture(scope="module")
def trained(tiny_dataset):
    """2 techniques x 2 seeds, trained in this process, and its saved file."""
    plan = plan_runs(
        ["baseline", "smote"],
        {"epochs": 2, "batch_size": 128, "k_neighbors": 3},
        (1, 2),
    )
    comparison = run_comparison(tiny_dataset, plan)
    buffer = io.BytesIO()
    save_comparison(comparison, results_json(comparison), buffer)
    return comparison, buffer.getvalue()


def _figures(summaries):
    return [
        figures.confusion_matrices(summaries).to_json(),
        figures.confusion_matrices(summaries, compact=True).to_json(),
        figures.metric_bars(summaries).to_json(),
        figures.pr_curves(summaries).to_json(),
        figures.roc_curves(summaries).to_json(),
        figures.cost_bars(summaries).to_json(),
        figures.cost_curves(summaries).to_json(),
        figures.reliability_curves(summaries).to_json(),
    ]


@pytest.mark.parametrize("point", POINTS, ids=str)
def test_every_view_of_the_opened_file_equals_the_one_after_training(trained, point):
    comparison, saved = trained
    opened = load_comparison(io.BytesIO(saved), "comparison.zip")
    for costs in (Costs(), Costs(missed=None, review=2.0)):
        before = ComparisonView(comparison).summaries(point, costs)
        after = ComparisonView(opened).summaries(point, costs)
        assert after == before
        assert _figures(after) == _figures(before)
        for table in (
            tables.headline_table,
            tables.metrics_table,
            tables.metrics_ci_table,
        ):
            assert table(after).equals(table(before))


def test_the_file_keeps_probabilities_exactly_and_says_where_it_came_from(trained):
    comparison, saved = trained
    opened = load_comparison(io.BytesIO(saved), "night-run.zip")
    for name, runs in comparison.runs.items():
        for a, b in zip(runs, opened.runs[name], strict=True):
            np.testing.assert_array_equal(a.proba_test, b.proba_test)
            np.testing.assert_array_equal(a.proba_val, b.proba_val)
            assert (a.seed, a.params, a.warnings) == (b.seed, b.params, b.warnings)
    for key in ("y_val", "y_test", "amounts_val", "amounts_test"):
        mine, theirs = (
            getattr(opened.splits[0], key),
            getattr(comparison.splits[0], key),
        )
        np.testing.assert_array_equal(mine, theirs)
    assert opened.dataset == comparison.dataset
    saved_by = opened.config["saved"]
    assert saved_by["file"] == "night-run.zip" and saved_by["created_utc"]
    assert saved_by["versions"]["tensorflow"] and saved_by["versions"]["format"] == "1"
    with zipfile.ZipFile(io.BytesIO(saved)) as archive:
        names = archive.namelist()
    assert "manifest.json" in names and all(
        n == "manifest.json" or n.endswith(".npy") for n in names
    )  # never a pickle


def test_the_cli_saves_and_reports_from_the_file(tmp_path, tiny_dataset):
    from imbal_core.data import make_demo

    csv = tmp_path / "d.csv"
    make_demo(rows=1500, positives=30, seed=2).to_csv(csv, index=False)
    out, save = tmp_path / "r.json", tmp_path / "runs" / "comparison.zip"
    done = subprocess.run(
        [sys.executable, "-m", "imbal_core", "train", "--data", str(csv)]
        + ["--techniques", "baseline,undersampling", "--seeds", "2", "--epochs", "2"]
        + ["--executor", "inline", "--out", str(out), "--save", str(save)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert f"saved the comparison to {save}" in done.stderr
    # The file's results are recomputed from its arrays: the same as the CLI wrote.
    recomputed = json.loads(dump_results(saved_results(save)))
    written = json.loads(out.read_text())
    for results in (recomputed, written):
        results["config"].pop("evaluation_seconds")
        results["config"].pop("saved", None)
    assert recomputed == written
    report = subprocess.run(
        [sys.executable, "-m", "imbal_core", "report", "--results", str(save)]
        + ["--out", str(tmp_path / "report.html")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert report.returncode == 0, report.stderr
    assert "Overview" in (tmp_path / "report.html").read_text()


# ------------------------------------------------------------------ bad files
def _rewrite(saved: bytes, change) -> io.BytesIO:
    """A copy of the saved zip with ``change(members)`` applied to its member dict."""
    with zipfile.ZipFile(io.BytesIO(saved)) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    change(members)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def _npy(array) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=True)
    return buffer.getvalue()


def _manifest(change):
    def apply(members):
        manifest = json.loads(members["manifest.json"])
        change(manifest)
        members["manifest.json"] = json.dumps(manifest).encode()

    return apply


BAD = {
    "missing member": (
        lambda m: m.pop("runs/0001_test.npy"),
        r"incomplete: runs/0001_test\.npy is missing",
    ),
    "short array": (
        lambda m: m.update({"y_test.npy": _npy(np.zeros(10, np.int8))}),
        r"y_test\.npy should be \d+ values of int8, found \(10,\)",
    ),
    "wrong dtype": (
        lambda m: m.update(
            {
                "runs/0000_val.npy": _npy(
                    np.zeros(len(np.load(io.BytesIO(m["runs/0000_val.npy"]))))
                )
            }
        ),
        r"runs/0000_val\.npy should be \d+ values of float32, found .* of float64",
    ),
    "pickled objects": (
        lambda m: m.update({"y_val.npy": _npy(np.array([{"a": 1}], dtype=object))}),
        r"y_val\.npy is not a plain array",
    ),
    "probabilities out of range": (
        lambda m: m.update(
            {
                "runs/0000_test.npy": _npy(
                    np.full(
                        len(np.load(io.BytesIO(m["runs/0000_test.npy"]))), 2, np.float32
                    )
                )
            }
        ),
        r"runs/0000_test\.npy has values outside 0\.\.1",
    ),
    "newer format": (
        _manifest(lambda d: d.update(format_version=99)),
        r"saved by a newer version \(format 99; this one reads up to 2\)",
    ),
    "not ours": (
        _manifest(lambda d: d.update(format="something-else")),
        r"is not a saved comparison",
    ),
    "tampered results": (
        _manifest(
            lambda d: d["results"]["techniques"]["smote"]["seeds"][0].update(
                pr_auc=0.99
            )
        ),
        r"the results say smote scored PR-AUC 0\.99, its stored probabilities give",
    ),
    "manifest not json": (
        lambda m: m.update({"manifest.json": b"{not json"}),
        r"manifest\.json is not valid JSON",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_file_is_one_clear_error(trained, case):
    change, message = BAD[case]
    with pytest.raises(InputError, match=message) as caught:
        load_comparison(_rewrite(trained[1], change), "comparison.zip")
    assert "\n" not in str(caught.value) and str(caught.value).startswith(
        "comparison.zip"
    )


def test_a_file_that_is_not_a_zip_is_refused():
    with pytest.raises(
        InputError, match=r"results\.json is not a saved comparison \(not a zip file\)"
    ):
        load_comparison(io.BytesIO(b'{"techniques": {}}'), "results.json")


def test_a_zip_bomb_is_refused_before_anything_is_unpacked():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("manifest.json", "w") as member:
            for _ in range(64):  # 64 MB of zeros: ~64 kB packed
                member.write(bytes(1 << 20))
    bomb.seek(0)
    with pytest.raises(
        InputError, match=r"would unpack to 64 MB from 0\.1 MB: refused"
    ):
        load_comparison(bomb, "bomb.zip")
