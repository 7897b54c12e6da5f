"""A benchmark as one self-contained HTML page: the critical-difference diagram,
mean ranks with wins/ties/losses, the buckets, every data set and its scores."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from imbal_core import benchmark as bench
from imbal_core import figures, tables
from imbal_core.atomic import write_atomic
from imbal_core.figures import escape
from imbal_core.report._page import document, figure_html, frame_html


def rank_sentence(stats: Mapping[str, Any]) -> str:
    """What the rank tests say, in one or two sentences (plain text)."""
    parts = []
    if stats["friedman"] is None:
        parts.append(f"No rank test: {stats['reason']}.")
    else:
        test = stats["friedman"]
        verdict = (
            "the techniques' ranks differ more than chance explains"
            if test["significant"]
            else "no difference between the techniques is shown"
        )
        parts.append(
            f"Friedman test over {stats['datasets']} data sets: chi-square "
            f"{test['statistic']:.2f}, p = {test['p_value']:.3g}, so {verdict} at "
            f"alpha {stats['alpha']}; two techniques differ (Nemenyi) when their mean "
            f"ranks are more than {stats['cd']:.2f} apart."
        )
    if stats["left_out"]:
        parts.append(
            f"Left out of the ranks, as a technique failed on a fold there: "
            f"{', '.join(stats['left_out'])}."
        )
    return " ".join(parts)


def benchmark_report(
    found: bench.Benchmark,
    metric: str = "pr_auc",
    analysis: Mapping[str, Any] | None = None,
) -> str:
    """The whole benchmark as one HTML page (escaped; plotly inline; no network);
    ``analysis``: :func:`~imbal_core.benchmark.analyse`'s, when already made."""
    analysis = analysis or bench.analyse(found, metric)
    stats, config = analysis["stats"], found.config
    label = tables.COLUMNS[metric].label
    ok = [d for d in found.datasets if d.get("status") == "ok"]
    title = f"Benchmark: {len(ok)} data sets, {len(config.get('techniques', []))} techniques"
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    folds = f"{config.get('folds')}-fold cross-validation" + (
        f" × {config['repeats']} repeats" if config.get("repeats", 1) > 1 else ""
    )
    buckets = tables.buckets_table(analysis["buckets"])
    return document(
        title,
        f"""<p class="meta">Generated {now} · {escape(folds)} on every data set · seeds
{escape(", ".join(map(str, config.get("seeds", []))))} · ranked by {escape(label)}</p>
<p class="callout">{escape(rank_sentence(stats))}</p>
<p>Each data set's score is the mean of {escape(label)} over its test folds (threshold
metrics at each technique's own threshold, chosen on each fold's validation part);
techniques are ranked on each data set (1 = best, ties share a rank) and the ranks are
averaged (Demšar 2006). Wins, ties (within {bench.TIE}) and losses count data sets
against the same model's baseline.</p>
{figure_html([("cd", figures.cd_diagram(stats))])}
<h2>Mean ranks</h2>
{frame_html(tables.ranks_table(stats, analysis["wins"]))}
<h2>By imbalance ratio</h2>
<p>Mean ranks within each of CLIMB's imbalance-ratio buckets (negatives per positive).</p>
{frame_html(buckets)}
<h2>Data sets</h2>
{frame_html(tables.datasets_table(found.datasets))}
<h2>Scores</h2>
<p>{escape(label)} per data set and technique (mean over folds; blank: failed on a fold).</p>
{frame_html(tables.scores_table(analysis["scores"]))}
""",
    )


def write_benchmark_report(
    found: bench.Benchmark, out_html: str | Path, metric: str = "pr_auc"
) -> None:
    write_atomic(out_html, benchmark_report(found, metric).encode("utf-8"))
