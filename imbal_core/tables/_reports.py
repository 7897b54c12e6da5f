"""The seed notebook's per-class classification report, as a table and as text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from imbal_core.tables._columns import labelled

ROWS = (
    ("0", "negative (0)"),
    ("1", "positive (1)"),
    ("accuracy", "accuracy"),
    ("macro avg", "macro avg"),
    ("weighted avg", "weighted avg"),
)


def classification_report_table(summary: Mapping[str, Any]) -> pd.DataFrame:
    """The first seed's classification report, rows in the seed notebook's order."""
    report = summary["classification_report"]
    rows = []
    for key, _ in ROWS:
        if key == "accuracy":
            # sklearn's layout: accuracy is one number; its support is every row.
            support = int(report["macro avg"]["support"])
            rows.append([np.nan, np.nan, float(report["accuracy"]), support])
        else:
            values = report[key]
            rows.append(
                [float(values[k]) for k in ("precision", "recall", "f1-score")]
                + [int(values["support"])]
            )
    frame = pd.DataFrame(
        rows,
        index=pd.Index([shown for _, shown in ROWS], name=""),
        columns=["precision", "recall", "f1", "support"],
    )
    return labelled(frame)


def classification_report_text(summary: Mapping[str, Any]) -> str:
    """The first seed's report laid out like sklearn's ``classification_report`` text:
    what the seed notebook printed, and cheap to show seven times."""
    report = summary["classification_report"]
    lines = [
        f"{'':>14}{'precision':>10}{'recall':>10}{'f1-score':>10}{'support':>10}",
        "",
    ]
    for key, shown in ROWS[:2]:
        row = report[key]
        lines.append(
            f"{shown:>14}{row['precision']:>10.4f}{row['recall']:>10.4f}"
            f"{row['f1-score']:>10.4f}{int(row['support']):>10,}"
        )
    total = int(report["macro avg"]["support"])
    lines += [
        "",
        f"{'accuracy':>14}{'':>10}{'':>10}{float(report['accuracy']):>10.4f}{total:>10,}",
    ]
    for key in ("macro avg", "weighted avg"):
        row = report[key]
        lines.append(
            f"{key:>14}{row['precision']:>10.4f}{row['recall']:>10.4f}"
            f"{row['f1-score']:>10.4f}{int(row['support']):>10,}"
        )
    return "\n".join(lines)
