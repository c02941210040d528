"""The ``reports`` spider's tally: what became of each agency's requests and items, and the roster's
last word (every agency's summary line and list inventory) when the spider closes."""

from __future__ import annotations

from typing import Any

from crawler.model import Capture
from crawler.roster import ListInventory, Roster
from spiders.site import Site


class SiteOutcomes:
    """Mixed into ``ReportsSpider`` (before ``ListWalk``, whose ``_count_failure`` is a stub)."""

    # provided by the spider
    sites: dict[str, Site]
    crawler: Any
    logger: Any
    roster: Roster

    def _count_failure(self, site: Site, reason: str, url: str) -> None:
        site.errors[reason] = site.errors.get(reason, 0) + 1
        self.crawler.stats.inc_value(f"nianbao/failures/{reason}")
        self.logger.info("%s: %s", reason, url)

    def _item_scraped(self, item: Any, response: Any = None, spider: Any = None) -> None:
        """An item that came through every pipeline is a report (or a file of one) on this run."""
        if isinstance(item, Capture) and item.status in (200, 304) and item.skip in ("", "not-modified"):
            site = self.sites.get(item.agency)
            if site is not None:
                site.reports.add(item.url.split("#", 1)[0])

    def _item_done(self, item: Any, **_: Any) -> None:
        """Files fetched but unreadable (encrypted, corrupt …) count in the summary by reason."""
        doc = getattr(item, "document", None)
        site = self.sites.get(getattr(item, "agency", ""))
        if doc is None or site is None:
            return
        if doc.not_read is not None and doc.not_read.attachment:
            self._count_failure(site, doc.not_read.key, item.url)

    def site_summary(self) -> list[dict[str, Any]]:
        return [site.summary() for site in self.sites.values()]

    def list_inventory(self) -> dict[str, ListInventory]:
        """Per agency: the candidate links of its lists (None when the lists were not crawled
        completely: budget cut, a failed list page), attachments → report page, URLs requested."""
        return {agency: site.inventory() for agency, site in self.sites.items()}

    def closed(self, reason: str) -> None:
        # The components' last word from the spider (crawler.roster): the run summary and the
        # removal of reports that left their lists read it in their spider_closed, after this one.
        rows = self.site_summary()
        self.roster.close(rows, self.list_inventory())
        for row in rows:
            self.logger.info(
                "%s: fetched %d pages, %d lead to reports (ratio %s), %d browser pages",
                row["agency"],
                row["pages"],
                row["needed_pages"],
                row["fetch_ratio"],
                row["browser_pages"],
            )
