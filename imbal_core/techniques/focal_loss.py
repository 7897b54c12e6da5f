from typing import Any

from imbal_core.techniques.base import MLPTechnique, Param


class FocalLoss(MLPTechnique):
    """Down-weights easy, well-classified rows so training focuses on the hard ones."""

    name = "focal_loss"
    label = "Focal loss"
    summary = "Binary focal cross-entropy with class balancing; the data is unchanged."
    params = (
        Param(
            "gamma",
            2.0,
            0.0,
            10.0,
            "Focusing strength: 0 is plain cross-entropy, higher ignores easy rows more.",
        ),
        Param(
            "alpha",
            0.25,
            0.0,
            1.0,
            "Weight of the positive class (negatives get 1 - alpha).",
        ),
    )

    def loss(self) -> Any:
        # At training time only: the registry imports no TensorFlow. Not Keras'
        # BinaryFocalCrossentropy: its gradient is NaN for gamma < 1 (see losses).
        from imbal_core.losses import FocalLoss

        return FocalLoss(gamma=self.gamma, alpha=self.alpha)
