"""The catalogue: every sampler resamples as it says, every objective computes its
formula, and recipes join parts (a new part file is tested here with no other edit)."""

import math

import numpy as np
import pytest

from imbal_core import techniques
from imbal_core.data import make_demo, prepare
from imbal_core.errors import InputError
from imbal_core.techniques import PARTS
from imbal_core.techniques.parts import effective_number

SAMPLERS = [name for name, part in PARTS.items() if part.role == "sampler"]
FAST = {"epochs": 1, "batch_size": 128}


@pytest.fixture(scope="module")
def data():
    return prepare(
        make_demo(rows=2500, positives=80, seed=3), source="demo", drop=("Time",)
    )


@pytest.mark.parametrize("name", SAMPLERS)
def test_a_sampler_moves_the_training_rows_towards_balance(name, data):
    part = PARTS[name]
    X, y = data.X_train.copy(), data.y_train.copy()
    X_res, y_res = part.resample(techniques.create(name, seed=1), X, y)
    np.testing.assert_array_equal(X, data.X_train)  # a copy is resampled
    before, after = np.bincount(y, minlength=2), np.bincount(y_res, minlength=2)
    assert X_res.shape == (len(y_res), X.shape[1]) and np.isfinite(X_res).all()
    assert after[1] / after[0] >= before[1] / before[0]  # the minority's share grows
    if part.group == "over":
        assert after[0] == before[0] and after[1] > before[1]
    elif part.group == "under":
        assert after[1] == before[1] and after[0] <= before[0]
    else:  # combined: SMOTE first, then cleaning of both classes
        assert after[1] > before[1]
    assert part.estimated_seconds(len(y)) >= 0


def test_the_cost_guard_grows_with_the_declared_power():
    svm = PARTS["svm_smote"]
    assert svm.estimated_seconds(20_000) == pytest.approx(
        4 * svm.estimated_seconds(10_000)
    )
    rows = PARTS["oversampling"]
    assert rows.estimated_seconds(20_000) == pytest.approx(
        2 * rows.estimated_seconds(10_000)
    )


# ------------------------------------------------------------- the formulas
def _loss(loss, y, z):
    import keras

    value = loss(
        keras.ops.convert_to_tensor(np.float32(y)[:, None]), np.float32(z)[:, None]
    )
    return float(keras.ops.convert_to_numpy(value))


Y = np.array([1, 0, 1, 0, 0, 1], dtype=float)
Z = np.array([2.5, -1.0, -0.3, 0.7, -4.0, 30.0])


def _bce(y, z):
    return float(np.mean(np.logaddexp(0, -z) * y + np.logaddexp(0, z) * (1 - y)))


def test_focal_loss_with_gamma_0_and_no_balancing_is_cross_entropy():
    from imbal_core.losses import FocalLoss

    plain = FocalLoss(gamma=0.0, apply_class_balancing=False)
    assert _loss(plain, Y, Z) == pytest.approx(_bce(Y, Z), rel=1e-5)
    # And with gamma: alpha_t (1 - p_t)^gamma (-log p_t), by hand.
    p = 1 / (1 + np.exp(-Z))
    p_t = np.where(Y == 1, p, 1 - p)
    alpha_t = np.where(Y == 1, 0.25, 0.75)
    by_hand = np.mean(alpha_t * (1 - p_t) ** 2 * -np.log(np.clip(p_t, 1e-30, 1)))
    assert _loss(FocalLoss(gamma=2.0, alpha=0.25), Y, Z) == pytest.approx(
        by_hand, rel=1e-4
    )


def test_class_balanced_weights_are_the_effective_number_formula():
    counts = np.array([227_451, 394])
    beta = 0.999
    raw = [(1 - beta) / (1 - beta**n) for n in counts]
    expected = [w * 2 / sum(raw) for w in raw]
    got = effective_number(counts, beta)
    assert [got[0], got[1]] == pytest.approx(expected)
    assert effective_number(counts, 0.0) == {0: 1.0, 1: 1.0}  # beta 0: plain loss
    tech = techniques.create("class_balanced", beta=beta)
    assert PARTS["class_balanced"].class_weight(tech, counts) == got


