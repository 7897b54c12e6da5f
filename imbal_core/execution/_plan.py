"""A comparison's runs, planned and checked before anything trains.

A run is (data split, model, technique, hyperparameters, seed): independent of
every other, keyed for a cache by all of them and the data's fingerprint. Today
there is one split (the holdout split, split 0 of 1), or one per cross-validation
fold: folds add values, not executors. Every selected model trains every selected technique it
accepts; a pair it refuses (focal loss on logistic regression) is skipped with its
reason in the plan's notes. A column is ``models.column(model, variant)``.

A sweep (``gamma=0.5,1,2``) turns every selected technique that owns the parameter
into variants, one per combination of values; each variant is its own column in
every view, named ``focal_loss[gamma=1,alpha=0.25]`` and shown as
"Focal loss (γ=1, α=0.25)". Nothing here imports TensorFlow.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from imbal_core import models, techniques
from imbal_core.errors import InputError
from imbal_core.params import LayersParam, Param
from imbal_core.techniques import variant_name

DEFAULT_MODEL = models.DEFAULT  # the seed notebook's network


@dataclass(frozen=True)
class RunSpec:
    """One independent run: what trains, on which split, with which values and seed."""

    name: str  # its column: the technique, or a variant such as "focal_loss[gamma=1,alpha=0.25]"
    technique: str
    params: dict[str, Any] = field(hash=False)
    seed: int
    model: str = DEFAULT_MODEL
    split: int = 0  # the data split it trains and is scored on (0: the holdout split)

    def describe(self, splits: int = 1) -> str:
        """Which run of its column, in words: "seed 42", or "fold 3/5 seed 42" when
        the comparison has ``splits`` cross-validation folds."""
        fold = f"fold {self.split + 1}/{splits} " if splits > 1 else ""
        return f"{fold}seed {self.seed}"

    def key(self, fingerprint: str) -> tuple:
        """What a run cache is keyed by: the data and every dimension of the run."""
        params = tuple(sorted(self.params.items()))
        return fingerprint, self.split, self.model, self.technique, params, self.seed


@dataclass(frozen=True)
class Plan:
    """Every run of a comparison, in the order they are shown, and the settings
    that produced them (what ``results.json`` records as its configuration)."""

    names: list[str]  # the columns: (model,) technique or variant, in order
    specs: list[RunSpec]
    options: dict[str, Any]
    seeds: list[int]
    sweeps: dict[str, list[Any]]  # numbers, or shapes for layers
    models: list[str] = field(default_factory=lambda: [DEFAULT_MODEL])
    skipped: list[str] = field(default_factory=list)  # refused pairs, with reasons
    splits: int = 1  # data splits each variant trains on: 1, or the folds x repeats

    def config(self, notes: Sequence[str] = ()) -> dict[str, Any]:
        config = {
            "techniques": list(self.names),
            "models": list(self.models),
            "seeds": list(self.seeds),
            **self.options,
            "notes": list(notes),
        }
        if self.sweeps:
            config["sweeps"] = {k: list(v) for k, v in self.sweeps.items()}
        return config


def parse_values(text: str, param: Param | None = None) -> list[Any]:
    """``"0.5, 1, 2"`` -> ``[0.5, 1.0, 2.0]`` (repeats dropped), or a one-line error.
    The network's layers are shapes separated by ``;``: ``"64,32; 128,64,32"``."""
    if isinstance(param, LayersParam):
        shapes = [param.check(v) for v in str(text).split(";") if v.strip()]
        if not shapes:
            raise InputError(
                f"{text!r} is not a list of shapes such as 64,32; 128,64,32."
            )
        return list(dict.fromkeys(shapes))
    try:
        numbers = [float(v) for v in str(text).split(",") if v.strip()]
    except ValueError:
        numbers = []
    if not numbers:
        raise InputError(f"{text!r} is not a list of numbers such as 0.5, 1, 2.")
    return list(dict.fromkeys(numbers))  # repeated values would be one variant


def parse_sweep(text: str) -> tuple[str, list[Any]]:
    """``"gamma=0.5,1,2"`` -> ``("gamma", [0.5, 1.0, 2.0])``, ``"layers=64,32;128,64"``
    -> ``("layers", ["64,32", "128,64"])``, or a one-line error."""
    name, sep, values = text.partition("=")
    name = name.strip().replace("-", "_")
    param = next((p for p in models.all_params() if p.name == name), None)
    try:
        found = parse_values(values, param) if sep and name else []
    except InputError:
        found = []
    if not found:
        raise InputError(
            f"sweep {text!r} is not NAME=V1,V2,... such as gamma=0.5,1,2 "
            "(layers: shapes separated by ;, such as layers=64,32;128,64,32)."
        )
    return name, found


