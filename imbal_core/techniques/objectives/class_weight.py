from typing import Any

import numpy as np

from imbal_core.techniques.parts import Objective, balanced


class ClassWeight(Objective):
    name = "class_weight"
    label = "Class weights"
    summary = "Loss weighted by inverse class frequency (sklearn's 'balanced'); the data is unchanged."
    reference = "King & Zeng 2001, Political Analysis 9(2)"

    def class_weight(self, t: Any, counts: np.ndarray) -> dict[int, float]:
        return balanced(counts)
