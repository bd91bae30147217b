"""Browser fixtures: the built handbook served on loopback and read in Debian's headless Chromium.

See /work/shared/BROWSER.md: Playwright launches ``/usr/bin/chromium`` (never ``playwright install``),
the site is served by ``python -m http.server`` on 127.0.0.1, and every outside request is blocked.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Error, Page

CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
OUTSIDE = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(url: str, server: subprocess.Popen, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"http.server exited early with code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    raise RuntimeError(f"http.server did not answer at {url} within {timeout} s")


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """A built site served on loopback; yields its base URL (ending in a slash)."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_serving(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def site_url(site: Path) -> Iterator[str]:
    """The real handbook served on loopback."""
    with serving(site) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(site_url: str) -> str:
    """pytest-playwright passes this to every browser context, so ``page.goto("cases/")`` works."""
    return site_url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROME_ARGS}


@pytest.fixture
def browser_errors() -> list[str]:
    """Console errors and uncaught page errors seen by ``page`` during the test."""
    return []


def watched(page: Page, browser_errors: list[str]) -> Page:
    """``page`` cut off from everything but loopback, its console errors and uncaught page errors
    collected in ``browser_errors``."""
    page.route(OUTSIDE, lambda route: route.abort())

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            browser_errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    def on_page_error(error: Error) -> None:
        browser_errors.append(f"page error: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def page(page: Page, browser_errors: list[str]) -> Page:
    """pytest-playwright's page, cut off from everything but loopback, with its errors collected."""
    return watched(page, browser_errors)


@pytest.fixture(scope="session")
def preceptor_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The second test program (tests/fixtures/programs/preceptor: German and Arabic, a weighted mean
    rule with fractional floors), built once and served on loopback."""
    import shutil

    from conftest import REPO, Project

    root = tmp_path_factory.mktemp("preceptor-served")
    shutil.copytree(REPO / "tests" / "fixtures" / "programs" / "preceptor", root / "project")
    built = Project(root / "project").build(root / "site")
    assert built.returncode == 0, built.stderr
    with serving(root / "site") as url:
        yield url
