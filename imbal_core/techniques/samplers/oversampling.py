from typing import Any

from imbal_core.techniques.parts import Sampler


class Oversampling(Sampler):
    name = "oversampling"
    label = "Random oversampling"
    group = "over"
    summary = (
        "Minority rows duplicated at random to match the majority (risks overfitting)."
    )
    reference = "imbalanced-learn RandomOverSampler"
    seconds_at_10k = 0.02

    def sampler(self, t: Any, y: Any) -> Any:
        from imblearn.over_sampling import RandomOverSampler

        return RandomOverSampler(random_state=t.seed)
