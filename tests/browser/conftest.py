"""Browser tests: the real server (``studyapp serve``) driven by Playwright in Debian's Chromium.

A missing browser fails the run: it never skips. ``make test`` installs Chromium first.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from studyapp.config import packaged_questions

CHROMIUM = os.environ.get("STUDYAPP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Flags for a headless browser on a machine without a network: no background traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def settled(page: Page) -> None:
    """Wait out a card front's first moment, in which review.js ignores Enter, Space and the
    option keys (a key meant for the feedback page that lands on the next card)."""
    expect(page.locator("#review-form[data-settled]")).to_be_attached()


def expect_focused(locator: Locator, timeout: float = 5_000) -> None:
    """Wait until the element is the page's active element.

    Playwright's ``to_be_focused`` also asks ``document.hasFocus()``, whether the browser window
    has the focus, and one run on a busy machine saw that false for a whole page. The window's
    focus belongs to the test harness; the active element is what the page's scripts set, and
    what a key press goes to, so that is what the tests check.
    """
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:  # the locator is looked up afresh each time, as expect() does: pages navigate
            if locator.evaluate(ACTIVE, timeout=timeout):
                return
        except PlaywrightError:
            pass  # the page navigated under the lookup: look again
        if time.monotonic() > deadline:
            active = locator.page.evaluate("document.activeElement?.outerHTML.slice(0, 120)")
            raise AssertionError(f"{locator} is not the active element; {active} is")
        time.sleep(0.05)


ACTIVE = "el => el === el.getRootNode().activeElement"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """Run ``studyapp serve`` on a free loopback port; print its log if the test fails."""
    port = _free_port()
    log = tmp_path / "server.log"
    env = os.environ | {
        "STUDYAPP_INSTANCE": str(tmp_path / "instance"),
        "STUDYAPP_QUESTIONS": str(packaged_questions()),
        "STUDYAPP_ENABLE_FUZZING": "false",
        "STUDYAPP_SYNCHRONOUS": "NORMAL",
    }
    studyapp = Path(sys.executable).with_name("studyapp")
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(studyapp), "serve", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"the server exited:\n{log.read_text()}")
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail(f"the server did not start:\n{log.read_text()}")
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        print(f"--- server log ---\n{log.read_text()}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: run 'make browser' (apt-get install chromium)"
        )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(params=["light", "dark"])
def theme(request: pytest.FixtureRequest) -> str:
    return request.param


class Console:
    """Collects console errors and page errors; a test asserts there are none."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def on_console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.errors.append(f"{msg.text} ({msg.location.get('url')})")

    def on_error(self, exc: Exception) -> None:
        self.errors.append(str(exc))

    def watch(self, page: Page) -> Page:
        """Collect the console and page errors of ``page``; return it."""
        page.on("console", self.on_console)
        page.on("pageerror", self.on_error)
        return page


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(browser: Browser, console: Console) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    pg = context.new_page()
    console.watch(pg)
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


class AccessibilityAudit:
    """A page in one colour scheme whose audits collect axe's serious and critical violations."""

    def __init__(self, browser: Browser, theme: str, **context_options) -> None:
        self.context = browser.new_context(color_scheme=theme, **context_options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.found: dict[str, list] = {}
        self._axe = Axe()

    def check(self, name: str) -> None:
        """Audit the page as it stands; remember any serious or critical violation under ``name``."""
        result = self._axe.run(self.page)
        bad = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if bad:
            self.found[name] = bad

    def close(self) -> None:
        self.context.close()
