"""A downloader whose ``CONCURRENT_REQUESTS`` counts transfers, not requests waiting out a host's delay.

Scrapy's downloader counts every request it holds against ``CONCURRENT_REQUESTS``: one that waits
for robots.txt or for its host's ``DOWNLOAD_DELAY`` to pass takes a place as much as one on the wire.
A polite crawl of many small agency sites (1 s per host, 16 overall) then spends most of its 16
places waiting: a new host's first page waits for robots.txt and then a whole delay after it, and
make bench's 300-site crawl had 4-8 transfers running out of 16 for its first half (bench/breadth.py;
docs/performance.md, issue 25). Here at most ``CONCURRENT_REQUESTS`` requests are on the wire at
once, every host's delay and its ``CONCURRENT_REQUESTS_PER_DOMAIN`` hold as before, and up to
``NIANBAO_DOWNLOADER_HELD_MAX`` requests may wait in the downloader meanwhile, so that a host
whose delay has passed always has a request ready.

Used as ``DOWNLOADER`` (settings/default.py). Built on Scrapy 2.19's ``Downloader`` internals
(``_process_queue``, ``Slot.transferring``): the Scrapy version is pinned in pyproject.toml.
"""

from __future__ import annotations

from typing import Any

from scrapy.core.downloader import Downloader, Slot


class TransferCappedDownloader(Downloader):
    """``CONCURRENT_REQUESTS`` transfers at most; ``NIANBAO_DOWNLOADER_HELD_MAX`` requests held."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        # Without a delay nothing waits on one: hold no more than is on the wire (Scrapy's way),
        # which keeps the request order and the memory of a crawl without politeness delays.
        delays = self._delay > 0 or crawler.settings.getbool("AUTOTHROTTLE_ENABLED")
        held = crawler.settings.getint("NIANBAO_DOWNLOADER_HELD_MAX") if delays else 0
        self.held_max: int = max(self.total_concurrency, held)
        # slots with a request ready to go but no transfer place free, in the order they asked
        self._waiting: dict[int, Slot] = {}

    def transfers(self) -> int:
        """Requests taken off their slot's queue and not yet answered: ``Slot.transferring`` is only
        filled once the download coroutine runs, a loop turn later, too late to cap by."""
        return sum(len(slot.active) - len(slot.queue) for slot in self.slots.values())

    def _full(self) -> bool:
        return 0 < self.total_concurrency <= self.transfers()

    def needs_backout(self) -> bool:
        return 0 < self.held_max <= len(self.active) or self._full()

    def _process_queue(self, slot: Slot) -> None:
        if self._full():
            if slot.queue:
                self._waiting.setdefault(id(slot), slot)
            return
        super()._process_queue(slot)
        while self._waiting and not self._full():  # a place came free: the slots that asked first
            waiting = self._waiting.pop(next(iter(self._waiting)))
            super()._process_queue(waiting)
