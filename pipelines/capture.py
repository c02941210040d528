"""Stage 1: every fetched candidate goes into the fetch log, its payload into the blob store."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crawler.model import Capture
from pipelines.state import state_for


class CapturePipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.state = state_for(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CapturePipeline:
        return cls(crawler)

    def process_item(self, item: Capture) -> Capture:
        record = self.state.archive.record_fetch(
            run_id=self.state.run_id,
            url=item.url,
            final_url=item.final_url,
            status=item.status,
            headers=item.headers,
            body=item.body if item.status == 200 else None,
            content_type=item.headers.get("Content-Type"),
            encoding=None,
            fetched_at=datetime.fromisoformat(item.fetched_at),
        )
        item.fetch_id, item.new_blob = record.fetch_id, record.new_blob
        stats = self.crawler.stats
        stats.inc_value("nianbao/captured")
        if item.status == 304:
            item.skip = "not-modified"
        elif item.status in (404, 410):
            item.skip = "gone"
        elif item.status != 200:
            item.skip = f"http-{item.status}"
        elif not item.body:
            item.skip = "empty"
        return item
