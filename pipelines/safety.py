"""Downloader middlewares that keep hostile servers from costing more than one failed request.

The agency's scope comes from ``crawler.roster`` (the spider's hosts, refreshed from the other
workers in a distributed crawl), never from the spider. Each refusal is an ``IgnoreRequest``
subclass whose class name is the reason the spider's errback counts
(``nianbao/failures/<snake_case_name>``), so the run summary says what happened:

* ``RedirectGuardMiddleware`` (before Scrapy's redirect middleware sees a 3xx): redirects to
  non-HTTP schemes, to hosts outside the agency's scope (IP literals included) and redirect loops
  are refused before any connection to the target is made. (The spider follows its own requests'
  redirects itself today; this covers every request it leaves to Scrapy.)
* ``RequestGuardMiddleware`` (first in line): refuses requests to non-HTTP schemes and to private or
  loopback addresses the agency does not own (meta refresh, links); names the final outcome of
  oversized bodies and of 429/5xx answers that survived the retries.
* ``RetryAfterMiddleware`` (before the retry middleware): waits out a short ``Retry-After``, gives
  up at once on a long one instead of hammering the server.
* ``BoundedDecompressionMiddleware``: Scrapy's decompression (bounded by DOWNLOAD_MAXSIZE) with
  the bomb named as such.

And for the browser: ``abort_browser_request`` (PLAYWRIGHT_ABORT_REQUEST); the download handler
itself is ``pipelines.browser``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest, NotConfigured
from scrapy.http import Response
from twisted.internet.defer import CancelledError
from w3lib.url import safe_url_string

from crawler import links as L
from crawler.handoff import handoff_of, kind_of, site_of
from crawler.roster import Roster, roster_of
from crawler.scope import is_gov_host

logger = logging.getLogger(__name__)

_HTTP = ("http", "https")
_REDIRECTS = (301, 302, 303, 307, 308)


class UnsafeRedirectScheme(IgnoreRequest):
    """A redirect to file:, ftp:, javascript:, data: … ."""


class RedirectOutOfScope(IgnoreRequest):
    """A redirect to a host the agency's scope does not cover."""


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL already visited in the same chain."""


class TooManyRedirects(IgnoreRequest):
    """A redirect chain longer than REDIRECT_MAX_TIMES."""


class UnsafeScheme(IgnoreRequest):
    """A request to anything but http(s)."""


class PrivateAddress(IgnoreRequest):
    """A request to a loopback, private or link-local address the agency does not own."""


class ResponseTooLarge(IgnoreRequest):
    """A body over DOWNLOAD_MAXSIZE (announced or streamed)."""

    reason = "download_maxsize"  # the name Scrapy's own setting gives it


class DecompressionBomb(IgnoreRequest):
    """A compressed body inflating past DOWNLOAD_MAXSIZE."""


class TooManyRequests(IgnoreRequest):
    """HTTP 429 after the retries (or with a Retry-After too long to wait)."""


class ServiceUnavailable(IgnoreRequest):
    """HTTP 503 after the retries."""


class ServerError(IgnoreRequest):
    """Another HTTP 5xx after the retries; counted as ``http_<status>``."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.reason = f"http_{status}"


def _domains(roster: Roster, request: Request, url: str = "") -> list[str] | None:
    """The scope of the request's agency, brought up to date when ``url`` (the request's own by
    default) is outside it; None when the request belongs to no agency."""
    return roster.scope(site_of(request), url or request.url)


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _redirect_allowed(url: str, domains: list[str], kind: str) -> bool:
    """Same policy as the spider's links, stricter on addresses: an IP literal must be in scope."""
    if L.in_scope(url, domains):
        return True
    host = L.host_of(url)
    if _ip(host) is not None:
        return False
    return is_gov_host(host) and kind in (L.REPORT, L.ATTACHMENT)


class RedirectGuardMiddleware:
    """Checks a 3xx's Location before RedirectMiddleware builds the next request (order > 600)."""

    def __init__(self, crawler: Any) -> None:
        self.roster = roster_of(crawler)
        self.max_redirects = crawler.settings.getint("REDIRECT_MAX_TIMES")

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedirectGuardMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in _REDIRECTS or b"Location" not in response.headers:
            return response
        if request.meta.get("dont_redirect") or request.meta.get("handle_httpstatus_all"):
            return response
        location = (response.headers[b"Location"] or b"").decode("latin-1").strip()
        target = urljoin(request.url, safe_url_string(location))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        scheme = urlsplit(target).scheme.lower()
        if scheme not in _HTTP:
            raise UnsafeRedirectScheme(f"redirect from {request.url} to a {scheme or 'relative'}: URL refused")
        if target.split("#", 1)[0] in {u.split("#", 1)[0] for u in chain}:
            raise RedirectLoop(f"redirect loop at {request.url} -> {target}")
        if len(chain) > self.max_redirects:
            raise TooManyRedirects(f"more than {self.max_redirects} redirects from {chain[0]}")
        domains = _domains(self.roster, request, target)
        if domains is not None and not _redirect_allowed(target, domains, kind_of(request)):
            raise RedirectOutOfScope(f"redirect from {request.url} to {target} is outside the agency's scope")
        return response


