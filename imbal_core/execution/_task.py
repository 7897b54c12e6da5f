"""One run, in whichever process executes it: an inline thread, a pool worker, a Ray task.

The process keeps what is expensive to make: TensorFlow configured once, the
prepared Dataset (by fingerprint) and the warm compiled networks of
:mod:`imbal_core.model`. Only this module's functions load TensorFlow, and only
when they run.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from imbal_core.errors import CANCELLED, Cancelled
from imbal_core.execution._plan import RunSpec
from imbal_core.results import Run

if TYPE_CHECKING:
    from imbal_core.data import Dataset
    from imbal_core.model import Progress

THREADS_PER_RUN = 1
"""TensorFlow threads per worker. One: a second thread barely speeds up this small
network (measured: 1.99 vs 1.5-2.25 s per epoch on 182k rows), a second worker uses
the core instead, and single-threaded maths is identical whatever the worker count."""

_configured = False


def load_tensorflow(threads: int = THREADS_PER_RUN) -> None:
    """Import TensorFlow quietly, for ``threads`` threads; no op runs, so no thread
    pool starts and the process may still fork (see :mod:`imbal_core._preload`)."""
    os.environ["OMP_NUM_THREADS"] = str(threads)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with _stderr_muted():
        import tensorflow  # noqa: F401


def configure_tensorflow(threads: int = THREADS_PER_RUN) -> None:
    """Load TensorFlow quietly and set its thread pools (once per process)."""
    global _configured
    if _configured:
        return
    load_tensorflow(threads)
    import tensorflow as tf

    with _stderr_muted():
        try:
            tf.config.threading.set_intra_op_parallelism_threads(threads)
            tf.config.threading.set_inter_op_parallelism_threads(threads)
        except RuntimeError:  # TensorFlow already ran an op here: keep its pools
            pass
        tf.constant(0.0).numpy()  # the first op: devices are probed now
    _configured = True


@contextmanager
def _stderr_muted() -> Iterator[None]:
    """On a machine without a GPU, TensorFlow's C++ start-up (at import and at the
    first op) prints CUDA notices straight to file descriptor 2, before any log
    level applies; a CLI's stderr is for progress and errors, so mute it meanwhile."""
    saved = os.dup(2)
    try:
        with tempfile.TemporaryFile() as sink:
            os.dup2(sink.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def execute(
    dataset: Dataset,
    spec: RunSpec,
    progress: Progress | None = None,
    stopped: Callable[[], bool] | None = None,
) -> Run:
    """Train ``spec`` on ``dataset``; never raises for a failing or cancelled run.

    ``stopped`` is asked between epochs; when it says so the run ends as cancelled.
    """
    configure_tensorflow()
    from imbal_core.training import train_one

    def report(fraction: float, message: str) -> None:
        if stopped is not None and stopped():
            raise Cancelled
        if progress is not None:
            progress(fraction, message)

    if stopped is not None and stopped():
        return failed(spec, CANCELLED)
    run = train_one(
        dataset, spec.technique, spec.params, spec.seed, report, model=spec.model
    )
    run.split = spec.split
    return run


def failed(spec: RunSpec, reason: str) -> Run:
    """A run that never trained, with its reason."""
    return Run(
        spec.technique,
        spec.seed,
        dict(spec.params),
        error=reason,
        model=spec.model,
        split=spec.split,
    )
