"""Data suites a benchmark draws from: one module per suite, found here.

A suite module defines ``NAME``, ``LABEL``, ``INSTALL`` (how to get it, or "")
and ``entries() -> list[Entry]``; adding a suite is adding a file. The user's own
files (``--data a.csv``) and the named sources (``demo``, ``creditcard``) join a
benchmark as :func:`file_entry` s.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pandas as pd

from imbal_core.errors import InputError

IR_BUCKETS = (
    (0, 5, "IR < 5"),
    (5, 10, "IR 5–10"),
    (10, 50, "IR 10–50"),
    (50, float("inf"), "IR > 50"),
)
"""CLIMB's (2025) imbalance-ratio buckets: negatives per positive."""


@dataclass(frozen=True)
class Entry:
    """One data set of a benchmark: what it is, and how to read its table."""

    name: str
    suite: str
    rows: int
    features: int
    positives: int
    read: Callable[[], pd.DataFrame] = field(repr=False, compare=False)
    target: str = "Class"
    positive: Any = None
    drop: tuple[str, ...] = ()

    @property
    def imbalance_ratio(self) -> float:
        """Negatives per positive."""
        return (self.rows - self.positives) / max(self.positives, 1)

    @property
    def bucket(self) -> str:
        return bucket_of(self.imbalance_ratio)

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "suite": self.suite,
            "rows": self.rows,
            "features": self.features,
            "positives": self.positives,
            "imbalance_ratio": round(self.imbalance_ratio, 2),
            "bucket": self.bucket,
        }


def bucket_of(ratio: float) -> str:
    return next(label for low, high, label in IR_BUCKETS if low <= ratio < high)


def _modules() -> dict[str, ModuleType]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found[module.NAME] = module
    return found


REGISTRY = _modules()


def entries(suite: str) -> list[Entry]:
    """Every data set of ``suite``, or a one-line :class:`InputError`."""
    module = REGISTRY.get(suite)
    if module is None:
        raise InputError(
            f"unknown suite {suite!r}; choose from {', '.join(sorted(REGISTRY))}",
            option="suite",
        )
    return module.entries()


def select(
    found: list[Entry],
    *,
    min_ir: float | None = None,
    max_ir: float | None = None,
    min_rows: int | None = None,
    max_rows: int | None = None,
    names: tuple[str, ...] = (),
    limit: int | None = None,
) -> list[Entry]:
    """The entries within the filters (imbalance ratio, rows, any of ``names`` as a
    part of the name), smallest first, at most ``limit``."""
    kept = [
        e
        for e in found
        if (min_ir is None or e.imbalance_ratio >= min_ir)
        and (max_ir is None or e.imbalance_ratio <= max_ir)
        and (min_rows is None or e.rows >= min_rows)
        and (max_rows is None or e.rows <= max_rows)
        and (not names or any(n.casefold() in e.name.casefold() for n in names))
    ]
    kept.sort(key=lambda e: (e.rows * e.features, e.name))
    return kept[:limit] if limit else kept


def file_entry(
    source: str, target: str = "Class", positive: Any = None, rows: int = 0
) -> Entry:
    """A named source (``demo``, ``creditcard``) or a CSV/Parquet file as an entry."""
    from imbal_core import data

    frame = data.source_frame(source, rows or data.CREDITCARD_ROWS)
    if target not in frame.columns:
        raise InputError(
            f"{source}: target column {target!r} not found; choose it with --target",
        )
    named = source in data.NAMED_SOURCES
    counts = frame[target].value_counts()
    return Entry(
        name=data.source_label(source, rows or data.CREDITCARD_ROWS)
        if named
        else str(source),
        suite="files",
        rows=len(frame),
        features=frame.shape[1] - 1,
        positives=int(counts.min())
        if positive is None
        else int((frame[target].astype(str) == str(positive)).sum()),
        read=lambda: frame,
        target=target,
        positive=positive,
        drop=("Time",) if named else (),
    )
