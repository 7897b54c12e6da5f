"""SMOTE on data with categorical features: one-hot groups to category codes and back.

The prepared data holds a text column as a group of scaled one-hot columns.
Interpolating them would make rows between categories, so SMOTE-NC (mixed data) and
SMOTE-N (categorical only; Chawla et al. 2002, section 6) see each group as one
column of codes, and their rows are one-hot encoded again afterwards.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class OneHotCodes:
    """The codes view of ``X`` whose one-hot ``groups`` are given by column index."""

    def __init__(self, X: np.ndarray, groups: list[list[int]]):
        self.groups = groups
        grouped = {j for group in groups for j in group}
        self.numeric = [j for j in range(X.shape[1]) if j not in grouped]
        # A scaled one-hot column holds two values: "not this category" and "this".
        self.off, self.on = X.min(axis=0), X.max(axis=0)
        self.width = X.shape[1]

    @property
    def categorical(self) -> list[int]:
        """The code columns' indices in :meth:`codes`' output."""
        start = len(self.numeric)
        return list(range(start, start + len(self.groups)))

    def codes(self, X: np.ndarray) -> np.ndarray:
        span = np.where(self.on > self.off, self.on - self.off, 1.0)
        hot = (X - self.off) / span
        columns = [hot[:, group].argmax(axis=1)[:, None] for group in self.groups]
        return np.hstack([X[:, self.numeric], *columns]).astype(np.float64)

    def one_hot(self, codes: np.ndarray) -> np.ndarray:
        rows = len(codes)
        X = np.empty((rows, self.width), dtype=np.float32)
        X[:, self.numeric] = codes[:, : len(self.numeric)]
        for k, group in enumerate(self.groups):
            chosen = codes[:, len(self.numeric) + k].astype(int)
            block = np.tile(self.off[group], (rows, 1))
            block[np.arange(rows), chosen] = self.on[group][chosen]
            X[:, group] = block
        return X


def smote_rows(t: Any, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """SMOTE's rows for technique ``t``: SMOTE-NC or SMOTE-N when X has categorical
    features (``t.categorical``), plain SMOTE otherwise."""
    from imblearn.over_sampling import SMOTE, SMOTEN, SMOTENC

    if not t.categorical:
        return SMOTE(k_neighbors=t.k_neighbors, random_state=t.seed).fit_resample(X, y)
    view = OneHotCodes(X, t.categorical)
    if view.numeric:
        sampler = SMOTENC(
            view.categorical, k_neighbors=t.k_neighbors, random_state=t.seed
        )
    else:
        sampler = SMOTEN(k_neighbors=t.k_neighbors, random_state=t.seed)
    codes, y_res = sampler.fit_resample(view.codes(X), y)
    return view.one_hot(np.asarray(codes, dtype=np.float64)), y_res
