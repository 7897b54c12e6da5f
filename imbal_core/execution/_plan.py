"""Runs to execute: (technique or variant, hyperparameters, seed), planned before training.

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

from imbal_core import techniques
from imbal_core.errors import InputError
from imbal_core.techniques import variant_name


@dataclass(frozen=True)
class RunSpec:
    """One independent run: what trains, with which hyperparameters and seed."""

    name: str  # the technique, or a variant such as "focal_loss[gamma=1,alpha=0.25]"
    technique: str
    params: dict[str, Any] = field(hash=False)
    seed: int

    @property
    def cache_key(self) -> tuple[str, tuple[tuple[str, Any], ...], int]:
        """(technique, params, seed): with the data's fingerprint, what a cache is keyed by."""
        return self.technique, tuple(sorted(self.params.items())), self.seed


def parse_sweep(text: str) -> tuple[str, list[float]]:
    """``"gamma=0.5,1,2"`` -> ``("gamma", [0.5, 1.0, 2.0])``, or a one-line error."""
    name, sep, values = text.partition("=")
    name = name.strip().replace("-", "_")
    try:
        numbers = [float(v) for v in values.split(",") if v.strip()]
    except ValueError:
        numbers = []
    if not sep or not name or not numbers:
        raise InputError(
            f"--sweep {text!r} is not NAME=V1,V2,...; e.g. --sweep gamma=0.5,1,2."
        )
    return name, list(dict.fromkeys(numbers))  # repeated values would be one variant


def check_sweeps(
    names: Sequence[str], sweeps: Mapping[str, Sequence[float]] | None
) -> dict[str, list[float | int]]:
    """Sweep values checked against the selected techniques' parameters (whole
    numbers where the parameter is one), or a one-line :class:`InputError`."""
    sweeps = {k: list(v) for k, v in (sweeps or {}).items()}
    declared = {p.name: p for p in techniques.SHARED_PARAMS}
    for name in names:
        declared.update({p.name: p for p in techniques.get(name).params})
    for param, values in sweeps.items():
        if param not in declared:
            owners = [
                cls.name
                for cls in techniques.REGISTRY.values()
                if param in {p.name for p in cls.params}
            ]
            raise InputError(
                f"cannot sweep {param!r}: "
                + (
                    f"it belongs to {', '.join(owners)}, which is not selected."
                    if owners
                    else "no technique has that hyperparameter."
                )
            )
        sweeps[param] = [declared[param].check(v) for v in values]
    return sweeps


def plan_runs(
    names: Sequence[str],
    options: Mapping[str, Any],
    seeds: Sequence[int],
    sweeps: Mapping[str, Sequence[float]] | None = None,
    train_rows: int = 0,
) -> list[RunSpec]:
    """Every run of a comparison, variants x seeds, in the order they are shown.

    Hyperparameters and sweep values are checked first: a bad one raises
    :class:`InputError` before anything trains.
    """
    per_technique = techniques.validate_options(train_rows, names, dict(options))
    sweeps = check_sweeps(names, sweeps)
    shared = {p.name for p in techniques.SHARED_PARAMS}
    specs = []
    for name in names:
        own = [p.name for p in techniques.get(name).params]
        swept = [p for p in (*shared, *own) if p in sweeps]
        if not swept:
            variants = [(name, per_technique[name])]
        else:
            variants = []
            for combo in itertools.product(*(sweeps[p] for p in swept)):
                params = {**per_technique[name], **dict(zip(swept, combo, strict=True))}
                shown = {p: combo[swept.index(p)] for p in swept if p in shared}
                shown.update({p: params.get(p, _default(name, p)) for p in own})
                variants.append((variant_name(name, shown), params))
        for variant, params in variants:
            specs.extend(RunSpec(variant, name, dict(params), int(s)) for s in seeds)
    return specs


def _default(technique: str, param: str) -> Any:
    return next(p.default for p in techniques.get(technique).params if p.name == param)
