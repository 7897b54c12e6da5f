from typing import Any

from imbal_core.techniques.parts import Sampler


class Undersampling(Sampler):
    name = "undersampling"
    label = "Random undersampling"
    group = "under"
    to_minority = True
    summary = "Majority rows dropped at random to match the minority (fast, loses information)."
    reference = "imbalanced-learn RandomUnderSampler"
    seconds_at_10k = 0.02

    def sampler(self, t: Any, y: Any) -> Any:
        from imblearn.under_sampling import RandomUnderSampler

        return RandomUnderSampler(random_state=t.seed)
