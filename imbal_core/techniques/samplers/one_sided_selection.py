from typing import Any

from imbal_core.techniques.parts import QUADRATIC, Sampler


class OneSidedSelection(Sampler):
    name = "one_sided_selection"
    label = "One-sided selection"
    group = "under"
    summary = "Keeps the majority rows a 1-NN rule needs (condensing), then removes Tomek links."
    reference = "Kubat & Matwin 1997, ICML"
    seconds_at_10k = 0.4
    growth = QUADRATIC

    def sampler(self, t: Any, y: Any) -> Any:
        from imblearn.under_sampling import OneSidedSelection as OSS

        return OSS(random_state=t.seed)
