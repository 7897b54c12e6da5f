"""Benchmark: does the engine's network spread across training seeds as Keras' fit does?

``python -m benchmarks.spread`` trains, on the *same* rows (the demo data's training
split, undersampled once with ``RandomUnderSampler(random_state=42)``), the seed's
network at ``--seeds`` training seeds two ways: the engine's warm
:class:`imbal_core.model.Network` and the seed notebook's ``build_model`` + Keras'
``fit``; each scored by PR-AUC on the same test split. Only the training seed
changes (initial weights, dropout masks, batch order), so equal spreads say the
engine's training is Keras' in distribution, and a wide spread belongs to the
technique (undersampling trains ~30 Adam steps on ~600 rows), not to the engine.

Outputs: a table on stdout, ``spread.json`` and ``spread.md`` in ``--out-dir``
(``benchmarks/results``).
"""

from __future__ import annotations

import argparse
import statistics

from benchmarks import harness
from benchmarks.measure import FULL_ROWS


def measure(rows: int, seeds: int, epochs: int, batch_size: int = 256) -> dict:
    """PR-AUC per side and seed, with each side's mean and standard deviation."""
    from imbal_core.execution._task import configure_tensorflow

    configure_tensorflow()  # one thread, as in every worker
    import keras
    import numpy as np
    from imblearn.under_sampling import RandomUnderSampler
    from sklearn.metrics import average_precision_score

    from benchmarks.seed_reference import build_model
    from imbal_core import data
    from imbal_core.model import Network

    dataset = data.load_source("demo", rows=rows)
    X, y = RandomUnderSampler(random_state=42).fit_resample(
        dataset.X_train, dataset.y_train
    )
    X = np.asarray(X, dtype=np.float32)
    X_test = np.asarray(dataset.X_test, dtype=np.float32)
    network = Network(X.shape[1])
    found: dict[str, list[float]] = {"engine": [], "keras_fit": []}
    for seed in range(seeds):
        trained = network.fit(X, y, seed=seed, epochs=epochs, batch_size=batch_size)
        proba = network.predict(trained.weights, X_test)
        found["engine"].append(average_precision_score(dataset.y_test, proba))
        keras.utils.set_random_seed(seed)
        model = build_model(X.shape[1])
        model.fit(X, y, epochs=epochs, batch_size=batch_size, verbose=0)
        proba = model.predict(X_test, batch_size=8192, verbose=0).ravel()
        found["keras_fit"].append(average_precision_score(dataset.y_test, proba))
    return {
        "rows": rows,
        "rows_trained": len(y),
        "epochs": epochs,
        "seeds": list(range(seeds)),
        "pr_auc": found,
        "summary": {
            side: {
                "mean": statistics.mean(values),
                "sd": statistics.stdev(values) if len(values) > 1 else 0.0,
                "min": min(values),
                "max": max(values),
            }
            for side, values in found.items()
        },
    }


def markdown(found: dict) -> str:
    lines = [
        "| Training | Mean PR-AUC | SD over seeds | Min | Max |",
        "|---|---:|---:|---:|---:|",
    ]
    labels = {"engine": "engine's Network", "keras_fit": "Keras' fit (seed's model)"}
    for side, s in found["summary"].items():
        lines.append(
            f"| {labels[side]} | {s['mean']:.3f} | {s['sd']:.3f} | {s['min']:.3f} | "
            f"{s['max']:.3f} |"
        )
    lines.append(
        f"\nUndersampled demo data ({found['rows']:,} rows; {found['rows_trained']} "
        f"trained), {found['epochs']} epochs, training seeds "
        f"{found['seeds'][0]}–{found['seeds'][-1]}, the same rows and test split on "
        f"both sides; load average before {found['load_before']}."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=FULL_ROWS)
    parser.add_argument("--seeds", type=int, default=16)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--settle", type=float, default=150.0)
    parser.add_argument("--out-dir", default=None, help="default benchmarks/results")
    args = parser.parse_args(argv)
    if args.seeds < 2 or args.rows < 2000 or args.epochs < 1:
        raise SystemExit(
            "error: --seeds must be at least 2, --rows at least 2000 and --epochs "
            "at least 1."
        )
    load = harness.settled_load(args.settle)
    found = {**measure(args.rows, args.seeds, args.epochs), "load_before": load}
    harness.write_results(args.out_dir, "spread", found, markdown(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
