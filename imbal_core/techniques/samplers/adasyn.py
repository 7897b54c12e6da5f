from typing import Any

from imbal_core.techniques.parts import K_NEIGHBORS, Sampler


class Adasyn(Sampler):
    name = "adasyn"
    label = "ADASYN"
    group = "over"
    summary = "Like SMOTE, but synthesises more rows near minority rows that their neighbours misclassify."
    reference = "He et al. 2008, IJCNN"
    params = (K_NEIGHBORS,)
    neighbours = "k_neighbors"
    seconds_at_10k = 0.1
    interpolates = True

    def sampler(self, t: Any, y: Any) -> Any:
        from imblearn.over_sampling import ADASYN

        return ADASYN(n_neighbors=t.k_neighbors, random_state=t.seed)
