"""Helpers for the real-browser tests: a Streamlit server subprocess and headless Chromium.

Kept apart from ``test_browser.py`` so the tests read like the user's clicks. Nothing
here fakes the app: the server is ``streamlit run app.py`` and the browser is Debian's
Chromium driven by Playwright (``playwright install`` cannot download browsers here).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("IMBAL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root in a container
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EXCEPTION = '[data-testid="stException"]'
PLOTLY = '.js-plotly-plot, [data-testid="stPlotlyChart"]'

# When is "the rerun I caused" over? Not when the page's ``data-test-script-state``
# attribute has flipped running -> notRunning: React batches state updates, so when a
# run's messages arrive in one burst (a busy or cold server answers late, then fast)
# the attribute never shows "running" at all and a DOM-based counter misses the run
# (issue #14: a fresh machine, every time). The Streamlit protocol itself is exact:
# the server ends every script run with a ``script_finished`` ForwardMsg. The
# websocket frames are read as the browser receives them (Playwright's websocket
# events) and decoded with Streamlit's own protobuf classes.
_RUNS_FINISHED: dict[int, int] = {}  # id(page) -> script runs finished in that page


def watch_script_runs(page: Page) -> None:
    """Count the script runs the server finishes for ``page``; call before ``goto``."""
    _RUNS_FINISHED.setdefault(id(page), 0)

    def on_frame(payload: bytes | str) -> None:
        if isinstance(payload, str):
            return  # Streamlit speaks protobuf; text frames are not its messages
        message = ForwardMsg.FromString(bytes(payload))
        # A run cut short by a newer rerun does not count: the newer one is awaited.
        if (
            message.WhichOneof("type") == "script_finished"
            and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
        ):
            _RUNS_FINISHED[id(page)] += 1

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))


def runs_finished(page: Page) -> int:
    """Script runs the server has finished for ``page`` so far (read before an action)."""
    return _RUNS_FINISHED[id(page)]


# True once the app is connected, no script run is in flight or showing stale output,
# for `settle` ms in a row: the page has drawn what the finished run sent.
_IDLE_JS = """(settle) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app !== null
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && document.querySelector('[data-stale="true"]') === null;
  const now = performance.now();
  if (!idle) { window.__imbalIdleSince = null; return false; }
  if (window.__imbalIdleSince == null) { window.__imbalIdleSince = now; }
  return now - window.__imbalIdleSince >= settle;
}"""


_STATE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return {url: location.href,
          script: app && app.getAttribute('data-test-script-state'),
          connection: app && app.getAttribute('data-test-connection-state'),
          stale: document.querySelectorAll('[data-stale="true"]').length,
          title: (document.querySelector('h1') || {}).innerText};
}"""


SERVER_PIDS: dict[str, int] = {}


