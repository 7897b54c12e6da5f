from imbal_core.techniques.base import SingleModel


class Baseline(SingleModel):
    """No balancing: the reference every technique must beat."""

    name = "baseline"
    label = "Baseline"
    summary = "The model on the data as it is, no balancing."
    reference = "the seed notebook's unbalanced training"
