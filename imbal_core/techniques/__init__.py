"""The technique registry, discovered from this folder: one module, one technique or part.

Importing it loads no Keras: a technique's name, label, summary and params are plain
class attributes, and TensorFlow is imported only inside ``fit``/``predict_proba``.

- Whole techniques live in this folder (the baseline, balanced bagging).
- Parts live in ``samplers/`` and ``objectives/`` (see :mod:`.parts`); each part is
  also a technique of its own, and parts join into recipes: ``smote+focal_loss``.

Dropping a new file into any of them makes it appear in the UI, the CLI, the report,
``python -m imbal_core techniques`` and the contract tests.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Sequence
from typing import Any

from imbal_core import models
from imbal_core.errors import InputError
from imbal_core.techniques._variants import variant_label, variant_name
from imbal_core.techniques.base import Param, SingleModel, Technique
from imbal_core.techniques.parts import GROUPS, MAX_ROWS, ROLES, Part
from imbal_core.techniques.recipe import Recipe, compose, in_role_order

# The seed notebook's six and class weights: the default selection, in this order.
DEFAULT = (
    "baseline",
    "class_weight",
    "undersampling",
    "oversampling",
    "smote",
    "balanced_bagging",
    "focal_loss",
)
_ABSTRACT = {Technique, SingleModel, Recipe}


def _classes(package: str, base: type) -> list[type]:
    module = importlib.import_module(package)
    found = []
    for info in pkgutil.iter_modules(module.__path__):
        if info.name.startswith("_") or info.name in {"base", "parts", "recipe"}:
            continue
        namespace = importlib.import_module(f"{package}.{info.name}")
        found += [
            value
            for value in vars(namespace).values()
            if isinstance(value, type)
            and issubclass(value, base)
            and value not in _ABSTRACT
            and value.__module__ == namespace.__name__
            and "name" in vars(value)
        ]
    return found


PARTS: dict[str, Part] = {
    cls.name: cls()
    for package in ("samplers", "objectives")
    for cls in _classes(f"{__name__}.{package}", Part)
}


def _discover() -> dict[str, type[Technique]]:
    found: dict[str, type[Technique]] = {
        cls.name: cls for cls in _classes(__name__, Technique)
    }
    found.update({name: compose((part,)) for name, part in PARTS.items()})
    groups = list(GROUPS)
    # The seed's order first, then by group and name.
    return dict(
        sorted(
            found.items(),
            key=lambda kv: (
                DEFAULT.index(kv[0]) if kv[0] in DEFAULT else len(DEFAULT),
                groups.index(getattr(kv[1], "group", "none")),
                kv[0],
            ),
        )
    )


REGISTRY: dict[str, type[Technique]] = _discover()


def get(name: str) -> type[Technique]:
    """The technique called ``name`` (a registered one or a recipe of parts joined
    with ``+``), or a one-line error listing the choices."""
    try:
        return REGISTRY[name]
    except KeyError:
        pass
    if "+" in name:
        return _recipe(tuple(n.strip() for n in name.split("+")))
    raise InputError(
        f"unknown technique {name!r}; choose from {', '.join(REGISTRY)}, or join "
        "parts with + (smote+focal_loss)",
        option="techniques",
    )


@functools.cache
def _recipe(names: tuple[str, ...]) -> type[Technique]:
    written = "+".join(names)
    unknown = [n for n in names if n not in PARTS]
    for name in unknown:
        why = (
            "it is a whole technique and cannot be combined"
            if name in REGISTRY
            else "no such part"
        )
        raise InputError(
            f"cannot combine {name!r} in {written!r}: {why}; parts are samplers, "
            "objectives and prior_bias (the technique catalogue lists them)",
            option="techniques",
        )
    parts = in_role_order([PARTS[n] for n in names])
    for role in ROLES:
        same = [p.name for p in parts if p.role == role]
        if len(same) > 1:
            raise InputError(
                f"{written!r} has {len(same)} {role}s ({', '.join(same)}); a recipe "
                "takes at most one sampler, one objective and one initialisation",
                option="techniques",
            )
    canonical = "+".join(p.name for p in parts)
    return REGISTRY[canonical] if canonical in REGISTRY else compose(parts)


def params_and_owners() -> dict[Param, list[str]]:
    """Every technique hyperparameter once, with the techniques that take it."""
    owners: dict[Param, list[str]] = {}
    for cls in REGISTRY.values():
        for param in cls.params:
            owners.setdefault(param, []).append(cls.name)
    return owners


def catalogue() -> dict[str, list[type[Technique]]]:
    """Every registered technique by group heading, in registry order within each."""
    grouped: dict[str, list[type[Technique]]] = {
        heading: [] for heading in GROUPS.values()
    }
    for cls in REGISTRY.values():
        grouped[GROUPS[cls.group]].append(cls)
    return {heading: found for heading, found in grouped.items() if found}


def technique_of(column: str) -> str:
    """The technique behind a comparison's column: ``lightgbm:focal_loss[gamma=1]``
    -> ``focal_loss``."""
    return models.split_column(column)[1].partition("[")[0]


def described(names: Sequence[str]) -> list[tuple[str, str, str]]:
    """(label, summary, reference) of each technique and model behind the columns
    ``names`` (variants count as their technique), once each, the models after the
    techniques; names no longer registered are left out."""
    found, used = {}, {}
    for name in names:
        model = models.split_column(str(name))[0]
        if model in models.REGISTRY and model != models.DEFAULT:
            found_model = models.REGISTRY[model]
            used[model] = (
                found_model.label,
                found_model.summary,
                found_model.reference,
            )
        try:
            cls = get(technique_of(str(name)))
        except InputError:
            continue
        found.setdefault(cls.name, (cls.label, cls.summary, cls.reference))
    return [*found.values(), *used.values()]


def label(name: str) -> str:
    """A column's display label, a variant's and a reference model's included:
    "Focal loss (γ=1)", "LightGBM · SMOTE"."""
    model, column = models.split_column(name)
    try:
        base = get(column.partition("[")[0]).label
        shown = variant_label(column, base) or base
        if model != models.DEFAULT:
            shown = f"{models.get(model).label} · {shown}"
    except InputError:
        return name  # results may outlive a removed technique or model
    return shown


def create(name: str, **kwargs: Any) -> Technique:
    return get(name)(**kwargs)


def split_params(
    names: Sequence[str], values: dict[str, Any], model: str = models.DEFAULT
) -> dict[str, dict[str, Any]]:
    """Each technique's share of a flat option dict on ``model`` (the model's
    ``epochs`` or ``trees``, the technique's ``gamma``, ...), with the default of every
    parameter not given: a run spelled out in full, so the same run has one cache
    key however it was asked for."""
    result = {}
    for name in names:
        declared = (*models.get(model).params, *get(name).params)
        result[name] = {
            p.name: p.default if values.get(p.name) is None else values[p.name]
            for p in declared
        }
    return result


def validate_options(names: Sequence[str], options: dict[str, Any]) -> dict[str, Any]:
    """Check names and hyperparameters before any training; returns the options
    with each value as its parameter's type."""
    if not names:
        raise InputError("no technique selected; choose at least one.")
    for name in names:
        get(name)
    # Every value given is checked, also those of techniques and models not
    # selected: a typo'd alpha must not pass silently just because focal loss was
    # left out this time.
    declared = {p.name: p for cls in REGISTRY.values() for p in cls.params}
    declared.update({p.name: p for p in models.all_params()})
    return {
        k: declared[k].check(v) if k in declared and v is not None else v
        for k, v in options.items()
    }


