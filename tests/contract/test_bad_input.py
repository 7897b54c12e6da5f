"""Every kind of bad input gives one clear line, in the data layer and through the CLI.

Data layer: ``read_csv`` / ``prepare`` raise :class:`InputError` whose message is one
line saying what is wrong and what to do. CLI: ``python -m imbal_core train`` exits 2
with exactly one ``error: ...`` line on stderr and no traceback.

Why most CLI cases run in-process: each ``python -m imbal_core`` pays ~10 s of
TensorFlow import (20 s when the machine is busy), so ~35 subprocesses would cost
minutes. ``cli.main(argv)`` is the exact code path of the subprocess (argparse,
loading, validation, the one-line error) and a test fails on any exception that
escapes it. A representative set per error kind runs as real subprocesses (in
parallel) to check the process boundary: exit code, stderr, no traceback. Set
``IMBAL_FULL_CLI=1`` to run every case as a subprocess.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imbal_core import data, techniques
from imbal_core.data import prepare, read_csv
from imbal_core.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
FULL_CLI = os.environ.get("IMBAL_FULL_CLI") == "1"

# TensorFlow's C++ layer may log these to fd 2 at import, before it reads
# TF_CPP_MIN_LOG_LEVEL; they are the only other stderr lines a bad-input run may print.
TF_LOG = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\)|[IWEF]\d{4} \d\d:\d\d:\d\d"
    r"|To enable the following instructions)"
)
HOSTILE = ["=cmd|' /C calc'!A0", "<script>alert(1)</script>"]


# ----------------------------------------------------------------- test data
def frame(
    rows: int = 200, positives: int = 30, seed: int = 0, labels=(1, 0)
) -> pd.DataFrame:
    """Two numeric features and a binary label column ``Class`` (positives first, shuffled)."""
    rng = np.random.default_rng(seed)
    y = np.array(
        [labels[0]] * positives + [labels[1]] * (rows - positives), dtype=object
    )
    rng.shuffle(y)
    positive = y == labels[0]
    out = pd.DataFrame(
        {"a": rng.normal(size=rows) + positive, "b": rng.normal(size=rows)}
    )
    out["Class"] = y if not all(isinstance(v, int) for v in labels) else y.astype(int)
    return out


def csv_bytes(df: pd.DataFrame, **options) -> bytes:
    encoding = options.pop("encoding", "utf-8")
    return df.to_csv(index=False, **options).encode(encoding)


def good_csv() -> bytes:
    return csv_bytes(frame())


def with_line(raw: bytes, line: int, replace) -> bytes:
    """``raw`` with 1-based ``line`` passed through ``replace``."""
    lines = raw.decode().splitlines()
    lines[line - 1] = replace(lines[line - 1])
    return ("\n".join(lines) + "\n").encode()


def fraud_frame(rows: int = 3000, positives: int = 150, seed: int = 3) -> pd.DataFrame:
    """String labels ("fraud"/"legit"), a categorical column, numeric features."""
    rng = np.random.default_rng(seed)
    fraud = np.zeros(rows, dtype=bool)
    fraud[rng.choice(rows, positives, replace=False)] = True
    return pd.DataFrame(
        {
            "amount": np.round(rng.gamma(2, 40, rows) * np.where(fraud, 2.0, 1.0), 2),
            "merchant": rng.choice(
                ["grocery", "fuel", "travel", "online", "atm"], rows
            ),
            "v1": rng.normal(size=rows) - 1.5 * fraud,
            "v2": rng.normal(size=rows) + 1.0 * fraud,
            "label": np.where(fraud, "fraud", "legit"),
        }
    )


def assert_one_line(message: str) -> None:
    assert message and "\n" not in message and "Traceback" not in message, message


# One entry per bad input: id -> (CSV bytes or None for "no file", prepare/CLI options, message regex).
# The regex checks what is wrong AND what to do, so a vaguer message fails the test.
_SEMI_RAGGED = csv_bytes(frame(), sep=";")
DATA_CASES: dict[str, tuple[bytes | None, dict, str]] = {
    "empty file": (b"", {}, r"is empty; choose a CSV file with a header row"),
    "whitespace only": (b"  \n\n \r\n", {}, r"is empty; choose a CSV"),
    "header only": (b"a,b,Class\n", {}, r"has a header but no data rows; add rows"),
    "header only, no newline": (b"a,b,Class", {}, r"has a header but no data rows"),
    "header and blank lines": (
        b"a,b,Class\n\n\n",
        {},
        r"has a header but no data rows",
    ),
    "single row": (
        b"a,b,Class\n1,2,1\n",
        {},
        r"the data has 1 row; it needs at least 10",
    ),
    "row with an extra field": (
        with_line(good_csv(), 6, lambda s: s + ",9"),
        {},
        r"line 6 has 4 fields but the header has 3; fix that row",
    ),
    "row with a missing field": (
        with_line(good_csv(), 9, lambda s: s.rsplit(",", 1)[0]),
        {},
        r"line 9 has 2 fields but the header has 3; fix or remove that row",
    ),
    "ragged semicolon file": (
        with_line(_SEMI_RAGGED, 4, lambda s: s + ";1;2"),
        {},
        r"line 4 has 5 fields but the header has 3; fix that row \(quote values that contain a semicolon\)",
    ),
    "every row one field longer than the header": (
        b"a,b\n" + b"".join(f"{i},{i % 3},{i % 2}\n".encode() for i in range(40)),
        {},
        r"every data row has one more field than the 2 column names.*name the extra column",
    ),
    "png image": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        {},
        r"is a PNG image, not a CSV text file; export or save it as CSV",
    ),
    "gzip archive": (
        gzip.compress(good_csv()),
        {},
        r"is a gzip archive, not a CSV text file",
    ),
    "xlsx workbook": (
        b"PK\x03\x04\x14\x00\x06\x00" + bytes(200),
        {},
        r"Excel \.xlsx workbook, not a CSV text file",
    ),
    "binary noise": (
        bytes(np.random.default_rng(0).integers(0, 256, 4000, dtype=np.uint8)),
        {},
        r"not a text CSV \(it contains binary data\); export it as CSV",
    ),
    "one column only": (
        b"Class\n" + b"0\n1\n" * 20,
        {},
        r"has one column only; a CSV needs feature columns and a target column",
    ),
    "target column missing": (
        good_csv(),
        {"target": "label"},
        r"target column 'label' not found; the columns are: 'a', 'b', 'Class'; choose one of them",
    ),
    "continuous target": (
        csv_bytes(frame().assign(Class=np.random.default_rng(1).normal(size=200))),
        {},
        r"'Class' looks continuous \(200 distinct numbers.*choose a column of class labels",
    ),
    "continuous target with few distinct floats": (
        csv_bytes(
            frame().assign(
                Class=np.random.default_rng(1).choice([0.25, 0.5, 1.5, 2.75], 200)
            )
        ),
        {},
        r"'Class' looks continuous \(4 distinct numbers.*choose a column of class labels",
    ),
    "integer target with many values": (
        csv_bytes(frame().assign(Class=np.arange(200))),
        {},
        r"'Class' looks continuous \(200 distinct",
    ),
    "one class only": (
        csv_bytes(frame().assign(Class=0)),
        {},
        r"'Class' has one class only \('0'\).*add rows of the other class or choose another label column",
    ),
    "three classes, no positive chosen": (
        csv_bytes(frame().assign(Class=np.arange(200) % 3)),
        {},
        r"'Class' has 3 classes \('0', '1', '2'\); the rest become negative when you choose the positive one",
    ),
    "positive label not present": (
        good_csv(),
        {"positive": "fraud"},
        r"positive label 'fraud' is not in 'Class'; its labels are",
    ),
    "missing labels": (
        csv_bytes(
            frame().assign(Class=lambda f: f["Class"].astype(float).where(f.index != 7))
        ),
        {},
        r"1 rows have no label in 'Class' \(the first is data row 8\); fill or remove them",
    ),
    "all labels missing": (
        csv_bytes(frame().assign(Class=np.nan)),
        {},
        r"target column 'Class' is empty; choose the label column",
    ),
    "too few positives": (
        csv_bytes(frame(positives=3)),
        {},
        r"'Class' has 3 positive and 197 negative rows; each class needs at least 5",
    ),
    "only id and free-text features": (
        csv_bytes(
            frame()[["Class"]].assign(
                id=[f"tx-{i:05d}" for i in range(200)],
                text=[f"customer wrote note {i * 7}" for i in range(200)],
            )
        ),
        {},
        r"no usable feature columns: the non-target columns \['id', 'text'\] are ids, free text or empty; add numeric or categorical features",
    ),
    "duplicate column names": (
        b"a,b,a,Class\n"
        + b"".join(f"{i},{i},{i},{i % 2}\n".encode() for i in range(40)),
        {},
        r"duplicate column names \['a'\]; rename them so each is unique",
    ),
    "duplicate column names after trimming spaces": (
        b"a,a ,Class\n" + b"".join(f"{i},{i},{i % 2}\n".encode() for i in range(40)),
        {},
        r"duplicate column names \['a'\]",
    ),
    "time column that does not exist": (
        good_csv(),
        {"time_column": "Class2"},
        r"time column 'Class2' is not a numeric column",
    ),
}


def test_engine_messages_speak_of_the_data_and_callers_say_where_to_fix_it():
    """Issue #18: no engine message names a flag or a widget; the CLI and the pages
    each add where to make the change, in their own terms."""
    from dashboard.widgets import WHERE as PAGE_WHERE
    from imbal_core.cli import WHERE as CLI_WHERE

    told = 0
    for raw, options, _ in DATA_CASES.values():
        if raw is None:
            continue
        try:
            run_data_layer(raw, options)
        except InputError as exc:
            assert "--" not in str(exc) and "command line" not in str(exc), str(exc)
            if exc.option:
                told += 1
                assert exc.told(CLI_WHERE).endswith(f"{CLI_WHERE[exc.option]}.")
                assert "--" not in exc.told(PAGE_WHERE)
    assert told >= 4


def run_data_layer(raw: bytes, options: dict) -> data.Dataset:
    return prepare(read_csv(raw, name="upload.csv"), source="upload.csv", **options)


# ---------------------------------------------------------------- data layer
@pytest.mark.parametrize("case", list(DATA_CASES))
def test_data_layer_raises_one_clear_line(case):
    raw, options, message = DATA_CASES[case]
    with pytest.raises(InputError) as caught:
        run_data_layer(raw, options)
    assert_one_line(str(caught.value))
    assert re.search(message, str(caught.value)), str(caught.value)


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match=r"no file at '.*nope\.csv'; check the path"):
        read_csv(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="no file at"):
        read_csv(tmp_path)  # a directory is not a file either


def test_latin1_text_loads_with_its_accents():
    df = frame().assign(
        city=np.where(np.arange(200) % 2, "Málaga", "Bogotá"), note="café crème"
    )
    raw = csv_bytes(df, encoding="latin-1")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really not UTF-8
    loaded = read_csv(raw, name="latin.csv")
    assert set(loaded["city"]) == {"Málaga", "Bogotá"}
    dataset = prepare(loaded)
    assert {"city=Málaga", "city=Bogotá"} <= set(dataset.feature_names)
    assert any("not UTF-8" in note for note in dataset.notes)
    # A byte that Windows-1252 leaves undefined (0x81) still loads, as latin-1.
    odd = csv_bytes(df.assign(note="x\x81y"), encoding="latin-1")
    assert set(read_csv(odd)["note"]) == {"x\x81y"}


def test_utf16_export_with_bom_loads():
    loaded = read_csv(good_csv().decode().encode("utf-16"))
    pd.testing.assert_frame_equal(loaded, read_csv(good_csv()))


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_other_delimiters_are_detected_and_loaded(sep):
    df = frame().assign(shop=np.where(np.arange(200) % 3, "a, b and c", 'say "hi"'))
    loaded = read_csv(csv_bytes(df, sep=sep))
    assert list(loaded.columns) == list(df.columns)
    np.testing.assert_allclose(loaded["a"], df["a"])
    assert set(loaded["shop"]) == {"a, b and c", 'say "hi"'}
    assert prepare(loaded).positives == 30


def test_comma_file_with_semicolons_and_quotes_in_text_keeps_commas():
    df = frame().assign(
        note=np.where(np.arange(200) % 2, "x; y; z", 'a "quoted"; b, c')
    )
    loaded = read_csv(csv_bytes(df))
    assert list(loaded.columns) == ["a", "b", "Class", "note"]
    assert set(loaded["note"]) == {"x; y; z", 'a "quoted"; b, c'}


def test_semicolon_file_with_decimal_commas_reads_numbers():
    df = frame()
    raw = csv_bytes(df, sep=";", decimal=",")
    loaded = read_csv(raw)
    assert pd.api.types.is_float_dtype(loaded["a"])
    np.testing.assert_allclose(loaded["a"], df["a"])
    assert any("decimal commas" in n for n in prepare(loaded).notes)


def test_whitespace_around_column_names_is_trimmed():
    loaded = read_csv(
        b" a , b ,  Class \n"
        + b"".join(f"{i}, {i % 5}, {int(i < 20)}\n".encode() for i in range(100))
    )
    assert list(loaded.columns) == ["a", "b", "Class"]
    assert prepare(loaded).positives == 20


def test_three_classes_with_positive_is_one_vs_rest():
    df = frame().assign(
        Class=np.where(
            np.arange(200) % 4 == 0,
            "fraud",
            np.where(np.arange(200) % 2, "ok", "review"),
        )
    )
    dataset = run_data_layer(csv_bytes(df), {"positive": "fraud"})
    assert dataset.positive_label == "fraud" and dataset.positives == 50
    assert any("one-vs-rest" in n for n in dataset.notes)


def test_positive_label_matches_whatever_the_number_format():
    df = frame().assign(
        Class=lambda f: f["Class"].astype(float)
    )  # 0.0 / 1.0 in the file
    assert run_data_layer(csv_bytes(df), {"positive": "1"}).positives == 30
    assert run_data_layer(csv_bytes(df), {}).positive_label == 1


def test_bool_labels_and_bool_features():
    df = frame().assign(Class=lambda f: f["Class"] == 1, flag=np.arange(200) % 2 == 0)
    dataset = run_data_layer(csv_bytes(df), {})
    assert dataset.positive_label in (True, "True") and dataset.positives == 30
    assert "flag" in dataset.feature_names


def test_nan_and_inf_features_are_imputed_with_a_note():
    df = frame()
    df.loc[[2, 5, 11], "a"] = np.nan
    df.loc[3, "b"] = np.inf
    df.loc[4, "b"] = -np.inf
    raw = csv_bytes(df)  # NaN is written as an empty field, ±inf as inf / -inf
    dataset = run_data_layer(raw, {})
    note = next(n for n in dataset.notes if "replaced by the training median" in n)
    assert note.startswith("5 missing or infinite values in ['a', 'b']")
    for X in (dataset.X_train, dataset.X_val, dataset.X_test):
        assert X.dtype == np.float32 and np.isfinite(X).all()


def test_an_all_empty_feature_column_is_dropped_with_a_note():
    df = frame().assign(empty=np.nan, blank="")
    dataset = run_data_layer(csv_bytes(df), {})
    assert dataset.feature_names == ["a", "b"]
    assert any("dropped ['empty', 'blank']: no values" in n for n in dataset.notes)


def test_huge_values_stay_finite():
    df = frame().assign(big=np.r_[1e300, -1e300, np.zeros(198)])
    dataset = run_data_layer(csv_bytes(df), {})
    assert all(
        np.isfinite(X).all() for X in (dataset.X_train, dataset.X_val, dataset.X_test)
    )


def test_categorical_text_features_alone_work():
    df = frame()[["Class"]].assign(
        colour=np.where(np.arange(200) % 3, "red", "blue"), size=np.arange(200) % 4
    )
    df["size"] = df["size"].map({0: "S", 1: "M", 2: "L", 3: "XL"})
    dataset = run_data_layer(csv_bytes(df), {})
    assert {"colour=red", "colour=blue", "size=S", "size=XL"} <= set(
        dataset.feature_names
    )


def test_hostile_column_names_load_verbatim():
    df = frame()
    df.columns = [*HOSTILE, "Class"]
    loaded = read_csv(csv_bytes(df))
    assert list(loaded.columns) == [*HOSTILE, "Class"]
    cat = run_data_layer(csv_bytes(df.assign(**{"<b>x</b>": "=1+1"})), {})
    assert cat.feature_names[:2] == HOSTILE
    assert (
        "<b>x</b>==1+1" in cat.feature_names
    )  # escaping is the UI's and the report's job


def test_file_size_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(data._csv, "MAX_UPLOAD_MB", 0.01)  # 10,485 bytes
    limit = int(0.01 * 1024 * 1024)
    small = csv_bytes(frame(rows=100, positives=20))
    assert len(small) < limit
    read_csv(small)  # under the cap: fine
    over = small + b"".join(f"{i},{i},0\n".encode() for i in range(2000))
    over = over[: over.rindex(b"\n", 0, limit + 100) + 1]
    assert limit < len(over) <= limit + 100
    for source in (over, io.BytesIO(over)):
        with pytest.raises(
            InputError, match=r"over the 0\.01 MB limit; use a sample of its rows"
        ):
            read_csv(source)
    path = tmp_path / "big.csv"
    path.write_bytes(over)
    with pytest.raises(InputError, match=r"big\.csv is over the 0\.01 MB limit"):
        read_csv(path)


def test_uploads_are_parsed_in_memory_never_written(tmp_path):
    raw = good_csv()
    read_csv(raw)  # warm up lazy imports, which open files legitimately
    opened: list = []

    def audit(event, args):
        if event in ("open", "os.open") and watching:
            opened.append(args)

    watching = False
    sys.addaudithook(
        audit
    )  # an audit hook sees every open() of any kind; it cannot be removed
    try:
        watching = True
        loaded = read_csv(raw, name="upload.csv")
        dataset = prepare(loaded, source="upload.csv")
        loaded_from_file_object = read_csv(io.BytesIO(raw), name="upload.csv")
    finally:
        watching = False
    assert opened == []
    assert dataset.rows == 200 and loaded_from_file_object.shape == (200, 3)


# ------------------------------------------------------------------ the CLI
def _cli_in_process(args: list[str], capsys) -> tuple[int, str]:
    # Imported here, so the data-layer tests never depend on the CLI module.
    from imbal_core import cli

    capsys.readouterr()
    try:
        code = cli.main(args)
    except (
        SystemExit
    ) as exc:  # argparse's errors exit from inside parse_args, as in a real run
        code = exc.code
    return code, capsys.readouterr().err


def _cli_subprocess(args: list[str], cwd: Path) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "imbal_core", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=900,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return done.returncode, done.stderr


def assert_cli_error(code: int, stderr: str, message: str) -> None:
    """Exit 2; one ``error:`` line that matches; nothing else but TensorFlow import noise."""
    assert code == 2, stderr
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1, stderr
    assert re.search(message, errors[0]), errors[0]
    others = [line for line in lines if not line.startswith("error: ")]
    assert all(TF_LOG.match(line) for line in others), stderr


HYPER_CASES: dict[str, tuple[list[str], str]] = {
    "epochs 0": (["--epochs", "0"], r"epochs must be between 1 and 1000"),
    "alpha above 1": (["--alpha", "1.5"], r"alpha must be between 0(\.0)? and 1(\.0)?"),
    "alpha below 0": (
        ["--alpha", "-0.1"],
        r"alpha must be between 0(\.0)? and 1(\.0)?",
    ),
    "gamma below 0": (["--gamma", "-1"], r"gamma must be between 0(\.0)? and"),
    "k_neighbors 0": (["--k-neighbors", "0"], r"k_neighbors must be between 1 and"),
    "n_estimators 0": (["--n-estimators", "0"], r"n_estimators must be between 1 and"),
    "fractional epochs": (
        ["--epochs", "1.5"],
        r"epochs must be a whole number|argument --epochs: invalid int value: '1\.5'",
    ),
    "unknown technique": (
        ["--techniques", "baseline,smoet"],
        r"unknown technique 'smoet'; choose from baseline, class_weight",
    ),
    "threshold above 1": (
        ["--threshold", "1.5"],
        r"argument --threshold: the threshold must be between 0 and 1, got 1\.5",
    ),
    "threshold below 0": (
        ["--threshold", "-0.2"],
        r"argument --threshold: the threshold must be between 0 and 1",
    ),
    "recall target above 1": (
        ["--threshold", "recall=1.2"],
        r"argument --threshold: the recall target must be in \(0, 1\], got 1\.2",
    ),
    "unknown operating point": (
        ["--threshold", "precision=0.9"],
        r"argument --threshold: unknown operating point 'precision'; choose from",
    ),
    "threshold not a number": (
        ["--threshold", "high"],
        r"argument --threshold: .*'high'",
    ),
    "test size out of range": (
        ["--test-size", "0.9"],
        r"test size must be between 0\.05 and 0\.5",
    ),
}

# Representative cases that also cross a real process boundary (one per error kind).
SUBPROCESS_DATA = ["row with an extra field", "png image", "target column missing"]
SUBPROCESS_HYPER = ["alpha above 1", "threshold above 1"]


@pytest.fixture(scope="module")
def good_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("good") / "good.csv"
    path.write_bytes(good_csv())  # 200 rows -> 128 train, 32 validation, 40 test
    return path


def _data_args(tmp: Path, case: str) -> tuple[list[str], str]:
    raw, options, message = DATA_CASES[case]
    path = tmp / (re.sub(r"\W+", "_", case) + ".csv")
    path.write_bytes(raw)
    args = ["train", "--data", str(path), "--epochs", "1"]
    for key, value in options.items():
        args += [f"--{key.replace('_', '-')}", str(value)]
    return [*args, "--out", str(tmp / "r.json")], message


@pytest.mark.parametrize("case", list(DATA_CASES))
def test_cli_bad_data_is_exit_2_with_one_error_line(case, tmp_path, capsys):
    args, message = _data_args(tmp_path, case)
    code, stderr = (
        _cli_subprocess(args, tmp_path) if FULL_CLI else _cli_in_process(args, capsys)
    )
    assert_cli_error(code, stderr, message)
    assert not (tmp_path / "r.json").exists()


@pytest.mark.parametrize("case", list(HYPER_CASES))
def test_cli_bad_option_stops_before_any_training(case, good_file, tmp_path, capsys):
    extra, message = HYPER_CASES[case]
    args = [
        "train",
        "--data",
        str(good_file),
        "--epochs",
        "1",
        *extra,
        "--out",
        str(tmp_path / "r.json"),
    ]
    code, stderr = (
        _cli_subprocess(args, tmp_path) if FULL_CLI else _cli_in_process(args, capsys)
    )
    assert_cli_error(code, stderr, message)
    assert "epoch 1/" not in stderr and "[baseline" not in stderr  # nothing trained
    assert not (tmp_path / "r.json").exists()


def test_cli_missing_file(tmp_path, capsys):
    args = [
        "train",
        "--data",
        str(tmp_path / "nope.csv"),
        "--epochs",
        "1",
        "--out",
        str(tmp_path / "r.json"),
    ]
    assert_cli_error(
        *_cli_in_process(args, capsys), r"no file at '.*nope\.csv'; check the path"
    )


# ---- real subprocesses, started together so their TensorFlow imports overlap
def _smote_starved_csv(path: Path) -> None:
    # 8 positives in 400 rows: the training split gets 5, and SMOTE's default k_neighbors=5 needs 6.
    path.write_bytes(csv_bytes(frame(rows=400, positives=8, seed=5)))


@pytest.fixture(scope="module")
def subprocess_runs(tmp_path_factory, good_file) -> dict[str, tuple[int, str, Path]]:
    """Every subprocess this module needs, run 3 at a time: {case: (exit code, stderr, out path)}."""
    tmp = tmp_path_factory.mktemp("cli")
    jobs: dict[str, list[str]] = {}
    for case in SUBPROCESS_DATA:
        args, _ = _data_args(tmp, case)
        jobs[case] = [*args[:-1], str(tmp / f"{len(jobs)}.json")]
    for case in SUBPROCESS_HYPER:
        jobs[case] = [
            "train",
            "--data",
            str(good_file),
            "--epochs",
            "1",
            *HYPER_CASES[case][0],
            "--out",
            str(tmp / f"{len(jobs)}.json"),
        ]
    jobs["missing file"] = [
        "train",
        "--data",
        str(tmp / "nope.csv"),
        "--out",
        str(tmp / "missing.json"),
    ]
    _smote_starved_csv(tmp / "starved.csv")
    jobs["smote starved"] = [
        "train",
        "--data",
        str(tmp / "starved.csv"),
        "--epochs",
        "1",
        "--n-estimators",
        "2",
        "--batch-size",
        "64",
        "--out",
        str(tmp / "starved.json"),
    ]
    fraud_frame().to_csv(tmp / "fraud.csv", index=False)
    jobs["string labels"] = [
        "train",
        "--data",
        str(tmp / "fraud.csv"),
        "--target",
        "label",
        "--epochs",
        "1",
        "--n-estimators",
        "2",
        "--out",
        str(tmp / "fraud.json"),
    ]
    order = [
        "string labels",
        "smote starved",
        *[k for k in jobs if k not in ("string labels", "smote starved")],
    ]
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {
            case: pool.submit(_cli_subprocess, jobs[case], tmp) for case in order
        }
        return {
            case: (*future.result(), Path(jobs[case][-1]))
            for case, future in futures.items()
        }


@pytest.mark.parametrize("case", SUBPROCESS_DATA + SUBPROCESS_HYPER)
@pytest.mark.slow
def test_subprocess_bad_input_is_exit_2_with_one_error_line(case, subprocess_runs):
    code, stderr, out = subprocess_runs[case]
    message = DATA_CASES[case][2] if case in DATA_CASES else HYPER_CASES[case][1]
    assert_cli_error(code, stderr, message)
    assert not out.exists()


def test_subprocess_missing_file(subprocess_runs):
    code, stderr, out = subprocess_runs["missing file"]
    assert_cli_error(code, stderr, r"no file at '.*nope\.csv'; check the path")


def test_smote_fails_alone_when_the_minority_is_smaller_than_k(
    subprocess_runs, tmp_path
):
    code, stderr, out = subprocess_runs["smote starved"]
    assert code == 0, stderr
    assert "Traceback" not in stderr
    _smote_starved_csv(tmp_path / "starved.csv")
    train_positives = int(data.load_source(str(tmp_path / "starved.csv")).y_train.sum())
    assert train_positives <= 5  # the premise: k_neighbors=5 cannot work
    results = json.loads(out.read_text())["techniques"]
    assert set(results) == set(techniques.DEFAULT)
    smote = results["smote"]
    assert smote["status"] == "failed"
    assert f"the training split has {train_positives}" in smote["error"]
    assert (
        "k_neighbors=5" in smote["error"]
        and f"lower k_neighbors to {train_positives - 1}" in smote["error"]
    )
    assert_one_line(smote["error"])
    others = {name: r["status"] for name, r in results.items() if name != "smote"}
    assert set(others.values()) == {"ok"}, others
    assert "failed: smote" in stderr


def test_string_labels_with_a_category_train_all_seven_techniques(subprocess_runs):
    code, stderr, out = subprocess_runs["string labels"]
    assert code == 0, stderr
    assert "Traceback" not in stderr
    result = json.loads(out.read_text())
    assert (
        result["dataset"]["positive_label"] == "fraud"
        and result["dataset"]["positives"] == 150
    )
    assert [n for n in result["techniques"]] == list(techniques.DEFAULT)
    for name, technique in result["techniques"].items():
        assert technique["status"] == "ok", (name, technique.get("error"))
        assert 0.0 <= technique["pr_auc"] <= 1.0
    notes = [line for line in stderr.splitlines() if line.startswith("note: ")]
    assert "note: positive label inferred as the minority class 'fraud'" in notes
    assert "note: 'merchant' one-hot encoded into 5 columns" in notes


def test_nan_features_train_with_a_visible_note(tmp_path, capsys):
    """NaN/inf features: imputed, the CLI prints the note, and training works."""
    df = frame(rows=300, positives=40)
    df.loc[::7, "a"] = np.nan
    df.loc[3, "b"] = np.inf
    path = tmp_path / "holes.csv"
    path.write_bytes(csv_bytes(df))
    out = tmp_path / "r.json"
    code, stderr = _cli_in_process(
        [
            "train",
            "--data",
            str(path),
            "--techniques",
            "baseline",
            "--epochs",
            "1",
            "--batch-size",
            "64",
            "--out",
            str(out),
        ],
        capsys,
    )
    assert code == 0, stderr
    assert re.search(
        r"^note: 44 missing or infinite values in \['a', 'b'\] replaced by the training median$",
        stderr,
        re.M,
    ), stderr
    assert json.loads(out.read_text())["techniques"]["baseline"]["status"] == "ok"
