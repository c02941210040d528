"""Downloader middleware: every known report and file is checked on every run, as cheaply as its
server allows (issue 22); list pages are revalidated on the ``storage.revisit`` schedule.

The spider decides what to fetch but must not read the archive; these components ask it. A report
or file whose server gave validators goes out as a conditional GET (``pipelines.conditional``: a
304 costs a header). One without is downloaded whole when ``storage.revisit.plan_check`` says so
(its last download ``NIANBAO_MAX_DETECTION_RUNS`` - 1 runs old, a list linking it changed, its
rotation slot within the site's ``NIANBAO_REVISIT_SITE_BYTES``); otherwise a HEAD compares its
Content-Length with the last download's, and a difference brings the download at once. List and
navigation pages not due are answered from their stored copy, so the spider sees the same links,
and the home page is always fetched, conditionally, as the site's health check. Reports nothing
linked on this run are asked for at the end (``spiders.known``, from ``known_reports`` here).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from crawler.handoff import (
    CANDIDATE_KINDS,
    KNOWN_ATTR,
    NOT_DUE,
    RECOVERED,
    WHOLE,
    LinkKind,
    handoff_of,
    kind_of,
    site_of,
)
from pipelines.conditional import add_validators
from pipelines.state import state_for
from storage import revisit as R

logger = logging.getLogger(__name__)

_LIST_KINDS = (LinkKind.LIST, LinkKind.PAGER, LinkKind.NAV)  # always fetched, conditionally when the server allows
_CONDITIONAL = "nianbao_list_conditional"
_REPLAYED = "nianbao_list_replayed"  # answered from the fetch log: no download, nothing to record
_HEAD = "nianbao_head_check"  # a HEAD standing for the GET: the Content-Length to compare with
_FULL = "nianbao_full_check"  # this GET is the check's full download: plan nothing more
STATS = "nianbao/revisit/"
# Where the check of each report says what it did (stats under STATS; the run summary reads them).


def crawl_clock(settings: Any) -> datetime | None:
    """``NIANBAO_NOW`` (ISO 8601, naive = UTC): the crawl's clock for tests and replays; None = real time."""
    raw = settings.get("NIANBAO_NOW")
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        logger.warning("NIANBAO_NOW=%r is not an ISO 8601 time; using the real clock", raw)
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class _Checks:
    """What this run learnt that the checks of its reports depend on: list pages whose entries
    changed, and the bytes each site's full downloads took."""

    def __init__(self) -> None:
        self.changed_lists: set[str] = set()
        self.spent: dict[str, int] = {}


def _checks(crawler: Any) -> _Checks:
    checks = getattr(crawler, "_nianbao_checks", None)
    if checks is None:
        checks = _Checks()
        crawler._nianbao_checks = checks
    return checks


