"""The target column as 0/1 labels: which label is positive, one-vs-rest, and
one-line errors for a column that is not a class label."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from imbal_core.data._features import MAX_CATEGORIES
from imbal_core.errors import InputError


def _label_text(value: Any) -> str:
    value = jsonable(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 1.0 and 1 are the same label to a user
    return str(value)


def binary_target(
    labels: pd.Series, target: str, positive: Any
) -> tuple[np.ndarray, Any, list[str]]:
    values = labels.to_numpy()
    classes = pd.unique(values)
    notes: list[str] = []
    numeric = pd.api.types.is_numeric_dtype(labels) and not pd.api.types.is_bool_dtype(
        labels
    )
    if numeric and not np.all(np.isfinite(values.astype(float))):
        raise InputError(
            f"{target!r} contains infinite values; class labels must be finite."
        )
    fractional = numeric and not np.all(np.mod(values.astype(float), 1) == 0)
    if len(classes) < 2:
        raise InputError(
            f"{target!r} has one class only ({_label_text(classes[0])!r}); it needs two, e.g. fraud and "
            "not fraud; add rows of the other class or choose another label column",
            option="target",
        )
    if numeric and (
        len(classes) > MAX_CATEGORIES
        or (fractional and len(classes) > 2 and positive is None)
    ):
        examples = ", ".join(f"{float(c):g}" for c in classes[:3])
        raise InputError(
            f"{target!r} looks continuous ({len(classes)} distinct numbers such as {examples}); "
            "choose a column of class labels",
            option="target",
        )
    shown = ", ".join(repr(_label_text(c)) for c in classes[:MAX_CATEGORIES]) + (
        " …" if len(classes) > MAX_CATEGORIES else ""
    )
    if positive is not None:
        wanted = str(positive).strip()
        match = [
            c for c in classes if _label_text(c) == wanted or str(jsonable(c)) == wanted
        ]
        match = match or [
            c for c in classes if _label_text(c).casefold() == wanted.casefold()
        ]
        if not match:
            raise InputError(
                f"positive label {wanted!r} is not in {target!r}; its labels are {shown}; "
                "choose one of them",
                option="positive",
            )
        positive_label = match[0]
    elif len(classes) > 2:
        raise InputError(
            f"{target!r} has {len(classes)} classes ({shown}); the rest become negative when "
            "you choose the positive one",
            option="positive",
        )
    elif {_label_text(c).lower() for c in classes} in ({"0", "1"}, {"false", "true"}):
        positive_label = next(
            c for c in classes if _label_text(c).lower() in ("1", "true")
        )
    else:
        counts = [(values == c).sum() for c in classes]
        positive_label = classes[int(np.argmin(counts))]
        notes.append(
            f"positive label inferred as the minority class {_label_text(positive_label)!r}"
        )
    if len(classes) > 2:
        notes.append(
            f"{len(classes) - 1} other classes merged into the negative class (one-vs-rest)"
        )
    return (values == positive_label).astype(np.int64), positive_label, notes


def jsonable(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value
