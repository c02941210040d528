"""The run summary: logged at the end of every crawl and stored as the run's ``CrawlRun`` row."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.logformatter import LogFormatter

from pipelines.state import state_for

logger = logging.getLogger("nianbao.summary")

_OUTCOMES = ("new", "revised", "unchanged", "sighting", "near-duplicate", "defaced", "removed")


class RunSummary:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunSummary:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        state_for(self.crawler)  # open the archive (and the CrawlRun row) before the first request

    def spider_closed(self, spider: Any, reason: str) -> None:
        summary = build_summary(self.crawler.stats.get_stats(), spider, reason)
        state = state_for(self.crawler)
        state.archive.finish_run(state.run_id, summary, summary["exit_status"])
        self.crawler.nianbao_exit_status = summary["exit_status"]
        logger.info("run summary (run %d)\n%s", state.run_id, format_summary(summary))


def build_summary(stats: dict[str, Any], spider: Any, reason: str) -> dict[str, Any]:
    sites = spider.site_summary() if hasattr(spider, "site_summary") else []
    failed = [s["agency"] for s in sites if not s["ok"]]
    seed_errors = list(getattr(spider, "seed_errors", []))
    reports = {k: int(stats.get(f"nianbao/reports/{k}", 0)) for k in _OUTCOMES}
    failures = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("nianbao/failures/")}
    refused = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("nianbao/refused/")}
    if not sites:
        exit_status = 2
    elif failed:
        exit_status = 1
    else:
        exit_status = 0
    return {
        "finish_reason": reason,
        "exit_status": exit_status,
        "agencies": {"total": len(sites), "ok": len(sites) - len(failed), "failed": failed},
        "pages_fetched": int(stats.get("downloader/response_count", 0)),
        "bytes_downloaded": int(stats.get("downloader/response_bytes", 0)),
        "browser_pages": int(stats.get("nianbao/browser_pages", 0)),
        "candidates": int(stats.get("nianbao/captured", 0)),
        "not_reports": int(stats.get("nianbao/not_report", 0)),
        "reports": reports,
        "failures": failures,
        "refused": refused,
        "seed_errors": seed_errors,
        "per_agency": sites,
    }


def format_summary(summary: dict[str, Any]) -> str:
    a, r = summary["agencies"], summary["reports"]
    lines = [
        f"agencies: {a['ok']}/{a['total']} ok"
        + (f"; failed: {', '.join(a['failed'])}" if a["failed"] else ""),
        f"pages fetched: {summary['pages_fetched']} ({summary['bytes_downloaded']} bytes), "
        f"browser pages: {summary['browser_pages']}",
        f"candidates: {summary['candidates']}, not reports: {summary['not_reports']}",
        "reports: " + ", ".join(f"{k} {v}" for k, v in r.items()),
    ]
    if summary["failures"]:
        lines.append("failures: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["failures"].items())))
    if summary["refused"]:
        lines.append("refused: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["refused"].items())))
    for err in summary["seed_errors"]:
        lines.append(f"seed error: {err}")
    lines.append(f"exit status: {summary['exit_status']} ({summary['finish_reason']})")
    return "\n".join(lines)


class QuietDropFormatter(LogFormatter):
    """Non-reports are dropped on purpose: log them at INFO, not as warnings."""

    def dropped(
        self, item: Any, exception: BaseException, response: Any, spider: Any = None
    ) -> dict[str, Any]:
        entry = super().dropped(item, exception, response, spider)
        entry["level"] = logging.INFO
        entry["msg"] = "Dropped: %(exception)s"
        return entry
