"""The CLI as users run it: a subprocess, real training, 1 epoch."""

import json
import subprocess
import sys

import pytest

from imbal_core.cli import main
from imbal_core.techniques import REGISTRY


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "imbal_core", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )


@pytest.fixture(scope="module")
def demo_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "demo.csv"
    done = cli("demo-data", "--out", str(path), "--rows", "3000", "--seed", "2")
    assert done.returncode == 0, done.stderr
    return path


def test_demo_data_writes_the_creditcard_schema(demo_csv):
    header = demo_csv.read_text().splitlines()[0].split(",")
    assert (
        header[0] == "Time" and header[-2:] == ["Amount", "Class"] and len(header) == 31
    )


@pytest.mark.slow
def test_train_all_techniques_writes_the_documented_json(demo_csv, tmp_path):
    out = tmp_path / "r.json"
    done = cli(
        "train",
        "--data",
        str(demo_csv),
        "--techniques",
        "all",
        "--epochs",
        "1",
        "--n-estimators",
        "2",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "cuInit" not in done.stderr
    # Runs stream as they finish: one line each, numbered.
    runs = len(REGISTRY)
    assert f"[1/{runs}] " in done.stderr and f"[{runs}/{runs}] " in done.stderr
    results = json.loads(out.read_text())
    assert set(results["dataset"]) >= {
        "source",
        "rows",
        "features",
        "positives",
        "positive_label",
        "train_rows",
        "validation_rows",
        "test_rows",
    }
    assert results["dataset"]["rows"] == 3000
    assert list(results["techniques"]) == list(REGISTRY)
    ok = {n: r for n, r in results["techniques"].items() if r["status"] == "ok"}
    for name, result in results["techniques"].items():
        # A sampler may refuse 6 training positives; then alone, in words, not a bug's.
        if name not in ok:
            assert "could not resample" in result["error"], (name, result["error"])
    assert len(ok) >= len(REGISTRY) - 3, {n: r["error"] for n, r in results["techniques"].items()}
    for result in ok.values():
        assert set(result) >= {
            "threshold",
            "precision",
            "recall",
            "f1",
            "accuracy",
            "pr_auc",
            "roc_auc",
            "mcc",
            "confusion_matrix",
            "classification_report",
            "train_class_counts",
            "fit_seconds",
            "suggested_threshold",
            "brier",
            "cost",
            "seeds",
            "pr_auc_mean",
            "pr_auc_ci95",
        }
        (tn, fp), (fn, tp) = result["confusion_matrix"]
        assert tn + fp + fn + tp == results["dataset"]["test_rows"]
        assert set(result["classification_report"]) == {
            "0",
            "1",
            "accuracy",
            "macro avg",
            "weighted avg",
        }
    assert results["config"]["epochs"] == 1


@pytest.mark.slow
def test_several_seeds_give_a_confidence_interval(demo_csv, tmp_path):
    out = tmp_path / "r.json"
    done = cli(
        "train",
        "--data",
        str(demo_csv),
        "--techniques",
        "class_weight",
        "--epochs",
        "1",
        "--seeds",
        "3",
        "--threshold",
        "suggested",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text())["techniques"]["class_weight"]
    assert [s["seed"] for s in result["seeds"]] == [42, 43, 44]
    low, high = result["pr_auc_ci95"]
    assert low < result["pr_auc_mean"] < high
    assert result["threshold"] == result["suggested_threshold"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--data", "nope.csv"], "no file at 'nope.csv'"),
        (
            ["--data", "demo", "--rows", "3000", "--techniques", "smoet"],
            "unknown technique 'smoet'",
        ),
        (
            ["--data", "demo", "--rows", "3000", "--epochs", "0"],
            "epochs must be between 1 and 1000",
        ),
        (
            ["--data", "demo", "--rows", "3000", "--threshold", "1.5"],
            "must be between 0 and 1",
        ),
        (
            ["--data", "demo", "--rows", "3000", "--target", "Label"],
            "target column 'Label' not found",
        ),
        # A bad value is refused even for a technique that is not selected.
        (
            [
                "--data",
                "demo",
                "--rows",
                "3000",
                "--techniques",
                "baseline",
                "--alpha",
                "5",
            ],
            "alpha must be between 0",
        ),
    ],
)
def test_bad_input_is_exit_2_with_one_line(args, message, tmp_path, capsys):
    # In-process through main(), the subprocess's exact code path: each real process
    # pays ~10 s of TensorFlow start-up, and test_bad_input.py already checks the
    # process boundary (exit code, stderr, no traceback) for every kind of error.
    try:
        code = main(["train", *args, "--out", str(tmp_path / "r.json")])
    except SystemExit as exit:  # argparse's errors leave through SystemExit(2)
        code = exit.code
    assert code == 2
    stderr = capsys.readouterr().err
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], (
        stderr
    )
    assert not (tmp_path / "r.json").exists()