class RevisitMiddleware:
    """The check of each known report and file (see the module doc); off (NotConfigured) without
    ``NIANBAO_REVISIT``."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        s = crawler.settings
        self.max_runs = max(1, s.getint("NIANBAO_MAX_DETECTION_RUNS"))
        self.budget = s.getint("NIANBAO_REVISIT_SITE_BYTES")
        self.checks = _checks(crawler)
        if s.getbool("NIANBAO_REVISIT_KNOWN"):
            setattr(crawler, KNOWN_ATTR, lambda: state_for(crawler).archive.known_reports())

    @classmethod
    def from_crawler(cls, crawler: Any) -> RevisitMiddleware:
        if not crawler.settings.getbool("NIANBAO_REVISIT"):
            raise NotConfigured  # NIANBAO_REVISIT off; bare, as Scrapy's own: a message is logged as a warning
        return cls(crawler)

    def _count(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(STATS + key, n)

    def process_request(self, request: Request) -> Request | None:
        hop = handoff_of(request)
        if (hop is None or hop.kind not in CANDIDATE_KINDS or request.meta.get("playwright")
                or request.method != "GET" or request.meta.get(_FULL)):
            return None
        if request.meta.get(RECOVERED):
            # Redone after its worker died (pipelines.redis_queue, which marks it WHOLE as well): that
            # the archive has the document says nothing of the links the dead worker's callback had
            # still to follow.
            self._count("full/recovered")
            return None
        state = state_for(self.crawler)
        known = state.archive.check_state(request.url, state.run_id)
        site = hop.site
        spent = self.checks.spent.get(site, 0)
        how, why = R.plan_check(
            known, max_runs=self.max_runs, in_slot=R.in_slot(request.url, state.run_id, self.max_runs),
            budget_left=self.budget - spent, list_changed=(hop.parent or None) in self.checks.changed_lists)
        if how == "conditional":
            self._count("conditional")
            return None
        if how == "full":
            if known is not None:
                self.checks.spent[site] = spent + (known.size or 0)
            self._count(f"full/{why}")
            request.meta[WHOLE] = True
            return None
        if how == "head":
            assert known is not None
            if why == "budget":
                self._count("deferred_budget")
            self._count("head")
            return request.replace(method="HEAD", dont_filter=True, meta={
                **request.meta, _HEAD: known.length, "nianbao_head_size": known.size, "nianbao_head_why": why})
        self._count("deferred_budget")
        request.meta[NOT_DUE] = True
        raise IgnoreRequest(f"check deferred by the site's byte budget: {request.url}")

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if _HEAD not in request.meta:
            return response
        length = (response.headers.get("Content-Length") or b"").decode("latin-1").strip()
        meta = {k: v for k, v in request.meta.items() if k not in (_HEAD, "nianbao_head_size", "nianbao_head_why")}
        site = site_of(request)
        size = request.meta.get("nianbao_head_size") or 0
        spent = self.checks.spent.get(site, 0)
        verdict = R.head_verdict(response.status, length, request.meta[_HEAD])
        if verdict == "unchanged":
            self._count("head_unchanged")
            request.meta[NOT_DUE] = True
            raise IgnoreRequest(f"unchanged by its Content-Length: {request.url}")
        if verdict == "changed":  # another length, gone, moved: read it whole now, whatever the budget
            self._count("head_changed")
            self._count("full/head-changed")
        elif spent + size <= self.budget:
            # No signal (HEAD refused, no length): a full download while the budget lasts.
            self._count("head_no_signal")
            self._count("full/no-signal")
        else:
            self._count("head_no_signal")
            if request.meta.get("nianbao_head_why") != "budget":  # not counted twice
                self._count("deferred_budget")
            request.meta[NOT_DUE] = True
            raise IgnoreRequest(f"no HEAD signal, check deferred by the site's byte budget: {request.url}")
        self.checks.spent[site] = spent + size
        return request.replace(method="GET", dont_filter=True, meta={**meta, _FULL: True, WHOLE: True})


def _replay(request: Request, url: str, headers: dict[str, str], body: bytes) -> Response:
    stored = Headers(headers)  # the fetch log keeps str headers; Headers encodes them as Scrapy does
    cls = responsetypes.from_args(headers=stored, url=url, body=body)
    return cls(url=url, status=200, headers=stored, body=body, request=request)


class ListRevalidationMiddleware:
    """List and navigation pages keep their last payload and validators in the fetch log (kind
    ``list``). A list page not yet due (``storage.revisit``: a day after a change, doubling to a
    week while its payload stays the same) is answered from that copy without a download; a due
    one is fetched conditionally, and a 304 replays the stored page too. Either way the spider sees
    the same links. This is what keeps a re-crawl cheap on sites that send no validators. Only with
    ``NIANBAO_REVISIT`` (the demo's back-to-back crawls keep the plain fetch log)."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.now = crawl_clock(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ListRevalidationMiddleware:
        if not crawler.settings.getbool("NIANBAO_REVISIT"):
            raise NotConfigured  # NIANBAO_REVISIT off; bare, as Scrapy's own: a message is logged as a warning
        return cls(crawler)

    def process_request(self, request: Request) -> Response | None:
        if kind_of(request) not in _LIST_KINDS or request.method != "GET" or request.meta.get("playwright"):
            return None
        archive = state_for(self.crawler).archive
        hop = handoff_of(request)
        if not (hop is not None and hop.home) and not archive.is_due(request.url, "list", self.now or datetime.now(UTC)):
            stored = archive.last_payload(request.url)
            if stored is not None:
                body, headers = stored
                request.meta[_REPLAYED] = True
                self.crawler.stats.inc_value("nianbao/revisit/list_not_due")
                self.crawler.stats.inc_value("nianbao/revisit/list_not_due_bytes", len(body))
                return _replay(request, request.url, headers, body)
        request.meta[_CONDITIONAL] = True
        add_validators(request, *archive.validators(request.url))
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get(_REPLAYED) or not request.meta.get(_CONDITIONAL) or response.status not in (200, 304):
            return response
        state = state_for(self.crawler)
        stored = state.archive.last_payload(request.url) if response.status == 304 else None
        if response.status == 304 and stored is None:
            return response  # nothing to replay (the fetch log lost it): the spider sees the 304
        before = state.archive.last_blob(request.url) if response.status == 200 else None
        headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
        record = state.archive.record_fetch(
            run_id=state.run_id, url=request.url, final_url=response.url, status=response.status,
            headers=headers, body=response.body if response.status == 200 else None,
            content_type=headers.get("Content-Type"), encoding=None,
            fetched_at=self.now or datetime.now(UTC), kind="list",
        )
        if response.status == 200:
            self.crawler.stats.inc_value(STATS + "lists_downloaded")
        if before is not None and record.blob_sha256 != before:
            # Its entries changed (a hit counter alone keeps the old blob): the reports it links
            # are downloaded whole on this run, whatever their rotation (storage.revisit.plan_check).
            _checks(self.crawler).changed_lists.add(request.url)
            self.crawler.stats.inc_value(STATS + "lists_changed")
        if stored is None:
            return response
        body, old_headers = stored
        self.crawler.stats.inc_value("nianbao/revisit/list_not_modified")
        return _replay(request, response.url, {**old_headers, **headers}, body)


def revisit_summary(stats: dict[str, Any]) -> dict[str, int]:
    """The run summary's ``revisit`` block: how every known report and file was checked."""

    def n(key: str) -> int:
        return int(stats.get(STATS + key, 0))

    full = {k[len(STATS) + 5:]: int(v) for k, v in stats.items() if k.startswith(STATS + "full/")}
    return {
        "not_due": n("not_due"),  # kept for readers of older summaries: reports are never skipped now
        "not_modified": n("not_modified"),
        "lists_not_modified": n("list_not_modified"),
        "lists_not_due": n("list_not_due"),
        "lists_downloaded": n("lists_downloaded"),
        "lists_changed": n("lists_changed"),
        "conditional": n("conditional"),
        "head": n("head"),
        "head_unchanged": n("head_unchanged"),
        "head_changed": n("head_changed"),
        "head_no_signal": n("head_no_signal"),
        "full": sum(full.values()),
        **{f"full_{k.replace('-', '_')}": v for k, v in sorted(full.items())},
        "deferred_budget": n("deferred_budget"),
        # known reports and files nothing linked on this run: off every list, or the files of a
        # report page whose HEAD said unchanged (its links were not read)
        "known_unlinked": n("known_unlinked"),
    }

