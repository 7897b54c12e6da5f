"""The report's words: numbers as text, the recommendation, explanations and style."""

from __future__ import annotations

import html
import math
import numbers
import re
from collections.abc import Mapping
from typing import Any

from imbal_core import evaluate
from imbal_core.figures import escape
from imbal_core.results import alerts_per_thousand, label, ok
from imbal_core.tables import column
from imbal_core.tables import label as label_of


def num(value: Any, digits: int = 3) -> str:
    if not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        return "–"
    return f"{float(value):,.{digits}f}"


def pct(value: Any, digits: int = 1) -> str:
    if not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        return "–"
    return f"{100 * float(value):.{digits}f} %"


def costs_text(config: Mapping[str, Any]) -> str:
    costs = config.get("costs") or {}
    missed = costs.get("missed", "amount")
    missed_text = (
        "its own transaction amount" if missed in (None, "amount") else num(missed, 2)
    )
    return f"each missed positive costs {missed_text}; each reviewed alert costs {num(costs.get('review', 5.0), 2)}"


def threshold_text(config: Mapping[str, Any]) -> str:
    threshold = config.get("threshold", 0.5)
    objective = config.get("threshold_objective", "f1")
    goal = "the lowest cost" if objective == "cost" else "the highest F1"
    if config.get("threshold_note"):
        return f"{num(threshold, 2)}, {escape(config['threshold_note'])}."
    point = config.get("operating_point") or {}
    if point.get("mode") in ("recall", "alerts"):
        return (
            f"each technique at {escape(point.get('description', ''))}: its threshold is "
            "chosen on the validation split to reach that operating point, and the "
            "figures are measured on the test split (thresholds are in the metrics table)."
        )
    if threshold == "suggested" or threshold is None:
        return (
            f"each technique's own threshold, chosen on the validation split for {goal} "
            "(never on the test split the results come from)."
        )
    return (
        f"{num(threshold, 2)} for every technique, as set by the user. The threshold each technique "
        f"would pick on the validation split (for {goal}) is in the training table."
    )


