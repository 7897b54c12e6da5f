"""What the local pool's fork server loads before it forks a worker (see
:mod:`imbal_core.execution._local`): TensorFlow, Keras and the training code, once,
so that every worker starts with them loaded (~0.1 s) instead of loading them itself
(~4 s of CPU each, two workers at once beside the parent's data preparation on a
2-core machine).

Importing this module is what loads them: only the fork server imports it.
"""

import os

# Before numpy and pyarrow load: with these, the server stays one thread (OpenBLAS'
# pool and jemalloc's background thread would start otherwise), so forking it is
# safe. One thread is also what each worker runs (``_task.THREADS_PER_RUN``).
os.environ["OMP_NUM_THREADS"] = "1"
os.environ.setdefault("JE_ARROW_MALLOC_CONF", "background_thread:false")

try:
    from imbal_core.execution._task import load_tensorflow

    load_tensorflow()  # imports only: no op runs, no thread pool starts
    import imbal_core.training  # noqa: F401
except Exception:  # e.g. MemoryError under a memory limit: then each worker loads
    pass  # them itself, and says why it cannot
