"""The seed notebook's MLP, kept warm: one compiled network trains many runs.

Building and compiling a network costs seconds, far more than training the seed
MLP on a thousand rows. A process (a pool worker, a Ray worker, the CLI) therefore
keeps one :class:`Network` per (input width, loss, shape) and, for each run, draws
fresh weights from the run's seed and resets Adam: every run is an independent,
freshly initialised seed MLP, but the graphs are compiled once per process.

The maths is ``model.fit``'s with the seed's Adam: a fresh shuffle each epoch,
batches of ``batch_size`` with a smaller last one, class weights as per-row sample
weights, the loss summed over a batch and divided by its rows. How it runs is
chosen for speed (issue 25: a step used ~4x the time of its matrix multiplies):

- an epoch is one XLA program (or one per 256 batches): XLA fuses the
  elementwise work around the multiplies (bias, relu, dropout, the loss, Adam)
  that otherwise costs more than they do. Compiling one *step* instead is ~20x
  slower on CPU (a call has ~1 ms of fixed cost), so the loop over batches is
  inside the program;
- the rows are gathered once per program call in the shuffled order, and padded
  to a power-of-two number of batches (32 to 256) so that a few compiled programs
  serve every data size, sized by the training split before any sampler so that
  every technique on one data set shares one; the padding is never trained on
  (the loop stops at the last real batch, whose padded rows weigh 0);
- the program holds the rows feature-major (features x rows) and multiplies
  ``kernelᵀ·h``: XLA's CPU runs these dots, and their gradients, as fast as
  TensorFlow's own kernels, but the row-major ``hᵀ·g`` ~25 % slower;
- dropout hashes each unit's index with a key from the run's seed, the layer
  and the step (:func:`dropout`: ~4x cheaper than ThreeFry, XLA's Philox ~20x
  slower still);
- Adam is TensorFlow's fused ``ResourceApplyAdam`` kernel (Keras' Adam formula).
"""

from __future__ import annotations

import json
import logging
import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from imbal_core.errors import InputError

# Retracing notices are expected when many small models are built in one process.
logging.getLogger("tensorflow").setLevel(logging.ERROR)

# Called with the fraction of a technique's training done (0..1) and a short message.
Progress = Callable[[float, str], None]

PREDICT_CHUNK = 16_384  # rows per forward call: bounds the activations held at once
WARM_NETWORKS = 16  # per process; a long sweep over gamma evicts the oldest
MIN_BATCHES = 32  # 8,192 rows at batch 256: most KEEL sets, resampled or not
MAX_BATCHES = 256  # a call has ~1 ms of fixed cost: 1 % of 256 batches' work
ADAM = {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-7}  # Keras' defaults
SEED_LAYERS, SEED_DROPOUT = (128, 64, 32), 0.3


def build_mlp(
    input_dim: int,
    layers: tuple[int, ...] = SEED_LAYERS,
    dropout: float = SEED_DROPOUT,
) -> keras.Model:
    """The seed's network by default: 128-64-32 relu, each with dropout 0.3, and
    one output: the logit (the sigmoid is applied when predicting, so every loss
    sees the logit and stays finite, see :mod:`imbal_core.losses`)."""
    hidden = []
    for width in layers:
        hidden.append(keras.layers.Dense(width, activation="relu"))
        if dropout > 0:  # Dropout(0) is no layer at all
            hidden.append(keras.layers.Dropout(dropout))
    return keras.Sequential(
        [keras.layers.Input(shape=(input_dim,)), *hidden, keras.layers.Dense(1)]
    )


