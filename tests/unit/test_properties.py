"""Property-based tests of loading and validation: any input gives a Dataset or an InputError.

Random small tables (weird column names, ints, floats with NaN/±inf, text, bools,
label columns with 0..4 classes) written as CSV with a random delimiter and
encoding either prepare into a Dataset whose arrays are finite float32 with both
classes in every split, or raise InputError with a one-line message; never
anything else. Random bytes into ``read_csv`` give a DataFrame or an InputError.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from imbal_core.data import Dataset, prepare, read_csv
from imbal_core.errors import InputError

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

WEIRD_NAMES = [
    "",
    " ",
    "Class",
    "a,b",
    'say "hi"',
    "x\ny",
    "tab\there",
    "é",
    "Ünïcødé",
    "🙂",
    "名前",
    "=cmd|' /C calc'!A0",
    "<script>alert(1)</script>",
    "NaN",
    "1.5",
    "a;b",
    "a|b",
    "\u2028",
]
column_names = st.one_of(st.sampled_from(WEIRD_NAMES), st.text(max_size=6))

floats = st.floats(allow_nan=True, allow_infinity=True, width=64)
cells = {
    "int": st.integers(-(2**40), 2**40),
    "float": st.one_of(floats, st.floats(-1e3, 1e3)),
    "text": st.one_of(
        st.sampled_from(["red", "green", "blue", "", "NA", "é", "a,b", '"q"']),
        st.text(max_size=5),
    ),
    "bool": st.booleans(),
    "mostly empty": st.one_of(st.none(), st.just(1.5)),
}
LABEL_POOLS = {
    "int": [0, 1, 2, 3],
    "text": ["legit", "fraud", "review", "chargeback"],
    "float": [0.0, 1.0, 0.5, 2.5],
    "bool": [False, True],
}


@st.composite
def tables(draw) -> tuple[bytes, object]:
    # Biased towards tables that can work (enough rows, two classes) so both outcomes are common.
    rows = draw(st.one_of(st.integers(0, 60), st.integers(25, 60)))
    features = draw(
        st.lists(
            st.tuples(column_names, st.sampled_from(list(cells))),
            min_size=1,
            max_size=4,
        )
    )
    data = {}
    for name, kind in features:
        data[name] = draw(st.lists(cells[kind], min_size=rows, max_size=rows))
    pool = LABEL_POOLS[draw(st.sampled_from(list(LABEL_POOLS)))]
    n_classes = min(len(pool), draw(st.sampled_from([0, 1, 2, 2, 2, 3, 4])))
    if n_classes == 0:
        labels = [None] * rows
    else:
        labels = draw(
            st.lists(st.sampled_from(pool[:n_classes]), min_size=rows, max_size=rows)
        )
    data["Class"] = (
        labels  # a feature called "Class" is replaced: to_csv needs unique names
    )
    frame = pd.DataFrame(data)
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    text = frame.to_csv(index=False, sep=sep)
    encoding = draw(st.sampled_from(["utf-8", "latin-1", "utf-16"]))
    raw = text.encode(encoding, errors="replace")
    positive = draw(st.one_of(st.none(), st.sampled_from([str(v) for v in pool])))
    return raw, positive


def check_dataset(dataset: Dataset) -> None:
    splits = [
        (dataset.X_train, dataset.y_train),
        (dataset.X_val, dataset.y_val),
        (dataset.X_test, dataset.y_test),
    ]
    for X, y in splits:
        assert X.dtype == np.float32 and X.ndim == 2
        assert X.shape == (len(y), len(dataset.feature_names))
        assert np.isfinite(X).all()
        assert set(np.unique(y)) == {0, 1}  # both classes in every split
    assert sum(len(y) for _, y in splits) == dataset.rows
    assert all(isinstance(n, str) for n in dataset.feature_names)


def assert_user_message(error: InputError) -> None:
    message = str(error)
    assert message.strip() and "\n" not in message and "Traceback" not in message, (
        message
    )


@SETTINGS
@given(tables())
def test_any_table_prepares_or_raises_input_error(table):
    raw, positive = table
    try:
        dataset = prepare(
            read_csv(raw, name="random.csv"), source="random.csv", positive=positive
        )
    except InputError as error:
        assert_user_message(error)
        event(f"InputError: {_kind(error)}")
        return
    event("prepared a Dataset")
    check_dataset(dataset)


def _kind(error: InputError) -> str:
    # The message minus names and numbers, so --hypothesis-show-statistics groups by cause.
    return re.sub(
        r"'[^']*'|\[[^\]]*\]|\d+", "_", str(error).split(":")[0].split(";")[0]
    )[:60]


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes_read_or_raise_input_error(raw):
    try:
        frame = read_csv(raw, name="noise.bin")
    except InputError as error:
        assert_user_message(error)
        return
    assert (
        isinstance(frame, pd.DataFrame) and frame.shape[0] >= 1 and frame.shape[1] >= 2
    )


@SETTINGS
@given(st.binary(max_size=300), st.sampled_from([b"a,b,Class\n", b"a;b;Class\n", b""]))
def test_csv_like_bytes_prepare_or_raise_input_error(tail, head):
    """A real header followed by noise: the ragged/binary/odd-row paths, end to end."""
    raw = head + b"1,2,0\n" * 6 + b"3,4,1\n" * 6 + tail
    try:
        dataset = prepare(read_csv(raw), source="noise")
    except InputError as error:
        assert_user_message(error)
        return
    check_dataset(dataset)


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_a_valid_table_survives_every_delimiter_and_encoding(sep):
    """The generator's happy path really loads (so the properties above are not all errors)."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "é x": rng.normal(size=60),
            "🙂": rng.choice(["a", "b"], 60),
            "Class": [0, 1] * 30,
        }
    )
    for encoding in ("utf-8", "utf-16"):
        dataset = prepare(read_csv(frame.to_csv(index=False, sep=sep).encode(encoding)))
        check_dataset(dataset)
        assert dataset.feature_names == [
            "é x",
            "🙂=a",
            "🙂=b",
        ] or dataset.feature_names == ["é x", "🙂=b", "🙂=a"]
