from typing import Any

import numpy as np

from imbal_core.techniques.base import Param
from imbal_core.techniques.parts import GAMMA, Objective

ALPHA = Param(
    "alpha", 0.25, 0.0, 1.0, "Weight of the positive class (negatives get 1 - alpha)."
)


class FocalLoss(Objective):
    name = "focal_loss"
    label = "Focal loss"
    summary = "Binary focal cross-entropy with class balancing; the data is unchanged."
    reference = "Lin et al. 2017, ICCV (focal loss)"
    params = (GAMMA, ALPHA)

    def loss(self, t: Any, counts: np.ndarray) -> Any:
        # Not Keras' BinaryFocalCrossentropy: its gradient is NaN for gamma < 1 (see losses).
        from imbal_core.losses import FocalLoss as Focal

        return Focal(gamma=t.gamma, alpha=t.alpha)
