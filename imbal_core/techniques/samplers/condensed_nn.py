from typing import Any

from imbal_core.techniques.parts import QUADRATIC, Sampler


class CondensedNearestNeighbour(Sampler):
    name = "condensed_nn"
    label = "Condensed nearest neighbour"
    group = "under"
    summary = (
        "Keeps only the majority rows a 1-NN rule misclassifies, one pass over them."
    )
    reference = "Hart 1968, IEEE Trans. Information Theory 14(3)"
    seconds_at_10k = 2.5
    growth = QUADRATIC

    def sampler(self, t: Any, y: Any) -> Any:
        from imblearn.under_sampling import CondensedNearestNeighbour as CNN

        return CNN(random_state=t.seed)
