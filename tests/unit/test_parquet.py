"""Parquet input (issue 23): read like a CSV, with the same checks and one-line errors."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from imbal_core.data import load_source, make_demo, prepare, read_table
from imbal_core.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


def parquet_bytes(table: pa.Table | pd.DataFrame) -> bytes:
    if isinstance(table, pd.DataFrame):
        table = pa.Table.from_pandas(table, preserve_index=False)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def test_a_parquet_file_reads_as_the_same_table_as_its_csv():
    frame = make_demo(rows=1000, positives=30, seed=2)
    from_parquet = read_table(parquet_bytes(frame), "demo.parquet")
    from_csv = read_table(frame.to_csv(index=False).encode(), "demo.csv")
    pd.testing.assert_frame_equal(from_parquet, from_csv, check_dtype=False)
    a = prepare(from_parquet, source="demo.parquet")
    b = prepare(from_csv, source="demo.csv")
    assert (
        np.allclose(a.X_train, b.X_train, atol=1e-5)
        and a.positives == b.positives == 30
    )


def test_dates_become_seconds_and_categories_text(tmp_path):
    frame = make_demo(rows=600, positives=30, seed=3)[["V1", "V2", "Class"]]
    frame["when"] = pd.date_range("2026-01-01", periods=600, freq="min", tz="UTC")
    frame["channel"] = pd.Categorical(["web", "shop", "phone"] * 200)
    path = tmp_path / "typed.parquet"
    path.write_bytes(parquet_bytes(frame))
    read = read_table(path)
    assert read["when"].iloc[1] - read["when"].iloc[0] == 60.0
    assert read["channel"].dtype == object
    assert read.attrs["notes"] == [
        "typed.parquet: read the dates in 'when' as seconds since 1970"
    ]
    dataset = load_source(str(path), time_column="when")
    assert dataset.split == "time-ordered by when"
    assert "'channel' one-hot encoded into 3 columns" in dataset.notes


@pytest.mark.parametrize(
    "raw, name, expected",
    [
        (lambda: parquet_bytes(make_demo(rows=300))[:400], "cut.parquet",
         "cut.parquet is not a readable Parquet file ("),
        (lambda: b"a,b\n1,2\n", "named.parquet",
         "named.parquet is named like a Parquet file but does not start like one"),
        (lambda: parquet_bytes(pa.table({"x": [[1, 2], [3]], "Class": [0, 1]})),
         "nested.parquet", "nested.parquet: column 'x' holds lists or records"),
        (lambda: parquet_bytes(pa.table({"Class": [0, 1]})), "one.parquet",
         "one.parquet has one column only"),
        (lambda: parquet_bytes(pa.table({"a": pa.array([], pa.float64()),
                                         "Class": pa.array([], pa.int64())})),
         "empty.parquet", "empty.parquet has columns but no rows"),
        (lambda: parquet_bytes(pa.Table.from_arrays([pa.array([1, 2]), pa.array([0, 1])],
                                                    names=["a", "a"])),
         "twice.parquet", "twice.parquet has duplicate column names ['a']"),
    ],
)  # fmt: skip
def test_a_bad_parquet_file_is_one_clear_line(raw, name, expected):
    with pytest.raises(InputError) as caught:
        read_table(raw(), name)
    message = str(caught.value)
    assert message.startswith(expected) and "\n" not in message


def test_the_cli_trains_on_a_parquet_file(tmp_path):
    path = tmp_path / "train.parquet"
    path.write_bytes(parquet_bytes(make_demo(rows=2000, positives=40, seed=5)))
    done = subprocess.run(
        [sys.executable, "-m", "imbal_core", "train", "--data", str(path),
         "--techniques", "baseline", "--models", "logistic", "--no-store",
         "--executor", "inline",
         "--out", str(tmp_path / "r.json")],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "data: train.parquet: 2,000 rows, 40 positive" in done.stderr
