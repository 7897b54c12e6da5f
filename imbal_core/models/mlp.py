"""The seed notebook's Keras MLP, its shape and training as hyperparameters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from imbal_core.models.base import KINDS, Fitted, Model
from imbal_core.params import LayersParam, Param

if TYPE_CHECKING:
    from imbal_core.model import Progress

LAYERS = LayersParam(
    "layers",
    "128,64,32",  # type: ignore[arg-type]  # text, see LayersParam
    1,
    4096,
    "The network's hidden layers' widths, first to last (the seed's: 128,64,32); "
    "each is a dense relu layer followed by dropout.",
)
DROPOUT = Param(
    "dropout", 0.3, 0.0, 0.9, "Share of each hidden layer's units dropped per step."
)
LEARNING_RATE = Param(
    "learning_rate", 0.001, 1e-6, 1.0, "Adam's step size (the seed's: Keras' 0.001)."
)
NETWORK_PARAMS = (LAYERS, DROPOUT, LEARNING_RATE)
TRAINING_PARAMS = (
    Param(
        "epochs",
        10,
        1,
        1000,
        "Passes over the (resampled) training split.",
        integer=True,
    ),
    Param("batch_size", 256, 1, 65536, "Rows per gradient step.", integer=True),
    Param(
        "patience",
        0,
        0,
        1000,
        "Early stopping: stop after this many epochs without a better PR-AUC on the "
        "validation split and keep the best epoch's weights (epochs is then the most "
        "it may run). 0 trains every epoch, as the seed does.",
        integer=True,
    ),
)


class MLP(Model):
    name = "mlp"
    label = "MLP"
    summary = (
        "The seed notebook's Keras network: dense relu layers with dropout, Adam, "
        "one logit out."
    )
    reference = "the seed notebook's Keras MLP"
    params = (*TRAINING_PARAMS, *NETWORK_PARAMS)
    network = True
    accepts = frozenset(KINDS)

    @staticmethod
    def shape(t: Any) -> dict[str, Any]:
        """The architecture, as :func:`imbal_core.model.warm_network` takes it."""
        return {"layers": LAYERS.widths(t.layers), "dropout": float(t.dropout)}

    def fit(
        self,
        t: Any,
        X: np.ndarray,
        y: np.ndarray,
        progress: Progress | None = None,
    ) -> Fitted:
        """The process's warm network for this shape and loss, trained from a fresh
        initialisation drawn from ``t.seed`` with ``t``'s weights, schedule and start."""
        from imbal_core.model import EpochProgress, warm_network

        network = warm_network(X.shape[1], t.loss(), **self.shape(t))
        training = network.fit(
            X,
            y,
            seed=t.seed,
            learning_rate=t.learning_rate,
            epochs=t.epochs,
            batch_size=t.batch_size,
            split_rows=t.split_rows,
            class_weight=t.class_weight(),
            weights_from_epoch=t.weights_from_epoch(),
            output_bias=t.output_bias(),
            on_epoch=EpochProgress(progress, t.epochs),
            validation=t.validation,
            patience=t.patience,
        )
        return Fitted(
            lambda rows: network.predict(training.weights, rows),
            training.epochs_run,
            training.best_epoch,
        )
