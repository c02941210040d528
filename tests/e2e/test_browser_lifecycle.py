"""The Playwright driver and Chromium run only while pages need them (pipelines.browser).

Through ``scrapy crawl`` on the simulated web: a crawl without JavaScript lists never starts the
driver; one with a JavaScript list starts it for that page and closes the browser once idle. And
directly with Debian's Chromium: a provider closed when idle launches again on the next page.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings
from scrapy_playwright.handler import Config

import settings.default as defaults
from pipelines.browser import OnDemandBrowserProvider
from storage.archive import Archive
from tests.e2e.crawl import run_crawl
from tests.portal import Portal, build_web
from tests.portal.hostile import Fault, hostile_seeds_csv, register

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

JS_HOST = "hrss.jl.gov.cn"


@pytest.fixture(scope="module")
def slow_web() -> Iterator[tuple[Any, Any, list[Fault]]]:
    """The simulated web plus the hostile hosts: a slowloris site keeps a crawl open for seconds."""
    web = build_web(scale=1)
    faults = register(web)
    portal = Portal(web, latency=0.0)
    portal.start(host="127.0.0.1", port=0, warm=False)
    try:
        yield web, portal, faults
    finally:
        portal.stop()


def _crawl(portal: Any, rows: list[str], tmp: Path, idle: float = 0.5,
           timeout: float = 4) -> tuple[str, dict[str, Any]]:
    seeds = tmp / "seeds.csv"
    seeds.write_text("agency,url,region,level,domains,render\n" + "\n".join(rows) + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp / 'a.db'}"
    result = run_crawl(portal.proxy_url, seeds, db, f"NIANBAO_BROWSER_IDLE_CLOSE={idle}", f"DOWNLOAD_TIMEOUT={timeout}",
                       "LOG_LEVEL=INFO", timeout=120)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return result.stderr, Archive.from_url(db).runs()[-1]["stats"]


def _rows(web: Any, js: bool) -> list[str]:
    return [r for r in web.seeds_csv().splitlines()[1:] if (JS_HOST in r) == js][:1]


def test_no_javascript_list_no_driver(slow_web: Any, tmp_path: Path) -> None:
    web, portal, _ = slow_web
    log, stats = _crawl(portal, _rows(web, js=False), tmp_path)
    assert stats["reports"]["new"] >= 5 and stats["browser_pages"] == 0
    assert "Starting the Playwright driver" not in log and "Launching browser" not in log


def test_browser_starts_for_the_javascript_list_and_closes_when_idle(slow_web: Any, tmp_path: Path) -> None:
    web, portal, faults = slow_web
    slow = [f for f in faults if f.name == "slowloris"]
    # The slow site holds the crawl open for its timeouts (10 s a try): room for the browser's start,
    # its page and its idle close on a loaded machine.
    log, stats = _crawl(portal, _rows(web, js=True) + hostile_seeds_csv(slow, header=False).splitlines(), tmp_path,
                        timeout=10)
    assert stats["browser_pages"] >= 1 and stats["reports"]["new"] >= 5  # the rendered list's reports too
    assert log.count("Starting the Playwright driver") == 1
    # closed while the slow site still held the crawl open, not only at the end
    idle = log.index("Browser idle for")
    assert idle < log.index("Closing spider")
    assert stats["failures"], "the slow site should have timed out"


@pytest.mark.parametrize("idle", [0.05, 0.3])
def test_idle_close_racing_the_end_of_the_crawl_does_not_hang(slow_web: Any, tmp_path: Path, idle: float) -> None:
    """The JavaScript list is the crawl's last page, so the idle close falls near the handler's own
    close (the two are serialised by the launch lock). The crawl must end cleanly within the timeout."""
    web, portal, _ = slow_web
    log, stats = _crawl(portal, _rows(web, js=True), tmp_path, idle=idle)
    assert stats["browser_pages"] >= 1 and "Closing download handler" in log


def test_provider_closed_when_idle_launches_again(tmp_path: Path) -> None:
    if not defaults.PLAYWRIGHT_LAUNCH_OPTIONS.get("executable_path"):
        pytest.skip("no Chromium on this machine")
    page_file = tmp_path / "list.html"
    page_file.write_text("<html><body><script>document.body.textContent = JSON.stringify([1, 2, 3]);"
                         "</script></body></html>", encoding="utf-8")
    options = {k: v for k, v in defaults.PLAYWRIGHT_LAUNCH_OPTIONS.items() if k != "proxy"}
    config = Config.from_settings(Settings({"PLAYWRIGHT_LAUNCH_OPTIONS": options,
                                            "PLAYWRIGHT_BROWSER_TYPE": "chromium"}))

    async def render_twice() -> list[Any]:
        provider = OnDemandBrowserProvider(config)
        await provider.start()
        assert provider.playwright is None  # nothing runs before a page needs it
        seen = []
        for _ in range(2):
            browser = await provider.launch_browser()
            page = await browser.new_page()
            await page.goto(page_file.as_uri())
            seen.append(json.loads(await page.text_content("body") or "null"))
            await browser.close()
            await provider.close()
            assert provider.playwright is None
        return seen

    assert asyncio.run(render_twice()) == [[1, 2, 3], [1, 2, 3]]
