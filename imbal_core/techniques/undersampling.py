from typing import Any

from imbal_core.techniques.base import ResamplingTechnique


class Undersampling(ResamplingTechnique):
    """Drops majority rows at random until the classes are even."""

    name = "undersampling"
    label = "Random undersampling"
    summary = "Majority rows dropped at random to match the minority (fast, loses information)."

    def sampler(self) -> Any:
        from imblearn.under_sampling import RandomUnderSampler  # at fit time only

        return RandomUnderSampler(random_state=self.seed)
