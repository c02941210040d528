"""The ``reports`` spider's list walk: the list plug-ins of ``crawler.lists``, walked from one registry.

Every HTML page is offered to the registry (pager families only on pages known to be 年报 lists);
the steps a plug-in asks for are requested here, records responses read by the plug-in that asked
for them. Keys a later page needs (gkmlpt's SID, its category ids) are kept per site. A plug-in
that breaks on a page (malformed JSON, an endpoint that errors) costs that list only: one log line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from crawler import links as L
from crawler import lists
from crawler.handoff import handoff_of
from crawler.lists import Limits, Page, Step
from spiders.responses import PageLinks
from spiders.site import Site, site_step

_REDIRECTS = (301, 302, 303, 307, 308)


class ListWalk:
    """Mixed into ``ReportsSpider``: the list shapes it knows, as plug-ins."""

    # provided by the spider
    sites: dict[str, Site]
    crawler: Any
    logger: Any
    list_pages_max: int
    hanweb_perpage: int

    def _limits(self) -> Limits:
        return Limits(max_pages=self.list_pages_max, perpage=self.hanweb_perpage)

    def _page_of(self, site: Site, response: TextResponse, links: PageLinks) -> Page:
        # a "更多>>" link is named by its block (a tab's 年报 label): what a plug-in reads as its name
        anchors = tuple((a.url, a.context or a.text or a.title) for a in (*links.anchors, *links.scripted) if a.href)
        return Page(response.url, response.text, anchors, site.keys)

    def _list_steps(self, site: Site, page: Page, *, on_list: bool) -> list[Step]:
        """What the plug-ins that know this page ask for next; the page's keys kept for later pages."""
        site.keys.update(lists.keys(page))
        steps: list[Step] = []
        for family in lists.families(page, on_list=on_list):
            if steps and getattr(family, "FALLBACK", False):
                continue  # a family written for this shape already knows the page
            try:
                steps.extend(family.next_page(page, self._limits()))
            except Exception as exc:  # a plug-in that breaks costs this list only
                self._plugin_failed(site, family.NAME, page.url, exc)
        return steps

    def _walk_lists(self, site: Site, response: TextResponse, steps: list[Step], depth: int,
                    new_items: int) -> Iterator[scrapy.Request]:
        for step in steps:
            if step.until_empty and not new_items:
                continue  # no page count stated: the next page only while pages bring new items
            if step.records:
                yield from self._maybe(site, step.url, L.PAGER, depth, response, callback=self.parse_records,
                                       shape=step.family, page=step.number, per=step.per, base=response.url)
            else:
                yield from self._maybe(site, step.url, L.PAGER, depth, response)

    @site_step
    def parse_records(self, response: Response) -> Iterator[scrapy.Request]:
        """A records endpoint (Hanweb XML, gkmlpt JSON, "加载更多" …), read by the plug-in that asked."""
        hop = handoff_of(response)
        assert hop is not None
        site = self.sites[hop.site]
        if response.status in _REDIRECTS:
            yield from self._redirect(site, response, self.parse_records)
            return
        if response.status >= 400 or response.status == 304 or not isinstance(response, TextResponse):
            self._count_failure(site, f"http_{response.status}", response.url)
            site.lists_partial = True
            return
        shape = hop.shape or "generic"
        family = lists.BY_NAME.get(shape, lists.generic)
        page = Page(response.url, response.text, (), site.keys, hop.page, hop.per, hop.base)
        try:
            site.keys.update(lists.keys(page))  # a script file may hold the site's list keys
            batch = family.records(page)
        except Exception as exc:
            self._plugin_failed(site, shape, response.url, exc)
            return
        if not batch.links and response.text.strip():
            self.logger.info("list records: none readable in %s (%s)", response.url, shape)
        self.crawler.stats.inc_value(f"nianbao/list_records/{shape}", len(batch.links))
        depth = hop.depth
        infos = [L.classify_link(url, title, on_list_page=True) for url, title in batch.links]
        site.list_links.update(i.url.split("#", 1)[0] for i in infos if i.kind in (L.REPORT, L.ATTACHMENT))
        site.lists_found += any(i.kind in (L.REPORT, L.ATTACHMENT) for i in infos)  # a batch links reports or their files
        new = 0
        for _, request in self._follow_all(site, infos, response, depth):
            new += 1
            yield request
        if page.number is None and not batch.links:
            # not a batch (a script file holding keys): what the family asks for now that it is read
            yield from self._records_steps(site, family, page, response, depth)
            return
        # Stop on an empty batch, on the batch before again (past the end some endpoints answer their
        # last batch), or on a second batch in a row with nothing new: links seen elsewhere first (a
        # home page's latest items) do not end a list that goes on.
        signature = hashlib.sha1("\n".join(sorted(u for u, _ in batch.links)).encode()).hexdigest()
        stale = 0 if new else hop.stale + 1
        if page.number is None or not batch.links or signature == hop.batch or stale >= 2:
            return
        yield from self._records_steps(site, family, replace(page, per=page.per or len(batch.links)), response,
                                       depth, batch=signature, stale=stale)

    def _records_steps(self, site: Site, family: Any, page: Page, response: Response,
                       depth: int, **carry: Any) -> Iterator[scrapy.Request]:
        try:
            steps = family.next_page(page, self._limits())
        except Exception as exc:
            self._plugin_failed(site, family.NAME, response.url, exc)
            return
        for step in steps:
            if site.list_pages >= self.list_pages_max:
                site.lists_partial = True
                return
            site.list_pages += 1
            yield from self._maybe(site, step.url, L.PAGER, depth, response, callback=self.parse_records,
                                   shape=step.family, page=step.number, per=step.per, base=page.base, **carry)

    def _plugin_failed(self, site: Site, family: str, url: str, exc: Exception) -> None:
        site.lists_partial = True
        self.crawler.stats.inc_value(f"nianbao/list_plugin_errors/{family}")
        self.logger.warning("list plug-in %s failed on %s: %s: %s", family, url, type(exc).__name__, exc)

    # provided by the spider
    def _maybe(self, site: Site, url: str, kind: str, depth: int, response: Response,
               **kw: Any) -> Iterator[scrapy.Request]:
        raise NotImplementedError

    def _redirect(self, site: Site, response: Response, callback: Any, target: str = "") -> Iterator[Any]:
        raise NotImplementedError

    def _count_failure(self, site: Site, reason: str, url: str) -> None:
        raise NotImplementedError

    def _follow_all(self, site: Site, found: list[L.LinkInfo], response: Response,
                    depth: int) -> Iterator[tuple[L.LinkInfo, scrapy.Request]]:
        raise NotImplementedError
