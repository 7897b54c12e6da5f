from typing import Any

from imbal_core.techniques.parts import N_NEIGHBORS, QUADRATIC, Sampler


class RepeatedEnn(Sampler):
    name = "repeated_enn"
    label = "Repeated ENN"
    group = "under"
    summary = "Edited nearest neighbours repeated until no more rows are removed (at most 100 times)."
    reference = "Tomek 1976, IEEE Trans. SMC 6(6)"
    params = (N_NEIGHBORS,)
    seconds_at_10k = 1.5
    growth = QUADRATIC

    def sampler(self, t: Any, y: Any) -> Any:
        from imblearn.under_sampling import RepeatedEditedNearestNeighbours

        return RepeatedEditedNearestNeighbours(n_neighbors=t.n_neighbors)
