"""The ``reports`` spider for many machines: seeds from Redis, per-agency state shared through Redis.

Selected by ``SCRAPY_SETTINGS_MODULE=settings.distributed`` (whose ``SPIDER_MODULES`` lists only
this module), so every machine runs the same ``scrapy crawl reports``. The crawl logic is the one
of ``spiders.reports``; what a single process keeps in memory and a worker must share is adapted:

- Seeds come from ``nianbao enqueue`` (a Redis hash), not ``-a seeds=``: ``start()`` pops agencies
  from the shared start list, so each home page is requested by one worker only; agencies
  enqueued later are picked up while idle.
- A request may be answered by a worker that never saw its agency: every seed is loaded into
  ``self.sites`` at start (and on a miss), so callbacks find their ``Site``.
- Hosts an agency's scope gains during the crawl (its 信息公开 platform, a forwarding seed) are
  shared through a Redis set and refreshed before each callback, and by the safety middlewares
  (through ``crawler.roster``) before they refuse a host; "home page answered" likewise, so each
  worker's summary says which agencies failed.
- The list inventory (report links on list pages, attachments, URLs requested, "lists partial"),
  from which a finished run marks reports that left their list as removed, is published after
  every callback and merged at the end, into what ``closed()`` hands the run summary: a worker
  that saw only part of a list must not remove the reports another worker saw. Publishing precedes
  the request's acknowledgement, so once no request is in flight anywhere (the only time a worker
  closes) every worker's part is in.

Per-worker on purpose: the per-site page budget (``NIANBAO_SITE_PAGE_BUDGET`` holds per worker)
and the spider's seen-set: the scrapy-redis dupefilter is what stops two workers fetching one URL.
A page redone after a worker died then re-issues its attachment request, which the dupefilter
drops, instead of filing the page before its attachment (which carries the page along).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from redis import Redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy_redis import connection

from crawler import links as L
from crawler.handoff import site_of
from crawler.queue_keys import RedisKeys, seed_from_json
from crawler.roster import ListInventory
from spiders.reports import ReportsSpider
from spiders.site import Site


class SharedDomains(list[str]):
    """A site's scope hosts; ``append`` also tells the other workers."""

    def __init__(self, hosts: list[str], redis: Redis, key: str) -> None:
        super().__init__(hosts)
        self._redis = redis
        self._key = key

    def append(self, host: str) -> None:
        if host not in self:
            super().append(host)
        self._redis.sadd(self._key, host)

    def refresh(self) -> None:
        for raw in self._redis.smembers(self._key):
            host = raw.decode() if isinstance(raw, bytes) else raw
            if host not in self:
                super().append(host)


class SharedSites(dict[str, Site]):
    """Agency → Site; an agency this worker has not met yet is loaded from the seeds hash."""

    def __init__(self, spider: DistributedReportsSpider) -> None:
        super().__init__()
        self._spider = spider

    def __missing__(self, agency: str) -> Site:
        site = self._spider.load_site(agency)
        if site is None:
            raise KeyError(agency)
        return site

    def get(self, agency: str, default: Any = None) -> Any:
        try:
            return self[agency]
        except KeyError:
            return default


