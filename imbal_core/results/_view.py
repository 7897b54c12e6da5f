"""A comparison seen at a threshold: the one re-scoring path of the Compare page,
the report export and the benchmark.

:func:`technique_summary` rebuilds curves, validation suggestions and the sweep,
none of which depend on the threshold; that is most of its time. A
:class:`ComparisonView` runs it once per (costs, objective) and re-scores only the
stored test probabilities for each new threshold (:func:`rescore`), memoised.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from imbal_core.evaluate import Costs, OperatingPoint
from imbal_core.results._contract import Results, TechniqueSummary
from imbal_core.results._recommend import network_vs_reference
from imbal_core.results._runs import Comparison
from imbal_core.results._summary import (
    rescore,
    results_json,
    technique_summary,
    thresholds_at,
)

Summaries = dict[str, TechniqueSummary]


class ComparisonView:
    """Every technique's summary at any threshold, computed once per setting."""

    def __init__(self, comparison: Comparison, entries: int = 64):
        self.comparison = comparison
        self._entries = entries
        self._bases: dict[tuple[Costs, str], Summaries] = {}
        self._at: OrderedDict[tuple[OperatingPoint, Costs, str], Summaries] = (
            OrderedDict()
        )
        self._fixed: dict[str, Any] = {}
        self._duels: OrderedDict[tuple, dict[str, Any] | None] = OrderedDict()

    def summaries(
        self, threshold: float | OperatingPoint, costs: Costs, objective: str = "f1"
    ) -> Summaries:
        """Each technique's summary at ``threshold``, a number or an operating point
        (the same recall, alert budget, ...; thresholds from validation)."""
        point = OperatingPoint.parse(threshold)
        base_key = (costs, objective)
        if base_key not in self._bases:
            self._bases[base_key] = {
                name: technique_summary(self.comparison, name, point, costs, objective)
                for name in self.comparison.runs
            }
        key = (point, costs, objective)
        if key not in self._at:
            if len(self._at) >= self._entries:
                self._at.popitem(last=False)  # the oldest setting goes first
            self._at[key] = {
                name: self._rescore(name, base, point, costs)
                for name, base in self._bases[base_key].items()
            }
        return self._at[key]

    def _rescore(
        self, name: str, base: TechniqueSummary, point: OperatingPoint, costs: Costs
    ) -> TechniqueSummary:
        if base.get("status") != "ok":
            return base
        runs = self.comparison.ok_runs(name)
        return rescore(base, runs, thresholds_at(point, runs, base["seeds"]), costs)

    def results_json(
        self, threshold: float | OperatingPoint, costs: Costs, objective: str = "f1"
    ) -> Results:
        """The results JSON at these settings, from the memoised summaries."""
        summaries = self.summaries(threshold, costs, objective)
        return results_json(self.comparison, threshold, costs, objective, summaries)

    def network_vs_reference(
        self, threshold: float | OperatingPoint, costs: Costs, objective: str = "f1"
    ) -> dict[str, Any] | None:
        """The best network against the best reference model (see
        :func:`~imbal_core.results._recommend.network_vs_reference`), memoised:
        only a choice by validation cost depends on the operating point."""
        point = OperatingPoint.parse(threshold)
        key = (objective, *((point, costs) if objective == "cost" else ()))
        if key not in self._duels:
            if len(self._duels) >= self._entries:
                self._duels.popitem(last=False)
            summaries = self.summaries(point, costs, objective)
            self._duels[key] = network_vs_reference(
                self.comparison, summaries, objective
            )
        return self._duels[key]

    def once(self, name: str, build: Any) -> Any:
        """``build()`` the first time ``name`` is asked for (figures no setting changes)."""
        if name not in self._fixed:
            self._fixed[name] = build()
        return self._fixed[name]
