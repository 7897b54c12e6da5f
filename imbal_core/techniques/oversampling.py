from typing import Any

from imbal_core.techniques.base import ResamplingTechnique


class Oversampling(ResamplingTechnique):
    """Repeats minority rows at random until the classes are even."""

    name = "oversampling"
    label = "Random oversampling"
    summary = (
        "Minority rows duplicated at random to match the majority (risks overfitting)."
    )

    def sampler(self) -> Any:
        from imblearn.over_sampling import RandomOverSampler  # at fit time only

        return RandomOverSampler(random_state=self.seed)
