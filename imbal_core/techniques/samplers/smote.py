from typing import Any

from imbal_core.techniques.parts import K_NEIGHBORS, Sampler
from imbal_core.techniques.samplers._categorical import smote_rows


class Smote(Sampler):
    name = "smote"
    label = "SMOTE"
    group = "over"
    summary = (
        "Synthetic minority rows interpolated between nearest minority neighbours "
        "(SMOTE-NC or SMOTE-N where the data has categorical features)."
    )
    reference = "Chawla et al. 2002, JAIR 16"
    params = (K_NEIGHBORS,)
    neighbours = "k_neighbors"
    seconds_at_10k = 0.06
    interpolates = handles_categorical = True

    def fit_resample(self, t: Any, X: Any, y: Any) -> Any:
        return smote_rows(t, X, y)
