from typing import Any

from imbal_core.techniques.base import Param
from imbal_core.techniques.parts import K_NEIGHBORS, Sampler

KIND = Param(
    "borderline_kind",
    1,
    1,
    2,
    "Borderline-SMOTE 1 interpolates towards minority neighbours only; 2 also towards majority ones.",
    integer=True,
)


class BorderlineSmote(Sampler):
    name = "borderline_smote"
    label = "Borderline-SMOTE"
    group = "over"
    summary = "SMOTE only from minority rows on the class border (half their neighbours are majority)."
    reference = "Han et al. 2005, ICIC"
    params = (K_NEIGHBORS, KIND)
    neighbours = "k_neighbors"
    seconds_at_10k = 0.1
    interpolates = True

    def sampler(self, t: Any, y: Any) -> Any:
        from imblearn.over_sampling import BorderlineSMOTE

        return BorderlineSMOTE(
            k_neighbors=t.k_neighbors,
            kind=f"borderline-{t.borderline_kind}",
            random_state=t.seed,
        )
