"""Stage 4: identity, dedup and versioning in the archive; removals for vanished report URLs."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from crawler.model import Capture
from crawler.roster import roster_of
from pipelines.state import archive_writes, state_for

logger = logging.getLogger(__name__)


class ArchivePipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.state = state_for(crawler)
        self.roster = roster_of(crawler)
        self.agency_ids: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchivePipeline:
        return cls(crawler)

    def _agency_id(self, item: Capture) -> int:
        if item.agency not in self.agency_ids:
            # Every seed of the crawl, not only this item's: a report re-hosted by another seed's
            # portal is placed under its own agency only if that agency's row is there already.
            seeds = list(self.roster.seeds.values())
            if item.seed is not None and all(s.agency != item.agency for s in seeds):
                seeds.append(item.seed)
            fresh = [seed for seed in seeds if seed.agency not in self.agency_ids]
            self.agency_ids.update(self.state.archive.upsert_agencies(fresh))
        return self.agency_ids[item.agency]

    def process_item(self, item: Capture) -> Capture:
        with archive_writes(self.crawler):
            return self._archive(item)

    def _archive(self, item: Capture) -> Capture:
        stats = self.crawler.stats
        archive, run_id = self.state.archive, self.state.run_id
        if item.skip == "gone":
            # One of removal's two signals (the fetch row holds it); the run's list reconciliation
            # decides with the other (Archive.reconcile_lists).
            stats.inc_value("nianbao/reports/gone")
            return item
        if item.skip:
            stats.inc_value(f"nianbao/skipped/{item.skip}")
            return item
        assert item.document is not None and item.report is not None
        result = archive.archive_document(
            run_id=run_id,
            agency_id=self._agency_id(item),
            fetch_id=item.fetch_id,
            url=item.url,
            doc=item.document,
            report=item.report,
            text_print=item.text_print,
            via=item.via,  # the report page a file hangs off, never a list page linking files of many
            fetched_at=datetime.fromisoformat(item.fetched_at),
        )
        item.outcome = result.outcome
        stats.inc_value(f"nianbao/reports/{result.outcome}")
        if result.outcome in ("revised", "defaced"):
            logger.info(
                "%s %s: %s", result.outcome, item.url, "; ".join(result.changed_cells) or "text changed"
            )
        return item
