"""The results contract: the shape of ``results.json``, one validator, one loader.

Built by :func:`imbal_core.results.results_json`, read by the Compare page, the
report, the CLI and the benchmark. The JSON is the exchange format (a report can be
made long after training, from the file alone), so its shape is declared here once
as ``TypedDict``\\ s and checked by :func:`check_results`; every reader goes through
the small helpers below instead of re-deriving labels or counts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, NotRequired, TypedDict

from imbal_core import evaluate
from imbal_core.errors import InputError


class SeedResult(TypedDict):
    """One seed of one technique, at the threshold in use."""

    seed: int
    suggested_threshold: float
    pr_auc: float
    roc_auc: float
    brier: float
    train_class_counts: dict[str, int]
    fit_seconds: float
    epochs_run: NotRequired[float | None]  # fewer than asked if stopped early
    best_epoch: NotRequired[float | None]  # the epoch whose weights were kept
    threshold: float
    precision: float
    recall: float
    f1: float
    accuracy: float
    mcc: float
    cost: float
    confusion_matrix: list[list[int]]


class Curves(TypedDict):
    """The first seed's test curves: enough to redraw every chart from the JSON."""

    pr: dict[str, list[float]]  # precision, recall
    roc: dict[str, list[float]]  # fpr, tpr
    sweep: dict[str, list]  # thresholds, counts (tn, fp, fn, tp per threshold), cost
    reliability: dict[str, list[float]]


class TechniqueSummary(TypedDict):
    """What the results say of one technique: means over seeds at ``threshold``.

    A failed technique has only ``status``, ``label`` and ``error``.
    """

    status: Literal["ok", "failed"]
    label: str
    error: str | None
    model: NotRequired[str]  # absent in files before models existed: the MLP
    threshold: NotRequired[float]
    suggested_threshold: NotRequired[float]
    precision: NotRequired[float]
    recall: NotRequired[float]
    f1: NotRequired[float]
    accuracy: NotRequired[float]
    mcc: NotRequired[float]
    cost: NotRequired[float]
    pr_auc: NotRequired[float]
    roc_auc: NotRequired[float]
    brier: NotRequired[float]
    pr_auc_mean: NotRequired[float]
    pr_auc_ci95: NotRequired[list[float]]  # [low, high]
    pr_auc_ci_kind: NotRequired[str]  # over folds or seeds, or test rows with one seed
    folds: NotRequired[list[dict[str, Any]]]  # cross-validation: each fold's means
    test_train_ratio: NotRequired[float]  # for intervals over overlapping folds
    train_class_counts: NotRequired[dict[str, int]]
    fit_seconds: NotRequired[float]
    epochs_run: NotRequired[float]  # mean over seeds
    best_epoch: NotRequired[float]
    validation: NotRequired[
        dict[str, float]
    ]  # pr_auc, cost at the threshold: for choices
    warnings: NotRequired[
        list[str]
    ]  # e.g. "did not learn: ..." (per seed when several)
    confusion_matrix: NotRequired[list[list[int]]]  # first seed: [[tn, fp], [fn, tp]]
    classification_report: NotRequired[dict[str, Any]]  # first seed
    seeds: NotRequired[list[SeedResult]]
    curves: NotRequired[Curves]


class Recommendation(TypedDict):
    """The technique recommended on validation, and whether the gap is clear."""

    name: str
    criterion: str  # "highest validation PR-AUC" or "lowest validation cost"
    runner_up: str | None
    decided: bool  # False: the paired 95 % interval of the difference includes 0
    difference: float | None  # leader minus runner-up, on the criterion
    ci95: list[float] | None
    interval: str | None  # which interval decided: over seeds, or a bootstrap over rows


class NetworkVsReference(TypedDict):
    """The best network against the best reference model: each the best of its
    kind on the recommendation's validation criterion, compared on test PR-AUC."""

    network: str
    reference: str
    criterion: str  # as the recommendation's
    difference: float  # test PR-AUC, network minus reference
    ci95: list[float] | None  # paired, over seeds (or test rows with one seed)
    interval: str
    decided: bool  # False: the interval includes 0


