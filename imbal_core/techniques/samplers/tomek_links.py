from typing import Any

from imbal_core.techniques.parts import QUADRATIC, Sampler


class TomekLinks(Sampler):
    name = "tomek_links"
    label = "Tomek links"
    group = "under"
    summary = "Removes majority rows whose nearest neighbour is a minority row (cleans the border)."
    reference = "Tomek 1976, IEEE Trans. SMC 6(11)"
    seconds_at_10k = 0.75
    growth = QUADRATIC

    def sampler(self, t: Any, y: Any) -> Any:
        from imblearn.under_sampling import TomekLinks as Tomek

        return Tomek()
