from typing import Any

from imbal_core.techniques.parts import K_NEIGHBORS, Sampler


class Smote(Sampler):
    name = "smote"
    label = "SMOTE"
    group = "over"
    summary = (
        "Synthetic minority rows interpolated between nearest minority neighbours."
    )
    reference = "Chawla et al. 2002, JAIR 16"
    params = (K_NEIGHBORS,)
    neighbours = "k_neighbors"
    seconds_at_10k = 0.06

    def sampler(self, t: Any, y: Any) -> Any:
        from imblearn.over_sampling import SMOTE

        return SMOTE(k_neighbors=t.k_neighbors, random_state=t.seed)
