import math
from typing import Any

import numpy as np

from imbal_core.techniques.base import Param
from imbal_core.techniques.parts import Objective

TAU = Param(
    "tau",
    1.0,
    0.0,
    5.0,
    "Strength of the adjustment: 0 is cross-entropy, 1 the Bayes-consistent amount.",
)


class LogitAdjusted(Objective):
    name = "logit_adjusted"
    label = "Logit-adjusted loss"
    summary = "Cross-entropy on the logit plus τ·log(prior odds); predicting uses the logit alone."
    reference = "Menon et al. 2021, ICLR (long-tail learning via logit adjustment)"
    params = (TAU,)

    def loss(self, t: Any, counts: np.ndarray) -> Any:
        from imbal_core.losses import ShiftedCrossEntropy

        shift = t.tau * math.log(float(counts[1]) / float(counts[0]))
        return ShiftedCrossEntropy(positive=shift, negative=shift)
