"""Downloader middleware: conditional re-fetches of known report pages from stored validators."""

from __future__ import annotations

from typing import Any

from scrapy import Request

from crawler.handoff import CANDIDATE_KINDS, WHOLE, kind_of
from pipelines.state import state_for


class ConditionalRequestMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConditionalRequestMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if (kind_of(request) not in CANDIDATE_KINDS or request.meta.get("playwright")
                or request.meta.get(WHOLE)):
            return None
        add_validators(request, *state_for(self.crawler).archive.validators(request.url))
        return None


def add_validators(request: Request, etag: str | None, last_modified: str | None) -> None:
    """Make ``request`` conditional on the stored ETag / Last-Modified, when there are any."""
    if etag:
        request.headers.setdefault("If-None-Match", etag)
    if last_modified:
        request.headers.setdefault("If-Modified-Since", last_modified)
