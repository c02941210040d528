"""Downloader middleware: skip report pages and attachments that are not due for a revisit.

The spider decides what to fetch but must not read the archive; these components ask the archive
(``storage.revisit`` intervals). Report pages and attachments not due are dropped. List and
navigation pages not due are answered from their stored copy, so the spider sees the same links
(the list inventory stays complete: nothing is marked missing-from-list by a list left unread),
and the home page is always fetched, conditionally, as the site's health check.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.responsetypes import responsetypes

from pipelines.conditional import add_validators
from pipelines.state import state_for

logger = logging.getLogger(__name__)

_REVISITED_KINDS = {"report": "report", "attachment": "attachment"}
_LIST_KINDS = ("list", "pager", "nav")  # always fetched, conditionally when the server allows
_CONDITIONAL = "nianbao_list_conditional"
_REPLAYED = "nianbao_list_replayed"  # answered from the fetch log: no download, nothing to record
NOT_DUE = "nianbao_not_due"  # request.meta flag: the spider's errback counts it as a skip, not a failure


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


class RevisitMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.enabled = crawler.settings.getbool("NIANBAO_REVISIT", False)
        self.now = crawl_clock(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RevisitMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        kind = _REVISITED_KINDS.get(request.meta.get("kind", ""))
        if not self.enabled or kind is None or request.meta.get("playwright"):
            return None
        archive = state_for(self.crawler).archive
        if archive.is_due(request.url, kind, self.now or datetime.now(UTC)):
            return None
        request.meta[NOT_DUE] = True
        self.crawler.stats.inc_value("nianbao/revisit/not_due")
        raise IgnoreRequest(f"not due for a revisit: {request.url}")


def _replay(request: Request, url: str, headers: dict[str, str], body: bytes) -> Response:
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url=url, status=200, headers=headers, body=body, request=request)


class ListRevalidationMiddleware:
    """List and navigation pages keep their last payload and validators in the fetch log (kind
    ``list``). A list page not yet due (``storage.revisit``: a day after a change, doubling to a
    week while its payload stays the same) is answered from that copy without a download; a due
    one is fetched conditionally, and a 304 replays the stored page too. Either way the spider sees
    the same links. This is what keeps a re-crawl cheap on sites that send no validators. Only with
    ``NIANBAO_REVISIT`` (the demo's back-to-back crawls keep the plain fetch log)."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.enabled = crawler.settings.getbool("NIANBAO_REVISIT", False)
        self.now = crawl_clock(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ListRevalidationMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> Response | None:
        if (not self.enabled or request.meta.get("kind") not in _LIST_KINDS or request.method != "GET"
                or request.meta.get("playwright")):
            return None
        archive = state_for(self.crawler).archive
        if not request.meta.get("home") and not archive.is_due(request.url, "list", self.now or datetime.now(UTC)):
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
        headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
        state.archive.record_fetch(
            run_id=state.run_id, url=request.url, final_url=response.url, status=response.status,
            headers=headers, body=response.body if response.status == 200 else None,
            content_type=headers.get("Content-Type"), encoding=None,
            fetched_at=self.now or datetime.now(UTC), kind="list",
        )
        if stored is None:
            return response
        body, old_headers = stored
        self.crawler.stats.inc_value("nianbao/revisit/list_not_modified")
        return _replay(request, response.url, {**old_headers, **headers}, body)