class DistributedReportsSpider(ReportsSpider):
    name = "reports"
    redis: Any  # the crawl round's Redis client (scrapy-redis' connection), set in from_crawler
    keys: RedisKeys

    def __init__(self, seeds: str | None = None, **kwargs: Any) -> None:
        super().__init__(seeds=seeds, **kwargs)
        self.sites = SharedSites(self)
        # agency → (list links, seen URLs, attachments) already published to Redis
        self._published: dict[str, tuple[set[str], set[str], set[str]]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> DistributedReportsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, DistributedReportsSpider)
        spider.redis = connection.get_redis_from_settings(crawler.settings)
        spider.keys = RedisKeys(crawler.settings.get("NIANBAO_REDIS_PREFIX") or "nianbao")
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        return spider

    # --- seeds and sites ------------------------------------------------------------------------

    def load_site(self, agency: str) -> Site | None:
        raw = self.redis.hget(self.keys.seeds, agency)
        if raw is None:
            return None
        seed = seed_from_json(raw)
        domains = SharedDomains(list(seed.domains or L.default_domains(seed.url)), self.redis, self.keys.domains(agency))
        domains.refresh()
        site = Site(seed, domains)
        self.open_site(site, domains.refresh)  # the safety middlewares refresh the scope before refusing a host
        return site

    def _load_all_sites(self) -> None:
        for raw in self.redis.hkeys(self.keys.seeds):
            agency = raw.decode() if isinstance(raw, bytes) else raw
            if agency not in self.sites:
                self.load_site(agency)

    def _start_requests(self) -> Iterator[scrapy.Request]:
        """Home pages of the agencies no worker has started yet."""
        while (raw := self.redis.lpop(self.keys.start)) is not None:
            agency = raw.decode() if isinstance(raw, bytes) else raw
            site = self.sites.get(agency)
            if site is None:
                self.logger.error("agency %r is on the start list but not among the seeds", agency)
                continue
            request = self._request(site, site.seed.url, L.NAV, "", depth=0, priority=10, home=True)
            self._after(site)
            if request is not None:
                yield request

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.seeds_path:
            self.logger.warning("-a seeds= is ignored by settings.distributed: push seeds with `nianbao enqueue`")
        self._load_all_sites()
        if not self.sites:
            self.logger.info("no seeds on %s yet: waiting for `nianbao enqueue`", self.keys.seeds)
        for request in self._start_requests():
            yield request

    def _idle(self, spider: Any = None) -> None:
        self._load_all_sites()
        scheduled = 0
        for request in self._start_requests():
            self.crawler.engine.crawl(request)
            scheduled += 1
        if scheduled:
            raise DontCloseSpider

    # --- callbacks: refresh shared state first ----------------------------------------------------

    def _sync(self, response: Response) -> Site | None:
        site = self.sites.get(site_of(response))
        if site is not None and isinstance(site.domains, SharedDomains):
            site.domains.refresh()
        return site

    def _after(self, site: Site | None) -> None:
        if site is None:
            return
        agency = site.seed.agency
        links, seen, files = self._published.setdefault(agency, (set(), set(), set()))
        pipe = self.redis.pipeline(transaction=False)
        if site.home_ok:
            pipe.sadd(self.keys.home_ok, agency)
        if site.lists_partial or site.budget_exhausted:
            pipe.sadd(self.keys.partial, agency)
        if new := site.list_links - links:
            pipe.sadd(self.keys.inventory(agency, "links"), *new)
            links |= new
        if new := site.seen - seen:
            pipe.sadd(self.keys.inventory(agency, "seen"), *new)
            seen |= new
        if new := set(site.attachments) - files:
            pipe.hset(self.keys.inventory(agency, "attachments"), mapping={u: site.attachments[u] for u in new})
            files |= new
        pipe.execute()

    def on_error(self, failure: Any) -> Iterator[Any]:
        yield from super().on_error(failure)
        self._after(self.sites.get(site_of(failure.request)))

    def parse_page(self, response: Response) -> Iterator[Any]:
        site = self._sync(response)
        yield from super().parse_page(response)
        self._after(site)

    def parse_records(self, response: Response) -> Iterator[scrapy.Request]:
        site = self._sync(response)
        yield from super().parse_records(response)
        self._after(site)

    def parse_candidate(self, response: Response) -> Iterator[Any]:
        site = self._sync(response)
        yield from super().parse_candidate(response)
        self._after(site)

    # --- summary ------------------------------------------------------------------------------

    def _merge_shared(self) -> None:
        """Fold what every worker published into this worker's sites (end of the crawl)."""
        self._load_all_sites()
        ok = _strs(self.redis.smembers(self.keys.home_ok))
        partial = _strs(self.redis.smembers(self.keys.partial))
        for agency, site in self.sites.items():
            self._after(site)
            site.home_ok = site.home_ok or agency in ok
            site.lists_partial = site.lists_partial or agency in partial
            site.list_links |= _strs(self.redis.smembers(self.keys.inventory(agency, "links")))
            site.seen |= _strs(self.redis.smembers(self.keys.inventory(agency, "seen")))
            for url, page in self.redis.hgetall(self.keys.inventory(agency, "attachments")).items():
                site.attachments.setdefault(url.decode(), page.decode())

    def site_summary(self) -> list[dict[str, Any]]:
        self._merge_shared()
        return super().site_summary()

    def list_inventory(self) -> dict[str, ListInventory]:
        self._merge_shared()
        return super().list_inventory()


def _strs(raws: Any) -> set[str]:
    return {raw.decode() if isinstance(raw, bytes) else str(raw) for raw in raws}