class Results(TypedDict):
    """The whole comparison (the CLI's ``results.json``)."""

    dataset: dict[str, Any]  # Dataset.summary(): source, rows, positives, splits, …
    config: dict[
        str, Any
    ]  # techniques, models, seeds, hyperparameters, threshold, costs
    techniques: dict[str, TechniqueSummary]
    recommendation: NotRequired[Recommendation]  # absent in files before it existed
    network_vs_reference: NotRequired[NetworkVsReference]  # with both kinds trained


Techniques = Mapping[str, Mapping[str, Any]]
"""``results["techniques"]``: technique name -> :class:`TechniqueSummary`."""

# The fields a successful technique must carry for every view to be drawn.
_REQUIRED_OK = (
    "threshold",
    "precision",
    "recall",
    "pr_auc",
    "cost",
    "confusion_matrix",
    "curves",
)
_TRAIN_HINT = "pass the results.json written by `python -m imbal_core train`."


# ----------------------------------------------------------------- checking
def check_results(results: Any) -> Results:
    """``results`` as :class:`Results`, or a one-line :class:`InputError` saying what is wrong."""
    if not isinstance(results, Mapping):
        raise InputError(f"the results are not a JSON object; {_TRAIN_HINT}")
    missing = [
        key
        for key in ("dataset", "config", "techniques")
        if not isinstance(results.get(key), Mapping)
    ]
    if missing:
        raise InputError(
            f"the results have no {', '.join(repr(m) for m in missing)} section; {_TRAIN_HINT}"
        )
    if not results["techniques"]:
        raise InputError(
            "the results list no technique; train at least one and export again."
        )
    for name, summary in results["techniques"].items():
        if not isinstance(summary, Mapping) or "status" not in summary:
            raise InputError(
                f"technique {str(name)[:60]!r} in the results has no status; the file is damaged or from another tool."
            )
        if summary["status"] == "ok":
            absent = [k for k in _REQUIRED_OK if k not in summary]
            if absent:
                raise InputError(
                    f"technique {str(name)[:60]!r} in the results lacks {', '.join(absent)}; "
                    "re-run `python -m imbal_core train` to write a complete results.json."
                )
    return dict(results)  # type: ignore[return-value]


def load_results(path: str | Path) -> Results:
    """Read a ``results.json`` and check its shape and every value; a one-line
    :class:`InputError` starting with the file's name otherwise."""
    from imbal_core.results._validate import check_values, parse_json

    path = Path(path)
    if not path.is_file():
        raise InputError(
            f"results file {str(path)!r} not found; write one with `python -m imbal_core train --out {path.name}`."
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path.name} is not UTF-8 text ({exc.reason}); pass a results.json."
        ) from None
    results = parse_json(text, path.name)
    try:
        checked = check_results(results)
    except InputError as exc:
        raise InputError(f"{path.name}: {exc}") from None
    check_values(checked, path.name)
    return checked


