"""Planning runs: variants from sweeps, their names and labels, checked values."""

from __future__ import annotations

import dataclasses

import pytest

from imbal_core import results, techniques
from imbal_core.errors import InputError
from imbal_core.execution import parse_sweep, plan_runs


def test_a_sweep_expands_only_the_techniques_that_own_the_parameter():
    specs = plan_runs(
        ["baseline", "focal_loss", "smote"],
        {"epochs": 3},
        seeds=[1, 2],
        sweeps={"gamma": [0.5, 1, 2], "k_neighbors": [3, 5]},
    ).specs
    names = list(dict.fromkeys(s.name for s in specs))
    assert names == [
        "baseline",
        "focal_loss[gamma=0.5,alpha=0.25]",
        "focal_loss[gamma=1,alpha=0.25]",
        "focal_loss[gamma=2,alpha=0.25]",
        "smote[k_neighbors=3]",
        "smote[k_neighbors=5]",
    ]
    assert len(specs) == len(names) * 2  # variants x seeds
    focal = [s for s in specs if s.technique == "focal_loss"]
    assert [s.params["gamma"] for s in focal] == [0.5, 0.5, 1.0, 1.0, 2.0, 2.0]
    assert all(s.params["epochs"] == 3 for s in specs)
    smote = [s for s in specs if s.technique == "smote"]
    assert {type(s.params["k_neighbors"]) for s in smote} == {int}
    assert [results.label(n) for n in names[1:3]] == [
        "Focal loss (γ=0.5, α=0.25)",
        "Focal loss (γ=1, α=0.25)",
    ]
    assert results.label("smote[k_neighbors=3]") == "SMOTE (k=3)"


def test_two_swept_parameters_of_one_technique_give_every_combination():
    specs = plan_runs(
        ["focal_loss"], {}, [0], {"gamma": [1, 2], "alpha": [0.25, 0.5]}
    ).specs
    assert [s.name for s in specs] == [
        "focal_loss[gamma=1,alpha=0.25]",
        "focal_loss[gamma=1,alpha=0.5]",
        "focal_loss[gamma=2,alpha=0.25]",
        "focal_loss[gamma=2,alpha=0.5]",
    ]


def test_sweeping_a_shared_parameter_makes_variants_of_every_technique():
    specs = plan_runs(["baseline", "smote"], {}, [0], {"epochs": [5, 10]}).specs
    assert [s.name for s in specs] == [
        "baseline[epochs=5]",
        "baseline[epochs=10]",
        "smote[epochs=5,k_neighbors=5]",
        "smote[epochs=10,k_neighbors=5]",
    ]
    assert results.label("baseline[epochs=5]") == "Baseline (epochs=5)"


def test_the_same_run_has_the_same_cache_key_with_or_without_a_sweep():
    (plain,) = plan_runs(["focal_loss"], {"gamma": 1.0}, [4]).specs
    swept = plan_runs(["focal_loss"], {}, [4], {"gamma": [1, 2]}).specs[0]
    assert plain.key("data") == swept.key("data") and plain.name != swept.name


def test_a_run_key_covers_every_dimension_of_the_run():
    """Issue #18: data, split, model, technique, hyperparameters and seed."""
    (spec,) = plan_runs(["focal_loss"], {"gamma": 1.0}, [4]).specs
    assert (spec.split, spec.model) == (0, "mlp")
    others = [
        dataclasses.replace(spec, split=1),
        dataclasses.replace(spec, model="logistic"),
        dataclasses.replace(spec, technique="baseline"),
        dataclasses.replace(spec, params={**spec.params, "gamma": 2.0}),
        dataclasses.replace(spec, seed=5),
    ]
    keys = {spec.key("data"), spec.key("other data"), *(o.key("data") for o in others)}
    assert len(keys) == 7


@pytest.mark.parametrize(
    ("names", "sweep", "message"),
    [
        (["focal_loss"], {"gamma": [1, 20]}, "gamma must be between 0.0 and 10.0"),
        (["smote"], {"k_neighbors": [2.5]}, "k_neighbors must be a whole number"),
        (["smote"], {"nope": [1]}, "no technique or model has that hyperparameter"),
        (
            ["smote"],
            {"gamma": [1, 2]},
            "it belongs to focal_loss, class_balanced_focal; none of them is selected",
        ),
    ],
)
def test_bad_sweeps_fail_before_anything_trains(names, sweep, message):
    with pytest.raises(InputError, match=message):
        plan_runs(names, {}, [0], sweep)


@pytest.mark.parametrize("text", ["gamma", "gamma=", "=1,2", "gamma=1,x"])
def test_a_malformed_sweep_is_one_clear_line(text):
    with pytest.raises(InputError, match="is not NAME=V1,V2"):
        parse_sweep(text)


def test_parse_sweep_reads_numbers_and_drops_repeats():
    assert parse_sweep("k-neighbors=3, 5,3") == ("k_neighbors", [3.0, 5.0])
    assert techniques.variant_label("baseline", "Baseline") is None


def test_runs_go_out_fold_by_fold_and_the_longest_first():
    """Runs that train on the most rows start first, so the short ones fill the end;
    a fold's runs stay together (a worker keeps the last split it loaded)."""
    from types import SimpleNamespace

    import numpy as np

    from imbal_core.execution._pipeline import _longest_first

    seed_six = [
        "baseline",
        "undersampling",
        "oversampling",
        "smote",
        "balanced_bagging",
        "focal_loss",
    ]
    plan = plan_runs(seed_six, {"n_estimators": 3}, [0], splits=2)
    split = SimpleNamespace(y_train=np.array([0] * 990 + [1] * 10))
    order = [
        plan.specs[i]
        for i in _longest_first(list(range(len(plan.specs))), plan, [split, split])
    ]
    assert [s.split for s in order] == [0] * 6 + [1] * 6
    names = [s.technique for s in order[:6]]
    # 1980 rows each for the two over-samplers, 1000 for the loss-only runs,
    # 3 x 20 for the bagged ensemble, 20 for undersampling.
    assert set(names[:2]) == {"oversampling", "smote"}
    assert set(names[2:4]) == {"baseline", "focal_loss"}
    assert names[4:] == ["balanced_bagging", "undersampling"]
