"""Per-agency crawl state of the ``reports`` spider."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from crawler.model import Seed
from crawler.roster import ListInventory
from crawler.weaknav import Held


@dataclass
class Site:
    """Per-agency crawl state: budget, browser use and what happened."""

    seed: Seed
    domains: list[str]
    pages: int = 0
    browser_pages: int = 0
    candidates: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    home_ok: bool = False
    budget_exhausted: bool = False
    list_pages: int = 0
    seen: set[str] = field(default_factory=set)
    # URL → the page that linked it, and the URLs that turned out to be reports (or their files):
    # together they give the pages that lead to reports, the denominator of the crawl's cost ratio.
    parent: dict[str, str] = field(default_factory=dict)
    reports: set[str] = field(default_factory=set)
    # The list inventory (removal of reports that left their list): candidate links on list pages,
    # attachments → their report page, and whether every list page came through.
    list_links: set[str] = field(default_factory=set)
    attachments: dict[str, str] = field(default_factory=dict)
    lists_partial: bool = False
    # Values list plug-ins carry from page to page (gkmlpt's SID on one page, its category ids on
    # another: ``crawler.lists``), and the URLs (routes included) already rendered in the browser.
    keys: dict[str, str] = field(default_factory=dict)
    rendered: set[str] = field(default_factory=set)
    lists_found: int = 0  # list pages and records batches that gave report links
    # Weak navigation held back, followed best first in rounds while the agency's lists give no
    # report (crawler.weaknav; spiders/rounds.py, once the agency's pending requests are answered),
    # and the rounds so far.
    deferred: list[Held] = field(default_factory=list)
    nav_rounds: int = 0
    # Requests of this agency built and not yet answered (``pending_key``): when the last one's
    # callback ends, the agency has followed every strong lead and its next weak round may go.
    pending: set[str] = field(default_factory=set)

    def needed_pages(self) -> set[str]:
        """Report pages, their attachments, and every list and navigation page on their paths."""
        needed: set[str] = set()
        for url in self.reports:
            while url and url not in needed:
                needed.add(url)
                url = self.parent.get(url, "")
        return needed

    @property
    def failed(self) -> bool:
        return not self.home_ok

    def summary(self) -> dict[str, Any]:
        """This agency's line of the run summary."""
        needed = len(self.needed_pages())
        return {
            "agency": self.seed.agency,
            "url": self.seed.url,
            "ok": not self.failed,
            "pages": self.pages,
            "candidates": self.candidates,
            "reports": len(self.reports),
            # fetched pages per page that leads to a report (report pages, attachments, list and
            # navigation pages on their paths): the focused crawl's cost
            "needed_pages": needed,
            "fetch_ratio": round(self.pages / needed, 2) if needed else None,
            "browser_pages": self.browser_pages,
            "budget_exhausted": self.budget_exhausted,
            "domains": list(self.domains),
            "errors": dict(self.errors),
        }

    def inventory(self) -> ListInventory:
        """Its lists' candidate links (None unless every list page came through), attachments →
        report page, and the URLs requested: what removal by missing-from-list relies on."""
        complete = not (self.lists_partial or self.budget_exhausted or not self.home_ok)
        return ListInventory(set(self.list_links) if complete else None, dict(self.attachments), set(self.seen))


def pending_key(url: str, browser: bool) -> str:
    """A request in ``Site.pending``: its URL (a rendering in the browser keeps its route fragment)."""
    return "browser " + url if browser else url.split("#", 1)[0]


def pending_key_of(request: Any) -> str:
    """The ``pending_key`` of a request the spider built."""
    return pending_key(request.url, bool(request.meta.get("playwright")))


def site_step(callback: Callable[[Any, Any], Iterator[Any]]) -> Callable[[Any, Any], Iterator[Any]]:
    """A spider callback or errback that answers one of an agency's requests: its output, then (via
    the spider's ``_stepped``) the agency's next round of weak navigation if it was the last one."""

    @functools.wraps(callback)
    def step(spider: Any, answer: Any) -> Iterator[Any]:
        yield from spider._stepped(answer.request, callback(spider, answer))

    return step