class RequestGuardMiddleware:
    """First and last in the downloader chain (order < 100): refuses early, names outcomes late."""

    def __init__(self, crawler: Any) -> None:
        self.roster = roster_of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RequestGuardMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        domains = _domains(self.roster, request)
        if domains is None:
            return None
        scheme = urlsplit(request.url).scheme.lower()
        if scheme not in _HTTP:
            raise UnsafeScheme(f"{request.url}: only http(s) is fetched")
        ip = _ip(L.host_of(request.url))
        if ip is not None and not ip.is_global and not L.in_scope(request.url, domains):
            raise PrivateAddress(f"{request.url}: a non-public address outside the agency's scope")
        # Scrapy's redirects carry redirect_urls, the spider's own (spiders/reports.py) redirect_chain.
        hop = handoff_of(request)
        redirected = request.meta.get("redirect_urls") or (hop is not None and hop.redirect_chain)
        if redirected and not _redirect_allowed(
            request.url, domains, kind_of(request)
        ):
            raise RedirectOutOfScope(f"{request.url}: redirect target outside the agency's scope")
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if _domains(self.roster, request) is None:
            return response
        if response.status == 429:
            raise TooManyRequests(f"{request.url}: HTTP 429 (Retry-After {_header(response, 'Retry-After')})")
        if response.status == 503:
            raise ServiceUnavailable(f"{request.url}: HTTP 503")
        if 500 <= response.status < 600:
            raise ServerError(f"{request.url}: HTTP {response.status}", response.status)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        # DOWNLOAD_MAXSIZE cancels the download: with a message when the announced length is too
        # large, silently when the bytes received pass it; nothing else here cancels downloads.
        if isinstance(exception, DownloadCancelledError | CancelledError) and (
            "max size" in str(exception).lower() or not str(exception).strip()
        ):
            raise ResponseTooLarge(str(exception) or f"{request.url}: body over DOWNLOAD_MAXSIZE") from exception
        return None


class RetryAfterMiddleware:
    """Honours a short Retry-After on 429/503 (at most NIANBAO_RETRY_AFTER_MAX seconds); a longer
    one means "not today": the request is not retried (order between 550 and 600)."""

    def __init__(self, crawler: Any) -> None:
        s = crawler.settings
        self.max_wait = s.getfloat("NIANBAO_RETRY_AFTER_MAX")
        self.retry_times = s.getint("RETRY_TIMES")

    @classmethod
    def from_crawler(cls, crawler: Any) -> RetryAfterMiddleware:
        if not crawler.settings.getbool("RETRY_ENABLED"):
            raise NotConfigured  # RETRY_ENABLED off, as Scrapy's own RetryMiddleware
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in (429, 503):
            return response
        wait = _retry_after(_header(response, "Retry-After"))
        if wait is None:
            return response
        if wait > self.max_wait:
            request.meta["dont_retry"] = True
            return response
        if request.meta.get("retry_times", 0) < request.meta.get("max_retry_times", self.retry_times):
            await asyncio.sleep(wait)
        return response


class BoundedDecompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's HttpCompressionMiddleware, its size refusal renamed (replace it at order 590)."""

    # The ignore below: the override drops the deprecated ``spider`` argument Scrapy's signature still has.
    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:
            raise DecompressionBomb(str(exc)) from exc


def _header(response: Response, name: str) -> str:
    return (response.headers.get(name) or b"").decode("latin-1").strip()


def _retry_after(value: str) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), None if unusable."""
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


# --- the browser: bounded memory, no navigation off the web ---------------------------------------

_BROWSER_SCHEMES = ("http", "https", "data", "blob", "about")
_HEAVY_RESOURCES = ("image", "media", "font")


def abort_browser_request(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: Chromium fetches neither odd schemes (file:, ftp:, chrome:) nor
    images, media and fonts — a rendered list page needs its scripts and data, not its pictures."""
    scheme = urlsplit(request.url).scheme.lower()
    return scheme not in _BROWSER_SCHEMES or request.resource_type in _HEAVY_RESOURCES

