from typing import Any

from imbal_core.techniques.parts import K_NEIGHBORS, QUADRATIC, Sampler


class SvmSmote(Sampler):
    name = "svm_smote"
    label = "SVM-SMOTE"
    group = "over"
    summary = (
        "SMOTE from the minority support vectors of an SVM fitted to the training rows."
    )
    reference = "Nguyen et al. 2011, IJKESDP 3(1)"
    params = (K_NEIGHBORS,)
    neighbours = "k_neighbors"
    seconds_at_10k = 0.3
    growth = QUADRATIC
    interpolates = True

    def sampler(self, t: Any, y: Any) -> Any:
        from imblearn.over_sampling import SVMSMOTE

        return SVMSMOTE(k_neighbors=t.k_neighbors, random_state=t.seed)
