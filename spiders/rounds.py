"""The ``reports`` spider's weak navigation: held back, then followed best first, one agency at a time.

Links scored below ``NIANBAO_FOCUS_NAV_SCORE`` (其他信息, 财政预决算, 网站地图 …) wait in
``Site.deferred`` while the agency's strong leads are followed. When the agency's last pending
request has been answered (``Site.pending``: every request ``_request`` built, cleared by its
callback or errback through ``spiders.site.site_step``, or by ``request_dropped``), its next round
goes (``crawler.weaknav``): each agency at its own pace, and what it fetches does not depend on when
answers come. spider_idle starts the rounds of an agency whose request never came back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import scrapy
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response

from crawler import links as L
from crawler import weaknav
from crawler.handoff import handoff_of
from spiders.site import Site, pending_key, pending_key_of


class NavRounds:
    """Mixed into ``ReportsSpider`` (before the other mixins): weak navigation in rounds."""

    # provided by the spider
    sites: dict[str, Site]
    crawler: Any
    defer_nav: bool
    focus_score: float
    nav_rounds: int
    _request: Callable[..., scrapy.Request | None]

    def _hold_weak(self, site: Site, found: list[L.LinkInfo], response: Response,
                   depth: int) -> list[L.LinkInfo]:
        """The links of a page that is not a list to follow now; its weak navigation held back.
        Pages named 政府信息公开 or 信息公开目录 (where a list may hide) go at once."""
        if not self.defer_nav:
            return found
        weak = [f for f in found if f.kind == L.NAV and f.score < self.focus_score]
        site.deferred += [weaknav.Held(f.url, f.text, f.score, response.url, depth, L.is_site_map(f.url, f.text))
                          for f in weak]
        return [f for f in found if not (f.kind == L.NAV and f.score < self.focus_score)]

    def _stepped(self, request: scrapy.Request, output: Iterator[Any]) -> Iterator[Any]:
        """A callback's ``output`` for one of an agency's requests; when no other request of the
        agency is pending, the agency's next round of weak navigation. A round starts when the
        rounds before have been followed to their end, whatever order the answers came in."""
        hop = handoff_of(request)
        site = self.sites.get(hop.site) if hop is not None else None
        try:
            yield from output
        finally:
            if site is not None:
                site.pending.discard(pending_key_of(request))
                for url in request.meta.get("redirect_urls", ()):
                    site.pending.discard(pending_key(url, False))
        if site is not None and not site.pending:
            yield from self._next_nav_round(site)

    def _request_dropped(self, request: scrapy.Request, spider: Any = None) -> None:
        """The scheduler dropped a request (another agency asked for the same URL first)."""
        hop = handoff_of(request)
        site = self.sites.get(hop.site) if hop is not None else None
        if site is not None:
            site.pending.discard(pending_key_of(request))
            if not site.pending:
                for follow in self._next_nav_round(site):
                    self.crawler.engine.crawl(follow)

    def _next_nav_round(self, site: Site) -> Iterator[scrapy.Request]:
        """The agency's next round of weak navigation (``crawler.weaknav``) while its lists gave no
        report; once they have, what it held is dropped."""
        if not site.deferred or not self.defer_nav:
            return
        if site.lists_found:
            self.crawler.stats.inc_value("nianbao/refused/deferred_nav", len(site.deferred))
            site.deferred = []
            return
        went = 0
        held = [h for h in site.deferred if h.url.split("#", 1)[0] not in site.seen]  # fetched since
        while held and not went:  # a round whose links were all refused (scope, budget): the next one
            now, held = weaknav.next_round(held, site.nav_rounds, self.nav_rounds)
            for link in now:
                request = self._request(site, link.url, L.NAV, link.text, depth=link.depth + 1,
                                        priority=link.score, referer=link.referer)
                if request is not None:
                    went += 1
                    yield request
        site.deferred = held
        site.nav_rounds += bool(went)
        if went:
            self.crawler.stats.inc_value("nianbao/deferred_nav_released", went)

    def _release_deferred(self, spider: Any = None) -> None:
        """spider_idle: every agency's next round of weak navigation. Normally each agency's round
        went when its last pending request was answered; this catches a request that never came
        back to a callback (dropped by a middleware that calls no errback)."""
        released = 0
        for site in self.sites.values():
            site.pending.clear()  # the engine is idle: nothing is pending
            for request in self._next_nav_round(site):
                self.crawler.engine.crawl(request)
                released += 1
        if released:
            raise DontCloseSpider
