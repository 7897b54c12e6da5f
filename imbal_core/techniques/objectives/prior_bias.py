import math
from typing import Any

import numpy as np

from imbal_core.techniques.parts import Initialisation


class PriorBias(Initialisation):
    name = "prior_bias"
    label = "Prior output bias"
    summary = (
        "The output starts at the training prior, bias = log(p / (1 - p)), not at 0.5."
    )
    reference = "TensorFlow tutorial 'Classification on imbalanced data'; Karpathy 2019"

    def output_bias(self, t: Any, counts: np.ndarray) -> float:
        return math.log(float(counts[1]) / float(counts[0]))
