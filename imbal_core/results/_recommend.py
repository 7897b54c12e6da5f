"""Which technique to recommend, chosen on validation, and whether it is clear.

The criterion is the highest validation PR-AUC, or the lowest validation cost
when thresholds are tuned for cost. The leader is named only when its gap to the
runner-up is clear: the paired 95 % interval of their difference excludes 0 —
over the folds they share with cross-validation (corrected for the folds'
overlapping training sets), over the seeds they share when there are two or more, else (one seed) a paired
bootstrap over the validation rows, the sampling error one seed can still show.
The result says which interval decided.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from imbal_core import evaluate, models
from imbal_core.evaluate import Costs
from imbal_core.results._contract import model_of, ok
from imbal_core.results._runs import Comparison, Scored

MIN_BOOTSTRAP_POSITIVES = 10
"""Below this many validation positives, resampling them says little: no verdict."""


def recommend(
    comparison: Comparison,
    techniques: Mapping[str, Mapping[str, Any]],
    costs: Costs,
    objective: str = "f1",
) -> dict[str, Any] | None:
    """The recommendation block of ``results.json`` (None when nothing trained)."""
    done = ok(techniques)
    if not done:
        return None
    by_cost = objective == "cost"
    ranked = _ranked(done, by_cost)
    best = ranked[0]
    found: dict[str, Any] = {
        "name": best,
        "criterion": _criterion(by_cost),
        "runner_up": ranked[1] if len(ranked) > 1 else None,
        "decided": True,
        "difference": None,
        "ci95": None,
        "interval": None,
    }
    if len(ranked) < 2:
        return found
    a, b = done[best], done[ranked[1]]
    seed_key = "validation_cost" if by_cost else "validation_pr_auc"
    over_seeds = _over_shared_seeds(a, b, seed_key)
    if over_seeds is not None:
        difference, (low, high), kind = over_seeds
    else:
        run_a = comparison.ok_runs(best)[0]
        run_b = comparison.ok_runs(ranked[1])[0]
        positives = int(np.sum(run_a.y_val == 1))
        if positives < MIN_BOOTSTRAP_POSITIVES:
            found.update(
                decided=False,
                interval=f"too few validation positives ({positives}) for a bootstrap "
                "over rows to tell them apart; train with several seeds",
            )
            return found
        difference, (low, high) = _bootstrap(
            run_a, run_b, a["seeds"][0], b["seeds"][0], costs, by_cost
        )
        kind = evaluate.paired_bootstrap_kind(len(run_a.y_val))
    found.update(
        difference=float(difference),
        ci95=[float(low), float(high)],
        interval=kind,
        decided=not (low <= 0 <= high),
    )
    return found


def paired_over_runs(
    a: Mapping[str, Any], b: Mapping[str, Any], key: str
) -> dict[str, Any] | None:
    """A − B on ``key`` over the seeds both summaries have — over the folds both
    have with cross-validation (each fold's mean over its seeds; Nadeau–Bengio
    corrected, as folds overlap): :func:`~imbal_core.evaluate.paired_comparison`'s
    result with ``shared`` (how many), ``unit`` and ``kind`` (the interval in
    words); None with fewer than two shared."""
    unit, entries = ("folds", "split") if a.get("folds") else ("seeds", "seed")
    va = {s[entries]: s[key] for s in a.get(unit) or [] if key in s}
    vb = {s[entries]: s[key] for s in b.get(unit) or [] if key in s}
    shared = [s for s in va if s in vb]
    if len(shared) < 2:
        return None
    ratio = a.get("test_train_ratio") if unit == "folds" else None
    paired = evaluate.paired_comparison(
        [va[s] for s in shared], [vb[s] for s in shared], test_train_ratio=ratio
    )
    corrected = f"{evaluate.CORRECTED} " if unit == "folds" else ""
    return {
        **paired,
        "shared": len(shared),
        "unit": unit,
        "test_train_ratio": ratio,
        "kind": f"a paired {corrected}t-interval over the {len(shared)} {unit} they share",
    }


def _over_shared_seeds(
    a: Mapping[str, Any], b: Mapping[str, Any], key: str
) -> tuple[float, tuple[float, float], str] | None:
    """:func:`paired_over_runs` as (difference, interval, what the interval is)."""
    paired = paired_over_runs(a, b, key)
    if paired is None:
        return None
    return float(paired["mean_difference"]), paired["ci95"], paired["kind"]


def _bootstrap(
    a: Scored,
    b: Scored,
    seed_a: Mapping[str, Any],
    seed_b: Mapping[str, Any],
    costs: Costs,
    by_cost: bool,
) -> tuple[float, tuple[float, float]]:
    if not by_cost:
        return evaluate.paired_bootstrap(a.y_val, a.proba_val, b.proba_val)
    return evaluate.paired_bootstrap(
        a.y_val,
        _row_costs(a, float(seed_a["threshold"]), costs),
        _row_costs(b, float(seed_b["threshold"]), costs),
        metric="cost",
    )


def _row_costs(run: Scored, threshold: float, costs: Costs) -> np.ndarray:
    """Each validation row's cost at ``threshold``: a review if flagged, the miss if
    it is a positive left unflagged (its amount, or the fixed cost)."""
    flagged = run.proba_val > threshold
    missed = (run.y_val == 1) & ~flagged
    amounts = run.split.amounts_val
    miss_cost = (
        np.asarray(amounts, np.float64)
        if costs.missed is None and amounts is not None
        else np.full(len(flagged), float(costs.missed or 0.0))
    )
    return flagged * costs.review + missed * miss_cost


def _ranked(done: Mapping[str, Mapping[str, Any]], by_cost: bool) -> list[str]:
    """Best first on validation: the highest PR-AUC, or the lowest cost."""
    key = "cost" if by_cost else "pr_auc"
    return sorted(done, key=lambda n: done[n]["validation"][key], reverse=not by_cost)


def _criterion(by_cost: bool) -> str:
    return "lowest validation cost" if by_cost else "highest validation PR-AUC"


def network_vs_reference(
    comparison: Comparison,
    techniques: Mapping[str, Mapping[str, Any]],
    objective: str = "f1",
) -> dict[str, Any] | None:
    """Is deep learning worth it here? The best network against the best reference
    model, each chosen on validation as the recommendation is, and the paired
    difference of their test PR-AUC: a t-interval over the seeds both have, else
    (one seed) a paired bootstrap over the test rows. None unless both kinds trained.
    """
    done = ok(techniques)
    network = {n: s for n, s in done.items() if _is_network(model_of(s))}
    reference = {n: s for n, s in done.items() if n not in network}
    if not network or not reference:
        return None
    by_cost = objective == "cost"
    a, b = _ranked(network, by_cost)[0], _ranked(reference, by_cost)[0]
    over_seeds = _over_shared_seeds(done[a], done[b], "pr_auc")
    if over_seeds is not None:
        difference, (low, high), kind = over_seeds
    else:
        run_a, run_b = comparison.ok_runs(a)[0], comparison.ok_runs(b)[0]
        difference, (low, high) = evaluate.paired_bootstrap(
            run_a.y_test, run_a.proba_test, run_b.proba_test
        )
        kind = evaluate.paired_bootstrap_kind(len(run_a.y_test), split="test")
    return {
        "network": a,
        "reference": b,
        "criterion": _criterion(by_cost),
        "difference": float(difference),
        "ci95": [float(low), float(high)],
        "interval": kind,
        "decided": not (low <= 0 <= high),
    }


def _is_network(model: str) -> bool:
    found = models.REGISTRY.get(model)  # a saved file may outlive a model
    return model == models.DEFAULT if found is None else found.network
