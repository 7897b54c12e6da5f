from typing import Any

from imbal_core.techniques.parts import K_NEIGHBORS, QUADRATIC, Sampler
from imbal_core.techniques.samplers._categorical import smote_rows


class SmoteEnn(Sampler):
    name = "smote_enn"
    label = "SMOTE-ENN"
    group = "combined"
    summary = "SMOTE, then edited nearest neighbours cleans the result (both classes)."
    reference = "Batista et al. 2004, SIGKDD Explorations 6(1)"
    params = (K_NEIGHBORS,)
    neighbours = "k_neighbors"
    seconds_at_10k = 2.2
    growth = QUADRATIC
    interpolates = handles_categorical = True

    def fit_resample(self, t: Any, X: Any, y: Any) -> Any:
        # imbalanced-learn's SMOTEENN in its two steps, so SMOTE-NC can be the first.
        from imblearn.under_sampling import EditedNearestNeighbours

        cleaner = EditedNearestNeighbours(sampling_strategy="all")
        return cleaner.fit_resample(*smote_rows(t, X, y))
