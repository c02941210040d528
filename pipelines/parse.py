"""Stage 3: CleanDocument → Report (year, agency, format, tables, checks)."""

from __future__ import annotations

from typing import Any

from crawler.model import Capture
from crawler.parse import parse


class ParsePipeline:
    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ParsePipeline:
        return cls(crawler)

    def process_item(self, item: Capture) -> Capture:
        if item.skip or item.document is None:
            return item
        item.report = parse(item.document)
        self.stats.inc_value(f"nianbao/format/{item.report.format}")
        return item
