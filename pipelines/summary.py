"""The run summary: logged at the end of every crawl and stored as the run's ``CrawlRun`` row."""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy import signals
from scrapy.logformatter import LogFormatter, LogFormatterResult

from crawler.extract import TRUNCATED
from crawler.roster import Roster, roster_of
from crawler.summary import format_summary
from pipelines.revisit import crawl_clock, revisit_summary
from pipelines.state import state_for, storage_failure
from storage import audit
from storage.db import StorageError
from storage.webhook import post_events

logger = logging.getLogger("nianbao.summary")

_ENDED = {"finished": "finished", "shutdown": "interrupted", "cancelled": "interrupted"}


def how_it_ended(reason: str) -> str:
    """finished | interrupted (SIGINT/SIGTERM) | the close reason of any other stop (storage-error …)."""
    return _ENDED.get(reason, reason)


_OUTCOMES = ("new", "revised", "unchanged", "sighting", "near-duplicate", "defaced", "removed")


class RunSummary:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.cpu_at_open = 0.0

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunSummary:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.item_done, signal=signals.item_scraped)
        crawler.signals.connect(ext.item_done, signal=signals.item_dropped)
        return ext

    def item_done(self, item: Any, **_: Any) -> None:
        """Documents cut at a size limit are named in the summary (the document's own warning says so too)."""
        doc = getattr(item, "document", None)
        if doc is not None and any(w.startswith(TRUNCATED) for w in doc.warnings):
            self.crawler.stats.inc_value("nianbao/truncated")
            truncated = self.crawler.stats.get_value("nianbao/truncated_urls") or []
            if len(truncated) < 20:
                self.crawler.stats.set_value("nianbao/truncated_urls", [*truncated, getattr(item, "url", "")])

    def spider_opened(self, spider: Any) -> None:
        self.cpu_at_open = time.process_time()
        state_for(self.crawler)  # open the archive (and the CrawlRun row) before the first request

    def spider_closed(self, spider: Any, reason: str) -> None:
        # This process's CPU from open to close (all its threads; start-up imports and the reading
        # and browser processes not included): what one reactor spent on the crawl (`make bench`).
        self.crawler.stats.set_value("nianbao/crawler_cpu_s", round(time.process_time() - self.cpu_at_open, 3))
        state = state_for(self.crawler)
        roster = roster_of(self.crawler)  # closed by the spider's closed(), which Scrapy calls first
        if not roster.closed:
            logger.error("the spider handed over no per-agency summary: the run summary counts no agency")
        if reason == "finished":  # a crawl stopped early (signal, CloseSpider) saw only part of its lists
            self._reconcile_lists(roster)
        summary = build_summary(self.crawler.stats.get_stats(), roster, reason)
        frontier = getattr(self.crawler, "nianbao_frontier", None)
        if frontier is not None:
            summary["job"] = frontier.summary(reason)
        try:  # what `nianbao audit` would list now, counted by reason
            summary["audit"] = audit.counts(audit.audit(state.archive.engine))
        except Exception as err:  # noqa: BLE001 - a count must never cost the run its summary
            logger.warning("audit counts not made: %s", err)
        if storage_failure(self.crawler):
            summary["exit_status"] = 2  # the archive stopped taking writes: the run is not complete
        try:
            state.archive.finish_run(state.run_id, summary, summary["exit_status"])
        except StorageError:
            logger.error("run %d: the summary below could not be stored in the archive", state.run_id)
        self._post_events()
        self.crawler.nianbao_exit_status = summary["exit_status"]
        self.crawler.nianbao_summary = summary  # printed on stdout by the crawl command
        logger.info("run summary (run %d)\n%s", state.run_id, format_summary(summary))


    def _reconcile_lists(self, roster: Roster) -> None:
        """Reports that left a completely crawled list become ``removed`` (missing-from-list)."""
        state, stats = state_for(self.crawler), self.crawler.stats
        for agency, inventory in roster.inventory.items():
            if inventory.links is None:
                stats.inc_value("nianbao/lists/partial")
            try:
                agency_id = state.archive.upsert_agency(roster.seeds[agency])
                removed = state.archive.reconcile_lists(
                    run_id=state.run_id, agency_id=agency_id, links=inventory.links,
                    children=inventory.attachments, seen=inventory.seen, at=crawl_clock(self.crawler.settings),
                )
            except StorageError as err:
                logger.warning("%s: list inventory not updated: %s", agency, err)
                continue
            for url in removed:
                logger.info("removed (missing from its list): %s", url)
            stats.inc_value("nianbao/reports/removed", len(removed))

    def _post_events(self) -> None:
        """The run's events to ``NIANBAO_WEBHOOK_URL`` (one warning on failure, never an exception)."""
        url = self.crawler.settings.get("NIANBAO_WEBHOOK_URL")
        if not url:
            return
        state = state_for(self.crawler)
        events = state.archive.events(run_id=state.run_id)
        if events and post_events(url, events):
            self.crawler.stats.set_value("nianbao/webhook/events_posted", len(events))
            logger.info("posted %d events to the webhook", len(events))


