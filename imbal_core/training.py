"""Training: one (technique, seed) on a prepared Dataset -> a :class:`Run`.

The only engine module (with the techniques' ``fit`` and :mod:`imbal_core.model`)
that loads TensorFlow; everything after training works on the stored probabilities.
"""

from __future__ import annotations

import gc
import traceback
from collections.abc import Callable, Sequence
from typing import Any

import keras
import numpy as np

from imbal_core import evaluate, techniques
from imbal_core.data import Dataset
from imbal_core.errors import InputError, first_line
from imbal_core.model import Progress
from imbal_core.results import Comparison, Run, comparison_of

TechniqueProgress = Callable[[str, int, float, str], None]
"""Called with (technique name, seed, fraction of that run done, message)."""


def train_one(
    dataset: Dataset,
    technique: str,
    params: dict[str, Any],
    seed: int = 42,
    progress: Progress | None = None,
) -> Run:
    """Train one technique with one seed; a failure is recorded on the run, never raised."""
    run = Run(technique, seed, dict(params), dataset.y_val, dataset.y_test)
    try:
        model = techniques.create(technique, seed=seed, **params)
        model.fit(dataset.X_train, dataset.y_train, progress=progress)
        run.proba_val = model.predict_proba(dataset.X_val)
        run.proba_test = model.predict_proba(dataset.X_test)
        run.train_class_counts = model.train_class_counts_
        run.fit_seconds = model.fit_seconds_
        if not np.all(np.isfinite(run.proba_test)):
            raise InputError(
                "training diverged (probabilities are not finite); lower the learning load or epochs."
            )
        problem = evaluate.did_not_learn(dataset.y_val, run.proba_val, run.proba_test)
        run.warnings = [problem] if problem else []
    except InputError as exc:
        run.error = str(exc)
    except Exception as exc:  # one technique failing must not stop the others
        last = traceback.extract_tb(exc.__traceback__)[-1]
        run.error = f"{type(exc).__name__}: {first_line(exc)} (in {last.name})"
    finally:
        # Probabilities are all we keep: free the graph so repeated runs don't grow memory.
        keras.backend.clear_session()
        gc.collect()
    if not run.ok:
        run.proba_val = run.proba_test = None
    return run


def run_comparison(
    dataset: Dataset,
    names: Sequence[str],
    options: dict[str, Any],
    seeds: Sequence[int] = (42,),
    progress: TechniqueProgress | None = None,
) -> Comparison:
    """Train every technique in ``names`` with every seed; failures stay per technique."""
    per_technique = techniques.validate_options(len(dataset.y_train), names, options)
    runs: dict[str, list[Run]] = {}
    for name in names:
        runs[name] = []
        for seed in seeds:
            report = (
                None
                if progress is None
                else (lambda f, m, n=name, s=seed: progress(n, s, f, m))
            )
            runs[name].append(
                train_one(dataset, name, per_technique[name], seed, report)
            )
            if progress is not None:
                last = runs[name][-1]
                progress(
                    name, seed, 1.0, "done" if last.ok else f"failed: {last.error}"
                )
    return comparison_of(dataset, names, options, seeds, runs)
