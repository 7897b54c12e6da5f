from typing import Any

import numpy as np

from imbal_core.techniques.parts import BETA, GAMMA, Objective, effective_number


class ClassBalancedFocal(Objective):
    name = "class_balanced_focal"
    label = "Class-balanced focal loss"
    summary = (
        "Focal loss (no α) weighted by the inverse effective number of rows per class."
    )
    reference = "Cui et al. 2019, CVPR (class-balanced loss)"
    params = (BETA, GAMMA)

    def loss(self, t: Any, counts: np.ndarray) -> Any:
        from imbal_core.losses import FocalLoss

        return FocalLoss(gamma=t.gamma, apply_class_balancing=False)

    def class_weight(self, t: Any, counts: np.ndarray) -> dict[int, float]:
        return effective_number(counts, t.beta)
