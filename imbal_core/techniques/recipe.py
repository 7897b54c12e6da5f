"""Recipes: a technique made of parts, at most one per role, joined with ``+``.

``smote+focal_loss`` resamples the training split with SMOTE, then trains the seed
MLP with focal loss. Every part is a recipe of one; the baseline is the recipe of
none. A recipe's name lists its parts in role order (sampler, objective,
initialisation), so ``focal_loss+smote`` is the same technique with the same cache key.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from imbal_core.techniques.base import Param, SingleModel
from imbal_core.techniques.parts import ROLES, Initialisation, Objective, Part, Sampler


class Recipe(SingleModel):
    """A model trained with its parts: rows from the sampler, the objective's
    loss and weights, the initialisation's start."""

    parts: ClassVar[tuple[Part, ...]] = ()
    reference: ClassVar[str] = ""

    @classmethod
    def needs(cls) -> list[tuple[str, str]]:
        return [(part.label, part.kind) for part in cls.parts]

    @classmethod
    def rows_trained(cls, negatives: int, positives: int, params: dict) -> int:
        sampler = next((p for p in cls.parts if isinstance(p, Sampler)), None)
        if sampler is None:
            return negatives + positives
        return sampler.rows_after(negatives, positives)

    def _part(self, kind: type) -> Any:
        return next((p for p in self.parts if isinstance(p, kind)), None)

    def training_data(
        self, X: np.ndarray, y: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        sampler = self._part(Sampler)
        return (X, y) if sampler is None else sampler.resample(self, X, y)

    def loss(self) -> Any:
        objective = self._part(Objective)
        return None if objective is None else objective.loss(self, self._counts)

    def class_weight(self) -> dict[int, float] | None:
        objective = self._part(Objective)
        return None if objective is None else objective.class_weight(self, self._counts)

    def weights_from_epoch(self) -> int:
        objective = self._part(Objective)
        return 0 if objective is None else objective.weights_from_epoch(self)

    def output_bias(self) -> float:
        start = self._part(Initialisation)
        return 0.0 if start is None else start.output_bias(self, self._counts)


def compose(parts: tuple[Part, ...]) -> type[Recipe]:
    """The recipe class of ``parts`` (already in role order and checked)."""
    params: dict[str, Param] = {}
    for part in parts:
        params.update({p.name: p for p in part.params})
    return type(
        "Recipe",
        (Recipe,),
        {
            "name": "+".join(p.name for p in parts),
            "label": " + ".join(_label(p, i) for i, p in enumerate(parts)),
            "summary": " Then: ".join(p.summary for p in parts),
            "reference": "; ".join(p.reference for p in parts if p.reference),
            "params": tuple(params.values()),
            "parts": parts,
            "group": parts[0].group if len(parts) == 1 else "recipe",
        },
    )


def _label(part: Part, position: int) -> str:
    """ "SMOTE + focal loss": a later objective or start reads as a common noun."""
    common = part.role != "sampler" and part.label[1:2].islower()
    return part.label[0].lower() + part.label[1:] if position and common else part.label


def in_role_order(parts: list[Part]) -> tuple[Part, ...]:
    return tuple(sorted(parts, key=lambda p: ROLES.index(p.role)))
