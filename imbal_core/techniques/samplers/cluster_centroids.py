from typing import Any

from imbal_core.techniques.parts import LOGLINEAR, Sampler


class ClusterCentroids(Sampler):
    name = "cluster_centroids"
    label = "Cluster centroids"
    group = "under"
    to_minority = True
    summary = "Replaces the majority with the centroids of as many k-means clusters as there are minority rows."
    reference = "Yen & Lee 2009, Expert Systems with Applications 36(3)"
    seconds_at_10k = 0.4
    growth = LOGLINEAR

    def sampler(self, t: Any, y: Any) -> Any:
        from imblearn.under_sampling import ClusterCentroids as Centroids
        from sklearn.cluster import MiniBatchKMeans

        return Centroids(
            estimator=MiniBatchKMeans(n_init=1, random_state=t.seed),
            random_state=t.seed,
        )
