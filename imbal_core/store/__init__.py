"""Run caches: a finished run is never trained twice, and nothing finished is lost.

:class:`RunCache` is the interface the pipeline reads before training and writes
after each run (``get`` / ``put`` by :meth:`RunSpec.key`, which covers the data's
fingerprint, split, model, technique, hyperparameters and seed). Failed and
cancelled runs are never kept: a retry may succeed.

- :class:`RunStore`: the durable one, a folder on disk shared by every process
  (the CLI, every dashboard server, the benchmark; Ray's driver writes what its
  workers return), with its :class:`History` of finished comparisons;
- :class:`MemoryCache`: runs in this process only.
"""

from imbal_core.store._disk import RunStore
from imbal_core.store._history import History
from imbal_core.store._index import LIMIT_VARIABLE, VARIABLE, default_root, disabled
from imbal_core.store._memory import MemoryCache, RunCache


def open_store(root: str | None = None) -> RunStore | None:
    """The store at ``root`` (else ``$IMBAL_STORE``, else the per-user folder);
    None when ``$IMBAL_STORE`` is ``off`` and no ``root`` is given."""
    if root is None and disabled():
        return None
    return RunStore(root)


__all__ = [
    "History",
    "LIMIT_VARIABLE",
    "MemoryCache",
    "RunCache",
    "RunStore",
    "VARIABLE",
    "default_root",
    "open_store",
]
