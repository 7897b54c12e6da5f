"""Screenshots from a real run: ``python tests/e2e/make_screenshot.py [--rows N] [--epochs E]``.

Starts the dashboard on the demo data (full size by default, 284,807 rows), trains
every technique in headless Chromium at 1,400 x 900 and saves what a laptop shows:

- ``train_running.png``: the Train page while training (the progress on screen);
- ``compare.png``: the Compare page's first screen at the same alert budget (5 per
  1,000 cases): the overview (also ``docs/compare.png`` with ``--readme``);
- ``report.png``: the first screen of the HTML report the Report page downloads.

Also prints whether any table is cut off on the right. Several minutes at full
size on 2 cores. Not a test.
"""

from __future__ import annotations

import argparse
import re
import shutil
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
    horizontally_cut,
    open_page,
    rerun,
    runs_finished,
    streamlit_server,
    wait_idle,
    watch_script_runs,
    widget,
)
from playwright.sync_api import sync_playwright  # noqa: E402

VIEWPORT = {"width": 1400, "height": 900}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=284_807)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--out-dir", default=str(Path(tempfile.gettempdir()) / "shots"))
    parser.add_argument(
        "--readme", action="store_true", help="also write docs/compare.png"
    )
    args = parser.parse_args()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    log = Path(tempfile.mkdtemp()) / "server.log"
    env = {"IMBAL_DEMO_ROWS": str(args.rows)}
    with (
        streamlit_server(log, env=env, timeout=180) as url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_context(viewport=VIEWPORT).new_page()
        page.set_default_timeout(600_000)
        watch_script_runs(page)
        page.goto(url)
        wait_idle(page, 600_000, after=0)
        open_page(page, "Train", 600_000)
        box = widget(page, "stNumberInput", "Epochs").locator("input")
        box.fill(str(args.epochs))
        box.press("Tab")
        before = runs_finished(page)
        page.locator('[data-testid="stForm"]').get_by_role(
            "button", name=re.compile(r"^\s*Train\s*$")
        ).click()
        page.locator('[data-testid="stProgress"]').first.wait_for()
        page.wait_for_timeout(8_000)  # some epochs in: the bars move
        page.screenshot(path=str(out / "train_running.png"))
        wait_idle(page, 3_600_000, after=before)
        assert_clean(page, "Train page after training")
        trained = time.monotonic() - started
        cut = {"Train": horizontally_cut(page)}
        open_page(page, "Compare", 600_000)
        with rerun(page, 600_000):
            widget(page, "stRadio", "Compare at").get_by_text(
                "Same alert budget"
            ).click()
        assert_clean(page, "Compare page at the same alert budget")
        page.locator(PLOTLY).first.wait_for()
        page.wait_for_timeout(2_000)  # plotly draws after the element appears
        page.screenshot(path=str(out / "compare.png"))
        if args.readme:
            shutil.copy(out / "compare.png", ROOT / "docs" / "compare.png")
        cut["Compare"] = horizontally_cut(page)
        open_page(page, "Report", 600_000)
        cut["Report"] = horizontally_cut(page)
        with page.expect_download() as download:
            page.get_by_role("button", name="Report (HTML)").click()
        report = out / "report.html"
        shutil.copy(download.value.path(), report)
        viewer = browser.new_context(viewport=VIEWPORT).new_page()
        viewer.goto(report.as_uri(), timeout=120_000)
        viewer.wait_for_timeout(5_000)
        viewer.screenshot(path=str(out / "report.png"), timeout=120_000)
        browser.close()
    print(f"cut-off tables: {cut}")
    print(
        f"wrote {out} (trained in {trained:.0f} s, {time.monotonic() - started:.0f} s in all)"
    )


if __name__ == "__main__":
    main()
