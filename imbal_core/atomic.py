"""Files written whole or not at all.

Every file the product writes (results JSON, CSV, HTML, a saved comparison, the
run store's entries) goes through :func:`write_atomic`: the bytes go to a
temporary file in the same directory, are flushed to disk, and the temporary
file is renamed over the target (``os.replace`` is atomic on one file system).
A process killed at any moment leaves either the old file or the new one, never
a shorter or half-written one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def atomic_file(target: str | Path) -> Iterator[IO[bytes]]:
    """A binary file to write; on a clean exit it replaces ``target`` in one step,
    on an error it is removed and ``target`` is untouched."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(
        dir=target.parent, prefix=f".{target.name}.", suffix=".partial", delete=False
    )
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        if isinstance(exc, OSError) and exc.filename != str(target):
            # Name the file the caller asked for, not our temporary one.
            raise OSError(exc.errno, exc.strerror, str(target)) from exc
        raise
    _sync_directory(target.parent)


def write_atomic(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (see the module docstring)."""
    with atomic_file(target) as handle:
        handle.write(data)


def _sync_directory(folder: Path) -> None:
    """Make the rename itself durable (a no-op where directories cannot be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
