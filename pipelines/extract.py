"""Stage 2: bytes → CleanDocument, then the report classifier decides whether to go on."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import DropItem

from crawler.classify import classify
from crawler.extract import extract
from crawler.model import Capture
from pipelines.state import archive_writes, state_for

logger = logging.getLogger(__name__)


class ExtractPipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ExtractPipeline:
        return cls(crawler)

    def process_item(self, item: Capture) -> Capture:
        if item.skip:
            return item
        doc = extract(
            item.body, item.final_url, item.headers.get("Content-Type"), title_hint=item.title_hint or None
        )
        for warning in doc.warnings:
            logger.info("%s: %s", item.url, warning)
        verdict = classify(doc.title or item.title_hint, item.final_url, doc.text)
        if not verdict.is_report:
            self.stats.inc_value("nianbao/not_report")
            self.stats.inc_value(f"nianbao/not_report/{verdict.reason.split(':')[0]}")
            if item.fetch_id is not None:
                # Done with: the next run may ask for it conditionally (storage: validators()).
                with archive_writes(self.crawler):
                    state_for(self.crawler).archive.note_outcome(item.fetch_id, "not-report")
            raise DropItem(f"not a report ({verdict.reason}): {item.url}")
        item.document = doc
        return item
