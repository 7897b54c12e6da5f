from typing import Any

from imbal_core.models.base import Model
from imbal_core.params import Param


class Logistic(Model):
    name = "logistic"
    label = "Logistic"
    summary = (
        "scikit-learn's L2-regularised logistic regression on the standardised "
        "features: the linear reference."
    )
    reference = "scikit-learn LogisticRegression (lbfgs)"
    params = (
        Param(
            "C",
            1.0,
            1e-6,
            1e6,
            "Logistic regression's inverse regularisation strength (smaller: "
            "simpler model).",
        ),
    )

    def estimator(self, t: Any) -> Any:
        from sklearn.linear_model import LogisticRegression

        # max_iter: lbfgs' 100 stops short on oversampled or weighted rows.
        return LogisticRegression(C=t.C, max_iter=2000, random_state=t.seed)
