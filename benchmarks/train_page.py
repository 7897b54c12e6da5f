"""The Train page against the CLI for the same work, in a real browser.

``python -m benchmarks.train_page [--rows 284807] [--epochs 10]`` runs the default
comparison (all seven techniques, one seed) twice: in the dashboard — ``streamlit
run app.py`` driven by headless Chromium, from the click on **Train** to the
"Done" status, with the page open long enough for the workers to load TensorFlow,
as a user filling in the form would — and as ``python -m imbal_core train`` end to
end (interpreter start, data generation, worker start, training, results JSON).
It prints both wall times, their ratio (target: the page within 15 % of the CLI)
and the load average before each, and writes ``benchmarks/results/train_page.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
FULL_ROWS = 284_807
TARGET_RATIO = 1.15
WARM_UP_SECONDS = 20  # the page is open this long before the click


def cli_seconds(rows: int, epochs: int) -> dict[str, float]:
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "imbal_core", "train", "--data", "demo"]
            + ["--rows", str(rows), "--epochs", str(epochs)]
            + ["--out", str(Path(folder) / "results.json"), "--no-store"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        return {"wall_s": time.perf_counter() - started, "load_before": load}


def page_seconds(rows: int, epochs: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT / "tests" / "e2e"))
    from browser_util import (
        CHROMIUM,
        CHROMIUM_ARGS,
        open_page,
        streamlit_server,
        wait_idle,
        watch_script_runs,
        widget,
    )
    from playwright.sync_api import expect, sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "server.log"
        env = {"IMBAL_DEMO_ROWS": str(rows)}
        with streamlit_server(log, env=env) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(3_600_000)
            watch_script_runs(page)
            page.goto(url)
            wait_idle(page, 600_000, after=0)
            open_page(page, "Train")
            box = widget(page, "stNumberInput", "Epochs").locator("input")
            box.fill(str(epochs))
            box.press("Tab")
            page.wait_for_timeout(WARM_UP_SECONDS * 1000)
            load = os.getloadavg()[0]
            started = time.perf_counter()
            page.locator('[data-testid="stForm"]').get_by_role(
                "button", name=re.compile(r"^\s*Train\s*$")
            ).click()
            expect(page.locator('[data-testid="stMain"]')).to_contain_text(
                re.compile(r"\d+ run\(s\): \d+ from the cache"), timeout=3_600_000
            )
            wall = time.perf_counter() - started
            browser.close()
    return {"wall_s": wall, "load_before": load}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=FULL_ROWS)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--out", default=str(RESULTS / "train_page.json"))
    args = parser.parse_args(argv)
    print(f"Default comparison, {args.rows:,} demo rows, {args.epochs} epochs")
    cli = cli_seconds(args.rows, args.epochs)
    print(f"  CLI end to end: {cli['wall_s']:.1f} s (load {cli['load_before']:.2f})")
    page = page_seconds(args.rows, args.epochs)
    print(f"  Train page:     {page['wall_s']:.1f} s (load {page['load_before']:.2f})")
    ratio = page["wall_s"] / cli["wall_s"]
    met = ratio <= TARGET_RATIO
    print(
        f"  page / CLI = {ratio:.2f} (target <= {TARGET_RATIO}: {'met' if met else 'NOT met'})"
    )
    report = {
        "measured_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "rows": args.rows,
        "epochs": args.epochs,
        "cli": cli,
        "page": page,
        "ratio": ratio,
        "target_met": met,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
