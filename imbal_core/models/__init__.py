"""The model registry, discovered from this folder: one module, one model.

A comparison trains (model, technique) pairs. The seed's MLP is the default and
takes every technique; the reference models put a strong tabular learner beside
the network, through the same runs, executors, results and views. Dropping a new
file here makes it appear in the Train page, ``--models``, ``techniques`` and the
contract tests.

A comparison's column is its technique (or variant) on the MLP, as before models
existed, and ``model:technique`` on any other model: ``lightgbm:smote``.
"""

from __future__ import annotations

import importlib
import pkgutil

from imbal_core.errors import InputError
from imbal_core.models.base import KINDS, Fitted, Model
from imbal_core.params import Param

DEFAULT = "mlp"  # the seed notebook's network
SEPARATOR = ":"


def _discover() -> dict[str, Model]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Model)
                and value.__module__ == module.__name__
                and "name" in vars(value)
            ):
                found[value.name] = value()
    # The default first; the reference models after it by name.
    return dict(sorted(found.items(), key=lambda kv: (kv[0] != DEFAULT, kv[0])))


REGISTRY: dict[str, Model] = _discover()


def get(name: str) -> Model:
    """The model called ``name``, or a one-line error listing the choices."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise InputError(
            f"unknown model {name!r}; choose from {', '.join(REGISTRY)}",
            option="models",
        ) from None


def label(name: str) -> str:
    """A model's display label; a name no longer registered shows as itself (saved
    results may outlive a model)."""
    found = REGISTRY.get(name)
    return name if found is None else found.label


def checked(names: list[str] | tuple[str, ...]) -> list[str]:
    """Model names, each known, repeats dropped; the default when none is given."""
    return list(dict.fromkeys(get(n).name for n in names)) or [DEFAULT]


def all_params() -> tuple[Param, ...]:
    """Every model's hyperparameters once (the MLP's first)."""
    found: dict[str, Param] = {}
    for model in REGISTRY.values():
        found.update({p.name: p for p in model.params})
    return tuple(found.values())


def column(model: str, technique: str) -> str:
    """A comparison's column for ``technique`` (or a variant) on ``model``."""
    return technique if model == DEFAULT else f"{model}{SEPARATOR}{technique}"


def split_column(name: str) -> tuple[str, str]:
    """``"lightgbm:smote[k=3]"`` -> ``("lightgbm", "smote[k=3]")``; a column of the
    MLP has no prefix."""
    model, separator, technique = str(name).partition(SEPARATOR)
    return (model, technique) if separator else (DEFAULT, str(name))


__all__ = [
    "DEFAULT",
    "KINDS",
    "REGISTRY",
    "Fitted",
    "Model",
    "all_params",
    "checked",
    "column",
    "get",
    "label",
    "split_column",
]
