"""The technique registry, discovered from this folder: one module, one technique.

Dropping a new file here that defines a :class:`Technique` subclass with a ``name``
makes it appear in the UI, the CLI, the report and the contract tests.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from imbal_core.errors import InputError
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


__all__ = ["REGISTRY", "SHARED_PARAMS", "Param", "Technique", "create", "get"]
