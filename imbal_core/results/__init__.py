"""Trained runs and the results contract every view reads.

- :class:`Run` / :class:`Comparison` (with its :class:`Split` s, and each run
  :class:`Scored` against its split): probabilities of trained runs (no TensorFlow).
- :class:`ComparisonView`: a comparison at any threshold, memoised (the Compare
  page's, the report's and the benchmark's one re-scoring path).
- :func:`results_json`, :func:`technique_summary`, :func:`rescore`,
  :func:`at_threshold`: runs -> the ``results.json`` shape, at any threshold.
- :class:`Results` and friends: that shape, declared; :func:`check_results` /
  :func:`load_results`: the one validator and loader.
- :func:`label`, :func:`is_synthetic`, :func:`ok`, :func:`failed`, …: the one copy of
  each rule for reading results.
"""

from imbal_core.results._contract import (
    Curves,
    Results,
    SeedResult,
    Techniques,
    TechniqueSummary,
    alerts_per_thousand,
    check_results,
    dump_results,
    failed,
    first_seed,
    is_synthetic,
    label,
    load_results,
    metric_ci,
    model_of,
    models_used,
    n_folds,
    n_seeds,
    ok,
    spread,
)
from imbal_core.results._recommend import paired_over_runs
from imbal_core.results._runs import Comparison, Run, Scored, Split
from imbal_core.results._saved import load_comparison, save_comparison, saved_results
from imbal_core.results._summary import (
    AT_THRESHOLD,
    at_threshold,
    fields_at,
    rescore,
    results_json,
    technique_summary,
)
from imbal_core.results._view import ComparisonView

__all__ = [
    "load_comparison",
    "save_comparison",
    "saved_results",
    "AT_THRESHOLD",
    "Comparison",
    "ComparisonView",
    "Curves",
    "Results",
    "Run",
    "Scored",
    "SeedResult",
    "Split",
    "TechniqueSummary",
    "Techniques",
    "alerts_per_thousand",
    "at_threshold",
    "check_results",
    "dump_results",
    "failed",
    "fields_at",
    "first_seed",
    "is_synthetic",
    "label",
    "load_results",
    "metric_ci",
    "model_of",
    "models_used",
    "n_folds",
    "n_seeds",
    "ok",
    "paired_over_runs",
    "rescore",
    "spread",
    "results_json",
    "technique_summary",
]
