"""Contract tests run over every registered technique: a new file in
imbal_core/techniques/ is tested here with no other edit."""

from pathlib import Path

import numpy as np
import pytest

from imbal_core import models, techniques
from imbal_core.data import make_demo, prepare
from imbal_core.errors import InputError
from imbal_core.techniques import PARTS, REGISTRY

FAST = {"epochs": 1, "batch_size": 128, "n_estimators": 2}


@pytest.fixture(scope="module")
def data():
    return prepare(
        make_demo(rows=2500, positives=80, seed=3), source="demo", drop=("Time",)
    )


def _make(name, seed=7):
    cls = REGISTRY[name]
    own = {p.name: FAST[p.name] for p in cls.params if p.name in FAST}
    return techniques.create(name, seed=seed, epochs=1, batch_size=128, **own)


def test_every_module_registers_exactly_one_technique_or_part():
    folder = Path(techniques.__file__).parent
    modules = {
        f"{p.parent.name}.{p.stem}" if p.parent != folder else p.stem
        for p in [*folder.glob("*.py"), *folder.glob("*/*.py")]
        if not p.stem.startswith("_") and p.stem not in {"base", "parts", "recipe"}
    }
    found = [cls.__module__ for cls in REGISTRY.values() if not cls.__name__ == "Recipe"]
    found += [type(part).__module__ for part in PARTS.values()]
    assert sorted(m.split("techniques.", 1)[1] for m in found) == sorted(modules)
    assert len(REGISTRY) >= 25 and set(PARTS) <= set(REGISTRY)


def test_a_hyperparameter_name_has_one_definition():
    """One name, one range, one default: the CLI has one flag and the page one box each."""
    by_name = {}
    for param in techniques.params_and_owners():
        assert by_name.setdefault(param.name, param) == param, param.name


@pytest.mark.parametrize("name", list(REGISTRY))
def test_declares_what_the_ui_and_cli_need(name):
    cls = REGISTRY[name]
    assert cls.name == name and cls.label and cls.summary and cls.reference
    assert cls.group in techniques.GROUPS
    for param in cls.params:
        assert param.low <= param.default <= param.high and param.help
        assert param.name not in {p.name for p in models.all_params()}
        with pytest.raises(InputError):
            param.check(param.high + 1)


@pytest.mark.parametrize("name", list(REGISTRY))
def test_trains_on_train_only_and_is_reproducible(name, data):
    before = {
        k: getattr(data, k).copy()
        for k in ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test")
    }
    first = _make(name).fit(data.X_train, data.y_train)
    proba = first.predict_proba(data.X_test)
    assert proba.shape == (len(data.y_test),)
    assert np.all((proba >= 0) & (proba <= 1)) and np.all(np.isfinite(proba))
    # Resampling happens on a copy of the training split: no split is touched.
    for key, value in before.items():
        np.testing.assert_array_equal(getattr(data, key), value)
    counts = first.train_class_counts_
    assert counts["positive"] > 0 and counts["negative"] > 0
    assert first.fit_seconds_ > 0
    again = _make(name).fit(data.X_train, data.y_train).predict_proba(data.X_test)
    np.testing.assert_allclose(again, proba, atol=1e-6)


def test_resampling_techniques_report_the_rows_they_trained_on(data):
    positives = int(data.y_train.sum())
    negatives = len(data.y_train) - positives
    under = _make("undersampling").fit(data.X_train, data.y_train).train_class_counts_
    over = _make("oversampling").fit(data.X_train, data.y_train).train_class_counts_
    assert under == {"negative": positives, "positive": positives}
    assert over == {"negative": negatives, "positive": negatives}
    assert _make("baseline").fit(data.X_train, data.y_train).train_class_counts_ == {
        "negative": negatives,
        "positive": positives,
    }


def test_different_seeds_give_different_models(data):
    a = (
        _make("baseline", seed=1)
        .fit(data.X_train, data.y_train)
        .predict_proba(data.X_test)
    )
    b = (
        _make("baseline", seed=2)
        .fit(data.X_train, data.y_train)
        .predict_proba(data.X_test)
    )
    assert not np.allclose(a, b)


def test_unknown_hyperparameter_and_technique_are_one_line_errors():
    with pytest.raises(InputError, match="no hyperparameter 'gama'"):
        techniques.create("focal_loss", gama=2)
    with pytest.raises(InputError, match="unknown technique 'smoet'; choose from baseline"):
        techniques.get("smoet")


def test_smote_without_enough_minority_rows_says_what_k_needs():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4)).astype(np.float32)
    y = np.zeros(200, dtype=int)
    y[:4] = 1
    with pytest.raises(
        InputError, match="training split has 4; lower k_neighbors to 3"
    ):
        techniques.create("smote", epochs=1, batch_size=32).fit(X, y)