def program_rows(rows: int, batch_size: int) -> int:
    """Rows of the compiled program that trains ``rows``: a power-of-two number of
    batches from ``MIN_BATCHES`` to ``MAX_BATCHES``. Compiling one costs ~2 s of
    CPU, so few sizes serve every data set: small ones share the smallest, and an
    epoch longer than ``MAX_BATCHES`` runs the largest once per chunk of it."""
    batches = min(max(MIN_BATCHES, -(-rows // batch_size)), MAX_BATCHES)
    return batch_size * 2 ** math.ceil(math.log2(batches))


def lowbias32(x: Any) -> Any:
    """A 32-bit integer hash with near-ideal avalanche (C. Wellons' "lowbias32"):
    each output bit flips with probability ~1/2 when any input bit flips."""
    for shift, multiplier in ((16, 0x7FEB352D), (15, 0x846CA68B)):
        x = tf.bitwise.bitwise_xor(
            x, tf.bitwise.right_shift(x, tf.constant(shift, tf.uint32))
        )
        x = x * tf.constant(multiplier, tf.uint32)
    return tf.bitwise.bitwise_xor(
        x, tf.bitwise.right_shift(x, tf.constant(16, tf.uint32))
    )


def dropout(h: Any, rate: float, seed: Any) -> Any:
    """Keras' dropout in a compiled program: each unit zeroed with probability
    ``rate`` (to 2⁻³²), the rest scaled to keep the mean; ``seed`` (two integers)
    picks the mask. The bits are one hash per unit of ``index·m + k``, ``m`` (odd)
    and ``k`` hashed from the seed: counter-based like ThreeFry, but one round,
    4x cheaper on XLA's CPU, where ThreeFry's masks cost ~0.03 ms of a ~0.2 ms
    step. Two seeds' inputs are two random strides through all 2³² integers, which
    share a unit's input by chance (~1 in 4 per pair at the seed's widths)."""
    s = tf.cast(seed, tf.uint32)
    k = lowbias32(lowbias32(s[0]) + s[1] * tf.constant(0x9E3779B9, tf.uint32))
    m = tf.bitwise.bitwise_or(lowbias32(k), tf.constant(1, tf.uint32))
    rows, columns = tf.shape(h)[0], tf.shape(h)[1]
    index = tf.range(rows)[:, None] * columns + tf.range(columns)[None, :]
    bits = lowbias32(tf.cast(index, tf.uint32) * m + k)
    cut = round(rate * 2**32)
    kept = h * (2**32 / (2**32 - cut))
    return tf.where(bits >= tf.constant(cut, tf.uint32), kept, 0.0)


class Network:
    """One compiled seed MLP that trains run after run from fresh initialisations."""

    def __init__(
        self,
        input_dim: int,
        loss: Any = None,
        layers: tuple[int, ...] = SEED_LAYERS,
        dropout: float = SEED_DROPOUT,
    ):
        from imbal_core.losses import cross_entropy

        self.model = build_mlp(input_dim, layers, dropout)
        self.loss = loss or cross_entropy()
        self.trainable = [v.value for v in self.model.trainable_variables]
        self.moments = [
            (tf.Variable(tf.zeros_like(w)), tf.Variable(tf.zeros_like(w)))
            for w in self.trainable
        ]
        self.steps = tf.Variable(0, dtype=tf.int64)  # Adam's t, and dropout's counter
        self.learning_rate = tf.Variable(ADAM["lr"], dtype=tf.float32)
        self.seed = tf.Variable(0, dtype=tf.int64)  # the run's, for dropout's masks
        self._programs: dict[int, Any] = {}  # per batch size: XLA wants it constant
        rows = tf.TensorSpec((None, input_dim), tf.float32)
        self._forward = tf.function(
            lambda x: tf.sigmoid(self.model(x, training=False)),
            input_signature=[rows],
            autograph=False,
        )

    def _program(self, batch_size: int) -> Any:
        if batch_size not in self._programs:
            width = self.model.input_shape[-1]
            column = tf.TensorSpec((None,), tf.float32)
            self._programs[batch_size] = tf.function(
                lambda X, y, weight, rows: self._train_rows(
                    X, y, weight, rows, batch_size
                ),
                input_signature=[
                    tf.TensorSpec((width, None), tf.float32),
                    column,
                    column,
                    tf.TensorSpec((), tf.int32),
                ],
                jit_compile=True,
                autograph=False,
            )
        return self._programs[batch_size]

    def _train_rows(self, X, y, weight, rows, batch_size):  # noqa: ANN001 (graph)
        """Train on the first ``rows`` of ``X`` (padded to whole batches) in batches
        of ``batch_size``; the mean training loss per row."""
        X = tf.reshape(X, (X.shape[0], -1, batch_size))  # features x batches x rows
        y = tf.reshape(y, (-1, batch_size, 1))
        weight = tf.reshape(weight, (-1, batch_size))

        def step(batch, total):  # noqa: ANN001, ANN202 (graph)
            count = tf.minimum(batch_size, rows - batch * batch_size)
            real = tf.cast(tf.range(batch_size) < count, tf.float32)
            with tf.GradientTape() as tape:
                logits = tf.reshape(self._train_logits(X[:, batch]), (-1, 1))
                per_row = self.loss.call(y[batch], logits)
                loss = tf.reduce_sum(per_row * weight[batch] * real)
                loss /= tf.cast(count, tf.float32)
            self._adam(tape.gradient(loss, self.trainable))
            return batch + 1, total + loss * tf.cast(count, tf.float32)

        batches = (rows + batch_size - 1) // batch_size
        _, total = tf.while_loop(
            lambda batch, _: batch < batches, step, (tf.constant(0), tf.constant(0.0))
        )
        return total / tf.cast(rows, tf.float32)

    def _train_logits(self, h):  # noqa: ANN001, ANN202 (graph)
        for index, layer in enumerate(self.model.layers):
            if isinstance(layer, keras.layers.Dropout):
                h = dropout(
                    h, layer.rate, tf.stack([self.seed * 31 + index, self.steps])
                )
            else:  # Keras' Dense, transposed: activation(kernelᵀ·h + bias)
                z = tf.matmul(layer.kernel.value, h, transpose_a=True)
                h = layer.activation(z + layer.bias.value[:, None])
        return h

    def _adam(self, gradients: list[Any]) -> None:
        self.steps.assign_add(1)
        t = tf.cast(self.steps, tf.float32)
        for variable, (m, v), gradient in zip(
            self.trainable, self.moments, gradients, strict=True
        ):
            tf.raw_ops.ResourceApplyAdam(
                var=variable.handle, m=m.handle, v=v.handle,
                beta1_power=ADAM["beta1"] ** t, beta2_power=ADAM["beta2"] ** t,
                lr=self.learning_rate, beta1=ADAM["beta1"], beta2=ADAM["beta2"],
                epsilon=ADAM["epsilon"], grad=gradient,
            )  # fmt: skip

    def reset(
        self, seed: int, output_bias: float = 0.0, learning_rate: float = 0.001
    ) -> None:
        """Fresh weights, optimizer state and dropout noise, all drawn from ``seed``;
        the output's bias starts at ``output_bias`` (the logit of a prior, or 0), and
        Adam's step size is ``learning_rate`` (a variable: no recompiling)."""
        self._reset(
            tf.constant(int(seed) % 2**31, tf.int64),
            tf.constant(output_bias, tf.float32),
            tf.constant(learning_rate, tf.float32),
        )

    @tf.function(autograph=False)
    def _reset(self, seed, output_bias, learning_rate):  # noqa: ANN001, ANN202 (graph)
        # One graph: its ~30 variable writes cost ~2.5 ms a run when run eagerly.
        layers = self.model.layers
        for index, layer in enumerate(layers):
            if isinstance(layer, keras.layers.Dense):  # Glorot uniform, Keras' default
                limit = math.sqrt(6 / sum(layer.kernel.shape))
                key = tf.stack([seed * 31 + index, tf.constant(0, tf.int64)])
                draw = tf.random.stateless_uniform(layer.kernel.shape, key, -1.0, 1.0)
                layer.kernel.assign(draw * limit)
                bias = output_bias if layer is layers[-1] else 0.0
                layer.bias.assign(tf.fill(layer.bias.shape, bias))
        for m, v in self.moments:
            m.assign(tf.zeros_like(m))
            v.assign(tf.zeros_like(v))
        self.steps.assign(0)
        self.seed.assign(seed)
        self.learning_rate.assign(learning_rate)

    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        *,
        seed: int,
        epochs: int,
        batch_size: int,
        split_rows: int = 0,
        learning_rate: float = 0.001,
        class_weight: dict[int, float] | None = None,
        weights_from_epoch: int = 0,
        output_bias: float = 0.0,
        on_epoch: Callable[[int, float], None] | None = None,
        validation: tuple[np.ndarray, np.ndarray] | None = None,
        patience: int = 0,
    ) -> Training:
        """Train from a fresh initialisation drawn from ``seed``.

        With ``patience`` > 0 and a ``validation`` split, PR-AUC on that split is
        measured after each epoch; training stops after ``patience`` epochs without
        a better one and the best epoch's weights are kept (``epochs`` is the most
        it may run). ``split_rows``, the training split's rows before a sampler
        resized them, sizes the compiled program, shared by every technique on one
        data set (see :func:`program_rows`). ``class_weight`` applies from epoch
        ``weights_from_epoch`` (counted from 0; deferred re-weighting trains
        unweighted before it). ``on_epoch(epoch, loss)`` is called after each epoch
        (it may raise to stop)."""
        from imbal_core.evaluate import average_precision

        self.reset(seed, output_bias, learning_rate)
        labels = np.asarray(y).astype(np.int64)
        weight = (
            np.ones(len(labels), np.float32)
            if class_weight is None
            else np.array([class_weight[0], class_weight[1]], np.float32)[labels]
        )
        X_t = tf.constant(np.asarray(X, dtype=np.float32))
        y_f, unweighted = labels.astype(np.float32), np.ones(len(labels), np.float32)
        rows = len(labels)
        chunk = program_rows(max(rows, split_rows), batch_size)
        train = self._program(int(batch_size))
        rng = np.random.default_rng(seed)
        watch = patience > 0 and validation is not None
        best = Training(weights=[], epochs_run=0, best_epoch=0)
        for epoch in range(epochs):
            order = rng.permutation(rows)
            weights = weight if epoch >= weights_from_epoch else unweighted
            total = 0.0
            for first in range(0, rows, chunk):
                # One gather per chunk, in the shuffled order, padded (with row 0,
                # which the program never trains on) to the program's rows.
                part = order[first : first + chunk]
                picked = np.pad(part, (0, chunk - len(part)))
                mean = train(
                    tf.transpose(tf.gather(X_t, picked)),  # TF's transpose: 2x XLA's
                    y_f[picked],  # numpy's gather: 5x TF's for one column
                    weights[picked],
                    tf.constant(len(part), tf.int32),
                )
                total += float(mean) * len(part)
            loss = total / rows
            best.epochs_run = epoch + 1
            if not math.isfinite(loss):  # one bad step poisons every weight: stop
                raise InputError(
                    f"training diverged at epoch {epoch + 1} (the loss is not a finite "
                    "number); try fewer epochs or a larger batch size."
                )
            if on_epoch is not None:
                on_epoch(epoch, loss)
            if not watch:
                continue
            score = average_precision(validation[1], self._probabilities(validation[0]))
            if best.best_epoch == 0 or score > best.validation_pr_auc:
                best.best_epoch, best.validation_pr_auc = epoch + 1, score
                best.weights = self.model.get_weights()
            elif epoch + 1 - best.best_epoch >= patience:
                break
        if not watch:
            best.best_epoch, best.weights = best.epochs_run, self.model.get_weights()
        return best

    def _probabilities(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float32)
        return np.concatenate(
            [
                self._forward(X[i : i + PREDICT_CHUNK]).numpy().ravel()
                for i in range(0, max(len(X), 1), PREDICT_CHUNK)
            ]
        ).astype(np.float64)

    def predict(self, weights: list[np.ndarray], X: np.ndarray) -> np.ndarray:
        """Positive-class probabilities of the network with ``weights``, float64, flat."""
        self.model.set_weights(weights)
        return self._probabilities(X)


@dataclass
class Training:
    """What one :meth:`Network.fit` leaves: the weights kept and how far it went."""

    weights: list[np.ndarray]
    epochs_run: int
    # the epoch whose weights are kept (the last without early stopping)
    best_epoch: int
    validation_pr_auc: float = float("nan")  # at the best epoch, when watched


_warm: OrderedDict[tuple, Network] = OrderedDict()


def warm_network(
    input_dim: int,
    loss: Any = None,
    layers: tuple[int, ...] = SEED_LAYERS,
    dropout: float = SEED_DROPOUT,
) -> Network:
    """This process's compiled network for (input width, loss, shape), built on first use."""
    key = (
        int(input_dim),
        json.dumps(keras.saving.serialize_keras_object(loss), sort_keys=True),
        tuple(int(w) for w in layers),
        float(dropout),
    )
    if key not in _warm:
        _warm[key] = Network(input_dim, loss, key[2], key[3])
        while len(_warm) > WARM_NETWORKS:
            _warm.popitem(last=False)
    _warm.move_to_end(key)
    return _warm[key]


class EpochProgress:
    """Reports finished epochs across ``networks`` trainings of ``epochs`` each."""

    def __init__(self, progress: Progress | None, epochs: int, networks: int = 1):
        self.progress, self.epochs, self.networks = progress, epochs, networks
        self.done = 0

    def __call__(self, epoch: int, loss: float) -> None:
        self.done += 1
        if self.progress is None:
            return
        network = (self.done - 1) // self.epochs + 1
        where = f"network {network}/{self.networks}, " if self.networks > 1 else ""
        self.progress(
            self.done / (self.epochs * self.networks),
            f"{where}epoch {epoch + 1}/{self.epochs}, loss {loss:.4f}",
        )