def loaded_libraries(pid: int) -> str:
    """The shared objects mapped into process ``pid`` (``/proc/PID/maps``)."""
    return Path(f"/proc/{pid}/maps").read_text()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process ``pid`` has used so far (``/proc/PID/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def horizontally_cut(page: Page, settle: int = 30) -> list[str]:
    """The tables on screen whose columns do not fit their width (a scroll bar to the
    right): the start of each one's text. Grids draw after the script run that sends
    them (their code loads lazily, a skeleton meanwhile), so this waits until none is
    pending and as many are drawn as a second before (checking right away passed on
    pages whose grids were not there yet), for up to ``settle`` s.
    A raw data preview (in a container keyed ``preview``: every column of the
    file, at its width) may scroll."""
    drawn_before = None
    for _ in range(settle):
        drawn, pending, cut = page.evaluate(
            """() => {
              const shown = [...document.querySelectorAll('[data-testid="stDataFrame"]')]
                .filter(frame => frame.offsetParent !== null
                                 && !frame.closest('[class*="st-key-preview"]'));
              const frames = shown.filter(frame => frame.querySelector('.dvn-scroller'));
              const pending = frames.length < shown.length
                || !!document.querySelector('[data-testid="stMain"] [data-testid="stSkeleton"]');
              const cut = frames.filter(frame => [...frame.querySelectorAll('*')].some(
                  el => el.scrollWidth > el.clientWidth + 2
                        && getComputedStyle(el).overflowX.match(/auto|scroll/)));
              return [frames.length, pending, cut.map(frame =>
                  frame.innerText.slice(0, 80) || frame.getAttribute('aria-label') || '?')];
            }"""
        )
        if not cut and not pending and drawn == drawn_before:
            return []
        drawn_before = drawn
        page.wait_for_timeout(1000)
    return cut


def free_port() -> int:
    """A TCP port that was free a moment ago (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(
    log_path: Path,
    env: dict[str, str] | None = None,
    timeout: float = 90,
    root: Path = ROOT,
) -> Iterator[str]:
    """Run ``streamlit run app.py`` (in ``root``) on a free port; yield its base URL; always stop it.

    The server's output goes to ``log_path`` so a failing test can show it; its
    process id is ``SERVER_PIDS[url]`` while it runs.
    """
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]  # the file watcher is off by .streamlit/config.toml (what users get), not here
    full_env = {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONUNBUFFERED": "1",
        "IMBAL_STORE": str(log_path.parent / "store"),  # the server's own, empty
        **(env or {}),
    }
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        # Own process group, so stopping it also stops anything the server started.
        proc = subprocess.Popen(
            command,
            cwd=root,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        SERVER_PIDS[url] = proc.pid
        try:
            _wait_healthy(url, proc, log_path, timeout)
            yield url
        finally:
            SERVER_PIDS.pop(url, None)
            _stop(proc)


def _wait_healthy(
    url: str, proc: subprocess.Popen, log_path: Path, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with {proc.returncode}:\n{tail(log_path)}"
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(
        f"streamlit was not healthy after {timeout:.0f} s:\n{tail(log_path)}"
    )


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)
    except ProcessLookupError:
        pass


def tail(log_path: Path, lines: int = 60) -> str:
    """The last lines of the server log (for failure messages)."""
    try:
        return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


# ------------------------------------------------------------------ page helpers
def wait_idle(
    page: Page, timeout: float = 300_000, settle: int = 500, after: int | None = None
) -> None:
    """Wait until the page is idle; with ``after``, until a script run finished since.

    ``after`` is :func:`runs_finished` read before the action that causes the run.
    """
    deadline = time.monotonic() + timeout / 1000
    while after is not None and runs_finished(page) <= after:
        if time.monotonic() > deadline:
            raise _wait_failure(page, timeout, after)
        page.wait_for_timeout(50)  # lets Playwright deliver the websocket events
    page.evaluate("() => { window.__imbalIdleSince = null; }")
    remaining = max(1_000.0, (deadline - time.monotonic()) * 1000)
    try:
        page.wait_for_function(_IDLE_JS, arg=settle, timeout=remaining, polling=100)
    except PlaywrightTimeoutError:
        raise _wait_failure(page, timeout, after) from None


def _wait_failure(page: Page, timeout: float, after: int | None) -> AssertionError:
    state = page.evaluate(_STATE_JS)
    state["runs_finished"] = runs_finished(page)
    waited = "" if after is None else f" (waited for more than {after} finished runs)"
    return AssertionError(
        f"the app did not finish a script run within {timeout / 1000:.0f} s{waited}: {state}"
    )


@contextmanager
def rerun(page: Page, timeout: float = 300_000) -> Iterator[None]:
    """Wrap an action that makes Streamlit rerun; return once that rerun has finished.

    >>> with rerun(page):
    ...     page.get_by_role("button", name="Use this data").click()
    """
    before = runs_finished(page)
    yield
    wait_idle(page, timeout, after=before)


def problems(page: Page) -> list[str]:
    """Streamlit exception boxes and tracebacks visible on the page (empty when clean)."""
    found = [box.inner_text()[:500] for box in page.locator(EXCEPTION).all()]
    body = page.locator("body").inner_text()
    if "Traceback" in body:
        start = body.index("Traceback")
        found.append(body[start : start + 500])
    return found


def assert_clean(page: Page, where: str) -> None:
    """Fail with the visible error text when the page shows an exception."""
    found = problems(page)
    assert not found, f"{where}: the page shows an exception:\n" + "\n---\n".join(found)


def open_page(page: Page, name: str, timeout: float = 300_000) -> None:
    """Click the sidebar entry ``name`` (a client-side switch: the session is kept,
    unlike ``page.goto(url + "/Name")``, which would start a new session)."""
    link = page.locator('[data-testid="stSidebarNav"] a').filter(
        has_text=re.compile(rf"{re.escape(name)}\s*$")  # after the page's icon
    )
    with rerun(page, timeout):
        link.first.click()
    page.wait_for_url(
        re.compile(rf"/{re.escape(name)}/?$", re.IGNORECASE), timeout=timeout
    )


def main_text(page: Page) -> str:
    """The visible text of the main area (not the sidebar)."""
    return page.locator('[data-testid="stMain"]').inner_text()


def widget(page: Page, testid: str, label: str) -> Locator:
    """The Streamlit widget of type ``testid`` (e.g. "stSlider") whose label is ``label``."""
    return page.locator(f'[data-testid="{testid}"]').filter(
        has=page.locator(
            '[data-testid="stWidgetLabel"]',
            has_text=re.compile(rf"^\s*{re.escape(label)}"),
        )
    )


def full_page_screenshot(page: Page, path: Path, width: int = 1400) -> None:
    """Screenshot the whole main area: Streamlit scrolls inside its own container, so
    grow the viewport to the content's height instead of relying on ``full_page``."""
    height = page.evaluate(
        """() => {
          const main = document.querySelector('[data-testid="stMain"]')
            || document.querySelector('[data-testid="stAppViewContainer"]');
          const block = document.querySelector('[data-testid="stMainBlockContainer"]');
          return Math.max(main ? main.scrollHeight : 0, block ? block.scrollHeight : 0,
                          document.documentElement.scrollHeight);
        }"""
    )
    page.set_viewport_size(
        {"width": width, "height": int(min(max(height, 800), 12_000))}
    )
    page.wait_for_timeout(800)  # plotly relayouts to the new size
    wait_idle(page)
    page.screenshot(path=str(path), full_page=True)
