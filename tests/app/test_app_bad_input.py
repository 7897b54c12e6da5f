"""Every bad upload through the real Data page (AppTest): one st.error that says what is
wrong and what to do, no exception, and the data and results the user had stay put.

The bad files are the same ones the data-layer and CLI tests use (tests/contract/test_bad_input.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from contract.test_bad_input import DATA_CASES
from streamlit.testing.v1 import AppTest

from imbal_core.results import Comparison, Split

APP = str(Path(__file__).resolve().parents[2] / "app.py")

# Options the UI cannot produce: its target, positive-label and time-column pickers only
# offer what the file has, so those CLI typos have no UI equivalent.
UI_CASES = [
    case
    for case, (raw, options, _) in DATA_CASES.items()
    if raw is not None and not options
]


@pytest.fixture(scope="module")
def earlier(tiny_dataset):
    split = Split(tiny_dataset.y_val, tiny_dataset.y_test)
    return Comparison(tiny_dataset.summary(), {"techniques": []}, {}, [split])


def open_data_page(**state) -> AppTest:
    """The Data page as a user reaches it: through the app, so its page links resolve."""
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run().switch_page("pages/1_Data.py").run()


def upload(at: AppTest, raw: bytes, name: str = "upload.csv") -> AppTest:
    at.radio(key="data_source").set_value("upload").run()
    at.file_uploader(key="upload").set_value((name, raw, "text/csv")).run()
    if not at.error and at.button(key="use_data") is not None:
        at.button(
            key="use_data"
        ).click().run()  # errors found while preparing show on use
    return at


def error_text(at: AppTest) -> str:
    # Markdown escaping may add backslashes before punctuation; compare the plain text.
    return " ".join(e.value for e in at.error).replace("\\", "")


@pytest.mark.parametrize("case", UI_CASES)
def test_bad_upload_shows_one_clear_error_and_keeps_earlier_work(
    case, tiny_dataset, earlier
):
    raw, _, pattern = DATA_CASES[case]
    at = upload(open_data_page(dataset=tiny_dataset, comparison=earlier), raw)
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1, [e.value for e in at.error]
    message = error_text(at)
    assert re.search(
        pattern.replace("--target", ".*").replace("--positive", ".*"), message
    ) or re.search(pattern, message), message
    assert "Traceback" not in message
    assert at.session_state["dataset"] is tiny_dataset
    assert at.session_state["comparison"] is earlier


def test_hostile_column_names_are_shown_as_plain_text(tiny_dataset):
    hostile = ["=cmd|' /C calc'!A0", "<script>alert(1)</script>"]
    rows = "".join(f"{i},{i % 7},{int(i % 10 == 0)}\n" for i in range(300))
    raw = (f'"{hostile[0]}",{hostile[1]},Class\n' + rows).encode()
    at = upload(open_data_page(dataset=tiny_dataset), raw)
    assert not at.exception and not at.error
    loaded = at.session_state["dataset"]
    assert loaded is not tiny_dataset and set(hostile) <= set(loaded.feature_names)
    # No element renders user text as HTML.
    assert not at.get("html")
    for markdown in at.markdown:
        assert "<script>" not in markdown.value or not markdown.proto.allow_html


def _parquet(frame) -> bytes:
    import io

    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def test_a_parquet_upload_is_used_and_a_cut_one_is_one_error(tiny_dataset, earlier):
    from imbal_core.data import make_demo

    raw = _parquet(make_demo(rows=1200, positives=40, seed=6))
    at = upload(open_data_page(dataset=tiny_dataset), raw, name="sample.parquet")
    assert not at.exception and not at.error, [e.value for e in at.error]
    loaded = at.session_state["dataset"]
    assert loaded.source == "sample.parquet" and loaded.rows == 1200

    at = upload(
        open_data_page(dataset=tiny_dataset, comparison=earlier),
        raw[: len(raw) // 2],
        name="cut.parquet",
    )
    assert not at.exception
    assert error_text(at).startswith("cut.parquet is not a readable Parquet file (")
    assert at.session_state["dataset"] is tiny_dataset
