"""One column spec for every table: its key, its label, how to show its numbers,
which way is better, and what it means. The table builders name columns by key
(the results' own keys where there is one) and label them here, once; the pages,
the HTML report, the CLI summary and the CSV export all take labels, formats and
help from here, so they cannot drift."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Column:
    """A table column as every surface shows it.

    ``digits``: decimals for numbers (None: text, or whole numbers when ``kind``
    is ``"count"``); ``kind`` ``"percent"`` values are already in percent;
    ``better``: ``"higher"`` or ``"lower"`` for columns worth a "best" mark.
    """

    key: str
    label: str
    digits: int | None = 3
    kind: str = "number"  # number | significant | count | percent | text
    better: str | None = None
    help: str = ""

    def text(self, value: Any) -> str:
        """``value`` as it reads in a table: 0.812, 3,868, 0.173 %, or – when missing."""
        if self.kind == "text":
            return "" if value is None else str(value)
        if isinstance(value, str):  # already written out, e.g. "0.81 (0.74 to 0.87)"
            return value
        if not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
            return "–"
        if self.kind == "count":
            return f"{round(float(value)):,}"
        if self.kind == "significant":  # thresholds: 0.500, 0.0371, 0.000120
            return f"{float(value):#.{self.digits}g}"
        shown = f"{float(value):,.{self.digits}f}"
        return shown + " %" if self.kind == "percent" else shown

    @property
    def streamlit_format(self) -> str | None:
        """The printf format Streamlit's NumberColumn takes (None for text)."""
        if self.kind == "text":
            return None
        if self.kind == "count" or self.digits == 0:
            return "%,d"  # values are rounded by the table builders
        if self.kind == "significant":
            return f"%.{self.digits}g"
        suffix = " %%" if self.kind == "percent" else ""
        return f"%.{self.digits}f{suffix}"


