from typing import Any

from imbal_core.techniques.base import Param
from imbal_core.techniques.parts import N_NEIGHBORS, Sampler

VERSION = Param(
    "near_miss_version",
    1,
    1,
    3,
    "NearMiss-1 keeps majority rows closest to their nearest minority rows; 2 to the "
    "farthest; 3 the nearest majority rows of each minority row.",
    integer=True,
)


class NearMiss(Sampler):
    name = "near_miss"
    label = "NearMiss"
    group = "under"
    to_minority = True
    summary = "Keeps the majority rows nearest to the minority, as many as there are minority rows."
    reference = "Mani & Zhang 2003, ICML workshop on learning from imbalanced data sets"
    params = (VERSION, N_NEIGHBORS)
    seconds_at_10k = 0.06

    def sampler(self, t: Any, y: Any) -> Any:
        from imblearn.under_sampling import NearMiss as Miss

        return Miss(version=t.near_miss_version, n_neighbors=t.n_neighbors)
