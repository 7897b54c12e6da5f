from typing import Any

from imbal_core.techniques.parts import N_NEIGHBORS, QUADRATIC, Sampler


class NeighbourhoodCleaning(Sampler):
    name = "neighbourhood_cleaning"
    label = "Neighbourhood cleaning rule"
    group = "under"
    summary = "Edited nearest neighbours, plus the majority neighbours of misclassified minority rows."
    reference = "Laurikkala 2001, AIME"
    params = (N_NEIGHBORS,)
    seconds_at_10k = 1.0
    growth = QUADRATIC

    def sampler(self, t: Any, y: Any) -> Any:
        from imblearn.under_sampling import NeighbourhoodCleaningRule

        return NeighbourhoodCleaningRule(n_neighbors=t.n_neighbors)
