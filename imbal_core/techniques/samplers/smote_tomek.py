from typing import Any

from imbal_core.techniques.parts import K_NEIGHBORS, QUADRATIC, Sampler
from imbal_core.techniques.samplers._categorical import smote_rows


class SmoteTomek(Sampler):
    name = "smote_tomek"
    label = "SMOTE-Tomek"
    group = "combined"
    summary = "SMOTE, then removes the Tomek links of the result (both classes)."
    reference = "Batista et al. 2004, SIGKDD Explorations 6(1)"
    params = (K_NEIGHBORS,)
    neighbours = "k_neighbors"
    seconds_at_10k = 2.7
    growth = QUADRATIC
    interpolates = handles_categorical = True

    def fit_resample(self, t: Any, X: Any, y: Any) -> Any:
        # imbalanced-learn's SMOTETomek in its two steps, so SMOTE-NC can be the first.
        from imblearn.under_sampling import TomekLinks

        return TomekLinks(sampling_strategy="all").fit_resample(*smote_rows(t, X, y))