def test_logit_adjustment_is_cross_entropy_on_the_shifted_logit():
    counts = np.array([900, 100])
    tech = techniques.create("logit_adjusted", tau=1.5)
    loss = PARTS["logit_adjusted"].loss(tech, counts)
    shift = 1.5 * math.log(100 / 900)
    assert _loss(loss, Y, Z) == pytest.approx(_bce(Y, Z + shift), rel=1e-5)


def test_ldam_lowers_each_rows_own_logit_by_its_class_margin():
    counts = np.array([900, 100])
    tech = techniques.create("ldam_drw", max_margin=0.5, epochs=10, drw_share=0.8)
    part = PARTS["ldam_drw"]
    margins = counts**-0.25 * 0.5 / (100**-0.25)  # the rare class gets max_margin
    z_t = np.where(Y == 1, Z - margins[1], -Z - margins[0])
    assert _loss(part.loss(tech, counts), Y, Z) == pytest.approx(
        float(np.mean(np.logaddexp(0, -z_t))), rel=1e-5
    )
    assert part.weights_from_epoch(tech) == 8  # deferred re-weighting
    assert part.class_weight(tech, counts) == effective_number(counts, tech.beta)


def test_prior_bias_starts_the_network_at_the_training_prior(data):
    from imbal_core.model import warm_network

    counts = np.bincount(data.y_train)
    bias = PARTS["prior_bias"].output_bias(None, counts)
    assert bias == pytest.approx(math.log(counts[1] / counts[0]))
    network = warm_network(data.X_train.shape[1])
    network.reset(3, output_bias=bias)
    assert float(network.model.layers[-1].bias.numpy()[0]) == pytest.approx(bias)
    network.reset(3)
    assert float(network.model.layers[-1].bias.numpy()[0]) == 0.0


def test_deferred_weights_apply_only_from_their_epoch(data):
    from imbal_core.model import warm_network

    network = warm_network(data.X_train.shape[1])
    heavy = {0: 1.0, 1: 50.0}

    def proba(**kw):
        trained = network.fit(
            data.X_train, data.y_train, seed=5, epochs=2, batch_size=256, **kw
        )
        return network.predict(trained.weights, data.X_test)

    unweighted = proba()
    assert np.allclose(proba(class_weight=heavy, weights_from_epoch=2), unweighted)
    assert not np.allclose(proba(class_weight=heavy, weights_from_epoch=1), unweighted)


# ------------------------------------------------------------------ recipes
def test_a_recipe_differs_from_both_parents_and_reads_as_its_parts(data):
    recipe = techniques.get("focal_loss+smote")
    assert recipe.name == "smote+focal_loss" and recipe.label == "SMOTE + focal loss"
    assert [p.name for p in recipe.params] == ["k_neighbors", "gamma", "alpha"]
    assert techniques.label("smote+focal_loss[gamma=1,alpha=0.25]") == (
        "SMOTE + focal loss (γ=1, α=0.25)"
    )
    found = {}
    for name in ("smote", "focal_loss", "smote+focal_loss"):
        model = techniques.create(name, seed=4, **FAST).fit(data.X_train, data.y_train)
        found[name] = (model.predict_proba(data.X_test), model.train_class_counts_)
    both, (smote, smote_counts), (focal, focal_counts) = (
        found["smote+focal_loss"][0],
        found["smote"],
        found["focal_loss"],
    )
    assert not np.allclose(both, smote, atol=1e-4) and not np.allclose(
        both, focal, atol=1e-4
    )
    assert found["smote+focal_loss"][1] == smote_counts != focal_counts


@pytest.mark.parametrize(
    "name, message",
    [
        ("smote+adasyn", "'smote\\+adasyn' has 2 samplers \\(smote, adasyn\\)"),
        (
            "balanced_bagging+smote",
            "cannot combine 'balanced_bagging'.*whole technique",
        ),
        ("smote+focal", "cannot combine 'focal'.*no such part"),
        ("focal_loss+ldam_drw", "has 2 objectives"),
    ],
)
def test_an_incompatible_recipe_is_one_line_before_training(name, message):
    from imbal_core.execution import plan_runs

    with pytest.raises(InputError, match=message) as caught:
        plan_runs([name], {}, [0])
    assert "\n" not in str(caught.value)


