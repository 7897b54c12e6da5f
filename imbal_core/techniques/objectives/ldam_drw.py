from typing import Any

import numpy as np

from imbal_core.techniques.base import Param
from imbal_core.techniques.parts import BETA, Objective, effective_number

MAX_MARGIN = Param(
    "max_margin",
    0.5,
    0.0,
    5.0,
    "The rarer class's margin; each class's is proportional to n^(-1/4).",
)
DEFERRED = Param(
    "drw_share",
    0.8,
    0.0,
    1.0,
    "Share of the epochs trained unweighted before class-balanced weights apply "
    "(0 weights from the start; the paper defers 0.8).",
)


class LdamDrw(Objective):
    name = "ldam_drw"
    label = "LDAM-DRW"
    summary = (
        "Label-distribution-aware margins (larger for the rarer class), with class-balanced "
        "weights deferred to the last epochs."
    )
    reference = "Cao et al. 2019, NeurIPS (LDAM, deferred re-weighting)"
    params = (MAX_MARGIN, DEFERRED, BETA)

    def loss(self, t: Any, counts: np.ndarray) -> Any:
        from imbal_core.losses import ShiftedCrossEntropy

        margins = counts.astype(float) ** -0.25
        margins = t.max_margin * margins / margins.max()
        # Each row's own-class logit is lowered by its margin: -Δ₁ for a positive's
        # logit, +Δ₀ for a negative's (its class-0 logit is -z).
        return ShiftedCrossEntropy(positive=-margins[1], negative=margins[0])

    def class_weight(self, t: Any, counts: np.ndarray) -> dict[int, float]:
        return effective_number(counts, t.beta)

    def weights_from_epoch(self, t: Any) -> int:
        return int(t.drw_share * t.epochs)