def dump_results(results: Mapping[str, Any]) -> str:
    """``results`` as strict JSON text (what ``results.json`` files contain).

    Strict: ``NaN``/``Infinity`` are not JSON, and other tools reject them, so a
    non-finite number (e.g. an undefined metric) is written as ``null``.
    """
    return json.dumps(_finite(results), indent=1, allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


# ------------------------------------------------------------------ reading
def label(name: str, summary: Mapping[str, Any] | None = None) -> str:
    """A technique's display label: the one stored in the results, else the registry's,
    else the name itself (results may outlive a removed technique)."""
    if summary is not None and summary.get("label"):
        return str(summary["label"])
    from imbal_core import techniques  # metadata, no Keras

    return techniques.label(str(name))


def is_synthetic(source: Any) -> bool:
    """Whether a data source name is the generated demo data.

    The demo's source name is ``"demo (synthetic, N rows)"`` (see
    :func:`imbal_core.data.load_source`); an upload named ``demo.csv`` is real data.
    """
    text = str(source or "")
    return text == "demo" or text.startswith("demo (synthetic")


def ok(techniques: Techniques) -> dict[str, Mapping[str, Any]]:
    """The techniques that trained (at least one seed)."""
    return {n: s for n, s in techniques.items() if s.get("status") == "ok"}


def model_of(summary: Mapping[str, Any]) -> str:
    """The model a technique's summary was trained on (the MLP in older files)."""
    from imbal_core import models  # metadata, no learning library

    return str(summary.get("model") or models.DEFAULT)


def models_used(techniques: Techniques) -> list[str]:
    """The models of these summaries, in order of first appearance."""
    return list(dict.fromkeys(model_of(s) for s in techniques.values()))


def failed(techniques: Techniques) -> dict[str, str]:
    """Failed techniques and why."""
    return {
        n: str(s.get("error") or "failed")
        for n, s in techniques.items()
        if s.get("status") != "ok"
    }


def n_seeds(techniques: Techniques) -> int:
    """The most runs (seeds, times folds with cross-validation) any successful
    technique has."""
    return max((len(s.get("seeds") or []) for s in ok(techniques).values()), default=0)


def n_folds(techniques: Techniques) -> int:
    """The most cross-validation folds any successful technique has (0: holdout)."""
    return max((len(s.get("folds") or []) for s in ok(techniques).values()), default=0)


def spread(techniques: Techniques) -> str:
    """What intervals and means are over: "3 seeds", "5 folds", "5 folds × 2 seeds"."""
    folds, runs = n_folds(techniques), n_seeds(techniques)
    if not folds:
        return f"{runs} seed{'s' if runs != 1 else ''}"
    seeds = runs // folds
    return f"{folds} folds" + (f" × {seeds} seeds" if seeds > 1 else "")


def metric_ci(summary: Mapping[str, Any], metric: str) -> tuple[float, float, float]:
    """Mean and 95 % CI of ``metric`` over the summary's seeds, inside the metric's
    range (:func:`imbal_core.evaluate.interval`); with cross-validation over its
    folds, corrected for their overlap. With one seed, PR-AUC's stored interval when
    it has one (a bootstrap over test rows); other metrics a point."""
    bounds = evaluate.METRIC_BOUNDS.get(metric, evaluate.UNBOUNDED)
    folds = [f[metric] for f in summary.get("folds") or [] if metric in f]
    if len(folds) > 1 and summary.get("test_train_ratio") is not None:
        mean, (low, high) = evaluate.interval(
            folds, bounds, test_train_ratio=float(summary["test_train_ratio"])
        )
        return mean, low, high
    values = [s[metric] for s in summary.get("seeds") or [] if metric in s]
    stored = summary.get("pr_auc_ci95") or [None]
    if metric == "pr_auc" and len(values) < 2 and summary.get("pr_auc_ci_kind"):
        if None not in stored:
            return float(summary["pr_auc"]), float(stored[0]), float(stored[1])
    if not values:
        value = float(summary[metric])
        return value, value, value
    mean, (low, high) = evaluate.interval(values, bounds)
    return mean, low, high


def alerts_per_thousand(summary: Mapping[str, Any]) -> float:
    """Cases flagged per 1,000 test cases at the summary's threshold (first seed)."""
    (tn, fp), (fn, tp) = summary["confusion_matrix"]
    total = tn + fp + fn + tp
    return 1000.0 * (fp + tp) / total if total else 0.0


def first_seed(summary: Mapping[str, Any]) -> Mapping[str, Any]:
    """The first seed's metrics: the seed whose curves and confusion matrix are stored."""
    seeds = summary.get("seeds") or []
    return seeds[0] if seeds else summary