def test_a_recipe_plans_once_in_either_order_and_sweeps_its_parts():
    from imbal_core.execution import plan_runs

    plan = plan_runs(
        ["smote+focal_loss", "focal_loss+smote"], {}, [0, 1], {"gamma": [1, 2]}
    )
    assert plan.names == [
        f"smote+focal_loss[k_neighbors=5,gamma={g},alpha=0.25]" for g in (1, 2)
    ]
    assert len(plan.specs) == 4 and len({s.key("f") for s in plan.specs}) == 4


def test_the_catalogue_lists_every_technique_with_its_reference():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "imbal_core", "techniques"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    for cls in techniques.REGISTRY.values():
        assert (
            f"  {cls.name}  ({cls.label})" in done.stdout
            and cls.reference in done.stdout
        )
    for heading in (
        "Oversampling",
        "Undersampling",
        "Over- and undersampling",
        "Network objective",
        "Ensemble",
    ):
        assert f"{heading}\n" in done.stdout


def test_a_sampler_that_would_take_long_is_named_before_training():
    notes = techniques.option_notes(
        ["condensed_nn", "smote+focal_loss", "all_knn+prior_bias[n_neighbors=3]"],
        182_276,
        {},
    )
    assert len(notes) == 2, notes
    slow = notes[0]
    assert slow.startswith("condensed_nn: Condensed nearest neighbour may take about ")
    assert "182,276 training rows" in slow and "with the square of the rows" in slow
    assert slow.endswith(
        "set max_rows to 100,000 (about 4 min) or choose another technique"
    )
    assert notes[1].startswith("all_knn+prior_bias: AllKNN may take about")
    assert techniques.option_notes(["condensed_nn"], 5_000, {}) == []


# ------------------------------------------- categorical features, the row cap
@pytest.fixture(scope="module")
def mixed():
    """Two numeric and two text columns: the text ones one-hot encoded in groups."""
    rng = np.random.default_rng(5)
    rows = 1500
    frame = make_demo(rows=rows, positives=90, seed=5)[["V1", "V2", "Class"]]
    frame["colour"] = rng.choice(["red", "green", "blue"], rows)
    frame["shop"] = np.where(
        frame["Class"] == 1, "online", rng.choice(["a", "b"], rows)
    )
    return prepare(frame, source="mixed")


def _one_hot_rows_are_valid(X, dataset):
    on, off = dataset.X_train.max(axis=0), dataset.X_train.min(axis=0)
    for group in dataset.categorical:
        hot = np.isclose(X[:, group], on[group])
        assert (hot.sum(axis=1) == 1).all()  # exactly one category per row
        assert (hot | np.isclose(X[:, group], off[group])).all()  # no blends


@pytest.mark.parametrize("name", ["smote", "smote_tomek", "smote_enn"])
def test_smote_on_categorical_features_is_smote_nc(name, mixed):
    assert [len(g) for g in mixed.categorical] == [3, 3] and mixed.source_features == 4
    t = techniques.create(name, seed=2)
    t.categorical = mixed.categorical
    X, y = PARTS[name].resample(t, mixed.X_train, mixed.y_train)
    assert np.bincount(y)[1] > np.bincount(mixed.y_train)[1]
    _one_hot_rows_are_valid(X, mixed)
    numeric = [0, 1]  # V1 and V2 are interpolated as in plain SMOTE: new values
    assert len(np.unique(X[:, numeric], axis=0)) > len(
        np.unique(mixed.X_train[:, numeric], axis=0)
    )
    shop = mixed.feature_names.index("shop=online")
    synthetic = X[len(mixed.y_train) :][y[len(mixed.y_train) :] == 1]
    # every positive shops online, so every synthetic positive does too
    assert np.isclose(synthetic[:, shop], mixed.X_train[:, shop].max()).all()


def test_smote_on_only_categorical_features_is_smote_n():
    rng = np.random.default_rng(6)
    frame = make_demo(rows=800, positives=60, seed=6)[["Class"]]
    frame["colour"] = np.where(
        frame["Class"] == 1, rng.choice(["red", "blue"], 800), "green"
    )
    frame["size"] = rng.choice(["s", "m", "l"], 800)
    dataset = prepare(frame, source="text only")
    t = techniques.create("smote", seed=2)
    t.categorical = dataset.categorical
    X, y = PARTS["smote"].resample(t, dataset.X_train, dataset.y_train)
    assert np.bincount(y)[0] == np.bincount(y)[1]
    _one_hot_rows_are_valid(X, dataset)


