"""Stages 2–3: bytes → CleanDocument → Report, read in a reading process (``pipelines.workers``).

Extraction, the report classifier, parsing and the text's fingerprint are one pure call
(``crawler.read.read``): the payload goes to that process once and one ``Reading`` comes back. A
candidate that is not a report is dropped here, with the classifier's reason.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import DropItem

from crawler.model import Capture
from pipelines.state import archive_writes, state_for
from pipelines.workers import ReadFailed, ReadWorkers
from storage.revisit import UNREAD

logger = logging.getLogger(__name__)


class ExtractPipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.workers = ReadWorkers.from_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ExtractPipeline:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        self.workers.start()

    def close_spider(self, spider: Any = None) -> None:
        self.workers.close()

    async def process_item(self, item: Capture) -> Capture:
        if item.skip:
            return item
        try:
            reading = await self.workers.read(
                item.body, item.final_url, item.headers.get("Content-Type"), item.title_hint or None
            )
        except ReadFailed as exc:
            self.stats.inc_value("nianbao/failures/read_failed")
            logger.warning("%s: not read: %s", item.url, exc)
            self._done_with(item, UNREAD)  # due on the next run, fetched whole (storage.revisit)
            raise DropItem(f"not read ({exc}): {item.url}") from None
        doc, verdict = reading.document, reading.verdict
        for warning in doc.warnings:
            logger.info("%s: %s", item.url, warning)
        if not verdict.is_report or reading.report is None:
            self.stats.inc_value("nianbao/not_report")
            self.stats.inc_value(f"nianbao/not_report/{verdict.reason.split(':')[0]}")
            self._done_with(item, "not-report")
            raise DropItem(f"not a report ({verdict.reason}): {item.url}")
        item.document, item.report, item.text_print = doc, reading.report, reading.text_print
        self.stats.inc_value(f"nianbao/format/{item.report.format}")
        return item

    def _done_with(self, item: Capture, outcome: str) -> None:
        """Record what became of a fetch the archive stage will not see: "not-report" lets the next
        run ask for it conditionally, "read-failed" makes it due and fetched whole (storage)."""
        if item.fetch_id is not None:
            with archive_writes(self.crawler):
                state_for(self.crawler).archive.note_outcome(item.fetch_id, outcome)
