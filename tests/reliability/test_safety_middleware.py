"""pipelines/safety.py on real Scrapy requests and responses, for the paths the hostile crawl does
not reach (the spider follows its own redirects, so RedirectGuard sees only Scrapy-followed ones)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import DownloadCancelledError
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.handoff import KEY, Hop, LinkKind
from crawler.model import Seed
from crawler.roster import roster_of
from pipelines import safety
from spiders.reports import ReportsSpider

AGENCY = "测试局"
HOME = "http://rsj.test.gov.cn/"


@pytest.fixture
def crawler():  # type: ignore[no-untyped-def]
    """A crawler whose spider opened one agency: the middlewares learn its scope from the roster
    (crawler.roster), never from the spider."""
    c = get_crawler(ReportsSpider, {"REDIRECT_MAX_TIMES": 3, "RETRY_TIMES": 2, "NIANBAO_RETRY_AFTER_MAX": 2})
    roster_of(c).open(Seed(AGENCY, HOME, domains=("rsj.test.gov.cn",)), ["rsj.test.gov.cn"])
    return c


def _req(url: str, kind: str = "nav", redirect_urls: list[str] | None = None, **hop: Any) -> Request:
    """A request as the spider builds it (its Hop), with Scrapy's own ``redirect_urls`` when given."""
    meta: dict[str, Any] = {KEY: Hop(AGENCY, LinkKind(kind), **hop)}
    if redirect_urls is not None:
        meta["redirect_urls"] = redirect_urls
    return Request(url, meta=meta)


def _redirect(request: Request, location: str, status: int = 302) -> Response:
    return Response(request.url, status=status, headers={"Location": location}, request=request)


@pytest.mark.parametrize(("location", "error"), [
    ("file:///etc/passwd", safety.UnsafeRedirectScheme),
    ("javascript:alert(1)", safety.UnsafeRedirectScheme),
    ("http://evil.example.com/", safety.RedirectOutOfScope),
    ("http://127.0.0.1:6379/", safety.RedirectOutOfScope),
    ("http://other.gov.cn/list.html", safety.RedirectOutOfScope),  # a nav page may not leave the agency
    (HOME + "start.html", safety.RedirectLoop),
])
def test_redirect_guard_refuses(crawler, location: str, error: type) -> None:  # type: ignore[no-untyped-def]
    mw = safety.RedirectGuardMiddleware.from_crawler(crawler)
    request = _req(HOME + "start.html")
    with pytest.raises(error):
        mw.process_response(request, _redirect(request, location))


def test_redirect_guard_lets_in_scope_and_report_redirects_pass(crawler) -> None:  # type: ignore[no-untyped-def]
    mw = safety.RedirectGuardMiddleware.from_crawler(crawler)
    request = _req(HOME + "a.html")
    response = _redirect(request, "/b.html")
    assert mw.process_response(request, response) is response
    report = _req(HOME + "nb.html", kind="report")
    moved = _redirect(report, "http://www.test.gov.cn/nb.html")  # a report moved to another gov.cn host
    assert mw.process_response(report, moved) is moved


def test_a_scope_another_worker_widened_is_refreshed_before_refusing() -> None:
    """spiders.distributed: a host one worker adds to an agency's scope reaches the others' safety
    middlewares through the roster's refresh, called only when a URL is outside the known scope."""
    c = get_crawler(ReportsSpider, {"REDIRECT_MAX_TIMES": 3})
    hosts, shared, calls = ["rsj.test.gov.cn"], ["rsj.test.gov.cn", "xxgk.test.gov.cn"], []

    def refresh() -> None:
        calls.append(1)
        hosts.extend(h for h in shared if h not in hosts)

    roster_of(c).open(Seed(AGENCY, HOME), hosts, refresh)
    mw = safety.RedirectGuardMiddleware.from_crawler(c)
    inside = _req(HOME + "a.html")
    assert mw.process_response(inside, _redirect(inside, "/b.html")) is not None and calls == []
    moved = _redirect(inside, "http://xxgk.test.gov.cn/list.html")  # a nav page to the widened host
    assert mw.process_response(inside, moved) is moved and calls == [1]
    with pytest.raises(safety.RedirectOutOfScope):
        mw.process_response(inside, _redirect(inside, "http://other.test.gov.cn/list.html"))


