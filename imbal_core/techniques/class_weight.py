import numpy as np

from imbal_core.techniques.base import MLPTechnique


class ClassWeight(MLPTechnique):
    """Weights each class's loss inversely to its frequency; no rows are added or removed."""

    name = "class_weight"
    label = "Class weights"
    summary = "Loss weighted by inverse class frequency (sklearn's 'balanced')."

    def class_weight(self, y: np.ndarray) -> dict[int, float]:
        counts = np.bincount(y, minlength=2)
        return {label: len(y) / (2 * count) for label, count in enumerate(counts)}
