from typing import Any

from imbal_core.techniques.parts import N_NEIGHBORS, QUADRATIC, Sampler


class EditedNearestNeighbours(Sampler):
    name = "enn"
    label = "Edited nearest neighbours"
    group = "under"
    summary = "Removes majority rows that disagree with their nearest neighbours."
    reference = "Wilson 1972, IEEE Trans. SMC 2(3)"
    params = (N_NEIGHBORS,)
    seconds_at_10k = 0.9
    growth = QUADRATIC

    def sampler(self, t: Any, y: Any) -> Any:
        from imblearn.under_sampling import EditedNearestNeighbours as ENN

        return ENN(n_neighbors=t.n_neighbors)
