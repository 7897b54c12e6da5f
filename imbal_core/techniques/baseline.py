from imbal_core.techniques.base import MLPTechnique


class Baseline(MLPTechnique):
    """No balancing: the reference every technique must beat."""

    name = "baseline"
    label = "Baseline"
    summary = "The MLP on the data as it is, no balancing."
    reference = "the seed notebook's Keras MLP"
