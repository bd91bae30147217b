"""PDF output through headless Chromium (driven by Playwright): CSS paged media, page margin boxes,
and a text layer that reads back in logical order, right-to-left scripts included.

Why Chromium and not WeasyPrint: WeasyPrint lays Arabic out well, but the text it writes behind
the glyphs is wrong wherever a vowel sign joins a letter (its open issue #2841): copied, searched
or read aloud, an Arabic sheet comes out scrambled. Chromium's is right.

The engine is optional at run time: a machine without Playwright or a Chromium build still
builds the site, and ``unavailable`` says why. Documents are printed with JavaScript off and
every request refused (file, http, data...), so a PDF can hold nothing from the build machine:
the stylesheet is inline and the fonts are the system's.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from concurrent.futures import Future
from functools import cache
from typing import Any

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Pages printed at once: Chromium spreads them over its own processes, so every core is used.
CONCURRENT_PAGES = 4
_ARGS = ["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--disable-extensions"]


@cache
def browser_executable() -> str | None:
    found = (os.environ.get("HANDBOOK_CHROMIUM"), *(shutil.which(name) for name in BROWSERS))
    return next((path for path in found if path and os.access(path, os.X_OK)), None)


@cache
def unavailable() -> str | None:
    """Why PDFs cannot be made on this machine, or None when they can."""
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install playwright)"
    if browser_executable() is None:
        return "no Chromium was found (install the 'chromium' package, or set HANDBOOK_CHROMIUM to its path)"
    return None


class PdfWriter:
    """Prints HTML documents to PDF in a browser that starts on first use and runs in a thread of
    its own, so that MkDocs goes on reading pages while the PDFs are made."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._browser: Any = None
        self._ready: asyncio.Future | None = None
        self._lock = threading.Lock()

    def submit(self, html: str) -> Future[bytes]:
        """The PDF of one standalone HTML document, once it is made."""
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                self._thread = threading.Thread(target=self._loop.run_forever, name="handbook-pdf", daemon=True)
                self._thread.start()
        return asyncio.run_coroutine_threadsafe(self._print(html), self._loop)

    async def _context(self) -> Any:
        if self._ready is None:
            self._ready = asyncio.ensure_future(self._start())
        return await self._ready

    async def _start(self) -> Any:
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        # Chromium's sandbox needs user namespaces, which a root CI container lacks.
        args = [*_ARGS, "--no-sandbox"] if os.geteuid() == 0 else _ARGS
        self._browser = await self._playwright.chromium.launch(executable_path=browser_executable(),
                                                               headless=True, args=args)
        context = await self._browser.new_context(java_script_enabled=False, offline=True)
        await context.route("**/*", lambda route: route.abort())
        self._pages = asyncio.Semaphore(CONCURRENT_PAGES)
        return context

    async def _print(self, html: str) -> bytes:
        context = await self._context()
        async with self._pages:
            page = await context.new_page()
            try:
                await page.set_content(html, wait_until="load")
                return await page.pdf(prefer_css_page_size=True, print_background=True, tagged=True, outline=False)
            finally:
                await page.close()

    def close(self) -> None:
        """Stop the browser and the thread."""
        with self._lock:
            loop, self._loop = self._loop, None
        if loop is None:
            return

        async def stop() -> None:
            if self._browser is not None:
                await self._browser.close()
                await self._playwright.stop()

        try:
            asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=30)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            if self._thread is not None:
                self._thread.join(timeout=10)
            self._browser, self._ready = None, None


def write_pdf(html: str) -> bytes:
    """One document's PDF, with a browser of its own (tests and one-off use)."""
    writer = PdfWriter()
    try:
        return writer.submit(html).result()
    finally:
        writer.close()
