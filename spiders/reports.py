"""The ``reports`` spider: from each seed's home page to every 年报 page and attachment, little else.

It decides what to fetch and nothing more: links are scored by ``crawler.links`` (anchor text and
URL tokens), list shapes are expanded by the plug-ins of ``crawler.lists`` (``spiders.listwalk``),
and lists none of them knows are rendered in Chromium (``spiders.render``). Every candidate report page or
attachment leaves as a ``Capture`` item; whether it really is a report is the pipelines' call.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.http import Response, TextResponse
from w3lib.html import get_meta_refresh

from crawler import links as L
from crawler import weaknav
from crawler.handoff import CANDIDATE_KINDS, KEY, LIST_KINDS, NOT_DUE, Hop, LinkKind, Rendering, handoff_of
from crawler.lists import Step
from crawler.lists.generic import is_route_fragment
from crawler.model import Capture
from crawler.roster import Roster, roster_of
from crawler.seeds import load_seeds
from spiders import known
from spiders.listwalk import ListWalk
from spiders.outcomes import SiteOutcomes
from spiders.render import RenderLists
from spiders.responses import (
    PageLinks,
    attachment_links,
    body_text_head,
    failure_reason,
    is_html,
    make_capture,
    page_links,
)
from spiders.rounds import NavRounds
from spiders.site import Site, pending_key_of, site_step

_REDIRECTS = (301, 302, 303, 307, 308)
# The parts of a Hop that must survive a redirect the spider follows itself.
_CARRIED = ("home", "parent", "parent_capture", "renderings", "known", "shape", "page", "per", "base", "batch",
            "stale")


def hop_of(response: Response) -> Hop:
    """The Hop of a response to a request this spider built (every callback's)."""
    hop = handoff_of(response)
    assert hop is not None, f"no hand-off on {response.url}"
    return hop


class ReportsSpider(NavRounds, SiteOutcomes, RenderLists, ListWalk, scrapy.Spider):
    name = "reports"
    # from the settings (settings/default.py holds every default), in from_crawler
    page_budget: int
    max_depth: int
    list_pages_max: int
    browser_budget: int
    hanweb_perpage: int
    max_redirects: int
    allowed_statuses: list[int]
    defer_nav: bool
    focus_score: float
    nav_rounds: int
    _nianbao_known: known.KnownReports  # kept on the spider: signals hold weak references

    def __init__(self, seeds: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seeds_path = seeds
        self.sites: dict[str, Site] = {}
        # what the components learn of the agencies (crawler.roster): the crawler's, from from_crawler
        self.roster = Roster()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ReportsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.roster = roster_of(crawler)
        s = crawler.settings
        spider.page_budget = s.getint("NIANBAO_SITE_PAGE_BUDGET")
        spider.max_depth = s.getint("NIANBAO_MAX_DEPTH")
        spider.list_pages_max = s.getint("NIANBAO_LIST_PAGES_MAX")
        spider.browser_budget = s.getint("NIANBAO_BROWSER_PAGES_PER_SITE")
        spider.hanweb_perpage = s.getint("NIANBAO_HANWEB_PERPAGE")
        spider.max_redirects = s.getint("REDIRECT_MAX_TIMES")
        # Redirects are followed here, not by RedirectMiddleware, so that a redirect to another host
        # is refused before any connection and loops are counted by their own reason.
        spider.allowed_statuses = sorted(set(s.getlist("HTTPERROR_ALLOWED_CODES")) | set(_REDIRECTS))
        spider.defer_nav = s.getbool("NIANBAO_DEFER_NAV")
        spider.focus_score = s.getfloat("NIANBAO_FOCUS_NAV_SCORE")
        spider.nav_rounds = s.getint("NIANBAO_WEAK_NAV_ROUNDS")
        crawler.signals.connect(spider._release_deferred, signal=signals.spider_idle)
        crawler.signals.connect(spider._request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider._item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(spider._item_done, signal=signals.item_scraped)
        crawler.signals.connect(spider._item_done, signal=signals.item_dropped)
        known.attach(crawler, spider)  # known reports nothing linked on this run (issue 22)
        return spider

    # --- start ----------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if not self.seeds_path:
            self.roster.seed_errors.append("no seed list: run `scrapy crawl reports -a seeds=PATH.csv`")
            self.logger.error(self.roster.seed_errors[-1])
            raise CloseSpider("no-seeds")
        seeds, errors = load_seeds(self.seeds_path)
        self.roster.seed_errors.extend(errors)
        for line in errors:
            self.logger.error("bad seed row: %s", line)
        if not seeds:
            raise CloseSpider("no-valid-seeds")
        # A resumed job (JOBDIR) finds its per-agency state in ``self.state`` (pickled by Scrapy's
        # SpiderState): home pages fetched before the interruption are not fetched again, so their
        # outcome, budgets and seen URLs must come back from there.
        state = getattr(self, "state", None)
        saved: dict[str, Site] = state.get("sites", {}) if isinstance(state, dict) else {}
        if saved:
            self.logger.info("resumed job: per-agency state of %d agencies restored", len(saved))
        for seed in seeds:
            site = saved.get(seed.agency) or Site(seed, list(seed.domains or L.default_domains(seed.url)))
            site.seed = seed
            # a job saved before these existed
            site.keys, site.rendered = getattr(site, "keys", {}), getattr(site, "rendered", set())
            site.lists_found = getattr(site, "lists_found", 0)
            site.deferred = [weaknav.Held(*held) for held in getattr(site, "deferred", [])]
            site.nav_rounds = getattr(site, "nav_rounds", 0)
            site.pending = set()  # a resumed job's requests come back from its queue, not from here
            self.open_site(site)
        if isinstance(state, dict):
            state["sites"] = self.sites
        for seed in seeds:
            site = self.sites[seed.agency]
            request = self._request(site, seed.url, L.NAV, "", depth=0, priority=10, home=True)
            if request is not None:
                yield request

    def open_site(self, site: Site, refresh: Callable[[], None] | None = None) -> None:
        """An agency of this crawl: kept here, and told to the components (its seed and scope)."""
        self.sites[site.seed.agency] = site
        self.roster.open(site.seed, site.domains, refresh)

    # --- request building -----------------------------------------------------------------------

    def _request(
        self,
        site: Site,
        url: str,
        kind: str,
        text: str,
        *,
        depth: int,
        priority: float,
        home: bool = False,
        referer: str = "",
        browser: bool = False,
        callback: Any = None,
        **hop: Any,
    ) -> scrapy.Request | None:
        """The request for ``url``, its ``Hop`` built from the arguments (``hop``: the other fields of
        ``crawler.handoff.Hop``), or None when refused (scope, seen, trap, budget)."""
        if not L.in_scope(url, site.domains):
            host = L.host_of(url)
            if not L.is_gov_host(host):
                self.crawler.stats.inc_value("nianbao/refused/non_gov_host")
                return None
            if kind in (L.LIST, L.NAV) and "公开" in text:
                # Another gov.cn host linked as the agency's disclosure platform joins its scope.
                site.domains.append(host)
                self.crawler.stats.inc_value("nianbao/scope/platform_hosts_added")
            elif kind not in (L.REPORT, L.ATTACHMENT):
                self.crawler.stats.inc_value("nianbao/refused/out_of_scope")
                return None
        key = url.split("#", 1)[0]
        if key in site.seen and not browser:
            return None
        # A records endpoint a list plug-in read off the list's own script (TRS's /was5/web/search)
        # is no search trap: its batches are bounded by NIANBAO_LIST_PAGES_MAX.
        if not browser and not hop.get("shape") and L.is_trap_url(url):
            self.crawler.stats.inc_value("nianbao/refused/trap")
            return None
        if site.pages >= self.page_budget:
            if not site.budget_exhausted:
                site.budget_exhausted = True
                self.logger.warning("%s: page budget of %d exhausted", site.seed.agency, self.page_budget)
            self.crawler.stats.inc_value("nianbao/refused/budget")
            return None
        site.pages += 1
        site.seen.add(key)
        if referer and referer.split("#", 1)[0] != key:
            site.parent.setdefault(key, referer.split("#", 1)[0])
        hop["renderings"] = tuple(hop.get("renderings") or ())
        hop["redirect_chain"] = tuple(hop.get("redirect_chain") or ())
        request_meta: dict[str, Any] = {KEY: Hop(site.seed.agency, LinkKind(kind), text, depth, home, priority, **hop)}
        if browser:
            site.browser_pages += 1
            self.crawler.stats.inc_value("nianbao/browser_pages")
            request_meta.update(self._browser_meta())
        else:
            request_meta.update(dont_redirect=True, handle_httpstatus_list=self.allowed_statuses)
        if callback is None:
            callback = self.parse_candidate if kind in (L.REPORT, L.ATTACHMENT) else self.parse_page
        headers = {"Referer": referer} if referer else None
        request = scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            meta=request_meta,
            priority=int(priority),
            headers=headers,
            dont_filter=browser,
        )
        site.pending.add(pending_key_of(request))
        return request

    # --- navigation and list pages --------------------------------------------------------------

    @site_step
    def parse_page(self, response: Response) -> Iterator[Any]:
        site = self.sites[hop_of(response).site]
        if response.status in _REDIRECTS:
            yield from self._redirect(site, response, self.parse_page)
            return
        if hop_of(response).home and response.status < 400:
            site.home_ok = True
        if response.status >= 400 or response.status == 304:
            # A 304 here means no stored copy was replayed (pipelines.revisit): the links are unknown.
            self._count_failure(site, f"http_{response.status}", response.url)
            site.lists_partial |= hop_of(response).kind in LIST_KINDS
            return
        if not is_html(response):
            # A navigation link that turned out to be a file: treat it as a candidate.
            yield from self.parse_candidate(response)
            return
        assert isinstance(response, TextResponse)
        title = response.css("title::text").get(default="")
        if L.is_soft_404(response.status, title, body_text_head(response)):
            self._count_failure(site, "soft_404", response.url)
            site.lists_partial |= hop_of(response).kind in LIST_KINDS
            return
        interval, refresh = get_meta_refresh(response.text[:4096], response.url)
        if refresh and interval is not None and interval < 60:
            # Home pages often forward by <meta http-equiv="refresh">: the same rules as a redirect.
            yield from self._redirect(site, response, self.parse_page, refresh)
            return
        depth = hop_of(response).depth
        links = page_links(response)
        found = list(self._page_links(response, links))
        if response.meta.get("playwright"):
            # The rendered DOM's links are above; the states behind its pager and what it fetched here.
            found += self._rendered_links(site, response, {f.url for f in found})
        report_links = [li for li in found if li.kind == L.REPORT]
        on_list = (hop_of(response).kind in LIST_KINDS or bool(report_links)
                   or L.text_score(title) >= L.text_score("年报"))
        if report_links:
            self.crawler.stats.inc_value("nianbao/list_pages_with_reports")
        if hop_of(response).kind in LIST_KINDS and any(li.kind in (L.REPORT, L.ATTACHMENT) for li in found):
            site.lists_found += 1  # a 年报 list linking reports or their files: the column is found
        if on_list:
            site.list_links.update(li.url.split("#", 1)[0] for li in found if li.kind in (L.REPORT, L.ATTACHMENT))
        page = self._page_of(site, response, links)
        steps = self._list_steps(site, page, on_list=on_list)
        yield from self._crawl_links(site, response, found, depth, on_list, steps)
        yield from self._maybe_render(site, response, page, found, steps, depth)

    def _crawl_links(self, site: Site, response: TextResponse, found: list[L.LinkInfo], depth: int,
                     on_list: bool, steps: list[Step]) -> Iterator[scrapy.Request]:
        if on_list:
            site.list_pages += 1
        new_items = 0
        followed = [info for info in found if on_list or info.kind != L.PAGER]
        if not on_list:
            followed = self._hold_weak(site, followed, response, depth)  # spiders.rounds
        for info, request in self._follow_all(site, followed, response, depth):
            new_items += info.kind in (L.REPORT, L.ATTACHMENT)
            yield request
        yield from self._walk_lists(site, response, steps, depth, new_items)

    def _page_links(self, response: TextResponse, links: PageLinks | None = None) -> Iterator[L.LinkInfo]:
        on_list = hop_of(response).kind in LIST_KINDS
        links = links or page_links(response)
        seen: set[str] = set()
        for a in links.anchors:
            if not a.href or a.href.startswith(("javascript:", "mailto:", "tel:")) or a.url in seen:
                continue
            if a.href.startswith("#") and not is_route_fragment(a.href):
                continue  # an in-page jump; a route (``#2656``, ``#/list/nb``) names a list of the page
            seen.add(a.url)
            info = L.classify_link(a.url, a.text or a.title, on_list_page=on_list)
            if a.context and info.kind in (L.IGNORE, L.NAV):
                info = L.more_link(a.url, a.context) or info
            yield info
        for a in links.scripted:
            if a.url not in seen:
                seen.add(a.url)
                yield L.classify_link(a.url, a.title or a.text, on_list_page=on_list)
        for url in L.script_links(links.handlers, response.url):
            if url not in seen:
                seen.add(url)
                yield L.classify_link(url, "", on_list_page=True)

    def _follow_all(self, site: Site, found: list[L.LinkInfo], response: Response,
                    depth: int) -> Iterator[tuple[L.LinkInfo, scrapy.Request]]:
        """``_follow`` every link; the formats of one document one at a time, best first: the
        archive keeps a report's versions from the rendering it reads first, and two files fetched
        side by side arrive in either order (``crawler.links.rendering_chains``)."""
        later = L.rendering_chains(found)
        for index, info in enumerate(found):
            if later.get(index) is None:
                continue  # another format of a document whose better rendering goes first
            rest = [(f.url, f.kind, f.text, f.score) for f in later[index]]
            request = self._follow(site, info, response, depth, renderings=rest)
            if request is None and rest:  # refused (seen, budget): the next rendering instead
                request = next(self._next_rendering(site, rest, depth + 1, response.url), None)
            if request is not None:
                yield info, request

    def _next_rendering(self, site: Site, rest: Sequence[Rendering], depth: int,
                        parent: str) -> Iterator[scrapy.Request]:
        """The request for the next format of a document still to fetch, carrying the ones after it."""
        while rest:
            (url, kind, text, priority), rest = rest[0], rest[1:]
            request = self._request(site, url, kind, text, depth=depth, priority=priority, referer=parent,
                                    parent=parent, renderings=rest)
            if request is not None:
                yield request
                return

    def _then(self, hop: Hop | None) -> Iterator[Any]:
        """What waited for this request to end, whatever became of it: the page whose attachment it
        was (the page goes to the archive after its first attachment), and the document's next
        rendering."""
        if hop is None:
            return
        if hop.parent_capture is not None:
            yield hop.parent_capture
        site = self.sites.get(hop.site)
        if site is not None and hop.renderings:
            yield from self._next_rendering(site, hop.renderings, hop.depth, hop.parent)

    def _follow(self, site: Site, info: L.LinkInfo, response: Response, depth: int,
                renderings: list[tuple[str, str, str, float]] | None = None) -> scrapy.Request | None:
        if info.kind == L.IGNORE:
            return None
        if info.kind in (L.REPORT, L.ATTACHMENT):
            return self._request(
                site,
                info.url,
                info.kind,
                info.text,
                depth=depth + 1,
                priority=info.score,
                referer=response.url,
                parent=response.url,
                renderings=renderings or [],
            )
        if info.kind == L.PAGER:
            if site.list_pages >= self.list_pages_max:
                site.lists_partial = True
                return None
            return self._request(
                site, info.url, L.PAGER, info.text, depth=depth, priority=info.score, referer=response.url
            )
        if depth + 1 > self.max_depth:
            self.crawler.stats.inc_value("nianbao/refused/depth")
            return None
        return self._request(
            site, info.url, info.kind, info.text, depth=depth + 1, priority=info.score, referer=response.url
        )

    def _maybe(
        self, site: Site, url: str, kind: str, depth: int, response: Response, **kw: Any
    ) -> Iterator[scrapy.Request]:
        request = self._request(site, url, kind, "", depth=depth, priority=85, referer=response.url, **kw)
        if request is not None:
            yield request

    # --- candidates -----------------------------------------------------------------------------

    @site_step
    def parse_candidate(self, response: Response) -> Iterator[Any]:
        site = self.sites[hop_of(response).site]
        if response.status in _REDIRECTS:
            yield from self._redirect(site, response, self.parse_candidate)
            return
        if response.status >= 400:
            self._count_failure(site, f"http_{response.status}", response.url)  # a broken report link
        kind = "attachment" if hop_of(response).kind == L.ATTACHMENT or not is_html(response) else "page"
        site.candidates += 1
        capture = make_capture(response, site.seed, kind, site.attachments)
        if kind == "attachment" or response.status != 200 or not isinstance(response, TextResponse):
            yield capture
            # A page waits for its first attachment (see below); now it may follow, and so may the
            # next format of this document.
            yield from self._then(hop_of(response))
            return
        title = response.css("title::text").get(default="")
        if L.is_soft_404(response.status, title, body_text_head(response)):
            # The report URL answers 200 "页面不存在": for the archive it is gone like a 404.
            self._count_failure(site, "soft_404", response.url)
            capture.skip = "gone"
            yield capture
            yield from self._then(hop_of(response))
            return
        links = page_links(response)
        found = list(self._page_links(response, links))
        listed = sum(li.kind == L.REPORT for li in found)
        if listed >= 2 or (listed and L.is_folder_url(response.url)):
            # A link named like a report led to a list of reports (a year folder holding one, too):
            # crawl it as a list; a folder is not itself a report.
            steps = self._list_steps(site, self._page_of(site, response, links), on_list=True)
            yield from self._crawl_links(site, response, found, hop_of(response).depth, True, steps)
            if L.is_folder_url(response.url):
                self.crawler.stats.inc_value("nianbao/candidates/lists")
                capture.skip = "list"
                yield capture
                yield from self._then(hop_of(response))
                return
        # The report may live only in an attachment of this page ("详见附件"). The attachment goes
        # to the archive first, so that the full text, not the page's stub, becomes the version;
        # the page follows it as a sighting of the same report.
        title = title or hop_of(response).anchor
        waiting: Capture | None = capture
        files = list(attachment_links(response, links))
        for url, _ in files:
            site.attachments[url.split("#", 1)[0]] = response.url.split("#", 1)[0]
        for group in L.renderings(files):
            # One format at a time, best first (see _follow_all).
            rest = [(files[i][0], L.ATTACHMENT, files[i][1] or title, 95.0) for i in group]
            request = next(self._next_rendering(site, rest, 0, response.url), None)
            if request is not None and waiting is not None:
                request.meta[KEY], waiting = replace(request.meta[KEY], parent_capture=waiting), None
            if request is not None:
                yield request
        if waiting is not None:
            yield waiting
        yield from self._then(hop_of(response))

    def _redirect(self, site: Site, response: Response, callback: Any, target: str = "") -> Iterator[Any]:
        """Follow a redirect (HTTP or meta refresh) inside the agency's scope; refuse loops and other
        hosts by reason."""
        hop = hop_of(response)
        if not target:
            location = (response.headers.get("Location") or b"").decode("latin-1").strip()
            target = response.urljoin(location) if location else ""
        chain = [*hop.redirect_chain, response.url.split("#", 1)[0]]
        reason = ""
        if not target:
            reason = "redirect_without_location"
        elif target.split("#", 1)[0] in chain or len(chain) > self.max_redirects:
            reason = "redirect_loop"
        elif not L.in_scope(target, site.domains):
            host = L.host_of(target)
            if L.is_gov_host(host) and hop.home:
                site.domains.append(host)  # the seed itself forwards there (laoshan.gov.cn → www.…)
            elif not (L.is_gov_host(host) and hop.kind in CANDIDATE_KINDS):
                reason = "redirect_other_host"
        if reason:
            self._count_failure(site, reason, f"{response.url} -> {target}")
            site.lists_partial |= hop.kind in LIST_KINDS
            yield from self._then(hop)
            return
        request = self._request(
            site,
            target,
            hop.kind,
            hop.anchor,
            depth=hop.depth,
            priority=response.request.priority if response.request else 50,
            referer=response.url,
            callback=callback,
            redirect_chain=chain,
            **{k: getattr(hop, k) for k in _CARRIED},
        )
        if request is not None:
            yield request
        else:
            yield from self._then(hop)

    @site_step
    def on_error(self, failure: Any) -> Iterator[Capture]:
        request = failure.request
        hop = handoff_of(request)
        site = self.sites.get(hop.site) if hop is not None else None
        if request.meta.get(NOT_DUE):
            # Skipped by the revisit policy (counted there): not a failure.
            yield from self._then(hop)
            return
        if site is not None and hop is not None:
            site.lists_partial |= hop.kind in LIST_KINDS
        reason = failure_reason(failure)
        self.crawler.stats.inc_value(f"nianbao/failures/{reason}")
        if site is not None:
            site.errors[reason] = site.errors.get(reason, 0) + 1
        self.logger.warning("fetch failed: %s (%s)", request.url, reason)
        yield from self._then(hop)  # the attachment failed: the page still counts