def build_summary(stats: dict[str, Any], roster: Roster, reason: str) -> dict[str, Any]:
    """The run summary from the crawl's stats and what the spider handed over (crawler.roster)."""
    sites = list(roster.lines)
    failed = [s["agency"] for s in sites if not s["ok"]]
    seed_errors = list(roster.seed_errors)
    reports = {k: int(stats.get(f"nianbao/reports/{k}", 0)) for k in _OUTCOMES}
    failures = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("nianbao/failures/")}
    refused = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("nianbao/refused/")}
    ended = how_it_ended(reason)
    if not sites:
        exit_status = 2  # no usable seed: bad input
    elif len(failed) == len(sites):
        # every agency failed: no home page could be fetched (no network, every portal down). Not
        # "no downloads": a distributed worker may end a round whose requests its peers all took.
        exit_status = 3
    elif failed or ended != "finished":
        exit_status = 1  # some agencies failed, or the run stopped before its end (it says so)
    else:
        exit_status = 0
    return {
        "finish_reason": reason,
        "ended": ended,
        "exit_status": exit_status,
        "agencies": {"total": len(sites), "ok": len(sites) - len(failed), "failed": failed},
        # list pages answered from the archive pass through the downloader's stats: not downloads
        "pages_fetched": int(stats.get("downloader/response_count", 0) - stats.get("nianbao/revisit/list_not_due", 0)),
        "bytes_downloaded": int(stats.get("downloader/response_bytes", 0)
                                - stats.get("nianbao/revisit/list_not_due_bytes", 0)),
        "browser_pages": int(stats.get("nianbao/browser_pages", 0)),
        "candidates": int(stats.get("nianbao/captured", 0)),
        "not_reports": int(stats.get("nianbao/not_report", 0)),
        # what the archive declined to store as reports (crawler.decide): list pages, other agencies'
        # reports (`nianbao seeds suggest`), wrapper pages kept as stubs until their file is read
        "identity": {k.replace("-", "_"): int(stats.get(f"nianbao/reports/{k}", 0))
                     for k in ("list", "out-of-seed", "stub")},
        "reports": reports,
        "failures": failures,
        "refused": refused,
        # re-crawl cost: how every known report was checked (304s, HEADs, full downloads), list pages
        "revisit": revisit_summary(stats),
        "seed_errors": seed_errors,
        "truncated": {"documents": int(stats.get("nianbao/truncated", 0)),
                      "urls": list(stats.get("nianbao/truncated_urls") or [])},
        "per_agency": sites,
    }


class QuietDropFormatter(LogFormatter):
    """Non-reports are dropped on purpose: log them at INFO, not as warnings."""

    def dropped(
        self, item: Any, exception: BaseException, response: Any, spider: Any = None
    ) -> LogFormatterResult:
        entry = super().dropped(item, exception, response, spider)
        entry["level"] = logging.INFO
        entry["msg"] = "Dropped: %(exception)s"
        return entry