HIGHER, LOWER = "higher", "lower"
COLUMNS: dict[str, Column] = {
    column.key: column
    for column in (
        Column("technique", "Technique", None, "text"),
        Column("model", "Model", None, "text"),
        Column("status", "Status", None, "text"),
        Column("error", "Error", None, "text"),
        Column(
            "threshold",
            "Threshold",
            3,
            "significant",
            help="A case is flagged when its "
            "probability is above it: the same for every technique, or chosen for "
            "each on the validation split (Compare at).",
        ),
        Column(
            "suggested_threshold",
            "Suggested threshold",
            3,
            "significant",
            help="Best validation F1 (or "
            "lowest validation cost): chosen on validation, never on test.",
        ),
        Column(
            "recall",
            "Recall",
            3,
            better=HIGHER,
            help="Share of the real positives caught.",
        ),
        Column(
            "precision",
            "Precision",
            3,
            better=HIGHER,
            help="Share of the alerts that are real positives.",
        ),
        Column(
            "f1", "F1", 3, better=HIGHER, help="Harmonic mean of precision and recall."
        ),
        Column(
            "pr_auc",
            "PR-AUC",
            3,
            better=HIGHER,
            help="Average precision over every "
            "threshold; does not depend on the threshold.",
        ),
        Column(
            "pr_auc_interval",
            "PR-AUC 95% interval",
            None,
            "text",
            help="Over seeds with several "
            "seeds; with one seed, a bootstrap over the test rows.",
        ),
        Column("pr_auc_low", "PR-AUC 95% CI low", 4),
        Column("pr_auc_high", "PR-AUC 95% CI high", 4),
        Column("roc_auc", "ROC-AUC", 3, better=HIGHER),
        Column(
            "mcc",
            "MCC",
            3,
            better=HIGHER,
            help="Matthews correlation, −1 to 1; fair on imbalanced data.",
        ),
        Column(
            "brier",
            "Brier",
            4,
            better=LOWER,
            help="Mean squared error of the probabilities (calibration).",
        ),
        Column(
            "cost",
            "Cost",
            0,
            better=LOWER,
            help="Missed positives plus reviewed alerts "
            "on the test split, at the costs set on the Compare page.",
        ),
        Column(
            "alerts_per_1000",
            "Alerts per 1k",
            1,
            better=LOWER,
            help="Cases flagged per 1,000 test cases: the review workload.",
        ),
        Column(
            "accuracy",
            "Accuracy",
            4,
            help="Shown last on purpose: flagging nothing is "
            "already almost perfectly accurate on rare positives.",
        ),
        Column("fit_seconds", "Fit seconds", 1),
        Column(
            "epochs_run",
            "Epochs run",
            1,
            help="Fewer than asked when early stopping stopped it.",
        ),
        Column(
            "best_epoch", "Best epoch", 1, help="The epoch whose weights were kept."
        ),
        Column("seeds", "Seeds", None, "count"),
        Column("interval", "Interval", None, "text"),
        Column("set", "Set", None, "text"),
        Column("negative", "Negative", None, "count"),
        Column("positive", "Positive", None, "count"),
        Column("positive_share", "Positive share", 3, "percent"),
        Column(
            "alerts",
            "Alerts",
            None,
            "count",
            help="Cases flagged at the threshold (first seed).",
        ),
        Column(
            "top_k_precision",
            "Precision in top k",
            3,
            help="Share of positives among the k "
            "highest-scored cases; ignores the threshold.",
        ),
        Column("top_k_positives", "Positives in top k", None, "count"),
        Column("support", "Support", None, "count"),
        Column("comparison", "Comparison id", None, "text"),
        Column("when", "Kept at", None, "text"),
        Column(
            "source",
            "Data used",
            None,
            "text",
            help="Where the data came from: a file name, the demo or creditcard.",
        ),
        Column(
            "fingerprint",
            "Fingerprint",
            None,
            "text",
            help="The prepared data's fingerprint: the same file and split give the same.",
        ),
        Column("columns", "Techniques compared", None, "text"),
        Column("models", "Models compared", None, "text"),
        Column(
            "best",
            "Best at its operating point",
            None,
            "text",
            help="The technique chosen on validation at the operating point the "
            "comparison was kept at; recall, precision and PR-AUC on test.",
        ),
        Column("megabytes", "Size (MB)", 1),
        Column("dataset", "Data set", None, "text"),
        Column(
            "mean_rank",
            "Mean rank",
            2,
            better=LOWER,
            help="Its rank among the techniques on each data set (1 = best), averaged.",
        ),
        Column(
            "wins", "Wins", None, "count", help="Data sets where it beats the baseline."
        ),
        Column("ties", "Ties", None, "count", help="Within 0.001 of the baseline."),
        Column("losses", "Losses", None, "count", help="Where the baseline beats it."),
        Column("against", "Against", None, "text"),
        Column("datasets", "Data sets", None, "count"),
        Column("rows", "Size (rows)", None, "count"),
        Column("features", "Feature columns", None, "count"),
        Column("positives", "Positive rows", None, "count"),
        Column(
            "imbalance_ratio",
            "Imbalance ratio",
            1,
            help="Negatives per positive.",
        ),
        Column("bucket", "IR bucket", None, "text"),
    )
}
"""Every table column of the code base, by key: each label is written here, once."""
BY_LABEL = {column.label: column for column in COLUMNS.values()}


def column(key: str) -> Column:
    """The spec of the column ``key`` (a results key such as ``"recall"``)."""
    return COLUMNS[key]


def label(key: str) -> str:
    """The label of the column ``key``."""
    return COLUMNS[key].label


def labelled(frame: Any) -> Any:
    """``frame`` with its columns and index renamed from keys to labels."""
    frame = frame.rename(columns={k: c.label for k, c in COLUMNS.items()})
    if frame.index.name in COLUMNS:
        frame.index.name = COLUMNS[frame.index.name].label
    return frame


def formatted(frame: Any) -> tuple[list[str], list[list[str]]]:
    """A table's header (its index name first) and every cell as text, each
    formatted by its column's spec: what the HTML report and the CLI print."""
    header = [str(frame.index.name or ""), *map(str, frame.columns)]
    specs = [
        BY_LABEL.get(str(c), Column("", str(c), None, "text")) for c in frame.columns
    ]
    rows = [
        [
            str(index),
            *(spec.text(value) for spec, value in zip(specs, row, strict=True)),
        ]
        for index, row in zip(frame.index, frame.itertuples(index=False), strict=True)
    ]
    return header, rows


def text_table(frame: Any) -> str:
    """A table as aligned plain text (numbers right-aligned), for a terminal."""
    header, rows = formatted(frame)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
