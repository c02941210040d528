"""What the spider tells its components about the crawl's agencies; each request's ``Hop``
(crawler.handoff) says which agency it serves, this says what the agency is.

Scrapy's stats idiom: one object on the crawler (``roster_of``) that the spider writes and the
components read, so no component reads the spider and the spider knows no component. The spider
``open``s each agency as it meets it (its seed, and its scope hosts: the live list the spider
widens, so a host it adds counts at once), and ``close``s the roster in its ``closed()`` with each
agency's summary line and list inventory. Scrapy calls the spider's ``closed()`` first among the
``spider_closed`` receivers (the spider is made, and its close connected, before any component),
so the run summary finds the roster closed.

In a distributed crawl another worker may widen an agency's scope (spiders.distributed shares it
through Redis): the spider opens such an agency with a ``refresh``, which ``scope`` calls before it
answers "out of scope".

Pure: no Scrapy import; anything that takes attributes will do as the crawler.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crawler.links import in_scope
from crawler.model import Seed

ATTR = "nianbao_roster"  # the crawler attribute holding the Roster


@dataclass(frozen=True)
class ListInventory:
    """What removal by missing-from-list relies on, for one agency: the candidate links of its
    lists (None unless every list page came through), attachments → their report page, and the
    URLs requested on this run."""

    links: set[str] | None
    attachments: dict[str, str]
    seen: set[str]


@dataclass
class Roster:
    seeds: dict[str, Seed] = field(default_factory=dict)  # agency → seed, in the order met
    seed_errors: list[str] = field(default_factory=list)  # seed rows (or the seed list) not usable
    # set by ``close``: each agency's line of the run summary, and its list inventory
    lines: list[dict[str, Any]] = field(default_factory=list)
    inventory: dict[str, ListInventory] = field(default_factory=dict)
    closed: bool = False
    _hosts: dict[str, list[str]] = field(default_factory=dict)
    _refresh: dict[str, Callable[[], None]] = field(default_factory=dict)

    def open(self, seed: Seed, hosts: list[str], refresh: Callable[[], None] | None = None) -> None:
        """An agency of the crawl, its scope hosts (kept, not copied) and how to catch up with
        hosts added elsewhere."""
        self.seeds[seed.agency] = seed
        self._hosts[seed.agency] = hosts
        if refresh is not None:
            self._refresh[seed.agency] = refresh

    def scope(self, agency: str, url: str = "") -> list[str] | None:
        """The agency's scope hosts, refreshed first when ``url`` is outside them; None for a
        request of no agency the spider opened."""
        hosts = self._hosts.get(agency) if agency else None
        if hosts is None:
            return None
        refresh = self._refresh.get(agency)
        if refresh is not None and not in_scope(url, hosts):
            refresh()  # another worker may have widened it
        return list(hosts)

    def close(self, lines: list[dict[str, Any]], inventory: dict[str, ListInventory]) -> None:
        """The spider's last word: every agency's summary line and list inventory."""
        self.lines, self.inventory, self.closed = list(lines), dict(inventory), True


def roster_of(crawler: Any) -> Roster:
    """The crawl's Roster, made on first use (by the spider, or a component made without one)."""
    roster = getattr(crawler, ATTR, None)
    if not isinstance(roster, Roster):
        roster = Roster()
        setattr(crawler, ATTR, roster)
    return roster
