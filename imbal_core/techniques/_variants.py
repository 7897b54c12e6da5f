"""Variants: one technique with swept hyperparameters, named and labelled once."""

from __future__ import annotations

from collections.abc import Mapping

SYMBOLS = {
    "gamma": "γ",
    "alpha": "α",
    "beta": "β",
    "tau": "τ",
    "k_neighbors": "k",
    "learning_rate": "lr",
}  # as papers write them


def variant_name(technique: str, values: Mapping[str, str]) -> str:
    """``focal_loss[gamma=1,alpha=0.25]``: a variant's key in results and caches,
    from values as their parameters show them (``Param.show``: no commas)."""
    inside = ",".join(f"{k}={v}" for k, v in values.items())
    return f"{technique}[{inside}]"


def variant_label(name: str, base: str) -> str | None:
    """ "Focal loss (γ=1, α=0.25)" for a variant name of the technique labelled
    ``base``; None for a plain technique."""
    _, bracket, inside = name.partition("[")
    if not bracket or not inside.endswith("]"):
        return None
    parts = []
    for pair in inside[:-1].split(","):
        key, _, value = pair.partition("=")
        parts.append(f"{SYMBOLS.get(key, key.replace('_', ' '))}={value}")
    return f"{base} ({', '.join(parts)})"