def params_rows(config: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Each model's and each technique's hyperparameters, with the registry default
    when unset."""
    from imbal_core import models, techniques
    from imbal_core.errors import InputError

    rows = []
    seen: set[str] = set()
    # Variants ("focal_loss[gamma=1,alpha=0.25]") count as their technique; recipes
    # ("smote+focal_loss") have their parts' parameters.
    chosen = []
    for name in dict.fromkeys(
        techniques.technique_of(str(n)) for n in config.get("techniques") or []
    ):
        try:
            chosen.append(techniques.get(name))
        except InputError:  # results may outlive a removed technique
            pass
    sweeps = config.get("sweeps") or {}
    used = [m for m in config.get("models") or [models.DEFAULT] if m in models.REGISTRY]
    several = len(used) > 1
    params = [
        (models.REGISTRY[m] if several else None, p)
        for m in used
        for p in models.REGISTRY[m].params
    ] + [(cls, p) for cls in chosen for p in cls.params]
    for owner, param in params:
        if param.name in seen:
            continue
        seen.add(param.name)
        value = config.get(param.name)
        shown = (
            ", ".join(map(param.show, sweeps[param.name])) + " (swept)"
            if param.name in sweeps
            else f"{param.show(param.default)} (default)"
            if value is None
            else param.show(float(value) if isinstance(value, numbers.Real) else value)
        )
        if param.name == "patience" and not value:  # 0 means no early stopping
            shown = "off: every run trains its fixed epochs"
        where = "" if owner is None else f" ({owner.label})"
        rows.append((f"{param.label}{where}", shown))
    return rows


def operating_point(results: Mapping[str, Any]) -> dict[str, Any] | None:
    """The technique to recommend, chosen on the validation split, with its test figures.

    Lowest validation cost when thresholds are tuned for cost, else the highest
    validation PR-AUC. When the runner-up is not clearly different (one seed, or a
    paired 95 % interval of the difference over seeds that includes 0), nothing is
    crowned: ``indistinguishable`` says why and ``runner_up`` carries its figures.
    Results written before validation scores existed are ranked on test, and say so.
    """
    done = ok(results["techniques"])
    if not done:
        return None
    stored = results.get("recommendation") or {}
    by_cost = results["config"].get("threshold_objective") == "cost"
    if _consistent(stored, done) and stored["criterion"].endswith("cost") == by_cost:
        return _stored(stored, done)
    by_cost = results["config"].get("threshold_objective") == "cost"
    validated = all("validation" in s for s in done.values())
    if validated and by_cost and all("cost" in s["validation"] for s in done.values()):
        metric, seed_key, criterion = (
            "cost",
            "validation_cost",
            "lowest validation cost",
        )
    elif validated:
        metric, seed_key, criterion = (
            "pr_auc",
            "validation_pr_auc",
            "highest validation PR-AUC",
        )
        by_cost = False
    else:
        metric, seed_key = ("cost", "cost") if by_cost else ("pr_auc", "pr_auc")
        criterion = f"{'lowest' if by_cost else 'highest'} test {metric.replace('_', '-').upper()}"

    def score(name: str) -> float:
        source = done[name]["validation"] if validated else done[name]
        return float(source[metric])

    ranked = sorted(done, key=score, reverse=not by_cost)
    point = _figures(ranked[0], done[ranked[0]])
    point.update(
        criterion=criterion,
        chosen_on="validation" if validated else "test",
        score=score(ranked[0]),
        runner_up=None,
        indistinguishable=None,
        decided_by=None,
    )
    if len(ranked) > 1:
        point["runner_up"] = {
            **_figures(ranked[1], done[ranked[1]]),
            "score": score(ranked[1]),
        }
        point["indistinguishable"] = _tie(done[ranked[0]], done[ranked[1]], seed_key)
    return point


def _consistent(found: Mapping[str, Any], done: Mapping[str, Any]) -> bool:
    """Whether a stored recommendation still names the top two of the summaries by
    its criterion (an edited file does not get to keep a verdict it no longer earns)."""
    if found.get("name") not in done or found.get("runner_up") not in (None, *done):
        return False
    by_cost = str(found.get("criterion", "")).endswith("cost")
    key = "cost" if by_cost else "pr_auc"
    try:
        ranked = sorted(
            done, key=lambda n: float(done[n]["validation"][key]), reverse=not by_cost
        )
    except (KeyError, TypeError, ValueError):
        return False
    return ranked[:2] == [found["name"], found["runner_up"]][: len(ranked[:2])]


def _stored(found: Mapping[str, Any], done: Mapping[str, Any]) -> dict[str, Any]:
    """The recommendation the engine made with the probabilities at hand."""
    by_cost = found["criterion"].endswith("cost")
    key = "cost" if by_cost else "pr_auc"
    point = _figures(found["name"], done[found["name"]])
    point.update(
        criterion=found["criterion"],
        chosen_on="validation",
        score=float(done[found["name"]]["validation"][key]),
        runner_up=None,
        indistinguishable=None,
        decided_by=None,
    )
    runner = found.get("runner_up")
    if runner is None:
        return point
    point["runner_up"] = {
        **_figures(runner, done[runner]),
        "score": float(done[runner]["validation"][key]),
    }
    if found.get("ci95") is None:  # no interval could be computed: say why
        point["indistinguishable"] = found.get("interval") or "no interval"
        return point
    low, high = found["ci95"]
    digits = 0 if by_cost else 3
    gap = (
        f"difference {found['difference']:+,.{digits}f}, 95 % interval "
        f"{low:+,.{digits}f} to {high:+,.{digits}f}, by {found['interval']}"
    )
    if found["decided"]:
        point["decided_by"] = gap
    else:
        point["indistinguishable"] = f"{gap}: the interval includes 0"
    return point


def _figures(name: str, s: Mapping[str, Any]) -> dict[str, Any]:
    """A technique's test figures at its threshold."""
    return {
        "name": name,
        "label": label(name, s),
        "threshold": float(s["threshold"]),
        "precision": float(s["precision"]),
        "recall": float(s["recall"]),
        "pr_auc": float(s["pr_auc"]),
        "cost": float(s["cost"]),
        "alerts_per_1000": alerts_per_thousand(s),
    }


def _tie(best: Mapping[str, Any], runner: Mapping[str, Any], key: str) -> str | None:
    """Why the top two cannot be told apart, or None when the first is clearly ahead."""
    a = {s["seed"]: s.get(key) for s in best.get("seeds") or []}
    b = {s["seed"]: s.get(key) for s in runner.get("seeds") or []}
    shared = [s for s in a if s in b and a[s] is not None and b[s] is not None]
    if len(shared) < 2:
        return "with one seed, the gap could be luck: train with several seeds to tell them apart"
    paired = evaluate.paired_comparison([a[s] for s in shared], [b[s] for s in shared])
    low, high = paired["ci95"]
    if low <= 0 <= high:
        return (
            f"the paired 95 % interval of their difference over {len(shared)} seeds "
            f"({low:+.3f} to {high:+.3f}) includes 0"
        )
    return None


def _at(point: Mapping[str, Any]) -> str:
    return (
        f"at a threshold of {column('threshold').text(point['threshold'])} flags {num(point['alerts_per_1000'], 1)} of "
        f"every 1,000 test cases for review; {pct(point['precision'])} of those alerts are real "
        f"positives (precision), it catches {pct(point['recall'])} of all positives (recall), "
        f"and the total cost on the test split is {num(point['cost'], 0)}"
    )


def plain_sentence(point: dict[str, Any] | None) -> str:
    """The recommendation as plain text (the CLI's last word), from the same sentence."""
    return html.unescape(re.sub(r"<[^>]+>", "", operating_sentence(point)))


def operating_sentence(point: dict[str, Any] | None) -> str:
    """The recommendation as HTML: chosen on validation, reported on test."""
    if point is None:
        return "No technique finished training, so there is no operating point to recommend."
    digits = 0 if "cost" in point["criterion"] else 3
    how = (
        "chosen on the validation split, reported on the test split"
        if point["chosen_on"] == "validation"
        else "ranked on the test split: these results predate validation scores"
    )
    first = f"<strong>{escape(point['label'])}</strong>"
    if point["indistinguishable"]:
        runner = point["runner_up"]
        second = f"<strong>{escape(runner['label'])}</strong>"
        return (
            f"{first} and {second} cannot be told apart ({point['criterion']}: "
            f"{num(point['score'], digits)} and {num(runner['score'], digits)}; "
            f"{escape(point['indistinguishable'])}), so neither is recommended over the other "
            f"({how}). {first} {_at(point)}. {second} {_at(runner)}."
        )
    clear = ""
    if point.get("decided_by") and point.get("runner_up"):
        clear = (
            f"; clearly ahead of {escape(point['runner_up']['label'])} "
            f"({escape(point['decided_by'])})"
        )
    return (
        f"{first} ({point['criterion']}, {num(point['score'], digits)}{clear}; {how}) "
        f"{_at(point)}."
    )


def network_vs_reference_text(
    duel: Mapping[str, Any] | None, techniques: Mapping[str, Any]
) -> str | None:
    """Is deep learning worth it here? The best network against the best reference
    model at the operating point, as plain text (None without both kinds)."""
    if not duel or not {duel.get("network"), duel.get("reference")} <= set(techniques):
        return None

    def shown(name: str) -> str:
        s = techniques[name]
        return (
            f"{label(name, s)}: test PR-AUC {num(s['pr_auc'])}, recall "
            f"{pct(s['recall'])} at precision {pct(s['precision'])}"
        )

    difference = float(duel["difference"])
    low, high = duel.get("ci95") or (math.nan, math.nan)
    better = "the network" if difference > 0 else "the reference model"
    verdict = (
        f"{better} is better here"
        if duel["decided"]
        else ("no clear difference: the interval includes 0")
    )
    return (
        f"Best network — {shown(duel['network'])}. Best reference model — "
        f"{shown(duel['reference'])}. Each is the best of its kind by "
        f"{duel['criterion']}. Network minus reference: {difference:+.3f} PR-AUC "
        f"(95 % interval {low:+.3f} to {high:+.3f}, {duel['interval']}): {verdict}."
    )


EXPLANATIONS: tuple[tuple[str, str], ...] = (
    (
        label_of("precision"),
        "Of the cases the model flags, the share that really are positive (e.g. fraud). Low precision means "
        "analysts spend their time on false alarms.",
    ),
    (
        label_of("recall"),
        "Of all real positives, the share the model catches. Low recall means positives slip through unnoticed.",
    ),
    (
        label_of("f1"),
        "One number that balances precision and recall (their harmonic mean). It is high only when both are.",
    ),
    (
        "PR-AUC (average precision)",
        "How well the model ranks positives above negatives across every possible threshold, judged by "
        "precision and recall. A model that guesses scores about the share of positives in the data (often "
        "well below 0.01), a perfect one scores 1. It is the headline number here because it focuses on the "
        "rare class.",
    ),
    (
        label_of("roc_auc"),
        "The chance that a random positive gets a higher score than a random negative (0.5 = guessing, 1 = "
        "perfect). With very few positives it can look excellent while precision is poor, so read it together "
        "with PR-AUC.",
    ),
    (
        "MCC (Matthews correlation)",
        "A correlation between predictions and the truth that uses all four cells of the confusion matrix: "
        "1 is perfect, 0 is no better than chance, negative is worse than chance. It stays honest when the "
        "classes are very unequal.",
    ),
    (
        "Brier score",
        "The average squared gap between the predicted probability and what happened (0 is perfect, lower is "
        "better). It tells whether a “70 %” really means 70 %. Resampling and class weights usually make "
        "probabilities too high even when the ranking improves.",
    ),
    (
        label_of("cost"),
        "What the decisions cost on the test split: every missed positive at its cost plus every alert at the "
        "cost of a review. It turns the trade-off between misses and false alarms into one amount that the "
        "business can compare.",
    ),
    (
        label_of("threshold"),
        "A case is flagged when its predicted probability is above the threshold. A lower threshold catches "
        "more positives (recall up) but raises more false alarms (precision down).",
    ),
    (
        "Why accuracy misleads",
        "When only a tiny share of cases are positive, a model that never flags anything is still right almost "
        "every time: with 0.2 % fraud it is 99.8 % “accurate” and catches no fraud at all. That is why accuracy "
        "is listed last and never used to pick a technique.",
    ),
)