def test_categorical_features_reach_the_sampler_through_training(mixed):
    from imbal_core.training import train_one

    options = {"epochs": 1, "batch_size": 256}
    run = train_one(mixed, "smote", options, seed=3)
    assert run.ok, run.error

    def fitted(categorical):
        model = techniques.create("smote", seed=3, **options)
        model.fit(mixed.X_train, mixed.y_train, categorical=categorical)
        return model.predict_proba(mixed.X_test)

    np.testing.assert_allclose(run.proba_test, fitted(mixed.categorical), atol=1e-6)
    assert not np.allclose(run.proba_test, fitted([]), atol=1e-6)  # not plain SMOTE


def test_the_options_say_how_samplers_treat_categorical_features():
    notes = techniques.option_notes(
        ["smote", "smote_tomek+focal_loss", "adasyn", "baseline"],
        1000,
        {},
        categorical=2,
        features=4,
    )
    assert notes == [
        "SMOTE and SMOTE-Tomek run as SMOTE-NC: 2 of the 4 features are categorical, so "
        "a synthetic row takes its neighbours' most common category instead of a blend of them",
        "ADASYN blends the one-hot columns of categorical features (2 of the 4 features are "
        "categorical): synthetic rows can lie between categories; SMOTE uses SMOTE-NC instead",
    ]
    only = techniques.option_notes(["smote"], 1000, {}, categorical=3, features=3)
    assert only[0].startswith("SMOTE runs as SMOTE-N: every feature is categorical")
    assert techniques.option_notes(["smote"], 1000, {}) == []


def test_max_rows_caps_what_a_neighbour_sampler_sees(data):
    t = techniques.create("tomek_links", seed=4, max_rows=1000)
    X, y = PARTS["tomek_links"].resample(t, data.X_train, data.y_train)
    positives = int(data.y_train.sum())
    assert len(y) <= 1000 and int(y.sum()) == positives  # every minority row kept
    again = PARTS["tomek_links"].resample(t, data.X_train, data.y_train)
    np.testing.assert_array_equal(X, again[0])  # the sample is seeded
    assert "max_rows" not in {p.name for p in techniques.get("smote").params}
    too_small = techniques.create("tomek_links", seed=4, max_rows=positives + 1)
    with pytest.raises(InputError) as caught:
        PARTS["tomek_links"].resample(too_small, data.X_train, data.y_train)
    assert str(caught.value) == (
        f"max_rows={positives + 1} leaves fewer majority than minority rows (the training "
        f"split has {positives} minority rows); raise max_rows to at least "
        f"{2 * positives}, or 0 for no cap."
    )


@pytest.mark.parametrize(
    "name",
    [n for n in SAMPLERS if "max_rows" in {p.name for p in techniques.get(n).params}],
)
def test_the_suggested_row_cap_keeps_the_estimate_within_the_limit(name):
    part = PARTS[name]
    for rows in (1_000, 182_276, 10_000_000):
        cap = techniques.suggested_max_rows(part, rows)
        assert 1 <= cap <= rows and str(cap).rstrip("0") in "123456789"
        assert (
            part.estimated_seconds(cap) <= techniques.COST_WARNING_SECONDS
            or cap == rows
        )


def test_the_cost_warning_suggests_a_row_cap_that_fits():
    [note] = techniques.option_notes(["smote_tomek"], 182_276, {})
    assert note.endswith(
        "set max_rows to 100,000 (about 4 min) or choose another technique"
    )
    assert (
        techniques.option_notes(["smote_tomek"], 182_276, {"max_rows": 100_000}) == []
    )


def test_a_text_column_with_many_categories_is_one_group_with_its_other_column():
    frame = make_demo(rows=1000, positives=50, seed=7)[["V1", "Class"]]
    frame["city"] = [f"c{i % 25}" for i in range(1000)]
    dataset = prepare(frame, source="cities")
    [group] = dataset.categorical
    assert [dataset.feature_names[j] for j in group][-1] == "city=<other>"
    assert len(group) == 21 and dataset.source_features == 2
