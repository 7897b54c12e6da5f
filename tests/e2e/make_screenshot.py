"""Refresh the README's screenshot from a real run: ``python tests/e2e/make_screenshot.py``.

Starts the dashboard on the full-size demo data (284,807 rows), trains every
technique for the seed's 10 epochs in headless Chromium, opens Compare, compares at
the same alert budget (5 per 1,000 cases) and saves the first screen a laptop shows
(1,400 x 900: the overview) as ``docs/compare.png``. About a minute on 2 cores. Not
a test.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser_util import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PLOTLY,
    ROOT,
    assert_clean,
    open_page,
    rerun,
    runs_finished,
    streamlit_server,
    wait_idle,
    watch_script_runs,
    widget,
)
from playwright.sync_api import sync_playwright  # noqa: E402

EPOCHS = 10
OUT = ROOT / "docs" / "compare.png"


def main() -> None:
    started = time.monotonic()
    log = Path(tempfile.mkdtemp()) / "server.log"
    with streamlit_server(log, timeout=180) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        page.set_default_timeout(600_000)
        watch_script_runs(page)
        page.goto(url)
        wait_idle(page, 600_000, after=0)
        open_page(page, "Train", 600_000)
        box = widget(page, "stNumberInput", "Epochs").locator("input")
        box.fill(str(EPOCHS))
        box.press("Tab")
        before = runs_finished(page)
        page.locator('[data-testid="stForm"]').get_by_role(
            "button", name=re.compile(r"^\s*Train\s*$")
        ).click()
        wait_idle(page, 3_600_000, after=before)
        assert_clean(page, "Train page after training")
        trained = time.monotonic() - started
        open_page(page, "Compare", 600_000)
        assert_clean(page, "Compare page")
        with rerun(page, 600_000):
            widget(page, "stRadio", "Compare at").get_by_text(
                "Same alert budget"
            ).click()
        assert_clean(page, "Compare page at the same alert budget")
        page.locator(PLOTLY).first.wait_for()
        page.wait_for_timeout(2_000)  # plotly draws after the element appears
        page.screenshot(path=str(OUT))
        browser.close()
    print(
        f"wrote {OUT} (trained in {trained:.0f} s, {time.monotonic() - started:.0f} s in all)"
    )


if __name__ == "__main__":
    main()
