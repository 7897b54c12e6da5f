"""The networks' losses, on logits, written so that their gradients stay finite.

The network outputs a logit ``z`` (the sigmoid is applied when predicting), so
every loss sees ``z`` itself. With ``z_t = z`` for a positive and ``-z`` for a
negative (large when the row is classified right), ``p_t = sigmoid(z_t)`` and

- cross-entropy ``-log p_t = softplus(-z_t)``;
- cross-entropy on a shifted logit ``z + s_y`` (:class:`ShiftedCrossEntropy`):
  logit adjustment adds ``τ log(π₁/π₀)`` to every row's logit, LDAM lowers each
  row's own-class logit by its class's margin;
- focal loss (Lin et al. 2017) ``α_t (1 - p_t)^γ · -log p_t`` with the focal
  factor computed as ``exp(-γ · softplus(z_t))``.

Why not Keras' ``BinaryFocalCrossentropy``: it computes ``(1 - p_t) ** γ`` from
the probability. Once a row is learnt, ``p_t`` rounds to exactly 1.0 in float32
(``z_t`` above ~17), and for γ < 1 the derivative γ(1 - p_t)^(γ - 1) is infinite
there; times the sigmoid's zero slope it is NaN, and one NaN gradient ruins every
weight (focal loss with γ = 0.5 "diverged" on the demo data). The form here has
the derivative ``-γ · sigmoid(z_t) · exp(-γ · softplus(z_t))``: bounded for every γ.

Imported only when a network is built (it loads Keras).
"""

from __future__ import annotations

from typing import Any

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="imbal_core")
class FocalLoss(keras.losses.Loss):
    """Binary focal loss on logits; ``gamma = 0`` without balancing is cross-entropy."""

    def __init__(
        self,
        gamma: float = 2.0,
        alpha: float = 0.25,
        apply_class_balancing: bool = True,
        name: str = "focal_loss",
        **kwargs: Any,
    ):
        super().__init__(name=name, **kwargs)
        self.gamma, self.alpha = float(gamma), float(alpha)
        self.apply_class_balancing = bool(apply_class_balancing)

    def call(self, y_true: Any, y_pred: Any) -> Any:
        logits = ops.convert_to_tensor(y_pred)
        y = ops.cast(ops.reshape(y_true, ops.shape(logits)), logits.dtype)
        z_t = (2.0 * y - 1.0) * logits
        loss = ops.exp(-self.gamma * ops.softplus(z_t)) * ops.softplus(-z_t)
        if self.apply_class_balancing:
            loss = (y * self.alpha + (1.0 - y) * (1.0 - self.alpha)) * loss
        return ops.mean(loss, axis=-1)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "gamma": self.gamma,
            "alpha": self.alpha,
            "apply_class_balancing": self.apply_class_balancing,
        }


@keras.saving.register_keras_serializable(package="imbal_core")
class ShiftedCrossEntropy(keras.losses.Loss):
    """Cross-entropy of ``z + positive`` for positive rows and ``z + negative`` for
    negative ones; only training sees the shift, predictions use ``z``."""

    def __init__(
        self,
        positive: float = 0.0,
        negative: float = 0.0,
        name: str = "shifted_cross_entropy",
        **kwargs: Any,
    ):
        super().__init__(name=name, **kwargs)
        self.positive, self.negative = float(positive), float(negative)

    def call(self, y_true: Any, y_pred: Any) -> Any:
        logits = ops.convert_to_tensor(y_pred)
        y = ops.cast(ops.reshape(y_true, ops.shape(logits)), logits.dtype)
        shifted = logits + y * self.positive + (1.0 - y) * self.negative
        z_t = (2.0 * y - 1.0) * shifted
        return ops.mean(ops.softplus(-z_t), axis=-1)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "positive": self.positive,
            "negative": self.negative,
        }


def cross_entropy() -> keras.losses.Loss:
    """Binary cross-entropy on logits (the seed's loss, computed stably)."""
    return keras.losses.BinaryCrossentropy(from_logits=True)
