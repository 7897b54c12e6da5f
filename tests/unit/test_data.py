import numpy as np
import pandas as pd
import pytest

from imbal_core import data
from imbal_core.data import load_creditcard, make_demo, prepare, read_csv
from imbal_core.errors import InputError


def _frame(rows=600, positives=60, seed=0):
    rng = np.random.default_rng(seed)
    label = np.array(["legit"] * (rows - positives) + ["fraud"] * positives)
    rng.shuffle(label)
    return pd.DataFrame(
        {
            "amount": rng.gamma(2, 30, rows),
            "merchant": rng.choice(["shop", "fuel", "travel"], rows),
            "score": rng.normal(size=rows) + (label == "fraud"),
            "label": label,
        }
    )


def test_demo_has_the_creditcard_schema_size_and_ratio():
    frame = make_demo()
    assert list(frame.columns) == data.CREDITCARD_COLUMNS
    assert len(frame) == 284_807 and int(frame["Class"].sum()) == 492
    assert make_demo(rows=5000, seed=1).equals(make_demo(rows=5000, seed=1))


def test_string_labels_and_categorical_columns():
    ds = prepare(_frame(), target="label", source="t.csv")
    assert ds.positive_label == "fraud"  # the minority, and the output says so
    assert any("minority class 'fraud'" in n for n in ds.notes)
    assert {"merchant=shop", "merchant=fuel", "merchant=travel"} <= set(
        ds.feature_names
    )
    assert any("one-hot" in n for n in ds.notes)
    assert ds.X_train.dtype == np.float32 and ds.positives == 60


def test_explicit_positive_label_and_zero_one_default():
    assert prepare(_frame(), target="label", positive="legit").positive_label == "legit"
    frame = _frame().assign(label=lambda f: (f["label"] == "fraud").astype(int))
    assert prepare(frame, target="label").positive_label == 1


def test_split_is_stratified_validation_carved_before_resampling_and_scaled_on_train():
    ds = prepare(make_demo(rows=20_000, seed=2), source="demo", drop=("Time",))
    assert (
        len(ds.y_test) == 4000 and len(ds.y_val) == 3200 and len(ds.y_train) == 12_800
    )
    rates = [y.mean() for y in (ds.y_train, ds.y_val, ds.y_test)]
    assert max(rates) - min(rates) < 0.002
    np.testing.assert_allclose(ds.X_train.mean(axis=0), 0, atol=1e-3)
    assert "Time" not in ds.feature_names and len(ds.feature_names) == 29


def test_time_ordered_split_trains_on_the_past():
    frame = make_demo(rows=6000, positives=120, seed=4)
    ds = prepare(frame, source="demo", time_column="Time")
    assert ds.split.startswith("time-ordered")
    times = frame["Time"].to_numpy()
    index = {name: i for i, name in enumerate(ds.feature_names)}
    t = index["Time"]
    assert ds.X_train[:, t].max() <= ds.X_val[:, t].min() <= ds.X_test[:, t].min()
    assert len(ds.y_test) == round(len(times) * 0.2)


def test_creditcard_loader_reads_a_local_file(tmp_path, monkeypatch):
    path = tmp_path / "creditcard.csv"
    make_demo(rows=1500, positives=30, seed=5).to_csv(path, index=False)
    monkeypatch.setenv("IMBAL_CREDITCARD_CSV", str(path))
    frame = load_creditcard()
    assert list(frame.columns) == data.CREDITCARD_COLUMNS and len(frame) == 1500
    ds = data.load_source("creditcard")
    assert ds.source == "creditcard" and "Time" not in ds.feature_names
    assert data.available_creditcard_path() == str(path)


def test_creditcard_loader_says_how_to_get_the_file_when_offline(tmp_path, monkeypatch):
    monkeypatch.delenv("IMBAL_CREDITCARD_CSV", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="kaggle.com/datasets/mlg-ulb/creditcardfraud"):
        load_creditcard(data_home=tmp_path)


def test_fingerprint_changes_with_the_data_and_the_settings():
    frame = _frame()
    a = prepare(frame, target="label").fingerprint
    assert a == prepare(frame.copy(), target="label").fingerprint
    assert a != prepare(frame, target="label", positive="legit").fingerprint
    changed = frame.copy()
    changed.loc[0, "score"] += 1
    assert a != prepare(changed, target="label").fingerprint


def test_read_csv_accepts_bytes_and_file_objects(tmp_path):
    text = _frame(rows=50, positives=10).to_csv(index=False)
    assert read_csv(text.encode()).shape == (50, 4)
    path = tmp_path / "x.csv"
    path.write_text(text)
    with path.open("rb") as handle:
        assert read_csv(handle).shape == (50, 4)


def test_a_bare_carriage_return_is_a_line_end_not_a_crash():
    # Found by hypothesis: csv.reader raised its own error, not a one-line InputError;
    # read like pandas does, a lone carriage return ends a line.
    with pytest.raises(InputError, match="has a header but no data rows"):
        read_csv(b"\r!")
    rows = b"1,2,0\n" * 6 + b"3,4,1\n" * 6
    with pytest.raises(InputError, match="line 15 has 1 fields but the header has 3"):
        read_csv(b"a,b,Class\n" + rows + b"\r!")