def test_redirect_guard_counts_hops(crawler) -> None:  # type: ignore[no-untyped-def]
    mw = safety.RedirectGuardMiddleware.from_crawler(crawler)
    request = _req(HOME + "4.html", redirect_urls=[HOME + f"{i}.html" for i in range(3)])
    with pytest.raises(safety.TooManyRedirects):
        mw.process_response(request, _redirect(request, HOME + "5.html"))


@pytest.mark.parametrize(("url", "meta", "error"), [
    ("ftp://ftp.test.gov.cn/a.pdf", {}, safety.UnsafeScheme),
    ("http://127.0.0.1:8080/", {}, safety.PrivateAddress),
    ("http://169.254.169.254/latest/meta-data/", {}, safety.PrivateAddress),
    ("http://[::1]/", {}, safety.PrivateAddress),
    ("http://8.8.8.8/nb.html", {"redirect_chain": (HOME,)}, safety.RedirectOutOfScope),
])
def test_request_guard_refuses_before_connecting(crawler, url: str, meta: dict, error: type) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error):
        safety.RequestGuardMiddleware.from_crawler(crawler).process_request(_req(url, **meta))


def test_request_guard_names_final_outcomes(crawler) -> None:  # type: ignore[no-untyped-def]
    mw = safety.RequestGuardMiddleware.from_crawler(crawler)
    request = _req(HOME + "nb.html")
    assert mw.process_request(request) is None
    for status, error in ((429, safety.TooManyRequests), (503, safety.ServiceUnavailable), (502, safety.ServerError)):
        with pytest.raises(error):
            mw.process_response(request, Response(request.url, status=status, request=request))
    ok = Response(request.url, status=404, request=request)
    assert mw.process_response(request, ok) is ok  # the spider handles 404/410 itself
    with pytest.raises(safety.ResponseTooLarge):
        mw.process_exception(request, DownloadCancelledError("Received 60000000 bytes which is larger than "
                                                             "download max size (52428800) in request"))
    assert mw.process_exception(request, TimeoutError("slow")) is None
    robots = Request(HOME + "robots.txt")  # belongs to no agency: left to Scrapy
    assert mw.process_request(robots) is None


def test_retry_after_waits_briefly_or_gives_up(crawler) -> None:  # type: ignore[no-untyped-def]
    mw = safety.RetryAfterMiddleware.from_crawler(crawler)
    long_wait = _req(HOME + "a.html")
    asyncio.run(mw.process_response(long_wait, Response(long_wait.url, status=429, headers={"Retry-After": "3600"})))
    assert long_wait.meta.get("dont_retry") is True
    short_wait = _req(HOME + "b.html")
    started = time.monotonic()
    asyncio.run(mw.process_response(short_wait, Response(short_wait.url, status=503, headers={"Retry-After": "1"})))
    assert 0.9 <= time.monotonic() - started < 30 and not short_wait.meta.get("dont_retry")
    date = Response(short_wait.url, status=429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})
    assert safety._retry_after(date.headers["Retry-After"].decode()) == 0.0  # a past date: retry now
    assert safety._retry_after("soon") is None


def test_a_browser_page_that_timed_out_is_retried() -> None:
    """settings.default: Playwright's navigation timeout counts as a retryable download failure."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout
    from scrapy.downloadermiddlewares.retry import RetryMiddleware

    import settings.default as defaults

    crawler = get_crawler(ReportsSpider, {"RETRY_EXCEPTIONS": defaults.RETRY_EXCEPTIONS, "RETRY_TIMES": 2})
    crawler.spider = crawler._create_spider()
    mw = RetryMiddleware.from_crawler(crawler)
    request = Request("http://hrss.jl.gov.cn/zwgk/zfxxgknb/index.html", meta={"playwright": True})
    retried = mw.process_exception(request, PlaywrightTimeout("Page.goto: Timeout 30000ms exceeded."))
    assert isinstance(retried, Request) and retried.meta["playwright"] and retried.meta["retry_times"] == 1
