from typing import Any

from imbal_core.techniques.parts import K_NEIGHBORS, QUADRATIC, Sampler


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

    def sampler(self, t: Any, y: Any) -> Any:
        from imblearn.combine import SMOTETomek
        from imblearn.over_sampling import SMOTE

        smote = SMOTE(k_neighbors=t.k_neighbors, random_state=t.seed)
        return SMOTETomek(smote=smote, random_state=t.seed)
