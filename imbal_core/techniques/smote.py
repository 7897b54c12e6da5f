from typing import Any

import numpy as np

from imbal_core.errors import InputError
from imbal_core.techniques.base import Param, ResamplingTechnique


class Smote(ResamplingTechnique):
    """Synthesises minority rows between each minority row and its nearest minority neighbours."""

    name = "smote"
    label = "SMOTE"
    summary = (
        "Synthetic minority rows interpolated between nearest minority neighbours."
    )
    params = (
        Param(
            "k_neighbors",
            5,
            1,
            50,
            "Minority neighbours each synthetic row is drawn towards.",
            integer=True,
        ),
    )

    def training_data(
        self, X: np.ndarray, y: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        minority = int(min(np.bincount(y)))
        if minority <= self.k_neighbors:
            raise InputError(
                f"SMOTE needs more than k_neighbors={self.k_neighbors} minority rows, but the training "
                f"split has {minority}; lower k_neighbors to {max(1, minority - 1)} or add minority rows."
            )
        return super().training_data(X, y)

    def sampler(self) -> Any:
        from imblearn.over_sampling import SMOTE  # at fit time only

        return SMOTE(k_neighbors=self.k_neighbors, random_state=self.seed)
