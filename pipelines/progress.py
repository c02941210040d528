"""A LogStats-like progress line per running crawl: agencies done / total, pages and reports so far.

An agency is done when none of its requests is waiting in the scheduler or the downloader
(scheduled − dropped − left the downloader). Requests refused inside a downloader middleware
(robots.txt) never reach the downloader, so such an agency reads as done only when the run ends.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.handoff import site_of
from crawler.roster import roster_of

logger = logging.getLogger("nianbao.progress")

_OUTCOMES = ("new", "revised", "unchanged", "sighting", "near-duplicate", "defaced", "removed")


class CrawlProgress:
    """``NIANBAO_PROGRESS_INTERVAL`` seconds between lines (0 turns the extension off)."""

    def __init__(self, crawler: Any, interval: float) -> None:
        self.crawler = crawler
        self.roster = roster_of(crawler)
        self.interval = interval
        self.pending: Counter[str] = Counter()
        self.started: set[str] = set()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlProgress:
        interval = crawler.settings.getfloat("NIANBAO_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        ext = cls(crawler, interval)
        connect = crawler.signals.connect
        connect(ext.spider_opened, signal=signals.spider_opened)
        connect(ext.spider_closed, signal=signals.spider_closed)
        connect(ext.request_scheduled, signal=signals.request_scheduled)
        connect(ext.request_done, signal=signals.request_dropped)
        connect(ext.request_done, signal=signals.request_left_downloader)
        return ext

    @staticmethod
    def _agency(request: Any) -> str:
        return site_of(request)

    def request_scheduled(self, request: Any, spider: Any = None) -> None:
        if agency := self._agency(request):
            self.pending[agency] += 1
            self.started.add(agency)

    def request_done(self, request: Any, spider: Any = None) -> None:
        if (agency := self._agency(request)) and self.pending[agency] > 0:
            self.pending[agency] -= 1

    def spider_opened(self, spider: Any) -> None:
        self.loop = task.LoopingCall(self.log)
        self.loop.start(self.interval, now=False)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.log(final=True)

    def snapshot(self, final: bool = False) -> dict[str, Any]:
        """The figures of one progress line (the agencies are those the spider opened: its seeds)."""
        stats = self.crawler.stats
        total = len(self.roster.seeds) or len(self.started)
        done = total if final else sum(1 for a in self.started if self.pending[a] <= 0)
        reports = {k: int(stats.get_value(f"nianbao/reports/{k}", 0) or 0) for k in _OUTCOMES}
        return {
            "agencies_done": min(done, total),
            "agencies_total": total,
            "pages": int(stats.get_value("downloader/response_count", 0) or 0),
            "reports": sum(reports[k] for k in ("new", "revised", "unchanged", "defaced")),
            "new": reports["new"],
            "revised": reports["revised"],
            "failures": sum(int(v or 0) for k, v in stats.get_stats().items() if k.startswith("nianbao/failures/")),
        }

    def log(self, final: bool = False) -> None:
        s = self.snapshot(final)
        logger.info(
            "progress: agencies %d/%d done, %d pages, %d reports so far (new %d, revised %d), %d failures%s",
            s["agencies_done"], s["agencies_total"], s["pages"], s["reports"], s["new"], s["revised"],
            s["failures"], " (final)" if final else "",
        )
