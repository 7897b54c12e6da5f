"""The local pool's fork server: one fresh process that loads TensorFlow once
(:mod:`imbal_core._preload`) and forks every worker from it, so that no worker
loads it itself. Not fork from the pool's own process: forking a process that runs
threads (the dispatcher's, a server's) is unsafe; this one runs one.
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.context import ForkServerContext
from pathlib import Path

PRELOAD = "imbal_core._preload"


def fork_server_context() -> ForkServerContext:
    """The multiprocessing context whose processes fork from the server."""
    forkserver = multiprocessing.get_context("forkserver")
    forkserver.set_forkserver_preload([PRELOAD])
    _findable_by_the_server()
    return forkserver


def _findable_by_the_server() -> None:
    """Python 3.11's fork server ignores this process's sys.path: it imports its
    preload from its own, made of the cwd it starts in and PYTHONPATH. A server or a
    test that changed directory would leave it without TensorFlow (and each worker
    loading it itself), so imbal_core's directory goes on PYTHONPATH."""
    root = str(Path(__file__).resolve().parents[2])
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if root not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([*paths, root])
