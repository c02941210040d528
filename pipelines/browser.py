"""The one Playwright download handler: Chromium and its Node driver only while pages need them.

A crawl renders a few JavaScript-only list pages, usually early, and then reads HTML and PDFs for
minutes. scrapy-playwright starts its Node driver (~120 MB) when the engine starts and keeps
Chromium (~170 MB) until the spider closes; here both start with the first browser page and stop
after ``NIANBAO_BROWSER_IDLE_CLOSE`` seconds without one (0 keeps them to the end), so the crawl's
peak memory is not the sum of everything that ever ran.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from typing import Any

from playwright.async_api import Browser
from playwright.async_api import Error as PlaywrightError
from scrapy import Request
from scrapy.http import Response
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from scrapy_playwright.provider import PlaywrightBrowserProvider

logger = logging.getLogger(__name__)

# The driver relays a few list pages: a large young generation buys it nothing (~20 MB), nor does
# compiled code (--jitless: 6-8 MB less at the crawl's peak in make bench's paired 1x crawls).
# A NODE_OPTIONS of the user's own wins.
DRIVER_NODE_OPTIONS = "--max-semi-space-size=1 --jitless"


class OnDemandBrowserProvider(PlaywrightBrowserProvider):
    """PLAYWRIGHT_BROWSER_PROVIDER: the driver starts with the first browser and stops with it."""

    playwright: Any  # the running driver, None until the first browser (scrapy-playwright leaves it untyped)

    async def start(self) -> None:
        return None  # nothing until a page needs the browser

    async def launch_browser(self) -> Browser:
        if self.playwright is None:
            own = "NODE_OPTIONS" in os.environ
            if not own:
                os.environ["NODE_OPTIONS"] = DRIVER_NODE_OPTIONS  # the driver copies os.environ
            logger.info("Starting the Playwright driver")
            try:
                await super().start()
            finally:
                if not own:
                    del os.environ["NODE_OPTIONS"]
        return await super().launch_browser()

    async def close(self) -> None:
        if self.playwright is None:
            return
        with contextlib.suppress(PlaywrightError):
            await super().close()
        self.playwright_context_manager = self.playwright = self.browser_type = None


class SharedPlaywrightDownloadHandler(ScrapyPlaywrightDownloadHandler):
    """One handler for http and https, whose browser closes when idle.

    Scrapy builds one download handler per scheme, so listing scrapy-playwright for both would start
    two Node drivers; this hands the same instance to both and closes it once.
    """

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.idle_close = crawler.settings.getfloat("NIANBAO_BROWSER_IDLE_CLOSE")
        self._busy = 0  # browser requests in flight
        self._generation = 0  # bumped by every browser request: an idle timer of an older one is stale
        self._closed = False
        self._idle_checks: set[asyncio.Future[None]] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedPlaywrightDownloadHandler:
        shared = getattr(crawler, "_nianbao_playwright_handler", None)
        if shared is None:
            shared = cls(crawler)
            crawler._nianbao_playwright_handler = shared
        return shared

    async def _download_request(self, request: Request, spider: Any = None) -> Response:
        self._busy += 1
        self._generation += 1
        try:
            return await super()._download_request(request, spider)
        finally:
            self._busy -= 1
            if not self._busy and self.idle_close > 0:
                generation = self._generation
                asyncio.get_running_loop().call_later(self.idle_close, self._start_idle_check, generation)

    def _start_idle_check(self, generation: int) -> None:
        # the loop keeps only a weak reference to a task: hold it until it is done
        task = asyncio.ensure_future(self._close_if_idle(generation))
        self._idle_checks.add(task)
        task.add_done_callback(self._idle_checks.discard)

    async def _close_if_idle(self, generation: int) -> None:
        # The launch lock keeps a page that arrives now from starting a browser we are closing;
        # ``_busy`` rises before any await of a new request, so it is exact here.
        async with self.browser_launch_lock:
            if self._busy or generation != self._generation or self._closed or not hasattr(self, "browser"):
                return
            browser = self.browser
            # Closed on purpose: the handler's own disconnect callback would forget it a second time.
            browser.remove_listener("disconnected", self._browser_disconnected_callback)
            del self.browser
            self.context_wrappers.clear()
            with contextlib.suppress(PlaywrightError):
                await browser.close()
            await self.browser_provider.close()
        self.stats.inc_value("nianbao/browser/idle_closes")
        logger.info("Browser idle for %.0f s: closed (it starts again if a page needs it)", self.idle_close)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        # after any idle close under way: two closes of one driver at once can wait on each other
        async with self.browser_launch_lock:
            await super().close()
