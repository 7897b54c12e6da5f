from typing import Any

import numpy as np

from imbal_core.errors import InputError
from imbal_core.techniques.parts import K_NEIGHBORS, Sampler


class KMeansSmote(Sampler):
    name = "kmeans_smote"
    label = "KMeans-SMOTE"
    group = "over"
    summary = "Clusters the rows with k-means, then applies SMOTE inside the clusters where the minority is dense."
    reference = "Douzas et al. 2018, Information Sciences 465"
    params = (K_NEIGHBORS,)
    neighbours = "k_neighbors"
    seconds_at_10k = 0.3
    interpolates = True

    def resample(
        self, t: Any, X: np.ndarray, y: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        try:
            return super().resample(t, X, y)
        except InputError as exc:
            if "No clusters found" not in str(exc):
                raise
            raise InputError(
                f"KMeans-SMOTE found no cluster with more than k_neighbors={t.k_neighbors} "
                f"of the {int(y.sum())} minority training rows; lower k_neighbors or choose SMOTE."
            ) from None

    def sampler(self, t: Any, y: Any) -> Any:
        from imblearn.over_sampling import KMeansSMOTE
        from sklearn.cluster import MiniBatchKMeans

        # Rare positives: fewer clusters, so that some hold enough of them; and any
        # cluster with minority rows may be oversampled, however few.
        clusters = int(
            np.clip(int(np.bincount(y).min()) // (4 * (t.k_neighbors + 1)), 1, 8)
        )
        return KMeansSMOTE(
            k_neighbors=t.k_neighbors,
            kmeans_estimator=MiniBatchKMeans(
                n_clusters=clusters, n_init=3, random_state=t.seed
            ),
            cluster_balance_threshold=0.0,
            random_state=t.seed,
        )
