"""The whole dashboard flow in one session, as a user clicks it (AppTest, real training).

Data in use → Train (1 epoch, two techniques, through the real training worker) →
Compare: the comparison the Train page stored is the one Compare draws, and moving
the threshold changes the matrices.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def confusion_counts(at: AppTest) -> list[tuple[int, ...]]:
    """(tn, fp, fn, tp) per technique, read back from the drawn heatmaps' cell text."""
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        if spec["data"] and spec["data"][0].get("type") == "heatmap":
            return [
                tuple(
                    int(re.match(r"[A-Z]{2} ([\d,]+)", c).group(1).replace(",", ""))
                    for row in t["customdata"]
                    for c in row
                )
                for t in spec["data"]
            ]
    raise AssertionError("no confusion matrices on the page")


def test_train_then_compare_in_one_session(tiny_dataset):
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state["dataset"] = tiny_dataset
    at.run().switch_page("pages/2_Train.py").run()
    at.multiselect(key="techniques").set_value(["baseline", "undersampling"])
    at.number_input(key="epochs").set_value(1)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    comparison = at.session_state["comparison"]
    assert [len(comparison.ok_runs(n)) for n in ("baseline", "undersampling")] == [1, 1]

    at.switch_page("pages/3_Compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    slider = at.slider(key="threshold")
    assert slider.label == "Decision threshold" and slider.value == 0.5
    assert len(at.get("plotly_chart")) >= 2
    support = int(tiny_dataset.y_test.sum())
    at_half = confusion_counts(at)
    for tn, fp, fn, tp in at_half:  # each matrix counts the whole test split
        assert tn + fp + fn + tp == len(tiny_dataset.y_test) and fn + tp == support
    slider.set_value(0.0).run()
    assert not at.exception
    at_zero = confusion_counts(at)
    flagged = [
        (fp + tp, fp0 + tp0)
        for (_, fp, _, tp), (_, fp0, _, tp0) in zip(at_half, at_zero, strict=True)
    ]
    assert all(low <= high for low, high in flagged) and at_zero != at_half
    assert (
        at.session_state["comparison"] is comparison
    )  # nothing retrained, nothing replaced
