"""Stage 1: every fetched candidate goes into the fetch log, its payload into the blob store."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crawler.model import Capture
from pipelines.revisit import crawl_clock
from pipelines.state import archive_writes, state_for

# Capture.kind (page | attachment) → the fetch log's kind, which drives the revisit interval.
_FETCH_KIND = {"page": "report", "attachment": "attachment"}


class CapturePipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.state = state_for(crawler)
        self.now = crawl_clock(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CapturePipeline:
        return cls(crawler)

    def process_item(self, item: Capture) -> Capture:
        if self.now is not None:
            # A replayed or simulated crawl: fetch rows, versions and events carry its clock.
            item.fetched_at = self.now.isoformat(timespec="seconds")
        stats = self.crawler.stats
        if item.skip:
            pass  # the spider already knows (a soft-404 report URL is "gone")
        elif item.status == 304:
            item.skip = "not-modified"
            stats.inc_value("nianbao/revisit/not_modified")
        elif item.status in (404, 410):
            item.skip = "gone"
        elif item.status != 200:
            item.skip = f"http-{item.status}"
        elif not item.body:
            item.skip = "empty"
        with archive_writes(self.crawler):
            record = self._record(item)
        item.fetch_id, item.new_blob = record.fetch_id, record.new_blob
        stats.inc_value("nianbao/captured")
        if record.new_blob:
            stats.inc_value("nianbao/blobs/new")
        return item

    def _record(self, item: Capture) -> Any:
        return self.state.archive.record_fetch(
            run_id=self.state.run_id,
            url=item.url,
            final_url=item.final_url,
            status=item.status,
            headers=item.headers,
            body=item.body if item.status == 200 else None,
            content_type=item.headers.get("Content-Type"),
            encoding=None,
            fetched_at=datetime.fromisoformat(item.fetched_at),
            kind=_FETCH_KIND.get(item.kind, "report"),
            # A 200 skipped here (a soft-404, an empty body) is done with; a 200 to read carries no
            # outcome until it is archived (storage.revisit: unfinished fetches are due at once).
            outcome=(item.skip or None) if item.status == 200 else None,
        )