COST_WARNING_SECONDS = (
    300  # a sampler estimated to take longer is named before training
)


def option_notes(
    names: Sequence[str],
    train_rows: int,
    options: dict[str, Any],
    categorical: int = 0,
    features: int = 0,
) -> list[str]:
    """What the user should know about these options on this data (never a refusal):
    a batch larger than the data, a sampler that would take long on this many rows,
    how samplers treat the data's ``categorical`` features (of ``features``).
    ``names`` are a comparison's columns."""
    notes = []
    batch = options.get("batch_size") or next(
        p.default for p in models.get(models.DEFAULT).params if p.name == "batch_size"
    )
    on_network = any(models.get(models.split_column(n)[0]).network for n in names)
    if on_network and batch > train_rows:
        # Keras trains fine with one batch of all rows; refusing would reject every
        # CSV under ~400 rows at the seed's defaults.
        notes.append(
            f"batch size {batch:,} is larger than the {train_rows:,} training rows: each "
            f"epoch is one batch of all {train_rows:,} rows (one gradient step per epoch; more "
            "epochs or a smaller batch give the network more steps)"
        )
    used = dict.fromkeys(technique_of(n) for n in names)
    samplers = {
        name: part
        for name in used
        for part in getattr(get(name), "parts", ())
        if part.role == "sampler"
    }
    cap = int(options.get("max_rows") or 0)
    for name, part in samplers.items():
        rows = min(train_rows, cap) if cap and MAX_ROWS in part.params else train_rows
        seconds = part.estimated_seconds(rows)
        if seconds > COST_WARNING_SECONDS:
            notes.append(
                f"{name}: {part.label} may take about {_duration(seconds)} on {rows:,} "
                f"training rows (its time grows {_growth(part.growth)}); "
                f"{_remedy(part, rows)}"
            )
    if categorical:
        notes += _categorical_notes(samplers.values(), categorical, features)
    return notes


