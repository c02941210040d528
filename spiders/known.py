"""Known reports nothing linked on this run: asked for once the crawl runs out of links.

A report that left every list (withdrawn, moved, the list rebuilt) is still checked: a 404 or a
soft-404 is how its removal is seen, a 200 keeps it checked for revisions. The archive knows these
URLs; the spider must not read it, so the revisit middleware (``pipelines.revisit``) leaves a
callable on the crawler, and this module only turns its answer into requests when the spider idles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider

from crawler.handoff import CANDIDATE_KINDS, KNOWN_ATTR, LinkKind

_PRIORITY = 0  # after everything the lists led to


class _Spider(Protocol):
    sites: dict[str, Any]
    crawler: Any
    _nianbao_known: KnownReports  # kept on the spider: signals hold weak references

    def _request(self, site: Any, url: str, kind: str, text: str, *, depth: int, priority: float,
                 **meta: Any) -> scrapy.Request | None: ...


class KnownReports:
    def __init__(self, crawler: Any, spider: _Spider) -> None:
        self.crawler = crawler
        self.spider = spider
        self.done = False

    def idle(self, spider: Any = None) -> None:
        """On the first idle: request every known report of a seed agency that was not requested
        on this run; keep the spider open while they are fetched."""
        if self.done:
            return
        self.done = True
        source: Callable[[], dict[str, list[tuple[str, str]]]] | None = getattr(self.crawler, KNOWN_ATTR, None)
        if source is None:
            return
        issued = 0
        for agency, entries in source().items():
            site = self.spider.sites.get(agency)
            if site is None:
                continue  # not on this run's seed list
            for url, kind in entries:
                if url.split("#", 1)[0] in site.seen:
                    continue
                request = self.spider._request(site, url, kind if kind in CANDIDATE_KINDS else LinkKind.REPORT, "",
                                               depth=1, priority=_PRIORITY, known=True)
                if request is not None:
                    # Requested, but not "seen" for the list inventory: that means linked somewhere
                    # on this run, and a report that left its list must still count as gone from it.
                    site.seen.discard(url.split("#", 1)[0])
                    self.crawler.engine.crawl(request)
                    issued += 1
        if issued:
            self.crawler.stats.inc_value("nianbao/revisit/known_unlinked", issued)
            raise DontCloseSpider


def attach(crawler: Any, spider: _Spider) -> None:
    """Connect the idle check (called from the spider's ``from_crawler``)."""
    known = KnownReports(crawler, spider)
    spider._nianbao_known = known
    crawler.signals.connect(known.idle, signal=signals.spider_idle)
