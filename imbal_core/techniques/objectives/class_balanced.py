from typing import Any

import numpy as np

from imbal_core.techniques.parts import BETA, Objective, effective_number


class ClassBalanced(Objective):
    name = "class_balanced"
    label = "Class-balanced weights"
    summary = "Loss weighted by the inverse effective number of rows per class, (1 - β) / (1 - β^n)."
    reference = "Cui et al. 2019, CVPR (class-balanced loss)"
    params = (BETA,)

    def class_weight(self, t: Any, counts: np.ndarray) -> dict[int, float]:
        return effective_number(counts, t.beta)
