"""Across data sets, ranks (Demšar 2006): per data set ranks, mean ranks, the
Friedman test, the Nemenyi post-hoc and its critical difference — computed by
``autorank`` (Herbold 2020; the Friedman statistic by scipy) — and each
technique's wins, ties and losses against its model's baseline, overall and by
imbalance-ratio bucket.

Scores are one number per (data set, technique): the metric's mean over the
folds (and seeds) of that data set. Data sets where a technique has no score
(it failed there) are left out of the rank tests, and named.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from typing import Any

import numpy as np
import pandas as pd

from imbal_core import models
from imbal_core.evaluate import Costs, OperatingPoint

LOWER_IS_BETTER = {"brier", "cost"}
TIE = 1e-3  # two scores closer than this are a tie (PR-AUC is reported to 3 digits)
MIN_DATASETS = 5  # autorank's (and the Friedman test's chi-square) smallest sample
ALPHA = 0.05


def scores(
    benchmark: Any,
    metric: str = "pr_auc",
    point: str | OperatingPoint = "suggested",
    costs: Costs | None = None,
) -> pd.DataFrame:
    """Data sets x techniques: ``metric``'s mean over each data set's folds, with
    threshold metrics at ``point`` (default: each technique's own threshold, chosen
    on each fold's validation part); NaN where a technique failed on any fold (a
    mean over the folds it survived would not be comparable)."""
    from imbal_core.results import ComparisonView

    costs = costs or Costs(missed=100.0)
    rows = {}
    for name, comparison in benchmark.comparisons.items():
        summaries = ComparisonView(comparison).summaries(point, costs)
        rows[name] = {
            column: float(s[metric])
            if s.get("status") == "ok" and not s.get("error")
            else np.nan
            for column, s in summaries.items()
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def ranks_of(table: pd.DataFrame, metric: str = "pr_auc") -> pd.DataFrame:
    """Each row's ranks (1 = best; ties share the mean of their ranks)."""
    lower = metric in LOWER_IS_BETTER
    return table.rank(axis=1, ascending=lower, method="average")


def rank_statistics(
    table: pd.DataFrame, metric: str = "pr_auc", alpha: float = ALPHA
) -> dict[str, Any]:
    """Ranks (1 = best) of every technique on every complete data set, their means,
    and the Friedman + Nemenyi tests with the critical difference when there are
    at least three techniques and five data sets."""
    from scipy import stats

    complete = table.dropna()
    lower = metric in LOWER_IS_BETTER
    ranks = ranks_of(complete, metric)
    found: dict[str, Any] = {
        "metric": metric,
        "lower_is_better": lower,
        "datasets": len(complete),
        "techniques": table.shape[1],
        "left_out": sorted(set(table.index) - set(complete.index)),
        "ranks": ranks,
        "mean_ranks": ranks.mean().sort_values(),
        "alpha": alpha,
        "friedman": None,
        "cd": None,
        "reason": None,
    }
    if table.shape[1] < 3 or len(complete) < MIN_DATASETS:
        found["reason"] = (
            f"rank tests need 3 or more techniques and {MIN_DATASETS} or more data sets "
            f"with a score for each; this has {table.shape[1]} and {len(complete)}"
        )
        return found
    statistic, p_value = stats.friedmanchisquare(*complete.to_numpy().T)
    from autorank import autorank  # statsmodels and matplotlib: loaded only here

    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        ranked = autorank(
            complete,
            alpha=alpha,
            order="ascending" if lower else "descending",
            force_mode="nonparametric",  # ranks, whatever the scores' distribution
        )
    found["friedman"] = {
        "statistic": float(statistic),
        "p_value": float(ranked.pvalue),
        "scipy_p_value": float(p_value),
        "significant": bool(ranked.pvalue < alpha),
    }
    found["posthoc"] = ranked.posthoc
    found["cd"] = float(ranked.cd)
    return found


def reference_of(column: str) -> str:
    """The baseline of a column's model: what its technique is measured against."""
    model, _, technique = column.rpartition(":")
    return models.column(model or models.DEFAULT, "baseline")


def wins_ties_losses(table: pd.DataFrame, metric: str = "pr_auc") -> pd.DataFrame:
    """Each technique against its model's baseline: on how many data sets it is
    better, within :data:`TIE`, or worse (data sets where either failed are left out)."""
    sign = -1.0 if metric in LOWER_IS_BETTER else 1.0
    rows = {}
    for column in table.columns:
        reference = reference_of(column)
        if column == reference or reference not in table.columns:
            continue
        both = table[[column, reference]].dropna()
        diff = sign * (both[column] - both[reference])
        rows[column] = {
            "wins": int((diff > TIE).sum()),
            "ties": int((diff.abs() <= TIE).sum()),
            "losses": int((diff < -TIE).sum()),
            "against": reference,
        }
    return pd.DataFrame.from_dict(
        rows, orient="index", columns=["wins", "ties", "losses", "against"]
    )


def by_bucket(
    table: pd.DataFrame, buckets: dict[str, str], metric: str = "pr_auc"
) -> dict[str, dict[str, Any]]:
    """Mean ranks and wins/ties/losses within each imbalance-ratio bucket."""
    found = {}
    for bucket in dict.fromkeys(buckets[n] for n in table.index):
        part = table.loc[[n for n in table.index if buckets[n] == bucket]]
        found[bucket] = {
            "datasets": len(part),
            "mean_ranks": ranks_of(part.dropna(), metric).mean().sort_values(),
            "wins_ties_losses": wins_ties_losses(part, metric),
        }
    return found


def analyse(
    benchmark: Any, metric: str = "pr_auc", point: str | OperatingPoint = "suggested"
) -> dict[str, Any]:
    """Everything the CLI, the report and the Benchmark page show of a benchmark:
    the scores, the rank statistics, wins/ties/losses and the buckets."""
    table = scores(benchmark, metric, point)
    buckets = {d["name"]: d["bucket"] for d in benchmark.datasets}
    return {
        "metric": metric,
        "scores": table,
        "stats": rank_statistics(table, metric),
        "wins": wins_ties_losses(table, metric),
        "buckets": by_bucket(table, buckets, metric),
    }
