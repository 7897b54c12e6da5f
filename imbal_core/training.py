"""Training: one (model, technique, seed) on a prepared Dataset -> a :class:`Run`.

The only engine module (with the techniques' ``fit`` and :mod:`imbal_core.model`)
that loads TensorFlow; it runs inside an executor's worker (see
:mod:`imbal_core.execution`). Everything after training works on the probabilities.
"""

from __future__ import annotations

import traceback
from typing import Any

import numpy as np

from imbal_core import evaluate, models, techniques
from imbal_core.data import Dataset
from imbal_core.errors import CANCELLED, Cancelled, InputError, first_line
from imbal_core.model import Progress
from imbal_core.results import Run


def train_one(
    dataset: Dataset,
    technique: str,
    params: dict[str, Any],
    seed: int = 42,
    progress: Progress | None = None,
    model: str = models.DEFAULT,
) -> Run:
    """Train one technique on ``model`` with one seed; a failure is recorded on the
    run, never raised."""
    run = Run(technique, seed, dict(params), model=model)
    try:
        trained = techniques.create(technique, seed=seed, model=model, **params)
        trained.fit(
            dataset.X_train,
            dataset.y_train,
            dataset.X_val,
            dataset.y_val,
            progress=progress,
            categorical=dataset.categorical,
        )
        # float32, the network's own precision (an ensemble's mean included), so a
        # saved comparison stores them exactly.
        run.proba_val = _float32(trained.predict_proba(dataset.X_val))
        run.proba_test = _float32(trained.predict_proba(dataset.X_test))
        run.train_class_counts = trained.train_class_counts_
        run.fit_seconds = trained.fit_seconds_
        run.epochs_run, run.best_epoch = trained.epochs_run_, trained.best_epoch_
        if not np.all(np.isfinite(run.proba_test)):
            raise InputError(
                "training diverged (the model's outputs are not finite numbers); "
                "try fewer epochs or a larger batch size."
            )
        problem = evaluate.did_not_learn(dataset.y_val, run.proba_val, run.proba_test)
        run.warnings = [problem] if problem else []
    except Cancelled:
        run.error = CANCELLED
    except InputError as exc:
        run.error = str(exc)
    except Exception as exc:  # one technique failing must not stop the others
        last = traceback.extract_tb(exc.__traceback__)[-1]
        run.error = f"{type(exc).__name__}: {first_line(exc)} (in {last.name})"
    if not run.ok:
        run.proba_val = run.proba_test = None
    return run


def _float32(proba: np.ndarray) -> np.ndarray:
    return np.asarray(proba, dtype=np.float32).astype(np.float64)