def _remedy(part: Part, rows: int) -> str:
    """Set max_rows to what fits the warning's limit, or choose another technique."""
    fits = suggested_max_rows(part, rows)
    if fits is None:
        return "choose another technique or use fewer rows"
    return (
        f"set max_rows to {fits:,} (about {_duration(part.estimated_seconds(fits))}) "
        "or choose another technique"
    )


def suggested_max_rows(part: Part, rows: int) -> int | None:
    """The row cap (one significant digit, at most ``rows``) under which ``part``'s
    estimate stays within the cost warning's limit; None when it takes no cap."""
    if MAX_ROWS not in part.params:
        return None
    fits = 10_000 * (COST_WARNING_SECONDS / part.seconds_at_10k) ** (1 / part.growth)
    fits = max(1, int(min(fits, rows)))
    step = 10 ** (len(str(fits)) - 1)
    return fits // step * step  # rounded down: the estimate stays within the limit


def _categorical_notes(samplers: Any, categorical: int, features: int) -> list[str]:
    of = (
        "every feature is"
        if categorical == features
        else f"{categorical} of the {features} features {'is' if categorical == 1 else 'are'}"
    )
    variant = "SMOTE-N" if categorical == features else "SMOTE-NC"
    handled = [p.label for p in samplers if p.handles_categorical]
    blended = [
        p.label for p in samplers if p.interpolates and not p.handles_categorical
    ]
    notes = []
    if handled:
        notes.append(
            f"{_and(handled)} run{'s' if len(handled) == 1 else ''} as {variant}: "
            f"{of} categorical, so a synthetic row takes its neighbours' most common "
            "category instead of a blend of them"
        )
    if blended:
        notes.append(
            f"{_and(blended)} blend{'s' if len(blended) == 1 else ''} the one-hot "
            f"columns of categorical features ({of} categorical): synthetic rows can lie "
            "between categories; SMOTE uses SMOTE-NC instead"
        )
    return notes


def _and(labels: list[str]) -> str:
    return (
        labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
    )


def _duration(seconds: float) -> str:
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _growth(power: float) -> str:
    if power >= 2:
        return "with the square of the rows"
    return "a little faster than the rows" if power > 1 else "with the rows"


__all__ = [
    "DEFAULT",
    "GROUPS",
    "PARTS",
    "REGISTRY",
    "Param",
    "Technique",
    "catalogue",
    "create",
    "described",
    "get",
    "label",
    "option_notes",
    "params_and_owners",
    "split_params",
    "suggested_max_rows",
    "technique_of",
    "validate_options",
    "variant_label",
    "variant_name",
]
