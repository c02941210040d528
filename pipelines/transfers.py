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
(``_process_queue``, ``Slot.queue``; the ``request_left_downloader`` signal frees a place): the
Scrapy version is pinned in pyproject.toml.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request, signals
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
        # Requests taken off a slot's queue and not yet answered, counted as they go: Scrapy fills
        # Slot.transferring a loop turn after it takes a request off the queue, and frees it before
        # the request leaves the slot's ``active`` set — counted by either, a finished transfer held
        # its place until some other slot woke the queue (13.4 of 16 on the wire on average in the
        # bench's 300-site crawl).
        self._on_wire = 0
        self._launching = False
        crawler.signals.connect(self._left, signal=signals.request_left_downloader)

    def _full(self) -> bool:
        return 0 < self.total_concurrency <= self._on_wire

    def needs_backout(self) -> bool:
        return 0 < self.held_max <= len(self.active) or self._full()

    def _process_queue(self, slot: Slot) -> None:
        if self._launching:  # Scrapy's own call within a launch (its burst guard): counted by that launch
            super()._process_queue(slot)
            return
        if self._full():
            if slot.queue:
                self._waiting.setdefault(id(slot), slot)
            return
        self._launch(slot)
        self._drain()

    def _launch(self, slot: Slot) -> None:
        queued = len(slot.queue)
        self._launching = True
        try:
            super()._process_queue(slot)
        finally:
            self._launching = False
        self._on_wire += queued - len(slot.queue)

    def _drain(self) -> None:
        """A place came free: the slots that asked first go."""
        while self._waiting and not self._full():
            self._launch(self._waiting.pop(next(iter(self._waiting))))

    def _left(self, request: Request) -> None:
        """``request_left_downloader``: its transfer ended (answered or failed), its place is free."""
        self._on_wire -= 1
        # Without the asyncio reactor Scrapy starts a download eagerly, so one that fails at once
        # leaves inside the launch that started it, before that launch has counted it: the launch
        # drains once its count is right.
        if not self._launching:
            self._drain()
