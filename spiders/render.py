"""The generic list path: a page that looks like a list but gives no report links, in Chromium.

The hand-written list plug-ins (``crawler.lists``) are the fast path. A list none of them knows is
rendered once: the records come from the rendered DOM and from every JSON, XML or HTML response
the page fetched (the page's ``response`` events, watched from a ``playwright_page_init_callback``);
a pager with no URL ("下一页" on a ``<span onclick>``, "加载更多") is clicked, a bounded number of
times, each new state of the DOM kept. A pager that loops (the same DOM again) stops the clicking.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Iterator
from typing import Any
from weakref import WeakKeyDictionary

import scrapy
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page as BrowserPage
from playwright.async_api import Response as BrowserResponse
from scrapy.http import TextResponse
from scrapy_playwright.page import PageMethod
from w3lib.encoding import html_to_unicode

from crawler import links as L
from crawler.handoff import handoff_of
from crawler.lists import Page, Step, generic
from crawler.lists.generic import PAGER_WORDS
from spiders.site import Site

logger = logging.getLogger(__name__)

_REPORT_WORDS = 35  # crawler.links.text_score of a 年报 column name
FETCHED = "nianbao_fetched"  # request meta: [(url, content type, text)] the rendered page saw
_KEPT_TYPES = ("json", "xml", "html", "javascript", "text/plain")
_MAX_BODY = 2_000_000
_WATCHED: WeakKeyDictionary[BrowserPage, tuple[list[tuple[str, str, str]], set[asyncio.Future[None]]]] = (
    WeakKeyDictionary()
)

# Marks the visible controls whose text is a pager word and that carry no URL of their own.
_MARK_PAGERS = """(words) => {
  const out = [];
  document.querySelectorAll('[data-nianbao-pager]').forEach(e => e.removeAttribute('data-nianbao-pager'));
  for (const el of document.querySelectorAll('a, button, span, li, div, input[type=button]')) {
    const text = (el.innerText || el.value || '').replace(/\\s+/g, '');
    if (!text || !(words.includes(text) || /^[0-9]{1,3}$/.test(text))) continue;
    const href = (el.getAttribute('href') || '').trim();
    if (href && !href.startsWith('#') && !href.toLowerCase().startsWith('javascript')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (el.disabled || /disabled/.test(el.className)) continue;
    el.setAttribute('data-nianbao-pager', String(out.length));
    out.push(text);
  }
  return out;
}"""


_CHANGED = "(before) => !document.body || document.body.innerHTML !== before"


async def watch(page: BrowserPage, request: Any) -> None:
    """playwright_page_init_callback: keep the bodies of the XHR/fetch responses the page receives."""
    box: list[tuple[str, str, str]] = request.meta.setdefault(FETCHED, [])
    tasks: set[asyncio.Future[None]] = set()
    _WATCHED[page] = (box, tasks)

    def on_response(response: BrowserResponse) -> None:
        if response.request.resource_type not in ("xhr", "fetch"):
            return
        task = asyncio.ensure_future(_keep(response, box))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    page.on("response", on_response)


async def _keep(response: BrowserResponse, box: list[tuple[str, str, str]]) -> None:
    ctype = (response.headers.get("content-type") or "").lower()
    if response.status >= 400 or (ctype and not any(t in ctype for t in _KEPT_TYPES)):
        return
    with contextlib.suppress(PlaywrightError, UnicodeDecodeError, LookupError):
        body = await response.body()
        if len(body) <= _MAX_BODY:
            # the charset its header or its own <meta> names (GBK fragments of GBK sites), else UTF-8
            _, text = html_to_unicode(ctype, body)
            box.append((response.url, ctype, text))


def _next_control(texts: list[str], numbers_clicked: set[str]) -> int | None:
    """Which marked control to click: a "下一页"/"加载更多" word first; else the lowest page number
    not clicked yet (a pager of numbers only)."""
    for i, text in enumerate(texts):
        if not text.isdigit():
            return i
    numbered = sorted((int(t), i) for i, t in enumerate(texts) if t not in numbers_clicked)
    if not numbered:
        return None
    numbers_clicked.add(str(numbered[0][0]))
    return numbered[0][1]


async def explore(page: BrowserPage, clicks: int = 10, wait_ms: int = 5000) -> None:
    """PageMethod: click pagers that have no URL, keeping each new DOM; then wait for the bodies."""
    box, tasks = _WATCHED.get(page, ([], set()))
    seen: set[str] = set()
    numbers_clicked = {"1"}  # page 1 is the page as loaded
    try:
        for _ in range(clicks + 1):
            content = await page.content()
            digest = hashlib.sha1(content.encode("utf-8", "replace")).hexdigest()
            if digest in seen:
                break  # the pager did nothing, or came back to a state seen before
            seen.add(digest)
            box.append((page.url, "text/html", content))
            if len(seen) > clicks:
                break
            target = _next_control(await page.evaluate(_MARK_PAGERS, list(PAGER_WORDS)), numbers_clicked)
            if target is None:
                break
            before = page.url
            body = await page.evaluate("() => document.body ? document.body.innerHTML : ''")
            await page.locator(f'[data-nianbao-pager="{target}"]').first.click(timeout=wait_ms)
            # A load state already reached does not wait again: wait for the DOM to change instead
            # (the XHR answered and was drawn), then for the network to settle; a pager that changes
            # nothing times out here and the next round sees the same DOM and stops.
            with contextlib.suppress(PlaywrightError):
                await page.wait_for_function(_CHANGED, arg=body, timeout=wait_ms)
                await page.wait_for_load_state("networkidle", timeout=wait_ms)
            if page.url.split("#", 1)[0] != before.split("#", 1)[0]:
                box.append((page.url, "text/html", await page.content()))
                break  # the control navigated: a pager with a URL after all, crawled as such
    except PlaywrightError as exc:
        logger.info("pager clicking stopped on %s: %s", page.url, str(exc).splitlines()[0])
    if tasks:
        await asyncio.wait(set(tasks), timeout=wait_ms / 1000)


class RenderLists:
    """Mixed into ``ReportsSpider``: when to render a list page, and its records once rendered."""

    # provided by the spider
    sites: dict[str, Site]
    crawler: Any
    logger: Any
    browser_budget: int

    def _browser_meta(self) -> dict[str, Any]:
        settings = self.crawler.settings
        clicks = settings.getint("NIANBAO_BROWSER_CLICKS")
        wait_ms = int(settings.getfloat("NIANBAO_BROWSER_CLICK_WAIT") * 1000)
        return {
            "playwright": True,
            "playwright_page_init_callback": "spiders.render.watch",
            "playwright_page_methods": [
                PageMethod("wait_for_load_state", "networkidle"),
                PageMethod(explore, clicks, wait_ms),
            ],
        }

    def _rendered_links(self, site: Site, response: TextResponse, known: set[str]) -> list[L.LinkInfo]:
        """Links of the DOM states behind the pager and of every body the rendered page fetched.

        Fetched URLs are resolved against the page (a script puts them into the page's document)."""
        found: list[L.LinkInfo] = []
        fetched = response.meta.get(FETCHED) or []
        for url, _ctype, text in fetched:
            try:
                batch = generic.records(Page(url, text, base=response.url))
            except Exception as exc:  # a body no reader copes with costs that body only
                self.logger.warning("rendered list: unreadable body %s: %s: %s", url, type(exc).__name__, exc)
                continue
            for link, title in batch.links:
                if link in known:
                    continue
                known.add(link)
                found.append(L.classify_link(link, title, on_list_page=True))
        self.crawler.stats.inc_value("nianbao/browser/bodies_read", len(fetched))
        self.crawler.stats.inc_value("nianbao/browser/links_found", len(found))
        return found

    def _maybe_render(self, site: Site, response: TextResponse, page: Page, found: list[L.LinkInfo],
                      steps: list[Step], depth: int) -> Iterator[scrapy.Request]:
        """Render this page (or the script routes it names) when it looks like a list that no
        plug-in knows and gives no report links as served."""
        if response.meta.get("playwright") or L.is_article_url(response.url) or steps:
            return
        hop = handoff_of(response)
        kind = hop.kind if hop is not None else None
        anchor = hop.anchor if hop is not None else ""
        title = response.css("title::text").get(default="")
        # a page linking files is a document (a wrapper of its report), not a list to render
        items = any(f.kind in (L.REPORT, L.ATTACHMENT) or L.is_attachment_url(f.url) for f in found)
        signals = generic.list_signals(page)
        looks = kind == L.LIST or L.text_score(title) >= _REPORT_WORDS or L.text_score(anchor) >= _REPORT_WORDS
        targets: list[str] = []
        if looks and not items and (site.seed.render == "js" or signals or response.css("script")):
            targets.append(response.url)
        elif looks and kind == L.LIST and {"fetching", "pager"} <= set(signals):
            targets.append(response.url)  # shows some items, fetches the rest (TRS 海云 list2.trsapi)
        here = response.url.split("#", 1)[0]
        targets += [f.url for f in found if f.kind == L.LIST and f.url.split("#", 1)[0] == here and "#" in f.url
                    and not any(k.endswith("." + f.url.rsplit("#", 1)[1]) for k in site.keys)]
        for url in targets:
            if site.browser_pages >= self.browser_budget:
                self.crawler.stats.inc_value("nianbao/refused/browser_budget")
                return
            if url in site.rendered:
                continue
            site.rendered.add(url)
            self.crawler.stats.inc_value("nianbao/browser/lists_rendered")
            request = self._request(site, url, L.LIST, anchor, depth=depth, priority=60, browser=True,
                                    referer=response.url)
            if request is not None:
                yield request

    # provided by the spider (spiders.reports.ReportsSpider._request)
    def _request(self, site: Site, url: str, kind: str, text: str, *, depth: int, priority: float,
                 home: bool = False, referer: str = "", browser: bool = False, callback: Any = None,
                 **meta: Any) -> scrapy.Request | None:
        raise NotImplementedError
