from typing import Any

from imbal_core.techniques.parts import N_NEIGHBORS, QUADRATIC, Sampler


class AllKnn(Sampler):
    name = "all_knn"
    label = "AllKNN"
    group = "under"
    summary = (
        "Edited nearest neighbours with 1, 2, … up to n_neighbors neighbours in turn."
    )
    reference = "Tomek 1976, IEEE Trans. SMC 6(6)"
    params = (N_NEIGHBORS,)
    seconds_at_10k = 3.0
    growth = QUADRATIC

    def sampler(self, t: Any, y: Any) -> Any:
        from imblearn.under_sampling import AllKNN

        return AllKNN(n_neighbors=t.n_neighbors)
