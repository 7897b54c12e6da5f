from typing import Any

from imbal_core.techniques.parts import Sampler


class InstanceHardness(Sampler):
    name = "instance_hardness"
    label = "Instance hardness threshold"
    group = "under"
    summary = "Removes the majority rows a cross-validated random forest finds hardest to classify."
    reference = "Smith et al. 2014, Machine Learning 95"
    seconds_at_10k = 11.0
    growth = 1.3

    def sampler(self, t: Any, y: Any) -> Any:
        from imblearn.under_sampling import InstanceHardnessThreshold
        from sklearn.ensemble import RandomForestClassifier

        forest = RandomForestClassifier(n_estimators=50, random_state=t.seed)
        return InstanceHardnessThreshold(estimator=forest, cv=5, random_state=t.seed)
