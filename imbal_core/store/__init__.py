"""Run caches: a finished run is never trained twice.

:class:`RunCache` is the interface the pipeline reads before training and writes
after each run (``get`` / ``put`` by :meth:`RunSpec.key`, which covers the data's
fingerprint, split, model, technique, hyperparameters and seed). Failed and
cancelled runs are never kept: a retry may succeed. :class:`MemoryCache` keeps
runs in this process (the dashboard shares one between sessions).
"""

from imbal_core.store._memory import MemoryCache, RunCache

__all__ = ["MemoryCache", "RunCache"]
