"""Downloader middleware: conditional re-fetches of known report pages from stored validators."""

from __future__ import annotations

from typing import Any

from scrapy import Request

from pipelines.state import state_for

_CANDIDATE_KINDS = ("report", "attachment")
WHOLE = "nianbao_whole"  # request meta (pipelines.revisit): this check is a full download, not a 304


class ConditionalRequestMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConditionalRequestMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if (request.meta.get("kind") not in _CANDIDATE_KINDS or request.meta.get("playwright")
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