def plan_runs(
    names: Sequence[str],
    options: Mapping[str, Any],
    seeds: Sequence[int],
    sweeps: Mapping[str, Sequence[Any]] | None = None,
    model_names: Sequence[str] = (DEFAULT_MODEL,),
    splits: int = 1,
) -> Plan:
    """Every run of a comparison, models x variants x splits x seeds, in the order
    they are shown (by model, the MLP first). ``splits``: the holdout split (1), or
    every cross-validation fold of every repeat.

    Names, hyperparameters and sweep values are checked here, once: a bad one
    raises :class:`InputError` before anything trains.
    """
    chosen = models.checked(list(model_names))
    # A recipe's parts in role order: smote+focal_loss and focal_loss+smote are one.
    names = list(dict.fromkeys(techniques.get(n).name for n in names))
    checked = techniques.validate_options(names, dict(options))
    sweeps = _checked_sweeps(names, chosen, sweeps)
    if not seeds:
        raise InputError("no seed given; train with at least one seed.")
    specs, columns, skipped = [], [], []
    for model in chosen:
        per_technique = techniques.split_params(names, checked, model)
        for name in names:
            refused = models.get(model).refusal(techniques.get(name))
            if refused:
                shown = techniques.label(models.column(model, name))
                skipped.append(f"{shown} skipped: {refused}")
                continue
            for variant, params in _variants(name, model, per_technique[name], sweeps):
                column = models.column(model, variant)
                columns.append(column)
                specs.extend(
                    RunSpec(column, name, dict(params), int(s), model, split)
                    for split in range(splits)
                    for s in seeds
                )
    if not specs:
        raise InputError(
            f"nothing to train: {skipped[0]}; choose another technique or model.",
            option="techniques",
        )
    return Plan(
        columns,
        specs,
        dict(options),
        [int(s) for s in seeds],
        sweeps,
        chosen,
        skipped,
        splits,
    )


def _variants(
    name: str,
    model: str,
    params: dict[str, Any],
    sweeps: Mapping[str, list[Any]],
) -> list[tuple[str, dict[str, Any]]]:
    """``name``'s variants on ``model``: one per combination of the swept values of
    its own and the model's parameters (itself when none is swept)."""
    shared = {p.name: p for p in models.get(model).params}
    own = {p.name: p for p in techniques.get(name).params}
    swept = [p for p in (*shared, *own) if p in sweeps]
    if not swept:
        return [(name, params)]
    variants = []
    for combo in itertools.product(*(sweeps[p] for p in swept)):
        values = {**params, **dict(zip(swept, combo, strict=True))}
        shown = {p: shared[p].show(values[p]) for p in swept if p in shared}
        shown.update({p: param.show(values[p]) for p, param in own.items()})
        variants.append((variant_name(name, shown), values))
    return variants


def _checked_sweeps(
    names: Sequence[str],
    chosen: Sequence[str],
    sweeps: Mapping[str, Sequence[Any]] | None,
) -> dict[str, list[Any]]:
    """Sweep values checked against the selected techniques' and models'
    parameters (whole numbers where the parameter is one), or a one-line
    :class:`InputError`."""
    sweeps = {k: list(v) for k, v in (sweeps or {}).items()}
    declared = {p.name: p for m in chosen for p in models.get(m).params}
    for name in names:
        declared.update({p.name: p for p in techniques.get(name).params})
    for param, values in sweeps.items():
        if param not in declared:
            owners = [
                owner.name
                for owner in (*techniques.REGISTRY.values(), *models.REGISTRY.values())
                if param in {p.name for p in owner.params}
            ]
            raise InputError(
                f"cannot sweep {param!r}: "
                + (
                    f"it belongs to {owners[0]}, which is not selected."
                    if len(owners) == 1
                    else f"it belongs to {', '.join(owners)}; none of them is selected."
                    if owners
                    else "no technique or model has that hyperparameter."
                )
            )
        sweeps[param] = [declared[param].check(v) for v in values]
    return sweeps
