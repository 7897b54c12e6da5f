"""Benchmark: the network's training step against its matrix multiplies (issue 25).

``python -m benchmarks.step`` measures, in one process on one TensorFlow thread
(as every worker runs), for the seed's network (128-64-32, dropout 0.3) and a
wider one (512-256-128) at batch 256 on 182,000 rows of 29 features:

- **ms per step**: a warm :class:`imbal_core.model.Network` training one epoch
  (everything a run's epoch does: the shuffle and gather, dropout, the loss, Adam),
  over the number of batches;
- **the matmul-only bound**: the same step's matrix multiplies alone (forward
  ``x·W`` per layer; backward ``hᵀ·g`` per layer and ``g·Wᵀ`` for all but the
  first), each step on its own slice of the rows, in one TensorFlow graph loop;
  nothing else a step needs is counted, so no training step can be faster.

Each figure is the best of ``--repeats`` epochs (the machine may be shared), with
the 1-minute load average before it and the device TensorFlow ran on.
Outputs: a table on stdout, ``step.json`` and ``step.md`` in ``--out-dir``
(``benchmarks/results``); ``python -m benchmarks.run`` runs it too, in the same run
as the seed comparison.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from benchmarks import harness

SHAPES = {"seed (128-64-32)": (128, 64, 32), "wider (512-256-128)": (512, 256, 128)}
TARGET = 1.6  # ms per step at most this many times the bound (issue 25)


def matmul_bound(X: Any, layers: tuple[int, ...], batch: int, repeats: int) -> float:
    """Milliseconds per step of the step's matrix multiplies alone (see the module)."""
    import numpy as np
    import tensorflow as tf

    steps, width = len(X) // batch, X.shape[1]
    widths = (width, *layers, 1)
    rng = np.random.default_rng(0)
    kernels = [
        tf.constant(rng.standard_normal((a, b)).astype(np.float32) * 0.1)
        for a, b in zip(widths, widths[1:], strict=False)
    ]
    batches = tf.constant(X[: steps * batch].reshape(steps, batch, width))

    @tf.function
    def loop() -> list[Any]:
        def step(i: Any, _: Any) -> tuple[Any, list[Any]]:
            activations = [batches[i]]
            for kernel in kernels:
                activations.append(tf.matmul(activations[-1], kernel))
            gradient, kept = activations[-1], []
            for k in range(len(kernels) - 1, -1, -1):
                kept.append(tf.matmul(activations[k], gradient, transpose_a=True))
                if k > 0:
                    gradient = tf.matmul(gradient, kernels[k], transpose_b=True)
            return i + 1, kept  # carried out of the loop: nothing is pruned

        start = [tf.zeros(k.shape) for k in reversed(kernels)]
        return tf.while_loop(lambda i, _: i < steps, step, (0, start))[1]

    run = lambda: [g.numpy() for g in loop()]  # noqa: E731
    run()  # traces and compiles the loop: timed warm, as the network's epoch is
    return _best(run, repeats) / steps * 1e3


def network_step(X: Any, y: Any, layers: tuple[int, ...], batch: int, repeats: int):
    """Milliseconds per step of a warm Network training one epoch on ``X``."""
    from imbal_core.model import Network

    network = Network(X.shape[1], layers=layers)
    fit = lambda: network.fit(X, y, seed=0, epochs=1, batch_size=batch)  # noqa: E731
    fit()  # compiles this data size's program: a warm worker's state
    return _best(fit, repeats) / -(-len(X) // batch) * 1e3


def _best(work: Any, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def device() -> str:
    import tensorflow as tf

    gpus = tf.config.list_logical_devices("GPU")
    return gpus[0].name if gpus else "CPU (no GPU visible to TensorFlow)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=182_000)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--settle", type=float, default=300.0)
    parser.add_argument("--out-dir", default=None, help="default benchmarks/results")
    args = parser.parse_args(argv)

    from imbal_core.execution._task import configure_tensorflow

    configure_tensorflow()  # one thread, as in every worker
    import numpy as np

    rng = np.random.default_rng(0)
    X = rng.standard_normal((args.rows, 29)).astype(np.float32)
    y = (X[:, 0] + 0.5 * X[:, 1] + rng.standard_normal(args.rows) > 2.8).astype(int)
    shapes = []
    for name, layers in SHAPES.items():
        load = harness.settled_load(args.settle)
        bound = matmul_bound(X, layers, args.batch_size, args.repeats)
        step = network_step(X, y, layers, args.batch_size, args.repeats)
        shapes.append(
            {
                "network": name,
                "layers": list(layers),
                "ms_per_step": round(step, 3),
                "matmul_bound_ms": round(bound, 3),
                "ratio": round(step / bound, 2),
                "load_before": load,
            }
        )
    found = {
        "rows": args.rows,
        "batch_size": args.batch_size,
        "features": 29,
        "repeats": args.repeats,
        "device": device(),
        "machine": harness.machine(),
        "target_ratio": TARGET,
        "shapes": shapes,
        "load_after": harness.load_average(),
    }
    harness.write_results(args.out_dir, "step", found, markdown(found))
    return 0


def markdown(found: dict) -> str:
    lines = [
        "| Network | ms per step | Matmul-only bound (ms) | Ratio | Load before |",
        "|---|---:|---:|---:|---:|",
    ]
    for shape in found["shapes"]:
        met = "met" if shape["ratio"] <= found["target_ratio"] else "not met"
        lines.append(
            f"| {shape['network']} | {shape['ms_per_step']:.3f} | "
            f"{shape['matmul_bound_ms']:.3f} | {shape['ratio']:.2f}x ({met}) | "
            f"{shape['load_before']} |"
        )
    lines.append(
        f"\nBatch {found['batch_size']}, {found['rows']:,} rows of "
        f"{found['features']} features, one TensorFlow thread, best of "
        f"{found['repeats']} epochs; device: {found['device']}; target: ms per step "
        f"≤ {found['target_ratio']}x the bound; load average after "
        f"{found['load_after']}."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
