"""Benchmarks: many data sets, cross-validated, compared by ranks.

- :mod:`~imbal_core.benchmark.suites`: where data sets come from (one file per
  suite: the KEEL collection), filters by imbalance ratio, size and name, and
  the user's own files;
- :func:`run_benchmark`: every (data set x model x technique x fold x seed) as
  runs of the one pipeline, resumable through the run store;
- :func:`scores`, :func:`rank_statistics`, :func:`wins_ties_losses`,
  :func:`by_bucket`: ranks, Friedman/Nemenyi and the critical difference
  (autorank), wins/ties/losses against the baseline;
- :func:`save_benchmark` / :func:`load_benchmark`: a benchmark as one file.
"""

from imbal_core.benchmark._file import is_benchmark, load_benchmark, save_benchmark
from imbal_core.benchmark._run import Benchmark, Tally, run_benchmark
from imbal_core.benchmark._stats import (
    ALPHA,
    TIE,
    analyse,
    by_bucket,
    rank_statistics,
    reference_of,
    scores,
    wins_ties_losses,
)

__all__ = [
    "ALPHA",
    "TIE",
    "Benchmark",
    "Tally",
    "analyse",
    "by_bucket",
    "is_benchmark",
    "load_benchmark",
    "rank_statistics",
    "reference_of",
    "run_benchmark",
    "save_benchmark",
    "scores",
    "wins_ties_losses",
]
