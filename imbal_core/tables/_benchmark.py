"""A benchmark's tables: its data sets, each technique's scores, mean ranks with
wins/ties/losses against the baseline, and the same by imbalance-ratio bucket."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from imbal_core.results import label
from imbal_core.tables._columns import COLUMNS, labelled


def datasets_table(datasets: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per data set: size, positives, imbalance ratio, bucket, status."""
    keys = ["rows", "features", "positives", "imbalance_ratio", "bucket", "status"]
    frame = pd.DataFrame(
        [
            {k: d.get(k) for k in keys} | {"error": d.get("error") or ""}
            for d in datasets
        ],
        index=pd.Index([d["name"] for d in datasets], name="dataset"),
    )
    return labelled(frame)


def scores_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Data sets x techniques (labelled): each score, the mean over its folds."""
    frame = scores.rename(columns=label).round(4)
    frame.index.name = "dataset"
    return labelled(frame)


def ranks_table(stats: Mapping[str, Any], wins: pd.DataFrame) -> pd.DataFrame:
    """Techniques by mean rank (best first), with wins/ties/losses against their
    model's baseline."""
    rows = {}
    for column, rank in stats["mean_ranks"].items():
        row: dict[str, Any] = {"mean_rank": float(rank), "against": ""}
        if column in wins.index:
            row.update(
                wins=int(wins.loc[column, "wins"]),
                ties=int(wins.loc[column, "ties"]),
                losses=int(wins.loc[column, "losses"]),
                against=label(str(wins.loc[column, "against"])),
            )
        rows[label(str(column))] = row
    keys = ["mean_rank", "wins", "ties", "losses", "against"]
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=keys)
    frame.index.name = "technique"
    return labelled(frame)


def buckets_table(found: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """Mean rank per technique (rows) in each imbalance-ratio bucket (columns),
    with each bucket's number of data sets in its header."""
    columns = {
        f"{bucket} ({part['datasets']} data sets)": part["mean_ranks"].rename(label)
        for bucket, part in found.items()
    }
    frame = pd.DataFrame(columns).round(2)
    frame.index.name = COLUMNS["technique"].label
    return frame
