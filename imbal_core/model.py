"""The seed notebook's MLP and the one Keras fit routine every technique shares."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import keras
import numpy as np

# Retracing notices are expected when many small models are built in one process.
logging.getLogger("tensorflow").setLevel(logging.ERROR)

Progress = Callable[[float, str], None]
"""Called with the fraction of a technique's training done (0..1) and a short message."""

PREDICT_BATCH = (
    4096  # predict is pure inference: big batches are ~10x faster than Keras' 32
)
MAX_STEPS_PER_EXECUTION = 256  # amortises Python/graph overhead per batch; same maths


def build_mlp(
    input_dim: int, loss: Any = "binary_crossentropy", steps_per_execution: int = 1
) -> keras.Model:
    """The seed's network: 128-64-32 relu with dropout 0.3, sigmoid output, adam.

    No accuracy metric is compiled in: nobody reads it per epoch, and it costs time.
    Never ``jit_compile=True``: XLA makes this model ~9x slower on CPU.
    """
    model = keras.Sequential(
        [
            keras.layers.Input(shape=(input_dim,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer="adam",
        loss=loss,
        steps_per_execution=steps_per_execution,
        jit_compile=False,
    )
    return model


def steps_per_execution(rows: int, batch_size: int) -> int:
    """As many batches per graph call as an epoch has, capped."""
    return max(1, min(MAX_STEPS_PER_EXECUTION, -(-rows // batch_size)))


class EpochProgress(keras.callbacks.Callback):
    """Reports each finished epoch as a fraction of ``epochs`` and a short message."""

    def __init__(self, progress: Progress | None, epochs: int):
        super().__init__()
        self.progress, self.epochs = progress, epochs

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.progress is not None:
            loss = (logs or {}).get("loss")
            detail = f", loss {loss:.4f}" if loss is not None else ""
            self.progress(
                (epoch + 1) / self.epochs,
                f"epoch {epoch + 1}/{self.epochs}{detail}",
            )


def fit_mlp(
    X: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int,
    batch_size: int,
    loss: Any = "binary_crossentropy",
    class_weight: dict[int, float] | None = None,
    progress: Progress | None = None,
) -> keras.Model:
    """Build the seed's MLP and train it on ``X, y`` (float32, already resampled)."""
    model = build_mlp(
        X.shape[1],
        loss=loss,
        steps_per_execution=steps_per_execution(len(X), batch_size),
    )
    model.fit(
        X,
        y.astype(np.float32),
        epochs=epochs,
        batch_size=batch_size,
        class_weight=class_weight,
        callbacks=[EpochProgress(progress, epochs)],
        verbose=0,
    )
    return model


def predict_positive(model: keras.Model, X: np.ndarray) -> np.ndarray:
    """Positive-class probabilities as a flat float64 array."""
    return (
        model.predict(X, batch_size=PREDICT_BATCH, verbose=0).ravel().astype(np.float64)
    )
