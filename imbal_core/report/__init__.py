"""One self-contained HTML report of a comparison, from the results JSON alone.

Built from the plain results dict (``results_json`` or the CLI's ``results.json``), so
a report can be made long after training; needs no TensorFlow. The CSV export is
:func:`imbal_core.tables.metrics_csv`; re-scoring at another threshold is
:func:`imbal_core.results.at_threshold`.

Public API
----------
html_report(results, threshold=None) -> str
    One HTML file: configuration, data summary, charts, the chosen operating point
    and plain-language explanations. plotly.js is inlined once; no network requests.
write_report(results, out_html, csv_path=None, threshold=None) -> None
    Write the HTML report (and optionally the metrics CSV).
network_vs_reference_text(duel, techniques) -> str | None
    The best network against the best reference model, in one paragraph.
operating_point(results) -> dict | None
    The technique to recommend (best PR-AUC, or lowest cost when thresholds were
    tuned for cost) with its threshold, precision, recall, alerts per 1,000 and cost.
benchmark_report(found, metric="pr_auc") / write_benchmark_report(found, out_html)
    A benchmark as one HTML page: its critical-difference diagram, mean ranks,
    wins/ties/losses, buckets and scores; rank_sentence(stats) says what the tests say.
EXPLANATIONS: tuple[tuple[str, str], ...]
    (term, plain-language explanation) for every metric the report shows.
"""

from imbal_core.report._benchmark import (
    benchmark_report,
    rank_sentence,
    write_benchmark_report,
)
from imbal_core.report._html import html_report, write_report
from imbal_core.report._text import (
    EXPLANATIONS,
    network_vs_reference_text,
    operating_point,
)

__all__ = [
    "EXPLANATIONS",
    "benchmark_report",
    "rank_sentence",
    "write_benchmark_report",
    "html_report",
    "network_vs_reference_text",
    "operating_point",
    "write_report",
]
