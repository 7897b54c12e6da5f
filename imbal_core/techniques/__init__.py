"""The technique registry, discovered from this folder: one module, one technique.

Importing it loads no Keras: a technique's name, label, summary and params are plain
class attributes, and TensorFlow is imported only inside ``fit``/``predict_proba``.

Dropping a new file here that defines a :class:`Technique` subclass with a ``name``
makes it appear in the UI, the CLI, the report and the contract tests.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from typing import Any

from imbal_core.errors import InputError
from imbal_core.techniques._variants import variant_label, variant_name
from imbal_core.techniques.base import (
    SHARED_PARAMS,
    MLPTechnique,
    Param,
    ResamplingTechnique,
    Technique,
)

_ABSTRACT = {Technique, MLPTechnique, ResamplingTechnique}


def _discover() -> dict[str, type[Technique]]:
    found: dict[str, type[Technique]] = {}
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("_") or module.name == "base":
            continue
        namespace = importlib.import_module(f"{__name__}.{module.name}")
        for value in vars(namespace).values():
            if (
                isinstance(value, type)
                and issubclass(value, Technique)
                and value not in _ABSTRACT
            ):
                if value.__module__ == namespace.__name__:
                    found[value.name] = value
    # The seed's order first, newcomers after, alphabetically.
    order = [
        "baseline",
        "class_weight",
        "undersampling",
        "oversampling",
        "smote",
        "balanced_bagging",
        "focal_loss",
    ]
    return dict(
        sorted(
            found.items(),
            key=lambda kv: (
                order.index(kv[0]) if kv[0] in order else len(order),
                kv[0],
            ),
        )
    )


REGISTRY: dict[str, type[Technique]] = _discover()


def get(name: str) -> type[Technique]:
    """The technique class called ``name``, or a one-line error listing the choices."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise InputError(
            f"unknown technique {name!r}; choose from {', '.join(REGISTRY)}."
        ) from None


def create(name: str, **kwargs: Any) -> Technique:
    return get(name)(**kwargs)


def split_params(
    names: Sequence[str], values: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """Each technique's own share of a flat option dict (``epochs``, ``gamma``, ...)."""
    shared = {p.name for p in SHARED_PARAMS}
    result = {}
    for name in names:
        own = {p.name for p in get(name).params}
        result[name] = {
            k: v
            for k, v in values.items()
            if (k in shared or k in own) and v is not None
        }
    return result


def validate_options(
    names: Sequence[str], options: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """Check names and hyperparameters before any training; returns each technique's share."""
    if not names:
        raise InputError("no technique selected; choose at least one.")
    for name in names:
        get(name)
    # Every value given is checked, also those of techniques not selected: a typo'd
    # alpha must not pass silently just because focal loss was left out this time.
    declared = {
        p.name: p for cls in REGISTRY.values() for p in (*SHARED_PARAMS, *cls.params)
    }
    checked = {
        k: declared[k].check(v) if k in declared and v is not None else v
        for k, v in options.items()
    }
    return split_params(names, checked)


def option_notes(train_rows: int, options: dict[str, Any]) -> list[str]:
    """What the user should know about these options on this data (never a refusal)."""
    batch = options.get("batch_size") or next(
        p.default for p in SHARED_PARAMS if p.name == "batch_size"
    )
    if batch > train_rows:
        # Keras trains fine with one batch of all rows; refusing would reject every
        # CSV under ~400 rows at the seed's defaults.
        return [
            f"batch size {batch:,} is larger than the {train_rows:,} training rows: each "
            f"epoch is one batch of all {train_rows:,} rows (one gradient step per epoch; more "
            "epochs or a smaller batch give the network more steps)"
        ]
    return []


__all__ = [
    "REGISTRY",
    "SHARED_PARAMS",
    "Param",
    "Technique",
    "create",
    "get",
    "option_notes",
    "split_params",
    "validate_options",
    "variant_label",
    "variant_name",
]
